//! Anything typed into the search box is a search: it finds entries or
//! nothing, and is never an SQL/FTS5 syntax error or a panic. Runs against
//! a real journal in a temporary directory.
#![no_main]

use std::sync::{Mutex, OnceLock};

use casebook::Journal;
use casebook::cases::NewCase;
use casebook::contacts::ContactInput;
use casebook::model::Channel;
use casebook::search::SearchQuery;
use casebook::time::At;
use libfuzzer_sys::fuzz_target;

struct Fixture {
    _dir: tempfile::TempDir,
    journal: Journal,
}

fn fixture() -> &'static Mutex<Fixture> {
    static F: OnceLock<Mutex<Fixture>> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut journal = Journal::open_dir(dir.path()).expect("journal");
        let case = journal
            .create_case(NewCase {
                title: "支付宝账户被冻结 refund".into(),
                ..NewCase::default()
            })
            .expect("case")
            .id;
        let mut c = ContactInput::new(Channel::Phone, At::now());
        c.reply = "您的账户因风险控制被临时冻结 \"quoted\" NEAR(a b) AND OR NOT * ^ col:x".into();
        c.asked = "为什么冻结？ ticket TK-2024-001".into();
        journal.add_contact(case, c).expect("contact");
        Mutex::new(Fixture { _dir: dir, journal })
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let f = fixture().lock().expect("not poisoned");
    match f.journal.search(&SearchQuery::new(text)) {
        Ok(_) => {}
        Err(e) => assert!(
            e.is_bad_input(),
            "a typed query failed as a storage error: {e} (query {text:?})"
        ),
    }
});
