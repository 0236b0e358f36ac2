//! Cases: one per problem with a provider, with status, deadline and amount.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;

use crate::db::Journal;
use crate::error::{Error, Problem, Result};
use crate::model::{Category, ProviderKind, Status, preparation_checklist};
use crate::money::{Currency, Money};
use crate::providers::{self, Provider};
use crate::search::index::{self, Doc, DocKind};
use crate::time::{At, today};

/// Longest title and free-text fields accepted (in characters).
const MAX_TITLE: usize = 500;
const MAX_TEXT: usize = 1_000_000;

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Case {
    pub id: i64,
    pub title: String,
    pub provider: Option<Provider>,
    pub category: Category,
    pub status: Status,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub opened_at: At,
    pub deadline: Option<NaiveDate>,
    pub amount: Option<Money>,
    pub desired_outcome: String,
    pub summary: String,
    pub tags: Vec<String>,
    /// Whole days since the case was opened.
    pub days_open: i64,
    /// Days until the deadline (negative when it has passed).
    pub deadline_in_days: Option<i64>,
    /// The deadline has passed and the case is not resolved or closed.
    pub overdue: bool,
    /// What to have ready before contacting support, for this category,
    /// and whether the user has ticked it off.
    pub checklist: Vec<ChecklistItem>,
    /// What to do at once (fraud cases): keys the UI labels, in order.
    pub emergency_steps: Vec<String>,
    /// Where the case would escalate: a route id of `rules/escalation.toml`.
    pub escalation_route: Option<String>,
    /// The day the user first complained, if before the first logged contact.
    pub first_complaint: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ChecklistItem {
    pub item: String,
    pub done: bool,
}

/// What a user gives to open a case.
#[derive(Clone, Debug, Default)]
pub struct NewCase {
    pub title: String,
    pub provider: Option<String>,
    pub provider_kind: Option<ProviderKind>,
    pub category: Option<Category>,
    pub amount: Option<Money>,
    pub deadline: Option<NaiveDate>,
    pub desired_outcome: String,
    pub summary: String,
    pub tags: Vec<String>,
    pub opened_at: Option<At>,
    /// Checklist items already ticked off when the case is opened.
    pub checklist_done: Vec<String>,
}

/// One page of the case list and how many cases match in all.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CasePage {
    pub cases: Vec<Case>,
    pub total: u32,
}

/// The WHERE clause of the case list: ?1 status, ?2 category, ?3 provider.
const CASE_FILTER: &str = "WHERE (?1 IS NULL OR c.status = ?1) AND (?2 IS NULL OR c.category = ?2)
               AND (?3 IS NULL OR p.name = ?3 COLLATE NOCASE)";

/// Which cases to list.
#[derive(Clone, Debug, Default)]
pub struct CaseFilter {
    pub status: Option<Status>,
    pub category: Option<Category>,
    pub provider: Option<String>,
}

pub(crate) fn check_text(field: &'static str, text: &str, max: usize) -> Result<()> {
    if text.chars().count() > max {
        return Err(Error::invalid(Problem::too_long(field, max)));
    }
    Ok(())
}

fn clean_title(title: &str) -> Result<String> {
    let t = title.trim();
    if t.is_empty() {
        return Err(Error::invalid(Problem::TitleMissing {}));
    }
    check_text("title", t, MAX_TITLE)?;
    Ok(t.to_string())
}

const CASE_COLUMNS: &str =
    "c.id, c.title, c.provider_id, p.name, p.kind, c.category, c.status, c.opened_ms,
    c.opened_offset, c.deadline, c.amount, c.currency, c.desired_outcome, c.summary,
    c.escalation_route, c.first_complaint";

