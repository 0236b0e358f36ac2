//! Encryption at rest: the passphrase, the data key and the key file.
//!
//! A protected journal has a random 256-bit **data key**. It is the raw
//! SQLCipher key of the database (search index included) and, through two
//! HMAC-derived sub-keys, encrypts the evidence files (XChaCha20-Poly1305 in
//! 64 KiB chunks, the STREAM construction) and names them (so the store does
//! not show the plaintext SHA-256). The data key is kept only wrapped, in
//! `journal.key`, by a key derived from the passphrase with Argon2id
//! (64 MiB, t=3, p=4): changing the passphrase re-wraps it, nothing else.
//! The recovery key is a second, independent random secret that wraps the
//! data key too; with it a new passphrase can be set, and a new recovery key
//! replaces it (the old one stops working). There is no other way in. The
//! key file is sealed by a MAC under the data key, and the Argon2 costs it
//! may ask for are capped.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::rand_core::RngCore;
use chacha20poly1305::aead::stream::{DecryptorBE32, EncryptorBE32};
use chacha20poly1305::aead::{Aead, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::durable::write_atomic;
use crate::error::{Error, Problem, Result};

/// The key file beside a protected journal.
pub const KEY_FILE: &str = "journal.key";
/// Present when the user said "not now" to the passphrase offer.
pub const DECLINED_FILE: &str = "no-passphrase";
/// Environment variable the CLI reads the passphrase from (else it asks).
pub const PASSPHRASE_ENV: &str = "CASEBOOK_PASSPHRASE";

const FORMAT: &str = "casebook.key";
const WRAP_AAD: &[u8] = b"casebook.key v1 data key";
/// Argon2id cost: 64 MiB, 3 passes, 4 lanes.
pub const ARGON2_M_KIB: u32 = 64 * 1024;
pub const ARGON2_T: u32 = 3;
pub const ARGON2_P: u32 = 4;
/// The shortest passphrase accepted.
pub const MIN_PASSPHRASE_CHARS: usize = 10;
/// The idle time after which the app locks, unless the user chose another.
pub const DEFAULT_IDLE_MINUTES: u32 = 10;

/// The journal's data key. Wiped from memory when dropped.
#[derive(Clone)]
pub struct DataKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(…)")
    }
}

fn hmac(key: &[u8], msg: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(msg);
    mac.finalize().into_bytes().into()
}

impl DataKey {
    pub fn generate() -> DataKey {
        let mut k = Zeroizing::new([0u8; 32]);
        OsRng.fill_bytes(&mut k[..]);
        DataKey(k)
    }

    /// `PRAGMA key` for SQLCipher: the raw key, so no second key derivation.
    /// SQLCipher's own log (a failed key check goes to stderr) is turned off,
    /// and so is its wiping of every freed allocation (the data key itself
    /// is wiped by `Zeroizing`; page buffers hold what the window shows anyway).
    pub(crate) fn pragma(&self) -> Zeroizing<String> {
        Zeroizing::new(format!(
            "PRAGMA cipher_log_level = NONE; PRAGMA cipher_memory_security = OFF; PRAGMA key = \"x'{}'\";",
            hex::encode(&self.0[..])
        ))
    }

    /// The key as an SQL blob literal (for `ATTACH … KEY`).
    pub(crate) fn sql_blob(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("\"x'{}'\"", hex::encode(&self.0[..])))
    }

    fn evidence_keys(&self) -> EvidenceKeys {
        EvidenceKeys {
            content: Zeroizing::new(hmac(&self.0[..], b"casebook/evidence/content/v1")),
            names: Zeroizing::new(hmac(&self.0[..], b"casebook/evidence/name/v1")),
        }
    }

    /// The data key as a recovery key (how recovery keys were made before
    /// key file version 2). Tests of the upgrade use it.
    #[doc(hidden)]
    pub fn legacy_recovery_text(&self) -> Zeroizing<String> {
        recovery_text_of(&self.0, RECOVERY_CHECK_V1)
    }
}

