//! Restoring a hostile backup archive never writes outside the data folder.
//!
//! Each archive below is built as an attacker would: a genuine backup's
//! manifest and journal (so every checksum a careless restore checks after
//! writing would pass), plus entries whose names climb out of the staging
//! folder, are absolute, are links, repeat, or are missing. After every
//! attempt the whole tree around the data folder must be byte-for-byte what
//! it was, the restore must have failed, and a journal that was there (with
//! `--force`) must be untouched.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use casebook::Journal;
use casebook::backup::{BackupManifest, restore};
use casebook::evidence::AttachTo;
use common::*;
use sha2::{Digest, Sha256};

/// Every file, folder and link under `root`, with its bytes or target,
/// except the archive being restored.
fn tree(root: &Path, skip: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in fs::read_dir(&dir).unwrap().flatten() {
            let p = e.path();
            if p == skip {
                continue;
            }
            let rel = p.strip_prefix(root).unwrap().to_path_buf();
            let meta = fs::symlink_metadata(&p).unwrap();
            let what = if meta.file_type().is_symlink() {
                format!("link -> {}", fs::read_link(&p).unwrap().display())
            } else if meta.is_dir() {
                stack.push(p.clone());
                "dir".to_string()
            } else {
                format!(
                    "file {}",
                    hex::encode(Sha256::digest(fs::read(&p).unwrap()))
                )
            };
            out.insert(rel, what);
        }
    }
    out
}

/// Raw tar writing: names exactly as given (the `tar` crate's own path
/// setters refuse `..`, which is the point here).
struct RawTar(Vec<u8>);

impl RawTar {
    fn new() -> RawTar {
        RawTar(Vec::new())
    }

    fn header(name: &[u8], kind: tar::EntryType, size: u64, link: &[u8]) -> tar::Header {
        let mut h = tar::Header::new_gnu();
        h.set_size(size);
        h.set_mode(0o644);
        h.set_mtime(0);
        h.set_entry_type(kind);
        let gnu = h.as_gnu_mut().unwrap();
        let n = name.len().min(100);
        gnu.name[..n].copy_from_slice(&name[..n]);
        let l = link.len().min(100);
        gnu.linkname[..l].copy_from_slice(&link[..l]);
        h.set_cksum();
        h
    }

    fn block(&mut self, h: &tar::Header, data: &[u8]) {
        self.0.extend_from_slice(h.as_bytes());
        self.0.extend_from_slice(data);
        let pad = (512 - data.len() % 512) % 512;
        self.0.extend(std::iter::repeat_n(0u8, pad));
    }

    /// A regular file; a name over 100 bytes goes in a GNU long-name entry.
    fn file(&mut self, name: &[u8], data: &[u8]) -> &mut Self {
        self.entry(name, tar::EntryType::Regular, data, b"")
    }

    fn entry(&mut self, name: &[u8], kind: tar::EntryType, data: &[u8], link: &[u8]) -> &mut Self {
        if name.len() > 100 {
            let mut long = name.to_vec();
            long.push(0);
            let h = RawTar::header(
                b"././@LongLink",
                tar::EntryType::GNULongName,
                long.len() as u64,
                b"",
            );
            self.block(&h, &long);
        }
        let h = RawTar::header(name, kind, data.len() as u64, link);
        self.block(&h, data);
        self
    }

    /// A file whose name is set by a PAX extended header.
    fn pax_file(&mut self, name: &[u8], data: &[u8]) -> &mut Self {
        let body = [b" path=".as_slice(), name, b"\n"].concat();
        let mut len = body.len() + 1;
        while len.to_string().len() + body.len() != len {
            len += 1;
        }
        let record = [len.to_string().as_bytes(), &body].concat();
        let h = RawTar::header(
            b"PaxHeader",
            tar::EntryType::XHeader,
            record.len() as u64,
            b"",
        );
        self.block(&h, &record);
        let h = RawTar::header(
            b"placeholder",
            tar::EntryType::Regular,
            data.len() as u64,
            b"",
        );
        self.block(&h, data);
        self
    }

    fn finish(mut self) -> Vec<u8> {
        self.0.extend(std::iter::repeat_n(0u8, 1024));
        self.0
    }
}

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A genuine backup's parts: its manifest, journal bytes and the one
/// attachment's bytes.
struct Genuine {
    manifest: BackupManifest,
    journal: Vec<u8>,
    evidence: Vec<u8>,
}

