//! Reminders on a real journal: what is told, once, in the user's language,
//! never in quiet hours, never twice for one item on one day, and not for a
//! kind turned off or an item snoozed.

use casebook::Journal;
use casebook::cases::NewCase;
use casebook::contacts::{ContactInput, FollowUp, Reference};
use casebook::model::{Channel, Lang, RefKind};
use casebook::reminders::{ReminderKind, ReminderSettings};
use casebook::time::At;
use chrono::{Duration, NaiveDate, TimeZone};

const CST: i32 = 8 * 3600;

/// 2026-12-01 at `hh:mm` in China.
fn at(day: u32, hh: u32, mm: u32) -> At {
    let dt = chrono::FixedOffset::east_opt(CST)
        .unwrap()
        .with_ymd_and_hms(2026, 12, day, hh, mm, 0)
        .unwrap();
    At::from_datetime(dt)
}

fn d(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, day).unwrap()
}

struct Fixture {
    _dir: tempfile::TempDir,
    j: Journal,
    case: i64,
    today_contact: i64,
    late_contact: i64,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut j = Journal::open_dir(dir.path()).unwrap();
    let case = j
        .create_case(NewCase {
            title: "支付宝退款".into(),
            deadline: Some(d(2)),
            ..NewCase::default()
        })
        .unwrap()
        .id;
    let mut c = ContactInput::new(Channel::Phone, at(1, 9, 0));
    c.reply = "我们会在今天回电。".into();
    c.references = vec![Reference {
        kind: RefKind::Ticket,
        value: "TK-20261201-88".into(),
    }];
    c.follow_up = Some(FollowUp {
        date: d(1),
        promise: "回电说明退款进度".into(),
        done: false,
    });
    let today_contact = j.add_contact(case, c).unwrap().id;
    let mut c = ContactInput::new(
        Channel::Chat,
        At::from_parts(at(1, 9, 5).utc_ms - 5 * 86_400_000, CST),
    );
    c.reply = "three working days".into();
    c.follow_up = Some(FollowUp {
        date: d(1) - Duration::days(2),
        promise: "refund to the original card".into(),
        done: false,
    });
    let late_contact = j.add_contact(case, c).unwrap().id;
    Fixture {
        _dir: dir,
        j,
        case,
        today_contact,
        late_contact,
    }
}

#[test]
fn each_reminder_is_told_once_in_the_users_language() {
    let mut f = fixture();
    let now = at(1, 10, 0);
    let told = f.j.reminders(now, Lang::Zh).unwrap();
    let kinds: Vec<ReminderKind> = told.iter().map(|r| r.kind).collect();
    assert_eq!(
        kinds,
        [
            ReminderKind::NotKept,
            ReminderKind::FollowUp,
            ReminderKind::Deadline
        ],
        "{told:#?}"
    );
    let follow = &told[1];
    assert_eq!(follow.contact_id, Some(f.today_contact));
    assert_eq!(follow.item, format!("contact:{}", f.today_contact));
    assert_eq!(follow.title, "今天到期的跟进 · 支付宝退款");
    assert!(follow.body.contains("回电说明退款进度"), "{}", follow.body);
    assert!(
        follow.body.contains("工单号 TK-20261201-88"),
        "{}",
        follow.body
    );
    assert_eq!(told[0].contact_id, Some(f.late_contact));
    assert!(told[0].title.starts_with("客服的承诺没有兑现"));
    assert_eq!(told[2].title, "明天是截止日期 · 支付宝退款");
    assert_eq!(told[2].case_id, f.case);

    // In English, the same reminders.
    let en = f.j.reminders(now, Lang::En).unwrap();
    assert_eq!(en[1].title, "Follow-up due today · 支付宝退款");
    assert!(en[1].body.contains("Ticket TK-20261201-88"));

    // Told once: not again that day, nor the next.
    f.j.mark_reminded(&told, now).unwrap();
    assert!(f.j.reminders(at(1, 15, 0), Lang::Zh).unwrap().is_empty());
    let tomorrow = f.j.reminders(at(2, 10, 0), Lang::Zh).unwrap();
    // Tomorrow today's promise, not marked done, was not kept; the
    // deadline was told already (a day ahead).
    let kinds: Vec<ReminderKind> = tomorrow.iter().map(|r| r.kind).collect();
    assert_eq!(kinds, [ReminderKind::NotKept]);
    assert_eq!(tomorrow[0].contact_id, Some(f.today_contact));
    // A deadline not told the day before is told on the day.
    let g = fixture();
    let on_the_day = g.j.reminders(at(2, 10, 0), Lang::Zh).unwrap();
    assert!(
        on_the_day
            .iter()
            .any(|r| r.title == "今天是截止日期 · 支付宝退款"),
        "{on_the_day:#?}"
    );
}

#[test]
fn one_reminder_a_day_for_one_item() {
    let mut f = fixture();
    // The deadline was told yesterday (a day ahead); today it is the
    // deadline day, a new reminder, but the follow-up told earlier today
    // about the same contact keeps that contact quiet.
    let morning = f.j.reminders(at(1, 9, 0), Lang::En).unwrap();
    let follow: Vec<_> = morning
        .iter()
        .filter(|r| r.kind == ReminderKind::FollowUp)
        .cloned()
        .collect();
    f.j.mark_reminded(&follow, at(1, 9, 0)).unwrap();
    let later = f.j.reminders(at(1, 11, 0), Lang::En).unwrap();
    assert!(
        later
            .iter()
            .all(|r| r.item != format!("contact:{}", f.today_contact)),
        "{later:#?}"
    );
    // The other items are still told.
    assert_eq!(later.len(), 2);
}

