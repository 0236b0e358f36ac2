//! Case summary export, escalation clocks, complaint letter and backup, on
//! real journals in temporary directories.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use casebook::Journal;
use casebook::due::DueKind;
use casebook::evidence::AttachTo;
use casebook::export::letter::LetterTo;
use casebook::export::{ExportFormat, ExportOptions, Lang, PromiseState, verify_export};
use casebook::model::Channel;
use common::*;

fn opts(lang: Lang, redact: bool) -> ExportOptions {
    ExportOptions {
        lang,
        redact,
        exported_at: at("2026-11-25T10:00:00+08:00"),
    }
}

fn export(j: &Journal, case: i64, f: ExportFormat, o: ExportOptions) -> Vec<u8> {
    j.export_case(case, f, o).unwrap()
}

#[test]
fn markdown_summary_tells_the_story_in_order_with_redaction() {
    let mut t = journal();
    let case = long_case(&mut t.journal, t.dir.path());
    let md = String::from_utf8(export(
        &t.journal,
        case,
        ExportFormat::Markdown,
        opts(Lang::Zh, true),
    ))
    .unwrap();
    // Sections in the order asked.
    let pos = |s: &str| md.find(s).unwrap_or_else(|| panic!("missing {s}\n{md}"));
    assert!(pos("# 支付宝 冒充客服诈骗 退款") < pos("1. 关键事实"));
    assert!(pos("1. 关键事实") < pos("2. 时间线"));
    assert!(pos("2. 时间线") < pos("3. 交易记录"));
    assert!(pos("3. 交易记录") < pos("4. 证据文件"));
    assert!(pos("4. 证据文件") < pos("5. 防骗提醒"));
    assert!(pos("5. 防骗提醒") < pos("校验清单"));
    // Header facts.
    for s in [
        "5000.00 CNY",
        "诈骗",
        "已升级投诉",
        "追回被骗的 5000 元",
        "2026-10-01 09:00 +08:00",
    ] {
        pos(s);
    }
    // The user's own numbers are masked; what support said is verbatim;
    // reference numbers and transaction IDs are kept.
    assert!(
        !md.contains("13800138000") && md.contains("\\*\\*\\*\\*\\*\\*\\*8000"),
        "{md}"
    );
    assert!(!md.contains("zhang.wei@example.com"));
    assert!(!md.contains("6222 0212 3456 7890") && md.contains("7890"));
    pos("请把验证码告诉我，然后把余额转到安全账户。");
    pos("+86 171 0000 1234");
    for s in ["TS-2026-0001", "TK-88990011", "2026100122001412345678"] {
        pos(s);
    }
    // Timeline oldest first, edited entries marked.
    assert!(pos("2026-10-01 10:00 +08:00 · 电话") < pos("2026-10-02 15:30 +08:00 · 电话"));
    pos("已修改");
    // Totals per currency: in 200, out 5000, net -4800.
    pos("| CNY | 2 | 200.00 | 5000.00 | -4800.00 |");
    // Evidence index with the hash.
    pos("通话截图.png (contact-1)");
    // The warnings of the scam call.
    assert!(md.contains("验证码") && md.contains("安全账户"));
    // Promises: not kept, kept, pending.
    let s = t.journal.case_summary(case, opts(Lang::Zh, true)).unwrap();
    let states: Vec<PromiseState> = s.facts.promises.iter().map(|p| p.state).collect();
    assert_eq!(
        states,
        vec![
            PromiseState::NotKept,
            PromiseState::Kept,
            PromiseState::Pending
        ]
    );
    pos("| 2026-10-02 15:30 +08:00 | 2026-10-07 | 回电告知处理结果 | 未兑现 |");
    pos("| 2026-10-10 11:00 +08:00 | 2026-10-15 | 联系您说明调查结果 | 已兑现 |");
    assert_eq!(s.facts.contacts_by_channel["phone"], 2);
    assert!(s.warnings.iter().any(|w| w.entry == "contact-1"));

    // --no-redact prints them in full.
    let full = String::from_utf8(export(
        &t.journal,
        case,
        ExportFormat::Markdown,
        opts(Lang::En, false),
    ))
    .unwrap();
    assert!(full.contains("13800138000") && full.contains("zhang.wei@example.com"));
    assert!(full.contains("## 1. Key facts") && full.contains("Not kept"));
}

