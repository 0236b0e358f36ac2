//! The register of verified official contact points, contacts reported as
//! scams, and where the scam shield's warnings show (case, search, Due,
//! export), on real journal files.

mod common;

use casebook::Journal;
use casebook::cases::NewCase;
use casebook::channels::{ChannelFlagKind, PointKind};
use casebook::due::DueKind;
use casebook::export::{ExportFormat, ExportOptions, Lang};
use casebook::model::{Category, Channel};
use casebook::search::SearchQuery;
use common::{at, contact, english, journal, new_case};

fn via(channel: Channel, when: &str, via: &str, reply: &str) -> casebook::contacts::ContactInput {
    let mut c = contact(channel, when, reply);
    c.via = via.into();
    c
}

fn kinds(j: &Journal, case_id: i64) -> Vec<(i64, ChannelFlagKind)> {
    j.channel_flags(Some(case_id))
        .unwrap()
        .into_iter()
        .map(|f| (f.contact_id.unwrap(), f.kind))
        .collect()
}

#[test]
fn a_contact_point_outside_the_register_is_unverified_until_registered() {
    let mut t = journal();
    let j = &mut t.journal;
    let case = new_case(j, "账户被冻结");
    let official = j
        .add_contact(
            case,
            via(
                Channel::Phone,
                "2026-11-20T10:00:00+08:00",
                "+86 95188",
                "请稍等",
            ),
        )
        .unwrap();
    let fake = j
        .add_contact(
            case,
            via(
                Channel::Phone,
                "2026-11-20T11:00:00+08:00",
                "400-820-1234",
                "请稍等",
            ),
        )
        .unwrap();
    let visit = j
        .add_contact(
            case,
            via(
                Channel::InPerson,
                "2026-11-20T12:00:00+08:00",
                "营业厅",
                "已登记",
            ),
        )
        .unwrap();
    assert_eq!(
        kinds(j, case),
        [
            (official.id, ChannelFlagKind::Unverified),
            (fake.id, ChannelFlagKind::Unverified)
        ],
        "nothing is registered yet; a visit in person has no number to verify"
    );

    let reg = j
        .add_official_channel(
            "支付宝",
            PointKind::Phone,
            "95188",
            "支付宝 App → 我的 → 客服中心",
        )
        .unwrap();
    assert_eq!(reg.provider, "支付宝");
    assert_eq!(
        kinds(j, case),
        [(fake.id, ChannelFlagKind::Unverified)],
        "+86 95188 is 95188"
    );
    let _ = visit;

    // While typing: the same check, before anything is saved.
    let typing = j
        .check_channel(case, None, Channel::Phone, "95188")
        .unwrap();
    assert!(typing.is_empty());
    let typing = j
        .check_channel(case, None, Channel::Phone, "1095188")
        .unwrap();
    assert_eq!(typing.len(), 1);
    assert_eq!(typing[0].rule_id, "channel_unverified");
    assert!(typing[0].reason_zh.contains("官方联系方式"));
    assert!(!typing[0].is_red(), "a prompt to verify, not a red flag");

    // E-mail domains and websites: subdomains are the provider's own,
    // look-alike domains are not.
    j.add_official_channel("支付宝", PointKind::Email, "service@alipay.com", "官网")
        .unwrap();
    j.add_official_channel(
        "支付宝",
        PointKind::Website,
        "https://www.alipay.com/",
        "官网",
    )
    .unwrap();
    assert!(
        j.check_channel(case, None, Channel::Email, "notice@mail.alipay.com")
            .unwrap()
            .is_empty()
    );
    assert!(
        j.check_channel(case, None, Channel::Chat, "https://cshall.alipay.com/help")
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        j.check_channel(
            case,
            None,
            Channel::Chat,
            "https://alipay.com.refund-help.top/kf"
        )
        .unwrap()
        .len(),
        1
    );

    // Another provider's register does not vouch for this one.
    j.add_official_channel("PayPal", PointKind::Phone, "400-921-1000", "paypal.com")
        .unwrap();
    assert_eq!(kinds(j, case), [(fake.id, ChannelFlagKind::Unverified)]);

    // Taking it out of the register brings the warning back.
    j.remove_official_channel(reg.id).unwrap();
    assert_eq!(kinds(j, case).len(), 2);
    assert_eq!(j.official_channels().unwrap().len(), 3);
}

