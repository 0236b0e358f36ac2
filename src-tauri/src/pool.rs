//! A few open journals shared by the commands. Each command borrows one for
//! the length of its work, on a blocking thread, so a slow query never
//! freezes the window and no lock is held while SQLite works: the mutex
//! guards only the list of idle connections. SQLite serialises writers
//! (`BEGIN IMMEDIATE` with a busy timeout).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use casebook::Journal;
use casebook::error::ErrorPayload;

/// At most this many idle connections are kept.
const MAX_IDLE: usize = 4;

pub struct Pool {
    dir: PathBuf,
    idle: Mutex<Vec<Journal>>,
}

impl Pool {
    /// Opens the journal once (creating and migrating it) before the window
    /// asks for anything.
    pub fn open(dir: PathBuf) -> Result<Arc<Pool>, ErrorPayload> {
        let first = Journal::open_dir(&dir)?;
        Ok(Arc::new(Pool {
            dir,
            idle: Mutex::new(vec![first]),
        }))
    }

    fn take(&self) -> Result<Journal, ErrorPayload> {
        let idle = self.idle.lock().map(|mut v| v.pop()).unwrap_or(None);
        match idle {
            Some(j) => Ok(j),
            None => Ok(Journal::open_dir(&self.dir)?),
        }
    }

    fn give(&self, j: Journal) {
        if let Ok(mut v) = self.idle.lock()
            && v.len() < MAX_IDLE
        {
            v.push(j);
        }
    }

    /// Runs `f` with a journal on a blocking thread. A panic becomes an
    /// error the window can show, never a promise that hangs.
    pub async fn run<T, F>(self: &Arc<Self>, what: &'static str, f: F) -> Result<T, ErrorPayload>
    where
        T: Send + 'static,
        F: FnOnce(&mut Journal) -> casebook::Result<T> + Send + 'static,
    {
        let pool = Arc::clone(self);
        let joined = tauri::async_runtime::spawn_blocking(move || {
            let mut journal = pool.take()?;
            let out = catch_unwind(AssertUnwindSafe(|| f(&mut journal)));
            match out {
                Ok(result) => {
                    pool.give(journal);
                    result.map_err(ErrorPayload::from)
                }
                Err(_) => Err(ErrorPayload::internal(what)),
            }
        })
        .await;
        joined.unwrap_or_else(|_| Err(ErrorPayload::internal(what)))
    }

    /// Runs `f` with a journal on the calling thread (which must not be the
    /// UI thread).
    pub fn run_blocking<T>(
        &self,
        f: impl FnOnce(&mut Journal) -> casebook::Result<T>,
    ) -> Result<casebook::Result<T>, ErrorPayload> {
        let mut journal = self.take()?;
        let out = catch_unwind(AssertUnwindSafe(|| f(&mut journal)));
        match out {
            Ok(result) => {
                self.give(journal);
                Ok(result)
            }
            Err(_) => Err(ErrorPayload::internal("reading a file")),
        }
    }

    /// Replaces the journal with a backup: idle connections are closed first
    /// (new ones open on the restored journal); the old contents are moved
    /// aside by the core, not deleted.
    pub fn restore(
        &self,
        archive: &std::path::Path,
    ) -> Result<casebook::backup::RestoreReport, ErrorPayload> {
        let mut idle = self
            .idle
            .lock()
            .map_err(|_| ErrorPayload::internal("restoring the backup"))?;
        idle.clear();
        let report = casebook::backup::restore(archive, &self.dir, true)?;
        idle.push(Journal::open_dir(&self.dir)?);
        Ok(report)
    }
}