#[test]
fn same_input_gives_the_same_bytes_and_json_is_lossless() {
    let mut t = journal();
    let case = long_case(&mut t.journal, t.dir.path());
    for f in [
        ExportFormat::Markdown,
        ExportFormat::Html,
        ExportFormat::Json,
        ExportFormat::Pdf,
    ] {
        let a = export(&t.journal, case, f, opts(Lang::Zh, true));
        let b = export(&t.journal, case, f, opts(Lang::Zh, true));
        assert!(a == b, "{f:?} differs between two exports");
    }
    let json: serde_json::Value = serde_json::from_slice(&export(
        &t.journal,
        case,
        ExportFormat::Json,
        opts(Lang::En, false),
    ))
    .unwrap();
    assert_eq!(json["format"], "casebook.case-summary");
    assert_eq!(json["version"], 1);
    let timeline = json["timeline"].as_array().unwrap();
    // 5 contacts, 1 note, 2 transactions, 2 status changes (opened, escalated).
    assert_eq!(timeline.len(), 10);
    let detail = t.journal.case_detail(case).unwrap();
    let first = detail.timeline.iter().find_map(|e| match e {
        casebook::timeline::TimelineEntry::Contact(c) => Some(c.clone()),
        _ => None,
    });
    let back: casebook::contacts::Contact = serde_json::from_value(
        timeline
            .iter()
            .find(|e| e["kind"] == "contact")
            .unwrap()
            .clone(),
    )
    .unwrap();
    assert_eq!(
        Some(back),
        first,
        "a contact round-trips through the JSON unchanged"
    );
}

#[test]
fn verify_export_finds_any_change_and_names_the_entry() {
    let mut t = journal();
    let case = long_case(&mut t.journal, t.dir.path());
    for f in [
        ExportFormat::Markdown,
        ExportFormat::Html,
        ExportFormat::Json,
        ExportFormat::Pdf,
    ] {
        let bytes = export(&t.journal, case, f, opts(Lang::Zh, true));
        let check = verify_export(&bytes, None).unwrap();
        assert!(check.ok(), "{f:?}: {:?}", check.problems);
        assert_eq!(check.entries, 11, "case + 10 entries");
        assert_eq!(check.files, 1);
    }
    // Change one character of what support said, in the visible text.
    let md = String::from_utf8(export(
        &t.journal,
        case,
        ExportFormat::Markdown,
        opts(Lang::Zh, true),
    ))
    .unwrap();
    let tampered = md.replacen("3 个工作日内回电", "30 个工作日内回电", 1);
    let check = verify_export(tampered.as_bytes(), None).unwrap();
    assert!(!check.ok());
    assert!(
        check.problems[0].contains("contact-2"),
        "{:?}",
        check.problems
    );
    // Change it in the JSON export.
    let json = String::from_utf8(export(
        &t.journal,
        case,
        ExportFormat::Json,
        opts(Lang::Zh, true),
    ))
    .unwrap();
    let tampered = json.replacen("3 个工作日内回电", "30 个工作日内回电", 1);
    let check = verify_export(tampered.as_bytes(), None).unwrap();
    assert_eq!(
        check.problems,
        vec!["Entry contact-2 was changed after export.".to_string()]
    );
    // Attached files are checked against the manifest when given.
    let files = t.dir.path().join("sent");
    fs::create_dir_all(&files).unwrap();
    fs::write(files.join("renamed.png"), PNG).unwrap();
    let check = verify_export(json.as_bytes(), Some(&files)).unwrap();
    assert!(check.ok() && check.files_matched == vec!["file-1".to_string()]);
    fs::write(files.join("renamed.png"), b"not the screenshot").unwrap();
    assert!(!verify_export(json.as_bytes(), Some(&files)).unwrap().ok());
    // Not an export at all.
    assert!(verify_export(b"hello", None).is_err());
}