#[test]
fn a_number_reported_as_a_scam_is_flagged_on_every_later_use_anywhere() {
    let mut t = journal();
    let j = &mut t.journal;
    let first = new_case(j, "冒充客服来电");
    let scam = j
        .add_contact(
            first,
            via(
                Channel::Phone,
                "2026-11-20T10:00:00+08:00",
                "021-6123 4567",
                "我是支付宝客服",
            ),
        )
        .unwrap();
    let other = j
        .create_case(NewCase {
            title: "微信退款".into(),
            provider: Some("微信支付".into()),
            category: Some(Category::Refund),
            ..NewCase::default()
        })
        .unwrap()
        .id;
    let later = j
        .add_contact(
            other,
            via(
                Channel::Phone,
                "2026-11-22T10:00:00+08:00",
                "+86 21 61234567",
                "我是微信客服",
            ),
        )
        .unwrap();
    let scam_reported = |j: &Journal, case| {
        kinds(j, case)
            .into_iter()
            .filter(|(_, k)| *k == ChannelFlagKind::ScamReported)
            .collect::<Vec<_>>()
    };
    assert!(scam_reported(j, other).is_empty());

    j.report_scam(scam.id, true).unwrap();
    j.report_scam(scam.id, true).unwrap(); // twice is once
    assert_eq!(j.scam_reports().unwrap(), [scam.id]);
    assert_eq!(
        scam_reported(j, other),
        [(later.id, ChannelFlagKind::ScamReported)]
    );
    assert!(
        scam_reported(j, first).is_empty(),
        "the reported contact does not flag itself"
    );
    assert_eq!(j.case_detail(first).unwrap().scam_reports, [scam.id]);
    let typing = j
        .check_channel(other, None, Channel::Phone, "02161234567")
        .unwrap();
    assert!(
        typing
            .iter()
            .any(|f| f.rule_id == "channel_scam_reported" && f.is_red())
    );

    // In the case view, the export and the Due view (first, with its own item).
    let detail = j.case_detail(other).unwrap();
    assert!(detail.flags.iter().any(|f| f.entry_id == later.id
        && f.field == "via"
        && f.flag.rule_id == "channel_scam_reported"));
    let md = String::from_utf8(
        j.export_case(
            other,
            ExportFormat::Markdown,
            ExportOptions {
                lang: Lang::Zh,
                redact: true,
                exported_at: at("2026-11-25T10:00:00+08:00"),
            },
        )
        .unwrap(),
    )
    .unwrap();
    assert!(md.contains("你已标记为诈骗"), "{md}");
    assert!(md.contains("+86 21 61234567 ("), "{md}");

    // It cannot be registered as official while it stands reported.
    let err = j
        .add_official_channel("微信支付", PointKind::Phone, "021 61234567", "?")
        .unwrap_err();
    assert!(english(&err).contains("reported as a scam"), "{err}");
    assert!(j.official_channels().unwrap().is_empty());

    j.report_scam(scam.id, false).unwrap();
    assert!(scam_reported(j, other).is_empty());
    assert!(j.scam_reports().unwrap().is_empty());
}

#[test]
fn numbers_starting_with_00_are_flagged() {
    let mut t = journal();
    let j = &mut t.journal;
    let case = new_case(j, "境外来电");
    let c = j
        .add_contact(
            case,
            via(
                Channel::Phone,
                "2026-11-20T10:00:00+08:00",
                "00852 6123 4567",
                "您的百万保障即将扣费",
            ),
        )
        .unwrap();
    let k = kinds(j, case);
    assert!(
        k.contains(&(c.id, ChannelFlagKind::International00)),
        "{k:?}"
    );
    // Registering it does not make a 00 number harmless.
    j.add_official_channel("支付宝", PointKind::Phone, "00852 6123 4567", "?")
        .unwrap();
    assert_eq!(kinds(j, case), [(c.id, ChannelFlagKind::International00)]);
    // A +852 number is not the script.
    assert!(
        !j.check_channel(case, None, Channel::Phone, "+852 6123 4567")
            .unwrap()
            .iter()
            .any(|f| f.rule_id == "channel_international_00")
    );
}

