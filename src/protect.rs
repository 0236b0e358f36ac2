//! Turning on the passphrase for an existing journal, crash-safely.
//!
//! 1. The new key file is wrapped (a bad passphrase stops here).
//! 2. The plain database is taken out of WAL mode (no other connection may
//!    be open) and exported, encrypted, to `journal.sqlite3.encrypting`.
//! 3. The key file is written. From here the journal opens only with the key.
//! 4. The encrypted copy replaces the plain database (one rename).
//! 5. Each plain evidence file is encrypted under its keyed name, then
//!    removed; then the plain migration backups and the "no passphrase" mark.
//!
//! A crash after 3 leaves a key file beside a plain database or plaintext
//! files: unlocking (`finish_interrupted`) redoes 2, 4 and 5 with the same
//! key. Nothing is lost at any point: until 4 the plain database is intact,
//! and each plain file is removed only after its encrypted copy is durable.

use std::fs;
use std::io::{self, Read};
use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::db::{JOURNAL_FILE, Journal};
use crate::durable::sync_dir;
use crate::error::{Error, Problem, Result};
use crate::vault::{self, DECLINED_FILE, DEFAULT_IDLE_MINUTES, DataKey, KeyFile};

const ENCRYPTING: &str = "journal.sqlite3.encrypting";

/// Whether the database at `path` opens without a key (missing counts as plain).
fn is_plain(path: &Path) -> bool {
    if !path.exists() {
        return true;
    }
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .and_then(|c| crate::db::probe(&c))
        .is_ok()
}

/// Opens the plain database at `path` and takes it out of WAL mode: this
/// fails while another connection (the app, another command) has the
/// journal open, and leaves no -wal file that could be replayed onto the
/// encrypted copy.
fn out_of_wal(path: &Path, key: Option<&DataKey>) -> Result<Connection> {
    let in_use = |why: String| Error::Conflict(Problem::JournalInUse { detail: why });
    let conn = Connection::open(path)?;
    if let Some(k) = key {
        conn.execute_batch(&k.pragma())?;
    }
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    let mode: String = conn
        .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
        .map_err(|e| in_use(e.to_string()))?;
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(in_use(String::new()));
    }
    Ok(conn)
}

/// Steps 2 and 4: the plain database becomes the encrypted one.
fn encrypt_database(dir: &Path, key: &DataKey) -> Result<()> {
    let path = dir.join(JOURNAL_FILE);
    let tmp = dir.join(ENCRYPTING);
    {
        let conn = out_of_wal(&path, None)?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        crate::db::export_encrypted(&conn, &tmp, key, version)?;
    }
    fs::rename(&tmp, &path)?;
    sync_dir(dir)?;
    Ok(())
}

/// Step 5: every plain evidence file encrypted, then the plaintext removed.
fn encrypt_files(dir: &Path, key: &DataKey) -> Result<()> {
    let plain_root = dir.join("evidence").join("sha256");
    let mut store = crate::evidence::Store::beside(&dir.join(JOURNAL_FILE), Some(key));
    store.max_bytes = u64::MAX;
    if let Ok(prefixes) = fs::read_dir(&plain_root) {
        for prefix in prefixes.flatten() {
            let Ok(files) = fs::read_dir(prefix.path()) else {
                continue;
            };
            for file in files.flatten() {
                let name = file.file_name().to_string_lossy().into_owned();
                if name.len() != 64 || !name.bytes().all(|b| b.is_ascii_hexdigit()) {
                    continue;
                }
                let src = file.path();
                let mut r: Box<dyn Read> = Box::new(io::BufReader::new(fs::File::open(&src)?));
                // A damaged plain copy is stored under the hash of what it
                // holds now; `casebook verify` reports the original missing.
                store.put(&name, &mut r)?;
                fs::remove_file(&src)?;
            }
            let _ = fs::remove_dir(prefix.path());
        }
        let _ = fs::remove_dir(&plain_root);
    }
    // Plain copies kept before migrations, and the "not now" mark.
    if let Ok(entries) = fs::read_dir(dir) {
        for e in entries.flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if n.starts_with("journal.sqlite3.v") && n.ends_with(".bak") {
                let p = e.path();
                if is_plain(&p) {
                    fs::remove_file(p)?;
                }
            }
        }
    }
    let _ = fs::remove_file(dir.join(DECLINED_FILE));
    sync_dir(dir)?;
    Ok(())
}

/// A journal just protected: its data key, and the recovery key to show once.
pub struct Protected {
    pub key: DataKey,
    pub recovery: zeroize::Zeroizing<String>,
}

