//! Keeping the search index in step with the journal. Every function here runs
//! inside the caller's write transaction, so an entry and its index document
//! are saved together or not at all.

use rusqlite::{Connection, OptionalExtension, params};

use super::tokenize::{identifier_like_words, push_body_tokens, push_id_tokens};
use crate::error::Result;
use crate::model::Channel;
use crate::time::At;

/// Slots per minute in a docid: docid = minutes since epoch × 16 + slot.
/// Minutes rather than seconds keep consecutive docids close together, so the
/// rowid deltas FTS5 stores for every token stay one byte long.
pub(crate) const SLOTS: i64 = 16;

/// The first docid of the minute that contains `utc_ms`.
pub(crate) fn docid_floor(utc_ms: i64) -> i64 {
    utc_ms.div_euclid(60_000) * SLOTS
}

/// What kind of entry a search document stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DocKind {
    Case = 1,
    Contact = 2,
    Note = 3,
    Transaction = 4,
    Attachment = 5,
}

impl DocKind {
    pub(crate) fn from_i64(v: i64) -> Option<DocKind> {
        Some(match v {
            1 => DocKind::Case,
            2 => DocKind::Contact,
            3 => DocKind::Note,
            4 => DocKind::Transaction,
            5 => DocKind::Attachment,
            _ => return None,
        })
    }

    pub(crate) fn filter_token(self) -> &'static str {
        match self {
            DocKind::Case => "kcase",
            DocKind::Contact => "kcontact",
            DocKind::Note => "knote",
            DocKind::Transaction => "ktxn",
            DocKind::Attachment => "kfile",
        }
    }
}

pub(crate) fn case_token(case_id: i64) -> String {
    format!("c{case_id}")
}

pub(crate) fn channel_token(channel: Channel) -> String {
    format!("ch{}", channel.key().replace('_', ""))
}

/// The searchable text of one entry.
pub(crate) struct Doc<'a> {
    pub kind: DocKind,
    pub entity_id: i64,
    pub case_id: i64,
    pub at: At,
    pub channel: Option<Channel>,
    /// Free text: titles, what was asked, replies, notes...
    pub text: Vec<&'a str>,
    /// Identifiers searched by fragment: reference numbers, transaction IDs,
    /// contact points.
    pub ids: Vec<&'a str>,
}

/// Adds or replaces the index document of an entry.
pub(crate) fn put(conn: &Connection, doc: &Doc<'_>) -> Result<()> {
    remove(conn, doc.kind, doc.entity_id)?;
    let mut body = String::new();
    let mut ids = String::new();
    for t in &doc.text {
        push_body_tokens(t, &mut body);
        for w in identifier_like_words(t) {
            push_id_tokens(&w, &mut ids);
        }
    }
    for id in &doc.ids {
        if !push_id_tokens(id, &mut ids) {
            // Too short for fragments: still findable as a word.
            push_body_tokens(id, &mut body);
        }
    }
    let mut f = format!("{} {}", doc.kind.filter_token(), case_token(doc.case_id));
    if let Some(ch) = doc.channel {
        f.push(' ');
        f.push_str(&channel_token(ch));
    }
    let docid = free_docid(conn, doc.at)?;
    conn.execute(
        "INSERT INTO search_doc (docid, kind, entity_id, case_id) VALUES (?1, ?2, ?3, ?4)",
        params![docid, doc.kind as i64, doc.entity_id, doc.case_id],
    )?;
    conn.execute(
        "INSERT INTO search_fts (rowid, body, ids, f) VALUES (?1, ?2, ?3, ?4)",
        params![docid, body, ids, f],
    )?;
    Ok(())
}

/// Removes the index document of an entry, if it has one.
pub(crate) fn remove(conn: &Connection, kind: DocKind, entity_id: i64) -> Result<()> {
    let docid: Option<i64> = conn
        .query_row(
            "SELECT docid FROM search_doc WHERE kind = ?1 AND entity_id = ?2",
            params![kind as i64, entity_id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(docid) = docid {
        conn.execute("DELETE FROM search_fts WHERE rowid = ?1", [docid])?;
        conn.execute("DELETE FROM search_doc WHERE docid = ?1", [docid])?;
    }
    Ok(())
}

/// How far a document may be pushed when its minute is full: one day.
pub(crate) const OVERFLOW: i64 = 24 * 60 * SLOTS;

/// The docid for a new document at `at`: the first free slot of its minute.
/// When sixteen entries already share that minute (a bulk import), the slot
/// after the last document of the following day; search re-sorts hits by
/// their exact time and widens date ranges by this much, so order and
/// filters stay exact.
fn free_docid(conn: &Connection, at: At) -> Result<i64> {
    let base = docid_floor(at.utc_ms);
    let max_in = |hi: i64| -> Result<Option<i64>> {
        Ok(conn
            .prepare_cached("SELECT max(docid) FROM search_doc WHERE docid BETWEEN ?1 AND ?2")?
            .query_row(params![base, hi], |r| r.get(0))?)
    };
    let Some(max) = max_in(base + SLOTS - 1)? else {
        return Ok(base);
    };
    if max < base + SLOTS - 1 {
        return Ok(max + 1);
    }
    let max = max_in(base + OVERFLOW)?.unwrap_or(base);
    let mut candidate = max + 1;
    while conn
        .prepare_cached("SELECT 1 FROM search_doc WHERE docid = ?1")?
        .query_row([candidate], |_| Ok(()))
        .optional()?
        .is_some()
    {
        candidate += 1;
    }
    Ok(candidate)
}
