//! The statement layouts Casebook knows: which columns tell them apart, and
//! how one of their rows becomes a transaction record.
//!
//! Wallets change their exports often, so a layout is recognised by the
//! names of its columns (never their positions), and a file whose columns
//! match no layout is refused with the columns it has.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Draft;
use super::mapping::ColumnMapping;
use super::values::{amount, at_offset, at_zone, local_datetime, norm, slashed_date, utc_instant};
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

/// One known layout of one format.
pub(crate) struct Layout {
    pub format: Format,
    pub name: &'static str,
    /// Columns that must all be in the header row.
    pub required: &'static [&'static str],
    /// Where the data ends: a line whose first cell starts with this.
    pub end_marker: Option<&'static str>,
    /// The export always closes with the end marker (so a file without it
    /// was cut short).
    pub closes: bool,
}

pub(crate) const LAYOUTS: &[Layout] = &[
    Layout {
        format: Format::Alipay,
        name: "Alipay (app export, 2023–)",
        required: &[
            "交易时间",
            "交易分类",
            "交易对方",
            "收/支",
            "金额",
            "交易状态",
            "交易订单号",
        ],
        end_marker: Some("---"),
        closes: false,
    },
    Layout {
        format: Format::Alipay,
        name: "Alipay (web export, older)",
        required: &[
            "交易号",
            "交易创建时间",
            "交易对方",
            "金额（元）",
            "收/支",
            "交易状态",
        ],
        end_marker: Some("---"),
        closes: true,
    },
    Layout {
        format: Format::Wechat,
        name: "WeChat Pay",
        required: &[
            "交易时间",
            "交易类型",
            "交易对方",
            "收/支",
            "金额(元)",
            "当前状态",
            "交易单号",
        ],
        end_marker: None,
        closes: false,
    },
    Layout {
        format: Format::Paypal,
        name: "PayPal activity",
        required: &["Date", "Currency", "Gross", "Transaction ID"],
        end_marker: None,
        closes: false,
    },
    Layout {
        format: Format::Coinbase,
        name: "Coinbase (2023–)",
        required: &[
            "ID",
            "Timestamp",
            "Transaction Type",
            "Asset",
            "Quantity Transacted",
        ],
        end_marker: None,
        closes: false,
    },
    Layout {
        format: Format::Coinbase,
        name: "Coinbase (older)",
        required: &[
            "Timestamp",
            "Transaction Type",
            "Asset",
            "Quantity Transacted",
        ],
        end_marker: None,
        closes: false,
    },
    Layout {
        format: Format::Revolut,
        name: "Revolut",
        required: &[
            "Type",
            "Started Date",
            "Completed Date",
            "Description",
            "Amount",
            "Currency",
            "State",
        ],
        end_marker: None,
        closes: false,
    },
    Layout {
        format: Format::Revolut,
        name: "Revolut (older)",
        required: &["Completed Date", "Description"],
        end_marker: None,
        closes: false,
    },
];

impl Layout {
    pub fn matches(&self, header: &[String]) -> bool {
        let cols: Vec<String> = header.iter().map(|h| norm(h)).collect();
        let ok = self.required.iter().all(|r| cols.contains(&norm(r)));
        if ok && self.name == "Revolut (older)" {
            return cols.iter().any(|c| c.starts_with("paidout("));
        }
        ok
    }
}

/// A row, looked up by column name.
pub(crate) struct Rec<'a> {
    /// The header row, each name passed through [`norm`].
    pub header: &'a [String],
    pub cells: &'a [String],
}

impl Rec<'_> {
    pub fn get(&self, name: &str) -> &str {
        let n = norm(name);
        self.header
            .iter()
            .position(|h| *h == n)
            .and_then(|i| self.cells.get(i))
            .map_or("", |s| s.as_str())
    }

    /// The first of these columns that has a value.
    pub fn first(&self, names: &[&str]) -> &str {
        names
            .iter()
            .map(|n| self.get(n))
            .find(|v| !v.is_empty())
            .unwrap_or("")
    }

    /// The value of the first column whose name starts with `prefix`, and the
    /// rest of that name (`Paid Out (EUR)` → `EUR)`).
    pub fn prefixed(&self, prefix: &str) -> Option<(&str, String)> {
        let p = norm(prefix);
        let i = self.header.iter().position(|h| h.starts_with(&p))?;
        let rest = self.header[i][p.len()..].to_string();
        Some((self.cells.get(i).map_or("", |s| s.as_str()), rest))
    }
}

/// Per-file facts a row needs: the user's offset for zone-less times and
/// whether slashed dates are day-first.
pub(crate) struct Context {
    /// A fixed offset, or `None` for this computer's zone on each row's date
    /// (so a summer row gets the summer offset).
    pub offset_secs: Option<i32>,
    pub day_first: bool,
}

