//! Opening the journal: pragmas, migrations, and the write-transaction helper.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use rusqlite_migration::{M, Migrations};

use crate::error::{Error, Problem, Result};
use crate::vault::DataKey;

/// The file name of the journal inside the data directory.
pub const JOURNAL_FILE: &str = "journal.sqlite3";

/// Environment variable that overrides the default data directory.
pub const DATA_DIR_ENV: &str = "CASEBOOK_DATA_DIR";

/// The schema migrations, in order. Never edit a released one.
pub fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("../migrations/0001_journal.sql")),
        M::up(include_str!("../migrations/0002_evidence.sql")),
        M::up(include_str!("../migrations/0003_escalation.sql")),
        M::up(include_str!("../migrations/0004_channels.sql")),
        M::up(include_str!("../migrations/0005_settings_opened.sql")),
        M::up(include_str!("../migrations/0006_ocr.sql")),
        M::up(include_str!("../migrations/0007_reminders.sql")),
    ])
}

/// The journal's schema version; a journal from a newer Casebook is refused.
fn schema_of(conn: &Connection, path: &Path) -> Result<i64> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > schema_version() {
        return Err(Error::JournalTooNew {
            path: path.to_path_buf(),
            found,
            supported: schema_version(),
        });
    }
    Ok(found)
}

/// Whether new files can be made beside the journal (its -wal and -shm
/// files, the evidence store): a probe file is created and removed.
fn dir_writable(path: &Path) -> bool {
    let dir = path.parent().unwrap_or(Path::new("."));
    tempfile::Builder::new()
        .prefix(".casebook-probe-")
        .tempfile_in(dir)
        .is_ok()
}

/// `path` for an SQLite `file:` URI (`%`, `?` and `#` escaped).
fn uri_path(path: &Path) -> String {
    path.to_string_lossy()
        .replace('%', "%25")
        .replace('?', "%3f")
        .replace('#', "%23")
}

/// The schema version this build writes.
pub fn schema_version() -> i64 {
    7
}

/// Where the journal lives: `--data-dir` beats `CASEBOOK_DATA_DIR`, which
/// beats the platform's data directory.
pub fn resolve_data_dir(explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(dir) = explicit {
        return Ok(dir.to_path_buf());
    }
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("app", "Casebook", "casebook")
        .map(|p| p.data_dir().to_path_buf())
        .ok_or_else(|| {
            Error::DataDir(Problem::NoHomeDir {
                env: DATA_DIR_ENV.into(),
            })
        })
}

/// Where the journal is and which versions wrote it.
#[derive(Clone, Debug, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct JournalInfo {
    pub path: String,
    pub schema_version: i64,
    pub sqlite_version: String,
    pub casebook_version: String,
    /// Opened for reading only (read-only folder or file): writes will fail.
    pub read_only: bool,
}

/// The SQLite journal and the connection to it.
pub struct Journal {
    pub(crate) conn: Connection,
    path: PathBuf,
    pub(crate) evidence: crate::evidence::store::Store,
    /// The data key of a protected journal (`None`: not protected).
    pub(crate) key: Option<DataKey>,
}

/// `BETWEEN ?lo AND ?hi` bounds on a case id that select one case, or every
/// case. SQLite uses the `case_id` indexes for this, where it scans the
/// whole table for `(?1 IS NULL OR case_id = ?1)`.
pub(crate) fn case_bounds(case_id: Option<i64>) -> (i64, i64) {
    case_id.map_or((i64::MIN, i64::MAX), |id| (id, id))
}

/// Whether SQLite says the file is not a database (wrong or missing key).
fn is_not_a_database(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase)
}

/// Reads the schema: fails on a wrong key or a damaged file.
pub(crate) fn probe(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
}

impl Journal {
    /// Opens (creating if needed) `journal.sqlite3` in `data_dir`. A
    /// journal protected by a passphrase is refused with [`Error::Locked`].
    pub fn open_dir(data_dir: &Path) -> Result<Journal> {
        Journal::open_dir_with(data_dir, None)
    }

