//! The content-addressed file store beside a journal: each evidence file
//! once, under its SHA-256 (or, in a protected journal, under a keyed name
//! and encrypted with the data key). It knows files, paths and keys, not
//! the journal: the attachments' rows live in `evidence` (the module above).

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::durable::{sync_dir, write_atomic};
use crate::error::{Error, Problem, Result};

/// Files larger than this are refused unless configured otherwise.
pub const DEFAULT_MAX_BYTES: u64 = 200 * 1024 * 1024;

/// Environment variable: the largest file accepted, in megabytes.
pub const MAX_MB_ENV: &str = "CASEBOOK_MAX_FILE_MB";

/// True for 64 lowercase hex digits: the only name a stored file has.
pub(crate) fn is_hex64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A file stored in the content-addressed store.
#[derive(Clone, Debug)]
pub(crate) struct Stored {
    pub sha256: String,
    pub size: u64,
    /// The first bytes, to tell the media type.
    pub head: Vec<u8>,
}

/// The content-addressed file store beside a journal.
#[derive(Clone, Debug)]
pub struct Store {
    root: PathBuf,
    pub(crate) max_bytes: u64,
    /// Set for a protected journal: files are stored encrypted, under keyed names.
    keys: Option<crate::vault::EvidenceKeys>,
}

pub(crate) fn io_err(op: &str, path: &Path, e: io::Error) -> Error {
    crate::error::file_error(op, path, &e)
}

impl Store {
    /// The store of the journal file at `journal_path`.
    pub(crate) fn beside(journal_path: &Path, key: Option<&crate::vault::DataKey>) -> Store {
        let dir = journal_path.parent().unwrap_or(Path::new("."));
        let max_bytes = std::env::var(MAX_MB_ENV)
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map_or(DEFAULT_MAX_BYTES, |mb| mb.saturating_mul(1024 * 1024));
        Store {
            root: dir.join("evidence"),
            max_bytes,
            keys: key.map(Into::into),
        }
    }

    fn tmp_dir(&self) -> PathBuf {
        self.root.join("tmp")
    }

    /// Where the file with this SHA-256 lives: `sha256/ab/<sha256>`, or for
    /// a protected journal `enc/cd/<keyed name>` (encrypted).
    ///
    /// The SHA-256 comes from the journal, which may come from a backup
    /// someone else made: anything but 64 lowercase hex characters names a
    /// file that cannot exist (`evidence/invalid`), never a path.
    pub fn path_of(&self, sha256: &str) -> PathBuf {
        if !is_hex64(sha256) {
            return self.root.join("invalid");
        }
        match &self.keys {
            None => plain_path(&self.root, sha256),
            Some(k) => {
                let name = k.name_of(sha256);
                self.root.join("enc").join(&name[..2]).join(name)
            }
        }
    }

    /// The stored file's content (decrypted for a protected journal, and
    /// checked to have been written under this name).
    pub(crate) fn open(&self, sha256: &str) -> io::Result<Box<dyn Read>> {
        let f = io::BufReader::new(File::open(self.path_of(sha256))?);
        Ok(match &self.keys {
            None => Box::new(f),
            Some(k) => Box::new(k.decrypt_from(f, &k.name_of(sha256))?),
        })
    }

    /// A temporary file in the store's temporary folder, named for this
    /// process (see `clean_leftovers`).
    fn temp_file(&self) -> Result<tempfile::NamedTempFile> {
        let tmp_dir = self.tmp_dir();
        fs::create_dir_all(&tmp_dir).map_err(|e| io_err("create", &tmp_dir, e))?;
        tempfile::Builder::new()
            .prefix(&format!("w{}-", std::process::id()))
            .tempfile_in(&tmp_dir)
            .map_err(|e| io_err("create", &tmp_dir, e))
    }

    /// Encrypts what `plain` yields into a new temporary file, under
    /// `identity`. A read error that is the source's own (`InvalidData`:
    /// a damaged or altered encrypted source) is returned as it is, so a
    /// caller can tell it from a failed write.
    fn encrypt_into_temp(
        &self,
        keys: &crate::vault::EvidenceKeys,
        plain: &mut dyn Read,
        identity: &str,
    ) -> Result<std::result::Result<tempfile::NamedTempFile, io::Error>> {
        let out = self.temp_file()?;
        let path = out.path().to_path_buf();
        let mut w = keys
            .encrypt_to(io::BufWriter::new(out.as_file()), identity)
            .map_err(|e| io_err("write", &path, e))?;
        match io::copy(plain, &mut w) {
            Err(e) if e.kind() == io::ErrorKind::InvalidData => return Ok(Err(e)),
            r => r.map_err(|e| io_err("write", &path, e))?,
        };
        w.finish()
            .and_then(|mut w| w.flush())
            .map_err(|e| io_err("write", &path, e))?;
        Ok(Ok(out))
    }

