//! The statement layouts Casebook knows: which columns tell them apart, and
//! how one of their rows becomes a transaction record.
//!
//! Wallets change their exports often, so a layout is recognised by the
//! names of its columns (never their positions), and a file whose columns
//! match no layout is refused with the columns it has.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use chrono::{NaiveDate, NaiveDateTime};

use super::Draft;
use super::layouts::{LayoutRule, Reading, rules};
use super::mapping::ColumnMapping;
use super::values::{self, at_offset, at_zone, norm};
use crate::error::Problem;
use crate::model::Direction;
use crate::money::Currency;

/// China Standard Time: Alipay and WeChat Pay write Beijing time.
const CHINA: i32 = 8 * 3600;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Alipay,
    Wechat,
    Paypal,
    Coinbase,
    Revolut,
    /// Any other CSV, read through a column mapping the user picks.
    Csv,
}

impl Format {
    pub fn parse(input: &str) -> crate::Result<Option<Format>> {
        Ok(Some(match input.trim().to_ascii_lowercase().as_str() {
            "" | "auto" => return Ok(None),
            "alipay" | "支付宝" => Format::Alipay,
            "wechat" | "weixin" | "微信" | "微信支付" => Format::Wechat,
            "paypal" => Format::Paypal,
            "coinbase" => Format::Coinbase,
            "revolut" => Format::Revolut,
            "csv" | "other" => Format::Csv,
            other => {
                return Err(crate::Error::invalid(crate::error::Problem::unknown_value(
                    "statement_format",
                    other,
                    &[
                        "auto", "alipay", "wechat", "paypal", "coinbase", "revolut", "csv",
                    ],
                )));
            }
        }))
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::Alipay => "Alipay 支付宝",
            Format::Wechat => "WeChat Pay 微信支付",
            Format::Paypal => "PayPal",
            Format::Coinbase => "Coinbase",
            Format::Revolut => "Revolut",
            Format::Csv => "CSV",
        }
    }
}

/// A row, looked up by field (a layout's dictionary field, or for a mapped
/// CSV the column's normalised name).
pub(crate) struct Rec<'a> {
    pub reading: &'a Reading,
    pub cells: &'a [String],
}

impl Rec<'_> {
    pub fn get(&self, field: &str) -> &str {
        self.reading
            .at
            .get(field)
            .and_then(|&i| self.cells.get(i))
            .map_or("", |s| s.as_str())
    }

    /// The first of these fields that has a value.
    pub fn first(&self, fields: &[&str]) -> &str {
        fields
            .iter()
            .map(|n| self.get(n))
            .find(|v| !v.is_empty())
            .unwrap_or("")
    }

    /// What the `*` of the field's column name stood for (`Paid Out (EUR)`
    /// → `EUR`).
    pub fn captured(&self, field: &str) -> &str {
        self.reading.captured.get(field).map_or("", |s| s.as_str())
    }
}

/// Per-file facts a row needs, decided once for the whole file.
pub(crate) struct Context {
    /// A fixed offset, or `None` for this computer's zone on each row's date
    /// (so a summer row gets the summer offset).
    pub offset_secs: Option<i32>,
    /// Dates such as 03/04/2024 are day-first.
    pub day_first: bool,
    /// Amounts write a decimal comma (`4.626,81`); `None`: each amount by
    /// its own look.
    pub decimal_comma: Option<bool>,
    /// The day the statement was made: a date without a year (Revolut's
    /// `September 15`) is the last such day on or before it.
    pub made_on: NaiveDate,
    /// Coinbase wallet reports: the Transfer IDs that have a fee row of
    /// their own.
    pub fee_rows: std::collections::HashSet<String>,
}

impl Context {
    /// A zone-less local time as the user lived it.
    pub fn local(&self, t: NaiveDateTime) -> Option<crate::time::At> {
        use chrono::TimeZone;
        match self.offset_secs {
            Some(o) => at_offset(t, o),
            None => chrono::Local
                .from_local_datetime(&t)
                .earliest()
                .map(|dt| crate::time::At::from_datetime(dt.fixed_offset())),
        }
    }

    /// The offset to show a UTC instant in.
    pub fn offset_at(&self, utc_ms: i64) -> i32 {
        use chrono::{Offset, TimeZone};
        self.offset_secs.unwrap_or_else(|| {
            chrono::Local
                .timestamp_millis_opt(utc_ms)
                .single()
                .map_or(0, |dt| dt.offset().fix().local_minus_utc())
        })
    }

