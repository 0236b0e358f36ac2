//! Encryption at rest: a protected journal's files hold none of its text,
//! nothing is lost when protection is turned on (even if it is
//! interrupted), wrong passphrases are refused, passphrases change without
//! re-encrypting, the recovery key works, and backups stay encrypted.

#[path = "../common/mod.rs"]
mod common;

use std::fs;
use std::path::{Path, PathBuf};

use casebook::evidence::AttachTo;
use casebook::model::Channel;
use casebook::vault::{self, DataKey, KeyFile};
use casebook::{Error, Journal};
use common::*;

const PASS: &str = "correct horse battery staple";

/// Text that must never appear in a protected journal's files, in any
/// encoding a reader might try.
const SECRETS: &[&str] = &[
    "冒充客服诈骗",
    "请把验证码告诉我",
    "安全账户",
    "TS-2026-0001",
    "TK-88990011",
    "2026100122001412345678",
    "王经理",
    "13800138000",
    "zhang.wei@example.com",
    "已冻结账户",
    "通话截图",
    "EVIDENCE-PLAINTEXT-MARKER",
    "聊天记录原文",
];

fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(all_files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Every file under `dir` (names too) searched for each secret as UTF-8,
/// UTF-16LE and GBK, for the plaintext SHA-256 of every attachment, and for
/// the screenshot's PNG bytes (whole: a 4-byte needle such as "IHDR" turns
/// up by chance in megabytes of ciphertext about once in 800 runs).
fn assert_nothing_readable(dir: &Path, extra: &[String]) {
    let mut needles: Vec<(String, Vec<u8>)> = vec![("the PNG screenshot".into(), PNG.to_vec())];
    for s in SECRETS
        .iter()
        .map(|s| s.to_string())
        .chain(extra.iter().cloned())
    {
        needles.push((format!("{s} (UTF-8)"), s.as_bytes().to_vec()));
        let utf16: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        needles.push((format!("{s} (UTF-16)"), utf16));
        let (gbk, _, _) = encoding_rs::GBK.encode(&s);
        if gbk.as_ref() != s.as_bytes() {
            needles.push((format!("{s} (GBK)"), gbk.into_owned()));
        }
    }
    let files = all_files(dir);
    assert!(!files.is_empty());
    for f in files {
        let name = f.to_string_lossy().into_owned();
        let bytes = fs::read(&f).unwrap();
        for (what, n) in &needles {
            assert!(
                !name.contains(std::str::from_utf8(n).unwrap_or("\u{0}\u{0}")),
                "{what} in the file name {name}"
            );
            assert!(
                !bytes.windows(n.len()).any(|w| w == n.as_slice()),
                "{what} found in {name}"
            );
        }
    }
}

/// A journal with every kind of entry, its attachments' hashes and its snapshot.
fn rich_journal(dir: &Path) -> (Vec<String>, Vec<String>) {
    let mut j = Journal::open_dir(dir).unwrap();
    let files = tempfile::tempdir().unwrap();
    let case = long_case(&mut j, files.path());
    let txt = files.path().join("聊天记录.txt");
    fs::write(
        &txt,
        "EVIDENCE-PLAINTEXT-MARKER 聊天记录原文\n".repeat(3000),
    )
    .unwrap();
    j.attach_path(AttachTo::case(case), &txt).unwrap();
    let gone = j
        .add_contact(
            case,
            contact(Channel::Email, "2026-11-01T09:00:00Z", "deleted reply"),
        )
        .unwrap();
    j.delete_contact(gone.id).unwrap();
    let shas = j
        .attachments(case)
        .unwrap()
        .into_iter()
        .map(|a| a.sha256)
        .collect();
    (snapshot(&j), shas)
}

fn unlock(dir: &Path, pass: &str) -> Journal {
    let key = casebook::protect::unlock(dir, pass).unwrap();
    Journal::unlock_dir(dir, &key).unwrap()
}

#[test]
fn protecting_a_journal_encrypts_every_file_and_loses_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let (before, shas) = rich_journal(&dir);
    // A plain journal's files do show the text: the check can fail.
    let plain_db = fs::read(dir.join("journal.sqlite3")).unwrap();
    assert!(
        plain_db
            .windows("TK-88990011".len())
            .any(|w| w == b"TK-88990011")
    );
    assert!(
        all_files(&dir)
            .iter()
            .any(|f| fs::read(f).unwrap().windows(PNG.len()).any(|w| w == PNG))
    );

    let protected = casebook::protect::protect(&dir, PASS).unwrap();
    assert_nothing_readable(&dir, &shas);
    assert!(!dir.join("evidence").join("sha256").exists());

    // Without the passphrase: refused, and nothing changes.
    assert!(matches!(Journal::open_dir(&dir), Err(Error::Locked)));
    assert!(matches!(
        casebook::protect::unlock(&dir, "correct horse battery stapler"),
        Err(Error::WrongPassphrase)
    ));
    let msg = english(&Error::WrongPassphrase);
    assert!(!msg.contains("correct"), "no hint in {msg}");

    let j = unlock(&dir, PASS);
    assert!(j.is_protected());
    assert_eq!(snapshot(&j), before);
    assert!(j.verify_evidence().unwrap().ok());
    let case = j.list_cases(&Default::default()).unwrap()[0].id;
    for a in j.attachments(case).unwrap() {
        let (_, bytes) = j.attachment_bytes(a.id).unwrap();
        assert_eq!(
            hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes)),
            a.sha256
        );
    }
    // The search index is inside the encrypted database and still works.
    let hits = j
        .search(&casebook::search::SearchQuery::new("安全账户"))
        .unwrap();
    assert!(!hits.is_empty());
    let hits = j
        .search(&casebook::search::SearchQuery::new("原文"))
        .unwrap();
    assert!(!hits.is_empty(), "attachment text is searchable");
    drop(j);

    // The recovery key is its own secret, not the data key.
    assert!(protected.recovery.starts_with("CBRK-"));
    assert_ne!(*protected.recovery, *protected.key.legacy_recovery_text());
}