    /// Re-encrypts `tmp` (written under the identity `from`) under `to`:
    /// the name is known only once the content is hashed.
    fn rebind(
        &self,
        keys: &crate::vault::EvidenceKeys,
        tmp: tempfile::NamedTempFile,
        from: &str,
        to: &str,
    ) -> Result<tempfile::NamedTempFile> {
        let mut r = keys
            .decrypt_from(io::BufReader::new(File::open(tmp.path())?), from)
            .map_err(|e| io_err("read", tmp.path(), e))?;
        self.encrypt_into_temp(keys, &mut r, to)?
            .map_err(|e| io_err("read", tmp.path(), e))
    }

    /// Rewrites every stored file of format 1 (chunks not bound to their
    /// name) in format 2, each replaced atomically. Run at unlock; a mark
    /// file says it is done, so later unlocks read no file.
    pub(crate) fn upgrade_encrypted(&self) -> Result<usize> {
        let Some(keys) = &self.keys else {
            return Ok(0);
        };
        let enc = self.root.join("enc");
        let mark = enc.join("format-2");
        if mark.exists() || !enc.is_dir() {
            return Ok(0);
        }
        let mut upgraded = 0;
        for prefix in fs::read_dir(&enc)?.flatten() {
            let Ok(files) = fs::read_dir(prefix.path()) else {
                continue;
            };
            for file in files.flatten() {
                let name = file.file_name().to_string_lossy().into_owned();
                if !is_hex64(&name) {
                    continue;
                }
                let path = file.path();
                let mut head = [0u8; 6];
                let n = File::open(&path).and_then(|mut f| f.read(&mut head))?;
                if !crate::vault::EvidenceKeys::is_v1(&head[..n]) {
                    continue;
                }
                // A damaged old file stays as it is: `verify` reports it. A
                // failed write (a full disk) stops here, before the mark.
                let Ok(mut r) = keys.decrypt_v1_from(io::BufReader::new(File::open(&path)?)) else {
                    continue;
                };
                let Ok(out) = self.encrypt_into_temp(keys, &mut r, &name)? else {
                    continue;
                };
                out.as_file().sync_all()?;
                out.persist(&path)
                    .map_err(|e| io_err("replace", &path, e.error))?;
                sync_dir(&prefix.path())?;
                upgraded += 1;
            }
        }
        write_atomic(&mark, b"Every file here is in format 2 (CBEV2).\n")?;
        Ok(upgraded)
    }