    /// An amount, with the file's decimal separator.
    pub fn amount(&self, s: &str) -> Option<Decimal> {
        values::amount_in(s, self.decimal_comma)
    }

    /// A date and time in any way exports and spreadsheets write one.
    pub fn naive(&self, s: &str) -> Option<NaiveDateTime> {
        values::local_datetime(s)
            .or_else(|| values::excel_serial(s))
            .or_else(|| values::dmy_datetime(s, self.day_first))
            .or_else(|| {
                let (m, d) = values::yearless(s)?;
                values::last_on_or_before(m, d, self.made_on).and_then(|d| d.and_hms_opt(0, 0, 0))
            })
    }
}

/// What a cell failed to be.
#[derive(Clone, Copy)]
enum Cell {
    Amount,
    DateTime,
    Time,
    OutOfRange,
    NotInZone,
    Currency,
    Zone,
}

fn cell(kind: Cell, value: &str, column: &str) -> Problem {
    let (value, column) = (value.to_string(), column.to_string());
    match kind {
        Cell::Amount => Problem::CellNotAmount { value, column },
        Cell::DateTime => Problem::CellNotDateTime { value, column },
        Cell::Time => Problem::CellNotTime { value, column },
        Cell::OutOfRange => Problem::CellOutOfRange { value, column },
        Cell::NotInZone => Problem::CellNotInZone { value, column },
        Cell::Currency => Problem::CellNotCurrency { value, column },
        Cell::Zone => Problem::CellUnknownZone { value, column },
    }
}

type RowResult = std::result::Result<Draft, Problem>;

/// A field's value, or why it is not there; problems name the column as the
/// file does.
struct Row<'a, 'r> {
    rec: &'a Rec<'r>,
    header: &'a [String],
    ctx: &'a Context,
}

impl Row<'_, '_> {
    fn get(&self, field: &str) -> &str {
        self.rec.get(field)
    }

    fn first(&self, fields: &[&str]) -> &str {
        self.rec.first(fields)
    }

    /// The column's name as the file writes it.
    fn column(&self, field: &str) -> String {
        self.rec
            .reading
            .at
            .get(field)
            .and_then(|&i| self.header.get(i))
            .map_or_else(|| field.to_string(), |h| h.trim().to_string())
    }

    fn amount(&self, field: &str) -> std::result::Result<Decimal, Problem> {
        let s = self.get(field);
        if s.is_empty() {
            return Err(Problem::CellEmpty {
                column: self.column(field),
            });
        }
        self.ctx
            .amount(s)
            .ok_or_else(|| cell(Cell::Amount, s, &self.column(field)))
    }

    fn naive_of(&self, s: &str, field: &str) -> std::result::Result<NaiveDateTime, Problem> {
        if s.is_empty() {
            return Err(Problem::CellEmpty {
                column: self.column(field),
            });
        }
        self.ctx
            .naive(s)
            .ok_or_else(|| cell(Cell::DateTime, s, &self.column(field)))
    }

    /// A Beijing time (Alipay, WeChat Pay).
    fn china(&self, field: &str) -> std::result::Result<crate::time::At, Problem> {
        let s = self.get(field);
        at_offset(self.naive_of(s, field)?, CHINA)
            .ok_or_else(|| cell(Cell::OutOfRange, s, &self.column(field)))
    }

    /// A zone-less time in the user's zone; the first field with a value.
    fn local(&self, fields: &[&str]) -> std::result::Result<crate::time::At, Problem> {
        let field = fields
            .iter()
            .copied()
            .find(|f| !self.get(f).is_empty())
            .unwrap_or(fields[0]);
        let s = self.get(field);
        self.ctx
            .local(self.naive_of(s, field)?)
            .ok_or_else(|| cell(Cell::NotInZone, s, &self.column(field)))
    }

    /// A UTC timestamp shown in the user's offset at that moment.
    fn utc(&self, field: &str) -> std::result::Result<crate::time::At, Problem> {
        let s = self.get(field);
        let at = values::utc_instant(s, 0)
            .or_else(|| {
                let t = self.ctx.naive(s)?;
                Some(crate::time::At::from_parts(
                    t.and_utc().timestamp_millis(),
                    0,
                ))
            })
            .ok_or_else(|| cell(Cell::DateTime, s, &self.column(field)))?;
        Ok(crate::time::At::from_parts(
            at.utc_ms,
            self.ctx.offset_at(at.utc_ms),
        ))
    }