#[test]
fn html_is_one_self_contained_file_and_user_text_is_never_markup() {
    let mut t = journal();
    let case = long_case(&mut t.journal, t.dir.path());
    let mut c = contact(
        Channel::Chat,
        "2026-10-03T10:00:00+08:00",
        "<script>alert(1)</script><img src=x onerror=alert(2)>",
    );
    c.agent = "[click](javascript:alert(3))".into();
    t.journal.add_contact(case, c).unwrap();
    let html = String::from_utf8(export(
        &t.journal,
        case,
        ExportFormat::Html,
        opts(Lang::En, true),
    ))
    .unwrap();
    assert!(!html.contains("<script") && !html.contains("<img"));
    assert!(html.contains("&lt;img src=x onerror=alert(2)&gt;"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(
        html.contains("<style>")
            && !html.contains("<link")
            && !html.contains("http://")
            && !html.contains("https://")
    );
    assert!(html.contains("default-src 'none'"));
    let md = String::from_utf8(export(
        &t.journal,
        case,
        ExportFormat::Markdown,
        opts(Lang::En, true),
    ))
    .unwrap();
    assert!(md.contains("\\[click\\](javascript:alert(3))") && md.contains("\\<script\\>"));
}

fn pdftotext(pdf: &[u8], dir: &Path) -> String {
    let path = dir.join("summary.pdf");
    fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed; the README's test command installs it");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn pdf_has_real_chinese_and_english_text_page_numbers_and_the_title_on_every_page() {
    let mut t = journal();
    let case = long_case(&mut t.journal, t.dir.path());
    // Make it long: 60 more contacts.
    for i in 0..60 {
        let c = contact(
            Channel::Chat,
            &format!("2026-11-{:02}T10:{:02}:00+08:00", 1 + i % 20, i % 60),
            &format!("第 {i} 次答复：我们正在核实您的问题，请耐心等待。We are looking into it."),
        );
        t.journal.add_contact(case, c).unwrap();
    }
    let pdf = export(&t.journal, case, ExportFormat::Pdf, opts(Lang::Zh, true));
    assert!(pdf.starts_with(b"%PDF"));
    let text = pdftotext(&pdf, t.dir.path());
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(pages.len() >= 3, "{} pages", pages.len());
    let n = pages.len();
    for (i, p) in pages.iter().enumerate() {
        assert!(
            p.contains("案件摘要 — 支付宝 冒充客服诈骗 退款"),
            "title on page {}",
            i + 1
        );
        assert!(
            p.contains(&format!("第 {} 页，共 {n} 页", i + 1)),
            "page number on page {}: {p}",
            i + 1
        );
    }
    for s in [
        "请把验证码告诉我，然后把余额转到安全账户。",
        "We are looking into it.",
        "TS-2026-0001",
        "回电告知处理结果",
        "未兑现",
    ] {
        assert!(text.contains(s), "{s} not in the PDF text");
    }
    assert!(!text.contains("13800138000"));
    let s = t.journal.case_summary(case, opts(Lang::Zh, true)).unwrap();
    assert!(
        text.contains(&s.manifest.sha256),
        "the manifest hash is printed"
    );
    // English too.
    let en = pdftotext(
        &export(&t.journal, case, ExportFormat::Pdf, opts(Lang::En, true)),
        t.dir.path(),
    );
    assert!(en.contains("Page 1 of") && en.contains("Key facts") && en.contains("支付宝"));
}

#[test]
fn escalation_clocks_count_from_the_first_complaint_and_show_in_due_and_export() {
    let mut t = journal();
    let case = long_case(&mut t.journal, t.dir.path());
    assert!(t.journal.escalation(case).unwrap().is_none());
    let err = t
        .journal
        .set_case_escalation(case, Some("mars"), None)
        .unwrap_err();
    assert!(english(&err).contains("uk-payments"), "{err}");
    // Counted from the first contact the user made (2026-10-02, a Friday).
    t.journal
        .set_case_escalation(case, Some("uk-payments"), None)
        .unwrap();
    let e = t.journal.escalation(case).unwrap().unwrap();
    assert_eq!(e.first_complaint, Some(date("2026-10-02")));
    assert_eq!(e.clocks[0].date, date("2026-10-23"), "15 business days");
    assert_eq!(e.can_escalate_from, Some(date("2026-10-24")));
    // An earlier complaint date given by the user wins.
    t.journal
        .set_case_escalation(case, Some("cn-nfra"), Some("2026-09-30"))
        .unwrap();
    let e = t.journal.escalation(case).unwrap().unwrap();
    assert_eq!(e.clocks[0].date, date("2026-10-15"), "15 days");
    let due = t.journal.due(date("2026-11-25"), 0).unwrap();
    let item = due
        .iter()
        .find(|d| d.kind == DueKind::Escalation)
        .expect("escalation in Due");
    assert_eq!(
        (item.date, item.route.as_deref()),
        (date("2026-10-16"), Some("cn-nfra"))
    );
    let md = String::from_utf8(export(
        &t.journal,
        case,
        ExportFormat::Markdown,
        opts(Lang::Zh, true),
    ))
    .unwrap();
    assert!(md.contains("可以升级投诉的日期:** 2026-10-16"), "{md}");
    assert!(md.contains("不构成法律意见"));
    // Cleared.
    t.journal.set_case_escalation(case, None, None).unwrap();
    assert!(t.journal.escalation(case).unwrap().is_none());
}

#[test]
fn complaint_letters_carry_the_dates_references_and_broken_promises() {
    let mut t = journal();
    let case = long_case(&mut t.journal, t.dir.path());
    t.journal
        .set_case_escalation(case, Some("cn-nfra"), None)
        .unwrap();
    let zh = t
        .journal
        .complaint_letter(case, LetterTo::Provider, Lang::Zh)
        .unwrap();
    for s in [
        "致：支付宝 投诉处理部门",
        "投诉编号 TS-2026-0001",
        "5000.00 CNY",
        "回电告知处理结果",
        "未兑现",
        "追回被骗的 5000 元",
        "2026-10-02",
    ] {
        assert!(zh.text.contains(s), "{s} not in\n{}", zh.text);
    }
    let en = t
        .journal
        .complaint_letter(case, LetterTo::Regulator, Lang::En)
        .unwrap();
    assert!(en.subject.starts_with("Complaint about 支付宝"));
    assert!(en.text.contains("this was not kept"), "{}", en.text);
    assert!(
        en.text.contains("transaction ID 2026100122001412345678"),
        "{}",
        en.text
    );
    assert!(
        !en.text.contains("联系您说明调查结果"),
        "a kept promise is not listed as broken"
    );
}

#[test]
fn backup_and_restore_round_trip_is_lossless() {
    let mut t = journal();
    let case = long_case(&mut t.journal, t.dir.path());
    let second = new_case(&mut t.journal, "第二个案件");
    let k = t
        .journal
        .add_contact(
            second,
            contact(Channel::Email, "2026-11-01T09:00:00Z", "gone"),
        )
        .unwrap();
    t.journal.delete_contact(k.id).unwrap();
    fs::write(t.dir.path().join("big.bin"), vec![7u8; 3 << 20]).unwrap();
    t.journal
        .attach_path(AttachTo::case(case), &t.dir.path().join("big.bin"))
        .unwrap();
    let before = snapshot(&t.journal);

    let out = tempfile::tempdir().unwrap();
    let archive = out.path().join("casebook.tar");
    let report = t.journal.backup(&archive).unwrap();
    assert_eq!(report.files, 2);

    let target = out.path().join("restored");
    let r = casebook::backup::restore(&archive, &target, false, None).unwrap();
    assert_eq!((r.cases, r.files), (2, 2));
    let j = Journal::open_dir(&target).unwrap();
    assert_eq!(snapshot(&j), before);
    assert!(j.verify_evidence().unwrap().ok());
    for a in j.attachments(case).unwrap() {
        let (_, bytes) = j.attachment_bytes(a.id).unwrap();
        assert_eq!(
            hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes)),
            a.sha256
        );
    }
    drop(j);

    // A non-empty directory is refused without --force, and kept aside with it.
    let err = casebook::backup::restore(&archive, &target, false, None).unwrap_err();
    assert!(english(&err).contains("--force"), "{err}");
    let r = casebook::backup::restore(&archive, &target, true, None).unwrap();
    assert!(
        Path::new(r.moved_aside.as_deref().unwrap())
            .join("journal.sqlite3")
            .exists()
    );
}

