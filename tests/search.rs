//! Search on real journals: recall of Chinese substrings against a LIKE
//! ground truth, reference fragments, phrases, exclusions, filters, order,
//! and hostile input.

mod common;

use std::collections::BTreeSet;

use casebook::contacts::ContactPatch;
use casebook::model::{Channel, RefKind, Status};
use casebook::search::{HitKind, SearchQuery};
use casebook::{Journal, cases::NewCase};
use chrono::NaiveDate;
use common::*;

fn ids(j: &Journal, q: SearchQuery) -> BTreeSet<(HitKind, i64)> {
    j.search(&q)
        .unwrap()
        .into_iter()
        .map(|h| (h.kind, h.id))
        .collect()
}

fn find(j: &Journal, text: &str) -> BTreeSet<(HitKind, i64)> {
    let mut q = SearchQuery::new(text);
    q.limit = 100_000;
    ids(j, q)
}

/// Random Chinese text from a small alphabet, so that 1-, 2- and 3-character
/// substrings repeat across many entries, mixed with English and digits.
fn random_text(rng: &mut fastrand::Rng) -> String {
    const HAN: &[char] = &[
        '退', '款', '冻', '结', '账', '户', '客', '服', '的', '了', '支', '付', '宝', '我', '单',
    ];
    const EN: &[&str] = &[" refund ", " account", " OK ", "123", "，", "。", " ", "\n"];
    let mut s = String::new();
    for _ in 0..rng.usize(1..60) {
        if rng.u8(..4) == 0 {
            s.push_str(EN[rng.usize(..EN.len())]);
        } else {
            s.push(HAN[rng.usize(..HAN.len())]);
        }
    }
    s
}

#[test]
fn every_chinese_substring_query_finds_exactly_what_like_finds() {
    let mut t = journal();
    let case_id = new_case(&mut t.journal, "recall");
    let mut rng = fastrand::Rng::with_seed(7);
    for i in 0..400 {
        let text = random_text(&mut rng);
        if i % 2 == 0 {
            t.journal
                .add_note(
                    case_id,
                    at("2026-11-20T10:00:00+08:00"),
                    &format!("x{text}"),
                )
                .unwrap();
        } else {
            t.journal
                .add_contact(
                    case_id,
                    contact(Channel::Chat, "2026-11-20T10:00:00+08:00", &text),
                )
                .unwrap();
        }
    }
    let conn = rusqlite::Connection::open(t.journal.path()).unwrap();
    let truth = |q: &str| -> BTreeSet<(HitKind, i64)> {
        let like = format!("%{q}%");
        let mut out = BTreeSet::new();
        let mut s = conn
            .prepare("SELECT id FROM notes WHERE body LIKE ?1")
            .unwrap();
        for id in s.query_map([&like], |r| r.get::<_, i64>(0)).unwrap() {
            out.insert((HitKind::Note, id.unwrap()));
        }
        let mut s = conn
            .prepare("SELECT id FROM contacts WHERE reply LIKE ?1")
            .unwrap();
        for id in s.query_map([&like], |r| r.get::<_, i64>(0)).unwrap() {
            out.insert((HitKind::Contact, id.unwrap()));
        }
        if "recall".contains(q) || "支付宝".contains(q) {
            out.insert((HitKind::Case, case_id));
        }
        out
    };
    let han: Vec<char> = "退款冻结账户客服的了支付宝我单".chars().collect();
    let mut checked = 0;
    // Every 1- and 2-character query over the alphabet, and random longer ones.
    let mut queries: Vec<String> = han.iter().map(|c| c.to_string()).collect();
    for a in &han {
        for b in &han {
            queries.push(format!("{a}{b}"));
        }
    }
    for _ in 0..300 {
        let n = rng.usize(3..6);
        queries.push((0..n).map(|_| han[rng.usize(..han.len())]).collect());
    }
    for q in &queries {
        let expected = truth(q);
        let got = find(&t.journal, q);
        assert_eq!(got, expected, "query {q}");
        checked += expected.len();
    }
    assert!(
        checked > 5_000,
        "the corpus should produce many matches, got {checked}"
    );
}

