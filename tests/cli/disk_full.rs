//! A full disk: the `casebook` CLI runs under a file-size limit (`prlimit
//! --fsize`, with SIGXFSZ ignored, so a write past the limit fails the way
//! it does on a full disk); the write fails with a sentence, the journal is
//! intact, nothing half-written remains, and the journal keeps working once
//! there is room again.

#![cfg(target_os = "linux")]

use std::path::Path;
use std::process::{Command, Output, Stdio};

use casebook::Journal;
use casebook::cases::NewCase;

fn limited(dir: &Path, limit_bytes: u64, args: &[&str]) -> Output {
    limited_with_input(dir, limit_bytes, args, b"")
}

fn limited_with_input(dir: &Path, limit_bytes: u64, args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    let exe = env!("CARGO_BIN_EXE_casebook");
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; exec prlimit --fsize={limit_bytes} \"$0\" \"$@\""
        ))
        .arg(exe)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sh and prlimit (util-linux) run");
    let mut stdin = child.stdin.take().unwrap();
    // The command may fail before reading all of it.
    let _ = stdin.write_all(input);
    drop(stdin);
    child.wait_with_output().unwrap()
}

fn counts(dir: &Path) -> (i64, i64, String) {
    let conn = rusqlite::Connection::open(dir.join(casebook::db::JOURNAL_FILE)).unwrap();
    let n = |sql: &str| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    (
        n("SELECT count(*) FROM contacts"),
        n("SELECT count(*) FROM attachments"),
        ok,
    )
}

#[test]
fn a_full_disk_fails_the_write_with_a_sentence_and_damages_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let case_id = {
        let mut j = Journal::open_dir(dir.path()).unwrap();
        j.create_case(NewCase {
            title: "磁盘已满".into(),
            ..NewCase::default()
        })
        .unwrap()
        .id
    };
    let case = case_id.to_string();

    // Sanity: the limit itself is not what fails a small command.
    let ok = limited(dir.path(), 64 << 20, &["case", "list"]);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );

    // An attachment bigger than the room left.
    let big = dir.path().join("录音.bin");
    std::fs::write(&big, vec![7u8; 3 << 20]).unwrap();
    let out = limited(
        dir.path(),
        1 << 20,
        &["attach", "--case", &case, big.to_str().unwrap()],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("disk is full"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one sentence: {err}");
    assert_eq!(counts(dir.path()), (0, 0, "ok".into()));

    // A contact whose text needs more room in the journal than is left.
    let journal_len = std::fs::metadata(dir.path().join(casebook::db::JOURNAL_FILE))
        .unwrap()
        .len();
    let long_reply = "客服回复：请耐心等待。".repeat(20_000);
    let out = limited_with_input(
        dir.path(),
        journal_len.max(8192),
        &[
            "contact",
            "add",
            "--case",
            &case,
            "--channel",
            "chat",
            "--reply",
            "-",
        ],
        long_reply.as_bytes(),
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("could not be read or written") && err.contains("Nothing was changed"),
        "{err}"
    );
    assert_eq!(counts(dir.path()), (0, 0, "ok".into()));

    // With room again: the next start cleans up, and both writes go through.
    let mut j = Journal::open_dir(dir.path()).unwrap();
    let tmp = dir.path().join("evidence").join("tmp");
    let left = std::fs::read_dir(&tmp).map(|d| d.count()).unwrap_or(0);
    assert_eq!(left, 0, "no temporary file left");
    assert!(j.verify_evidence().unwrap().ok());
    j.attach_path(casebook::evidence::AttachTo::case(case_id), &big)
        .unwrap();
    let mut c = casebook::contacts::ContactInput::new(
        casebook::model::Channel::Chat,
        casebook::time::At::now(),
    );
    c.reply = long_reply;
    j.add_contact(case_id, c).unwrap();
    drop(j);
    assert_eq!(counts(dir.path()), (1, 1, "ok".into()));
}