fn genuine(dir: &Path) -> Genuine {
    let data = dir.join("source");
    let mut j = Journal::open_dir(&data).unwrap();
    let case = new_case(&mut j, "被冻结");
    j.attach_reader(AttachTo::case(case), "截图.png", &mut { PNG })
        .unwrap();
    let archive = dir.join("genuine.tar");
    j.backup(&archive).unwrap();
    drop(j);
    let mut manifest = None;
    let mut journal = Vec::new();
    let mut evidence = Vec::new();
    let mut t = tar::Archive::new(fs::File::open(&archive).unwrap());
    for e in t.entries().unwrap() {
        let mut e = e.unwrap();
        let name = e.path().unwrap().to_string_lossy().into_owned();
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut e, &mut buf).unwrap();
        if name == "casebook-backup.json" {
            manifest = Some(serde_json::from_slice(&buf).unwrap());
        } else if name == "journal.sqlite3" {
            journal = buf;
        } else {
            evidence = buf;
        }
    }
    fs::remove_dir_all(&data).unwrap();
    fs::remove_file(&archive).unwrap();
    Genuine {
        manifest: manifest.unwrap(),
        journal,
        evidence,
    }
}

/// An archive: the manifest (with `files` as given), the journal, then `rest`.
fn archive(g: &Genuine, files: &[(&str, &[u8])], rest: impl FnOnce(&mut RawTar)) -> Vec<u8> {
    let mut m = g.manifest.clone();
    m.files = files
        .iter()
        .map(|(name, bytes)| casebook::backup::BackupFile {
            sha256: name.to_string(),
            size: bytes.len() as u64,
            path: None,
        })
        .collect();
    let json = serde_json::to_vec(&m).unwrap();
    let mut t = RawTar::new();
    t.file(b"casebook-backup.json", &json)
        .file(b"journal.sqlite3", &g.journal);
    rest(&mut t);
    t.finish()
}

