//! Search over everything in the journal, in Chinese and English.
//!
//! The index is one contentless FTS5 table whose documents are prepared in
//! Rust (see [`tokenize`]). Document ids encode the entry's time, so the
//! newest matches come first straight out of the index (`ORDER BY rowid DESC`
//! with a LIMIT stops after the first page) and a date range is a rowid range:
//! a common word with hundreds of thousands of hits costs no more than a rare
//! one. Results are ordered newest first.

pub(crate) mod index;
pub mod query;
pub mod snippet;
pub mod tokenize;

use std::collections::HashSet;

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use crate::db::Journal;
use crate::error::{Error, Problem, Result};
use crate::model::{Channel, Status};
use crate::time::{At, start_of_day};
use crate::{cases, contacts, evidence, notes, transactions};
use index::{DocKind, OVERFLOW, SLOTS, case_token, channel_token, docid_floor};
use query::{ParsedQuery, quote};
use snippet::{Needles, SnippetPart};

/// What a hit is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum HitKind {
    Case,
    Contact,
    Note,
    Transaction,
    Attachment,
}

impl HitKind {
    pub fn parse(input: &str) -> Result<HitKind> {
        Ok(match input.trim().to_lowercase().as_str() {
            "case" | "cases" => HitKind::Case,
            "contact" | "contacts" => HitKind::Contact,
            "note" | "notes" => HitKind::Note,
            "transaction" | "transactions" | "txn" => HitKind::Transaction,
            "file" | "files" | "attachment" | "attachments" => HitKind::Attachment,
            other => {
                return Err(Error::invalid(Problem::unknown_value(
                    "kind",
                    other,
                    &["case", "contact", "note", "transaction", "file"],
                )));
            }
        })
    }

    fn doc_kind(self) -> DocKind {
        match self {
            HitKind::Case => DocKind::Case,
            HitKind::Contact => DocKind::Contact,
            HitKind::Note => DocKind::Note,
            HitKind::Transaction => DocKind::Transaction,
            HitKind::Attachment => DocKind::Attachment,
        }
    }
}

/// A search and its filters.
#[derive(Clone, Debug)]
pub struct SearchQuery {
    pub text: String,
    pub case_id: Option<i64>,
    pub channel: Option<Channel>,
    pub kind: Option<HitKind>,
    pub status: Option<Status>,
    pub provider: Option<String>,
    /// First day included, on this computer's calendar.
    pub from: Option<NaiveDate>,
    /// Last day included.
    pub to: Option<NaiveDate>,
    pub limit: usize,
}