/// The protection settings and the wrapped data key (`journal.key`, JSON).
///
/// Version 2 holds the data key wrapped twice: by a key derived from the
/// passphrase (Argon2id) and by the recovery key (its own random secret),
/// and a MAC, keyed by the data key, over every field, so that a change to
/// any setting on disk (the idle-lock minutes, the Argon2 costs, either
/// wrap) is detected at unlock. Version 1 (no recovery wrap, no MAC; its
/// recovery key was the data key itself) is read, and rewritten as
/// version 2 at the next unlock.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct KeyFile {
    pub format: String,
    pub version: u32,
    pub kdf: String,
    pub m_kib: u32,
    pub t: u32,
    pub p: u32,
    pub salt: String,
    pub nonce: String,
    pub wrapped: String,
    /// Minutes without use after which the app locks (0: never).
    pub idle_lock_minutes: u32,
    /// The data key wrapped by the recovery key (version 2). `None`: the
    /// journal's recovery key is still the data key itself (made before
    /// version 2) until a new one is created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery: Option<RecoveryWrap>,
    /// HMAC-SHA-256 (keyed by the data key) of every other field (version 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mac: Option<String>,
}

/// The data key wrapped by the recovery key.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RecoveryWrap {
    pub nonce: String,
    pub wrapped: String,
}

/// The most a key file may ask Argon2id for: 1 GiB of memory, 16 passes, 16
/// lanes. A key file (or a backup's) asking for more is refused with a
/// sentence before anything is computed, instead of exhausting memory.
pub const MAX_ARGON2_M_KIB: u32 = 1024 * 1024;
pub const MAX_ARGON2_T: u32 = 16;
pub const MAX_ARGON2_P: u32 = 16;

const WRAP_AAD_V2: &[u8] = b"casebook.key v2 data key";
const RECOVERY_AAD: &[u8] = b"casebook.key v2 recovery wrap";

fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn unb64(s: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(s).ok()
}

fn damaged_key_file(path: &Path, why: &str) -> Error {
    Error::DataDir(Problem::KeyFileDamaged {
        path: path.display().to_string(),
        detail: why.to_string(),
    })
}

pub(crate) fn check_passphrase(passphrase: &str) -> Result<()> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(Error::invalid(Problem::PassphraseTooShort {
            min: MIN_PASSPHRASE_CHARS as u64,
        }));
    }
    Ok(())
}

/// How hard a passphrase would be to guess, for the hint shown while it is
/// typed (zxcvbn's estimate; the only rule is the minimum length).
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Strength {
    /// 0 (guessed at once) to 4 (very hard to guess).
    pub score: u8,
    /// log10 of the guesses an attacker would need.
    pub guesses_log10: f64,
    /// Long enough to be accepted.
    pub long_enough: bool,
    pub min_chars: usize,
}

/// The strength of a passphrase being chosen.
pub fn passphrase_strength(passphrase: &str) -> Strength {
    let long_enough = passphrase.chars().count() >= MIN_PASSPHRASE_CHARS;
    let (score, guesses_log10) = if passphrase.is_empty() {
        (0, 0.0)
    } else {
        let e = zxcvbn::zxcvbn(passphrase, &["casebook", "journal", "passphrase"]);
        (u8::from(e.score()), e.guesses_log10())
    };
    Strength {
        score,
        guesses_log10,
        long_enough,
        min_chars: MIN_PASSPHRASE_CHARS,
    }
}

fn kek(passphrase: &str, salt: &[u8], m_kib: u32, t: u32, p: u32) -> Result<Zeroizing<[u8; 32]>> {
    let params = Params::new(m_kib, t, p, Some(32)).map_err(|e| {
        Error::DataDir(Problem::KeyDerivationFailed {
            detail: e.to_string(),
        })
    })?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), salt, &mut out[..])
        .map_err(|e| {
            Error::DataDir(Problem::KeyDerivationFailed {
                detail: e.to_string(),
            })
        })?;
    Ok(out)
}

fn random<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    OsRng.fill_bytes(&mut b);
    b
}

fn seal(kek: &[u8; 32], nonce: &[u8; 24], msg: &[u8], aad: &[u8]) -> Result<Vec<u8>> {
    XChaCha20Poly1305::new(kek.into())
        .encrypt(XNonce::from_slice(nonce), Payload { msg, aad })
        .map_err(|_| Error::internal("wrapping_key", ""))
}

/// The data key inside a wrap; `None` when the key-encryption key is wrong
/// (or the wrap, or its associated data, was altered).
fn open_wrap(kek: &[u8; 32], nonce: &[u8], wrapped: &[u8], aad: &[u8]) -> Option<DataKey> {
    if nonce.len() != 24 {
        return None;
    }
    let plain = Zeroizing::new(
        XChaCha20Poly1305::new(kek.into())
            .decrypt(XNonce::from_slice(nonce), Payload { msg: wrapped, aad })
            .ok()?,
    );
    let mut k = Zeroizing::new([0u8; 32]);
    (plain.len() == 32).then(|| {
        k.copy_from_slice(&plain);
        DataKey(k)
    })
}

