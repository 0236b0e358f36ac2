#![allow(dead_code)]
//! Helpers shared by the integration tests: every test gets a fresh journal
//! file in its own temporary directory.

use casebook::Journal;
use casebook::cases::NewCase;
use casebook::contacts::{ContactInput, Reference};
use casebook::model::{Category, Channel, RefKind};
use casebook::time::At;

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
