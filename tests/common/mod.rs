#![allow(dead_code)]
//! Helpers shared by the integration tests: every test gets a fresh journal
//! file in its own temporary directory.

use std::fs;
use std::path::Path;

use casebook::Journal;
use casebook::cases::NewCase;
use casebook::contacts::{ContactInput, ContactPatch, FollowUp, Reference};
use casebook::evidence::AttachTo;
use casebook::model::{Category, Channel, Direction, RefKind, Status};
use casebook::money::{Currency, Money};
use casebook::time::At;
use casebook::transactions::TransactionInput;
use chrono::NaiveDate;

pub struct TestJournal {
    pub dir: tempfile::TempDir,
    pub journal: Journal,
}

pub fn journal() -> TestJournal {
    let dir = tempfile::tempdir().expect("temp dir");
    let journal = Journal::open_dir(dir.path()).expect("open journal");
    TestJournal { dir, journal }
}

pub fn at(s: &str) -> At {
    At::parse("at", s).expect("valid time")
}

pub fn new_case(j: &mut Journal, title: &str) -> i64 {
    j.create_case(NewCase {
        title: title.into(),
        provider: Some("支付宝".into()),
        category: Some(Category::AccountLocked),
        ..NewCase::default()
    })
    .expect("case")
    .id
}

pub fn contact(channel: Channel, when: &str, reply: &str) -> ContactInput {
    let mut c = ContactInput::new(channel, at(when));
    c.reply = reply.into();
    c
}

pub fn reference(kind: RefKind, value: &str) -> Reference {
    Reference {
        kind,
        value: value.into(),
    }
}

pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89";

pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A Chinese-language fraud case with every kind of entry.
pub fn long_case(j: &mut Journal, dir: &Path) -> i64 {
    let case = j
        .create_case(NewCase {
            title: "支付宝 冒充客服诈骗 退款".into(),
            provider: Some("支付宝".into()),
            category: Some(Category::Fraud),
            amount: Some(Money {
                amount: "5000.00".parse().unwrap(),
                currency: Currency::parse("c", "CNY").unwrap(),
            }),
            desired_outcome: "追回被骗的 5000 元".into(),
            summary: "我的手机 13800138000 接到自称客服的电话，邮箱 zhang.wei@example.com".into(),
            opened_at: Some(at("2026-10-01T09:00:00+08:00")),
            ..NewCase::default()
        })
        .unwrap()
        .id;
    // 1. The scam call through an unknown number.
    let mut c = contact(
        Channel::Phone,
        "2026-10-01T10:00:00+08:00",
        "请把验证码告诉我，然后把余额转到安全账户。",
    );
    c.direction = Direction::In;
    c.via = "+86 171 0000 1234".into();
    c.agent = "王经理".into();
    c.asked = "我的卡号是 6222 0212 3456 7890，怎么退款？".into();
    let scam = j.add_contact(case, c).unwrap();
    // 2. The official line, with references and a promise that was not kept.
    let mut c = contact(
        Channel::Phone,
        "2026-10-02T15:30:00+08:00",
        "已为您提交投诉，3 个工作日内回电。",
    );
    c.via = "95188".into();
    c.agent = "工号 8823".into();
    c.references = vec![
        reference(RefKind::Complaint, "TS-2026-0001"),
        reference(RefKind::Ticket, "TK-88990011"),
    ];
    c.follow_up = Some(FollowUp {
        date: date("2026-10-07"),
        promise: "回电告知处理结果".into(),
        done: false,
    });
    let official = j.add_contact(case, c).unwrap();
    // 3. A chat whose promise support kept (they came back by the date).
    let mut c = contact(
        Channel::Chat,
        "2026-10-10T11:00:00+08:00",
        "我们会在 10月15日 前联系您。",
    );
    c.follow_up = Some(FollowUp {
        date: date("2026-10-15"),
        promise: "联系您说明调查结果".into(),
        done: false,
    });
    j.add_contact(case, c).unwrap();
    let mut c = contact(
        Channel::Email,
        "2026-10-14T09:00:00+08:00",
        "调查仍在进行中。",
    );
    c.direction = Direction::In;
    j.add_contact(case, c).unwrap();
    // 4. A promise not yet due at export time.
    let mut c = contact(Channel::Chat, "2026-11-20T09:00:00+08:00", "请等待。");
    c.follow_up = Some(FollowUp {
        date: date("2026-12-31"),
        promise: "年底前给出最终答复".into(),
        done: false,
    });
    j.add_contact(case, c).unwrap();
    // An edit of the official contact's outcome.
    j.edit_contact(
        official.id,
        ContactPatch {
            outcome: Some("投诉已受理".into()),
            ..ContactPatch::default()
        },
    )
    .unwrap();
    j.add_note(
        case,
        at("2026-10-01T12:00:00+08:00"),
        "已冻结账户，联系 110 报警；我的邮箱 zhang.wei@example.com",
    )
    .unwrap();
    j.add_transaction(
        case,
        TransactionInput {
            txid: "2026100122001412345678".into(),
            at: at("2026-10-01T10:20:00+08:00"),
            amount: "-5000.00".parse().unwrap(),
            currency: Currency::parse("c", "CNY").unwrap(),
            direction: None,
            counterparty: "安全账户 李某".into(),
            method: "余额".into(),
            status: "交易成功".into(),
            note: String::new(),
        },
    )
    .unwrap();
    j.add_transaction(
        case,
        TransactionInput {
            txid: "R-1".into(),
            at: at("2026-10-20T10:20:00+08:00"),
            amount: "200.00".parse().unwrap(),
            currency: Currency::parse("c", "CNY").unwrap(),
            direction: None,
            counterparty: "支付宝".into(),
            method: String::new(),
            status: "退款成功".into(),
            note: String::new(),
        },
    )
    .unwrap();
    j.set_case_status(case, Status::Escalated).unwrap();
    fs::write(dir.join("通话截图.png"), PNG).unwrap();
    j.attach_path(
        AttachTo {
            case_id: case,
            contact_id: Some(scam.id),
            transaction_id: None,
        },
        &dir.join("通话截图.png"),
    )
    .unwrap();
    case
}

/// Everything a journal shows, to compare before and after.
pub fn snapshot(j: &Journal) -> Vec<String> {
    let mut out = Vec::new();
    for c in j.list_cases(&Default::default()).unwrap() {
        out.push(serde_json::to_string(&j.case_detail(c.id).unwrap()).unwrap());
        for e in j.case_detail(c.id).unwrap().timeline {
            if let casebook::timeline::TimelineEntry::Contact(k) = e {
                out.push(serde_json::to_string(&j.contact_history(k.id).unwrap()).unwrap());
            }
        }
    }
    out.push(serde_json::to_string(&j.trashed_contacts().unwrap()).unwrap());
    out
}

/// An error as the CLI says it in English (the sentence from the shared
/// catalogue, then the CLI's advice): what the tests read.
pub fn english(e: &casebook::Error) -> String {
    casebook_cli::i18n::error_message_in(casebook_cli::i18n::Lang::En, e)
}

/// A problem (a rejected line's reason, a warning) as said in English.
pub fn english_problem(p: &casebook::error::Problem) -> String {
    casebook_cli::i18n::problem_in(casebook_cli::i18n::Lang::En, p)
}