#[test]
fn due_puts_cases_with_red_flags_first_and_search_marks_flagged_entries() {
    let mut t = journal();
    let j = &mut t.journal;
    let calm = new_case(j, "普通退款");
    let mut c = via(
        Channel::Chat,
        "2026-11-20T10:00:00+08:00",
        "支付宝 App 在线客服",
        "已提交退款申请",
    );
    c.follow_up = Some(casebook::contacts::FollowUp {
        date: casebook::time::parse_date("follow-up", "2026-11-21").unwrap(),
        promise: "回电".into(),
        done: false,
    });
    j.add_contact(calm, c).unwrap();
    let hot = new_case(j, "可疑客服");
    let mut c = via(
        Channel::Phone,
        "2026-11-20T11:00:00+08:00",
        "",
        "把钱转到安全账户就能解冻",
    );
    c.follow_up = Some(casebook::contacts::FollowUp {
        date: casebook::time::parse_date("follow-up", "2026-11-29").unwrap(),
        promise: "再联系".into(),
        done: false,
    });
    let bad = j.add_contact(hot, c).unwrap();
    let today = casebook::time::parse_date("today", "2026-11-30").unwrap();
    let due = j.due(today, 0).unwrap();
    let order: Vec<(i64, DueKind)> = due.iter().map(|d| (d.case_id, d.kind)).collect();
    assert_eq!(
        order,
        [
            (hot, DueKind::Warning),
            (hot, DueKind::FollowUp),
            (calm, DueKind::FollowUp)
        ],
        "the case with an open red flag first, though its follow-up is later"
    );
    // The safe-account rule, and the script it is part of (asks for a
    // transfer, pretext: a frozen account).
    assert_eq!(due[0].warnings, 2);
    assert!(due[0].promise.contains("safe"));
    // An unverified channel alone is a prompt, not a red flag: no Warning item.
    assert!(!due.iter().any(|d| d.case_id == calm && d.warnings > 0));
    // A resolved case has no open warnings.
    j.set_case_status(hot, casebook::model::Status::Resolved)
        .unwrap();
    assert!(
        !j.due(today, 0)
            .unwrap()
            .iter()
            .any(|d| d.kind == DueKind::Warning)
    );

    let hits = j.search(&SearchQuery::new("安全账户")).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].id, bad.id);
    assert_eq!(hits[0].warnings[0].rule_id, "safe_account");
    let hits = j.search(&SearchQuery::new("退款申请")).unwrap();
    assert_eq!(hits.len(), 1);
    assert!(
        hits[0].warnings.iter().all(|f| !f.is_red()),
        "only the prompt to verify the chat"
    );
}

#[test]
fn bad_register_input_is_refused_and_changes_nothing() {
    let mut t = journal();
    let j = &mut t.journal;
    j.add_official_channel("支付宝", PointKind::Phone, "95188", "App")
        .unwrap();
    let err = j
        .add_official_channel("", PointKind::Phone, "95188", "")
        .unwrap_err();
    assert!(english(&err).contains("provider"), "{err}");
    let err = j
        .add_official_channel("支付宝", PointKind::Phone, "客服", "")
        .unwrap_err();
    assert!(english(&err).contains("number"), "{err}");
    let err = j
        .add_official_channel("支付宝", PointKind::Phone, "951-88 ", "")
        .unwrap_err();
    assert!(english(&err).contains("already"), "{err}");
    let err = j.remove_official_channel(99).unwrap_err();
    assert!(english(&err).contains("channel list"), "{err}");
    let err = j.report_scam(42, true).unwrap_err();
    assert!(english(&err).contains("42"), "{err}");
    assert_eq!(j.official_channels().unwrap().len(), 1);
    assert!(j.scam_reports().unwrap().is_empty());
    assert!(PointKind::parse("fax").is_err());
}

/// Schema 3 → 4: every entry survives and the register starts empty.
#[test]
fn a_version_3_journal_migrates_to_version_4() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(casebook::db::JOURNAL_FILE);
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        casebook::db::migrations().to_version(&mut conn, 3).unwrap();
        conn.execute_batch(
            "INSERT INTO providers (id, name, kind, created_ms) VALUES (1, '支付宝', 'e_wallet', 0);
             INSERT INTO cases (id, title, category, provider_id, opened_ms, opened_offset, created_ms, updated_ms, escalation_route)
                 VALUES (1, '冻结', 'account_locked', 1, 0, 28800, 0, 0, 'cn-nfra');
             INSERT INTO contacts (id, case_id, at_ms, at_offset, channel, via, direction, reply, created_ms, created_offset)
                 VALUES (1, 1, 1000, 28800, 'phone', '95188', 'out', '请提供验证码', 0, 0);",
        )
        .unwrap();
    }
    let mut j = Journal::open(&path).unwrap();
    let d = j.case_detail(1).unwrap();
    assert_eq!(d.timeline.len(), 1);
    assert_eq!(d.case.escalation_route.as_deref(), Some("cn-nfra"));
    let rules: Vec<&str> = d.flags.iter().map(|f| f.flag.rule_id.as_str()).collect();
    assert_eq!(rules, ["verification_code", "channel_unverified"]);
    j.add_official_channel("支付宝", PointKind::Phone, "95188", "App")
        .unwrap();
    assert_eq!(j.case_detail(1).unwrap().flags.len(), 1);
    assert!(dir.path().join("journal.sqlite3.v3.bak").exists());
}