impl Context {
    /// A zone-less local time as the user lived it.
    pub fn local(&self, t: chrono::NaiveDateTime) -> Option<crate::time::At> {
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
}

/// What a cell failed to be.
#[derive(Clone, Copy)]
enum Cell {
    Amount,
    DateTime,
    Date,
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
        Cell::Date => Problem::CellNotDate { value, column },
        Cell::Time => Problem::CellNotTime { value, column },
        Cell::OutOfRange => Problem::CellOutOfRange { value, column },
        Cell::NotInZone => Problem::CellNotInZone { value, column },
        Cell::Currency => Problem::CellNotCurrency { value, column },
        Cell::Zone => Problem::CellUnknownZone { value, column },
    }
}

type RowResult = std::result::Result<Draft, Problem>;

fn need_amount(s: &str, column: &str) -> std::result::Result<Decimal, Problem> {
    if s.is_empty() {
        return Err(Problem::CellEmpty {
            column: column.into(),
        });
    }
    amount(s).ok_or_else(|| cell(Cell::Amount, s, column))
}

fn need_naive(s: &str, column: &str) -> std::result::Result<chrono::NaiveDateTime, Problem> {
    if s.is_empty() {
        return Err(Problem::CellEmpty {
            column: column.into(),
        });
    }
    local_datetime(s)
        .or_else(|| super::values::excel_serial(s))
        .ok_or_else(|| cell(Cell::DateTime, s, column))
}

/// A Beijing time (Alipay, WeChat Pay).
fn need_china(s: &str, column: &str) -> std::result::Result<crate::time::At, Problem> {
    at_offset(need_naive(s, column)?, CHINA).ok_or_else(|| cell(Cell::OutOfRange, s, column))
}

/// A zone-less time in the user's zone.
fn need_local(
    s: &str,
    column: &str,
    ctx: &Context,
) -> std::result::Result<crate::time::At, Problem> {
    ctx.local(need_naive(s, column)?)
        .ok_or_else(|| cell(Cell::NotInZone, s, column))
}

/// A UTC timestamp shown in the user's offset at that moment.
fn need_utc(s: &str, column: &str, ctx: &Context) -> std::result::Result<crate::time::At, Problem> {
    let at = utc_instant(s, 0).ok_or_else(|| cell(Cell::DateTime, s, column))?;
    Ok(crate::time::At::from_parts(
        at.utc_ms,
        ctx.offset_at(at.utc_ms),
    ))
}