#[test]
fn what_is_written_after_protection_is_encrypted_too() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    Journal::open_dir(&dir).unwrap();
    casebook::protect::protect(&dir, PASS).unwrap();
    let mut j = unlock(&dir, PASS);
    let files = tempfile::tempdir().unwrap();
    long_case(&mut j, files.path());
    let big = files.path().join("big.bin");
    let mut content = b"EVIDENCE-PLAINTEXT-MARKER ".repeat(200_000);
    content.extend_from_slice("聊天记录原文".as_bytes());
    fs::write(&big, &content).unwrap();
    let a = j.attach_path(AttachTo::case(1), &big).unwrap();
    assert_eq!(j.attachment_bytes(a.id).unwrap().1, content);
    let shas: Vec<String> = j
        .attachments(1)
        .unwrap()
        .into_iter()
        .map(|a| a.sha256)
        .collect();
    drop(j);
    assert_nothing_readable(&dir, &shas);
    // Opening a copy to view it gives the plaintext back.
    let j = unlock(&dir, PASS);
    let copy = j.attachment_copy_to_open(a.id).unwrap();
    assert_eq!(fs::read(&copy).unwrap(), content);
    fs::remove_file(copy).unwrap();
}

#[test]
fn a_damaged_encrypted_file_is_reported_by_verify() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let (_, _) = rich_journal(&dir);
    casebook::protect::protect(&dir, PASS).unwrap();
    let enc: Vec<PathBuf> = all_files(&dir.join("evidence").join("enc"));
    assert_eq!(enc.len(), 2);
    let mut bytes = fs::read(&enc[0]).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x20;
    fs::write(&enc[0], bytes).unwrap();
    let j = unlock(&dir, PASS);
    let report = j.verify_evidence().unwrap();
    assert_eq!(report.damaged.len(), 1);
    assert_eq!(report.damaged[0].problem, "altered");
}

