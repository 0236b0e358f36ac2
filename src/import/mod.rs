//! Transaction records read from a wallet's own statement export.
//!
//! Reading is in three steps, each usable on its own:
//! 1. [`sheet`] turns bytes into rows (encoding, CSV delimiter, XLSX);
//! 2. [`read_statement`] finds the header row, recognises the layout by its
//!    column names and turns each data row into a [`Draft`] or a
//!    [`Rejected`] line with its reason — nothing is written;
//! 3. [`Journal::import_statement`] stores the file as evidence and writes
//!    the rows the user picked, all or nothing, skipping those already in
//!    the case.

pub mod formats;
pub mod layouts;
pub mod mapping;
pub mod sheet;
pub mod values;

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::db::Journal;
use crate::error::{Error, Problem, Result};
use crate::evidence::{self, AttachTo, Attachment};
use crate::model::Direction;
use crate::money::{Currency, parse_amount};
use crate::time::{At, parse_date};
use crate::transactions::{self, TransactionInput};
pub use formats::Format;
use formats::{Context, Rec};
pub use mapping::ColumnMapping;
use values::norm;

/// How far into the file the header row is looked for (WeChat Pay has about
/// 16 preamble lines, Alipay about 25).
const HEADER_SEARCH_LINES: usize = 60;

/// One statement row as a transaction record, not yet saved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Draft {
    pub txid: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub at: At,
    /// Always positive; `direction` says which way.
    #[serde(with = "rust_decimal::serde::str")]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub amount: Decimal,
    pub currency: Currency,
    pub direction: Direction,
    pub counterparty: String,
    pub method: String,
    pub status: String,
    pub note: String,
}

impl Draft {
    fn input(&self) -> TransactionInput {
        TransactionInput {
            txid: self.txid.clone(),
            at: self.at,
            amount: self.amount,
            currency: self.currency.clone(),
            direction: Some(self.direction),
            counterparty: self.counterparty.clone(),
            method: self.method.clone(),
            status: self.status.clone(),
            note: self.note.clone(),
        }
    }

    /// What makes a record the same as another: its ID, or without one its
    /// time, amount and counterparty.
    fn key(&self) -> String {
        dedup_key(
            &self.txid,
            self.at.utc_ms,
            &self.amount,
            &self.currency,
            &self.counterparty,
        )
    }
}

fn dedup_key(
    txid: &str,
    at_ms: i64,
    amount: &Decimal,
    cur: &Currency,
    counterparty: &str,
) -> String {
    if txid.is_empty() {
        format!(
            "t{at_ms}|{}|{cur}|{}",
            amount.normalize(),
            counterparty.trim()
        )
    } else {
        format!("i{txid}")
    }
}

/// A statement row and whether the case already has it.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct StatementRow {
    /// The line in the file (the row in a spreadsheet), from 1.
    pub line: usize,
    pub draft: Draft,
    /// Already in the case (or earlier in the file): it will be skipped.
    pub duplicate: bool,
}

/// A line that could not be read as a transaction, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Rejected {
    pub line: usize,
    pub reason: Problem,
}

/// A statement as read, before anything is written.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Statement {
    pub format: Format,
    /// The layout recognised, in English, e.g. "Alipay app export (2023–)".
    pub layout: String,
    /// Its id in `rules/statements.toml`, or `csv` for a mapped file.
    pub layout_id: String,
    pub layout_name: layouts::Names,
    /// The language most of its column names are in (`de`, `zh`…).
    pub language: String,
    pub encoding: String,
    /// The header row as in the file.
    pub columns: Vec<String>,
    pub rows: Vec<StatementRow>,
    pub rejected: Vec<Rejected>,
    /// Things the user should know, e.g. how ambiguous dates were read.
    pub warnings: Vec<Problem>,
}