    fn currency(&self, code: &str, field: &str) -> std::result::Result<Currency, Problem> {
        Currency::parse("currency", code)
            .map_err(|_| cell(Cell::Currency, code, &self.column(field)))
    }

    /// `Fee 0.30` for a fee that is not zero.
    fn fee_note(&self, field: &str) -> String {
        let fee = self.get(field);
        if fee.is_empty() || self.ctx.amount(fee).is_some_and(|f| f.is_zero()) {
            String::new()
        } else {
            format!("{} {fee}", self.column(field))
        }
    }
}

fn join(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty() && *p != "/")
        .collect::<Vec<_>>()
        .join(" · ")
}

fn cny() -> Currency {
    Currency::parse("currency", "CNY").expect("valid")
}

fn direction_of(value: Decimal) -> Direction {
    if value.is_sign_negative() {
        Direction::Out
    } else {
        Direction::In
    }
}

/// A row of a known layout as a transaction draft, or why it cannot be one.
pub(crate) fn convert(
    layout: &LayoutRule,
    rec: &Rec<'_>,
    header: &[String],
    ctx: &Context,
) -> RowResult {
    let r = Row { rec, header, ctx };
    match layout.convert.as_str() {
        "alipay" => alipay(&r),
        "alipay_web" => alipay_web(&r),
        "wechat" => wechat(&r),
        "paypal" => paypal(&r),
        "coinbase" => coinbase(&r),
        "revolut" => revolut(&r),
        "revolut_2018" => revolut_2018(&r),
        "revolut_business" => revolut_business(&r),
        "coinbase_wallet" => coinbase_wallet(&r),
        _ => Err(Problem::CsvNeedsMapping {}),
    }
}

/// 收/支 and the status decide the direction of Chinese wallets' rows.
fn china_direction(in_out: &str, status: &str) -> Direction {
    match in_out {
        "收入" => Direction::In,
        "支出" => Direction::Out,
        // 不计收支, "/" or empty: refunds and money returned come in.
        _ if status.contains("退款") || status.contains("已存入") || status.contains("退回") => {
            Direction::In
        }
        _ => Direction::Out,
    }
}

fn alipay(r: &Row<'_, '_>) -> RowResult {
    let status = r.get("status");
    let in_out = r.get("in_out");
    Ok(Draft {
        txid: r.get("txid").to_string(),
        at: r.china("time")?,
        amount: r.amount("amount")?.abs(),
        currency: cny(),
        direction: china_direction(in_out, status),
        counterparty: join(&[r.get("counterparty"), r.get("counterparty_account")]),
        method: r.get("method").to_string(),
        status: status.to_string(),
        note: join(&[
            r.get("item"),
            r.get("category"),
            if in_out == "不计收支" { in_out } else { "" },
            r.get("merchant_id"),
            r.get("remark"),
        ]),
    })
}

fn alipay_web(r: &Row<'_, '_>) -> RowResult {
    let status = r.get("status");
    let in_out = r.get("in_out");
    let funds = r.get("funds");
    let direction = match (in_out, funds) {
        ("收入", _) | (_, "已收入") => Direction::In,
        ("支出", _) | (_, "已支出") => Direction::Out,
        _ => china_direction(in_out, status),
    };
    let when = if r.get("paid").is_empty() {
        "created"
    } else {
        "paid"
    };
    Ok(Draft {
        txid: r.get("txid").to_string(),
        at: r.china(when)?,
        amount: r.amount("amount")?.abs(),
        currency: cny(),
        direction,
        counterparty: r.get("counterparty").to_string(),
        method: r.get("origin").to_string(),
        status: status.to_string(),
        note: join(&[
            r.get("item"),
            r.get("kind"),
            funds,
            r.get("merchant_id"),
            r.get("remark"),
        ]),
    })
}