#[test]
fn changing_the_passphrase_only_rewraps_the_key_and_the_recovery_key_resets_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let (before, _) = rich_journal(&dir);
    let protected = casebook::protect::protect(&dir, PASS).unwrap();
    let db_before = fs::read(dir.join("journal.sqlite3")).unwrap();

    // Too short, wrong old one: refused, nothing changes.
    assert!(matches!(
        casebook::protect::change_passphrase(&dir, PASS, "short"),
        Err(Error::Invalid { .. })
    ));
    assert!(matches!(
        casebook::protect::change_passphrase(&dir, "not the passphrase", "another long one"),
        Err(Error::WrongPassphrase)
    ));
    casebook::protect::change_passphrase(&dir, PASS, "新的密码 also long").unwrap();
    assert_eq!(fs::read(dir.join("journal.sqlite3")).unwrap(), db_before);
    assert!(matches!(
        casebook::protect::unlock(&dir, PASS),
        Err(Error::WrongPassphrase)
    ));
    assert_eq!(snapshot(&unlock(&dir, "新的密码 also long")), before);

    // Forgotten: the recovery key sets a new one.
    let recovery = protected.recovery.clone();
    casebook::protect::reset_passphrase(&dir, &recovery, "after the reset 123").unwrap();
    assert_eq!(snapshot(&unlock(&dir, "after the reset 123")), before);

    // Another journal's recovery key is refused and changes nothing.
    let other = tempfile::tempdir().unwrap();
    Journal::open_dir(other.path()).unwrap();
    let other_key = casebook::protect::protect(other.path(), PASS).unwrap();
    let other_recovery = other_key.recovery.clone();
    let kf_before = fs::read(dir.join(vault::KEY_FILE)).unwrap();
    let err =
        casebook::protect::reset_passphrase(&dir, &other_recovery, "whatever 12345").unwrap_err();
    assert!(english(&err).contains("another journal"), "{err}");
    assert_eq!(fs::read(dir.join(vault::KEY_FILE)).unwrap(), kf_before);
    // A mistyped one is refused too.
    let mut typo = recovery.to_string();
    typo.replace_range(8..9, if &typo[8..9] == "A" { "B" } else { "A" });
    assert!(casebook::protect::reset_passphrase(&dir, &typo, "whatever 12345").is_err());
}

#[test]
fn an_interrupted_protection_is_finished_at_the_next_unlock() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let (before, shas) = rich_journal(&dir);
    // As if the machine died right after the key file was written: a key
    // file beside a plain database and plain files (and a half-written
    // encrypted copy).
    let key = DataKey::generate();
    drop(Journal::open_dir(&dir).unwrap());
    fs::write(dir.join("journal.sqlite3.encrypting"), b"half written").unwrap();
    KeyFile::wrap(PASS, &key, 10).unwrap().save(&dir).unwrap();
    assert!(matches!(Journal::open_dir(&dir), Err(Error::Locked)));
    let j = unlock(&dir, PASS);
    assert_eq!(snapshot(&j), before);
    assert!(j.verify_evidence().unwrap().ok());
    drop(j);
    assert_nothing_readable(&dir, &shas);
    assert!(!dir.join("journal.sqlite3.encrypting").exists());
}

#[test]
fn a_protected_journal_backs_up_encrypted_and_restores_with_its_passphrase() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let (before, shas) = rich_journal(&dir);
    casebook::protect::protect(&dir, PASS).unwrap();
    let archive = tmp.path().join("backup.tar");
    unlock(&dir, PASS).backup(&archive).unwrap();
    let bytes = fs::read(&archive).unwrap();
    for s in SECRETS.iter().map(|s| s.to_string()).chain(shas) {
        assert!(
            !bytes.windows(s.len()).any(|w| w == s.as_bytes()),
            "{s} in the backup"
        );
    }
    let target = tmp.path().join("restored");
    assert!(matches!(
        casebook::backup::restore(&archive, &target, false, None),
        Err(Error::Locked)
    ));
    assert!(matches!(
        casebook::backup::restore(&archive, &target, false, Some("wrong passphrase!")),
        Err(Error::WrongPassphrase)
    ));
    assert!(!target.exists(), "a refused restore creates nothing");
    let r = casebook::backup::restore(&archive, &target, false, Some(PASS)).unwrap();
    assert_eq!(r.files, 2);
    let j = unlock(&target, PASS);
    assert_eq!(snapshot(&j), before);
    assert!(j.verify_evidence().unwrap().ok());
}