/// Issue 16's shapes: with `alipay.com` registered, an address that imitates
/// it is its own red warning ("imitates alipay.com"), not merely
/// "unverified"; a trailing dot or upper case is the official address; an
/// honest unregistered address stays a prompt to verify.
#[test]
fn an_address_that_imitates_a_registered_one_is_a_red_flag() {
    let mut t = journal();
    let j = &mut t.journal;
    let case = new_case(j, "退款没到账");
    j.add_official_channel(
        "支付宝",
        PointKind::Website,
        "https://www.alipay.com/",
        "支付宝 App 关于页",
    )
    .unwrap();
    j.add_official_channel("支付宝", PointKind::Email, "service@alipay.com", "官网")
        .unwrap();
    j.add_official_channel("PayPal", PointKind::Website, "paypal.com", "the app")
        .unwrap();
    // (rule, what it imitates) of each warning while typing.
    let check = |j: &Journal, ch: Channel, v: &str| -> Vec<(String, Option<String>)> {
        j.check_channel(case, None, ch, v)
            .unwrap()
            .into_iter()
            .map(|f| {
                let imitated = f.evidence.split_once(" ≠ ").map(|(_, o)| o.to_string());
                (f.rule_id, imitated)
            })
            .collect()
    };
    let imitates = |what: &str| vec![("channel_imitates".to_string(), Some(what.to_string()))];
    for v in [
        "https://аlipay.com",               // Cyrillic а
        "xn--lipay-3ve.com",                // its punycode
        "alipay.com.refund-help.top",       // the official domain inside another
        "https://alipay.com@evil-pay.top/", // userinfo: the browser goes to evil-pay.top
        "alipay-refund.com",                // the name with a word added
        "http://a1ipay.com/login",          // a digit for a letter
    ] {
        assert_eq!(check(j, Channel::Chat, v), imitates("alipay.com"), "{v}");
    }
    assert_eq!(
        check(j, Channel::Email, "客服 <refund@alipay-service.net>"),
        imitates("alipay.com")
    );
    // Another provider's register counts too: a PayPal look-alike in this case.
    assert_eq!(
        check(j, Channel::Chat, "https://paypal-resolution.center"),
        imitates("paypal.com")
    );
    // The official address, however it is written.
    for v in [
        "ALIPAY.COM.",
        "https://www.alipay.com/refund?id=1",
        "cshall.alipay.com",
        "help@service.alipay.com",
    ] {
        assert!(
            check(j, Channel::Chat, v).is_empty(),
            "{v}: {:?}",
            check(j, Channel::Chat, v)
        );
    }
    // The warning shows where a look-alike really goes.
    let evidence = |v: &str| {
        j.check_channel(case, None, Channel::Chat, v).unwrap()[0]
            .evidence
            .clone()
    };
    assert_eq!(
        evidence("https://аlipay.com/refund"),
        "https://аlipay.com/refund (→ xn--lipay-3ve.com) ≠ alipay.com"
    );
    assert_eq!(
        evidence("https://alipay.com@evil-pay.top/"),
        "https://alipay.com@evil-pay.top/ (→ evil-pay.top) ≠ alipay.com"
    );
    assert_eq!(
        evidence("alipay-refund.com"),
        "alipay-refund.com ≠ alipay.com"
    );
    // An honest address nobody registered: only a prompt to verify.
    assert_eq!(
        check(j, Channel::Chat, "https://www.taobao.com"),
        vec![("channel_unverified".to_string(), None)]
    );
    // Saved, the warning is red and says what it imitates, in both languages.
    let c = j
        .add_contact(
            case,
            via(
                Channel::Chat,
                "2026-11-20T10:00:00+08:00",
                "xn--lipay-3ve.com",
                "请点击链接退款",
            ),
        )
        .unwrap();
    let flags = j.channel_flags(Some(case)).unwrap();
    let f = flags.iter().find(|f| f.contact_id == Some(c.id)).unwrap();
    assert_eq!(f.kind, ChannelFlagKind::Imitates);
    assert_eq!(f.imitates.as_deref(), Some("alipay.com"));
    assert!(f.is_red());
    let shown = f.to_flag();
    assert_eq!(shown.rule_id, "channel_imitates");
    assert!(shown.evidence.contains("alipay.com"), "{}", shown.evidence);
    assert!(shown.reason_zh.contains("模仿"));
}