/// The recovery key's secret: 32 random bytes, shown as `CBRK-…`.
struct RecoverySecret(Zeroizing<[u8; 32]>);

const RECOVERY_CHECK_V2: &[u8] = b"casebook/recovery/v2/check";
const RECOVERY_CHECK_V1: &[u8] = b"casebook/recovery/check";

impl RecoverySecret {
    fn generate() -> RecoverySecret {
        RecoverySecret(Zeroizing::new(random::<32>()))
    }

    fn kek(&self) -> Zeroizing<[u8; 32]> {
        Zeroizing::new(hmac(&self.0[..], b"casebook/recovery/v2/wrap"))
    }

    fn text(&self) -> Zeroizing<String> {
        recovery_text_of(&self.0, RECOVERY_CHECK_V2)
    }
}

/// `CBRK-` then 56 base32 characters in groups of four (32 bytes and a
/// 3-byte checksum whose label tells the two kinds of key apart).
fn recovery_text_of(bytes32: &[u8; 32], check_label: &[u8]) -> Zeroizing<String> {
    let mut bytes = Zeroizing::new(bytes32.to_vec());
    bytes.extend_from_slice(&hmac(&bytes32[..], check_label)[..3]);
    let b32 = Zeroizing::new(data_encoding::BASE32_NOPAD.encode(&bytes));
    let groups: Vec<&str> = b32
        .as_bytes()
        .chunks(4)
        .map(|c| std::str::from_utf8(c).expect("base32 is ASCII"))
        .collect();
    Zeroizing::new(format!("CBRK-{}", groups.join("-")))
}

/// A recovery key as typed: a version-2 secret, or (from before version 2)
/// the data key itself.
enum RecoveryText {
    Secret(RecoverySecret),
    LegacyDataKey(DataKey),
}

fn parse_recovery_text(text: &str) -> Result<RecoveryText> {
    let bad = || Error::invalid(Problem::RecoveryKeyMalformed {});
    let cleaned: Zeroizing<String> = Zeroizing::new(
        text.trim()
            .to_ascii_uppercase()
            .trim_start_matches("CBRK")
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| match c {
                '0' => 'O',
                '1' => 'I',
                '8' => 'B',
                c => c,
            })
            .collect(),
    );
    let bytes = Zeroizing::new(
        data_encoding::BASE32_NOPAD
            .decode(cleaned.as_bytes())
            .map_err(|_| bad())?,
    );
    if bytes.len() != 35 {
        return Err(bad());
    }
    let mut k = Zeroizing::new([0u8; 32]);
    k.copy_from_slice(&bytes[..32]);
    if hmac(&k[..], RECOVERY_CHECK_V2)[..3] == bytes[32..] {
        Ok(RecoveryText::Secret(RecoverySecret(k)))
    } else if hmac(&k[..], RECOVERY_CHECK_V1)[..3] == bytes[32..] {
        Ok(RecoveryText::LegacyDataKey(DataKey(k)))
    } else {
        Err(bad())
    }
}

/// Checks that `text` is a well-formed recovery key (of either kind).
pub fn check_recovery_text(text: &str) -> Result<()> {
    parse_recovery_text(text).map(|_| ())
}

pub(crate) fn wrong_recovery_key() -> Error {
    Error::invalid(Problem::RecoveryKeyWrong {})
}

impl KeyFile {
    /// Wraps `key` with `passphrase` (fresh salt and nonce), without a
    /// recovery wrap, sealed with the MAC.
    pub fn wrap(passphrase: &str, key: &DataKey, idle_lock_minutes: u32) -> Result<KeyFile> {
        check_passphrase(passphrase)?;
        let mut kf = KeyFile {
            format: FORMAT.into(),
            version: 2,
            kdf: "argon2id".into(),
            m_kib: ARGON2_M_KIB,
            t: ARGON2_T,
            p: ARGON2_P,
            salt: String::new(),
            nonce: String::new(),
            wrapped: String::new(),
            idle_lock_minutes,
            recovery: None,
            mac: None,
        };
        kf.rewrap_passphrase(passphrase, key)?;
        Ok(kf)
    }