/// The hostile archives, each with what it tries.
fn hostile(root: &Path, g: &Genuine) -> Vec<(String, Vec<u8>)> {
    let payload: &[u8] = b"[Desktop Entry]\nExec=sh -c 'echo owned'\n";
    let real = sha(&g.evidence);
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();

    // The attack from the issue: a 64-character "hash" that climbs out,
    // listed as such in the manifest.
    let climb = |target: &str| -> String {
        // From <staging>/evidence/sha256/<..>/ up to the root folder.
        let base = format!("../../{target}");
        let pad = 64usize.saturating_sub(base.len());
        format!("..{}{}", "/".repeat(pad), &base[2..])
    };
    for target in [
        "home/.config/autostart/x.desktop",
        "home/victim/planted.desktop",
    ] {
        let name = climb(target);
        assert_eq!(name.len(), 64, "{name}");
        let entry = format!("evidence/sha256/../{name}");
        out.push((
            format!("traversal through the hash: {entry}"),
            archive(g, &[(&name, payload)], |t| {
                t.file(entry.as_bytes(), payload);
            }),
        ));
    }
    // `..` in every position of the evidence shape.
    let shapes = [
        format!("../sha256/{}/{real}", &real[..2]),
        format!("evidence/../{}/{real}", &real[..2]),
        format!("evidence/sha256/../{real}"),
        format!("evidence/sha256/{}/..", &real[..2]),
        format!("evidence/sha256/{}/../../../home/victim/a", &real[..2]),
        "../journal.sqlite3".to_string(),
        "./../home/victim/b".to_string(),
        "evidence/enc/../../../home/victim/c".to_string(),
    ];
    for name in shapes {
        out.push((
            format!("'..' in the name: {name}"),
            archive(g, &[(&real, &g.evidence)], |t| {
                t.file(name.as_bytes(), payload);
            }),
        ));
    }
    // Absolute names, inside the watched folder.
    let abs = format!("{}/home/victim/abs.desktop", root.display());
    out.push((
        format!("absolute name {abs}"),
        archive(g, &[(&real, &g.evidence)], |t| {
            t.file(abs.as_bytes(), payload);
        }),
    ));
    let abs_in = format!("evidence/sha256/{}/{}", &real[..2], abs);
    out.push((
        "absolute name after the prefix".into(),
        archive(g, &[(&real, &g.evidence)], |t| {
            t.file(abs_in.as_bytes(), payload);
        }),
    ));
    // Names that are 64 characters of slashes and dots.
    for name in [
        "/".repeat(64),
        ".".repeat(64),
        "./".repeat(32),
        "../".repeat(21) + ".",
    ] {
        let entry = format!("evidence/sha256/{}/{name}", &name[..2]);
        out.push((
            format!("slashes and dots: {entry}"),
            archive(g, &[(&name, payload)], |t| {
                t.file(entry.as_bytes(), payload);
            }),
        ));
    }
    // A symlink to a file outside, then a write through it; a hard link.
    let victim = format!("{}/home/victim/keep.txt", root.display());
    let evidence_name = format!("evidence/sha256/{}/{real}", &real[..2]);
    out.push((
        "symlink then a file of the same name".into(),
        archive(g, &[(&real, &g.evidence)], |t| {
            t.entry(
                evidence_name.as_bytes(),
                tar::EntryType::Symlink,
                b"",
                victim.as_bytes(),
            )
            .file(evidence_name.as_bytes(), payload);
        }),
    ));
    out.push((
        "symlink folder then a file inside it".into(),
        archive(g, &[(&real, &g.evidence)], |t| {
            t.entry(
                b"evidence",
                tar::EntryType::Symlink,
                b"",
                format!("{}/home/victim", root.display()).as_bytes(),
            )
            .file(evidence_name.as_bytes(), &g.evidence);
        }),
    ));
    out.push((
        "hard link to a file outside".into(),
        archive(g, &[(&real, &g.evidence)], |t| {
            t.entry(
                evidence_name.as_bytes(),
                tar::EntryType::Link,
                b"",
                victim.as_bytes(),
            );
        }),
    ));
    // Duplicated entries: the same file twice must not stand for a second
    // file the manifest lists and the archive does not hold.
    let other = sha(b"another file");
    out.push((
        "duplicated entry standing in for a missing file".into(),
        archive(g, &[(&real, &g.evidence), (&other, b"another file")], |t| {
            t.file(evidence_name.as_bytes(), &g.evidence)
                .file(evidence_name.as_bytes(), &g.evidence);
        }),
    ));
    out.push((
        "the journal twice".into(),
        archive(g, &[(&real, &g.evidence)], |t| {
            t.file(b"journal.sqlite3", &g.journal)
                .file(evidence_name.as_bytes(), &g.evidence);
        }),
    ));
    // A manifest that lists a file the archive does not hold.
    out.push((
        "manifest lists a file that is not there".into(),
        archive(g, &[(&real, &g.evidence), (&other, b"x")], |t| {
            t.file(evidence_name.as_bytes(), &g.evidence);
        }),
    ));
    // The attachment the journal names is missing altogether.
    out.push((
        "journal names a file that is not there".into(),
        archive(g, &[], |_| {}),
    ));
    // Entries after a bad one (a bad checksum, then a traversal).
    let bad = sha(b"not this");
    out.push((
        "a traversal after a damaged entry".into(),
        archive(g, &[(&bad, b"not this"), (&real, &g.evidence)], |t| {
            t.file(
                format!("evidence/sha256/{}/{bad}", &bad[..2]).as_bytes(),
                b"something else",
            )
            .file(b"../../home/victim/after.desktop", payload);
        }),
    ));
    // Long names (GNU long-name entries) and PAX paths that climb out.
    let long = format!(
        "evidence/sha256/../{}../../home/victim/long.desktop",
        "/".repeat(120)
    );
    out.push((
        "GNU long name climbing out".into(),
        archive(g, &[(&real, &g.evidence)], |t| {
            t.file(long.as_bytes(), payload);
        }),
    ));
    out.push((
        "PAX path climbing out".into(),
        archive(g, &[(&real, &g.evidence)], |t| {
            t.pax_file(b"../../home/victim/pax.desktop", payload);
        }),
    ));
    // Upper-case hex, or a prefix that is not the hash's.
    let upper = real.to_uppercase();
    out.push((
        "upper-case hash".into(),
        archive(g, &[(&upper, &g.evidence)], |t| {
            t.file(
                format!("evidence/sha256/{}/{upper}", &upper[..2]).as_bytes(),
                &g.evidence,
            );
        }),
    ));
    out
}