fn wechat(r: &Row<'_, '_>) -> RowResult {
    let status = r.get("status");
    let in_out = r.get("in_out");
    Ok(Draft {
        txid: r.get("txid").to_string(),
        at: r.china("time")?,
        amount: r.amount("amount")?.abs(),
        currency: cny(),
        direction: china_direction(in_out, status),
        counterparty: r.get("counterparty").to_string(),
        method: r.get("method").to_string(),
        status: status.to_string(),
        // 备注 carries fees such as 服务费¥0.10.
        note: join(&[
            r.get("item"),
            r.get("type"),
            r.get("merchant_id"),
            r.get("remark"),
        ]),
    })
}

fn paypal(r: &Row<'_, '_>) -> RowResult {
    let date_s = r.get("date");
    let time_s = r.get("time");
    let joined = if time_s.is_empty() {
        date_s.to_string()
    } else {
        format!("{date_s} {time_s}")
    };
    let naive = r.ctx.naive(&joined).ok_or_else(|| {
        if r.ctx.naive(date_s).is_some() {
            cell(Cell::Time, time_s, &r.column("time"))
        } else {
            cell(Cell::DateTime, date_s, &r.column("date"))
        }
    })?;
    let zone = r.get("zone");
    let at = if zone.is_empty() {
        r.ctx
            .local(naive)
            .ok_or_else(|| cell(Cell::NotInZone, &joined, &r.column("time")))?
    } else {
        at_zone(naive, zone).ok_or_else(|| cell(Cell::Zone, zone, &r.column("zone")))?
    };
    let gross = r.amount("gross")?;
    let impact = rules().meaning("balance_impact", r.get("balance_impact"));
    let direction = match impact {
        Some("debit") => Direction::Out,
        Some("credit") => Direction::In,
        _ => direction_of(gross),
    };
    Ok(Draft {
        txid: r.get("txid").to_string(),
        at,
        amount: gross.abs(),
        currency: r.currency(r.get("currency"), "currency")?,
        direction,
        counterparty: r.first(&["name", "to_email", "from_email"]).to_string(),
        method: r.first(&["type", "description"]).to_string(),
        status: r.get("status").to_string(),
        note: join(&[
            r.first(&["item_title", "subject"]),
            r.get("note"),
            &r.fee_note("fee"),
            r.get("reference_txid"),
            // A memo row moved no money (an authorisation, a hold).
            if impact == Some("memo") {
                r.get("balance_impact")
            } else {
                ""
            },
        ]),
    })
}

fn coinbase(r: &Row<'_, '_>) -> RowResult {
    let at = r.utc("timestamp")?;
    let kind = r.get("type");
    let asset = r.get("asset");
    let qty = r.amount("quantity")?;
    let total_s = r.get("total");
    // The fiat currency: a column, or the code in the total's name
    // (`USD Total (inclusive of fees)`).
    let fiat = match r.get("price_currency") {
        "" => r.rec.captured("total").to_uppercase(),
        c => c.to_string(),
    };
    let lower = kind.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    // Money in for sells and income; out for buys and sends; else the sign.
    let out = if has(&[
        "sell", "receive", "deposit", "reward", "income", "interest", "staking",
    ]) {
        false
    } else if has(&["buy", "send", "withdraw", "convert", "pay"]) {
        true
    } else {
        qty.is_sign_negative()
    };
    // The money at stake: the fiat total when the row has one, else the asset.
    // A zero total (a reward worth less than a cent) says nothing: the asset.
    let zero_total = r.ctx.amount(total_s).is_some_and(|t| t.is_zero());
    let (value, cur) = if !total_s.is_empty() && !fiat.is_empty() && !zero_total {
        (r.amount("total")?, r.currency(&fiat, "total")?)
    } else {
        (qty, r.currency(asset, "asset")?)
    };
    Ok(Draft {
        txid: r.get("id").to_string(),
        at,
        amount: value.abs(),
        currency: cur,
        direction: if out { Direction::Out } else { Direction::In },
        counterparty: String::new(),
        method: kind.to_string(),
        status: String::new(),
        note: join(&[
            &format!("{} {asset}", qty.abs().normalize()),
            r.get("notes"),
        ]),
    })
}

fn revolut(r: &Row<'_, '_>) -> RowResult {
    let amount = r.amount("amount")?;
    Ok(Draft {
        txid: String::new(),
        at: r.local(&["completed", "started"])?,
        amount: amount.abs(),
        currency: r.currency(r.get("currency"), "currency")?,
        direction: direction_of(amount),
        counterparty: r.get("description").to_string(),
        method: join(&[r.get("type"), r.get("product")]),
        status: r.get("state").to_string(),
        note: r.fee_note("fee"),
    })
}

