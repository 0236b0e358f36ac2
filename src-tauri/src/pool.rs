//! A few open journals shared by the commands. Each command borrows one for
//! the length of its work, on a blocking thread, so a slow query never
//! freezes the window and no lock is held while SQLite works: the mutex
//! guards only the list of idle connections. SQLite serialises writers
//! (`BEGIN IMMEDIATE` with a busy timeout).
//!
//! A journal protected by a passphrase starts locked: the pool holds no
//! connection and no key, and every command answers `locked` until the
//! window unlocks it. Locking (on demand, or after the chosen idle time)
//! drops the key and every idle connection.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use casebook::error::{ErrorPayload, Problem};
use casebook::vault::{self, DataKey, Protection};
use casebook::{Error, Journal};

/// At most this many idle connections are kept.
const MAX_IDLE: usize = 4;

pub struct Pool {
    dir: PathBuf,
    idle: Mutex<Vec<Journal>>,
    /// The data key while a protected journal is unlocked.
    key: Mutex<Option<DataKey>>,
    /// When the user last did something in the window.
    last_used: Mutex<Instant>,
    /// The idle-lock minutes as verified against the key file's seal when
    /// the journal was unlocked (or set since): the idle watch never reads
    /// the key file while a key change or restore is replacing it.
    idle_minutes: Mutex<u32>,
    /// The last statement read for the import preview: journal data held
    /// outside the journal, so locking and restoring clear it.
    pub previews: crate::files::Previews,
}

impl Pool {
    /// Opens the journal once (creating and migrating it) before the window
    /// asks for anything; a protected journal stays locked until unlocked.
    pub fn open(dir: PathBuf) -> Result<Arc<Pool>, ErrorPayload> {
        let idle = match Journal::open_dir(&dir) {
            Ok(first) => vec![first],
            Err(Error::Locked) => Vec::new(),
            Err(e) => return Err(e.into()),
        };
        Ok(Arc::new(Pool {
            dir,
            idle: Mutex::new(idle),
            key: Mutex::new(None),
            last_used: Mutex::new(Instant::now()),
            idle_minutes: Mutex::new(vault::DEFAULT_IDLE_MINUTES),
            previews: crate::files::Previews::default(),
        }))
    }

    fn key(&self) -> Option<DataKey> {
        self.key.lock().ok().and_then(|k| k.clone())
    }

    /// The data key of the unlocked journal (settings sealed with it).
    fn unlocked_key(&self) -> Result<DataKey, ErrorPayload> {
        self.key().ok_or_else(|| Error::Locked.into())
    }

    fn take(&self) -> Result<Journal, ErrorPayload> {
        let idle = self.idle.lock().map(|mut v| v.pop()).unwrap_or(None);
        match idle {
            Some(j) => Ok(j),
            None => Ok(Journal::open_dir_with(&self.dir, self.key().as_ref())?),
        }
    }

    fn give(&self, j: Journal) {
        // A connection that was out while the journal was locked is closed.
        if j.is_protected() && self.key().is_none() {
            return;
        }
        if let Ok(mut v) = self.idle.lock()
            && v.len() < MAX_IDLE
        {
            v.push(j);
        }
    }

    /// Whether the journal is protected, locked, and what to offer.
    pub fn protection(&self) -> Result<Protection, ErrorPayload> {
        let mut p = Protection::of(&self.dir)?;
        p.locked = p.protected && self.key().is_none();
        Ok(p)
    }

    /// Unlocks with the passphrase (Argon2id: a few hundred milliseconds).
    pub fn unlock(&self, passphrase: &str) -> Result<(), ErrorPayload> {
        let key = casebook::protect::unlock(&self.dir, passphrase)?;
        self.unlocked_with(key)
    }

    /// Sets a new passphrase with the recovery key, and unlocks.
    pub fn reset(&self, recovery: &str, passphrase: &str) -> Result<(), ErrorPayload> {
        let key = casebook::protect::reset_passphrase(&self.dir, recovery, passphrase)?;
        self.unlocked_with(key)
    }

    fn unlocked_with(&self, key: DataKey) -> Result<(), ErrorPayload> {
        let mut idle = self
            .idle
            .lock()
            .map_err(|_| ErrorPayload::internal("unlocking"))?;
        self.install(&mut idle, key, "unlocking")
    }

    /// Opens the journal with `key` as the only idle connection and keeps
    /// the key, under the caller's lock of `idle`.
    fn install(
        &self,
        idle: &mut Vec<Journal>,
        key: DataKey,
        what: &'static str,
    ) -> Result<(), ErrorPayload> {
        let first = Journal::unlock_dir(&self.dir, &key)?;
        let minutes = vault::idle_lock_minutes(&self.dir, &key)?;
        idle.clear();
        idle.push(first);
        *self.key.lock().map_err(|_| ErrorPayload::internal(what))? = Some(key);
        self.set_idle_minutes(minutes);
        self.touch();
        Ok(())
    }

    /// Forgets the key and closes every idle connection; copies of
    /// attachments decrypted for the system viewer are removed, and so is
    /// every cache of journal data.
    pub fn lock(&self) {
        self.previews.clear();
        if let Ok(mut k) = self.key.lock() {
            *k = None;
        }
        if let Ok(mut idle) = self.idle.lock() {
            idle.clear();
        }
        casebook::evidence::remove_open_copies();
    }

