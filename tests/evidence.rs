//! Evidence files on a real data directory: the content-addressed store,
//! names kept as given, the size limit, verification, leftovers and search.

mod common;

use std::fs;
use std::path::Path;

use casebook::error::ErrorKind;
use casebook::evidence::{AttachTo, DEFAULT_MAX_BYTES};
use casebook::model::Channel;
use casebook::search::{HitKind, SearchQuery};
use casebook::timeline::TimelineEntry;
use common::*;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89";
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

/// Every file in the store (not counting temporary files).
fn stored_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let root = dir.join("evidence").join("sha256");
    for sub in fs::read_dir(&root).into_iter().flatten().flatten() {
        for f in fs::read_dir(sub.path()).into_iter().flatten().flatten() {
            out.push(f.path());
        }
    }
    out
}

fn tmp_files(dir: &Path) -> usize {
    fs::read_dir(dir.join("evidence").join("tmp"))
        .map(|d| d.count())
        .unwrap_or(0)
}

fn rows(j: &casebook::Journal, table: &str) -> i64 {
    rusqlite::Connection::open(j.path())
        .unwrap()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn files_are_stored_once_by_content_with_their_facts() {
    let mut t = journal();
    let case = new_case(&mut t.journal, "冻结");
    let src = t.dir.path().join("incoming");
    fs::create_dir_all(&src).unwrap();
    fs::write(src.join("截图1.png"), PNG).unwrap();
    fs::write(src.join("same-again.png"), PNG).unwrap();
    fs::write(src.join("letter.pdf"), PDF).unwrap();
    let a = t
        .journal
        .attach_path(AttachTo::case(case), &src.join("截图1.png"))
        .unwrap();
    let b = t
        .journal
        .attach_path(AttachTo::case(case), &src.join("same-again.png"))
        .unwrap();
    let c = t
        .journal
        .attach_path(AttachTo::case(case), &src.join("letter.pdf"))
        .unwrap();

    assert_eq!(a.name, "截图1.png");
    assert_eq!(a.media_type, "image/png");
    assert_eq!(a.size, PNG.len() as u64);
    assert_eq!(a.sha256, b.sha256);
    assert_eq!(c.media_type, "application/pdf");
    // sha256 of PNG computed independently
    use sha2::Digest;
    assert_eq!(a.sha256, hex::encode(sha2::Sha256::digest(PNG)));
    // Two files stored for three attachments; each named by its hash.
    let files = stored_files(t.dir.path());
    assert_eq!(files.len(), 2);
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        assert_eq!(
            hex::encode(sha2::Sha256::digest(fs::read(f).unwrap())),
            name
        );
    }
    assert_eq!(tmp_files(t.dir.path()), 0);

    // The case shows its files in the timeline.
    let d = t.journal.case_detail(case).unwrap();
    assert_eq!(d.attachments.len(), 3);
    let in_timeline = d
        .timeline
        .iter()
        .filter(|e| matches!(e, TimelineEntry::Attachment(_)))
        .count();
    assert_eq!(in_timeline, 3);
    assert!(t.journal.verify_evidence().unwrap().ok());
}

#[test]
fn hostile_names_are_kept_as_given_and_never_used_as_paths() {
    let mut t = journal();
    let case = new_case(&mut t.journal, "names");
    let long = "长".repeat(1000) + ".png";
    let names = [
        "../../../../tmp/evil.png".to_string(),
        "/etc/passwd".to_string(),
        "C:\\Windows\\system32\\x.png".to_string(),
        "bell\u{7}\r\nnew line\u{1b}[31m.png".to_string(),
        "<img src=x onerror=alert(1)>.png".to_string(),
        long.clone(),
    ];
    for name in &names {
        let a = t
            .journal
            .attach_reader(AttachTo::case(case), name, &mut &PNG[..])
            .unwrap();
        assert_eq!(&a.name, name);
        assert_eq!(&t.journal.attachment(a.id).unwrap().name, name);
        let path = t.journal.attachment_file(a.id).unwrap();
        assert!(path.starts_with(t.dir.path().join("evidence").join("sha256")));
    }
    assert_eq!(stored_files(t.dir.path()).len(), 1);
    assert!(!Path::new("/tmp/evil.png").exists() || fs::read("/tmp/evil.png").unwrap() != PNG);
    let err = t
        .journal
        .attach_reader(AttachTo::case(case), &"x".repeat(5000), &mut &PNG[..])
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
}