#[test]
fn reference_fragments_of_three_or_more_characters_find_the_contact() {
    let mut t = journal();
    let case_id = new_case(&mut t.journal, "refs");
    let mut c = contact(Channel::Phone, "2026-11-20T10:00:00+08:00", "工单已创建");
    c.references = vec![
        reference(RefKind::Ticket, "TK-2024-0012345"),
        reference(RefKind::Complaint, "CP88812399"),
    ];
    let c = t.journal.add_contact(case_id, c).unwrap();
    let other = t
        .journal
        .add_contact(
            case_id,
            contact(Channel::Phone, "2026-11-20T11:00:00+08:00", "nothing"),
        )
        .unwrap();
    let _ = other;
    let tx = t
        .journal
        .add_transaction(
            case_id,
            casebook::transactions::TransactionInput {
                txid: "2026112022001400009876".into(),
                at: at("2026-11-19T10:00:00+08:00"),
                amount: "-5".parse().unwrap(),
                currency: casebook::money::Currency::parse("c", "CNY").unwrap(),
                direction: None,
                counterparty: "Merchant".into(),
                method: String::new(),
                status: String::new(),
                note: String::new(),
            },
        )
        .unwrap();
    for q in [
        "345",
        "12345",
        "0012345",
        "TK-2024-0012345",
        "tk20240012345",
        "2024-001",
        "888",
        "P888",
        "cp88812399",
    ] {
        assert_eq!(
            find(&t.journal, q),
            BTreeSet::from([(HitKind::Contact, c.id)]),
            "{q}"
        );
    }
    for q in ["9876", "1400009", "2026112022001400009876"] {
        assert_eq!(
            find(&t.journal, q),
            BTreeSet::from([(HitKind::Transaction, tx.id)]),
            "{q}"
        );
    }
    // No match across two references, and fragments must really occur.
    assert!(find(&t.journal, "2345cp").is_empty());
    assert!(find(&t.journal, "54321").is_empty());
    let hit = &t.journal.search(&SearchQuery::new("12345")).unwrap()[0];
    assert_eq!(hit.field, "references");
    assert!(
        hit.snippet_parts.iter().any(|p| p.hit && p.text == "12345"),
        "{:?}",
        hit.snippet_parts
    );
}

#[test]
fn english_words_phrases_and_exclusions() {
    let mut t = journal();
    let case_id = new_case(&mut t.journal, "words");
    let a = t
        .journal
        .add_contact(
            case_id,
            contact(
                Channel::Chat,
                "2026-11-20T10:00:00Z",
                "Your refund was not received by the bank.",
            ),
        )
        .unwrap();
    let b = t
        .journal
        .add_contact(
            case_id,
            contact(
                Channel::Chat,
                "2026-11-20T11:00:00Z",
                "The bank received your REFUND request; PayPal notified.",
            ),
        )
        .unwrap();
    assert_eq!(
        find(&t.journal, "refund bank"),
        BTreeSet::from([(HitKind::Contact, a.id), (HitKind::Contact, b.id)])
    );
    assert_eq!(
        find(&t.journal, "\"not received\""),
        BTreeSet::from([(HitKind::Contact, a.id)])
    );
    assert_eq!(
        find(&t.journal, "refund -paypal"),
        BTreeSet::from([(HitKind::Contact, a.id)])
    );
    assert_eq!(
        find(&t.journal, "“received your”"),
        BTreeSet::from([(HitKind::Contact, b.id)])
    );
    assert_eq!(find(&t.journal, "ＲＥＦＵＮＤ"), find(&t.journal, "refund"));
}

#[test]
fn mixed_chinese_and_english() {
    let mut t = journal();
    let case_id = new_case(&mut t.journal, "mixed");
    let a = t
        .journal
        .add_contact(
            case_id,
            contact(
                Channel::Chat,
                "2026-11-20T10:00:00Z",
                "我的PayPal账户被冻结了, please help",
            ),
        )
        .unwrap();
    assert_eq!(
        find(&t.journal, "paypal 冻结"),
        BTreeSet::from([(HitKind::Contact, a.id)])
    );
    assert_eq!(
        find(&t.journal, "PayPal账户"),
        BTreeSet::from([(HitKind::Contact, a.id)])
    );
    assert_eq!(
        find(&t.journal, "冻结 help"),
        BTreeSet::from([(HitKind::Contact, a.id)])
    );
    assert!(find(&t.journal, "冻结 -help").is_empty());
}

