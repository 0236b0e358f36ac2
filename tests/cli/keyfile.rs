//! The key file as an attacker with access to the disk would edit it, and
//! the recovery key as its own secret: Argon2 costs are capped before
//! anything is computed; every setting is sealed, so an edit is detected;
//! a new recovery key replaces the old one; a version-1 key file (whose
//! recovery key was the data key) is upgraded at unlock and its recovery
//! key counts only until a new one is made.

#[path = "../common/mod.rs"]
mod common;

use std::fs;
use std::path::Path;
use std::time::Instant;

use casebook::vault::{self, KEY_FILE};
use casebook::{Error, Journal};
use common::*;
use serde_json::Value;

const PASS: &str = "correct horse battery staple";

fn protected_journal(dir: &Path) -> casebook::protect::Protected {
    let mut j = Journal::open_dir(dir).unwrap();
    new_case(&mut j, "钥匙文件");
    drop(j);
    casebook::protect::protect(dir, PASS).unwrap()
}

fn edit_key_file(dir: &Path, f: impl FnOnce(&mut Value)) {
    let path = dir.join(KEY_FILE);
    let mut v: Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    f(&mut v);
    fs::write(&path, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
}

#[test]
fn argon2_costs_beyond_the_caps_are_refused_before_anything_is_computed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    protected_journal(&dir);
    for (field, value) in [("m_kib", 64 * 1024 * 1024u64), ("t", 1_000_000), ("p", 255)] {
        let saved = fs::read(dir.join(KEY_FILE)).unwrap();
        edit_key_file(&dir, |v| v[field] = value.into());
        let started = Instant::now();
        let err = casebook::protect::unlock(&dir, PASS).unwrap_err();
        assert!(
            started.elapsed().as_secs() < 2,
            "{field}: refused without running Argon2"
        );
        assert!(english(&err).contains("more work"), "{field}: {err}");
        fs::write(dir.join(KEY_FILE), saved).unwrap();
    }
    // The same key file inside a backup is refused the same way.
    let key = casebook::protect::unlock(&dir, PASS).unwrap();
    let archive = tmp.path().join("b.tar");
    Journal::unlock_dir(&dir, &key)
        .unwrap()
        .backup(&archive)
        .unwrap();
    let mut bytes = fs::read(&archive).unwrap();
    let needle = b"\"m_kib\": 65536";
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("the key file in the archive");
    bytes[at..at + needle.len()].copy_from_slice(b"\"m_kib\": 99999");
    // (The archive's checksum of the key file now fails first; either way
    // nothing is computed and nothing restored.)
    fs::write(&archive, &bytes).unwrap();
    let target = tmp.path().join("restored");
    assert!(casebook::backup::restore(&archive, &target, false, Some(PASS)).is_err());
    assert!(!target.exists());
}

#[test]
fn every_setting_of_the_key_file_is_sealed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    protected_journal(&dir);
    let key = casebook::protect::unlock(&dir, PASS).unwrap();
    vault::set_idle_lock_minutes(&dir, &key, 5).unwrap();
    assert_eq!(vault::idle_lock_minutes(&dir, &key).unwrap(), 5);
    let good = fs::read(dir.join(KEY_FILE)).unwrap();
    type Edit = Box<dyn Fn(&mut Value)>;
    let edits: Vec<(&str, Edit)> = vec![
        (
            "idle minutes",
            Box::new(|v| v["idle_lock_minutes"] = 0.into()),
        ),
        ("memory cost", Box::new(|v| v["m_kib"] = 32768.into())),
        ("passes", Box::new(|v| v["t"] = 1.into())),
        (
            "recovery wrap dropped",
            Box::new(|v| v["recovery"] = Value::Null),
        ),
        (
            "recovery wrap swapped",
            Box::new(|v| v["recovery"]["nonce"] = v["nonce"].clone()),
        ),
        ("seal removed", Box::new(|v| v["mac"] = Value::Null)),
    ];
    for (what, edit) in edits {
        fs::write(dir.join(KEY_FILE), &good).unwrap();
        edit_key_file(&dir, edit);
        let err = casebook::protect::unlock(&dir, PASS).unwrap_err();
        assert!(
            matches!(err, Error::WrongPassphrase) || english(&err).contains("changed outside"),
            "{what}: {err}"
        );
        if what == "idle minutes" {
            // The app's idle check sees it too (and locks).
            assert!(vault::idle_lock_minutes(&dir, &key).is_err());
        }
    }
    fs::write(dir.join(KEY_FILE), &good).unwrap();
    casebook::protect::unlock(&dir, PASS).unwrap();
}