/// How to read a statement.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(default)]
pub struct ImportOptions {
    /// `None`: detect from the content.
    pub format: Option<Format>,
    /// Required for [`Format::Csv`].
    pub mapping: Option<ColumnMapping>,
    /// The user's offset, for statements whose times carry no zone
    /// (Revolut, PayPal without a zone column). `None`: this computer's
    /// time zone, with the offset it had on each row's date.
    pub offset_secs: Option<i32>,
    /// Whether dates such as 03/04/2024 are day-first, for a file whose
    /// dates all read both ways (`None`: ask).
    pub day_first: Option<bool>,
    /// The day the file was made (its modification date), for dates
    /// written without a year. `None`: today.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub made_on: Option<NaiveDate>,
}

impl ImportOptions {
    /// The options for a statement already attached: a date written without
    /// a year is read against the day it was attached (the file's own date
    /// is not kept), unless the options say otherwise.
    pub fn for_attachment(&self, att: &Attachment) -> ImportOptions {
        ImportOptions {
            made_on: self.made_on.or_else(|| Some(att.added_at.local_date())),
            ..self.clone()
        }
    }
}

/// Which rows of a statement a case needs, as typed in filters.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(default)]
pub struct RowFilterForm {
    pub from: Option<String>,
    pub to: Option<String>,
    pub min_amount: Option<String>,
    pub max_amount: Option<String>,
    /// Words to find in the ID, counterparty, method, status or note.
    pub text: Option<String>,
}

/// [`RowFilterForm`] checked.
#[derive(Clone, Debug, Default)]
pub struct RowFilter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub min_amount: Option<Decimal>,
    pub max_amount: Option<Decimal>,
    pub text: Vec<String>,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl RowFilterForm {
    pub fn parse(&self) -> Result<RowFilter> {
        let f = RowFilter {
            from: given(&self.from)
                .map(|s| parse_date("from", s))
                .transpose()?,
            to: given(&self.to).map(|s| parse_date("to", s)).transpose()?,
            min_amount: given(&self.min_amount)
                .map(|s| parse_amount("min amount", s))
                .transpose()?,
            max_amount: given(&self.max_amount)
                .map(|s| parse_amount("max amount", s))
                .transpose()?,
            text: given(&self.text)
                .map(|s| s.split_whitespace().map(str::to_lowercase).collect())
                .unwrap_or_default(),
        };
        if let (Some(a), Some(b)) = (f.from, f.to)
            && a > b
        {
            return Err(Error::invalid(Problem::RangeReversed {
                from: a.to_string(),
                to: b.to_string(),
            }));
        }
        Ok(f)
    }
}

impl RowFilter {
    pub fn is_empty(&self) -> bool {
        self.from.is_none()
            && self.to.is_none()
            && self.min_amount.is_none()
            && self.max_amount.is_none()
            && self.text.is_empty()
    }

    /// Whether a row passes: dates on the statement's own calendar, amounts
    /// without their sign.
    pub fn matches(&self, d: &Draft) -> bool {
        let day = d.at.local_date();
        if self.from.is_some_and(|f| day < f) || self.to.is_some_and(|t| day > t) {
            return false;
        }
        if self.min_amount.is_some_and(|m| d.amount < m.abs())
            || self.max_amount.is_some_and(|m| d.amount > m.abs())
        {
            return false;
        }
        if self.text.is_empty() {
            return true;
        }
        let hay = format!(
            "{} {} {} {} {}",
            d.txid, d.counterparty, d.method, d.status, d.note
        )
        .to_lowercase();
        self.text.iter().all(|w| hay.contains(w.as_str()))
    }
}

/// What the preview shows: the statement's facts and the rows passing the
/// filters (at most `limit` of them; the counts are of all).
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct StatementView {
    pub format: Format,
    pub layout: String,
    pub layout_name: layouts::Names,
    /// The language most of its column names are in (`de`, `zh`…).
    pub language: String,
    pub encoding: String,
    pub columns: Vec<String>,
    pub total_rows: usize,
    pub duplicates: usize,
    /// Rows passing the filters.
    pub matching: usize,
    pub rows: Vec<StatementRow>,
    pub rejected: Vec<Rejected>,
    pub warnings: Vec<Problem>,
}