fn revolut_2018(r: &Row<'_, '_>) -> RowResult {
    let cur = r.rec.captured("paid_out").to_uppercase();
    let (paid_out, paid_in) = (r.get("paid_out"), r.get("paid_in"));
    let (value, direction) = match (paid_out.is_empty(), paid_in.is_empty()) {
        (false, _) => (r.amount("paid_out")?, Direction::Out),
        (true, false) => (r.amount("paid_in")?, Direction::In),
        (true, true) => return Err(Problem::NeitherPaidOutNorIn {}),
    };
    Ok(Draft {
        txid: String::new(),
        at: r.local(&["completed"])?,
        amount: value.abs(),
        currency: r.currency(&cur, "paid_out")?,
        direction,
        counterparty: r.get("description").to_string(),
        method: r.get("category").to_string(),
        status: String::new(),
        note: join(&[r.get("notes"), r.get("exchange_out"), r.get("exchange_in")]),
    })
}

/// Revolut Business: UTC times (or, before 2021, a local date and time in
/// two columns), a signed amount in the payment currency.
fn revolut_business(r: &Row<'_, '_>) -> RowResult {
    let at = if !r.get("completed_utc").is_empty() || !r.get("started_utc").is_empty() {
        let field = if r.get("completed_utc").is_empty() {
            "started_utc"
        } else {
            "completed_utc"
        };
        r.utc(field)?
    } else {
        let (d, t) = if r.get("date_completed").is_empty() {
            ("date_started", "time_started")
        } else {
            ("date_completed", "time_completed")
        };
        let joined = format!("{} {}", r.get(d), r.get(t));
        let naive = r.naive_of(joined.trim(), d)?;
        r.ctx
            .local(naive)
            .ok_or_else(|| cell(Cell::NotInZone, &joined, &r.column(d)))?
    };
    let amount = r.amount("amount")?;
    Ok(Draft {
        txid: r.get("id").to_string(),
        at,
        amount: amount.abs(),
        currency: r.currency(r.get("currency"), "currency")?,
        direction: direction_of(amount),
        counterparty: r.first(&["beneficiary", "description"]).to_string(),
        method: r.get("type").to_string(),
        status: r.get("state").to_string(),
        note: join(&[
            r.get("payer"),
            &r.fee_note("fee"),
            &if r.get("orig_currency").is_empty() || r.get("orig_currency") == r.get("currency") {
                String::new()
            } else {
                format!("{} {}", r.get("orig_amount"), r.get("orig_currency"))
            },
        ]),
    })
}

/// Whether a Coinbase wallet row is a fee of its own (`Coinbase Fee`, no
/// amount): the fee of the trade with the same Transfer ID.
pub(crate) fn is_coinbase_fee_row(rec: &Rec<'_>) -> bool {
    rec.get("quantity").is_empty() && rec.get("notes").trim().eq_ignore_ascii_case("Coinbase Fee")
}