#[test]
fn a_new_recovery_key_replaces_the_old_one() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let protected = protected_journal(&dir);
    let first = protected.recovery.clone();
    // The recovery key is not the data key.
    assert_ne!(*first, *protected.key.legacy_recovery_text());
    assert!(
        casebook::protect::reset_passphrase(
            &dir,
            &protected.key.legacy_recovery_text(),
            "new passphrase 1"
        )
        .is_err(),
        "the data key is not a recovery key of a new journal"
    );
    casebook::protect::reset_passphrase(&dir, &first, "new passphrase 1").unwrap();
    // It still works after a reset and a change of passphrase.
    casebook::protect::change_passphrase(&dir, "new passphrase 1", "new passphrase 2").unwrap();
    casebook::protect::reset_passphrase(&dir, &first, "new passphrase 3").unwrap();

    let key = casebook::protect::unlock(&dir, "new passphrase 3").unwrap();
    let second = vault::new_recovery_key(&dir, &key).unwrap();
    assert_ne!(*second, *first);
    let kf_before = fs::read(dir.join(KEY_FILE)).unwrap();
    let err = casebook::protect::reset_passphrase(&dir, &first, "new passphrase 4").unwrap_err();
    assert!(english(&err).contains("replaced"), "{err}");
    assert_eq!(fs::read(dir.join(KEY_FILE)).unwrap(), kf_before);
    casebook::protect::reset_passphrase(&dir, &second, "new passphrase 4").unwrap();
    let j = Journal::unlock_dir(
        &dir,
        &casebook::protect::unlock(&dir, "new passphrase 4").unwrap(),
    )
    .unwrap();
    assert_eq!(j.list_cases(&Default::default()).unwrap().len(), 1);
}

#[test]
fn passphrases_need_ten_characters_and_get_a_strength_hint() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    Journal::open_dir(&dir).unwrap();
    let err = casebook::protect::protect(&dir, "123456789").err().unwrap();
    assert!(english(&err).contains("at least 10"), "{err}");
    assert!(
        vault::KeyFile::load(&dir).unwrap().is_none(),
        "nothing changed"
    );
    let weak = vault::passphrase_strength("password12");
    assert!(weak.long_enough && weak.score <= 1, "{weak:?}");
    let strong = vault::passphrase_strength("月亮 river tractor 47 violet");
    assert!(strong.score >= 3, "{strong:?}");
    assert!(!vault::passphrase_strength("short").long_enough);
}

/// A key file as Casebook wrote it before version 2: the data key wrapped
/// by the passphrase with v1's associated data, no recovery wrap, no seal.
fn write_v1_key_file(dir: &Path, data_key: &[u8; 32]) {
    use argon2::{Algorithm, Argon2, Params, Version};
    use base64::Engine;
    use chacha20poly1305::aead::{Aead, KeyInit, Payload};
    use chacha20poly1305::{XChaCha20Poly1305, XNonce};
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let salt = [7u8; 16];
    let nonce = [9u8; 24];
    let mut kek = [0u8; 32];
    Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(65536, 3, 4, Some(32)).unwrap(),
    )
    .hash_password_into(PASS.as_bytes(), &salt, &mut kek)
    .unwrap();
    let wrapped = XChaCha20Poly1305::new((&kek).into())
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: data_key,
                aad: b"casebook.key v1 data key",
            },
        )
        .unwrap();
    let v1 = serde_json::json!({
        "format": "casebook.key", "version": 1, "kdf": "argon2id",
        "m_kib": 65536, "t": 3, "p": 4,
        "salt": b64(&salt), "nonce": b64(&nonce), "wrapped": b64(&wrapped),
        "idle_lock_minutes": 7
    });
    fs::write(dir.join(KEY_FILE), serde_json::to_vec_pretty(&v1).unwrap()).unwrap();
}

#[test]
fn a_version_1_key_file_is_upgraded_and_its_old_recovery_key_works_until_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let protected = protected_journal(&dir);
    let legacy = protected.key.legacy_recovery_text();
    let raw = data_encoding::BASE32_NOPAD
        .decode(
            legacy
                .trim_start_matches("CBRK-")
                .replace('-', "")
                .as_bytes(),
        )
        .unwrap();
    write_v1_key_file(&dir, raw[..32].try_into().unwrap());

    // Unlocking upgrades it: sealed, same passphrase, same idle time.
    let key = casebook::protect::unlock(&dir, PASS).unwrap();
    let kf = vault::KeyFile::load(&dir).unwrap().unwrap();
    assert_eq!((kf.version, kf.idle_lock_minutes), (2, 7));
    assert!(kf.mac.is_some() && kf.recovery.is_none());
    casebook::protect::unlock(&dir, PASS).unwrap();
    // The recovery key of then (the data key) still resets the passphrase…
    casebook::protect::reset_passphrase(&dir, &legacy, "after the upgrade").unwrap();
    // …until the user makes a new one.
    let new = vault::new_recovery_key(&dir, &key).unwrap();
    assert!(casebook::protect::reset_passphrase(&dir, &legacy, "not any more").is_err());
    casebook::protect::reset_passphrase(&dir, &new, "with the new one").unwrap();
    Journal::unlock_dir(
        &dir,
        &casebook::protect::unlock(&dir, "with the new one").unwrap(),
    )
    .unwrap();
}