impl Statement {
    /// The preview of the rows passing `filter`.
    pub fn view(&self, filter: &RowFilter, limit: usize) -> StatementView {
        let mut matching = 0;
        let mut rows = Vec::new();
        for r in self.filtered(filter) {
            matching += 1;
            if rows.len() < limit {
                rows.push(r.clone());
            }
        }
        StatementView {
            format: self.format,
            layout: self.layout.clone(),
            layout_name: self.layout_name.clone(),
            language: self.language.clone(),
            encoding: self.encoding.clone(),
            columns: self.columns.clone(),
            total_rows: self.rows.len(),
            duplicates: self.rows.iter().filter(|r| r.duplicate).count(),
            matching,
            rows,
            rejected: self.rejected.clone(),
            warnings: self.warnings.clone(),
        }
    }

    /// The rows passing `filter`, in file order.
    pub fn filtered<'a>(&'a self, filter: &'a RowFilter) -> impl Iterator<Item = &'a StatementRow> {
        self.rows.iter().filter(move |r| filter.matches(&r.draft))
    }
}

/// The row with the most filled cells near the top: the header, if any.
fn widest(lines: &[sheet::Line]) -> Vec<String> {
    // The first of the widest lines (a header comes before its rows).
    lines
        .iter()
        .take(HEADER_SEARCH_LINES)
        .rev()
        .max_by_key(|l| l.cells.iter().filter(|c| !c.is_empty()).count())
        .map(|l| l.cells.iter().filter(|c| !c.is_empty()).cloned().collect())
        .unwrap_or_default()
}

/// What Casebook makes of a file in no layout it knows: its columns, the
/// wallet it looks most like, and a column mapping guessed from their names
/// (offered to the user, never used unasked).
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct MappingGuess {
    pub columns: Vec<String>,
    /// The wallet whose layout it looks most like, if any.
    pub looks_like: Option<Format>,
    /// Columns no dictionary knows.
    pub unknown: Vec<String>,
    /// `None` when no date or no amount column could be guessed.
    pub mapping: Option<ColumnMapping>,
}

/// Which mapping role a wallet's field can play.
const ROLES: &[(&str, &[&str])] = &[
    (
        "date",
        &[
            "date",
            "time",
            "timestamp",
            "completed",
            "created",
            "started",
        ],
    ),
    ("time", &["time"]),
    ("amount", &["amount", "gross", "quantity"]),
    ("currency", &["currency", "price_currency"]),
    ("id", &["id", "txid"]),
    ("counterparty", &["counterparty", "name", "description"]),
    ("status", &["status", "state"]),
    (
        "note",
        &["note", "notes", "item", "item_title", "remark", "subject"],
    ),
    ("direction", &["direction", "in_out", "balance_impact"]),
];

/// Guesses a mapping for a file's header from every dictionary.
pub fn guess_mapping(bytes: &[u8]) -> Result<MappingGuess> {
    let lines = sheet::read(bytes)?.lines;
    let header = widest(&lines);
    Ok(guess_for(&header))
}

/// Guesses a mapping for these columns (a header row).
pub fn guess_for(header: &[String]) -> MappingGuess {
    let compiled = layouts::rules();
    // The wallet whose layout it has the most of (half at least).
    let mut best: Option<(f64, &layouts::LayoutRule)> = None;
    for l in &compiled.rules.layout {
        let share = l.share(&compiled.dictionary(&l.wallet).read(header));
        if share >= 0.5 && best.is_none_or(|(b, _)| share > b) {
            best = Some((share, l));
        }
    }
    let wallet = best.map_or("generic", |(_, l)| l.wallet.as_str());
    let reading = compiled.dictionary(wallet).read(header);
    let generic = compiled.dictionary("generic").read(header);
    let pick = |role: &str| -> Option<String> {
        let fields = ROLES
            .iter()
            .find(|(r, _)| *r == role)
            .map_or(&[][..], |(_, f)| *f);
        fields
            .iter()
            .find_map(|f| reading.at.get(*f))
            .or_else(|| generic.at.get(role))
            .map(|&i| header[i].clone())
    };
    let mapping = match (pick("date"), pick("amount")) {
        (Some(date), Some(amount)) => {
            let time = pick("time").filter(|t| *t != date);
            Some(ColumnMapping {
                date,
                time,
                amount,
                currency: pick("currency"),
                fixed_currency: None,
                id: pick("id"),
                counterparty: pick("counterparty"),
                status: pick("status"),
                note: pick("note"),
                direction: pick("direction"),
                day_first: false,
                utc: false,
            })
        }
        _ => None,
    };
    let unknown = reading
        .unknown
        .iter()
        .filter(|i| generic.unknown.contains(i))
        .map(|&i| header[i].clone())
        .collect();
    MappingGuess {
        columns: header.to_vec(),
        looks_like: best.and_then(|(_, l)| Format::parse(&l.wallet).ok().flatten()),
        unknown,
        mapping,
    }
}