fn hostile_archives_change_nothing_outside(force: bool) {
    let root = tempfile::tempdir().unwrap();
    let root = root.path();
    let g = genuine(root);
    fs::create_dir_all(root.join("home/victim")).unwrap();
    fs::create_dir_all(root.join("home/.config/autostart")).unwrap();
    fs::write(root.join("home/victim/keep.txt"), "the user's own file").unwrap();
    let data = root.join("data");
    if force {
        let mut j = Journal::open_dir(&data).unwrap();
        new_case(&mut j, "现有的案件");
    }
    let archive_path = root.join("hostile.tar");
    let cases = hostile(root, &g);
    assert!(cases.len() >= 25, "{} hostile archives", cases.len());
    // `CASEBOOK_FUZZ_SEEDS=DIR cargo test --test backup_hostile` writes
    // each archive there: seeds for the backup_restore fuzz target.
    let seeds = std::env::var_os("CASEBOOK_FUZZ_SEEDS").map(PathBuf::from);
    let mut failures = Vec::new();
    for (i, (what, bytes)) in cases.into_iter().enumerate() {
        if let Some(dir) = &seeds {
            fs::write(dir.join(format!("hostile-{i:02}.tar")), &bytes).unwrap();
        }
        fs::write(&archive_path, &bytes).unwrap();
        let before = tree(root, &archive_path);
        let result = restore(&archive_path, &data, force, None);
        let after = tree(root, &archive_path);
        match result {
            Ok(_) => {
                failures.push(format!("{what}: a hostile archive was restored"));
                if !force {
                    fs::remove_dir_all(&data).unwrap();
                }
            }
            Err(e) if before != after => {
                let changed: Vec<_> = after
                    .iter()
                    .filter(|(k, v)| before.get(*k) != Some(*v))
                    .map(|(k, _)| k.display().to_string())
                    .chain(
                        before
                            .keys()
                            .filter(|k| !after.contains_key(*k))
                            .map(|k| format!("removed {}", k.display())),
                    )
                    .collect();
                failures.push(format!("{what}: the tree changed: {changed:?} ({e})"));
            }
            Err(e) if !english(&e).contains("Nothing was changed") => {
                failures.push(format!(
                    "{what}: the refusal does not say nothing changed: {e}"
                ));
            }
            Err(_) => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn hostile_archives_write_nothing_outside_an_empty_data_folder() {
    hostile_archives_change_nothing_outside(false);
}

#[test]
fn hostile_archives_leave_an_existing_journal_untouched_with_force() {
    hostile_archives_change_nothing_outside(true);
}

/// The genuine archive, rebuilt by this file's raw writer, still restores:
/// the hostile cases fail for their names, not for the writer.
#[test]
fn the_raw_writer_makes_archives_that_restore() {
    let root = tempfile::tempdir().unwrap();
    let g = genuine(root.path());
    let real = sha(&g.evidence);
    let bytes = archive(&g, &[(&real, &g.evidence)], |t| {
        t.file(
            format!("evidence/sha256/{}/{real}", &real[..2]).as_bytes(),
            &g.evidence,
        );
    });
    let path = root.path().join("ok.tar");
    fs::write(&path, bytes).unwrap();
    let data = root.path().join("data");
    let r = restore(&path, &data, false, None).unwrap();
    assert_eq!((r.cases, r.files), (1, 1));
    let j = Journal::open_dir(&data).unwrap();
    assert!(j.verify_evidence().unwrap().ok());
}

/// A journal whose attachment row names a path instead of a SHA-256 is
/// refused, and such a row never becomes a path when read.
#[test]
fn a_journal_whose_rows_name_paths_is_refused() {
    let root = tempfile::tempdir().unwrap();
    let g = genuine(root.path());
    let real = sha(&g.evidence);
    // Rewrite the row in a copy of the journal.
    let db = root.path().join("j.sqlite3");
    fs::write(&db, &g.journal).unwrap();
    {
        // The schema's CHECK refuses such a row; an attacker writes the
        // file with another program.
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch("PRAGMA ignore_check_constraints = ON")
            .unwrap();
        c.execute(
            "UPDATE attachments SET sha256 = '../../../home/victim/keep.txt'",
            [],
        )
        .unwrap();
        c.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))
            .unwrap();
    }
    let journal = fs::read(&db).unwrap();
    let mut m = g.manifest.clone();
    m.journal = casebook::backup::BackupFile {
        sha256: sha(&journal),
        size: journal.len() as u64,
        path: None,
    };
    let g2 = Genuine {
        manifest: m,
        journal,
        evidence: g.evidence.clone(),
    };
    let bytes = archive(&g2, &[(&real, &g.evidence)], |t| {
        t.file(
            format!("evidence/sha256/{}/{real}", &real[..2]).as_bytes(),
            &g.evidence,
        );
    });
    let path = root.path().join("rows.tar");
    fs::write(&path, bytes).unwrap();
    let data = root.path().join("data");
    let err = restore(&path, &data, false, None).unwrap_err();
    assert!(english(&err).contains("does not hold"), "{err}");
    assert!(!data.exists());
}