    /// A new key file for `key`: the passphrase wrap and a new recovery
    /// key's wrap. Returns the recovery key's text, to show once.
    pub fn create(
        passphrase: &str,
        key: &DataKey,
        idle_lock_minutes: u32,
    ) -> Result<(KeyFile, Zeroizing<String>)> {
        let mut kf = KeyFile::wrap(passphrase, key, idle_lock_minutes)?;
        let text = kf.new_recovery(key)?;
        Ok((kf, text))
    }

    /// What the passphrase wrap's associated data binds: the format and
    /// every key-derivation setting, so none can be changed unnoticed.
    fn wrap_aad(&self) -> Vec<u8> {
        if self.version == 1 {
            return WRAP_AAD.to_vec();
        }
        format!(
            "{}|{}|{}|{}|{}|{}|{}|{}",
            String::from_utf8_lossy(WRAP_AAD_V2),
            self.format,
            self.version,
            self.kdf,
            self.m_kib,
            self.t,
            self.p,
            self.salt
        )
        .into_bytes()
    }

    /// The MAC over every field but itself.
    fn compute_mac(&self, key: &DataKey) -> String {
        let mut unsealed = self.clone();
        unsealed.mac = None;
        let canonical = serde_json::to_vec(&unsealed).expect("a key file serialises");
        hex::encode(hmac(
            &hmac(&key.0[..], b"casebook/keyfile/mac/v2"),
            &canonical,
        ))
    }

    fn reseal(&mut self, key: &DataKey) {
        self.mac = Some(self.compute_mac(key));
    }

    /// Checks the MAC with the unwrapped key (version 2).
    fn verify_mac(&self, key: &DataKey, path: &Path) -> Result<()> {
        if self.version == 1 {
            return Ok(());
        }
        match &self.mac {
            Some(m) if *m == self.compute_mac(key) => Ok(()),
            _ => Err(Error::DataDir(Problem::KeyFileTampered {
                path: path.display().to_string(),
            })),
        }
    }

    /// A new passphrase wrap (fresh salt and nonce, current costs), resealed.
    pub(crate) fn rewrap_passphrase(&mut self, passphrase: &str, key: &DataKey) -> Result<()> {
        check_passphrase(passphrase)?;
        let salt = random::<16>();
        let nonce = random::<24>();
        self.version = 2;
        self.kdf = "argon2id".into();
        self.m_kib = ARGON2_M_KIB;
        self.t = ARGON2_T;
        self.p = ARGON2_P;
        self.salt = b64(&salt);
        self.nonce = b64(&nonce);
        let kek = kek(passphrase, &salt, self.m_kib, self.t, self.p)?;
        self.wrapped = b64(&seal(&kek, &nonce, &key.0[..], &self.wrap_aad())?);
        self.reseal(key);
        Ok(())
    }

    /// A new recovery key replaces the old one (which stops working).
    fn new_recovery(&mut self, key: &DataKey) -> Result<Zeroizing<String>> {
        let secret = RecoverySecret::generate();
        let nonce = random::<24>();
        let wrapped = seal(&secret.kek(), &nonce, &key.0[..], RECOVERY_AAD)?;
        self.recovery = Some(RecoveryWrap {
            nonce: b64(&nonce),
            wrapped: b64(&wrapped),
        });
        self.reseal(key);
        Ok(secret.text())
    }

    /// The data key, if `passphrase` is the right one. Settings beyond the
    /// caps are refused before Argon2 runs; a version-2 file's MAC is
    /// checked.
    pub fn unwrap_key(&self, passphrase: &str, path: &Path) -> Result<DataKey> {
        let (Some(salt), Some(nonce), Some(wrapped)) =
            (unb64(&self.salt), unb64(&self.nonce), unb64(&self.wrapped))
        else {
            return Err(damaged_key_file(path, "unreadable fields"));
        };
        if nonce.len() != 24 || self.kdf != "argon2id" {
            return Err(damaged_key_file(path, "unknown format"));
        }
        if self.m_kib > MAX_ARGON2_M_KIB || self.t > MAX_ARGON2_T || self.p > MAX_ARGON2_P {
            return Err(Error::DataDir(Problem::KeyFileTooCostly {
                path: path.display().to_string(),
                m_mib: u64::from(self.m_kib / 1024),
                t: u64::from(self.t),
                p: u64::from(self.p),
                max_m_mib: u64::from(MAX_ARGON2_M_KIB / 1024),
                max_t: u64::from(MAX_ARGON2_T),
                max_p: u64::from(MAX_ARGON2_P),
            }));
        }
        let kek = kek(passphrase, &salt, self.m_kib, self.t, self.p)?;
        let key =
            open_wrap(&kek, &nonce, &wrapped, &self.wrap_aad()).ok_or(Error::WrongPassphrase)?;
        self.verify_mac(&key, path)?;
        Ok(key)
    }