fn unknown_layout(columns: &[String], wanted: Option<Format>) -> Error {
    let guess = guess_for(columns);
    Error::invalid(Problem::UnknownLayout {
        wanted: wanted.map(|f| f.name().to_string()).unwrap_or_default(),
        looks_like: guess
            .looks_like
            .map(|f| f.name().to_string())
            .unwrap_or_default(),
        columns: columns.to_vec(),
        unknown: guess.unknown,
    })
}

/// A header read as the column names themselves (for a mapped CSV).
fn literal_reading(header: &[String]) -> layouts::Reading {
    let mut r = layouts::Reading::default();
    for (i, h) in header.iter().enumerate() {
        r.at.entry(norm(h)).or_insert(i);
    }
    r
}

/// Reads a statement file into drafts and rejected lines. Writes nothing.
pub fn read_statement(bytes: &[u8], opts: &ImportOptions) -> Result<Statement> {
    let sheet = sheet::read(bytes)?;
    let lines = &sheet.lines;
    let compiled = layouts::rules();

    // Find the header row and its layout.
    let mut found: Option<(usize, Option<&layouts::LayoutRule>, layouts::Reading)> = None;
    'lines: for (i, line) in lines.iter().enumerate().take(HEADER_SEARCH_LINES) {
        if line.is_blank() {
            continue;
        }
        if opts.format == Some(Format::Csv) {
            let m = opts.mapping.as_ref().ok_or_else(|| {
                Error::invalid(Problem::MappingNeeded {
                    columns: widest(lines),
                })
            })?;
            let cols: Vec<String> = line.cells.iter().map(|c| norm(c)).collect();
            if cols.contains(&norm(&m.date)) && cols.contains(&norm(&m.amount)) {
                found = Some((i, None, literal_reading(&line.cells)));
                break;
            }
            continue;
        }
        let mut readings: HashMap<&str, layouts::Reading> = HashMap::new();
        for layout in compiled.rules.layout.iter().filter(|l| {
            opts.format
                .is_none_or(|f| Format::parse(&l.wallet).ok().flatten() == Some(f))
        }) {
            let reading = readings
                .entry(layout.wallet.as_str())
                .or_insert_with(|| compiled.dictionary(&layout.wallet).read(&line.cells));
            if layout.matches(reading) {
                found = Some((i, Some(layout), reading.clone()));
                break 'lines;
            }
        }
    }
    let Some((header_at, layout, reading)) = found else {
        if let (Some(Format::Csv), Some(m)) = (opts.format, &opts.mapping) {
            m.check(&widest(lines))?;
        }
        return Err(unknown_layout(&widest(lines), opts.format));
    };
    let header_line = &lines[header_at];
    let header: Vec<String> = header_line.cells.clone();
    if let Some(m) = &opts.mapping
        && layout.is_none()
    {
        m.check(&header)?;
    }
    // The width rows must have: up to the last column a required field is
    // read from (a header may be wider than its rows, as PayPal's Spanish
    // one is; missing optional cells are empty).
    let width = match layout {
        Some(l) => l
            .required
            .iter()
            .filter_map(|f| reading.at.get(f))
            .max()
            .map_or(0, |&m| m + 1),
        None => header
            .iter()
            .rposition(|h| !h.is_empty())
            .map_or(0, |p| p + 1),
    };

    // The data lines: up to the layout's end marker.
    let mut data: Vec<&sheet::Line> = Vec::new();
    let mut ended = false;
    for line in &lines[header_at + 1..] {
        if let Some(marker) = layout.and_then(|l| l.end_marker.as_deref())
            && line.cells.first().is_some_and(|c| c.starts_with(marker))
        {
            ended = true;
            break;
        }
        if !line.is_blank() {
            data.push(line);
        }
    }
    let mut warnings = Vec::new();
    if layout.is_some_and(|l| l.closes) && !ended {
        warnings.push(Problem::StatementCutShort {});
    }

    // The cells of the date and amount columns, for the file's conventions.
    let column_cells = |fields: &[String]| -> Vec<&str> {
        let idx: Vec<usize> = fields
            .iter()
            .filter_map(|f| reading.at.get(f).copied())
            .collect();
        data.iter()
            .flat_map(|l| {
                idx.iter()
                    .filter_map(|&i| l.cells.get(i).map(String::as_str))
            })
            .filter(|c| !c.is_empty())
            .collect()
    };
    let (date_fields, amount_fields): (Vec<String>, Vec<String>) = match (layout, &opts.mapping) {
        (Some(l), _) => (l.dates.clone(), l.amounts.clone()),
        (None, Some(m)) => (vec![norm(&m.date)], vec![norm(&m.amount)]),
        (None, None) => (Vec::new(), Vec::new()),
    };
    let date_cells = column_cells(&date_fields);
    let day_first = date_order(
        &date_cells,
        opts,
        &header,
        &reading,
        &date_fields,
        &mut warnings,
    )?;
    let decimal_comma = values::decimal_comma_evidence(column_cells(&amount_fields).into_iter())
        .or_else(|| compiled.comma_language(&reading.language).then_some(true));
    let made_on = opts
        .made_on
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    if date_cells.iter().any(|c| values::yearless(c).is_some()) {
        let made_on = made_on.to_string();
        warnings.push(if opts.made_on.is_some() {
            Problem::DatesWithoutYear { made_on }
        } else {
            Problem::DatesWithoutYearToday { made_on }
        });
    }
    // Coinbase wallet reports: the trades whose fee has a row of its own.
    let fee_rows = if layout.is_some_and(|l| l.convert == "coinbase_wallet") {
        data.iter()
            .map(|l| Rec {
                reading: &reading,
                cells: &l.cells,
            })
            .filter(formats::is_coinbase_fee_row)
            .map(|r| r.get("transfer_id").to_string())
            .filter(|t| !t.is_empty())
            .collect()
    } else {
        HashSet::new()
    };
    let ctx = Context {
        offset_secs: opts.offset_secs,
        day_first,
        decimal_comma,
        made_on,
        fee_rows,
    };

    let mut rows = Vec::with_capacity(data.len());
    let mut rejected = Vec::new();
    for line in data {
        if line.cells.len() < width {
            rejected.push(Rejected {
                line: line.number,
                reason: Problem::RowTooShort {
                    cells: line.cells.len() as u64,
                    width: width as u64,
                },
            });
            continue;
        }
        let rec = Rec {
            reading: &reading,
            cells: &line.cells,
        };
        let result = match (layout, &opts.mapping) {
            (Some(l), _) => formats::convert(l, &rec, &header, &ctx),
            (None, Some(m)) => formats::mapped(m, &rec, &header, &ctx),
            (None, None) => Err(Problem::CsvNeedsMapping {}),
        };
        match result {
            Ok(draft) => rows.push(StatementRow {
                line: line.number,
                draft,
                duplicate: false,
            }),
            Err(reason) => rejected.push(Rejected {
                line: line.number,
                reason,
            }),
        }
    }
    if rows.is_empty() && rejected.is_empty() {
        warnings.push(Problem::StatementNoTransactions {});
    }
    let (layout_id, layout_name) = match layout {
        Some(l) => (l.id.clone(), l.name.clone()),
        None => (
            "csv".to_string(),
            layouts::Names {
                en: "CSV with your columns".into(),
                zh: "按你选择的列读取的 CSV".into(),
            },
        ),
    };
    Ok(Statement {
        format: layout
            .and_then(|l| Format::parse(&l.wallet).ok().flatten())
            .unwrap_or(Format::Csv),
        layout: layout_name.en.clone(),
        layout_id,
        layout_name,
        language: reading.language.clone(),
        encoding: sheet.encoding,
        columns: header,
        rows,
        rejected,
        warnings,
    })
}