/// Issue 16: a fake-support script is often spread over several calls —
/// one claims to be 银保监会 about a loan, the next asks for a transfer.
/// Neither is a script alone; together they are, and the warning, which
/// names the parts, shows on the call that completes it in the case view,
/// the Due view and the export.
#[test]
fn a_script_spread_over_two_calls_is_flagged_on_the_call_that_completes_it() {
    let mut t = journal();
    let j = &mut t.journal;
    let case = new_case(j, "京东金条");
    // (With 京东金条 named, the first call is a documented opener on its
    // own: 银保监会 does not call about a loan.)
    let claims = "您好，这边是银保监会，您现在方便接电话吗？";
    // ("请您把余额转到这个账户", "接下来请您转账", "下一步请您办理转账",
    // "您好，这边是银保监会的工作人员。" and, since the examples of
    // 2026-12-02, "您好，这边是银保监会的工作人员，您现在方便接电话吗？" are
    // worded like the documented scripts and flagged on their own.)
    let asks = "那您现在去办理转账吧。";
    for alone in [claims, asks] {
        assert!(
            !casebook::shield::check_text(alone)
                .iter()
                .any(|f| f.category == "script"),
            "{alone}"
        );
    }
    let first = j
        .add_contact(
            case,
            contact(Channel::Phone, "2026-11-20T10:00:00+08:00", claims),
        )
        .unwrap();
    assert!(j.scan(Some(case)).unwrap().flags.is_empty());
    let second = j
        .add_contact(
            case,
            contact(Channel::Phone, "2026-11-21T10:00:00+08:00", asks),
        )
        .unwrap();
    let flags = j.case_detail(case).unwrap().flags;
    let across: Vec<_> = flags
        .iter()
        .filter(|f| f.flag.rule_id == "script_across_contacts")
        .collect();
    assert_eq!(across.len(), 1, "{flags:?}");
    assert_eq!(across[0].entry_id, second.id);
    assert_ne!(across[0].entry_id, first.id);
    let zh = &across[0].flag.reason_zh;
    assert!(zh.contains("银保监会") || zh.contains("监管"), "{zh}");
    assert!(zh.contains("要求转移资金"), "{zh}");
    assert!(across[0].flag.reason_en.contains("asks you to move money"));
    assert!(across[0].flag.is_red());

    let today = casebook::time::parse_date("today", "2026-11-30").unwrap();
    assert!(
        j.due(today, 0)
            .unwrap()
            .iter()
            .any(|d| d.case_id == case && d.kind == DueKind::Warning)
    );
    let md = String::from_utf8(
        j.export_case(
            case,
            ExportFormat::Markdown,
            ExportOptions {
                lang: Lang::En,
                redact: true,
                exported_at: at("2026-11-25T10:00:00+08:00"),
            },
        )
        .unwrap(),
    )
    .unwrap();
    assert!(md.contains("Together with earlier contacts"), "{md}");

    // A case that already had a script on one call still gets the one
    // spread over the next two.
    let other = new_case(j, "抖音会员");
    j.add_contact(
        other,
        contact(
            Channel::Phone,
            "2026-11-20T09:00:00+08:00",
            "我是抖音客服，您开通的直播会员下月起每月自动扣费800元，如不取消请下载会议软件，我指导您操作。",
        ),
    )
    .unwrap();
    j.add_contact(
        other,
        contact(Channel::Phone, "2026-11-20T10:00:00+08:00", claims),
    )
    .unwrap();
    let last = j
        .add_contact(
            other,
            contact(Channel::Phone, "2026-11-21T10:00:00+08:00", asks),
        )
        .unwrap();
    let rules: Vec<(i64, String)> = j
        .scan(Some(other))
        .unwrap()
        .flags
        .into_iter()
        .filter(|f| f.flag.category == "script")
        .map(|f| (f.entry_id, f.flag.rule_id))
        .collect();
    assert_eq!(rules.len(), 2, "{rules:?}");
    assert_eq!(rules[1], (last.id, "script_across_contacts".to_string()));
}