    /// The data key, with a recovery key.
    pub(crate) fn unwrap_recovery(&self, text: &str, path: &Path) -> Result<DataKey> {
        let key = match parse_recovery_text(text)? {
            RecoveryText::Secret(secret) => {
                let w = self.recovery.as_ref().ok_or_else(wrong_recovery_key)?;
                let (Some(nonce), Some(wrapped)) = (unb64(&w.nonce), unb64(&w.wrapped)) else {
                    return Err(damaged_key_file(path, "unreadable recovery fields"));
                };
                open_wrap(&secret.kek(), &nonce, &wrapped, RECOVERY_AAD)
                    .ok_or_else(wrong_recovery_key)?
            }
            // A recovery key from before version 2 (the data key itself)
            // counts only until a new recovery key is made.
            RecoveryText::LegacyDataKey(key) if self.recovery.is_none() => key,
            RecoveryText::LegacyDataKey(_) => return Err(wrong_recovery_key()),
        };
        self.verify_mac(&key, path)
            .map_err(|_| wrong_recovery_key())?;
        Ok(key)
    }

    pub fn path_in(dir: &Path) -> PathBuf {
        dir.join(KEY_FILE)
    }

    /// The key file of the journal in `dir`, if it is protected.
    pub fn load(dir: &Path) -> Result<Option<KeyFile>> {
        let path = KeyFile::path_in(dir);
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let kf: KeyFile = serde_json::from_slice(&bytes)
            .map_err(|_| damaged_key_file(&path, "not a Casebook key file"))?;
        if kf.format != FORMAT || !(1..=2).contains(&kf.version) {
            return Err(damaged_key_file(&path, "unknown format"));
        }
        Ok(Some(kf))
    }

    /// Writes the key file atomically (temporary file, fsync, rename, fsync of the folder).
    pub fn save(&self, dir: &Path) -> Result<()> {
        self.save_as(&KeyFile::path_in(dir))
    }

    pub(crate) fn save_as(&self, path: &Path) -> Result<()> {
        let json =
            serde_json::to_vec_pretty(self).map_err(|e| Error::internal("saving_key_file", e))?;
        write_atomic(path, &json)
    }
}

/// Replaces `path` with `bytes` so that a crash leaves the old or the new
/// content, never a mix.
/// Whether the journal in `dir` is protected, and what the app should offer.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Protection {
    /// A passphrase protects the journal.
    pub protected: bool,
    /// The app should offer to set a passphrase (not protected, and the
    /// user has not said "not now").
    pub offer: bool,
    pub idle_lock_minutes: u32,
    /// Protected and not unlocked (set by the desktop app for its window).
    pub locked: bool,
}

impl Protection {
    pub fn of(dir: &Path) -> Result<Protection> {
        let kf = KeyFile::load(dir)?;
        Ok(Protection {
            protected: kf.is_some(),
            offer: kf.is_none() && !dir.join(DECLINED_FILE).exists(),
            idle_lock_minutes: kf.map_or(DEFAULT_IDLE_MINUTES, |k| k.idle_lock_minutes),
            locked: false,
        })
    }
}

/// Records that the user does not want a passphrase now (the app stops
/// offering; Settings still can).
pub fn decline_offer(dir: &Path) -> Result<()> {
    fs::create_dir_all(dir)?;
    write_atomic(
        &dir.join(DECLINED_FILE),
        b"The user chose not to protect this journal with a passphrase for now.\n",
    )
}

/// The data key of the journal in `dir`, unwrapped with its passphrase. A
/// version-1 key file is rewritten as version 2 (sealed, same passphrase)
/// on the way. Opening the journal (and finishing an interrupted change of
/// its key) is `protect::unlock`'s.
pub fn unwrap_with_passphrase(dir: &Path, passphrase: &str) -> Result<DataKey> {
    let kf = key_file_of(dir)?;
    let key = kf.unwrap_key(passphrase, &KeyFile::path_in(dir))?;
    if kf.version == 1 {
        let mut upgraded = kf.clone();
        upgraded.rewrap_passphrase(passphrase, &key)?;
        upgraded.save(dir)?;
    }
    Ok(key)
}