/// Protects the journal in `dir` with `passphrase`; returns the data key and
/// the recovery key. No connection to the journal may be open.
pub fn protect(dir: &Path, passphrase: &str) -> Result<Protected> {
    if KeyFile::load(dir)?.is_some() {
        return Err(Error::Conflict(Problem::AlreadyProtected {}));
    }
    // Make sure the journal exists and is current before anything changes.
    drop(Journal::open_dir(dir)?);
    let key = DataKey::generate();
    let (kf, recovery) = KeyFile::create(passphrase, &key, DEFAULT_IDLE_MINUTES)?;
    let path = dir.join(JOURNAL_FILE);
    // Step 2 before the key file: a failure here changes nothing.
    drop(out_of_wal(&path, None)?);
    kf.save(dir)?;
    encrypt_database(dir, &key)?;
    encrypt_files(dir, &key)?;
    Ok(Protected { key, recovery })
}

/// Finishes a protection that a crash interrupted (see the module notes).
pub(crate) fn finish_interrupted(dir: &Path, key: &DataKey) -> Result<()> {
    let path = dir.join(JOURNAL_FILE);
    let plain_db = path.exists() && is_plain(&path) && fs::metadata(&path)?.len() > 0;
    let plain_files = dir.join("evidence").join("sha256").exists();
    if !plain_db && !plain_files && !dir.join(ENCRYPTING).exists() {
        return Ok(());
    }
    if plain_db {
        encrypt_database(dir, key)?;
    } else {
        let _ = fs::remove_file(dir.join(ENCRYPTING));
    }
    encrypt_files(dir, key)
}

// ---------------------------------------------------------------------------
// Changing the data key.
//
// For a user who fears an old key, recovery key or backup leaked: a new
// random data key, the database, its migration copies and every file
// re-encrypted under it, a new recovery key; the passphrase stays.
//
// 1. The new key file (the new key under the same passphrase, and a new
//    recovery key) is written as `journal.key.new`.
// 2. The database is exported under the new key and renamed into place;
//    then each migration copy.
// 3. Each file is re-encrypted under its new keyed name (the old copy
//    stays until 4); then every file not under a new name is removed.
// 5. `journal.key.new` replaces `journal.key`.
//
// A crash anywhere leaves `journal.key.new`: the next unlock with the
// passphrase unwraps both keys and redoes what is left (each step checks
// what is already done), so nothing is lost and no step is half-applied.

const KEY_NEW: &str = "journal.key.new";
const REKEYING: &str = "journal.sqlite3.rekeying";

/// Test hook: `CASEBOOK_CRASH_AT=<step>` aborts the process right after
/// that step, as a power cut would (used by the resume tests).
fn crash_point(step: &str) {
    if std::env::var("CASEBOOK_CRASH_AT").is_ok_and(|s| s == step) {
        std::process::abort();
    }
}

/// Whether the database at `path` opens with `key`.
fn opens_with(path: &Path, key: &DataKey) -> bool {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .and_then(|c| {
            c.execute_batch(&key.pragma())?;
            crate::db::probe(&c)
        })
        .is_ok()
}

/// Re-encrypts the database file at `path` (not in use) from `old` to
/// `new`, through `tmp` and one rename.
fn rekey_database(path: &Path, tmp: &Path, old: &DataKey, new: &DataKey) -> Result<()> {
    {
        let conn = out_of_wal(path, Some(old))?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        crate::db::export_encrypted(&conn, tmp, new, version)?;
    }
    fs::rename(tmp, path)?;
    sync_dir(path.parent().unwrap_or(Path::new(".")))
}

/// Steps 2 to 5 (each skipped when already done).
fn rekey(dir: &Path, old: &DataKey, new: &DataKey) -> Result<()> {
    let db = dir.join(JOURNAL_FILE);
    if opens_with(&db, old) {
        rekey_database(&db, &dir.join(REKEYING), old, new)?;
    } else if !opens_with(&db, new) {
        return Err(Error::WrongPassphrase);
    }
    crash_point("database");
    for e in fs::read_dir(dir)?.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if n.starts_with("journal.sqlite3.v") && n.ends_with(".bak") && opens_with(&e.path(), old) {
            rekey_database(&e.path(), &dir.join(REKEYING), old, new)?;
        }
    }
    // 3. Files, by the attachments the (re-keyed) database lists.
    let shas: Vec<(String, u64)> = {
        let conn = Connection::open_with_flags(&db, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        conn.execute_batch(&new.pragma())?;
        let mut stmt = conn.prepare("SELECT DISTINCT sha256, size FROM attachments")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?
            .collect::<rusqlite::Result<_>>()?
    };
    let old_store = crate::evidence::Store::beside(&db, Some(old));
    let mut new_store = crate::evidence::Store::beside(&db, Some(new));
    new_store.max_bytes = u64::MAX;
    let mut keep = std::collections::HashSet::new();
    for (sha, size) in &shas {
        let dest = new_store.path_of(sha);
        if let Some(name) = dest.file_name() {
            keep.insert(name.to_os_string());
        }
        if new_store.check(sha, *size).is_none() {
            continue;
        }
        // A missing or damaged old copy stays missing (`verify` says so).
        let Ok(mut r) = old_store.open(sha) else {
            continue;
        };
        new_store.put(sha, &mut r)?;
    }
    crash_point("files");
    // 4. Every file not under a new name is an old key's.
    let enc = dir.join("evidence").join("enc");
    if let Ok(prefixes) = fs::read_dir(&enc) {
        for prefix in prefixes.flatten().filter(|p| p.path().is_dir()) {
            for f in fs::read_dir(prefix.path())?.flatten() {
                if !keep.contains(&f.file_name()) {
                    fs::remove_file(f.path())?;
                }
            }
            sync_dir(&prefix.path())?;
        }
    }
    crash_point("cleanup");
    // 5. The new key file takes over.
    fs::rename(dir.join(KEY_NEW), KeyFile::path_in(dir))?;
    sync_dir(dir)
}

