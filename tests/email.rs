//! E-mails from support (`.eml`) become contacts (issue 17): the encodings
//! real mail programs send, the `Date:` offset, the folded history, the
//! references offered, the `.eml` kept as evidence of the contact, search
//! over its decoded text, and the shield's look-alike check of the sender.

mod common;

use casebook::cases::NewCase;
use casebook::channels::{ChannelFlagKind, PointKind};
use casebook::error::Problem;
use casebook::mail;
use casebook::model::{Category, Channel, Direction, RefKind};
use casebook::search::SearchQuery;
use casebook::timeline::TimelineEntry;
use common::{journal, new_case, reference};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/email/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn refs(e: &mail::EmailContact) -> Vec<String> {
    e.references
        .iter()
        .map(|r| format!("{}:{}", r.kind, r.value))
        .collect()
}

#[test]
fn a_gbk_base64_reply_with_gb2312_headers_reads_as_written() {
    let e = mail::read(&fixture("01-bank-gbk-base64.eml")).unwrap();
    assert_eq!(
        e.subject,
        "回复：转账失败 钱被扣了【服务单号SR20261128004417】"
    );
    assert_eq!(e.from_name, "中国某银行客户服务");
    assert_eq!(e.from_address, "service@icbc.example.com.cn");
    let at = e.at.unwrap();
    assert_eq!(at.to_rfc3339(), "2026-11-28T10:35:12+08:00");
    assert!(e.body.starts_with("尊敬的客户："), "{}", e.body);
    assert!(e.body.contains("原路退回尾号 6618 的银行卡"));
    // The quoted history (the user's own earlier mail) is folded away.
    assert!(!e.body.contains("原始邮件"), "{}", e.body);
    assert!(!e.body.contains("我昨天转账"));
    assert_eq!(e.folded_lines, 6);
    // The service number, once; not the card tail, the amount or 95588.
    assert_eq!(refs(&e), ["ticket:SR20261128004417"]);
}

#[test]
fn an_html_only_quoted_printable_notice_becomes_text() {
    let e = mail::read(&fixture("02-paypal-html-qp.eml")).unwrap();
    assert_eq!(e.at.unwrap().to_rfc3339(), "2026-11-30T06:05:00-08:00");
    assert!(!e.body.contains('<'), "{}", e.body);
    assert!(
        e.body.contains("We're reviewing your dispute."),
        "{}",
        e.body
    );
    assert_eq!(
        refs(&e),
        ["case:PP-D-301234567", "transaction:7KX41285MN0931742"]
    );
}

#[test]
fn big5_and_gb18030_bodies_and_q_and_utf8_headers_decode() {
    let hk = mail::read(&fixture("03-hk-big5-qp.eml")).unwrap();
    assert_eq!(hk.subject, "投訴已收到");
    assert_eq!(hk.from_name, "客戶服務部");
    assert!(hk.body.contains("我們會於 5 個工作天內回覆"), "{}", hk.body);
    // 投訴編號 is 投诉编号 in traditional characters.
    assert_eq!(refs(&hk), ["complaint:HK-CMP-2026-118842"]);

    let cn = mail::read(&fixture("04-refund-gb18030-alternative.eml")).unwrap();
    assert_eq!(cn.subject, "回复：退款进度");
    assert_eq!(cn.from_name, "某宝客服");
    // The text part, not the HTML one; Gmail's "在 … 写道：" history folded.
    assert!(cn.body.contains("预计 1-3 个工作日到账"), "{}", cn.body);
    assert!(!cn.body.contains("写道"));
    assert_eq!(
        refs(&cn),
        [
            "transaction:RF2026113000098765",
            "transaction:2026112922001456780512345678"
        ]
    );
}

#[test]
fn an_email_is_logged_as_a_contact_with_the_eml_as_its_evidence() {
    let mut t = journal();
    let j = &mut t.journal;
    let case = new_case(j, "转账失败");
    let bytes = fixture("01-bank-gbk-base64.eml");
    let (contact, attachment) = j
        .add_contact_from_email(
            case,
            "01-bank-gbk-base64.eml",
            &bytes,
            vec![reference(RefKind::Ticket, "SR20261128004417")],
        )
        .unwrap();
    assert_eq!(contact.channel, Channel::Email);
    assert_eq!(contact.direction, Direction::In);
    assert_eq!(contact.via, "service@icbc.example.com.cn");
    assert_eq!(contact.agent, "中国某银行客户服务");
    assert_eq!(contact.at.to_rfc3339(), "2026-11-28T10:35:12+08:00");
    assert!(contact.reply.starts_with("回复：转账失败"));
    assert_eq!(contact.references.len(), 1);
    assert_eq!(attachment.contact_id, Some(contact.id));
    assert_eq!(attachment.media_type, "message/rfc822");
    assert_eq!(j.attachment_bytes(attachment.id).unwrap().1, bytes);

    // Search finds the contact and the e-mail by a 2-character word of the
    // decoded body and by the service number; a word of the folded history
    // is found in the kept e-mail only.
    for (q, expect_contact) in [("退回", true), ("SR20261128004417", true), ("昨天", false)] {
        let hits = j.search(&SearchQuery::new(q)).unwrap();
        let kinds: Vec<_> = hits.iter().map(|h| format!("{:?}", h.kind)).collect();
        assert!(
            kinds.iter().any(|k| k == "Attachment"),
            "{q}: the e-mail is found: {kinds:?}"
        );
        assert_eq!(
            kinds.iter().any(|k| k == "Contact"),
            expect_contact,
            "{q}: {kinds:?}"
        );
    }
}