/// The key file of the protected journal in `dir`.
pub(crate) fn key_file_of(dir: &Path) -> Result<KeyFile> {
    KeyFile::load(dir)?.ok_or_else(|| {
        Error::Conflict(Problem::NotProtected {
            dir: dir.display().to_string(),
        })
    })
}

/// The key file, checked to belong to `key` (an unlocked journal).
fn key_file_for(dir: &Path, key: &DataKey) -> Result<KeyFile> {
    let kf = key_file_of(dir)?;
    let path = KeyFile::path_in(dir);
    if kf.version == 2 {
        kf.verify_mac(key, &path)?;
    }
    Ok(kf)
}

/// Creates a new recovery key for the unlocked journal: the old one stops
/// working. Returns its text, to show once.
pub fn new_recovery_key(dir: &Path, key: &DataKey) -> Result<Zeroizing<String>> {
    let mut kf = key_file_for(dir, key)?;
    let text = kf.new_recovery(key)?;
    kf.save(dir)?;
    Ok(text)
}

/// The idle-lock minutes of the unlocked journal, checked against the key
/// file's seal (an edited setting is an error, and the app locks).
pub fn idle_lock_minutes(dir: &Path, key: &DataKey) -> Result<u32> {
    Ok(key_file_for(dir, key)?.idle_lock_minutes)
}

/// Sets the idle time after which the app locks (0: never). Needs the
/// unlocked journal's key: the setting is sealed with it.
pub fn set_idle_lock_minutes(dir: &Path, key: &DataKey, minutes: u32) -> Result<()> {
    if minutes > 24 * 60 {
        return Err(Error::invalid(Problem::IdleLockTooLong { max: 24 * 60 }));
    }
    let mut kf = key_file_for(dir, key)?;
    kf.idle_lock_minutes = minutes;
    kf.reseal(key);
    kf.save(dir)
}

// ---------------------------------------------------------------------------
// Evidence files.

/// Sub-keys for the evidence files.
#[derive(Clone)]
pub(crate) struct EvidenceKeys {
    content: Zeroizing<[u8; 32]>,
    names: Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for EvidenceKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EvidenceKeys(…)")
    }
}

impl From<&DataKey> for EvidenceKeys {
    fn from(k: &DataKey) -> Self {
        k.evidence_keys()
    }
}

/// Format 2: every chunk's associated data is the file's identity (its
/// keyed name), so a file moved to another name does not decrypt.
const MAGIC: &[u8; 6] = b"CBEV2\n";
/// Format 1 (no associated data): read only to upgrade it.
const MAGIC_V1: &[u8; 6] = b"CBEV1\n";
const CHUNK: usize = 64 * 1024;
const TAG: usize = 16;
const NONCE_PREFIX: usize = 19;

impl EvidenceKeys {
    /// The stored name of the file with this plaintext SHA-256 (keyed, so
    /// the store does not reveal which files it holds).
    pub(crate) fn name_of(&self, sha256: &str) -> String {
        hex::encode(hmac(&self.names[..], sha256.as_bytes()))
    }

    fn aead(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new((&*self.content).into())
    }

    /// A writer that encrypts into `out`, every chunk bound to `identity`
    /// (its associated data); call `finish`.
    pub(crate) fn encrypt_to<W: Write>(
        &self,
        mut out: W,
        identity: &str,
    ) -> io::Result<EncryptWriter<W>> {
        let mut prefix = [0u8; NONCE_PREFIX];
        OsRng.fill_bytes(&mut prefix);
        out.write_all(MAGIC)?;
        out.write_all(&prefix)?;
        Ok(EncryptWriter {
            out,
            enc: Some(EncryptorBE32::from_aead(self.aead(), (&prefix).into())),
            buf: Zeroizing::new(Vec::with_capacity(CHUNK)),
            aad: identity.as_bytes().to_vec(),
        })
    }

    /// A reader that decrypts `input`, written for `identity`; it fails
    /// with `InvalidData` on any change to the stored bytes (including a
    /// cut-off end) and on a file written for another identity.
    pub(crate) fn decrypt_from<R: Read>(
        &self,
        input: R,
        identity: &str,
    ) -> io::Result<DecryptReader<R>> {
        self.decrypt_with(input, MAGIC, identity.as_bytes())
    }