#[test]
fn quiet_hours_kinds_turned_off_and_snoozes_are_respected() {
    let mut f = fixture();
    // Default quiet hours 22:00-08:00, in the user's own offset.
    assert!(f.j.reminders(at(1, 23, 30), Lang::Zh).unwrap().is_empty());
    assert!(f.j.reminders(at(1, 7, 59), Lang::Zh).unwrap().is_empty());
    assert_eq!(f.j.reminders(at(1, 8, 0), Lang::Zh).unwrap().len(), 3);

    // Deadlines off, quiet hours off.
    let s =
        f.j.set_reminders(&ReminderSettings {
            enabled: true,
            off: vec![ReminderKind::Deadline],
            quiet_from: None,
            quiet_to: None,
        })
        .unwrap();
    assert_eq!(s.reminders.off, [ReminderKind::Deadline]);
    assert_eq!(s.reminders.quiet_from, None);
    let told = f.j.reminders(at(1, 23, 30), Lang::Zh).unwrap();
    assert_eq!(told.len(), 2);
    assert!(told.iter().all(|r| r.kind != ReminderKind::Deadline));

    // Snoozed until tomorrow: quiet today, told tomorrow.
    let item = format!("contact:{}", f.late_contact);
    f.j.snooze_reminder(&item, Some(d(2))).unwrap();
    let told = f.j.reminders(at(1, 12, 0), Lang::Zh).unwrap();
    assert!(told.iter().all(|r| r.item != item), "{told:#?}");
    assert_eq!(f.j.snoozed(d(1)).unwrap(), [(item.clone(), d(2))]);
    let next_day = f.j.reminders(at(2, 12, 0), Lang::Zh).unwrap();
    assert!(next_day.iter().any(|r| r.item == item));

    // Marking the follow-up done ends its reminders.
    let patch = casebook::contacts::ContactPatch {
        follow_up_done: Some(true),
        ..Default::default()
    };
    f.j.edit_contact(f.late_contact, patch).unwrap();
    let next_day = f.j.reminders(at(2, 12, 0), Lang::Zh).unwrap();
    assert!(next_day.iter().all(|r| r.item != item));

    // All off.
    f.j.set_reminders(&ReminderSettings {
        enabled: false,
        ..ReminderSettings::default()
    })
    .unwrap();
    assert!(f.j.reminders(at(1, 12, 0), Lang::Zh).unwrap().is_empty());
}

#[test]
fn bad_reminder_settings_and_items_change_nothing() {
    let mut f = fixture();
    let before = f.j.settings().unwrap();
    for (from, to) in [("25:00", "08:00"), ("22:00", "8am"), ("22:00", "")] {
        let bad = ReminderSettings {
            quiet_from: Some(from.into()),
            quiet_to: Some(to.into()),
            ..ReminderSettings::default()
        };
        assert!(f.j.set_reminders(&bad).is_err(), "{from}-{to}");
    }
    let one_end = ReminderSettings {
        quiet_from: Some("22:00".into()),
        quiet_to: None,
        ..ReminderSettings::default()
    };
    assert!(f.j.set_reminders(&one_end).is_err());
    assert_eq!(f.j.settings().unwrap(), before);
    for item in ["case:1", "contact:", "contact:1 OR 1=1"] {
        assert!(f.j.snooze_reminder(item, Some(d(3))).is_err(), "{item}");
    }
    assert!(f.j.snoozed(d(1)).unwrap().is_empty());
}

#[test]
fn the_day_a_complaint_can_be_escalated_is_told() {
    let mut f = fixture();
    f.j.set_case_escalation(f.case, Some("uk-payments"), Some("2026-10-01"))
        .unwrap();
    let e = f.j.escalation(f.case).unwrap().unwrap();
    let from = e.can_escalate_from.unwrap();
    let noon = |day: NaiveDate| {
        At::from_datetime(
            chrono::FixedOffset::east_opt(CST)
                .unwrap()
                .from_local_datetime(&day.and_hms_opt(12, 0, 0).unwrap())
                .unwrap(),
        )
    };
    let before =
        f.j.reminders(noon(from - Duration::days(1)), Lang::En)
            .unwrap();
    assert!(before.iter().all(|r| r.kind != ReminderKind::Escalation));
    let told = f.j.reminders(noon(from), Lang::En).unwrap();
    let esc = told
        .iter()
        .find(|r| r.kind == ReminderKind::Escalation)
        .expect("escalation reminder");
    assert_eq!(esc.title, "From today you can escalate · 支付宝退款");
    assert!(esc.body.contains("Financial Ombudsman"), "{}", esc.body);
    f.j.mark_reminded(std::slice::from_ref(esc), noon(from))
        .unwrap();
    let later =
        f.j.reminders(noon(from + Duration::days(3)), Lang::En)
            .unwrap();
    assert!(later.iter().all(|r| r.kind != ReminderKind::Escalation));
}
