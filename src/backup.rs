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
use crate::error::{Error, Problem, Result};
use crate::evidence::store::is_hex64;
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

/// A refused archive: `flaw` is a term the faces put in words, `detail`
/// technical (an entry name, a count, a library's words).
fn corrupt(flaw: &str, detail: impl std::fmt::Display) -> Error {
    Error::invalid(Problem::backup(flaw, detail))
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
            .map_err(|e| crate::error::file_error("write", dir, &e))?;
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
                    return Err(Error::Conflict(Problem::BackupFileBad {
                        sha256: f.sha256.clone(),
                        state: problem.into(),
                    }));
                }
                let mut entry = hash_file(&path)?;
                let rel = path
                    .strip_prefix(self.data_dir())
                    .map_err(|_| Error::Conflict(Problem::EvidenceOutsideDataDir {}))?;
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
            let mut tar = tar::Builder::new(BufWriter::new(crate::private::create_file(&tmp)?));
            let json = serde_json::to_vec_pretty(&manifest)
                .map_err(|e| Error::internal("writing_backup", e))?;
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
                let file = File::open(path).map_err(|_| {
                    Error::Conflict(Problem::BackupFileBad {
                        sha256: f.sha256.clone(),
                        state: "missing".into(),
                    })
                })?;
                let mut r = HashingReader {
                    inner: BufReader::new(file),
                    hasher: Sha256::new(),
                    bytes: 0,
                };
                let name = f.path.clone().unwrap_or_else(|| store_path(&f.sha256));
                append(&mut tar, &name, f.size, &mut r)?;
                if r.bytes != f.size || hex::encode(r.hasher.finalize()) != f.sha256 {
                    return Err(Error::Conflict(Problem::BackupFileBad {
                        sha256: f.sha256.clone(),
                        state: "changed".into(),
                    }));
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

/// An archive entry Casebook's own backup writes, recognised by its exact
/// name. Nothing else is ever turned into a path: the file a restore writes
/// is named by [`EntryName::rel_path`], built from these checked parts.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum EntryName {
    Manifest,
    Journal,
    KeyFile,
    /// `evidence/sha256/<hex2>/<hex64>`: a plain evidence file.
    Plain(String),
    /// `evidence/enc/<hex2>/<hex64>`: an encrypted one, under its keyed name.
    Encrypted(String),
}

impl EntryName {
    /// The entry's name if it has exactly one of the shapes the writer
    /// produces; `None` for anything else (`..`, absolute names, repeated
    /// or trailing slashes, upper-case hex, other folders).
    fn parse(raw: &[u8]) -> Option<EntryName> {
        let name = std::str::from_utf8(raw).ok()?;
        match name {
            MANIFEST_NAME => return Some(EntryName::Manifest),
            JOURNAL_FILE => return Some(EntryName::Journal),
            crate::vault::KEY_FILE => return Some(EntryName::KeyFile),
            _ => {}
        }
        let mut parts = name.split('/');
        let (Some("evidence"), Some(kind), Some(prefix), Some(file), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return None;
        };
        if !is_hex64(file) || prefix.len() != 2 || !file.starts_with(prefix) {
            return None;
        }
        match kind {
            "sha256" => Some(EntryName::Plain(file.to_string())),
            "enc" => Some(EntryName::Encrypted(file.to_string())),
            _ => None,
        }
    }

    /// Where the entry goes inside the data directory, made of parts this
    /// module checked (each a plain component).
    fn rel_path(&self) -> PathBuf {
        let stored = |kind: &str, hex: &str| {
            ["evidence", kind, &hex[..2], hex]
                .iter()
                .collect::<PathBuf>()
        };
        let p = match self {
            EntryName::Manifest => PathBuf::from(MANIFEST_NAME),
            EntryName::Journal => PathBuf::from(JOURNAL_FILE),
            EntryName::KeyFile => PathBuf::from(crate::vault::KEY_FILE),
            EntryName::Plain(sha) => stored("sha256", sha),
            EntryName::Encrypted(name) => stored("enc", name),
        };
        debug_assert!(
            p.components()
                .all(|c| matches!(c, std::path::Component::Normal(_)))
        );
        p
    }
}