    /// Turns protection on: returns the recovery key to show once.
    pub fn protect(&self, passphrase: &str) -> Result<String, ErrorPayload> {
        let mut idle = self
            .idle
            .lock()
            .map_err(|_| ErrorPayload::internal("protecting the journal"))?;
        idle.clear();
        let result = casebook::protect::protect(&self.dir, passphrase);
        let protected = match result {
            Ok(p) => p,
            Err(e) => {
                // Not protected after all: reopen as it was.
                if let Ok(j) = Journal::open_dir(&self.dir) {
                    idle.push(j);
                }
                return Err(e.into());
            }
        };
        let recovery = protected.recovery.to_string();
        self.install(&mut idle, protected.key, "protecting the journal")?;
        Ok(recovery)
    }

    /// Changes the data key (every connection closed first): returns the
    /// new recovery key to show once.
    pub fn change_data_key(&self, passphrase: &str) -> Result<String, ErrorPayload> {
        let mut idle = self
            .idle
            .lock()
            .map_err(|_| ErrorPayload::internal("changing the data key"))?;
        idle.clear();
        self.previews.clear();
        match casebook::protect::change_data_key(&self.dir, passphrase) {
            Ok(p) => {
                let recovery = p.recovery.to_string();
                self.install(&mut idle, p.key, "changing the data key")?;
                Ok(recovery)
            }
            Err(e) => {
                // Unchanged (or finished at the next unlock): as it was.
                if let Some(k) = self.key()
                    && let Ok(j) = Journal::unlock_dir(&self.dir, &k)
                {
                    idle.push(j);
                }
                Err(e.into())
            }
        }
    }

    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }

    /// The user did something: the idle clock starts again.
    pub fn touch(&self) {
        if let Ok(mut t) = self.last_used.lock() {
            *t = Instant::now();
        }
    }

    /// Sets the idle-lock minutes (sealed in the key file) and uses them.
    pub fn set_idle_lock(&self, minutes: u32) -> Result<(), ErrorPayload> {
        let key = self.unlocked_key()?;
        vault::set_idle_lock_minutes(&self.dir, &key, minutes)?;
        self.set_idle_minutes(minutes);
        Ok(())
    }

    fn set_idle_minutes(&self, minutes: u32) {
        if let Ok(mut m) = self.idle_minutes.lock() {
            *m = minutes;
        }
    }

    /// Locks when the journal is protected, unlocked, and unused for
    /// longer than the user chose. True when it locked now.
    pub fn lock_if_idle(&self) -> bool {
        if self.key().is_none() {
            return false;
        }
        let minutes = self
            .idle_minutes
            .lock()
            .map_or(vault::DEFAULT_IDLE_MINUTES, |m| *m);
        let idle_for = self
            .last_used
            .lock()
            .map_or(Duration::ZERO, |t| t.elapsed());
        if minutes > 0 && idle_for >= Duration::from_secs(u64::from(minutes) * 60) {
            self.lock();
            return true;
        }
        false
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
        passphrase: Option<&str>,
    ) -> Result<casebook::backup::RestoreReport, ErrorPayload> {
        let mut idle = self
            .idle
            .lock()
            .map_err(|_| ErrorPayload::internal("restoring the backup"))?;
        idle.clear();
        self.previews.clear();
        casebook::evidence::remove_open_copies();
        let reopen = |idle: &mut Vec<Journal>| {
            if let Ok(j) = Journal::open_dir_with(&self.dir, self.key().as_ref()) {
                idle.push(j);
            }
        };
        let report = match casebook::backup::restore(archive, &self.dir, true, passphrase) {
            Ok(r) => r,
            Err(e) => {
                reopen(&mut idle);
                // Here "locked" means the backup's passphrase is needed,
                // not that this window is locked.
                if matches!(e, Error::Locked) {
                    return Err(Error::invalid(Problem::BackupNeedsPassphrase {}).into());
                }
                return Err(e.into());
            }
        };
        // The restored journal is unlocked with the passphrase it was backed
        // up with (if it is protected), and the key of the one it replaced
        // is forgotten.
        let key = match (vault::KeyFile::load(&self.dir)?, passphrase) {
            (Some(_), Some(p)) => Some(casebook::protect::unlock(&self.dir, p)?),
            _ => None,
        };
        idle.push(Journal::open_dir_with(&self.dir, key.as_ref())?);
        if let Some(k) = &key {
            self.set_idle_minutes(vault::idle_lock_minutes(&self.dir, k)?);
        }
        *self
            .key
            .lock()
            .map_err(|_| ErrorPayload::internal("restoring the backup"))? = key;
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use casebook::cases::NewCase;
    use casebook::import::ImportOptions;

    /// A statement read into the preview cache is gone once the window
    /// locks (it answered after a lock before) and once a backup is restored.
    #[test]
    fn locking_and_restoring_clear_the_statement_preview_cache() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data");
        let pool = Pool::open(dir.clone()).unwrap();
        let bytes = std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../tests/fixtures/statements/paypal-en-gb.csv"),
        )
        .unwrap();
        let cache = |pool: &Pool| {
            let st = pool
                .run_blocking(|j| {
                    let case = j.create_case(NewCase {
                        title: "预览".into(),
                        ..NewCase::default()
                    })?;
                    j.preview_statement(case.id, &bytes, &ImportOptions::default())
                })
                .unwrap()
                .unwrap();
            pool.previews.put(7, "k".into(), Arc::new(st));
            assert!(pool.previews.get(7, "k").is_some());
        };
        cache(&pool);
        pool.lock();
        assert!(pool.previews.get(7, "k").is_none(), "cleared by the lock");

        let archive = tmp.path().join("b.tar");
        pool.run_blocking(|j| j.backup(&archive)).unwrap().unwrap();
        cache(&pool);
        pool.restore(&archive, None).unwrap();
        assert!(pool.previews.get(7, "k").is_none(), "cleared by a restore");
    }
}