/// Whether the file's `a/b/yyyy` dates are day-first, decided once from
/// all of them: a first number above 12 proves day-first, a second one
/// month-first. A file where every such date reads both ways needs the
/// user's word (`opts.day_first`), except dotted dates (`06.09.2020`),
/// which no locale writes month-first.
fn date_order(
    cells: &[&str],
    opts: &ImportOptions,
    header: &[String],
    reading: &layouts::Reading,
    fields: &[String],
    warnings: &mut Vec<Problem>,
) -> Result<bool> {
    let ambiguous: Vec<&str> = cells
        .iter()
        .copied()
        .filter(|c| values::dmy_parts(c).is_some())
        .collect();
    if let Some(v) = values::day_first_evidence(ambiguous.iter().copied()) {
        return Ok(v);
    }
    let given = opts
        .day_first
        .or_else(|| opts.mapping.as_ref().filter(|m| m.day_first).map(|_| true));
    let Some(first) = ambiguous.first() else {
        return Ok(given.unwrap_or(false));
    };
    if let Some(v) = given {
        return Ok(v);
    }
    if ambiguous
        .iter()
        .all(|c| values::dmy_parts(c).is_some_and(|p| p.2 == '.'))
    {
        warnings.push(Problem::DatesReadDayFirst {});
        return Ok(true);
    }
    let column = fields
        .iter()
        .find_map(|f| reading.at.get(f))
        .and_then(|&i| header.get(i))
        .cloned()
        .unwrap_or_default();
    Err(Error::invalid(Problem::DateOrderNeeded {
        column,
        example: first.to_string(),
    }))
}