fn case_from_row(conn: &Connection, r: &Row<'_>) -> Result<Case> {
    let id: i64 = r.get(0)?;
    let provider = match r.get::<_, Option<i64>>(2)? {
        Some(pid) => Some(Provider {
            id: pid,
            name: r.get(3)?,
            kind: r.get(4)?,
        }),
        None => None,
    };
    let amount = match (
        r.get::<_, Option<String>>(10)?,
        r.get::<_, Option<String>>(11)?,
    ) {
        (Some(a), Some(c)) => Some(Money {
            amount: a.parse().map_err(|_| {
                Error::Conflict(Problem::CaseAmountUnreadable {
                    id,
                    input: a.clone(),
                })
            })?,
            currency: Currency::parse("currency", &c)?,
        }),
        _ => None,
    };
    let deadline: Option<String> = r.get(9)?;
    let deadline = deadline.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
    let opened_at = At::from_parts(r.get(7)?, r.get(8)?);
    let status: Status = r.get(6)?;
    let category: Category = r.get(5)?;
    let today = today();
    let deadline_in_days = deadline.map(|d| (d - today).num_days());
    let mut tags_stmt =
        conn.prepare_cached("SELECT tag FROM case_tags WHERE case_id = ?1 ORDER BY tag")?;
    let tags = tags_stmt
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    let mut done_stmt =
        conn.prepare_cached("SELECT item FROM case_checklist WHERE case_id = ?1")?;
    let done: Vec<String> = done_stmt
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let checklist = preparation_checklist(category)
        .iter()
        .map(|item| ChecklistItem {
            item: item.to_string(),
            done: done.iter().any(|d| d == item),
        })
        .collect();
    Ok(Case {
        id,
        title: r.get(1)?,
        provider,
        category,
        status,
        opened_at,
        deadline,
        amount,
        desired_outcome: r.get(12)?,
        summary: r.get(13)?,
        tags,
        days_open: (today - opened_at.local_date()).num_days().max(0),
        deadline_in_days,
        overdue: deadline_in_days.is_some_and(|d| d < 0) && !status.is_finished(),
        checklist,
        emergency_steps: crate::model::emergency_steps(category)
            .iter()
            .map(|s| s.to_string())
            .collect(),
        escalation_route: r.get(14)?,
        first_complaint: r
            .get::<_, Option<String>>(15)?
            .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
    })
}