#[test]
fn a_file_over_the_limit_is_refused_and_nothing_half_stored_remains() {
    let mut t = journal();
    let case = new_case(&mut t.journal, "limit");
    assert_eq!(t.journal.max_file_bytes(), DEFAULT_MAX_BYTES);
    t.journal.set_max_file_bytes(1024);
    let big = vec![7u8; 4096];
    // Through a reader (size unknown in advance)...
    let err = t
        .journal
        .attach_reader(AttachTo::case(case), "big.bin", &mut &big[..])
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert!(english(&err).contains("larger than"), "{err}");
    // ...and from a path (refused before reading).
    let p = t.dir.path().join("big.bin");
    fs::write(&p, &big).unwrap();
    assert!(t.journal.attach_path(AttachTo::case(case), &p).is_err());
    assert_eq!(rows(&t.journal, "attachments"), 0);
    assert!(stored_files(t.dir.path()).is_empty());
    assert_eq!(tmp_files(t.dir.path()), 0);
}

#[test]
fn verify_finds_missing_and_altered_files() {
    let mut t = journal();
    let case = new_case(&mut t.journal, "verify");
    let a = t
        .journal
        .attach_reader(AttachTo::case(case), "a.png", &mut &PNG[..])
        .unwrap();
    let b = t
        .journal
        .attach_reader(AttachTo::case(case), "b.pdf", &mut &PDF[..])
        .unwrap();
    let r = t.journal.verify_evidence().unwrap();
    assert_eq!((r.files_checked, r.damaged.len()), (2, 0));
    let pa = t.journal.attachment_file(a.id).unwrap();
    let pb = t.journal.attachment_file(b.id).unwrap();
    let mut bytes = fs::read(&pa).unwrap();
    bytes[10] ^= 1;
    fs::write(&pa, bytes).unwrap();
    fs::remove_file(&pb).unwrap();
    let r = t.journal.verify_evidence().unwrap();
    assert!(!r.ok());
    let problems: Vec<(&str, &str)> = r
        .damaged
        .iter()
        .map(|d| (d.problem.as_str(), d.names[0].as_str()))
        .collect();
    assert_eq!(problems, [("altered", "a.png"), ("missing", "b.pdf")]);
    // Opening a damaged file is refused with the reason.
    assert!(
        t.journal
            .attachment_file(a.id)
            .unwrap_err()
            .to_string()
            .contains("altered")
    );
}

#[test]
fn leftover_temporary_files_of_dead_writers_are_cleaned_at_start() {
    let t = journal();
    let tmp = t.dir.path().join("evidence").join("tmp");
    fs::create_dir_all(&tmp).unwrap();
    // PID 4194303 is above Linux's pid_max default; it cannot be running.
    fs::write(tmp.join("w4194303-abc"), b"half a screenshot").unwrap();
    fs::write(tmp.join("stray"), b"?").unwrap();
    let mine = tmp.join(format!("w{}-live", std::process::id()));
    fs::write(&mine, b"being written").unwrap();
    drop(t.journal);
    let _again = casebook::Journal::open_dir(t.dir.path()).unwrap();
    let left: Vec<String> = fs::read_dir(&tmp)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        left,
        [mine.file_name().unwrap().to_string_lossy().into_owned()]
    );
}

#[test]
fn files_attach_to_entries_of_their_own_case_only() {
    let mut t = journal();
    let case = new_case(&mut t.journal, "one");
    let other = new_case(&mut t.journal, "two");
    let c = t
        .journal
        .add_contact(case, contact(Channel::Chat, "2026-11-20 10:00", "ok"))
        .unwrap();
    let to = AttachTo {
        case_id: case,
        contact_id: Some(c.id),
        transaction_id: None,
    };
    let a = t
        .journal
        .attach_reader(to, "chat.png", &mut &PNG[..])
        .unwrap();
    assert_eq!(a.contact_id, Some(c.id));
    let d = t.journal.case_detail(case).unwrap();
    // Listed with the contact, not as a separate timeline entry.
    assert!(
        !d.timeline
            .iter()
            .any(|e| matches!(e, TimelineEntry::Attachment(_)))
    );
    assert_eq!(d.attachments.len(), 1);
    let wrong = AttachTo {
        case_id: other,
        contact_id: Some(c.id),
        transaction_id: None,
    };
    let err = t
        .journal
        .attach_reader(wrong, "x.png", &mut &PNG[..])
        .unwrap_err();
    assert!(english(&err).contains("belongs to case"), "{err}");
    assert_eq!(rows(&t.journal, "attachments"), 1);
}