    /// Reads a format-1 file (chunks without associated data), to upgrade it.
    pub(crate) fn decrypt_v1_from<R: Read>(&self, input: R) -> io::Result<DecryptReader<R>> {
        self.decrypt_with(input, MAGIC_V1, b"")
    }

    /// A file in format 1, as Casebook wrote them before (tests of the upgrade).
    #[cfg(test)]
    pub(crate) fn encrypt_v1(&self, data: &[u8]) -> Vec<u8> {
        let prefix = [3u8; NONCE_PREFIX];
        let mut out = MAGIC_V1.to_vec();
        out.extend_from_slice(&prefix);
        let mut enc = EncryptorBE32::from_aead(self.aead(), (&prefix).into());
        let mut chunks = data.chunks(CHUNK).peekable();
        loop {
            let c = chunks.next().unwrap_or(&[]);
            if chunks.peek().is_none() {
                out.extend(enc.encrypt_last(c).unwrap());
                break out;
            }
            out.extend(enc.encrypt_next(c).unwrap());
        }
    }

    /// Whether the stored file starts as format 1.
    pub(crate) fn is_v1(head: &[u8]) -> bool {
        head.starts_with(MAGIC_V1)
    }

    fn decrypt_with<R: Read>(
        &self,
        mut input: R,
        magic: &[u8; 6],
        aad: &[u8],
    ) -> io::Result<DecryptReader<R>> {
        let mut head = [0u8; 6 + NONCE_PREFIX];
        input.read_exact(&mut head).map_err(|_| altered())?;
        if &head[..6] != magic {
            return Err(altered());
        }
        let prefix: [u8; NONCE_PREFIX] = head[6..].try_into().expect("19 bytes");
        Ok(DecryptReader {
            input,
            dec: Some(DecryptorBE32::from_aead(self.aead(), (&prefix).into())),
            plain: Zeroizing::new(Vec::new()),
            pos: 0,
            pending: Vec::with_capacity(CHUNK + TAG + 1),
            aad: aad.to_vec(),
        })
    }
}

fn altered() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        "the encrypted file is damaged or was altered",
    )
}

pub(crate) struct EncryptWriter<W: Write> {
    out: W,
    enc: Option<EncryptorBE32<XChaCha20Poly1305>>,
    buf: Zeroizing<Vec<u8>>,
    aad: Vec<u8>,
}