#[test]
fn a_corrupt_or_truncated_backup_is_refused_and_touches_nothing() {
    let mut t = journal();
    let case = long_case(&mut t.journal, t.dir.path());
    let _ = case;
    let out = tempfile::tempdir().unwrap();
    let archive = out.path().join("b.tar");
    t.journal.backup(&archive).unwrap();
    let bytes = fs::read(&archive).unwrap();

    let bad = out.path().join("bad.tar");
    let target = out.path().join("target");
    // Cut short at several points.
    for cut in [10, 600, bytes.len() / 2, bytes.len() - 2000] {
        fs::write(&bad, &bytes[..cut]).unwrap();
        let err = casebook::backup::restore(&bad, &target, false, None).unwrap_err();
        assert!(
            english(&err).contains("cannot be restored"),
            "cut {cut}: {err}"
        );
        assert!(!target.exists(), "nothing is created on failure");
    }
    // One byte flipped inside the journal's data.
    let mut flipped = bytes.clone();
    let i = 2048 + 4096 * 2 + 10;
    flipped[i] ^= 0xFF;
    fs::write(&bad, &flipped).unwrap();
    assert!(casebook::backup::restore(&bad, &target, false, None).is_err());
    assert!(!target.exists());
    // Not a backup at all.
    fs::write(&bad, b"hello").unwrap();
    assert!(casebook::backup::restore(&bad, &target, false, None).is_err());
    // No staging folders are left behind.
    let left: Vec<_> = fs::read_dir(out.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".casebook"))
        .collect();
    assert!(left.is_empty());
}