impl SearchQuery {
    pub fn new(text: impl Into<String>) -> SearchQuery {
        SearchQuery {
            text: text.into(),
            case_id: None,
            channel: None,
            kind: None,
            status: None,
            provider: None,
            from: None,
            to: None,
            limit: 20,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Hit {
    pub kind: HitKind,
    pub id: i64,
    pub case_id: i64,
    pub case_title: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub at: At,
    /// Which field the snippet comes from (reply, asked, title...).
    pub field: &'static str,
    /// The snippet as plain text.
    pub snippet: String,
    /// The snippet split into plain and matching parts.
    pub snippet_parts: Vec<SnippetPart>,
    /// Scam-shield warnings on this entry (a contact or a note).
    pub warnings: Vec<crate::shield::Flag>,
}

/// Above this many cases, a status or provider filter is applied to hits
/// rather than inside the index query.
const MAX_CASES_IN_QUERY: usize = 64;
const BATCH: i64 = 200;

/// The most words and phrases one search looks for.
pub const MAX_TERMS: usize = 64;

impl Journal {
    /// Finds entries matching `q`, newest first.
    pub fn search(&self, q: &SearchQuery) -> Result<Vec<Hit>> {
        let conn = self.read();
        if q.limit == 0 {
            return Ok(Vec::new());
        }
        if let (Some(from), Some(to)) = (q.from, q.to)
            && from > to
        {
            return Err(Error::invalid(Problem::RangeReversed {
                from: from.to_string(),
                to: to.to_string(),
            }));
        }
        let parsed = ParsedQuery::parse(&q.text);
        if parsed.terms() > MAX_TERMS {
            return Err(Error::invalid(Problem::TooManyTerms {
                count: parsed.terms() as u64,
                max: MAX_TERMS as u64,
            }));
        }
        let mut filters = Vec::new();
        if let Some(case_id) = q.case_id {
            cases::ensure_exists(conn, case_id)?;
            filters.push(format!("f : {}", quote(&case_token(case_id))));
        }
        if let Some(ch) = q.channel {
            filters.push(format!("f : {}", quote(&channel_token(ch))));
        }
        if let Some(kind) = q.kind {
            filters.push(format!("f : {}", quote(kind.doc_kind().filter_token())));
        }
        // Status and provider belong to cases: turn them into a set of cases.
        let mut allowed_cases: Option<HashSet<i64>> = None;
        if q.status.is_some() || q.provider.is_some() {
            let mut stmt = conn.prepare(
                "SELECT c.id FROM cases c LEFT JOIN providers p ON p.id = c.provider_id
                 WHERE (?1 IS NULL OR c.status = ?1) AND (?2 IS NULL OR p.name = ?2 COLLATE NOCASE)",
            )?;
            let ids: HashSet<i64> = stmt
                .query_map(params![q.status, q.provider], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            if ids.len() <= MAX_CASES_IN_QUERY {
                let list: Vec<String> = ids.iter().map(|id| quote(&case_token(*id))).collect();
                filters.push(format!("f : ({})", list.join(" OR ")));
            } else {
                allowed_cases = Some(ids);
            }
        }
        let Some(expr) = parsed.to_fts(&filters) else {
            return Ok(Vec::new());
        };
        let offset = At::now().offset();
        // Exact bounds in milliseconds; the docid range is widened at the top
        // because a crowded minute pushes docids later (see index::free_docid).
        let from_ms = q.from.map_or(i64::MIN, |d| start_of_day(d, offset));
        let to_ms = q.to.map_or(i64::MAX, |d| {
            start_of_day(d + chrono::Duration::days(1), offset) - 1
        });
        let lo = if q.from.is_some() {
            docid_floor(from_ms)
        } else {
            i64::MIN
        };
        let mut hi = if q.to.is_some() {
            docid_floor(to_ms) + SLOTS + OVERFLOW
        } else {
            i64::MAX
        };

        let mut found: Vec<(DocKind, i64, i64, i64)> = Vec::new();
        let mut ids_stmt = conn.prepare_cached(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH ?1 AND rowid BETWEEN ?2 AND ?3
             ORDER BY rowid DESC LIMIT ?4",
        )?;
        let mut doc_stmt = conn
            .prepare_cached("SELECT kind, entity_id, case_id FROM search_doc WHERE docid = ?1")?;
        'outer: loop {
            let batch: Vec<i64> = ids_stmt
                .query_map(params![expr, lo, hi, BATCH], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for &docid in &batch {
                let Some((kind, entity_id, case_id)) = doc_stmt
                    .query_row([docid], |r| {
                        Ok((
                            r.get::<_, i64>(0)?,
                            r.get::<_, i64>(1)?,
                            r.get::<_, i64>(2)?,
                        ))
                    })
                    .optional()?
                else {
                    continue;
                };
                if allowed_cases
                    .as_ref()
                    .is_some_and(|set| !set.contains(&case_id))
                {
                    continue;
                }
                let Some(kind) = DocKind::from_i64(kind) else {
                    continue;
                };
                found.push((kind, entity_id, case_id, docid));
                if found.len() >= q.limit {
                    break 'outer;
                }
            }
            match batch.last() {
                Some(&last) if batch.len() as i64 == BATCH => hi = last - 1,
                _ => break,
            }
        }

        let needles = Needles::from_query(&parsed);
        let mut register = None;
        let mut titles = std::collections::HashMap::new();
        let mut hits = Vec::with_capacity(found.len());
        for (kind, id, case_id, _) in found {
            let mut warnings = Vec::new();
            let (case_title, provider) = match titles.get(&case_id) {
                Some(known) => Clone::clone(known),
                None => {
                    let known: (String, Option<i64>) = conn.query_row(
                        "SELECT title, provider_id FROM cases WHERE id = ?1",
                        [case_id],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )?;
                    titles.insert(case_id, known.clone());
                    known
                }
            };
            let (hit_kind, at, field, parts) = match kind {
                DocKind::Case => {
                    let c = cases::get(conn, id)?;
                    let tags = c.tags.join(" ");
                    let (field, parts) = snippet::build(
                        &[
                            ("title", &c.title),
                            ("summary", &c.summary),
                            ("desired_outcome", &c.desired_outcome),
                            ("tags", &tags),
                        ],
                        &needles,
                    );
                    (HitKind::Case, c.opened_at, field, parts)
                }
                DocKind::Contact => {
                    let c = contacts::get(conn, id)?;
                    let refs: Vec<String> = c.references.iter().map(|r| r.value.clone()).collect();
                    let refs = refs.join(" · ");
                    let promise = c
                        .follow_up
                        .as_ref()
                        .map(|f| f.promise.clone())
                        .unwrap_or_default();
                    let (field, parts) = snippet::build(
                        &[
                            ("reply", &c.reply),
                            ("asked", &c.asked),
                            ("references", &refs),
                            ("agent", &c.agent),
                            ("via", &c.via),
                            ("outcome", &c.outcome),
                            ("promise", &promise),
                        ],
                        &needles,
                    );
                    warnings = crate::shield::check_text(&c.reply);
                    for f in crate::shield::check_text(&c.asked) {
                        if !warnings.iter().any(|w| w.rule_id == f.rule_id) {
                            warnings.push(f);
                        }
                    }
                    if register.is_none() {
                        register = Some(crate::channels::Register::load(conn)?);
                    }
                    if let Some(reg) = &register {
                        warnings.extend(
                            reg.check(provider, Some(c.id), c.channel, &c.via)
                                .iter()
                                .map(crate::channels::ChannelFlag::to_flag),
                        );
                    }
                    (HitKind::Contact, c.at, field, parts)
                }
                DocKind::Note => {
                    let n = notes::get(conn, id)?;
                    let (field, parts) = snippet::build(&[("text", &n.text)], &needles);
                    warnings = crate::shield::check_text(&n.text);
                    (HitKind::Note, n.at, field, parts)
                }
                DocKind::Transaction => {
                    let t = transactions::get(conn, id)?;
                    let (field, parts) = snippet::build(
                        &[
                            ("txid", &t.txid),
                            ("counterparty", &t.counterparty),
                            ("note", &t.note),
                            ("method", &t.method),
                            ("status", &t.status),
                        ],
                        &needles,
                    );
                    (HitKind::Transaction, t.at, field, parts)
                }
                DocKind::Attachment => {
                    let a = evidence::get(conn, id)?;
                    let text = evidence::text_of(conn, id)?;
                    let (field, parts) =
                        snippet::build(&[("name", &a.name), ("text", &text)], &needles);
                    (HitKind::Attachment, a.added_at, field, parts)
                }
            };
            if at.utc_ms < from_ms || at.utc_ms > to_ms {
                continue;
            }
            hits.push(Hit {
                kind: hit_kind,
                id,
                case_id,
                case_title,
                at,
                field,
                snippet: snippet::plain(&parts),
                snippet_parts: parts,
                warnings,
            });
        }
        // Docids order by minute; order exactly within it.
        hits.sort_by(|a, b| b.at.utc_ms.cmp(&a.at.utc_ms).then(b.id.cmp(&a.id)));
        Ok(hits)
    }

    /// Bytes used by the search index (FTS5 tables and the docid map).
    pub fn index_size(&self) -> Result<i64> {
        Ok(self.read().query_row(
            "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'search%' OR name = 'sqlite_autoindex_search_doc_1'",
            [],
            |r| r.get(0),
        )?)
    }

    /// Merges the index into as few segments as possible (after bulk loads).
    pub fn optimize_index(&mut self) -> Result<()> {
        self.read().execute(
            "INSERT INTO search_fts (search_fts) VALUES ('optimize')",
            [],
        )?;
        Ok(())
    }
}
