//! Transaction records attached to a case.

use rusqlite::{Connection, OptionalExtension, Row, params};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::cases::{check_text, ensure_exists};
use crate::db::Journal;
use crate::error::{Error, Problem, Result};
use crate::model::Direction;
use crate::money::{Currency, Money};
use crate::revisions;
use crate::search::index::{self, Doc, DocKind};
use crate::time::At;

impl revisions::Revisable for Transaction {
    const TRASH: revisions::Trashable = TRANSACTIONS;
    fn get(conn: &Connection, id: i64) -> Result<Self> {
        get(conn, id)
    }
    fn in_trash(&self) -> bool {
        self.deleted_at.is_some()
    }
    fn reindex(&self, conn: &Connection) -> Result<()> {
        reindex(conn, self)
    }
    /// The same transaction ID was recorded again while this one was in
    /// the trash: restoring it would record it twice.
    fn check_restore(&self, conn: &Connection) -> Result<()> {
        let dup: Option<i64> = conn
            .query_row(
                "SELECT id FROM transactions WHERE case_id = ?1 AND txid = ?2 AND txid <> '' AND deleted_ms IS NULL",
                params![self.case_id, self.txid],
                |r| r.get(0),
            )
            .optional()?;
        match dup {
            Some(other) => Err(Error::Conflict(Problem::TxidRecordedAgain {
                txid: self.txid.clone(),
                other,
            })),
            None => Ok(()),
        }
    }
}

const TRANSACTIONS: revisions::Trashable = revisions::Trashable {
    table: "transactions",
    entity: "transaction",
    doc: DocKind::Transaction,
};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Transaction {
    pub id: i64,
    pub case_id: i64,
    /// The provider's transaction or order ID.
    pub txid: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub at: At,
    /// Always positive; `direction` tells which way the money went.
    pub money: Money,
    pub direction: Direction,
    /// Negative for money out: what the statement shows.
    #[serde(with = "rust_decimal::serde::str")]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub signed_amount: Decimal,
    pub counterparty: String,
    pub method: String,
    pub status: String,
    pub note: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub created_at: At,
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub deleted_at: Option<At>,
    /// The statement file (attachment) it was imported from, and its line.
    pub source_attachment_id: Option<i64>,
    pub source_line: Option<i64>,
}

/// What a user gives to record a transaction.
#[derive(Clone, Debug)]
pub struct TransactionInput {
    pub txid: String,
    pub at: At,
    /// Signed: negative for money out, unless `direction` says otherwise.
    pub amount: Decimal,
    pub currency: Currency,
    pub direction: Option<Direction>,
    pub counterparty: String,
    pub method: String,
    pub status: String,
    pub note: String,
}

const COLUMNS: &str = "id, case_id, txid, at_ms, at_offset, amount, currency, direction, counterparty, method, status, note,
    created_ms, created_offset, deleted_ms, source_attachment_id, source_line";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Transaction> {
    let amount: String = r.get(5)?;
    let amount: Decimal = amount.parse().unwrap_or_default();
    let currency: String = r.get(6)?;
    let direction: Direction = r.get(7)?;
    let deleted: Option<i64> = r.get(14)?;
    Ok(Transaction {
        id: r.get(0)?,
        case_id: r.get(1)?,
        txid: r.get(2)?,
        at: At::from_parts(r.get(3)?, r.get(4)?),
        signed_amount: if direction == Direction::Out {
            -amount
        } else {
            amount
        },
        money: Money {
            amount,
            currency: Currency::parse("currency", &currency)
                .unwrap_or_else(|_| Currency::parse("currency", "XXX").expect("valid")),
        },
        direction,
        counterparty: r.get(8)?,
        method: r.get(9)?,
        status: r.get(10)?,
        note: r.get(11)?,
        created_at: At::from_parts(r.get(12)?, r.get(13)?),
        deleted_at: deleted.map(|ms| At::from_parts(ms, 0)),
        source_attachment_id: r.get(15)?,
        source_line: r.get(16)?,
    })
}

pub(crate) fn get(conn: &Connection, id: i64) -> Result<Transaction> {
    let sql = format!("SELECT {COLUMNS} FROM transactions WHERE id = ?1");
    conn.prepare_cached(&sql)?
        .query_row([id], from_row)
        .optional()?
        .ok_or(Error::NotFound {
            what: "transaction",
            id,
        })
}

