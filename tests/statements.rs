//! Statements as people really have them: every published layout of the
//! five wallets, in the languages they export, and files re-saved by a
//! spreadsheet. Each fixture re-creates a published export's header and
//! value shapes with invented rows (sources in
//! tests/fixtures/statements/SOURCES.md); two rows of each are checked
//! exactly.

mod common;

use std::fs;

use casebook::import::{ColumnMapping, Format, ImportOptions, Statement, read_statement};
use casebook::model::Direction;
use chrono::NaiveDate;

fn fixture(name: &str) -> Vec<u8> {
    fs::read(format!(
        "{}/tests/fixtures/statements/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The user is in UTC+1 (for layouts whose times carry no zone); files
/// without a year in their dates were made on 2 October 2019.
fn opts() -> ImportOptions {
    ImportOptions {
        offset_secs: Some(3600),
        made_on: NaiveDate::from_ymd_opt(2019, 10, 2),
        ..ImportOptions::default()
    }
}

fn read(name: &str) -> Statement {
    read_statement(&fixture(name), &opts()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// `(line, time with offset, signed amount, currency, ID, counterparty)`.
type Row = (
    usize,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

struct Case {
    file: &'static str,
    layout: &'static str,
    /// The language of the column names.
    language: &'static str,
    rows: usize,
    check: [Row; 2],
}

const CASES: &[Case] = &[
    Case {
        file: "alipay-2021.csv",
        layout: "alipay_app_2021",
        language: "zh",
        rows: 3,
        check: [
            (
                3,
                "2021-11-20T08:31:02+08:00",
                "-23.50",
                "CNY",
                "2021112022001100001111111111",
                "示例便利店 · shop***@example.com",
            ),
            (
                4,
                "2021-11-25T19:02:47+08:00",
                "199.00",
                "CNY",
                "2021112522001100002222222222_2222",
                "示例电商旗舰店",
            ),
        ],
    },
    Case {
        file: "wechat-excel-resaved.csv",
        layout: "wechat",
        language: "zh",
        rows: 5,
        check: [
            (
                18,
                "2026-11-19T12:45:00+08:00",
                "-28.16",
                "CNY",
                "4200002026111912452700001",
                "云膳过桥米线(传奇广场店)",
            ),
            (
                19,
                "2026-11-18T10:10:00+08:00",
                "0.35",
                "CNY",
                "1000039901202611180000001",
                "同性好友",
            ),
        ],
    },
    Case {
        file: "wechat-wps-resaved.csv",
        layout: "wechat",
        language: "zh",
        rows: 5,
        check: [
            (
                18,
                "2026-11-19T12:45:00+08:00",
                "-28.16",
                "CNY",
                "4200002026111912452700001",
                "云膳过桥米线(传奇广场店)",
            ),
            (
                20,
                "2026-11-17T16:29:00+08:00",
                "-100.10",
                "CNY",
                "207210715100077148235523883175",
                "招商银行(8869)",
            ),
        ],
    },
    Case {
        file: "paypal-de-activity.csv",
        layout: "paypal_activity",
        language: "de",
        rows: 3,
        check: [
            (
                2,
                "2026-10-03T09:14:02+02:00",
                "-1249.99",
                "EUR",
                "4DE12345AB678901C",
                "Beispiel Elektronik GmbH",
            ),
            (
                3,
                "2026-10-04T18:40:55+02:00",
                "1300.00",
                "EUR",
                "5DE98765ZY432109X",
                "ich@example.de",
            ),
        ],
    },
    Case {
        file: "paypal-de-statement.csv",
        layout: "paypal_statement",
        language: "de",
        rows: 3,
        check: [
            (
                2,
                "2026-07-01T12:21:25+02:00",
                "-360.00",
                "EUR",
                "7DE0000111122223A",
                "Ferienwohnung Muster",
            ),
            (
                4,
                "2026-06-15T08:03:10+02:00",
                "400.00",
                "EUR",
                "9DE0000555566667C",
                "",
            ),
        ],
    },
    Case {
        file: "paypal-es-statement.csv",
        layout: "paypal_statement",
        language: "es",
        rows: 2,
        check: [
            (
                2,
                "2026-10-02T10:15:00+02:00",
                "-4626.81",
                "EUR",
                "1ES23456AB789012C",
                "Muebles Ejemplo SL",
            ),
            (
                3,
                "2026-10-17T16:45:12+02:00",
                "1200.50",
                "EUR",
                "2ES23456AB789012D",
                "Muebles Ejemplo SL",
            ),
        ],
    },
    Case {
        file: "paypal-es-activity.csv",
        layout: "paypal_activity",
        language: "es",
        rows: 2,
        check: [
            (
                2,
                "2026-09-21T08:12:44-07:00",
                "-1320.00",
                "USD",
                "3VE45678CD901234E",
                "Tienda Ejemplo",
            ),
            (
                3,
                "2026-09-30T14:00:03-07:00",
                "75.50",
                "USD",
                "4VE45678CD901234F",
                "Cliente Ejemplo",
            ),
        ],
    },
    Case {
        file: "paypal-fr-activity.csv",
        layout: "paypal_activity",
        language: "fr",
        rows: 2,
        check: [
            (
                2,
                "2026-06-04T10:31:07+02:00",
                "-141.38",
                "CHF",
                "5CH12345EF678901G",
                "Boutique Exemple SA",
            ),
            (
                3,
                "2026-06-05T07:02:59+02:00",
                "141.38",
                "CHF",
                "6CH12345EF678901H",
                "moi@example.ch",
            ),
        ],
    },
    Case {
        file: "paypal-fr-statement.csv",
        layout: "paypal_statement",
        language: "fr",
        rows: 2,
        check: [
            (
                2,
                "2026-08-18T20:44:10+02:00",
                "-1058.09",
                "EUR",
                "7FR12345GH678901J",
                "Atelier Exemple",
            ),
            (
                3,
                "2026-08-19T09:05:00+02:00",
                "1100.00",
                "EUR",
                "8FR12345GH678901K",
                "",
            ),
        ],
    },
    Case {
        file: "paypal-it-activity.csv",
        layout: "paypal_activity",
        language: "it",
        rows: 2,
        check: [
            (
                2,
                "2026-01-04T15:22:10+01:00",
                "-25.00",
                "EUR",
                "9IT12345JK678901L",
                "Negozio Esempio Srl",
            ),
            (
                3,
                "2026-01-20T09:48:33+01:00",
                "112.61",
                "EUR",
                "0IT12345JK678901M",
                "io@example.it",
            ),
        ],
    },
    Case {
        file: "paypal-nl-activity.csv",
        layout: "paypal_activity",
        language: "nl",
        rows: 3,
        check: [
            (
                2,
                "2026-10-01T12:30:00+02:00",
                "-1875.88",
                "EUR",
                "1NL12345MN678901P",
                "Voorbeeld Winkel BV",
            ),
            (
                4,
                "2026-10-21T17:45:09+02:00",
                "1875.88",
                "EUR",
                "3NL12345MN678901R",
                "Voorbeeld Winkel BV",
            ),
        ],
    },
    Case {
        file: "paypal-ja-activity.csv",
        layout: "paypal_activity",
        language: "ja",
        rows: 2,
        check: [
            (
                2,
                "2026-10-11T21:04:33+09:00",
                "-2246",
                "JPY",
                "4JP12345QR678901S",
                "サンプル商店",
            ),
            (
                3,
                "2026-10-11T21:04:33+09:00",
                "2246",
                "JPY",
                "5JP12345QR678901T",
                "me@example.jp",
            ),
        ],
    },
    Case {
        file: "paypal-pl-statement.csv",
        layout: "paypal_statement",
        language: "pl",
        rows: 2,
        check: [
            (
                2,
                "2026-10-02T13:10:00+02:00",
                "-349.00",
                "PLN",
                "6PL12345ST678901U",
                "Sklep Przykład",
            ),
            (
                3,
                "2026-10-24T10:00:00+02:00",
                "349.00",
                "PLN",
                "7PL12345ST678901V",
                "Sklep Przykład",
            ),
        ],
    },
    Case {
        file: "paypal-en-2014.csv",
        layout: "paypal_activity",
        language: "en",
        rows: 2,
        check: [
            (
                2,
                "2026-05-26T16:20:01+02:00",
                "-89.00",
                "CHF",
                "8EN12345UV678901W",
                "Example Shop AG",
            ),
            (
                3,
                "2026-05-27T09:00:00+02:00",
                "-15.00",
                "CHF",
                "9EN12345UV678901X",
                "Example Shop AG",
            ),
        ],
    },
    Case {
        file: "coinbase-wallet-2017.csv",
        layout: "coinbase_wallet",
        language: "en",
        rows: 4,
        check: [
            (
                6,
                "2017-09-29T15:40:00-07:00",
                "-10.00",
                "GBP",
                "8888hhhh",
                "5555eeee",
            ),
            (
                8,
                "2017-10-02T09:12:45-07:00",
                "-0.002",
                "BTC",
                "9999iiii",
                "1BoatSLRHtKNngkdXEeobR76b53LETtpyT",
            ),
        ],
    },
    Case {
        file: "coinbase-2019-eur.csv",
        layout: "coinbase_2019",
        language: "en",
        rows: 4,
        check: [
            (7, "2019-09-20T15:48:34+01:00", "-30.00", "EUR", "", ""),
            (10, "2020-02-11T20:30:00+01:00", "0.00002103", "ETH", "", ""),
        ],
    },
    Case {
        file: "revolut-2018-reference.csv",
        layout: "revolut_2018",
        language: "en",
        rows: 2,
        check: [
            (
                2,
                "2018-03-28T00:00:00+01:00",
                "-4.50",
                "EUR",
                "",
                "Cafe Beispiel",
            ),
            (
                3,
                "2018-03-20T00:00:00+01:00",
                "100.00",
                "EUR",
                "",
                "Top-Up by *4321",
            ),
        ],
    },
    Case {
        file: "revolut-2019.csv",
        layout: "revolut_2018",
        language: "en",
        rows: 4,
        check: [
            (
                2,
                "2019-09-15T00:00:00+01:00",
                "-21.97",
                "EUR",
                "",
                "Shop Example",
            ),
            (
                4,
                "2018-12-28T00:00:00+01:00",
                "-200.00",
                "EUR",
                "",
                "Exchanged to GBP",
            ),
        ],
    },
    Case {
        file: "revolut-2021.csv",
        layout: "revolut_2018",
        language: "en",
        rows: 2,
        check: [
            (
                2,
                "2021-02-09T00:00:00+01:00",
                "-20.00",
                "EUR",
                "",
                "Groceries Example",
            ),
            (
                3,
                "2021-01-26T00:00:00+01:00",
                "75.60",
                "EUR",
                "",
                "Top-Up by *1234",
            ),
        ],
    },
    Case {
        file: "revolut-fr.csv",
        layout: "revolut",
        language: "fr",
        rows: 2,
        check: [
            (
                2,
                "2026-03-03T08:15:02+01:00",
                "-12.40",
                "EUR",
                "",
                "Boulangerie Exemple",
            ),
            (
                3,
                "2026-03-05T18:30:01+01:00",
                "250.00",
                "EUR",
                "",
                "Virement de M Exemple",
            ),
        ],
    },
    Case {
        file: "revolut-de.csv",
        layout: "revolut",
        language: "de",
        rows: 2,
        check: [
            (
                2,
                "2026-04-02T06:11:59+01:00",
                "-3.80",
                "EUR",
                "",
                "Bäckerei Beispiel",
            ),
            (
                3,
                "2026-04-03T10:10:11+01:00",
                "100.00",
                "EUR",
                "",
                "Einzahlung per Karte *1111",
            ),
        ],
    },
    Case {
        file: "revolut-es.csv",
        layout: "revolut",
        language: "es",
        rows: 2,
        check: [
            (
                2,
                "2026-05-11T07:02:33+01:00",
                "-45.90",
                "EUR",
                "",
                "Restaurante Ejemplo",
            ),
            (
                3,
                "2026-05-12T08:00:02+01:00",
                "200.00",
                "EUR",
                "",
                "Recarga con *2222",
            ),
        ],
    },
    Case {
        file: "revolut-it.csv",
        layout: "revolut",
        language: "it",
        rows: 2,
        check: [
            (
                2,
                "2026-06-02T05:30:12+01:00",
                "-31.50",
                "EUR",
                "",
                "Trattoria Esempio",
            ),
            (
                3,
                "2026-06-03T09:09:10+01:00",
                "50.00",
                "EUR",
                "",
                "Ricarica da *3333",
            ),
        ],
    },
    Case {
        file: "revolut-pt.csv",
        layout: "revolut",
        language: "pt",
        rows: 2,
        check: [
            (
                2,
                "2026-07-08T06:00:41+01:00",
                "-6.70",
                "EUR",
                "",
                "Pastelaria Exemplo",
            ),
            (
                3,
                "2026-07-09T11:11:12+01:00",
                "20.00",
                "EUR",
                "",
                "Carregamento *4444",
            ),
        ],
    },
    Case {
        file: "revolut-nl.csv",
        layout: "revolut",
        language: "nl",
        rows: 2,
        check: [
            (
                2,
                "2026-08-15T07:22:18+01:00",
                "-27.35",
                "EUR",
                "",
                "Supermarkt Voorbeeld",
            ),
            (
                3,
                "2026-08-16T12:00:01+01:00",
                "75.00",
                "EUR",
                "",
                "Geld toevoegen via *5555",
            ),
        ],
    },
    Case {
        file: "revolut-pl.csv",
        layout: "revolut",
        language: "pl",
        rows: 2,
        check: [
            (
                2,
                "2026-09-02T04:12:00+01:00",
                "-120.00",
                "PLN",
                "",
                "Sklep Przykład",
            ),
            (
                3,
                "2026-09-03T15:15:16+01:00",
                "500.00",
                "PLN",
                "",
                "Zasilenie *6666",
            ),
        ],
    },
    Case {
        file: "revolut-cs.csv",
        layout: "revolut",
        language: "cs",
        rows: 2,
        check: [
            (
                2,
                "2026-10-06T03:30:00+01:00",
                "-259.00",
                "CZK",
                "",
                "Obchod Příklad",
            ),
            (
                3,
                "2026-10-07T09:45:01+01:00",
                "1000.00",
                "CZK",
                "",
                "Dobíjení *7777",
            ),
        ],
    },
    Case {
        file: "revolut-sk.csv",
        layout: "revolut",
        language: "sk",
        rows: 2,
        check: [
            (
                2,
                "2026-11-03T05:05:05+01:00",
                "-18.20",
                "EUR",
                "",
                "Obchod Príklad",
            ),
            // Pending: no completion date yet, so the start.
            (
                3,
                "2026-11-04T20:20:20+01:00",
                "-2.90",
                "EUR",
                "",
                "Kaviareň Príklad",
            ),
        ],
    },
    Case {
        file: "revolut-business.csv",
        layout: "revolut_business",
        language: "en",
        rows: 2,
        check: [
            (
                2,
                "2026-04-13T01:00:00+01:00",
                "-11.02",
                "EUR",
                "6075a1b2-0000-a000-8000-000000000001",
                "Hosting Example",
            ),
            (
                3,
                "2026-04-15T01:00:00+01:00",
                "-250.00",
                "EUR",
                "6075a1b2-0000-a000-8000-000000000002",
                "To Example Supplier BV",
            ),
        ],
    },
    Case {
        file: "revolut-business-2020.csv",
        layout: "revolut_business_2020",
        language: "en",
        rows: 2,
        check: [
            (
                2,
                "2020-03-02T09:15:04+01:00",
                "-18.00",
                "GBP",
                "",
                "Office Example Ltd",
            ),
            (
                3,
                "2020-03-04T08:30:00+01:00",
                "500.00",
                "GBP",
                "",
                "Top-up from Example Bank",
            ),
        ],
    },
];

fn row_of(st: &Statement, line: usize) -> (usize, String, String, String, String, String) {
    let r = st
        .rows
        .iter()
        .find(|r| r.line == line)
        .unwrap_or_else(|| panic!("no row at line {line}: {:?}", st.rejected));
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
    )
}

#[test]
fn every_layout_and_language_reads_its_rows_exactly() {
    let mut failures = Vec::new();
    for c in CASES {
        let st = read(c.file);
        let mut bad = |what: String| failures.push(format!("{}: {what}", c.file));
        if st.layout_id != c.layout {
            bad(format!("layout {} (want {})", st.layout_id, c.layout));
        }
        if st.language != c.language {
            bad(format!("language {} (want {})", st.language, c.language));
        }
        if !st.rejected.is_empty() {
            bad(format!("rejected {:?}", st.rejected));
        }
        if st.rows.len() != c.rows {
            bad(format!("{} rows (want {})", st.rows.len(), c.rows));
        }
        for want in &c.check {
            let got = row_of(&st, want.0);
            let want = (
                want.0,
                want.1.to_string(),
                want.2.to_string(),
                want.3.to_string(),
                want.4.to_string(),
                want.5.to_string(),
            );
            if got != want {
                bad(format!("\n  got  {got:?}\n  want {want:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_layout_is_named_in_both_languages() {
    let st = read("paypal-de-activity.csv");
    assert_eq!(st.format, Format::Paypal);
    assert_eq!(st.layout_name.en, "PayPal activity download");
    assert_eq!(st.layout_name.zh, "PayPal 活动记录下载");
    let st = read("alipay-2021.csv");
    assert_eq!(st.layout_name.zh, "支付宝 App 导出（2021–2022 年）");
}

/// Soll/Haben, Af/Bij, 引落し/入金… say the direction; a memo row moved no
/// money and says so.
#[test]
fn balance_impact_words_in_every_language() {
    let nl = read("paypal-nl-activity.csv");
    let memo = &nl.rows.iter().find(|r| r.line == 3).unwrap().draft;
    assert!(memo.note.contains("Memo"), "{}", memo.note);
    let en = read("paypal-en-2014.csv");
    let memo = &en.rows.iter().find(|r| r.line == 3).unwrap().draft;
    assert!(memo.note.contains("Memo"), "{}", memo.note);
    assert_eq!(memo.status, "Placed");
}

/// Coinbase's wallet report gives some fees twice: on the trade
/// (`Transfer Fee`) and as a `Coinbase Fee` row. The fee is counted once,
/// as its own row; a trade without a fee row keeps its fee in the note.
#[test]
fn coinbase_fee_rows_are_counted_once() {
    let st = read("coinbase-wallet-2017.csv");
    let fee = &st.rows.iter().find(|r| r.line == 7).unwrap().draft;
    assert_eq!(
        (fee.amount.to_string(), fee.direction),
        ("0.99".into(), Direction::Out)
    );
    assert_eq!(fee.method, "Coinbase Fee");
    let trade = &st.rows.iter().find(|r| r.line == 6).unwrap().draft;
    assert!(!trade.note.contains("Fee"), "{}", trade.note);
    assert!(trade.note.contains("0.00314664 BTC"), "{}", trade.note);
    let other = &st.rows.iter().find(|r| r.line == 9).unwrap().draft;
    assert_eq!(other.amount.to_string(), "52.0");
    assert!(other.note.contains("Fee 2.0 USD"), "{}", other.note);
    assert!(st.rows.iter().all(|r| !r.duplicate));
}

/// `1.0e-08` becomes an exact decimal, never through a float.
#[test]
fn scientific_notation_is_exact() {
    let st = read("coinbase-2019-eur.csv");
    let tiny = &st.rows.iter().find(|r| r.line == 9).unwrap().draft;
    assert_eq!(tiny.amount.normalize().to_string(), "0.00000001");
    assert_eq!(tiny.currency.to_string(), "XLM");
    assert_eq!(tiny.direction, Direction::In);
    for (s, want) in [
        ("2.103e-05", "0.00002103"),
        ("-1.5E+3", "-1500"),
        ("1e-28", "0.0000000000000000000000000001"),
    ] {
        let v = casebook::import::values::amount(s).unwrap_or_else(|| panic!("{s}"));
        assert_eq!(v.normalize().to_string(), want, "{s}");
    }
    for bad in ["1e", "e5", "1.e5", "1e100", "1,5e3"] {
        assert!(casebook::import::values::amount(bad).is_none(), "{bad}");
    }
}

/// Revolut's 2019 export writes the current year's dates without a year:
/// they are the last such day on or before the file's date, and the
/// preview says so.
#[test]
fn dates_without_a_year_take_the_files_date_and_say_so() {
    let st = read("revolut-2019.csv");
    assert!(
        st.warnings.iter().any(|w| w.code() == "dates_without_year"),
        "{:?}",
        st.warnings
    );
    // Made on 2 October 2019: 15 September is 2019's.
    assert_eq!(row_of(&st, 2).1, "2019-09-15T00:00:00+01:00");
    // Made on 10 September 2020: 15 September is 2019's, 10 September 2020's.
    let st = read_statement(
        &fixture("revolut-2019.csv"),
        &ImportOptions {
            made_on: NaiveDate::from_ymd_opt(2020, 9, 10),
            ..opts()
        },
    )
    .unwrap();
    assert_eq!(row_of(&st, 2).1, "2019-09-15T00:00:00+01:00");
    assert_eq!(row_of(&st, 3).1, "2020-09-10T00:00:00+01:00");
    // `ISK 139,612` in Exchange Out stays as written, in the note.
    let d = &st.rows.iter().find(|r| r.line == 3).unwrap().draft;
    assert!(d.note.contains("ISK 139,612"), "{}", d.note);
}

fn mapped_csv(body: &str) -> (Vec<u8>, ImportOptions) {
    let mapping = ColumnMapping {
        date: "Date".into(),
        amount: "Amount".into(),
        fixed_currency: Some("EUR".into()),
        counterparty: Some("Payee".into()),
        ..ColumnMapping::default()
    };
    (
        format!("Date,Payee,Amount\n{body}").into_bytes(),
        ImportOptions {
            format: Some(Format::Csv),
            mapping: Some(mapping),
            offset_secs: Some(0),
            ..ImportOptions::default()
        },
    )
}

/// A file whose every date reads both ways is never guessed: the user is
/// asked (the app) or must say `--day-first`/`--month-first` (the CLI).
/// One date above 12 decides for the whole file, wherever it is.
#[test]
fn ambiguous_date_orders_are_asked_never_guessed() {
    let (bytes, o) = mapped_csv("03/04/2026,Shop A,-10.00\n05/06/2026,Shop B,-20.00\n");
    let err = read_statement(&bytes, &o).unwrap_err();
    assert_eq!(err.code(), "date_order_needed", "{err}");
    assert!(
        common::english(&err).contains("03/04/2026"),
        "{}",
        common::english(&err)
    );
    let day = read_statement(
        &bytes,
        &ImportOptions {
            day_first: Some(true),
            ..o.clone()
        },
    )
    .unwrap();
    assert_eq!(row_of(&day, 2).1, "2026-04-03T00:00:00+00:00");
    let month = read_statement(
        &bytes,
        &ImportOptions {
            day_first: Some(false),
            ..o.clone()
        },
    )
    .unwrap();
    assert_eq!(row_of(&month, 2).1, "2026-03-04T00:00:00+00:00");

    // The last row proves day-first for every row, and beats a wrong answer.
    let (bytes, o) =
        mapped_csv("03/04/2026,Shop A,-10.00\n05/06/2026,Shop B,-20.00\n28/06/2026,Shop C,-5.00\n");
    for given in [None, Some(false)] {
        let st = read_statement(
            &bytes,
            &ImportOptions {
                day_first: given,
                ..o.clone()
            },
        )
        .unwrap();
        assert_eq!(row_of(&st, 2).1, "2026-04-03T00:00:00+00:00");
        assert_eq!(row_of(&st, 4).1, "2026-06-28T00:00:00+00:00");
    }

    // A wallet layout too: an English PayPal download with only early days.
    let paypal = "Date,Time,TimeZone,Name,Type,Status,Currency,Gross,Fee,Net,Transaction ID\n\
                  03/04/2026,10:00:00,GMT,Shop,Payment,Completed,GBP,-5.00,0.00,-5.00,TX1\n";
    let err = read_statement(paypal.as_bytes(), &ImportOptions::default()).unwrap_err();
    assert_eq!(err.code(), "date_order_needed");
}

/// Spreadsheets rewrite dates: `2020.9.6 16:59`, `2020/9/6 9:05`, day-first
/// dotted dates, Excel serial numbers left in a CSV.
#[test]
fn dates_as_spreadsheets_rewrite_them() {
    let (bytes, o) = mapped_csv(
        "2020.9.6 16:59,A,-1.00\n2020/9/6 9:05,B,-2.00\n06.09.2020 16:59,C,-3.00\n44080.70764,D,-4.00\n2020-09-06T16:59:01,E,-5.00\n",
    );
    let st = read_statement(&bytes, &o).unwrap();
    assert!(st.rejected.is_empty(), "{:?}", st.rejected);
    let times: Vec<String> = (2..=6).map(|l| row_of(&st, l).1).collect();
    assert_eq!(
        times,
        [
            "2020-09-06T16:59:00+00:00",
            "2020-09-06T09:05:00+00:00",
            "2020-09-06T16:59:00+00:00",
            "2020-09-06T16:59:00+00:00",
            "2020-09-06T16:59:01+00:00",
        ]
    );
    // Dotted day-first dates are read day-first, and the preview says so.
    assert!(
        st.warnings
            .iter()
            .any(|w| w.code() == "dates_read_day_first")
    );
}

/// A statement that cannot be read says what it looks like, which columns
/// were not understood, and offers a mapping guessed from the names.
#[test]
fn an_unknown_statement_says_what_it_found_and_guesses_a_mapping() {
    // A German bank's CSV: no wallet layout.
    let bank = "Buchungstag;Valuta;Auftraggeber/Empfänger;Verwendungszweck;Betrag;Währung;Kategorie\n\
                01.10.2026;01.10.2026;Stadtwerke;Abschlag;-85,00;EUR;Wohnen\n";
    let err = read_statement(bank.as_bytes(), &ImportOptions::default()).unwrap_err();
    let casebook::Error::Invalid(casebook::error::Problem::UnknownLayout {
        looks_like,
        unknown,
        columns,
        ..
    }) = &err
    else {
        panic!("{err}");
    };
    assert_eq!(looks_like, "");
    assert_eq!(unknown, &["Kategorie"]);
    let guess = casebook::import::guess_for(columns);
    let m = guess.mapping.expect("a guess");
    assert_eq!(m.date, "Buchungstag");
    assert_eq!(m.amount, "Betrag");
    assert_eq!(m.currency.as_deref(), Some("Währung"));
    assert_eq!(m.counterparty.as_deref(), Some("Auftraggeber/Empfänger"));
    assert_eq!(m.note.as_deref(), Some("Verwendungszweck"));
    // The guess reads the file (dotted dates: day-first, said in a warning).
    let st = read_statement(
        bank.as_bytes(),
        &ImportOptions {
            format: Some(Format::Csv),
            mapping: Some(m),
            offset_secs: Some(0),
            ..ImportOptions::default()
        },
    )
    .unwrap();
    assert_eq!(row_of(&st, 2).2, "-85.00");

    // A PayPal download whose ID column was deleted looks like PayPal.
    let paypal = "Datum,Uhrzeit,Zeitzone,Name,Typ,Status,Währung,Brutto,Gebühr,Netto,Meine Spalte\n\
                  15.10.2026,10:00:00,CEST,Shop,Zahlung,Abgeschlossen,EUR,\"-5,00\",\"0,00\",\"-5,00\",x\n";
    let err = read_statement(paypal.as_bytes(), &ImportOptions::default()).unwrap_err();
    let casebook::Error::Invalid(casebook::error::Problem::UnknownLayout {
        looks_like,
        unknown,
        ..
    }) = &err
    else {
        panic!("{err}");
    };
    assert_eq!(looks_like, "PayPal");
    assert_eq!(unknown, &["Meine Spalte"]);
    let text = common::english(&err);
    assert!(text.contains("looks most like a PayPal export"), "{text}");
    assert!(text.contains("Meine Spalte"), "{text}");
}

/// The decimal separator is decided once per file from all its amounts:
/// `1,612` is one thousand six hundred and twelve in a file that writes
/// `21.97`, and 1.612 in one that writes `0,35`.
#[test]
fn the_decimal_separator_is_decided_for_the_whole_file() {
    let (bytes, o) = mapped_csv("2026-01-02,A,\"1,612\"\n2026-01-03,B,21.97\n");
    let st = read_statement(&bytes, &o).unwrap();
    assert_eq!(row_of(&st, 2).2, "1612");
    let (bytes, o) = mapped_csv("2026-01-02,A,\"1,612\"\n2026-01-03,B,\"0,35\"\n");
    let st = read_statement(&bytes, &o).unwrap();
    assert_eq!(row_of(&st, 2).2, "1.612");
}