fn currency(s: &str, column: &str) -> std::result::Result<Currency, Problem> {
    Currency::parse("currency", s).map_err(|_| cell(Cell::Currency, s, column))
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

/// A row of a known layout as a transaction draft, or why it cannot be one.
pub(crate) fn convert(layout: &Layout, rec: &Rec<'_>, ctx: &Context) -> RowResult {
    match (layout.format, layout.name) {
        (Format::Alipay, "Alipay (app export, 2023–)") => alipay(rec),
        (Format::Alipay, _) => alipay_old(rec),
        (Format::Wechat, _) => wechat(rec),
        (Format::Paypal, _) => paypal(rec, ctx),
        (Format::Coinbase, _) => coinbase(rec, ctx),
        (Format::Revolut, "Revolut") => revolut(rec, ctx),
        (Format::Revolut, _) => revolut_old(rec, ctx),
        (Format::Csv, _) => Err(Problem::CsvNeedsMapping {}),
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

fn alipay(r: &Rec<'_>) -> RowResult {
    let status = r.get("交易状态");
    let in_out = r.get("收/支");
    let amount = need_amount(r.get("金额"), "金额")?.abs();
    Ok(Draft {
        txid: r.get("交易订单号").to_string(),
        at: need_china(r.get("交易时间"), "交易时间")?,
        amount,
        currency: cny(),
        direction: china_direction(in_out, status),
        counterparty: join(&[r.get("交易对方"), r.get("对方账号")]),
        method: r.get("收/付款方式").to_string(),
        status: status.to_string(),
        note: join(&[
            r.get("商品说明"),
            r.get("交易分类"),
            if in_out == "不计收支" { in_out } else { "" },
            r.get("商家订单号"),
            r.get("备注"),
        ]),
    })
}

fn alipay_old(r: &Rec<'_>) -> RowResult {
    let status = r.get("交易状态");
    let in_out = r.get("收/支");
    let funds = r.get("资金状态");
    let direction = match (in_out, funds) {
        ("收入", _) | (_, "已收入") => Direction::In,
        ("支出", _) | (_, "已支出") => Direction::Out,
        _ => china_direction(in_out, status),
    };
    Ok(Draft {
        txid: r.get("交易号").to_string(),
        at: need_china(r.first(&["付款时间", "交易创建时间"]), "交易创建时间")?,
        amount: need_amount(r.get("金额（元）"), "金额（元）")?.abs(),
        currency: cny(),
        direction,
        counterparty: r.get("交易对方").to_string(),
        method: r.get("交易来源地").to_string(),
        status: status.to_string(),
        note: join(&[
            r.get("商品名称"),
            r.get("类型"),
            funds,
            r.get("商户订单号"),
            r.get("备注"),
        ]),
    })
}

fn wechat(r: &Rec<'_>) -> RowResult {
    let status = r.get("当前状态");
    let in_out = r.get("收/支");
    Ok(Draft {
        txid: r.get("交易单号").to_string(),
        at: need_china(r.get("交易时间"), "交易时间")?,
        amount: need_amount(r.get("金额(元)"), "金额(元)")?.abs(),
        currency: cny(),
        direction: china_direction(in_out, status),
        counterparty: r.get("交易对方").to_string(),
        method: r.get("支付方式").to_string(),
        status: status.to_string(),
        // 备注 carries fees such as 服务费¥0.10.
        note: join(&[
            r.get("商品"),
            r.get("交易类型"),
            r.get("商户单号"),
            r.get("备注"),
        ]),
    })
}

fn paypal(r: &Rec<'_>, ctx: &Context) -> RowResult {
    let date_s = r.get("Date");
    let date = super::values::date(date_s)
        .or_else(|| slashed_date(date_s, ctx.day_first))
        .ok_or_else(|| cell(Cell::Date, date_s, "Date"))?;
    let time_s = r.get("Time");
    let time = if time_s.is_empty() {
        chrono::NaiveTime::MIN
    } else {
        chrono::NaiveTime::parse_from_str(time_s, "%H:%M:%S")
            .or_else(|_| chrono::NaiveTime::parse_from_str(time_s, "%H:%M"))
            .map_err(|_| cell(Cell::Time, time_s, "Time"))?
    };
    let zone = r.first(&["TimeZone", "Time Zone"]);
    let at = if zone.is_empty() {
        ctx.local(date.and_time(time))
            .ok_or_else(|| cell(Cell::NotInZone, &format!("{date_s} {time_s}"), "Time"))?
    } else {
        at_zone(date.and_time(time), zone).ok_or_else(|| cell(Cell::Zone, zone, "TimeZone"))?
    };
    let gross = need_amount(r.get("Gross"), "Gross")?;
    let fee = r.get("Fee");
    let counterparty = r.first(&["Name", "To Email Address", "From Email Address"]);
    Ok(Draft {
        txid: r.get("Transaction ID").to_string(),
        at,
        amount: gross.abs(),
        currency: currency(r.get("Currency"), "Currency")?,
        direction: if gross.is_sign_negative() {
            Direction::Out
        } else {
            Direction::In
        },
        counterparty: counterparty.to_string(),
        method: r.first(&["Type", "Description"]).to_string(),
        status: r.get("Status").to_string(),
        note: join(&[
            r.first(&["Item Title", "Subject"]),
            r.get("Note"),
            &if fee.is_empty() || amount(fee).is_some_and(|f| f.is_zero()) {
                String::new()
            } else {
                format!("Fee {fee}")
            },
            r.get("Reference Txn ID"),
        ]),
    })
}

fn coinbase(r: &Rec<'_>, ctx: &Context) -> RowResult {
    let at = need_utc(r.get("Timestamp"), "Timestamp", ctx)?;
    let kind = r.get("Transaction Type");
    let asset = r.get("Asset");
    let qty_s = r.get("Quantity Transacted");
    let qty = need_amount(qty_s, "Quantity Transacted")?;
    let total_s = r.first(&[
        "Total (inclusive of fees and/or spread)",
        "Total (inclusive of fees)",
    ]);
    let fiat = r.first(&["Price Currency", "Spot Price Currency"]);
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
    let (value, cur) = match (total_s.is_empty(), fiat.is_empty()) {
        (false, false) => (
            need_amount(total_s, "Total")?,
            currency(fiat, "Price Currency")?,
        ),
        _ => (qty, currency(asset, "Asset")?),
    };
    Ok(Draft {
        txid: r.get("ID").to_string(),
        at,
        amount: value.abs(),
        currency: cur,
        direction: if out { Direction::Out } else { Direction::In },
        counterparty: String::new(),
        method: kind.to_string(),
        status: String::new(),
        note: join(&[&format!("{} {asset}", qty.abs()), r.get("Notes")]),
    })
}

fn revolut(r: &Rec<'_>, ctx: &Context) -> RowResult {
    let when = r.first(&["Completed Date", "Started Date"]);
    let amount = need_amount(r.get("Amount"), "Amount")?;
    let fee = r.get("Fee");
    Ok(Draft {
        txid: String::new(),
        at: need_local(when, "Completed Date", ctx)?,
        amount: amount.abs(),
        currency: currency(r.get("Currency"), "Currency")?,
        direction: if amount.is_sign_negative() {
            Direction::Out
        } else {
            Direction::In
        },
        counterparty: r.get("Description").to_string(),
        method: join(&[r.get("Type"), r.get("Product")]),
        status: r.get("State").to_string(),
        note: if fee.is_empty() || super::values::amount(fee).is_some_and(|f| f.is_zero()) {
            String::new()
        } else {
            format!("Fee {fee}")
        },
    })
}

fn revolut_old(r: &Rec<'_>, ctx: &Context) -> RowResult {
    let (paid_out, cur) = r.prefixed("Paid Out (").ok_or(Problem::CellEmpty {
        column: "Paid Out".into(),
    })?;
    let cur = cur.trim_end_matches(')').to_uppercase();
    let paid_in = r.prefixed("Paid In (").map_or("", |(v, _)| v);
    let (value, direction) = match (paid_out.is_empty(), paid_in.is_empty()) {
        (false, _) => (need_amount(paid_out, "Paid Out")?, Direction::Out),
        (true, false) => (need_amount(paid_in, "Paid In")?, Direction::In),
        (true, true) => return Err(Problem::NeitherPaidOutNorIn {}),
    };
    let when = r.get("Completed Date");
    let at = need_local(when, "Completed Date", ctx)?;
    Ok(Draft {
        txid: String::new(),
        at,
        amount: value.abs(),
        currency: currency(&cur, "Paid Out")?,
        direction,
        counterparty: r.get("Description").to_string(),
        method: r.get("Category").to_string(),
        status: String::new(),
        note: join(&[r.get("Notes"), r.get("Exchange Out"), r.get("Exchange In")]),
    })
}

/// A row read through the user's column mapping.
pub(crate) fn mapped(m: &ColumnMapping, r: &Rec<'_>, ctx: &Context) -> RowResult {
    let date_s = r.get(&m.date);
    let time_s = m.time.as_deref().map(|t| r.get(t)).unwrap_or("");
    let joined = if time_s.is_empty() {
        date_s.to_string()
    } else {
        format!("{date_s} {time_s}")
    };
    let parse_time = |t: &str| {
        ["%H:%M:%S", "%H:%M", "%I:%M:%S %p", "%I:%M %p"]
            .iter()
            .find_map(|f| chrono::NaiveTime::parse_from_str(t.trim(), f).ok())
    };
    let naive =
        match local_datetime(&joined) {
            Some(t) => Some(t),
            None => match slashed_date(date_s, ctx.day_first) {
                Some(d) if time_s.is_empty() => Some(d.and_time(chrono::NaiveTime::MIN)),
                Some(d) => Some(d.and_time(parse_time(time_s).ok_or_else(|| {
                    cell(Cell::Time, time_s, m.time.as_deref().unwrap_or("time"))
                })?)),
                None => None,
            },
        };
    let at = if m.utc {
        naive.map(|t| {
            let ms = t.and_utc().timestamp_millis();
            crate::time::At::from_parts(ms, ctx.offset_at(ms))
        })
    } else {
        naive.and_then(|t| ctx.local(t))
    }
    .ok_or_else(|| cell(Cell::Date, &joined, &m.date))?;
    let value = need_amount(r.get(&m.amount), &m.amount)?;
    let cur = match (&m.currency, &m.fixed_currency) {
        (Some(col), _) if !r.get(col).is_empty() => currency(r.get(col), col)?,
        (_, Some(code)) => currency(code, "currency")?,
        (Some(col), None) => {
            return Err(Problem::CellEmpty {
                column: col.clone(),
            });
        }
        (None, None) => return Err(Problem::MappingNamesNoCurrency {}),
    };
    let col = |c: &Option<String>| {
        c.as_deref()
            .map(|c| r.get(c).to_string())
            .unwrap_or_default()
    };
    let direction = match m.direction.as_deref().map(|c| r.get(c).to_lowercase()) {
        Some(d) if ["in", "credit", "cr", "收入", "income", "deposit"].contains(&d.as_str()) => {
            Direction::In
        }
        Some(d)
            if ["out", "debit", "dr", "支出", "expense", "withdrawal"].contains(&d.as_str()) =>
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
