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
pub mod mapping;
pub mod sheet;
pub mod values;

use std::collections::HashSet;

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
use formats::{Context, LAYOUTS, Layout, Rec};
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
    /// The layout recognised, e.g. "Alipay (app export, 2023–)".
    pub layout: String,
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

/// The columns of a file in no known layout, for choosing a mapping.
pub fn columns_of(bytes: &[u8]) -> Result<Vec<String>> {
    Ok(widest(&sheet::read(bytes)?.lines))
}

fn unknown_layout(columns: &[String], wanted: Option<Format>) -> Error {
    Error::invalid(Problem::UnknownLayout {
        wanted: wanted.map(|f| f.name().to_string()).unwrap_or_default(),
        columns: columns.to_vec(),
    })
}

/// Reads a statement file into drafts and rejected lines. Writes nothing.
pub fn read_statement(bytes: &[u8], opts: &ImportOptions) -> Result<Statement> {
    let sheet = sheet::read(bytes)?;
    let lines = &sheet.lines;

    // Find the header row and its layout.
    let mut found: Option<(usize, Option<&Layout>)> = None;
    for (i, line) in lines.iter().enumerate().take(HEADER_SEARCH_LINES) {
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
                found = Some((i, None));
                break;
            }
            continue;
        }
        if let Some(layout) = LAYOUTS
            .iter()
            .filter(|l| opts.format.is_none_or(|f| f == l.format))
            .find(|l| l.matches(&line.cells))
        {
            found = Some((i, Some(layout)));
            break;
        }
    }
    let Some((header_at, layout)) = found else {
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
    let norm_header: Vec<String> = header.iter().map(|h| norm(h)).collect();
    let width = header
        .iter()
        .rposition(|h| !h.is_empty())
        .map_or(0, |p| p + 1);

    // The data lines: up to the layout's end marker.
    let mut data: Vec<&sheet::Line> = Vec::new();
    let mut ended = false;
    for line in &lines[header_at + 1..] {
        if let Some(marker) = layout.and_then(|l| l.end_marker)
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

    // Day-first or month-first dates (PayPal and mapped CSVs).
    let date_col = match (layout, &opts.mapping) {
        (Some(l), _) if l.format == Format::Paypal => Some(norm("Date")),
        (None, Some(m)) => Some(norm(&m.date)),
        _ => None,
    };
    let mut day_first = opts.mapping.as_ref().is_some_and(|m| m.day_first);
    if let Some(col) = date_col
        && let Some(idx) = norm_header.iter().position(|h| *h == col)
    {
        let slashed = data
            .iter()
            .filter_map(|l| l.cells.get(idx).map(String::as_str))
            .filter(|c| c.contains(['/', '.', '-']) && values::date(c).is_none());
        match values::day_first_evidence(slashed.clone()) {
            Some(v) => day_first = v,
            None if slashed.count() > 0 => warnings.push(if day_first {
                Problem::DatesReadDayFirst {}
            } else {
                Problem::DatesReadMonthFirst {}
            }),
            None => {}
        }
    }
    let ctx = Context {
        offset_secs: opts.offset_secs,
        day_first,
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
            header: &norm_header,
            cells: &line.cells,
        };
        let result = match (layout, &opts.mapping) {
            (Some(l), _) => formats::convert(l, &rec, &ctx),
            (None, Some(m)) => formats::mapped(m, &rec, &ctx),
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
    Ok(Statement {
        format: layout.map_or(Format::Csv, |l| l.format),
        layout: layout
            .map_or("CSV with your columns", |l| l.name)
            .to_string(),
        encoding: sheet.encoding,
        columns: header,
        rows,
        rejected,
        warnings,
    })
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
        let mut st = self.preview_statement(att.case_id, &bytes, opts)?;
        let picked = pick(&st, selection)?;
        self.write(|tx| {
            mark_duplicates(tx, att.case_id, &mut st)?;
            write_rows(tx, att.case_id, &st, &picked, Some(att.id)).map(|(imported, skipped)| {
                ImportReport {
                    layout: st.layout.clone(),
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