/// Every file under the evidence store, and whether any decrypts (is
/// readable as the journal) with `key`.
fn journal_opens_with(dir: &Path, key: &casebook::vault::DataKey) -> bool {
    Journal::unlock_dir(dir, key).is_ok()
}

fn rich(dir: &Path) -> (casebook::protect::Protected, Vec<u8>) {
    let mut j = Journal::open_dir(dir).unwrap();
    let case = new_case(&mut j, "换钥匙");
    let big: Vec<u8> = (0..300_000u32).map(|i| (i * 13 % 256) as u8).collect();
    j.attach_reader(
        casebook::evidence::AttachTo::case(case),
        "big.bin",
        &mut &big[..],
    )
    .unwrap();
    j.attach_reader(
        casebook::evidence::AttachTo::case(case),
        "a.png",
        &mut &PNG[..],
    )
    .unwrap();
    drop(j);
    (casebook::protect::protect(dir, PASS).unwrap(), big)
}

fn check_rekeyed(dir: &Path, old: &casebook::protect::Protected, big: &[u8], pass: &str) {
    let new = casebook::protect::unlock(dir, pass).unwrap();
    let j = Journal::unlock_dir(dir, &new).unwrap();
    assert_eq!(j.list_cases(&Default::default()).unwrap().len(), 1);
    assert!(j.verify_evidence().unwrap().ok());
    let bytes: Vec<Vec<u8>> = j
        .attachments(1)
        .unwrap()
        .iter()
        .map(|a| j.attachment_bytes(a.id).unwrap().1)
        .collect();
    assert!(bytes.iter().any(|b| b == big) && bytes.iter().any(|b| b == PNG));
    drop(j);
    assert!(
        !journal_opens_with(dir, &old.key),
        "the old key opens nothing"
    );
    assert!(!dir.join("journal.key.new").exists());
    assert!(!dir.join("journal.sqlite3.rekeying").exists());
    // Only the new names are left: two files.
    let enc: Vec<_> = fs::read_dir(dir.join("evidence/enc"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .flat_map(|d| fs::read_dir(d.path()).unwrap().flatten())
        .collect();
    assert_eq!(enc.len(), 2, "{enc:?}");
    assert!(
        casebook::protect::reset_passphrase(dir, &old.recovery, "the old recovery key").is_err()
    );
}

#[test]
fn changing_the_data_key_re_encrypts_everything_and_retires_the_old_keys() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let (old, big) = rich(&dir);
    assert!(casebook::protect::change_data_key(&dir, "not the passphrase").is_err());
    assert!(
        journal_opens_with(&dir, &old.key),
        "a wrong passphrase changes nothing"
    );
    let changed = casebook::protect::change_data_key(&dir, PASS).unwrap();
    assert_ne!(*changed.recovery, *old.recovery);
    check_rekeyed(&dir, &old, &big, PASS);
    casebook::protect::reset_passphrase(&dir, &changed.recovery, "after the key change").unwrap();
    check_rekeyed(&dir, &old, &big, "after the key change");
}

/// The change is killed (abort, as a power cut) after each step; the next
/// unlock with the passphrase (here: the CLI listing cases) finishes it.
#[test]
fn an_interrupted_change_of_the_data_key_is_finished_at_the_next_unlock() {
    for step in ["key", "database", "files", "cleanup"] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data");
        let (old, big) = rich(&dir);
        let cli = || {
            let mut c = assert_cmd::Command::cargo_bin("casebook").unwrap();
            c.env("CASEBOOK_DATA_DIR", &dir)
                .env("CASEBOOK_PASSPHRASE", PASS)
                .env_remove("CASEBOOK_CRASH_AT");
            c
        };
        let out = cli()
            .args(["passphrase", "change-key"])
            .env("CASEBOOK_CRASH_AT", step)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{step}: the change was cut off");
        assert!(dir.join("journal.key.new").exists(), "{step}");
        let out = cli().args(["case", "list"]).output().unwrap();
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("换钥匙"),
            "{step}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        check_rekeyed(&dir, &old, &big, PASS);
    }
}