/// Coinbase's per-wallet report (2014–2019): a signed amount of the wallet's
/// coin, and for buys and sells the money paid or received in `Transfer
/// Total`. Some exports give the fee both on the trade (`Transfer Fee`) and
/// as a row of its own: it is then counted once, as that row.
fn coinbase_wallet(r: &Row<'_, '_>) -> RowResult {
    let s = r.get("timestamp");
    let at = values::zoned(s)
        .map(Ok)
        .unwrap_or_else(|| r.utc("timestamp"))?;
    let coin = match r.get("asset") {
        "" => r.rec.captured("quantity").to_uppercase(),
        c => c.to_string(),
    };
    let notes = r.get("notes");
    let transfer = r.get("transfer_id");
    let coinbase_id = r.get("id").trim_end_matches(".0").to_string();
    if is_coinbase_fee_row(r.rec) {
        return Ok(Draft {
            txid: String::new(),
            at,
            amount: r.amount("transfer_total")?.abs(),
            currency: r.currency(r.get("transfer_total_currency"), "transfer_total_currency")?,
            direction: Direction::Out,
            counterparty: String::new(),
            method: notes.to_string(),
            status: String::new(),
            note: join(&[transfer, r.get("transfer_method")]),
        });
    }
    let qty = r.amount("quantity")?;
    let has_total =
        !r.get("transfer_total").is_empty() && !r.get("transfer_total_currency").is_empty();
    let (amount, currency, direction) = if has_total {
        // Coin in is money out (a buy), coin out is money in (a sell).
        (
            r.amount("transfer_total")?,
            r.currency(r.get("transfer_total_currency"), "transfer_total_currency")?,
            if qty.is_sign_negative() {
                Direction::In
            } else {
                Direction::Out
            },
        )
    } else {
        (qty, r.currency(&coin, "asset")?, direction_of(qty))
    };
    let fee = if has_total && !r.ctx.fee_rows.contains(transfer) {
        let f = r.get("transfer_fee");
        if f.is_empty() || r.ctx.amount(f).is_some_and(|v| v.is_zero()) {
            String::new()
        } else {
            format!("Fee {f} {}", r.get("transfer_fee_currency"))
        }
    } else {
        String::new()
    };
    Ok(Draft {
        txid: coinbase_id,
        at,
        amount: amount.abs(),
        currency,
        direction,
        counterparty: r.get("to").to_string(),
        method: r.get("transfer_method").to_string(),
        status: String::new(),
        note: join(&[
            notes,
            &if has_total {
                format!("{} {coin}", qty.abs().normalize())
            } else {
                String::new()
            },
            &fee,
            r.get("hash"),
        ]),
    })
}

/// A row read through the user's column mapping (fields are the columns'
/// normalised names).
pub(crate) fn mapped(
    m: &ColumnMapping,
    rec: &Rec<'_>,
    header: &[String],
    ctx: &Context,
) -> RowResult {
    let r = Row { rec, header, ctx };
    let key = |c: &str| norm(c);
    let date_s = r.get(&key(&m.date));
    let time_s = m.time.as_deref().map(|t| r.get(&key(t))).unwrap_or("");
    let joined = if time_s.is_empty() {
        date_s.to_string()
    } else {
        format!("{date_s} {time_s}")
    };
    let naive = match ctx.naive(&joined) {
        Some(t) => t,
        None if !time_s.is_empty() && ctx.naive(date_s).is_some() => {
            return Err(cell(
                Cell::Time,
                time_s,
                m.time.as_deref().unwrap_or("time"),
            ));
        }
        None => return Err(cell(Cell::DateTime, &joined, &m.date)),
    };
    let at = if m.utc {
        let ms = naive.and_utc().timestamp_millis();
        crate::time::At::from_parts(ms, ctx.offset_at(ms))
    } else {
        ctx.local(naive)
            .ok_or_else(|| cell(Cell::NotInZone, &joined, &m.date))?
    };
    let value = r.amount(&key(&m.amount))?;
    let cur = match (&m.currency, &m.fixed_currency) {
        (Some(col), _) if !r.get(&key(col)).is_empty() => {
            r.currency(r.get(&key(col)), &key(col))?
        }
        (_, Some(code)) => r.currency(code, "currency")?,
        (Some(col), None) => {
            return Err(Problem::CellEmpty {
                column: col.clone(),
            });
        }
        (None, None) => return Err(Problem::MappingNamesNoCurrency {}),
    };
    let col = |c: &Option<String>| {
        c.as_deref()
            .map(|c| r.get(&key(c)).to_string())
            .unwrap_or_default()
    };
    let direction = match m
        .direction
        .as_deref()
        .map(|c| r.get(&key(c)).to_lowercase())
    {
        Some(d)
            if ["in", "credit", "cr", "收入", "income", "deposit", "haben"]
                .contains(&d.as_str()) =>
        {
            Direction::In
        }
        Some(d)
            if [
                "out",
                "debit",
                "dr",
                "支出",
                "expense",
                "withdrawal",
                "soll",
            ]
            .contains(&d.as_str()) =>
        {
            Direction::Out
        }
        _ if value.is_sign_negative() => Direction::Out,
        _ if m.direction.is_some() => {
            return Err(Problem::DirectionUnknown {});
        }
        _ => Direction::In,
    };
    Ok(Draft {
        txid: col(&m.id),
        at,
        amount: value.abs(),
        currency: cur,
        direction,
        counterparty: col(&m.counterparty),
        method: String::new(),
        status: col(&m.status),
        note: col(&m.note),
    })
}
