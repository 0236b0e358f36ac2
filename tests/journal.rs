//! The journal on real SQLite files: cases, contacts, notes, transactions,
//! edit history, trash, due items, durability settings and schema checks.

mod common;

use casebook::cases::{CaseFilter, NewCase};
use casebook::contacts::{ContactPatch, FollowUp};
use casebook::due::DueKind;
use casebook::error::ErrorKind;
use casebook::model::{Category, Channel, Direction, RefKind, Status};
use casebook::money::{Currency, Money, parse_amount};
use casebook::revisions::Action;
use casebook::timeline::TimelineEntry;
use casebook::transactions::TransactionInput;
use casebook::{Journal, db};
use chrono::NaiveDate;
use common::*;

fn count(j: &Journal, table: &str) -> i64 {
    let conn = rusqlite::Connection::open(j.path()).unwrap();
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_case_keeps_everything_the_user_gave() {
    let mut t = journal();
    let case = t
        .journal
        .create_case(NewCase {
            title: "  微信支付 退款未到账 ".into(),
            provider: Some("WeChat Pay".into()),
            category: Some(Category::Refund),
            amount: Some(Money {
                amount: parse_amount("a", "1999.99").unwrap(),
                currency: Currency::parse("c", "cny").unwrap(),
            }),
            deadline: Some(NaiveDate::from_ymd_opt(2099, 1, 31).unwrap()),
            desired_outcome: "Full refund".into(),
            summary: "Paid twice for one order".into(),
            tags: vec!["refund".into(), "双重扣款".into()],
            opened_at: Some(at("2026-11-01T09:00:00+08:00")),
            ..NewCase::default()
        })
        .unwrap();
    assert_eq!(case.title, "微信支付 退款未到账");
    assert_eq!(case.provider.as_ref().unwrap().name, "WeChat Pay");
    assert_eq!(
        case.provider.as_ref().unwrap().kind,
        casebook::model::ProviderKind::EWallet
    );
    assert_eq!(case.status, Status::Open);
    assert_eq!(case.amount.as_ref().unwrap().to_string(), "1999.99 CNY");
    assert_eq!(case.opened_at.to_rfc3339(), "2026-11-01T09:00:00+08:00");
    assert!(!case.overdue);
    assert_eq!(
        case.tags,
        vec!["refund".to_string(), "双重扣款".to_string()]
    );

    // Reopened from disk, it is the same.
    let path = t.journal.path().to_path_buf();
    drop(t.journal);
    let j = Journal::open(&path).unwrap();
    let again = j.case(case.id).unwrap();
    assert_eq!(again.amount, case.amount);
    assert_eq!(again.deadline, case.deadline);

    // Status changes are kept in the timeline.
    let mut j = j;
    j.set_case_status(case.id, Status::Escalated).unwrap();
    let detail = j.case_detail(case.id).unwrap();
    let statuses: Vec<Status> = detail
        .timeline
        .iter()
        .filter_map(|e| match e {
            TimelineEntry::StatusChange(s) => Some(s.to),
            _ => None,
        })
        .collect();
    assert_eq!(statuses, vec![Status::Open, Status::Escalated]);
    assert_eq!(
        j.list_cases(&CaseFilter {
            status: Some(Status::Escalated),
            ..Default::default()
        })
        .unwrap()
        .len(),
        1
    );
    assert_eq!(
        j.list_cases(&CaseFilter {
            status: Some(Status::Open),
            ..Default::default()
        })
        .unwrap()
        .len(),
        0
    );
}

/// The app reads the case list a page at a time: the pages follow the full
/// list's order (unfinished cases first, newest first), cover it without
/// gaps or repeats, and each tells how many cases match in all.
#[test]
fn the_case_list_comes_in_pages_in_the_full_lists_order() {
    let mut t = journal();
    for i in 0..7 {
        let id = t
            .journal
            .create_case(NewCase {
                title: format!("案件 {i}"),
                provider: Some(if i % 2 == 0 { "支付宝" } else { "PayPal" }.into()),
                opened_at: Some(at(&format!("2026-0{}-01T10:00:00+08:00", i + 1))),
                ..NewCase::default()
            })
            .unwrap()
            .id;
        if i == 5 {
            t.journal.set_case_status(id, Status::Resolved).unwrap();
        }
    }
    let all = CaseFilter::default();
    let full: Vec<String> = t
        .journal
        .list_cases(&all)
        .unwrap()
        .into_iter()
        .map(|c| c.title)
        .collect();
    assert_eq!(full.first().map(String::as_str), Some("案件 6"));
    assert_eq!(
        full.last().map(String::as_str),
        Some("案件 5"),
        "resolved last"
    );
    let mut paged = Vec::new();
    for offset in (0..9).step_by(3) {
        let page = t.journal.case_page(&all, offset, 3).unwrap();
        assert_eq!(page.total, 7);
        assert!(page.cases.len() <= 3);
        paged.extend(page.cases.into_iter().map(|c| c.title));
    }
    assert_eq!(paged, full);
    let alipay = CaseFilter {
        provider: Some("支付宝".into()),
        ..Default::default()
    };
    let page = t.journal.case_page(&alipay, 0, 2).unwrap();
    assert_eq!(page.total, 4);
    assert_eq!(
        page.cases
            .iter()
            .map(|c| c.title.as_str())
            .collect::<Vec<_>>(),
        ["案件 6", "案件 4"]
    );
    assert_eq!(t.journal.case_page(&alipay, 10, 5).unwrap().cases.len(), 0);
}

#[test]
fn empty_title_is_refused_and_nothing_is_written() {
    let mut t = journal();
    let err = t
        .journal
        .create_case(NewCase {
            title: "   ".into(),
            ..NewCase::default()
        })
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert!(english(&err).contains("needs a title"));
    assert_eq!(count(&t.journal, "cases"), 0);
    assert_eq!(count(&t.journal, "search_doc"), 0);
}

#[test]
fn contacts_keep_time_offset_references_and_follow_up() {
    let mut t = journal();
    let case_id = new_case(&mut t.journal, "账户冻结");
    let mut input = contact(
        Channel::Phone,
        "2026-11-20T14:30:00+08:00",
        "您的账户因风险控制被临时冻结。",
    );
    input.direction = Direction::In;
    input.via = "95188".into();
    input.agent = "工号 8823".into();
    input.asked = "为什么冻结？".into();
    input.duration_secs = Some(754);
    input.references = vec![
        reference(RefKind::Ticket, "TK-2024-0012345"),
        reference(RefKind::Complaint, "投诉-998877"),
    ];
    input.follow_up = Some(FollowUp {
        date: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
        promise: "回电".into(),
        done: false,
    });
    let c = t.journal.add_contact(case_id, input).unwrap();
    let back = t.journal.contact(c.id).unwrap();
    assert_eq!(back.at.to_rfc3339(), "2026-11-20T14:30:00+08:00");
    assert_eq!(back.at.utc_ms, 1_795_156_200_000);
    assert_eq!(back.references.len(), 2);
    assert_eq!(back.references[1].value, "投诉-998877");
    assert_eq!(back.duration_secs, Some(754));
    assert_eq!(back.direction, Direction::In);
    assert!(!back.edited);

    let detail = t.journal.case_detail(case_id).unwrap();
    assert_eq!(detail.references.len(), 2);
    assert_eq!(detail.references[0].contact_id, c.id);
}

#[test]
fn contact_for_unknown_case_is_refused_and_nothing_is_written() {
    let mut t = journal();
    let err = t
        .journal
        .add_contact(
            42,
            contact(Channel::Chat, "2026-11-20T14:30:00+08:00", "hi"),
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert!(english(&err).contains("no case with id 42"), "{err}");
    assert_eq!(count(&t.journal, "contacts"), 0);
}

#[test]
fn an_edit_keeps_the_earlier_version_and_a_no_op_edit_stores_nothing() {
    let mut t = journal();
    let case_id = new_case(&mut t.journal, "refund");
    let c = t
        .journal
        .add_contact(
            case_id,
            contact(
                Channel::Chat,
                "2026-11-20T10:00:00Z",
                "We will refund in 3 days.",
            ),
        )
        .unwrap();

    let same = t
        .journal
        .edit_contact(
            c.id,
            ContactPatch {
                reply: Some(c.reply.clone()),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(!same.edited);
    assert_eq!(t.journal.contact_history(c.id).unwrap().revisions.len(), 0);

    let edited = t
        .journal
        .edit_contact(
            c.id,
            ContactPatch {
                reply: Some("We will refund in 5 days.".into()),
                agent: Some("Sarah".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(edited.edited);
    assert!(edited.last_edited_at.is_some());
    let h = t.journal.contact_history(c.id).unwrap();
    assert_eq!(h.revisions.len(), 1);
    let r = &h.revisions[0];
    assert_eq!(r.action, Action::Edit);
    assert_eq!(r.before["reply"], "We will refund in 3 days.");
    let mut changed = r.changed.clone();
    changed.sort();
    assert_eq!(changed, vec!["agent".to_string(), "reply".to_string()]);
    assert_eq!(h.current["reply"], "We will refund in 5 days.");
}

#[test]
fn delete_goes_to_the_trash_and_restore_brings_it_back() {
    let mut t = journal();
    let case_id = new_case(&mut t.journal, "trash");
    let c = t
        .journal
        .add_contact(
            case_id,
            contact(Channel::Email, "2026-11-20T10:00:00Z", "冻结原因"),
        )
        .unwrap();
    t.journal.delete_contact(c.id).unwrap();
    assert!(t.journal.contact(c.id).unwrap().deleted_at.is_some());
    assert!(
        t.journal
            .case_detail(case_id)
            .unwrap()
            .timeline
            .iter()
            .all(|e| !matches!(e, TimelineEntry::Contact(_)))
    );
    assert_eq!(t.journal.trashed_contacts().unwrap().len(), 1);
    let edit = t
        .journal
        .edit_contact(
            c.id,
            ContactPatch {
                reply: Some("x".into()),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(edit.kind(), ErrorKind::Conflict);

    t.journal.restore_contact(c.id).unwrap();
    assert!(t.journal.contact(c.id).unwrap().deleted_at.is_none());
    let actions: Vec<Action> = t
        .journal
        .contact_history(c.id)
        .unwrap()
        .revisions
        .iter()
        .map(|r| r.action)
        .collect();
    assert_eq!(actions, vec![Action::Delete, Action::Restore]);
    // The row itself was never removed.
    assert_eq!(count(&t.journal, "contacts"), 1);
}

#[test]
fn notes_are_dated_and_their_edits_are_kept() {
    let mut t = journal();
    let case_id = new_case(&mut t.journal, "notes");
    let n = t
        .journal
        .add_note(
            case_id,
            at("2026-11-21T08:00:00+08:00"),
            "打了三次电话都没人接",
        )
        .unwrap();
    assert!(
        t.journal
            .add_note(case_id, at("2026-11-21T08:00:00+08:00"), "  ")
            .is_err()
    );
    let e = t
        .journal
        .edit_note(n.id, None, Some("打了四次电话都没人接"))
        .unwrap();
    assert!(e.edited);
    let h = t.journal.note_history(n.id).unwrap();
    assert_eq!(h.revisions[0].before["text"], "打了三次电话都没人接");
    t.journal.delete_note(n.id).unwrap();
    t.journal.restore_note(n.id).unwrap();
    assert_eq!(t.journal.note_history(n.id).unwrap().revisions.len(), 3);
}

#[test]
fn transactions_are_exact_and_not_recorded_twice() {
    let mut t = journal();
    let case_id = new_case(&mut t.journal, "txn");
    let input = TransactionInput {
        txid: "2026112022001400001234".into(),
        at: at("2026-11-19T10:00:00+08:00"),
        amount: parse_amount("a", "-1250.10").unwrap(),
        currency: Currency::parse("c", "CNY").unwrap(),
        direction: None,
        counterparty: "某商家".into(),
        method: "余额".into(),
        status: "交易成功".into(),
        note: String::new(),
    };
    let tx = t.journal.add_transaction(case_id, input.clone()).unwrap();
    assert_eq!(tx.direction, Direction::Out);
    assert_eq!(tx.money.amount.to_string(), "1250.10");
    assert_eq!(tx.signed_amount.to_string(), "-1250.10");
    let dup = t
        .journal
        .add_transaction(case_id, input.clone())
        .unwrap_err();
    assert_eq!(dup.kind(), ErrorKind::Conflict);
    let mut wrong = input.clone();
    wrong.txid = "other".into();
    wrong.direction = Some(Direction::In);
    assert!(t.journal.add_transaction(case_id, wrong).is_err());
    assert_eq!(count(&t.journal, "transactions"), 1);
    // Deleted, the same ID can be recorded again; restoring the old one then conflicts.
    t.journal.delete_transaction(tx.id).unwrap();
    t.journal.add_transaction(case_id, input).unwrap();
    assert_eq!(
        t.journal.restore_transaction(tx.id).unwrap_err().kind(),
        ErrorKind::Conflict
    );
}

#[test]
fn due_lists_open_follow_ups_and_deadlines_oldest_first() {
    let mut t = journal();
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let a = t
        .journal
        .create_case(NewCase {
            title: "deadline".into(),
            deadline: Some(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()),
            ..NewCase::default()
        })
        .unwrap();
    let b = new_case(&mut t.journal, "follow-ups");
    let mut c1 = contact(
        Channel::Phone,
        "2026-11-10T10:00:00+08:00",
        "will call back",
    );
    c1.follow_up = Some(FollowUp {
        date: NaiveDate::from_ymd_opt(2026, 11, 12).unwrap(),
        promise: "回电".into(),
        done: false,
    });
    let c1 = t.journal.add_contact(b, c1).unwrap();
    let mut c2 = contact(
        Channel::Phone,
        "2026-11-24T10:00:00+08:00",
        "refund by Friday",
    );
    c2.follow_up = Some(FollowUp {
        date: NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
        promise: "refund".into(),
        done: false,
    });
    t.journal.add_contact(b, c2).unwrap();

    let due = t.journal.due(today, 0).unwrap();
    assert_eq!(due.len(), 2);
    assert_eq!(
        (due[0].kind, due[0].contact_id, due[0].days, due[0].overdue),
        (DueKind::FollowUp, Some(c1.id), -13, true)
    );
    assert_eq!(
        (due[1].kind, due[1].case_id, due[1].days),
        (DueKind::Deadline, a.id, -5)
    );
    assert_eq!(t.journal.due(today, 7).unwrap().len(), 3);

    t.journal
        .edit_contact(
            c1.id,
            ContactPatch {
                follow_up_done: Some(true),
                ..Default::default()
            },
        )
        .unwrap();
    t.journal.set_case_status(a.id, Status::Resolved).unwrap();
    assert!(t.journal.due(today, 0).unwrap().is_empty());
}

#[test]
fn the_journal_is_durable_and_checks_its_foreign_keys() {
    let t = journal();
    let conn = rusqlite::Connection::open(t.journal.path()).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(t.journal.path().file_name().unwrap(), db::JOURNAL_FILE);
    // synchronous and foreign_keys are per connection: check the journal's own.
    let (sync, fk) = t.journal.pragmas().unwrap();
    assert_eq!(sync, 2, "synchronous=FULL");
    assert_eq!(fk, 1, "foreign_keys=ON");
}

#[test]
fn a_journal_from_a_newer_casebook_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(db::JOURNAL_FILE);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 99;")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Journal::open(&path).err().expect("refused");
    assert_eq!(err.kind(), ErrorKind::JournalTooNew);
    assert!(english(&err).contains("newer version of Casebook"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn migrations_run_once_and_reopening_changes_nothing() {
    let t = journal();
    let path = t.journal.path().to_path_buf();
    drop(t.journal);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let v: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, db::schema_version());
    drop(conn);
    Journal::open(&path).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name = 'contacts'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tables, 1);
}

#[test]
fn the_preparation_checklist_is_ticked_off_and_kept() {
    let mut t = journal();
    let case = t
        .journal
        .create_case(NewCase {
            title: "scam".into(),
            category: Some(Category::Fraud),
            ..NewCase::default()
        })
        .unwrap();
    let items: Vec<&str> = case.checklist.iter().map(|c| c.item.as_str()).collect();
    assert!(
        items.contains(&"freeze_account") && items.contains(&"chat_logs"),
        "{items:?}"
    );
    assert!(case.checklist.iter().all(|c| !c.done));
    let after = t
        .journal
        .set_checklist_item(case.id, "freeze_account", true)
        .unwrap();
    assert!(
        after
            .checklist
            .iter()
            .find(|c| c.item == "freeze_account")
            .unwrap()
            .done
    );
    assert!(
        t.journal
            .case(case.id)
            .unwrap()
            .checklist
            .iter()
            .find(|c| c.item == "freeze_account")
            .unwrap()
            .done
    );
    let err = t
        .journal
        .set_checklist_item(case.id, "bake_a_cake", true)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    let undone = t
        .journal
        .set_checklist_item(case.id, "freeze_account", false)
        .unwrap();
    assert!(undone.checklist.iter().all(|c| !c.done));
}

#[test]
fn an_edit_from_a_full_form_keeps_the_follow_up_state() {
    let mut t = journal();
    let case_id = new_case(&mut t.journal, "form edit");
    let mut input = contact(
        Channel::Phone,
        "2026-11-20T10:00:00+08:00",
        "will call back",
    );
    input.follow_up = Some(FollowUp {
        date: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
        promise: "回电".into(),
        done: false,
    });
    let c = t.journal.add_contact(case_id, input.clone()).unwrap();
    t.journal
        .edit_contact(
            c.id,
            ContactPatch {
                follow_up_done: Some(true),
                ..Default::default()
            },
        )
        .unwrap();
    input.reply = "will call back tomorrow".into();
    let e = t
        .journal
        .edit_contact(c.id, ContactPatch::replace_with(input))
        .unwrap();
    assert_eq!(e.reply, "will call back tomorrow");
    assert!(
        e.follow_up.unwrap().done,
        "the done mark survives a full-form edit"
    );
    assert_eq!(t.journal.contact_history(c.id).unwrap().revisions.len(), 2);
}

#[test]
fn checklist_items_ticked_on_the_new_case_form_are_kept() {
    let mut t = journal();
    let case = t
        .journal
        .create_case(NewCase {
            title: "refund".into(),
            category: Some(Category::Refund),
            checklist_done: vec!["transaction_records".into()],
            ..NewCase::default()
        })
        .unwrap();
    let done: Vec<&str> = case
        .checklist
        .iter()
        .filter(|c| c.done)
        .map(|c| c.item.as_str())
        .collect();
    assert_eq!(done, vec!["transaction_records"]);
    let err = t
        .journal
        .create_case(NewCase {
            title: "x".into(),
            category: Some(Category::Refund),
            checklist_done: vec!["police_report".into()],
            ..NewCase::default()
        })
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert_eq!(
        t.journal.list_cases(&CaseFilter::default()).unwrap().len(),
        1,
        "the refused case was not written"
    );
}

/// Issue 14: a case written down after the fact opens with its earliest
/// entry (it said "open 0 days" beside a contact of last week); an opening
/// date the user gave stays as given.
#[test]
fn a_case_opens_with_its_earliest_entry_unless_the_user_set_the_date() {
    let mut t = journal();
    let logged_late = t
        .journal
        .create_case(NewCase {
            title: "事后补记的冻结".into(),
            ..NewCase::default()
        })
        .unwrap();
    let week_ago =
        casebook::time::At::from_parts(logged_late.opened_at.utc_ms - 7 * 86_400_000, 8 * 3600);
    let mut c = contact(Channel::Phone, "2026-01-01T00:00:00Z", "已受理");
    c.at = week_ago;
    let k = t.journal.add_contact(logged_late.id, c).unwrap();
    let case = t.journal.case(logged_late.id).unwrap();
    assert_eq!(case.opened_at, week_ago, "opened with its first contact");
    assert!(case.days_open >= 6, "{}", case.days_open);

    // An earlier note moves it again; the earliest going to the trash
    // moves it back to the next one, and restoring it brings it back.
    let two_weeks_ago = casebook::time::At::from_parts(week_ago.utc_ms - 7 * 86_400_000, 0);
    let n = t
        .journal
        .add_note(logged_late.id, two_weeks_ago, "先打过一次电话")
        .unwrap();
    assert_eq!(
        t.journal.case(logged_late.id).unwrap().opened_at,
        two_weeks_ago
    );
    t.journal.delete_note(n.id).unwrap();
    assert_eq!(t.journal.case(logged_late.id).unwrap().opened_at, week_ago);
    t.journal.restore_note(n.id).unwrap();
    assert_eq!(
        t.journal.case(logged_late.id).unwrap().opened_at,
        two_weeks_ago
    );
    t.journal.delete_note(n.id).unwrap();
    t.journal.delete_contact(k.id).unwrap();
    assert_eq!(
        t.journal.case(logged_late.id).unwrap().opened_at,
        logged_late.opened_at,
        "with no entry left, the moment it was written down"
    );

    // Given by the user: it stays, even with an earlier entry.
    let given = at("2026-11-20T09:00:00+08:00");
    let set = t
        .journal
        .create_case(NewCase {
            title: "用户给了立案日期".into(),
            opened_at: Some(given),
            ..NewCase::default()
        })
        .unwrap();
    t.journal
        .add_contact(
            set.id,
            contact(Channel::Chat, "2026-11-01T10:00:00+08:00", "更早"),
        )
        .unwrap();
    assert_eq!(t.journal.case(set.id).unwrap().opened_at, given);
}

/// Issue 14: language and theme are kept in the journal: the CLI reads
/// them, and a backup carries them.
#[test]
fn settings_live_in_the_journal_and_travel_with_its_backup() {
    use casebook::model::Lang;
    use casebook::settings::{Settings, Theme};
    let mut t = journal();
    assert_eq!(t.journal.settings().unwrap(), Settings::default());
    t.journal.set_language(Some(Lang::Zh)).unwrap();
    t.journal.set_theme(Some(Theme::Dark)).unwrap();
    let quiet = casebook::reminders::ReminderSettings {
        off: vec![casebook::reminders::ReminderKind::Escalation],
        quiet_from: Some("21:00".into()),
        quiet_to: Some("7:30".into()),
        ..Default::default()
    };
    let s = t.journal.set_reminders(&quiet).unwrap();
    assert_eq!(
        s,
        Settings {
            language: Some(Lang::Zh),
            theme: Some(Theme::Dark),
            reminders: casebook::reminders::ReminderSettings {
                quiet_to: Some("07:30".into()),
                ..quiet
            },
        }
    );
    let archive = t.dir.path().join("settings.tar");
    t.journal.backup(&archive).unwrap();
    let into = tempfile::tempdir().unwrap();
    casebook::backup::restore(&archive, &into.path().join("data"), false, None).unwrap();
    let restored = Journal::open_dir(&into.path().join("data")).unwrap();
    assert_eq!(restored.settings().unwrap(), s);
    // Cleared: the face decides again.
    assert_eq!(t.journal.set_language(None).unwrap().language, None);
    assert!(Theme::parse("purple").is_err());
}
