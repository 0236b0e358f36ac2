//! Standard output as a Unix tool writes it (as ripgrep does): line by line
//! to a terminal, in blocks to a pipe or file, and a reader that goes away
//! (`casebook … | head`) ends the program quietly with status 0 instead of a
//! panic. Every line of results goes through [`outln!`].

use std::io::{self, IsTerminal, Write};
use std::sync::Mutex;

static OUT: Mutex<Option<Box<dyn Write + Send>>> = Mutex::new(None);

fn writer() -> Box<dyn Write + Send> {
    let stdout = io::stdout();
    if stdout.is_terminal() {
        Box::new(io::LineWriter::new(stdout))
    } else {
        Box::new(io::BufWriter::with_capacity(64 * 1024, stdout))
    }
}

/// What to do when stdout fails: a closed pipe ends the program (status 0,
/// nothing on stderr); anything else is reported once on stderr.
fn failed(e: io::Error) {
    if e.kind() == io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    eprintln!("casebook: standard output: {e}");
    std::process::exit(1);
}

/// Writes formatted text to stdout (use [`outln!`] / [`out!`]).
pub fn write_fmt(args: std::fmt::Arguments<'_>) {
    let mut g = OUT.lock().unwrap_or_else(|e| e.into_inner());
    let w = g.get_or_insert_with(writer);
    if let Err(e) = w.write_fmt(args) {
        drop(g);
        failed(e);
    }
}

/// Writes out what is buffered; called before the program ends and before
/// anything is asked on the terminal.
pub fn flush() {
    let mut g = OUT.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(w) = g.as_mut()
        && let Err(e) = w.flush()
    {
        drop(g);
        failed(e);
    }
}

/// `println!` for results: see the module documentation.
#[macro_export]
macro_rules! outln {
    () => { $crate::term::write_fmt(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::term::write_fmt(format_args!("{}\n", format_args!($($arg)*))) };
}

/// `print!` for results.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => { $crate::term::write_fmt(format_args!($($arg)*)) };
}
