//! A data directory the user cannot write (a read-only folder, a mounted
//! backup): the journal opens for reading, every read works, a write fails
//! with a sentence, and nothing changes on disk.
//!
//! Root ignores file permissions, so when the tests run as root (CI), the
//! CLI is run as `nobody` through `setpriv` (util-linux).

#![cfg(target_os = "linux")]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

use casebook::Journal;
use casebook::cases::NewCase;
use sha2::{Digest, Sha256};

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn cli(dir: &Path, args: &[&str]) -> Output {
    let exe = env!("CARGO_BIN_EXE_casebook");
    let mut cmd = if is_root() {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", exe]);
        c
    } else {
        Command::new(exe)
    };
    cmd.arg("--data-dir").arg(dir).args(args).output().unwrap()
}

fn chmod_tree(path: &Path, dir_mode: u32, file_mode: u32) {
    for entry in walk(path) {
        let mode = if entry.is_dir() { dir_mode } else { file_mode };
        std::fs::set_permissions(&entry, std::fs::Permissions::from_mode(mode)).unwrap();
    }
}

fn walk(path: &Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![path.to_path_buf()];
    if path.is_dir() {
        for e in std::fs::read_dir(path).unwrap().flatten() {
            out.extend(walk(&e.path()));
        }
    }
    out
}

fn digest_tree(path: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = walk(path)
        .into_iter()
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p.display().to_string(), hex::encode(Sha256::digest(&bytes)))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_read_only_journal_can_be_read_but_not_written() {
    let outer = tempfile::tempdir().unwrap();
    let dir = outer.path().join("data");
    {
        let mut j = Journal::open_dir(&dir).unwrap();
        let case = j
            .create_case(NewCase {
                title: "只读的案件".into(),
                ..NewCase::default()
            })
            .unwrap()
            .id;
        let mut c = casebook::contacts::ContactInput::new(
            casebook::model::Channel::Phone,
            casebook::time::At::now(),
        );
        c.reply = "您的退款已提交，工单号 TK-7788".into();
        j.add_contact(case, c).unwrap();
        j.attach_reader(
            casebook::evidence::AttachTo::case(case),
            "截图.png",
            &mut &b"\x89PNG\r\n\x1a\nfake"[..],
        )
        .unwrap();
    }
    // Everyone may read, nobody may write.
    std::fs::set_permissions(outer.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    chmod_tree(&dir, 0o555, 0o444);
    let before = digest_tree(&dir);

    let list = cli(&dir, &["--json", "case", "list"]);
    assert!(
        list.status.success(),
        "{}",
        String::from_utf8_lossy(&list.stderr)
    );
    assert!(String::from_utf8_lossy(&list.stdout).contains("只读的案件"));
    let found = cli(&dir, &["--json", "search", "TK-7788"]);
    assert!(
        found.status.success(),
        "{}",
        String::from_utf8_lossy(&found.stderr)
    );
    assert!(String::from_utf8_lossy(&found.stdout).contains("TK-7788"));
    let export = cli(&dir, &["export", "--case", "1", "--format", "md"]);
    assert!(
        export.status.success(),
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );
    let verify = cli(&dir, &["verify"]);
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stderr)
    );

    let add = cli(
        &dir,
        &[
            "contact",
            "add",
            "--case",
            "1",
            "--channel",
            "chat",
            "--reply",
            "新的回复",
        ],
    );
    assert!(!add.status.success());
    let err = String::from_utf8_lossy(&add.stderr);
    assert!(err.contains("read-only"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one sentence: {err}");

    assert_eq!(digest_tree(&dir), before, "nothing changed on disk");
    chmod_tree(&dir, 0o755, 0o644);
}