#[test]
fn names_and_text_of_text_like_files_are_searchable() {
    let mut t = journal();
    let case = new_case(&mut t.journal, "search");
    let eml = "From: support@alipay.example\r\nSubject: =?UTF-8?B?5a6i5pyN?=\r\n\r\n您的账户已被冻结，请提供身份证明。Ticket AP-778812.\r\n";
    t.journal
        .attach_reader(AttachTo::case(case), "reply.eml", &mut eml.as_bytes())
        .unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode("交易时间,交易对方\n2026-11-18,李客服\n");
    t.journal
        .attach_reader(AttachTo::case(case), "账单.csv", &mut &gbk[..])
        .unwrap();
    t.journal
        .attach_reader(AttachTo::case(case), "转账截图.png", &mut &PNG[..])
        .unwrap();
    let find = |q: &str| {
        let mut s = SearchQuery::new(q);
        s.kind = Some(HitKind::Attachment);
        t.journal
            .search(&s)
            .unwrap()
            .into_iter()
            .map(|h| h.snippet)
            .collect::<Vec<_>>()
    };
    assert_eq!(find("冻结").len(), 1);
    assert_eq!(find("AP-778812").len(), 1);
    assert_eq!(find("李客服").len(), 1, "GBK text is decoded");
    assert_eq!(find("转账截图").len(), 1, "names are searchable");
    assert!(find("nothing-like-this").is_empty());
}

/// Schema 1 → 2: a journal written by the previous version keeps every entry,
/// its transactions gain the new columns, and a backup of v1 is left beside it.
#[test]
fn a_version_1_journal_migrates_with_every_entry() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(casebook::db::JOURNAL_FILE);
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        casebook::db::migrations().to_version(&mut conn, 1).unwrap();
        conn.execute_batch(
            "INSERT INTO cases (id, title, category, opened_ms, opened_offset, created_ms, updated_ms)
                 VALUES (1, '退款', 'refund', 0, 28800, 0, 0);
             INSERT INTO contacts (id, case_id, at_ms, at_offset, channel, direction, reply, created_ms, created_offset)
                 VALUES (1, 1, 1000, 28800, 'chat', 'out', '请耐心等待', 0, 0);
             INSERT INTO transactions (id, case_id, txid, at_ms, at_offset, amount, currency, direction, created_ms, created_offset)
                 VALUES (1, 1, 'T-1', 2000, 28800, '12.50', 'CNY', 'out', 0, 0);
             INSERT INTO revisions (entity, entity_id, action, at_ms, at_offset, before_json)
                 VALUES ('contact', 1, 'edit', 5, 0, '{}');",
        )
        .unwrap();
    }
    let j = casebook::Journal::open(&path).unwrap();
    let d = j.case_detail(1).unwrap();
    assert_eq!(d.timeline.len(), 2);
    let t = j.transaction(1).unwrap();
    assert_eq!(
        (t.txid.as_str(), t.money.amount.to_string().as_str()),
        ("T-1", "12.50")
    );
    assert_eq!(t.source_attachment_id, None);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, casebook::db::schema_version());
    let revisions: i64 = conn
        .query_row("SELECT count(*) FROM revisions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(revisions, 1);
    let fk_problems: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(fk_problems, 0);
    assert!(dir.path().join("journal.sqlite3.v1.bak").exists());
}

#[test]
fn attaching_the_original_again_repairs_a_damaged_stored_copy() {
    let mut t = journal();
    let case = new_case(&mut t.journal, "repair");
    let a = t
        .journal
        .attach_reader(AttachTo::case(case), "a.png", &mut &PNG[..])
        .unwrap();
    let path = t.journal.attachment_file(a.id).unwrap();
    let mut bytes = fs::read(&path).unwrap();
    bytes[9] ^= 0xff; // same size, different content
    fs::write(&path, &bytes).unwrap();
    assert!(!t.journal.verify_evidence().unwrap().ok());
    t.journal
        .attach_reader(AttachTo::case(case), "a-again.png", &mut &PNG[..])
        .unwrap();
    assert!(t.journal.verify_evidence().unwrap().ok());
    // Opening makes a copy named by the original extension only.
    let copy = t.journal.attachment_copy_to_open(a.id).unwrap();
    assert_eq!(
        copy.file_name().unwrap().to_string_lossy(),
        format!("casebook-{}.png", a.id)
    );
    assert_eq!(fs::read(copy).unwrap(), PNG);
}