    /// Opens the journal in `data_dir`, with its data key if it is protected.
    pub fn open_dir_with(data_dir: &Path, key: Option<&DataKey>) -> Result<Journal> {
        crate::private::create_dir(data_dir).map_err(|e| {
            Error::DataDir(Problem::DataDirUncreatable {
                dir: data_dir.display().to_string(),
                detail: e.to_string(),
            })
        })?;
        Journal::open_with(&data_dir.join(JOURNAL_FILE), key)
    }

    /// Opens (creating if needed) the unprotected journal file at `path`
    /// and brings its schema up to date. A journal from a newer Casebook is
    /// refused untouched.
    pub fn open(path: &Path) -> Result<Journal> {
        Journal::open_with(path, None)
    }

    /// Opens the journal file at `path`, with `key` if it is protected.
    pub fn open_with(path: &Path, key: Option<&DataKey>) -> Result<Journal> {
        let dir = path.parent().unwrap_or(Path::new("."));
        let protected = crate::vault::KeyFile::path_in(dir).exists();
        if protected && key.is_none() {
            return Err(Error::Locked);
        }
        let key = if protected { key } else { None };
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let mut conn = Connection::open_with_flags(path, flags)?;
        if let Some(k) = key {
            conn.execute_batch(&k.pragma())?;
        }
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let readable = probe(&conn);
        if let Err(e) = &readable
            && key.is_some()
            && is_not_a_database(e)
        {
            return Err(Error::WrongPassphrase);
        }
        // A journal the user cannot write (a read-only folder or file, a
        // mounted backup) is opened for reading: writes then fail with a
        // sentence, and everything can still be read and exported.
        if path.exists()
            && (conn.is_readonly(rusqlite::MAIN_DB)? || readable.is_err() || !dir_writable(path))
        {
            drop(conn);
            return Journal::open_read_only(path, key);
        }
        // Only the user may read the journal; SQLite gives its -wal and
        // -shm files the database file's permissions.
        for suffix in ["", "-wal", "-shm"] {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            crate::private::restrict_if_present(Path::new(&p));
        }
        let found = schema_of(&conn, path)?;
        conn.execute_batch(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             PRAGMA foreign_keys = ON;
             PRAGMA temp_store = MEMORY;",
        )?;
        if key.is_some() {
            // Every page read from disk is decrypted and its HMAC checked,
            // where a plain journal is read from the system's file cache. A
            // page cache (grown only as used) that holds a large journal
            // whole keeps searching and opening cases as fast as plain, and
            // a bulk import from re-decrypting the same index pages (2 MiB
            // is the default; at 64 MiB a 60 MB journal opened a case 1.3×
            // slower than plain).
            conn.execute_batch("PRAGMA cache_size = -131072;")?;
        }
        if found > 0 && found < schema_version() {
            backup_before_migration(&conn, path, found, key)?;
        }
        migrations()
            .to_latest(&mut conn)
            .map_err(|e| Error::Migration(e.to_string()))?;
        let evidence = crate::evidence::store::Store::beside(path, key);
        evidence.clean_leftovers();
        Ok(Journal {
            conn,
            path: path.to_path_buf(),
            evidence,
            key: key.cloned(),
        })
    }