    /// Removes temporary files left by a writer that died (crash, power
    /// loss, kill). Each temporary file carries its writer's process id, so a
    /// writer that is still running is left alone.
    pub(crate) fn clean_leftovers(&self) {
        let Ok(entries) = fs::read_dir(self.tmp_dir()) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let pid = name
                .strip_prefix("w")
                .and_then(|r| r.split('-').next())
                .and_then(|p| p.parse::<u32>().ok());
            let alive = match pid {
                Some(pid) if pid == std::process::id() => true,
                Some(pid) => process_alive(pid, &entry),
                None => false,
            };
            if !alive {
                let _ = fs::remove_file(entry.path());
            }
        }
    }

    /// Copies `reader` into the store. Refuses (and removes the partial
    /// copy) when it is larger than the limit.
    pub(crate) fn put(&self, name: &str, reader: &mut dyn Read) -> Result<Stored> {
        let tmp = self.temp_file()?;
        // Encrypted, the file is first bound to a one-off identity, then
        // re-encrypted under its keyed name once its hash is known.
        let staging_id = format!("staging-{}", hex::encode(fastrand::u128(..).to_le_bytes()));
        let mut hasher = Sha256::new();
        let mut size: u64 = 0;
        let mut head = Vec::new();
        let mut buf = vec![0u8; 256 * 1024];
        let tmp_path = tmp.path().to_path_buf();
        let mut sink = Sink::new(self.keys.as_ref(), tmp.as_file(), &staging_id)
            .map_err(|e| io_err("write", &tmp_path, e))?;
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(io_err("read", Path::new(name), e));
                }
            };
            size += n as u64;
            if size > self.max_bytes {
                return Err(Error::invalid(Problem::FileTooLarge {
                    name: name.to_string(),
                    max_mb: self.max_bytes / (1024 * 1024),
                }));
            }
            let chunk = &buf[..n];
            if head.len() < 8192 {
                let take = (8192 - head.len()).min(n);
                head.extend_from_slice(&chunk[..take]);
            }
            hasher.update(chunk);
            sink.write_all(chunk)
                .map_err(|e| io_err("write", &tmp_path, e))?;
        }
        sink.finish().map_err(|e| io_err("write", &tmp_path, e))?;
        let sha256 = hex::encode(hasher.finalize());
        let dest = self.path_of(&sha256);
        // Already stored and intact: the temporary copy is dropped (deleted).
        // A stored copy that was damaged is replaced by this good one.
        if dest.is_file() && self.check(&sha256, size).is_none() {
            return Ok(Stored { sha256, size, head });
        }
        let tmp = match &self.keys {
            None => tmp,
            Some(k) => self.rebind(k, tmp, &staging_id, &k.name_of(&sha256))?,
        };
        tmp.as_file()
            .sync_all()
            .map_err(|e| io_err("write", tmp.path(), e))?;
        let dir = dest.parent().expect("sha256/ab");
        let new_dirs: Vec<PathBuf> = dir
            .ancestors()
            .take_while(|d| !d.exists())
            .map(Path::to_path_buf)
            .collect();
        fs::create_dir_all(dir).map_err(|e| io_err("create", dir, e))?;
        tmp.persist(&dest)
            .map_err(|e| io_err("move", &dest, e.error))?;
        sync_dir(dir)?;
        // A folder created just now must be durable in its parent too.
        for d in &new_dirs {
            if let Some(parent) = d.parent() {
                sync_dir(parent)?;
            }
        }
        Ok(Stored { sha256, size, head })
    }

    /// Re-hashes the stored file with this SHA-256: `None` when intact.
    pub(crate) fn check(&self, sha256: &str, size: u64) -> Option<&'static str> {
        if !self.path_of(sha256).is_file() {
            return Some("missing");
        }
        let Ok(mut f) = self.open(sha256) else {
            return Some("altered");
        };
        let mut hasher = Sha256::new();
        match io::copy(&mut f, &mut hasher) {
            Ok(n) if n == size && hex::encode(hasher.finalize()) == sha256 => None,
            _ => Some("altered"),
        }
    }

    /// Reads a stored file whole (statements, previews).
    pub(crate) fn read(&self, sha256: &str) -> Result<Vec<u8>> {
        let path = self.path_of(sha256);
        let mut out = Vec::new();
        self.open(sha256)
            .and_then(|mut r| r.read_to_end(&mut out))
            .map_err(|e| io_err("read", &path, e))?;
        Ok(out)
    }

    /// The first 8 KiB of a stored file's content (to tell its type).
    pub(crate) fn head(&self, sha256: &str) -> Result<Vec<u8>> {
        let mut head = Vec::with_capacity(8192);
        self.open(sha256)
            .and_then(|r| r.take(8192).read_to_end(&mut head))
            .map_err(|e| io_err("read", &self.path_of(sha256), e))?;
        Ok(head)
    }

    /// Copies a stored file's content (decrypted) to `dest`.
    pub(crate) fn copy_out(&self, sha256: &str, dest: &Path) -> Result<u64> {
        let path = self.path_of(sha256);
        let mut r = self.open(sha256).map_err(|e| io_err("read", &path, e))?;
        let mut w = io::BufWriter::new(
            crate::private::create_file(dest).map_err(|e| io_err("create", dest, e))?,
        );
        let n = io::copy(&mut r, &mut w).map_err(|e| io_err("copy", dest, e))?;
        w.flush().map_err(|e| io_err("write", dest, e))?;
        Ok(n)
    }
}

/// Where the unencrypted store keeps the file with this SHA-256.
pub(crate) fn plain_path(root: &Path, sha256: &str) -> PathBuf {
    root.join("sha256").join(&sha256[..2]).join(sha256)
}

/// Where a write to the store goes: plain, or through the encryption.
enum Sink<'a> {
    Plain(io::BufWriter<&'a File>),
    Encrypted(crate::vault::EncryptWriter<io::BufWriter<&'a File>>),
}

impl<'a> Sink<'a> {
    fn new(
        keys: Option<&crate::vault::EvidenceKeys>,
        file: &'a File,
        identity: &str,
    ) -> io::Result<Sink<'a>> {
        Ok(match keys {
            None => Sink::Plain(io::BufWriter::new(file)),
            Some(k) => Sink::Encrypted(k.encrypt_to(io::BufWriter::new(file), identity)?),
        })
    }

    fn write_all(&mut self, data: &[u8]) -> io::Result<()> {
        match self {
            Sink::Plain(w) => w.write_all(data),
            Sink::Encrypted(w) => w.write_all(data),
        }
    }

    fn finish(self) -> io::Result<()> {
        let mut w = match self {
            Sink::Plain(w) => w,
            Sink::Encrypted(w) => w.finish()?,
        };
        w.flush()
    }
}

#[cfg(target_os = "linux")]
fn process_alive(pid: u32, _entry: &fs::DirEntry) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

#[cfg(not(target_os = "linux"))]
fn process_alive(_pid: u32, entry: &fs::DirEntry) -> bool {
    // Without /proc, a temporary file untouched for an hour is a leftover.
    entry
        .metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age.as_secs() < 3600)
}