pub(crate) fn get(conn: &Connection, id: i64) -> Result<Case> {
    let sql = format!(
        "SELECT {CASE_COLUMNS} FROM cases c LEFT JOIN providers p ON p.id = c.provider_id WHERE c.id = ?1"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query([id])?;
    match rows.next()? {
        Some(row) => case_from_row(conn, row),
        None => Err(Error::case_not_found(id)),
    }
}

pub(crate) fn ensure_exists(conn: &Connection, id: i64) -> Result<()> {
    conn.query_row("SELECT 1 FROM cases WHERE id = ?1", [id], |_| Ok(()))
        .optional()?
        .ok_or_else(|| Error::case_not_found(id))
}

pub(crate) fn reindex(conn: &Connection, case: &Case) -> Result<()> {
    let provider = case
        .provider
        .as_ref()
        .map(|p| p.name.as_str())
        .unwrap_or("");
    let mut text = vec![
        case.title.as_str(),
        case.summary.as_str(),
        case.desired_outcome.as_str(),
        provider,
    ];
    text.extend(case.tags.iter().map(String::as_str));
    index::put(
        conn,
        &Doc {
            kind: DocKind::Case,
            entity_id: case.id,
            case_id: case.id,
            at: case.opened_at,
            channel: None,
            text,
            ids: vec![],
        },
    )
}

impl Journal {
    /// Opens a new case. The provider is created on first use.
    pub fn create_case(&mut self, new: NewCase) -> Result<Case> {
        let title = clean_title(&new.title)?;
        check_text("summary", &new.summary, MAX_TEXT)?;
        check_text("desired outcome", &new.desired_outcome, MAX_TEXT)?;
        let tags: Vec<String> = new
            .tags
            .iter()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        let category = new.category.unwrap_or(Category::Other);
        let items = preparation_checklist(category);
        if let Some(bad) = new
            .checklist_done
            .iter()
            .find(|i| !items.contains(&i.as_str()))
        {
            return Err(Error::invalid(Problem::ChecklistItemUnknown {
                input: bad.clone(),
                allowed: items.iter().map(|s| s.to_string()).collect(),
            }));
        }
        let opened = new.opened_at.unwrap_or_else(At::now);
        let now = At::now();
        self.write(|tx| {
            let provider_id = match new.provider.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
                Some(name) => Some(providers::get_or_create(tx, name, new.provider_kind)?.id),
                None => None,
            };
            tx.execute(
                "INSERT INTO cases (title, provider_id, category, status, opened_ms, opened_offset, deadline,
                    amount, currency, desired_outcome, summary, created_ms, updated_ms,
                    logged_ms, logged_offset, opened_set)
                 VALUES (?1, ?2, ?3, 'open', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?4, ?5, ?12)",
                params![
                    title,
                    provider_id,
                    category,
                    opened.utc_ms,
                    opened.offset_secs,
                    new.deadline.map(|d| d.to_string()),
                    new.amount.as_ref().map(|m| m.amount.to_string()),
                    new.amount.as_ref().map(|m| m.currency.to_string()),
                    new.desired_outcome,
                    new.summary,
                    now.utc_ms,
                    new.opened_at.is_some(),
                ],
            )?;
            let id = tx.last_insert_rowid();
            for tag in &tags {
                tx.execute("INSERT OR IGNORE INTO case_tags (case_id, tag) VALUES (?1, ?2)", params![id, tag])?;
            }
            for item in &new.checklist_done {
                tx.execute(
                    "INSERT OR IGNORE INTO case_checklist (case_id, item, done_ms) VALUES (?1, ?2, ?3)",
                    params![id, item, now.utc_ms],
                )?;
            }
            tx.execute(
                "INSERT INTO case_status_changes (case_id, from_status, to_status, at_ms, at_offset)
                 VALUES (?1, NULL, 'open', ?2, ?3)",
                params![id, opened.utc_ms, opened.offset_secs],
            )?;
            let case = get(tx, id)?;
            reindex(tx, &case)?;
            Ok(case)
        })
    }

    pub fn case(&self, id: i64) -> Result<Case> {
        get(self.read(), id)
    }

    /// Cases, unfinished ones first, newest first within each group.
    pub fn list_cases(&self, filter: &CaseFilter) -> Result<Vec<Case>> {
        self.cases_in_order(filter, 0, None)
    }

    /// The cases from `offset` on, at most `limit` of them, in
    /// [`Journal::list_cases`]'s order, and how many match in all: the app
    /// shows a journal's first cases without reading all of its thousands.
    pub fn case_page(&self, filter: &CaseFilter, offset: u32, limit: u32) -> Result<CasePage> {
        let cases = self.cases_in_order(filter, offset, Some(limit))?;
        let total: i64 = self.read().query_row(
            &format!("SELECT COUNT(*) FROM cases c LEFT JOIN providers p ON p.id = c.provider_id {CASE_FILTER}"),
            params![filter.status, filter.category, filter.provider],
            |r| r.get(0),
        )?;
        Ok(CasePage {
            cases,
            total: u32::try_from(total).unwrap_or(u32::MAX),
        })
    }

    fn cases_in_order(
        &self,
        filter: &CaseFilter,
        offset: u32,
        limit: Option<u32>,
    ) -> Result<Vec<Case>> {
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM cases c LEFT JOIN providers p ON p.id = c.provider_id {CASE_FILTER}
             ORDER BY c.status IN ('resolved', 'closed'), c.opened_ms DESC, c.id DESC
             LIMIT ?4 OFFSET ?5"
        );
        let conn = self.read();
        let mut stmt = conn.prepare(&sql)?;
        // SQLite reads a negative LIMIT as no limit.
        let limit = limit.map_or(-1, i64::from);
        let mut rows = stmt.query(params![
            filter.status,
            filter.category,
            filter.provider,
            limit,
            offset
        ])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(case_from_row(conn, row)?);
        }
        Ok(out)
    }

    /// Ticks off (or un-ticks) an item of the case's preparation checklist.
    pub fn set_checklist_item(&mut self, case_id: i64, item: &str, done: bool) -> Result<Case> {
        let now = At::now();
        self.write(|tx| {
            let case = get(tx, case_id)?;
            if !case.checklist.iter().any(|c| c.item == item) {
                let items: Vec<&str> = case.checklist.iter().map(|c| c.item.as_str()).collect();
                return Err(Error::invalid(Problem::ChecklistItemUnknown {
                    input: item.to_string(),
                    allowed: items.iter().map(|s| s.to_string()).collect(),
                }));
            }
            if done {
                tx.execute(
                    "INSERT OR IGNORE INTO case_checklist (case_id, item, done_ms) VALUES (?1, ?2, ?3)",
                    params![case_id, item, now.utc_ms],
                )?;
            } else {
                tx.execute("DELETE FROM case_checklist WHERE case_id = ?1 AND item = ?2", params![case_id, item])?;
            }
            get(tx, case_id)
        })
    }

    /// Moves a case to a new status; the change is kept in the case's timeline.
    pub fn set_case_status(&mut self, id: i64, status: Status) -> Result<Case> {
        let now = At::now();
        self.write(|tx| {
            let case = get(tx, id)?;
            if case.status == status {
                return Ok(case);
            }
            tx.execute(
                "INSERT INTO case_status_changes (case_id, from_status, to_status, at_ms, at_offset)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, case.status, status, now.utc_ms, now.offset_secs],
            )?;
            tx.execute(
                "UPDATE cases SET status = ?1, updated_ms = ?2 WHERE id = ?3",
                params![status, now.utc_ms, id],
            )?;
            get(tx, id)
        })
    }
}