    /// Opens a journal that cannot be written, for reading only. The WAL
    /// files are used if they are there; if they are not and cannot be made,
    /// the file is read as it is (`immutable`: nobody can change it anyway).
    fn open_read_only(path: &Path, key: Option<&DataKey>) -> Result<Journal> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let file = uri_path(path);
        let open = |uri: &str| -> Result<Connection> {
            let conn = Connection::open_with_flags(uri, flags)?;
            if let Some(k) = key {
                conn.execute_batch(&k.pragma())?;
            }
            probe(&conn)?;
            Ok(conn)
        };
        let conn = open(&format!("file:{file}?mode=ro"))
            .or_else(|_| open(&format!("file:{file}?mode=ro&immutable=1")))?;
        let found = schema_of(&conn, path)?;
        if found < schema_version() {
            return Err(Error::DataDir(Problem::JournalReadOnlyOld {
                path: path.display().to_string(),
            }));
        }
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;")?;
        Ok(Journal {
            conn,
            path: path.to_path_buf(),
            evidence: crate::evidence::store::Store::beside(path, key),
            key: key.cloned(),
        })
    }

    /// Whether a passphrase protects this journal.
    pub fn is_protected(&self) -> bool {
        self.key.is_some()
    }

    /// Whether this journal was opened for reading only.
    pub fn is_read_only(&self) -> bool {
        self.conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The folder holding the journal, its key file and its evidence.
    pub(crate) fn data_dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    pub fn info(&self) -> JournalInfo {
        JournalInfo {
            path: self.path.display().to_string(),
            schema_version: schema_version(),
            sqlite_version: rusqlite::version().to_string(),
            casebook_version: env!("CARGO_PKG_VERSION").to_string(),
            read_only: self.is_read_only(),
        }
    }

    /// Runs `f` in an IMMEDIATE write transaction: either all of it is saved
    /// (durably, `synchronous=FULL`) or none of it is.
    pub(crate) fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Moves the write-ahead log into the journal file (after a bulk load).
    pub fn checkpoint(&self) -> Result<()> {
        self.read()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        Ok(())
    }

    /// Read access for queries.
    pub(crate) fn read(&self) -> &Connection {
        &self.conn
    }

    /// This connection's `synchronous` and `foreign_keys` settings (2 = FULL, 1 = ON).
    pub fn pragmas(&self) -> Result<(i64, i64)> {
        let sync = self
            .conn
            .query_row("PRAGMA synchronous", [], |r| r.get(0))?;
        let fk = self
            .conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
        Ok((sync, fk))
    }

    /// The bundled SQLite's version, for diagnostics.
    pub fn sqlite_version() -> &'static str {
        rusqlite::version()
    }
}

/// Copies the journal aside (`journal.sqlite3.v1.bak`) before a migration;
/// the copy of a protected journal is encrypted with the same key.
fn backup_before_migration(
    conn: &Connection,
    path: &Path,
    from: i64,
    key: Option<&DataKey>,
) -> Result<()> {
    let backup = path.with_extension(format!("sqlite3.v{from}.bak"));
    if backup.exists() {
        return Ok(());
    }
    match key {
        None => {
            // An empty file made 0600 first: SQLite fills it.
            crate::private::create_new_file(&backup)?;
            conn.execute("VACUUM INTO ?1", [backup.to_string_lossy()])?;
        }
        Some(k) => export_encrypted(conn, &backup, k, from)?,
    }
    Ok(())
}

/// Writes an encrypted copy of `conn`'s main database to `dest`.
pub(crate) fn export_encrypted(
    conn: &Connection,
    dest: &Path,
    key: &DataKey,
    user_version: i64,
) -> Result<()> {
    let _ = std::fs::remove_file(dest);
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
    std::fs::File::open(dest)?.sync_all()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        migrations().validate().unwrap();
        assert_eq!(schema_version(), 7);
    }

    /// The queries behind opening a case, the due list and every search hit
    /// read that case's rows (or the few scam reports) through an index,
    /// never every contact of the journal.
    #[test]
    fn per_case_queries_use_the_indexes() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::open_dir(dir.path()).unwrap();
        for sql in [
            crate::channels::REPORTED_POINTS,
            crate::channels::CONTACT_POINTS,
            crate::scan::TEXTS_TO_CHECK,
        ] {
            let n = sql.matches('?').count().min(2);
            let (lo, hi) = case_bounds(Some(7));
            let params: &[&dyn rusqlite::ToSql] = if n == 0 { &[] } else { &[&lo, &hi] };
            let mut stmt = j
                .read()
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap();
            let plan: Vec<String> = stmt
                .query_map(params, |r| r.get::<_, String>(3))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            for step in &plan {
                for table in ["contacts", "k", "notes"] {
                    assert_ne!(step, &format!("SCAN {table}"), "{sql}\n{plan:?}");
                    assert!(
                        !step.starts_with(&format!("SCAN {table} ")),
                        "{sql}\n{plan:?}"
                    );
                }
            }
        }
    }
}