/// The files the manifest says the archive holds, by entry name, each with
/// its size and hash. A manifest that names a file in any other shape, or
/// names one twice, is refused.
fn expected_files(m: &BackupManifest) -> Result<std::collections::HashMap<EntryName, BackupFile>> {
    let mut out = std::collections::HashMap::new();
    out.insert(EntryName::Journal, m.journal.clone());
    if m.encrypted {
        let key = m
            .key
            .clone()
            .ok_or_else(|| corrupt("manifest_no_key_file", ""))?;
        out.insert(EntryName::KeyFile, key);
    }
    for f in &m.files {
        let name = if m.encrypted {
            f.path
                .as_deref()
                .and_then(|p| EntryName::parse(p.as_bytes()))
                .filter(|n| matches!(n, EntryName::Encrypted(_)))
        } else {
            Some(EntryName::Plain(f.sha256.clone())).filter(|_| is_hex64(&f.sha256))
        };
        let Some(name) = name else {
            return Err(corrupt("manifest_bad_name", ""));
        };
        if !is_hex64(&f.sha256) || out.insert(name, f.clone()).is_some() {
            return Err(corrupt("manifest_duplicate", ""));
        }
    }
    Ok(out)
}

/// Restores the backup `archive` into `data_dir`. A protected journal's
/// backup needs its passphrase (the one it had when it was backed up), so
/// that its database can be checked before it replaces anything.
///
/// Every entry is checked by name before anything is written: only the
/// exact names a Casebook backup holds are accepted, each at most once, and
/// each is written to a path this function builds (inside a fresh staging
/// folder, with `create_new`, so nothing there is followed or overwritten).
/// The journal is then opened and migrated in the staging folder; only a
/// journal that opens replaces anything.
pub fn restore(
    archive: &Path,
    data_dir: &Path,
    force: bool,
    passphrase: Option<&str>,
) -> Result<RestoreReport> {
    if !is_empty_dir(data_dir)? && !force {
        return Err(Error::Conflict(Problem::RestoreTargetNotEmpty {
            dir: data_dir.display().to_string(),
        }));
    }
    let parent = data_dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent)?;
    let file = File::open(archive).map_err(|e| crate::error::file_error("open", archive, &e))?;
    // It becomes the data folder: the user's alone from the start.
    let staging = crate::private::temp_dir_in(parent, ".casebook-restore-")?;
    let (m, restored) = unpack(file, archive, staging.path())?;
    let key = if m.encrypted {
        let kf = crate::vault::KeyFile::load(staging.path())
            .map_err(|_| corrupt("key_file_damaged", ""))?
            .ok_or_else(|| corrupt("key_file_missing", ""))?;
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
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|e| corrupt("journal_unreadable", e))?;
        if check != "ok" {
            return Err(corrupt("journal_integrity", check));
        }
        conn.query_row("SELECT count(*) FROM cases", [], |r| r.get(0))
            .map_err(|e| corrupt("journal_unreadable", e))?
    };
    // Open it where it is: the schema is brought up to date (with the
    // usual backup of the old file) and every stored file the journal
    // names must be in the archive. A journal that cannot be opened
    // replaces nothing.
    {
        let j = Journal::open_dir_with(staging.path(), key.as_ref())?;
        let missing = j.missing_evidence()?;
        if let Some(sha) = missing.first() {
            return Err(corrupt(
                "journal_names_missing_files",
                format!("{} ({sha})", missing.len()),
            ));
        }
    }
    // Move into place. From here on the data directory changes.
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
            moved_aside = Some(aside);
        }
    }
    let kept = staging.keep();
    if let Err(e) = fs::rename(&kept, data_dir) {
        let _ = fs::remove_dir_all(&kept);
        // Put the previous journal back where it was.
        if let Some(aside) = &moved_aside {
            let _ = fs::rename(aside, data_dir);
        }
        return Err(e.into());
    }
    let _ = crate::durable::sync_dir(parent);
    Ok(RestoreReport {
        data_dir: data_dir.display().to_string(),
        files: restored,
        cases,
        moved_aside: moved_aside.map(|p| p.display().to_string()),
    })
}

