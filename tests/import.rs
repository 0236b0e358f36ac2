//! Statement imports on real files: one fixture per format and layout, each
//! following a real export (sources in tests/fixtures/statements/SOURCES.md),
//! and every kind of bad input.

mod common;

use std::fs;

use casebook::error::ErrorKind;
use casebook::import::{
    ColumnMapping, Format, ImportOptions, RowFilterForm, Selection, Statement, read_statement,
};
use casebook::model::Direction;
use common::*;

fn fixture(name: &str) -> Vec<u8> {
    fs::read(format!(
        "{}/tests/fixtures/statements/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// Reads with the user in UTC+1 (for layouts whose times carry no zone).
fn read(name: &str) -> Statement {
    read_statement(
        &fixture(name),
        &ImportOptions {
            offset_secs: Some(3600),
            ..ImportOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// `(line, time, signed amount, currency, txid, counterparty, status)` of each row.
fn summary(st: &Statement) -> Vec<(usize, String, String, String, String, String, String)> {
    st.rows
        .iter()
        .map(|r| {
            let d = &r.draft;
            let sign = if d.direction == Direction::Out {
                "-"
            } else {
                ""
            };
            (
                r.line,
                d.at.to_rfc3339(),
                format!("{sign}{}", d.amount),
                d.currency.to_string(),
                d.txid.clone(),
                d.counterparty.clone(),
                d.status.clone(),
            )
        })
        .collect()
}

fn row(
    line: usize,
    at: &str,
    amount: &str,
    cur: &str,
    txid: &str,
    who: &str,
    status: &str,
) -> (usize, String, String, String, String, String, String) {
    (
        line,
        at.into(),
        amount.into(),
        cur.into(),
        txid.into(),
        who.into(),
        status.into(),
    )
}

#[test]
fn alipay_app_export_gbk() {
    let st = read("alipay-2023.csv");
    assert_eq!((st.format, st.encoding.as_str()), (Format::Alipay, "GBK"));
    assert!(st.rejected.is_empty() && st.warnings.is_empty(), "{st:?}");
    let s = summary(&st);
    assert_eq!(s.len(), 6);
    assert_eq!(
        s[0],
        row(
            26,
            "2026-11-18T21:32:14+08:00",
            "-2000.00",
            "CNY",
            "20261118200040011100930012345678",
            "李客服",
            "交易成功"
        )
    );
    // 不计收支 refund: money came back.
    assert_eq!(s[3].2, "16.03");
    assert_eq!(s[3].4, "2026110222001488_2026110457");
    assert!(st.rows[3].draft.note.contains("不计收支"));
    assert_eq!(s[4].2, "200.00");
    assert_eq!(s[4].5, "王五 · wang***@163.com");
    assert_eq!(st.rows[5].draft.method, "交通银行信用卡(7449)");
}

#[test]
fn alipay_old_web_export_stops_at_its_footer() {
    let st = read("alipay-web-2020.txt");
    assert_eq!(st.layout_id, "alipay_web");
    assert!(st.warnings.is_empty() && st.rejected.is_empty(), "{st:?}");
    let s = summary(&st);
    assert_eq!(s.len(), 3);
    assert_eq!(
        s[0],
        row(
            6,
            "2019-12-31T13:26:29+08:00",
            "-493.50",
            "CNY",
            "2019123122001456000000000001",
            "中国铁路网络有限公司",
            "交易成功"
        )
    );
    // No 付款时间: the creation time; 资金状态 已收入 makes it money in.
    assert_eq!(s[1].1, "2019-12-31T05:39:17+08:00");
    assert_eq!(s[1].2, "2.83");
}

#[test]
fn a_truncated_statement_is_flagged_and_its_cut_row_rejected() {
    let st = read("alipay-web-truncated.txt");
    assert_eq!(st.rows.len(), 2);
    assert_eq!(st.rejected.len(), 1);
    assert!(
        english_problem(&st.rejected[0].reason).contains("cut short"),
        "{:?}",
        st.rejected
    );
    assert!(english_problem(&st.warnings[0]).contains("cut short"));
}

#[test]
fn wechat_csv_with_bom_yuan_signs_and_fees() {
    let st = read("wechat-2024.csv");
    assert_eq!((st.format, st.encoding.as_str()), (Format::Wechat, "UTF-8"));
    let s = summary(&st);
    assert_eq!(s.len(), 5);
    assert_eq!(
        s[0],
        row(
            18,
            "2026-11-19T12:45:27+08:00",
            "-28.16",
            "CNY",
            "4200002026111912452700001",
            "云膳过桥米线(传奇广场店)",
            "支付成功"
        )
    );
    assert_eq!(s[1].2, "0.35");
    // Neutral withdrawal ("/"), fee kept in the note.
    assert_eq!(s[2].2, "-100.10");
    assert!(st.rows[2].draft.note.contains("服务费¥0.10"));
    // Full-width sign and thousands separator.
    assert_eq!(s[3].2, "-2000.00");
    assert_eq!(s[3].5, "客服专员小李");
}

#[test]
fn wechat_xlsx_with_serial_dates() {
    let st = read("wechat-2026.xlsx");
    assert_eq!((st.format, st.encoding.as_str()), (Format::Wechat, "XLSX"));
    let s = summary(&st);
    assert_eq!(s.len(), 3);
    assert_eq!(
        s[0],
        row(
            19,
            "2026-11-18T19:04:37+08:00",
            "-3.5",
            "CNY",
            "4500000123202611180001",
            "某科技公司",
            "支付成功"
        )
    );
    assert_eq!(s[1].2, "2000");
}

#[test]
fn paypal_layouts_and_date_orders() {
    let us = summary(&read("paypal-us.csv"));
    assert_eq!(us.len(), 4);
    assert_eq!(
        us[0],
        row(
            2,
            "2026-10-01T03:46:20-07:00",
            "-6.99",
            "USD",
            "1AB23456CD7890123",
            "Acme Radio",
            "Completed"
        )
    );
    assert_eq!(us[2].2, "1250.00");
    // 11/14 proves month-first; PST is UTC-8.
    assert_eq!(us[3].1, "2026-11-14T18:02:11-08:00");

    let gb = summary(&read("paypal-en-gb.csv"));
    assert_eq!(
        gb[0],
        row(
            2,
            "2026-10-29T07:45:51+00:00",
            "84",
            "GBP",
            "TID1",
            "PARTNER1",
            "Completed"
        )
    );
    assert_eq!(
        gb[1].1, "2026-11-12T13:30:31+00:00",
        "29/10 proves day-first"
    );
    assert_eq!(gb[2].3, "EUR");

    let st = read("paypal-statement.csv");
    let s = summary(&st);
    assert_eq!(
        s[0],
        row(
            2,
            "2026-09-04T20:44:10-07:00",
            "1309.80",
            "USD",
            "TID9",
            "Partner 1",
            ""
        )
    );
    assert_eq!(s[2].2, "-1058.09");
}

#[test]
fn coinbase_old_and_new_layouts() {
    let old = read("coinbase-2022.csv");
    assert_eq!(old.layout_id, "coinbase_2019");
    let s = summary(&old);
    assert_eq!(
        s[0],
        row(9, "2021-01-22T22:38:01+01:00", "-55.48", "USD", "", "", "")
    );
    assert_eq!(s[1].2, "738.94", "a sell brings money in");
    assert!(old.rows[0].draft.note.contains("0.0016458 BTC"));

    let new = read("coinbase-2025.csv");
    assert_eq!(new.layout_id, "coinbase_2023");
    let s = summary(&new);
    assert_eq!(s.len(), 4);
    assert_eq!(
        s[0],
        row(
            5,
            "2025-03-16T14:22:37+01:00",
            "-1962.50",
            "USD",
            "67d6d09d3bc291b64c9b4c1e",
            "",
            ""
        )
    );
    assert_eq!(s[1].2, "1962.50");
    assert_eq!(s[2].2, "-400.46053");
    assert!(new.rows[2].draft.note.contains("bc1qexampleaddr"));
}

#[test]
fn revolut_current_and_legacy_layouts() {
    let st = read("revolut-2024.csv");
    let s = summary(&st);
    assert_eq!(s.len(), 4);
    assert_eq!(
        s[0],
        row(
            2,
            "2026-02-01T07:30:04+01:00",
            "-39.90",
            "GBP",
            "",
            "Sainsbury's",
            "COMPLETED"
        )
    );
    assert_eq!(st.rows[2].draft.note, "Fee 0.50");
    // Reverted: no completion date, the start date is used.
    assert_eq!(s[3].1, "2026-02-25T16:51:50+01:00");
    assert_eq!(s[3].5, "Bolt, Ride");

    let old = summary(&read("revolut-2018.csv"));
    assert_eq!(old.len(), 3);
    assert_eq!(
        old[0],
        row(
            2,
            "2018-04-08T00:00:00+01:00",
            "-11.00",
            "EUR",
            "",
            "Shop A",
            ""
        )
    );
    assert_eq!(old[1].2, "200.00");
    assert_eq!(old[2].2, "-1015.54");
}

#[test]
fn any_other_csv_through_a_saved_mapping() {
    let mut t = journal();
    let bytes = fixture("bank-other.csv");
    // Without a mapping: a clear message naming the columns.
    let err = read_statement(&bytes, &ImportOptions::default()).unwrap_err();
    let msg = english(&err);
    assert!(
        msg.contains("Booking date, Value date, Payee, Reference, Amount, Balance"),
        "{msg}"
    );
    assert!(msg.contains("--format csv"), "{msg}");

    let mapping = ColumnMapping {
        date: "Booking date".into(),
        amount: "Amount".into(),
        fixed_currency: Some("EUR".into()),
        id: Some("Reference".into()),
        counterparty: Some("Payee".into()),
        day_first: true,
        ..ColumnMapping::default()
    };
    t.journal.save_mapping("My bank", &mapping).unwrap();
    let loaded = t.journal.mapping("my bank").unwrap();
    assert_eq!(loaded, mapping);
    let opts = ImportOptions {
        format: Some(Format::Csv),
        mapping: Some(loaded),
        offset_secs: Some(0),
        ..ImportOptions::default()
    };
    let s = summary(&read_statement(&bytes, &opts).unwrap());
    assert_eq!(
        s[0],
        row(
            2,
            "2026-11-03T00:00:00+00:00",
            "-89.90",
            "EUR",
            "Order 5521",
            "ACME Online Shop",
            ""
        )
    );
    assert_eq!(s[1].2, "89.90");

    let bad = ColumnMapping {
        date: "Datum".into(),
        ..mapping
    };
    let err = read_statement(
        &bytes,
        &ImportOptions {
            mapping: Some(bad),
            ..opts
        },
    )
    .unwrap_err();
    assert!(english(&err).contains("no column named 'Datum'"), "{err}");
}

#[test]
fn detection_reads_the_content_not_the_name() {
    let mut t = journal();
    let case = new_case(&mut t.journal, "auto");
    let r = t
        .journal
        .import_statement(
            case,
            "misleading-name.xlsx",
            &fixture("paypal-us.csv"),
            &ImportOptions::default(),
            &Selection::All,
        )
        .unwrap();
    assert_eq!(r.layout_name.en, "PayPal activity download");
    assert_eq!(r.imported.len(), 4);
    // A format the content contradicts is refused with what was found.
    let err = read_statement(
        &fixture("revolut-2024.csv"),
        &ImportOptions {
            format: Some(Format::Alipay),
            ..ImportOptions::default()
        },
    )
    .unwrap_err();
    assert!(
        english(&err).contains("does not look like a Alipay")
            || english(&err).contains("Alipay 支付宝"),
        "{err}"
    );
}

fn count(j: &casebook::Journal, table: &str) -> i64 {
    rusqlite::Connection::open(j.path())
        .unwrap()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn picking_rows_importing_and_skipping_what_is_already_there() {
    let mut t = journal();
    let case = new_case(&mut t.journal, "被骗转账");
    let bytes = fixture("alipay-2023.csv");
    let mut st = t
        .journal
        .preview_statement(case, &bytes, &ImportOptions::default())
        .unwrap();
    let filter = RowFilterForm {
        text: Some("李客服".into()),
        from: Some("2026-11-18".into()),
        ..RowFilterForm::default()
    }
    .parse()
    .unwrap();
    let lines: Vec<usize> = st.filtered(&filter).map(|r| r.line).collect();
    assert_eq!(lines, [26, 27]);
    let r = t
        .journal
        .import_statement(
            case,
            "支付宝账单.csv",
            &bytes,
            &ImportOptions::default(),
            &Selection::Lines(lines.clone()),
        )
        .unwrap();
    assert_eq!((r.imported.len(), r.skipped.len()), (2, 0));
    let statement = r.statement.unwrap();
    assert_eq!(statement.name, "支付宝账单.csv");
    let detail = t.journal.case_detail(case).unwrap();
    let txns: Vec<_> = detail
        .timeline
        .iter()
        .filter_map(|e| match e {
            casebook::timeline::TimelineEntry::Transaction(t) => Some(t),
            _ => None,
        })
        .collect();
    assert_eq!(txns.len(), 2);
    assert_eq!(txns[0].source_attachment_id, Some(statement.id));
    assert_eq!(txns[0].source_line, Some(26));

    // The same rows again: skipped and counted; the preview marks them.
    st = t
        .journal
        .preview_statement(case, &bytes, &ImportOptions::default())
        .unwrap();
    assert_eq!(st.rows.iter().filter(|r| r.duplicate).count(), 2);
    let again = t
        .journal
        .import_statement(
            case,
            "支付宝账单.csv",
            &bytes,
            &ImportOptions::default(),
            &Selection::All,
        )
        .unwrap();
    assert_eq!(
        (again.imported.len(), again.skipped, again.rejected.len()),
        (4, vec![26, 27], 0)
    );
    assert_eq!(count(&t.journal, "transactions"), 6);

    // Without IDs (Revolut): the same time, amount and counterparty is a duplicate.
    let rev = fixture("revolut-2024.csv");
    t.journal
        .import_statement(
            case,
            "r.csv",
            &rev,
            &ImportOptions::default(),
            &Selection::All,
        )
        .unwrap();
    let again = t
        .journal
        .import_statement(
            case,
            "r.csv",
            &rev,
            &ImportOptions::default(),
            &Selection::All,
        )
        .unwrap();
    assert_eq!((again.imported.len(), again.skipped.len()), (0, 4));
}

/// Every bad input gets a clear message and leaves the journal as it was.
#[test]
fn bad_input_changes_nothing() {
    let mut t = journal();
    let case = new_case(&mut t.journal, "bad");
    let malformed_amount = String::from_utf8(fixture("revolut-2024.csv"))
        .unwrap()
        .replace("-39.90", "-39.9x");
    let malformed_date = String::from_utf8(fixture("revolut-2024.csv"))
        .unwrap()
        .replace(
            "2026-02-04 17:59:03,2026-02-04 17:59:03",
            "2026-02-31 17:59:03,2026-02-31 17:59:03",
        );
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&[0u8; 64]);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", Vec::new(), "empty"),
        ("binary", png, "image/png"),
        (
            "wrong encoding",
            vec![b'a', b',', 0xff, 0xfe, 0xff, b'\n', 0x81, 0x20, b'\n'],
            "neither UTF-8 nor GBK",
        ),
        ("unknown layout", b"foo,bar\n1,2\n".to_vec(), "foo, bar"),
        (
            "malformed amount",
            malformed_amount.into_bytes(),
            "line 2: '-39.9x' in Amount is not an amount",
        ),
        (
            "malformed date",
            malformed_date.into_bytes(),
            "line 3: '2026-02-31 17:59:03' in Completed Date is not a date",
        ),
        (
            "truncated",
            fixture("alipay-web-truncated.txt"),
            "cut short",
        ),
        (
            "corrupt xlsx",
            b"PK\x03\x04garbage".to_vec(),
            "spreadsheet could not be read",
        ),
    ];
    for (what, bytes, expect) in cases {
        let err = t
            .journal
            .import_statement(
                case,
                "x.csv",
                &bytes,
                &ImportOptions::default(),
                &Selection::All,
            )
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Invalid, "{what}: {err}");
        assert!(english(&err).contains(expect), "{what}: {err}");
        assert_eq!(count(&t.journal, "transactions"), 0, "{what}");
        assert_eq!(count(&t.journal, "attachments"), 0, "{what}");
    }
    // A picked line that could not be read is refused too.
    let bytes = fixture("alipay-web-truncated.txt");
    let st = read_statement(&bytes, &ImportOptions::default()).unwrap();
    let bad_line = st.rejected[0].line;
    let err = t
        .journal
        .import_statement(
            case,
            "x.txt",
            &bytes,
            &ImportOptions::default(),
            &Selection::Lines(vec![6, bad_line]),
        )
        .unwrap_err();
    assert!(english(&err).contains(&format!("line {bad_line}")), "{err}");
    // The good lines alone import.
    let r = t
        .journal
        .import_statement(
            case,
            "x.txt",
            &bytes,
            &ImportOptions::default(),
            &Selection::Lines(vec![6, 7]),
        )
        .unwrap();
    assert_eq!(r.imported.len(), 2);
}

#[test]
fn a_failure_half_way_rolls_back_the_whole_import() {
    let mut t = journal();
    let case = new_case(&mut t.journal, "rollback");
    // The third row's ID is too long for the journal: rows 1 and 2 must not stay.
    let text = String::from_utf8(fixture("revolut-2024.csv")).unwrap();
    let long = "x".repeat(3000);
    let text = text.replace("Exchanged to EUR", &long);
    let mapping = ColumnMapping {
        date: "Started Date".into(),
        amount: "Amount".into(),
        currency: Some("Currency".into()),
        id: Some("Description".into()),
        ..ColumnMapping::default()
    };
    let opts = ImportOptions {
        format: Some(Format::Csv),
        mapping: Some(mapping),
        offset_secs: Some(0),
        ..ImportOptions::default()
    };
    let err = t
        .journal
        .import_statement(case, "r.csv", text.as_bytes(), &opts, &Selection::All)
        .unwrap_err();
    assert!(english(&err).contains("Line 4"), "{err}");
    assert_eq!(count(&t.journal, "transactions"), 0);
    assert_eq!(count(&t.journal, "attachments"), 0);
}

#[test]
fn identical_rows_without_ids_in_one_file_are_two_payments() {
    let mut t = journal();
    let case = new_case(&mut t.journal, "fares");
    let text = "Type,Product,Started Date,Completed Date,Description,Amount,Fee,Currency,State,Balance\n\
        Transfer,Current,2026-11-18 21:32:14,2026-11-18 21:32:14,To Li Kefu,-2000.00,0.00,GBP,COMPLETED,100.00\n\
        Transfer,Current,2026-11-18 21:32:14,2026-11-18 21:32:14,To Li Kefu,-2000.00,0.00,GBP,COMPLETED,-1900.00\n";
    let st = t
        .journal
        .preview_statement(case, text.as_bytes(), &ImportOptions::default())
        .unwrap();
    assert!(st.rows.iter().all(|r| !r.duplicate));
    let r = t
        .journal
        .import_statement(
            case,
            "r.csv",
            text.as_bytes(),
            &ImportOptions::default(),
            &Selection::All,
        )
        .unwrap();
    assert_eq!(r.imported.len(), 2);
    // Importing the file again finds both in the case.
    let again = t
        .journal
        .import_statement(
            case,
            "r.csv",
            text.as_bytes(),
            &ImportOptions::default(),
            &Selection::All,
        )
        .unwrap();
    assert_eq!((again.imported.len(), again.skipped.len()), (0, 2));
}

#[test]
fn mapped_csvs_read_dashed_day_first_dates_twelve_hour_times_and_cr_line_ends() {
    let text = "Date\rTime\rAmount\rWho\r"
        .replace('\r', ";")
        .trim_end_matches(';')
        .to_string()
        + "\r03-11-2026;2:05 PM;-12,50;Cafe\r25-11-2026;14:05;0,005;Miner\r26-11-2026;25 o'clock;1,00;Bad\r";
    let mapping = ColumnMapping {
        date: "Date".into(),
        time: Some("Time".into()),
        amount: "Amount".into(),
        fixed_currency: Some("EUR".into()),
        counterparty: Some("Who".into()),
        ..ColumnMapping::default()
    };
    let st = read_statement(
        text.as_bytes(),
        &ImportOptions {
            format: Some(Format::Csv),
            mapping: Some(mapping),
            offset_secs: Some(0),
            ..ImportOptions::default()
        },
    )
    .unwrap();
    let s = summary(&st);
    // 25-11 proves day-first; lone CR line ends keep their line numbers.
    assert_eq!(
        s[0],
        row(
            2,
            "2026-11-03T14:05:00+00:00",
            "-12.50",
            "EUR",
            "",
            "Cafe",
            ""
        )
    );
    assert_eq!(s[1].2, "0.005");
    assert_eq!(st.rejected.len(), 1);
    assert_eq!(st.rejected[0].line, 4);
    assert!(
        english_problem(&st.rejected[0].reason).contains("is not a time"),
        "{:?}",
        st.rejected
    );
}

/// `fixture`'s workbook with a `sharedStrings.xml` whose first tag is `sst`.
fn xlsx_with_shared_strings(sst: &str) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut src = zip::ZipArchive::new(std::io::Cursor::new(fixture("wechat-2026.xlsx"))).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for i in 0..src.len() {
        let mut f = src.by_index(i).unwrap();
        let mut buf = Vec::new();
        f.read_to_end(&mut buf).unwrap();
        out.start_file(f.name().unwrap().to_string(), opts).unwrap();
        out.write_all(&buf).unwrap();
    }
    out.start_file("xl/sharedStrings.xml", opts).unwrap();
    out.write_all(
        format!("<?xml version=\"1.0\"?>\n{sst}<si><t>交易时间</t></si></sst>").as_bytes(),
    )
    .unwrap();
    out.finish().unwrap().into_inner()
}

/// A small crafted workbook must get a sentence, not exhaust memory: a huge
/// `uniqueCount` made calamine reserve terabytes and abort the process
/// (an allocation failure cannot be caught), and parts may claim any size.
#[test]
fn a_crafted_xlsx_cannot_exhaust_memory() {
    let ns = "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"";
    // The same workbook with honest counts is read.
    let honest = xlsx_with_shared_strings(&format!("<sst {ns} count=\"1\" uniqueCount=\"1\">"));
    read_statement(&honest, &ImportOptions::default()).unwrap();
    for (what, sst) in [
        (
            "uniqueCount",
            format!("<sst {ns} count=\"1\" uniqueCount=\"1000000000000\">"),
        ),
        (
            "uniqueCount, single quotes",
            format!("<sst {ns} uniqueCount='900000000000'>"),
        ),
        (
            "count",
            format!("<sst {ns} count=\"99999999999999999999\" uniqueCount=\"1\">"),
        ),
    ] {
        let bytes = xlsx_with_shared_strings(&sst);
        assert!(bytes.len() < 64 * 1024, "{what}: a small file");
        let err = read_statement(&bytes, &ImportOptions::default()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Invalid, "{what}: {err}");
        assert!(english(&err).contains("more than"), "{what}: {err}");
    }
    // A part that claims 4 GB once unpacked (central directory and local
    // header patched).
    let mut bytes = fixture("wechat-2026.xlsx");
    let name = b"xl/theme/theme1.xml";
    let mut patched = 0;
    for sig in [b"PK\x01\x02", b"PK\x03\x04"] {
        let (size_at, name_at) = if sig == b"PK\x01\x02" {
            (24, 46)
        } else {
            (22, 30)
        };
        let mut i = 0;
        while i + name_at + name.len() <= bytes.len() {
            if &bytes[i..i + 4] == sig && &bytes[i + name_at..i + name_at + name.len()] == name {
                bytes[i + size_at..i + size_at + 4].copy_from_slice(&0xFFFF_FF00u32.to_le_bytes());
                patched += 1;
            }
            i += 1;
        }
    }
    assert_eq!(patched, 2);
    let err = read_statement(&bytes, &ImportOptions::default()).unwrap_err();
    assert!(english(&err).contains("more than a statement can"), "{err}");
}