pub(crate) fn of_case(conn: &Connection, case_id: i64) -> Result<Vec<Transaction>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM transactions WHERE case_id = ?1 AND deleted_ms IS NULL ORDER BY at_ms, id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([case_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn reindex(conn: &Connection, t: &Transaction) -> Result<()> {
    index::put(
        conn,
        &Doc {
            kind: DocKind::Transaction,
            entity_id: t.id,
            case_id: t.case_id,
            at: t.at,
            channel: None,
            text: vec![&t.counterparty, &t.method, &t.status, &t.note],
            ids: vec![&t.txid],
        },
    )
}

pub(crate) fn insert(
    conn: &Connection,
    case_id: i64,
    input: &TransactionInput,
) -> Result<Transaction> {
    if input.txid.trim().is_empty() {
        return Err(Error::invalid(Problem::TxidMissing {}));
    }
    insert_from(conn, case_id, input, None, None)
}

/// A record read from a statement (line `line` of attachment `source`);
/// statements without IDs (Revolut) give records without one.
pub(crate) fn insert_imported(
    conn: &Connection,
    case_id: i64,
    input: &TransactionInput,
    source: Option<i64>,
    line: usize,
) -> Result<Transaction> {
    insert_from(conn, case_id, input, source, Some(line as i64))
}

fn insert_from(
    conn: &Connection,
    case_id: i64,
    input: &TransactionInput,
    source: Option<i64>,
    line: Option<i64>,
) -> Result<Transaction> {
    let txid = input.txid.trim();
    check_text("transaction ID", txid, 200)?;
    for (field, text) in [
        ("counterparty", &input.counterparty),
        ("method", &input.method),
        ("status", &input.status),
    ] {
        check_text(field, text, 2_000)?;
    }
    check_text("note", &input.note, 1_000_000)?;
    let direction = match (input.direction, input.amount.is_sign_negative()) {
        (None, true) => Direction::Out,
        (None, false) => Direction::In,
        (Some(Direction::In), true) if !input.amount.is_zero() => {
            return Err(Error::invalid(Problem::NegativeAmount {}));
        }
        (Some(d), _) => d,
    };
    ensure_exists(conn, case_id)?;
    let dup: Option<i64> = if txid.is_empty() {
        None
    } else {
        // `txid <> ''` lets SQLite use the partial unique index on
        // (case_id, txid); without it every insert scanned the case's
        // transactions, and a 20,000-row import took minutes.
        conn.query_row(
            "SELECT id FROM transactions WHERE case_id = ?1 AND txid = ?2 AND txid <> '' AND deleted_ms IS NULL",
            params![case_id, txid],
            |r| r.get(0),
        )
        .optional()?
    };
    if let Some(existing) = dup {
        return Err(Error::Conflict(Problem::TxidDuplicate {
            txid: txid.to_string(),
            case_id,
            existing,
        }));
    }
    let now = At::now();
    conn.execute(
        "INSERT INTO transactions (case_id, txid, at_ms, at_offset, amount, currency, direction, counterparty,
            method, status, note, created_ms, created_offset, source_attachment_id, source_line)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            case_id,
            txid,
            input.at.utc_ms,
            input.at.offset_secs,
            input.amount.abs().to_string(),
            input.currency.as_str(),
            direction,
            input.counterparty.trim(),
            input.method.trim(),
            input.status.trim(),
            input.note,
            now.utc_ms,
            now.offset_secs,
            source,
            line,
        ],
    )?;
    let t = get(conn, conn.last_insert_rowid())?;
    reindex(conn, &t)?;
    Ok(t)
}

impl Journal {
    pub fn add_transaction(
        &mut self,
        case_id: i64,
        input: TransactionInput,
    ) -> Result<Transaction> {
        self.write(|tx| insert(tx, case_id, &input))
    }

    pub fn transaction(&self, id: i64) -> Result<Transaction> {
        get(self.read(), id)
    }

    /// Moves a transaction record to the trash (restorable).
    pub fn delete_transaction(&mut self, id: i64) -> Result<Transaction> {
        self.trash(id)
    }

    pub fn restore_transaction(&mut self, id: i64) -> Result<Transaction> {
        self.untrash(id)
    }
}
