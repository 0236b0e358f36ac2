//! The whole journal in one archive, and back.
//!
//! A backup is a tar file: `casebook-backup.json` (what is inside, with
//! sizes and SHA-256), then `journal.sqlite3` — a consistent snapshot taken
//! with SQLite's online backup API, so the app may keep running — then every
//! stored evidence file under its content address. Everything is streamed:
//! memory stays flat however large the attachments are.
//!
//! Restore reads the archive into a staging folder beside the target,
//! checks every hash, the SQLite integrity and the schema version, and only
//! then moves it into place. A corrupt or truncated archive is refused and
//! touches nothing; a non-empty data directory is only replaced with `force`,
//! and even then it is moved aside, never deleted.

use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::db::{JOURNAL_FILE, Journal, schema_version};
use crate::error::{Error, Result};
use crate::time::At;

pub const MANIFEST_NAME: &str = "casebook-backup.json";
const FORMAT: &str = "casebook.backup";

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BackupFile {
    pub sha256: String,
    pub size: u64,
    /// Where the file goes in the data directory, for a protected journal's
    /// encrypted files (their hashes are of the encrypted bytes, so the
    /// archive does not reveal the evidence's own hashes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BackupManifest {
    pub format: String,
    pub version: u32,
    pub created_at: At,
    pub casebook_version: String,
    pub schema_version: i64,
    pub journal: BackupFile,
    pub files: Vec<BackupFile>,
    /// The journal is protected: the database and files are encrypted, and
    /// `journal.key` (the wrapped data key) is in the archive.
    #[serde(default)]
    pub encrypted: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<BackupFile>,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct BackupReport {
    pub path: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
    pub files: usize,
    pub schema_version: i64,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct RestoreReport {
    pub data_dir: String,
    pub files: usize,
    pub cases: i64,
    /// Where the previous contents of the data directory were moved (with
    /// `force`), if there were any.
    pub moved_aside: Option<String>,
}

fn corrupt(why: impl std::fmt::Display) -> Error {
    Error::invalid(
        "backup",
        format!("This backup cannot be restored: {why}. Nothing was changed."),
    )
}

/// Hashes what passes through.
struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    bytes: u64,
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
}

fn hash_file(path: &Path) -> Result<BackupFile> {
    let mut r = HashingReader {
        inner: BufReader::new(File::open(path)?),
        hasher: Sha256::new(),
        bytes: 0,
    };
    io::copy(&mut r, &mut io::sink())?;
    Ok(BackupFile {
        sha256: hex::encode(r.hasher.finalize()),
        size: r.bytes,
        path: None,
    })
}

fn store_path(sha: &str) -> String {
    format!("evidence/sha256/{}/{}", &sha[..2], sha)
}

fn append(
    tar: &mut tar::Builder<impl Write>,
    name: &str,
    size: u64,
    data: impl Read,
) -> Result<()> {
    let mut header = tar::Header::new_gnu();
    header.set_size(size);
    header.set_mode(0o600);
    header.set_mtime(0);
    header.set_entry_type(tar::EntryType::Regular);
    tar.append_data(&mut header, name, data)?;
    Ok(())
}

impl Journal {
    /// Writes a backup of the whole journal and its files to `out`.
    pub fn backup(&self, out: &Path) -> Result<BackupReport> {
        let dir = out
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let staging = tempfile::Builder::new()
            .prefix(".casebook-backup-")
            .tempdir_in(dir)
            .map_err(|e| {
                Error::Io(io::Error::new(
                    e.kind(),
                    format!("Could not write in {}: {e}", dir.display()),
                ))
            })?;
        // 1. A consistent snapshot of the database.
        let snap = staging.path().join(JOURNAL_FILE);
        {
            let mut dst = Connection::open(&snap)?;
            if let Some(k) = &self.key {
                dst.execute_batch(&k.pragma())?;
            }
            rusqlite::backup::Backup::new(self.read(), &mut dst)?.run_to_completion(
                256,
                std::time::Duration::ZERO,
                None,
            )?;
        }
        let snap_conn = Connection::open_with_flags(&snap, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        if let Some(k) = &self.key {
            snap_conn.execute_batch(&k.pragma())?;
        }
        // A standalone file: no WAL beside it.
        snap_conn.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
        let version: i64 = snap_conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let mut stmt =
            snap_conn.prepare("SELECT DISTINCT sha256, size FROM attachments ORDER BY sha256")?;
        let files = stmt
            .query_map([], |r| {
                Ok(BackupFile {
                    sha256: r.get(0)?,
                    size: r.get::<_, i64>(1)? as u64,
                    path: None,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        drop(stmt);
        drop(snap_conn);
        // A protected journal's files go in as stored (encrypted), each
        // checked against its plaintext hash first; plain files are hashed
        // while they are written into the archive.
        let mut sources = Vec::with_capacity(files.len());
        for f in &files {
            let path = self.evidence.path_of(&f.sha256);
            let entry = if self.key.is_some() {
                if let Some(problem) = self.evidence.check(&f.sha256, f.size) {
                    return Err(Error::Conflict(format!(
                        "The stored evidence file {} is {problem}; run `casebook verify`. No backup was written.",
                        f.sha256
                    )));
                }
                let mut entry = hash_file(&path)?;
                let rel = path.strip_prefix(self.data_dir()).map_err(|_| {
                    Error::Conflict("The evidence store is outside the data directory.".into())
                })?;
                entry.path = Some(rel.to_string_lossy().replace('\\', "/"));
                entry
            } else {
                f.clone()
            };
            sources.push((path, entry));
        }
        let key_file = match &self.key {
            Some(_) => {
                let p = crate::vault::KeyFile::path_in(self.data_dir());
                Some((hash_file(&p)?, p))
            }
            None => None,
        };
        let manifest = BackupManifest {
            format: FORMAT.into(),
            version: 1,
            created_at: At::now(),
            casebook_version: env!("CARGO_PKG_VERSION").into(),
            schema_version: version,
            journal: hash_file(&snap)?,
            files: sources.iter().map(|(_, f)| f.clone()).collect(),
            encrypted: self.key.is_some(),
            key: key_file.as_ref().map(|(f, _)| f.clone()),
        };
        // 2. The archive, written beside its destination, then renamed.
        let tmp = staging.path().join("backup.tar");
        {
            let mut tar = tar::Builder::new(BufWriter::new(File::create(&tmp)?));
            let json =
                serde_json::to_vec_pretty(&manifest).map_err(|e| Error::Conflict(e.to_string()))?;
            append(&mut tar, MANIFEST_NAME, json.len() as u64, json.as_slice())?;
            append(
                &mut tar,
                JOURNAL_FILE,
                manifest.journal.size,
                File::open(&snap)?,
            )?;
            if let Some((f, p)) = &key_file {
                append(&mut tar, crate::vault::KEY_FILE, f.size, File::open(p)?)?;
            }
            for (path, f) in &sources {
                let file = File::open(path).map_err(|e| {
                    Error::Conflict(format!(
                        "The evidence file {} is missing from the store ({e}); run `casebook verify`. No backup was written.",
                        f.sha256
                    ))
                })?;
                let mut r = HashingReader {
                    inner: BufReader::new(file),
                    hasher: Sha256::new(),
                    bytes: 0,
                };
                let name = f.path.clone().unwrap_or_else(|| store_path(&f.sha256));
                append(&mut tar, &name, f.size, &mut r)?;
                if r.bytes != f.size || hex::encode(r.hasher.finalize()) != f.sha256 {
                    return Err(Error::Conflict(format!(
                        "The stored evidence file {} changed while it was being backed up; run `casebook verify`. No backup was written.",
                        f.sha256
                    )));
                }
            }
            let w = tar.into_inner()?;
            let file = w.into_inner().map_err(|e| Error::Io(e.into_error()))?;
            file.sync_all()?;
        }
        fs::rename(&tmp, out)?;
        let bytes = fs::metadata(out)?.len();
        Ok(BackupReport {
            path: out.display().to_string(),
            bytes,
            files: manifest.files.len(),
            schema_version: version,
        })
    }
}

fn is_empty_dir(dir: &Path) -> Result<bool> {
    match fs::read_dir(dir) {
        Ok(mut it) => Ok(it.next().is_none()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(e.into()),
    }
}

/// Restores the backup `archive` into `data_dir`. A protected journal's
/// backup needs its passphrase (the one it had when it was backed up), so
/// that its database can be checked before it replaces anything.
pub fn restore(
    archive: &Path,
    data_dir: &Path,
    force: bool,
    passphrase: Option<&str>,
) -> Result<RestoreReport> {
    if !is_empty_dir(data_dir)? && !force {
        return Err(Error::Conflict(format!(
            "{} is not empty. Restore into an empty folder, or add --force to move what is there aside (to a folder named …before-restore-…) and restore in its place.",
            data_dir.display()
        )));
    }
    let parent = data_dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent)?;
    let staging = tempfile::Builder::new()
        .prefix(".casebook-restore-")
        .tempdir_in(parent)?;
    let file = File::open(archive).map_err(|e| {
        Error::Io(io::Error::new(
            e.kind(),
            format!("Could not open {}: {e}", archive.display()),
        ))
    })?;
    let mut tar = tar::Archive::new(BufReader::new(file));
    let mut manifest: Option<BackupManifest> = None;
    let mut journal_ok = false;
    let mut key_ok = false;
    let mut restored = 0usize;
    let entries = tar.entries().map_err(corrupt)?;
    for entry in entries {
        let mut entry =
            entry.map_err(|e| corrupt(format!("the archive is damaged or cut short ({e})")))?;
        if entry.header().entry_type() != tar::EntryType::Regular {
            return Err(corrupt("it holds something other than plain files"));
        }
        let name = entry
            .path()
            .map_err(corrupt)?
            .to_str()
            .ok_or_else(|| corrupt("a name in it is not text"))?
            .to_string();
        if name == MANIFEST_NAME {
            if manifest.is_some() {
                return Err(corrupt("it lists its contents twice"));
            }
            let mut buf = Vec::new();
            entry
                .by_ref()
                .take(16 << 20)
                .read_to_end(&mut buf)
                .map_err(corrupt)?;
            let m: BackupManifest = serde_json::from_slice(&buf)
                .map_err(|e| corrupt(format!("its list of contents is unreadable ({e})")))?;
            if m.format != FORMAT {
                return Err(corrupt("it is not a Casebook backup"));
            }
            if m.schema_version > schema_version() {
                return Err(Error::JournalTooNew {
                    path: archive.to_path_buf(),
                    found: m.schema_version,
                    supported: schema_version(),
                });
            }
            manifest = Some(m);
            continue;
        }
        let Some(m) = manifest.as_ref() else {
            return Err(corrupt(
                "it does not start with its list of contents (is it a Casebook backup?)",
            ));
        };
        let expected = if name == JOURNAL_FILE {
            &m.journal
        } else if name == crate::vault::KEY_FILE && m.encrypted {
            m.key
                .as_ref()
                .ok_or_else(|| corrupt("it holds a key file it does not list"))?
        } else if m.encrypted {
            m.files
                .iter()
                .find(|f| f.path.as_deref() == Some(name.as_str()))
                .filter(|_| {
                    let parts: Vec<&str> = name.split('/').collect();
                    parts.len() == 4
                        && parts[0] == "evidence"
                        && parts[1] == "enc"
                        && parts[2].len() == 2
                        && parts[3].len() == 64
                        && parts[3].starts_with(parts[2])
                        && parts[3].bytes().all(|b| b.is_ascii_hexdigit())
                })
                .ok_or_else(|| corrupt(format!("it holds an unexpected file '{name}'")))?
        } else {
            let sha = name
                .strip_prefix("evidence/sha256/")
                .and_then(|rest| rest.split_once('/'))
                .filter(|(prefix, sha)| {
                    sha.len() == 64 && sha.starts_with(prefix) && prefix.len() == 2
                })
                .map(|(_, sha)| sha)
                .ok_or_else(|| corrupt(format!("it holds an unexpected file '{name}'")))?;
            m.files
                .iter()
                .find(|f| f.sha256 == sha)
                .ok_or_else(|| corrupt(format!("it holds a file not in its list ({sha})")))?
        };
        let dest = staging.path().join(&name);
        if let Some(p) = dest.parent() {
            fs::create_dir_all(p)?;
        }
        let mut r = HashingReader {
            inner: &mut entry,
            hasher: Sha256::new(),
            bytes: 0,
        };
        let mut w = BufWriter::new(File::create(&dest)?);
        io::copy(&mut r, &mut w).map_err(|e| corrupt(format!("the archive is cut short ({e})")))?;
        w.into_inner()
            .map_err(|e| Error::Io(e.into_error()))?
            .sync_all()?;
        if r.bytes != expected.size || hex::encode(r.hasher.finalize()) != expected.sha256 {
            return Err(corrupt(format!(
                "'{name}' does not match its checksum (the archive is damaged)"
            )));
        }
        if name == JOURNAL_FILE {
            journal_ok = true;
        } else if name == crate::vault::KEY_FILE {
            key_ok = true;
        } else {
            restored += 1;
        }
    }
    let Some(m) = manifest else {
        return Err(corrupt("it is empty or not a Casebook backup"));
    };
    if !journal_ok {
        return Err(corrupt(
            "the journal is missing from it (the archive is cut short)",
        ));
    }
    if restored != m.files.len() {
        return Err(corrupt(format!(
            "{} of its {} evidence files are missing (the archive is cut short)",
            m.files.len() - restored,
            m.files.len()
        )));
    }
    if m.encrypted && !key_ok {
        return Err(corrupt(
            "its key file is missing (the archive is cut short)",
        ));
    }
    let key = if m.encrypted {
        let kf = crate::vault::KeyFile::load(staging.path())?
            .ok_or_else(|| corrupt("its key file is missing"))?;
        let Some(passphrase) = passphrase else {
            return Err(Error::Locked);
        };
        Some(kf.unwrap_key(passphrase, &staging.path().join(crate::vault::KEY_FILE))?)
    } else {
        None
    };
    let db = staging.path().join(JOURNAL_FILE);
    let cases: i64 = {
        let conn = Connection::open_with_flags(&db, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        if let Some(k) = &key {
            conn.execute_batch(&k.pragma())?;
        }
        let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if check != "ok" {
            return Err(corrupt(format!(
                "its journal fails SQLite's integrity check ({check})"
            )));
        }
        conn.query_row("SELECT count(*) FROM cases", [], |r| r.get(0))?
    };
    // Move into place.
    let mut moved_aside = None;
    if data_dir.exists() {
        if is_empty_dir(data_dir)? {
            fs::remove_dir(data_dir)?;
        } else {
            let name = data_dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "casebook".into());
            let aside: PathBuf = parent.join(format!(
                "{name}.before-restore-{}",
                chrono::Utc::now().format("%Y%m%d-%H%M%S")
            ));
            fs::rename(data_dir, &aside)?;
            moved_aside = Some(aside.display().to_string());
        }
    }
    let kept = staging.keep();
    if let Err(e) = fs::rename(&kept, data_dir) {
        let _ = fs::remove_dir_all(&kept);
        return Err(e.into());
    }
    // Opening it brings an older schema up to date.
    Journal::open_dir_with(data_dir, key.as_ref())?;
    Ok(RestoreReport {
        data_dir: data_dir.display().to_string(),
        files: restored,
        cases,
        moved_aside,
    })
}