#[test]
fn a_sender_that_imitates_a_registered_domain_is_a_red_flag() {
    let mut t = journal();
    let j = &mut t.journal;
    let case = j
        .create_case(NewCase {
            title: "PayPal limited".into(),
            provider: Some("PayPal".into()),
            category: Some(Category::Fraud),
            ..NewCase::default()
        })
        .unwrap()
        .id;
    j.add_official_channel(
        "PayPal",
        PointKind::Email,
        "paypal.com",
        "paypal.com help page",
    )
    .unwrap();
    let (fake, _) = j
        .add_contact_from_email(
            case,
            "05.eml",
            &fixture("05-lookalike-phishing.eml"),
            vec![],
        )
        .unwrap();
    let (real, _) = j
        .add_contact_from_email(case, "02.eml", &fixture("02-paypal-html-qp.eml"), vec![])
        .unwrap();
    let flags = j.channel_flags(Some(case)).unwrap();
    let of = |id: i64| {
        flags
            .iter()
            .filter(|f| f.contact_id == Some(id))
            .map(|f| f.kind)
            .collect::<Vec<_>>()
    };
    assert_eq!(of(fake.id), [ChannelFlagKind::Imitates]);
    assert!(of(real.id).is_empty(), "{:?}", of(real.id));
}

#[test]
fn a_file_that_is_not_an_email_changes_nothing() {
    let mut t = journal();
    let j = &mut t.journal;
    let case = new_case(j, "x");
    let err = j
        .add_contact_from_email(case, "photo.eml", b"", vec![])
        .unwrap_err();
    assert_eq!(err.problem(), Problem::NotAnEmail {});
    assert!(j.attachments(case).unwrap().is_empty());
    let entries = j.case_detail(case).unwrap().timeline;
    assert!(
        !entries
            .iter()
            .any(|e| matches!(e, TimelineEntry::Contact(_) | TimelineEntry::Attachment(_))),
        "{entries:?}"
    );
}

#[test]
fn an_attached_email_proposes_a_contact_and_is_linked_to_it_once_logged() {
    let mut t = journal();
    let j = &mut t.journal;
    let case = new_case(j, "退款");
    let a = j
        .attach_reader(
            casebook::evidence::AttachTo::case(case),
            "退款进度.eml",
            &mut &fixture("04-refund-gb18030-alternative.eml")[..],
        )
        .unwrap();
    let proposal = j.email_of_attachment(a.id).unwrap();
    assert_eq!(proposal.subject, "回复：退款进度");
    // Nothing is added until the user logs it, with the references they chose.
    let offered = j.case_detail(case).unwrap().offered_references;
    assert!(offered.is_empty(), "{offered:?}");
    let chosen = vec![proposal.references[0].reference()];
    let contact = j
        .log_email_attachment(a.id, proposal.to_input(casebook::time::At::now(), chosen))
        .unwrap();
    assert_eq!(j.attachment(a.id).unwrap().contact_id, Some(contact.id));
    assert_eq!(contact.references.len(), 1);
    // The other reference is offered on the contact, and one click adds it
    // (the earlier version is kept).
    let detail = j.case_detail(case).unwrap();
    assert_eq!(detail.offered_references.len(), 1);
    let left = &detail.offered_references[0];
    assert_eq!(left.contact_id, contact.id);
    assert_eq!(
        left.found
            .iter()
            .map(|f| f.value.as_str())
            .collect::<Vec<_>>(),
        ["2026112922001456780512345678"]
    );
    let c = j
        .add_reference(contact.id, left.found[0].reference())
        .unwrap();
    assert_eq!(c.references.len(), 2);
    assert_eq!(c.revision_count, 1);
    assert!(j.case_detail(case).unwrap().offered_references.is_empty());
    // A second click changes nothing.
    let again = j
        .add_reference(contact.id, left.found[0].reference())
        .unwrap();
    assert_eq!(again.revision_count, 1);
}

#[test]
fn a_file_that_is_not_an_email_proposes_nothing() {
    let mut t = journal();
    let j = &mut t.journal;
    let case = new_case(j, "x");
    let a = j
        .attach_reader(
            casebook::evidence::AttachTo::case(case),
            "note.txt",
            &mut &b"hello"[..],
        )
        .unwrap();
    assert_eq!(
        j.email_of_attachment(a.id).unwrap_err().problem(),
        Problem::NotAnEmail {}
    );
}
