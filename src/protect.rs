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
use crate::error::{Error, Result};
use crate::evidence::sync_dir;
use crate::vault::{DECLINED_FILE, DEFAULT_IDLE_MINUTES, DataKey, KeyFile};

const ENCRYPTING: &str = "journal.sqlite3.encrypting";

/// Writes an encrypted copy of `conn`'s main database to `dest`.
pub(crate) fn export_encrypted(
    conn: &Connection,
    dest: &Path,
    key: &DataKey,
    user_version: i64,
) -> Result<()> {
    let _ = fs::remove_file(dest);
    // An empty file made 0600 first: SQLCipher fills it.
    crate::private::create_new_file(dest)?;
    conn.execute(
        &format!("ATTACH DATABASE ?1 AS enc KEY {}", &*key.sql_blob()),
        [dest.to_string_lossy()],
    )?;
    let out = conn
        .query_row("SELECT sqlcipher_export('enc')", [], |_| Ok(()))
        .and_then(|_| conn.execute_batch(&format!("PRAGMA enc.user_version = {user_version};")));
    conn.execute_batch("DETACH DATABASE enc")?;
    out?;
    fs::File::open(dest)?.sync_all()?;
    Ok(())
}

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
fn out_of_wal(path: &Path) -> Result<Connection> {
    let in_use = |why: String| {
        Error::Conflict(format!(
            "The journal is in use by another Casebook window or command{why}. Close it and try again; nothing was changed."
        ))
    };
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    let mode: String = conn
        .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
        .map_err(|e| in_use(format!(" ({e})")))?;
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
        let conn = out_of_wal(&path)?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        export_encrypted(&conn, &tmp, key, version)?;
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
        return Err(Error::Conflict(
            "This journal is already protected by a passphrase; change it in Settings (casebook passphrase change).".into(),
        ));
    }
    // Make sure the journal exists and is current before anything changes.
    drop(Journal::open_dir(dir)?);
    let key = DataKey::generate();
    let (kf, recovery) = KeyFile::create(passphrase, &key, DEFAULT_IDLE_MINUTES)?;
    let path = dir.join(JOURNAL_FILE);
    // Step 2 before the key file: a failure here changes nothing.
    drop(out_of_wal(&path)?);
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