/// Changes the data key of the protected journal in `dir` (no connection
/// to it may be open). Returns the new key and the new recovery key; the
/// old recovery key, the old key and backups made before stop opening it.
pub fn change_data_key(dir: &Path, passphrase: &str) -> Result<Protected> {
    let old = vault::unwrap_with_passphrase(dir, passphrase)?;
    let kf = KeyFile::load(dir)?.ok_or(Error::Locked)?;
    let new = DataKey::generate();
    let (next, recovery) = KeyFile::create(passphrase, &new, kf.idle_lock_minutes)?;
    // Fails while the journal is in use, before anything is written.
    drop(Journal::unlock_dir(dir, &old)?);
    drop(out_of_wal(&dir.join(JOURNAL_FILE), Some(&old))?);
    next.save_as(&dir.join(KEY_NEW))?;
    crash_point("key");
    rekey(dir, &old, &new)?;
    Ok(Protected { key: new, recovery })
}

/// At unlock with the passphrase: finishes a change of the data key that
/// was interrupted. Returns the new key when there was one.
pub(crate) fn resume_key_change(
    dir: &Path,
    passphrase: &str,
    current: &DataKey,
) -> Result<Option<DataKey>> {
    let path = dir.join(KEY_NEW);
    let next: KeyFile = match fs::read(&path) {
        Ok(bytes) => match serde_json::from_slice(&bytes) {
            Ok(k) => k,
            // Cut off before it was complete: nothing else had changed.
            Err(_) => {
                fs::remove_file(&path)?;
                return Ok(None);
            }
        },
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let new = next.unwrap_key(passphrase, &path)?;
    rekey(dir, current, &new)?;
    Ok(Some(new))
}

// ---------------------------------------------------------------------------
// Unlocking and the passphrase: the key file (vault) and the journal (db,
// evidence) together.

/// Unlocks the journal in `dir` with its passphrase: its data key, after a
/// change of the data key that a crash interrupted is finished.
pub fn unlock(dir: &Path, passphrase: &str) -> Result<DataKey> {
    let key = vault::unwrap_with_passphrase(dir, passphrase)?;
    if let Some(new) = resume_key_change(dir, passphrase, &key)? {
        return Ok(new);
    }
    Ok(key)
}

impl Journal {
    /// Opens the protected journal in `data_dir` with its data key (finishing
    /// a protection that was interrupted, if any, and bringing files stored
    /// in an older encrypted format up to date).
    pub fn unlock_dir(data_dir: &Path, key: &DataKey) -> Result<Journal> {
        finish_interrupted(data_dir, key)?;
        let j = Journal::open_dir_with(data_dir, Some(key))?;
        if !j.is_read_only() {
            j.evidence.upgrade_encrypted()?;
        }
        Ok(j)
    }
}

/// Sets a new passphrase: only the passphrase's wrap of the data key
/// changes (the recovery key stays).
pub fn change_passphrase(dir: &Path, old: &str, new: &str) -> Result<()> {
    vault::check_passphrase(new)?;
    let key = unlock(dir, old)?;
    let mut kf = vault::key_file_of(dir)?;
    kf.rewrap_passphrase(new, &key)?;
    kf.save(dir)
}

/// Sets a new passphrase with the recovery key (the passphrase was forgotten).
pub fn reset_passphrase(dir: &Path, recovery: &str, new: &str) -> Result<DataKey> {
    let mut kf = vault::key_file_of(dir)?;
    vault::check_recovery_text(recovery)?;
    vault::check_passphrase(new)?;
    let key = kf.unwrap_recovery(recovery, &KeyFile::path_in(dir))?;
    // The recovery key must open this journal, not another one.
    Journal::unlock_dir(dir, &key).map_err(|e| match e {
        Error::WrongPassphrase => vault::wrong_recovery_key(),
        e => e,
    })?;
    kf.rewrap_passphrase(new, &key)?;
    kf.save(dir)?;
    Ok(key)
}