#[test]
fn the_cli_protects_asks_for_the_passphrase_and_refuses_a_wrong_one() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let cli = || {
        let mut c = assert_cmd::Command::cargo_bin("casebook").unwrap();
        c.env("CASEBOOK_DATA_DIR", dir)
            .env_remove("CASEBOOK_PASSPHRASE")
            .env_remove("CASEBOOK_NEW_PASSPHRASE");
        c
    };
    cli()
        .args(["case", "new", "--title", "微信支付 退款 SECRET-TITLE"])
        .assert()
        .success();
    let out = cli()
        .args(["passphrase", "set"])
        .env("CASEBOOK_NEW_PASSPHRASE", PASS)
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let recovery = stdout.lines().find(|l| l.starts_with("CBRK-")).unwrap();
    assert!(stdout.contains("no backdoor"));
    assert_nothing_readable(dir, &["SECRET-TITLE".into()]);

    // No terminal and no passphrase: locked, with a sentence.
    let out = cli().args(["case", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("locked"));
    let out = cli()
        .args(["case", "list"])
        .env("CASEBOOK_PASSPHRASE", "wrong one, surely")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not unlock"));
    let out = cli()
        .args(["case", "list"])
        .env("CASEBOOK_PASSPHRASE", PASS)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("SECRET-TITLE"));

    cli()
        .args(["passphrase", "reset"])
        .env("CASEBOOK_RECOVERY_KEY", recovery)
        .env("CASEBOOK_NEW_PASSPHRASE", "a brand new passphrase")
        .assert()
        .success();
    // The idle time is sealed with the key: setting it asks for the passphrase.
    cli()
        .args(["passphrase", "idle-lock", "3"])
        .assert()
        .failure();
    cli()
        .args(["passphrase", "idle-lock", "3"])
        .env("CASEBOOK_PASSPHRASE", "a brand new passphrase")
        .assert()
        .success();
    let out = cli()
        .args(["--json", "passphrase", "status"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["protected"], true);
    assert_eq!(v["idle_lock_minutes"], 3);
    cli()
        .args(["case", "list"])
        .env("CASEBOOK_PASSPHRASE", "a brand new passphrase")
        .assert()
        .success();

    // --passphrase-fd: one secret per line, in the order the command asks
    // (here descriptor 0, standard input).
    let out = cli()
        .args(["--passphrase-fd", "0", "case", "list"])
        .write_stdin("a brand new passphrase\n")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("SECRET-TITLE"));
    cli()
        .args(["--passphrase-fd", "0", "passphrase", "change"])
        .write_stdin("a brand new passphrase\nand another passphrase\n")
        .assert()
        .success();
    let out = cli()
        .args(["--passphrase-fd", "0", "passphrase", "change"])
        .write_stdin("and another passphrase\n")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "one line short");
    assert!(String::from_utf8_lossy(&out.stderr).contains("fewer lines"));
    let out = cli()
        .args(["--passphrase-fd", "0", "case", "list"])
        .write_stdin("and another passphrase\n")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("SECRET-TITLE"));
}

/// Two encrypted files swapped on disk: each is bound to its name, so
/// neither decrypts under the other's; and every path that serves bytes
/// refuses them (the statement preview read the other file's bytes before).
#[test]
fn swapped_encrypted_files_are_detected_on_every_path() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let mut j = Journal::open_dir(&dir).unwrap();
    let case = j
        .create_case(casebook::cases::NewCase {
            title: "调换".into(),
            ..Default::default()
        })
        .unwrap()
        .id;
    let a = j
        .attach_reader(
            AttachTo::case(case),
            "a.csv",
            &mut &b"date,amount\n2026-11-01,-12.00\n"[..],
        )
        .unwrap();
    let b = j
        .attach_reader(
            AttachTo::case(case),
            "b.csv",
            &mut &b"date,amount\n2026-11-02,-99.00\n"[..],
        )
        .unwrap();
    drop(j);
    casebook::protect::protect(&dir, PASS).unwrap();
    let j = unlock(&dir, PASS);
    let pa = j.attachment_file(a.id).unwrap();
    let pb = j.attachment_file(b.id).unwrap();
    let (ba, bb) = (fs::read(&pa).unwrap(), fs::read(&pb).unwrap());
    fs::write(&pa, &bb).unwrap();
    fs::write(&pb, &ba).unwrap();
    for id in [a.id, b.id] {
        assert!(j.attachment_bytes(id).is_err(), "bytes of {id}");
        assert!(j.attachment_copy_to_open(id).is_err(), "open {id}");
        assert!(j.attachment_file(id).is_err(), "file {id}");
    }
    assert_eq!(j.verify_evidence().unwrap().damaged.len(), 2);
    casebook::evidence::remove_open_copies();
}