/// Schema 2 → 3: a journal of the previous version keeps every entry and
/// gains the (empty) escalation fields.
#[test]
fn a_version_2_journal_migrates_to_version_3() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(casebook::db::JOURNAL_FILE);
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        casebook::db::migrations().to_version(&mut conn, 2).unwrap();
        conn.execute_batch(
            "INSERT INTO cases (id, title, category, opened_ms, opened_offset, created_ms, updated_ms)
                 VALUES (1, '退款', 'refund', 0, 28800, 0, 0);
             INSERT INTO contacts (id, case_id, at_ms, at_offset, channel, direction, reply, created_ms, created_offset)
                 VALUES (1, 1, 1000, 28800, 'chat', 'out', '请耐心等待', 0, 0);
             INSERT INTO attachments (id, case_id, name, size, media_type, sha256, added_ms, added_offset)
                 VALUES (1, 1, 'a.png', 3, 'image/png', '0000000000000000000000000000000000000000000000000000000000000000', 0, 0);",
        )
        .unwrap();
    }
    let mut j = Journal::open(&path).unwrap();
    let d = j.case_detail(1).unwrap();
    assert_eq!(d.timeline.len(), 2, "the contact and the case's file");
    assert_eq!(d.attachments.len(), 1);
    assert_eq!(d.case.escalation_route, None);
    j.set_case_escalation(1, Some("cn-pboc"), Some("2026-01-05"))
        .unwrap();
    assert_eq!(
        j.case(1).unwrap().escalation_route.as_deref(),
        Some("cn-pboc")
    );
    assert!(dir.path().join("journal.sqlite3.v2.bak").exists());
}

/// A recovery phrase pasted anywhere (even into what support said) never
/// reaches an export, in any format, redacted or not.
#[test]
fn a_pasted_recovery_phrase_never_reaches_an_export() {
    let mut t = common::journal();
    let j = &mut t.journal;
    let case = common::new_case(j, "助记词被索要");
    let phrase =
        "abandon ability able about above absent absorb abstract absurd abuse access accident";
    let mut c = common::contact(
        casebook::model::Channel::Chat,
        "2026-11-20T10:00:00+08:00",
        &format!("客服：请把助记词发给我 {phrase}"),
    );
    c.asked = format!("我的助记词是 {phrase} 吗？");
    j.add_contact(case, c).unwrap();
    j.add_note(
        case,
        common::at("2026-11-20T11:00:00+08:00"),
        &format!("记下：{phrase}"),
    )
    .unwrap();
    for redact in [true, false] {
        for f in [
            ExportFormat::Markdown,
            ExportFormat::Html,
            ExportFormat::Json,
        ] {
            let out = String::from_utf8(export(j, case, f, opts(Lang::Zh, redact))).unwrap();
            assert!(!out.contains("absurd abuse"), "{f:?} redact={redact}");
            assert!(
                out.contains("请把助记词发给我"),
                "the rest of the reply is kept"
            );
        }
    }
}