/// The rows to import: given lines, or every row.
#[derive(Clone, Debug, Default)]
pub enum Selection {
    #[default]
    All,
    Lines(Vec<usize>),
}

/// What an import did.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ImportReport {
    pub layout: String,
    pub layout_name: layouts::Names,
    /// The statement file, kept as evidence in the case.
    pub statement: Option<Attachment>,
    /// The ids of the new transaction records.
    pub imported: Vec<i64>,
    /// Lines skipped because the case already has them.
    pub skipped: Vec<usize>,
    /// Lines that could not be read (none were imported if any was picked).
    pub rejected: Vec<Rejected>,
    pub dry_run: bool,
}

impl Journal {
    /// Marks the rows the case already has (or that repeat an earlier row's ID).
    pub fn mark_duplicates(&self, case_id: i64, st: &mut Statement) -> Result<()> {
        mark_duplicates(self.read(), case_id, st)
    }

    /// Reads a statement for case `case_id` and marks the rows it already has.
    pub fn preview_statement(
        &self,
        case_id: i64,
        bytes: &[u8],
        opts: &ImportOptions,
    ) -> Result<Statement> {
        let mut st = read_statement(bytes, opts)?;
        self.mark_duplicates(case_id, &mut st)?;
        Ok(st)
    }

    /// Imports the picked rows of a statement into a case, all or nothing,
    /// and keeps the statement file as evidence in the case.
    pub fn import_statement(
        &mut self,
        case_id: i64,
        name: &str,
        bytes: &[u8],
        opts: &ImportOptions,
        selection: &Selection,
    ) -> Result<ImportReport> {
        let mut st = self.preview_statement(case_id, bytes, opts)?;
        let picked = pick(&st, selection)?;
        let stored = self.evidence.put(name, &mut &bytes[..])?;
        self.write(|tx| {
            // Again inside the write lock: another window may have imported meanwhile.
            mark_duplicates(tx, case_id, &mut st)?;
            let text = evidence::decode_text(bytes);
            let statement = evidence::insert(tx, &AttachTo::case(case_id), name, &stored, text)?;
            write_rows(tx, case_id, &st, &picked, Some(statement.id)).map(|(imported, skipped)| {
                ImportReport {
                    layout: st.layout.clone(),
                    layout_name: st.layout_name.clone(),
                    statement: Some(statement),
                    imported,
                    skipped,
                    rejected: st.rejected.clone(),
                    dry_run: false,
                }
            })
        })
    }