/// Reads the archive into `staging`: every entry checked by name, type,
/// size and hash; returns the manifest and the number of evidence files.
fn unpack(file: File, archive: &Path, staging: &Path) -> Result<(BackupManifest, usize)> {
    let mut tar = tar::Archive::new(BufReader::new(file));
    let mut manifest: Option<BackupManifest> = None;
    let mut expected = std::collections::HashMap::new();
    let mut seen = std::collections::HashSet::new();
    let entries = tar.entries().map_err(|e| corrupt("archive_damaged", e))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| corrupt("archive_damaged", e))?;
        if entry.header().entry_type() != tar::EntryType::Regular {
            return Err(corrupt("not_plain_files", ""));
        }
        let raw = entry.path_bytes();
        let Some(name) = EntryName::parse(&raw) else {
            return Err(corrupt(
                "unexpected_file",
                String::from_utf8_lossy(&raw).escape_debug(),
            ));
        };
        if !seen.insert(name.clone()) {
            return Err(corrupt("file_twice", ""));
        }
        if name == EntryName::Manifest {
            let mut buf = Vec::new();
            entry
                .by_ref()
                .take(16 << 20)
                .read_to_end(&mut buf)
                .map_err(|e| corrupt("archive_damaged", e))?;
            let m: BackupManifest =
                serde_json::from_slice(&buf).map_err(|e| corrupt("manifest_unreadable", e))?;
            if m.format != FORMAT {
                return Err(corrupt("not_a_backup", ""));
            }
            if m.schema_version > schema_version() {
                return Err(Error::JournalTooNew {
                    path: archive.to_path_buf(),
                    found: m.schema_version,
                    supported: schema_version(),
                });
            }
            expected = expected_files(&m)?;
            manifest = Some(m);
            continue;
        }
        if manifest.is_none() {
            return Err(corrupt("manifest_not_first", ""));
        }
        let Some(want) = expected.get(&name) else {
            return Err(corrupt(
                "file_not_listed",
                String::from_utf8_lossy(&raw).escape_debug(),
            ));
        };
        let rel = name.rel_path();
        let dest = staging.join(&rel);
        if let Some(p) = dest.parent() {
            fs::create_dir_all(p)?;
        }
        let mut r = HashingReader {
            inner: (&mut entry).take(want.size.saturating_add(1)),
            hasher: Sha256::new(),
            bytes: 0,
        };
        let out = crate::private::create_new_file(&dest)?;
        let mut w = BufWriter::new(out);
        io::copy(&mut r, &mut w).map_err(|e| corrupt("archive_cut_short", e))?;
        w.into_inner()
            .map_err(|e| Error::Io(e.into_error()))?
            .sync_all()?;
        if r.bytes != want.size || hex::encode(r.hasher.finalize()) != want.sha256 {
            return Err(corrupt("checksum_mismatch", rel.display()));
        }
    }
    let Some(m) = manifest else {
        return Err(corrupt("empty", ""));
    };
    if !seen.contains(&EntryName::Journal) {
        return Err(corrupt("journal_missing", ""));
    }
    if m.encrypted && !seen.contains(&EntryName::KeyFile) {
        return Err(corrupt("key_file_missing", ""));
    }
    let missing = expected.keys().filter(|n| !seen.contains(n)).count();
    if missing > 0 {
        return Err(corrupt(
            "evidence_missing",
            format!("{missing}/{}", m.files.len()),
        ));
    }
    let files = expected.len() - 1 - usize::from(m.encrypted);
    Ok((m, files))
}