#[test]
fn any_typed_text_is_searched_without_syntax_errors() {
    let mut t = journal();
    let case_id = new_case(&mut t.journal, "hostile");
    t.journal
        .add_contact(
            case_id,
            contact(
                Channel::Chat,
                "2026-11-20T10:00:00Z",
                "AND OR NOT near the \"quote\" col:val",
            ),
        )
        .unwrap();
    let nasty = [
        "\"",
        "\"\"",
        "\"unclosed",
        "-",
        "--",
        "- -x",
        "*",
        "a*",
        "^a",
        "a:b",
        "body:x",
        "f:c1",
        "NEAR(a b)",
        "AND",
        "OR",
        "NOT",
        "a AND",
        "(",
        ")",
        "((a)",
        "{body}:x",
        "'; DROP TABLE cases; --",
        "\\",
        "%",
        "_",
        "🙂",
        "\u{0}",
        "\u{200b}",
        "１２３",
        "x\"y\"z",
        "-\"quote\"",
        "+",
        "a + b",
        "col:val",
    ];
    for q in nasty {
        let r = t.journal.search(&SearchQuery::new(q));
        assert!(r.is_ok(), "{q:?}: {:?}", r.err());
    }
    assert_eq!(find(&t.journal, "AND").len(), 1);
    assert_eq!(find(&t.journal, "col:val").len(), 1);
    assert_eq!(find(&t.journal, "near the").len(), 1);
    assert!(find(&t.journal, "-only").is_empty());
}

#[test]
fn filters_and_newest_first() {
    let mut t = journal();
    let a = new_case(&mut t.journal, "case a");
    let b = t
        .journal
        .create_case(NewCase {
            title: "case b".into(),
            provider: Some("PayPal".into()),
            ..NewCase::default()
        })
        .unwrap()
        .id;
    let c1 = t
        .journal
        .add_contact(
            a,
            contact(Channel::Phone, "2026-10-01T10:00:00+08:00", "退款 one"),
        )
        .unwrap();
    let c2 = t
        .journal
        .add_contact(
            a,
            contact(Channel::Chat, "2026-11-15T10:00:00+08:00", "退款 two"),
        )
        .unwrap();
    let c3 = t
        .journal
        .add_contact(
            b,
            contact(Channel::Email, "2026-11-20T10:00:00+08:00", "退款 three"),
        )
        .unwrap();
    let n = t
        .journal
        .add_note(a, at("2026-09-01T10:00:00+08:00"), "退款 note")
        .unwrap();

    let hits = t.journal.search(&SearchQuery::new("退款")).unwrap();
    let order: Vec<i64> = hits.iter().map(|h| h.id).collect();
    assert_eq!(order, vec![c3.id, c2.id, c1.id, n.id], "newest first");
    assert_eq!(hits[0].case_title, "case b");
    assert_eq!(hits[3].kind, HitKind::Note);

    let mut q = SearchQuery::new("退款");
    q.case_id = Some(a);
    assert_eq!(ids(&t.journal, q).len(), 3);
    let mut q = SearchQuery::new("退款");
    q.channel = Some(Channel::Phone);
    assert_eq!(
        ids(&t.journal, q),
        BTreeSet::from([(HitKind::Contact, c1.id)])
    );
    let mut q = SearchQuery::new("退款");
    q.provider = Some("paypal".into());
    assert_eq!(
        ids(&t.journal, q),
        BTreeSet::from([(HitKind::Contact, c3.id)])
    );
    let mut q = SearchQuery::new("退款");
    q.kind = Some(HitKind::Note);
    assert_eq!(ids(&t.journal, q), BTreeSet::from([(HitKind::Note, n.id)]));
    let mut q = SearchQuery::new("退款");
    q.from = NaiveDate::from_ymd_opt(2026, 10, 1);
    q.to = NaiveDate::from_ymd_opt(2026, 11, 15);
    assert_eq!(
        ids(&t.journal, q),
        BTreeSet::from([(HitKind::Contact, c1.id), (HitKind::Contact, c2.id)])
    );
    t.journal.set_case_status(b, Status::Resolved).unwrap();
    let mut q = SearchQuery::new("退款");
    q.status = Some(Status::Open);
    assert_eq!(ids(&t.journal, q).len(), 3);
    let mut q = SearchQuery::new("退款");
    q.limit = 2;
    assert_eq!(t.journal.search(&q).unwrap().len(), 2);
    let mut q = SearchQuery::new("退款");
    q.case_id = Some(999);
    assert!(t.journal.search(&q).is_err());
}