    /// Imports rows from a statement already attached to the case.
    pub fn import_attached_statement(
        &mut self,
        attachment_id: i64,
        opts: &ImportOptions,
        selection: &Selection,
    ) -> Result<ImportReport> {
        let (att, bytes) = self.attachment_bytes(attachment_id)?;
        let mut st = self.preview_statement(att.case_id, &bytes, &opts.for_attachment(&att))?;
        let picked = pick(&st, selection)?;
        self.write(|tx| {
            mark_duplicates(tx, att.case_id, &mut st)?;
            write_rows(tx, att.case_id, &st, &picked, Some(att.id)).map(|(imported, skipped)| {
                ImportReport {
                    layout: st.layout.clone(),
                    layout_name: st.layout_name.clone(),
                    statement: Some(att.clone()),
                    imported,
                    skipped,
                    rejected: st.rejected.clone(),
                    dry_run: false,
                }
            })
        })
    }
}

/// Marks rows the case already has: the same ID, or without an ID the same
/// time, amount and counterparty. Within the file only a repeated ID counts:
/// two identical fares on one day without IDs are two fares.
fn mark_duplicates(conn: &rusqlite::Connection, case_id: i64, st: &mut Statement) -> Result<()> {
    crate::cases::ensure_exists(conn, case_id)?;
    let in_case: HashSet<String> = transactions::of_case(conn, case_id)?
        .iter()
        .map(|t| {
            dedup_key(
                &t.txid,
                t.at.utc_ms,
                &t.money.amount,
                &t.money.currency,
                &t.counterparty,
            )
        })
        .collect();
    let mut ids_in_file = HashSet::new();
    for row in &mut st.rows {
        row.duplicate = in_case.contains(&row.draft.key())
            || (!row.draft.txid.is_empty() && !ids_in_file.insert(row.draft.txid.clone()));
    }
    Ok(())
}

/// The picked rows' indexes; refuses a pick that includes a rejected line
/// or a line that is not in the statement.
fn pick(st: &Statement, selection: &Selection) -> Result<Vec<usize>> {
    match selection {
        Selection::All => {
            if let Some(first) = st.rejected.first() {
                return Err(Error::invalid(Problem::ImportHasRejected {
                    count: st.rejected.len() as u64,
                    line: first.line as u64,
                    reason: Box::new(first.reason.clone()),
                }));
            }
            Ok((0..st.rows.len()).collect())
        }
        Selection::Lines(lines) => {
            if lines.is_empty() {
                return Err(Error::invalid(Problem::RowsNonePicked {}));
            }
            let mut out = Vec::with_capacity(lines.len());
            for &line in lines {
                if let Some(i) = st.rows.iter().position(|r| r.line == line) {
                    out.push(i);
                } else if let Some(r) = st.rejected.iter().find(|r| r.line == line) {
                    return Err(Error::invalid(Problem::RowRejected {
                        line: r.line as u64,
                        reason: Box::new(r.reason.clone()),
                    }));
                } else {
                    return Err(Error::invalid(Problem::RowNotInStatement {
                        line: line as u64,
                    }));
                }
            }
            out.sort_unstable();
            out.dedup();
            Ok(out)
        }
    }
}

fn write_rows(
    tx: &rusqlite::Connection,
    case_id: i64,
    st: &Statement,
    picked: &[usize],
    source: Option<i64>,
) -> Result<(Vec<i64>, Vec<usize>)> {
    let mut imported = Vec::new();
    let mut skipped = Vec::new();
    for &i in picked {
        let row = &st.rows[i];
        if row.duplicate {
            skipped.push(row.line);
            continue;
        }
        let t = transactions::insert_imported(tx, case_id, &row.draft.input(), source, row.line)
            .map_err(|e| match e {
                Error::Invalid(p) => Error::Invalid(Problem::RowInvalid {
                    line: row.line as u64,
                    reason: Box::new(p),
                }),
                e => e,
            })?;
        imported.push(t.id);
    }
    Ok((imported, skipped))
}