impl<W: Write> Write for EncryptWriter<W> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if self.buf.len() == CHUNK {
            let enc = self.enc.as_mut().expect("not finished");
            let ct = enc
                .encrypt_next(Payload {
                    msg: &self.buf[..],
                    aad: &self.aad,
                })
                .map_err(|_| altered())?;
            self.out.write_all(&ct)?;
            self.buf.clear();
        }
        let n = data.len().min(CHUNK - self.buf.len());
        self.buf.extend_from_slice(&data[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl<W: Write> EncryptWriter<W> {
    /// Writes the last chunk and returns the inner writer.
    pub(crate) fn finish(mut self) -> io::Result<W> {
        let enc = self.enc.take().expect("finished once");
        let ct = enc
            .encrypt_last(Payload {
                msg: &self.buf[..],
                aad: &self.aad,
            })
            .map_err(|_| altered())?;
        self.out.write_all(&ct)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

pub(crate) struct DecryptReader<R: Read> {
    input: R,
    dec: Option<DecryptorBE32<XChaCha20Poly1305>>,
    plain: Zeroizing<Vec<u8>>,
    pos: usize,
    /// Ciphertext read ahead (one byte more than a chunk tells the last one).
    pending: Vec<u8>,
    aad: Vec<u8>,
}

impl<R: Read> DecryptReader<R> {
    fn fill(&mut self) -> io::Result<()> {
        let want = CHUNK + TAG + 1;
        while self.pending.len() < want {
            let start = self.pending.len();
            self.pending.resize(want, 0);
            match self.input.read(&mut self.pending[start..]) {
                Ok(0) => {
                    self.pending.truncate(start);
                    break;
                }
                Ok(n) => self.pending.truncate(start + n),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => self.pending.truncate(start),
                Err(e) => {
                    self.pending.truncate(start);
                    return Err(e);
                }
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for DecryptReader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if self.pos == self.plain.len() {
            if self.dec.is_none() {
                return Ok(0);
            }
            self.fill()?;
            let plain = if self.pending.len() > CHUNK + TAG {
                let rest = self.pending.split_off(CHUNK + TAG);
                let chunk = std::mem::replace(&mut self.pending, rest);
                let dec = self.dec.as_mut().expect("checked");
                dec.decrypt_next(Payload {
                    msg: &chunk[..],
                    aad: &self.aad,
                })
                .map_err(|_| altered())?
            } else {
                let dec = self.dec.take().expect("checked");
                let chunk = std::mem::take(&mut self.pending);
                dec.decrypt_last(Payload {
                    msg: &chunk[..],
                    aad: &self.aad,
                })
                .map_err(|_| altered())?
            };
            self.plain = Zeroizing::new(plain);
            self.pos = 0;
            if self.plain.is_empty() {
                return Ok(0);
            }
        }
        let n = out.len().min(self.plain.len() - self.pos);
        out[..n].copy_from_slice(&self.plain[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(len: usize) {
        let keys = DataKey::generate().evidence_keys();
        let data: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
        let mut w = keys.encrypt_to(Vec::new(), "name-a").unwrap();
        w.write_all(&data).unwrap();
        let stored = w.finish().unwrap();
        assert!(stored.len() >= len + TAG + MAGIC.len() + NONCE_PREFIX);
        let mut back = Vec::new();
        keys.decrypt_from(&stored[..], "name-a")
            .unwrap()
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, data, "length {len}");
        // Under another identity (a file moved to another name): refused.
        let mut out = Vec::new();
        let r = keys
            .decrypt_from(&stored[..], "name-b")
            .and_then(|mut r| r.read_to_end(&mut out));
        assert!(r.is_err(), "another identity, length {len}");
        // Any flipped byte, or a cut-off end, is refused.
        for at in [stored.len() - 1, stored.len() / 2, MAGIC.len() + 2] {
            let mut bad = stored.clone();
            bad[at] ^= 1;
            let mut out = Vec::new();
            let r = keys
                .decrypt_from(&bad[..], "name-a")
                .and_then(|mut r| r.read_to_end(&mut out));
            assert!(r.is_err(), "flip at {at} of {len}");
        }
        if len > CHUNK {
            let cut = &stored[..MAGIC.len() + NONCE_PREFIX + CHUNK + TAG];
            let mut out = Vec::new();
            let r = keys
                .decrypt_from(cut, "name-a")
                .and_then(|mut r| r.read_to_end(&mut out));
            assert!(r.is_err(), "a file cut after a whole chunk is refused");
        }
    }

    #[test]
    fn evidence_encryption_round_trips_and_detects_changes() {
        for len in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 17] {
            roundtrip(len);
        }
    }

    #[test]
    fn recovery_text_round_trips_and_rejects_typos() {
        let secret = RecoverySecret::generate();
        let text = secret.text();
        assert!(text.starts_with("CBRK-"));
        let back = parse_recovery_text(&text.to_lowercase().replace('-', " ")).unwrap();
        assert!(matches!(back, RecoveryText::Secret(s) if s.0[..] == secret.0[..]));
        let k = DataKey::generate();
        let legacy = parse_recovery_text(&k.legacy_recovery_text()).unwrap();
        assert!(matches!(legacy, RecoveryText::LegacyDataKey(d) if d.0[..] == k.0[..]));
        let mut typo: Vec<char> = text.chars().collect();
        let i = 10;
        typo[i] = if typo[i] == 'A' { 'B' } else { 'A' };
        let typo: String = typo.into_iter().collect();
        assert!(parse_recovery_text(&typo).is_err());
    }

    #[test]
    fn wrong_passphrase_is_refused_and_right_one_unwraps() {
        let k = DataKey::generate();
        let kf = KeyFile::wrap("correct horse battery", &k, 5).unwrap();
        let p = Path::new("journal.key");
        assert!(matches!(
            kf.unwrap_key("correct horse batterY", p),
            Err(Error::WrongPassphrase)
        ));
        assert_eq!(
            &kf.unwrap_key("correct horse battery", p).unwrap().0[..],
            &k.0[..]
        );
        assert!(KeyFile::wrap("nine char", &k, 5).is_err());
        assert!(KeyFile::wrap("ten chars!", &k, 5).is_ok());
    }
}