#[test]
fn the_index_follows_edits_deletes_and_restores() {
    let mut t = journal();
    let case_id = new_case(&mut t.journal, "follow");
    let c = t
        .journal
        .add_contact(
            case_id,
            contact(Channel::Chat, "2026-11-20T10:00:00Z", "账户已冻结"),
        )
        .unwrap();
    t.journal
        .edit_contact(
            c.id,
            ContactPatch {
                reply: Some("退款已到账".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(find(&t.journal, "冻结").is_empty());
    assert_eq!(find(&t.journal, "到账").len(), 1);
    t.journal.delete_contact(c.id).unwrap();
    assert!(find(&t.journal, "到账").is_empty());
    t.journal.restore_contact(c.id).unwrap();
    assert_eq!(find(&t.journal, "到账").len(), 1);
}

#[test]
fn case_titles_summaries_and_notes_are_searchable() {
    let mut t = journal();
    let id = t
        .journal
        .create_case(NewCase {
            title: "Coinbase withdrawal stuck".into(),
            summary: "提现一直在处理中".into(),
            ..NewCase::default()
        })
        .unwrap()
        .id;
    assert_eq!(
        find(&t.journal, "withdrawal"),
        BTreeSet::from([(HitKind::Case, id)])
    );
    assert_eq!(
        find(&t.journal, "处理"),
        BTreeSet::from([(HitKind::Case, id)])
    );
    let hit = &t.journal.search(&SearchQuery::new("处理")).unwrap()[0];
    assert_eq!(hit.field, "summary");
    assert_eq!(hit.snippet, "提现一直在处理中");
}

#[test]
fn a_crowded_minute_keeps_every_entry_findable_and_dated() {
    let mut t = journal();
    let case_id = new_case(&mut t.journal, "bulk");
    let mut ids = Vec::new();
    // Local times (this computer's offset), so that day filters are exact.
    for i in 0..40 {
        let n = t
            .journal
            .add_note(
                case_id,
                at(&format!("2026-11-20 23:59:{i:02}")),
                &format!("导入 row {i}"),
            )
            .unwrap();
        ids.push(n.id);
    }
    let next_day = t
        .journal
        .add_note(case_id, at("2026-11-21 00:00:30"), "导入 next day")
        .unwrap();
    let mut q = SearchQuery::new("导入");
    q.limit = 100;
    let hits = t.journal.search(&q).unwrap();
    assert_eq!(hits.len(), 41);
    assert_eq!(hits[0].id, next_day.id, "newest first");
    assert_eq!(hits[1].id, *ids.last().unwrap());

    q.to = NaiveDate::from_ymd_opt(2026, 11, 20);
    let upto: BTreeSet<i64> = t.journal.search(&q).unwrap().iter().map(|h| h.id).collect();
    assert_eq!(upto, ids.iter().copied().collect());
    q.to = None;
    q.from = NaiveDate::from_ymd_opt(2026, 11, 21);
    let from: Vec<i64> = t.journal.search(&q).unwrap().iter().map(|h| h.id).collect();
    assert_eq!(from, vec![next_day.id]);
}

/// Found by the search_query fuzz target: a long query of exclusions
/// nested one NOT per word and overflowed FTS5's parser stack, which the
/// user saw as "the journal could not be read". Any query is a search or a
/// sentence about the query, never a storage error.
#[test]
fn a_long_query_of_exclusions_is_a_search_not_a_storage_error() {
    let mut t = journal();
    let case = new_case(&mut t.journal, "支付宝账户被冻结");
    t.journal
        .add_contact(
            case,
            contact(
                Channel::Phone,
                "2026-11-01T10:00:00+08:00",
                "退款 已受理 refund",
            ),
        )
        .unwrap();
    let found = include_str!("../fuzz/regressions/search_query/fts5-parser-stack");
    match t.journal.search(&SearchQuery::new(found)) {
        Ok(_) => {}
        Err(e) => assert!(e.is_bad_input(), "{e}"),
    }
    // 63 exclusions and one word: a real search that finds the contact.
    let mut q = String::from("退款");
    for i in 0..63 {
        q.push_str(&format!(" -x{i}"));
    }
    let hits = t.journal.search(&SearchQuery::new(q.clone())).unwrap();
    assert_eq!(hits.len(), 1);
    // One more is too many: refused with a sentence.
    q.push_str(" -y");
    let err = t.journal.search(&SearchQuery::new(q)).unwrap_err();
    assert!(matches!(err, casebook::Error::Invalid { .. }), "{err}");
    assert!(english(&err).contains("at most 64"), "{err}");
}
