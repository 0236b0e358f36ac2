//! What needs the user's attention: follow-ups support promised and case
//! deadlines (such as the last day to claim a refund), overdue first.

use chrono::NaiveDate;
use rusqlite::params;
use serde::Serialize;

use crate::db::Journal;
use crate::error::Result;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum DueKind {
    /// Support promised to do something by this date.
    FollowUp,
    /// The case's own deadline.
    Deadline,
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DueItem {
    pub kind: DueKind,
    pub date: NaiveDate,
    /// Days from today (negative: overdue by that many days).
    pub days: i64,
    pub overdue: bool,
    pub case_id: i64,
    pub case_title: String,
    /// The contact in which the follow-up was promised.
    pub contact_id: Option<i64>,
    /// What was promised (empty for a deadline).
    pub promise: String,
}

impl Journal {
    /// Follow-ups not yet marked done and deadlines of cases that are not
    /// resolved or closed, dated up to `today + within_days`, oldest first.
    pub fn due(&self, today: NaiveDate, within_days: i64) -> Result<Vec<DueItem>> {
        let until = today + chrono::Duration::days(within_days.max(0));
        let conn = self.read();
        let mut stmt = conn.prepare(
            "SELECT 'follow_up', k.follow_up_date, c.id, c.title, k.id, k.follow_up_promise
               FROM contacts k JOIN cases c ON c.id = k.case_id
              WHERE k.follow_up_date IS NOT NULL AND k.follow_up_date <= ?1 AND k.follow_up_done = 0
                AND k.deleted_ms IS NULL AND c.status NOT IN ('resolved', 'closed')
             UNION ALL
             SELECT 'deadline', c.deadline, c.id, c.title, NULL, ''
               FROM cases c
              WHERE c.deadline IS NOT NULL AND c.deadline <= ?1 AND c.status NOT IN ('resolved', 'closed')
             ORDER BY 2, 3",
        )?;
        let rows = stmt.query_map(params![until.to_string()], |r| {
            let kind: String = r.get(0)?;
            let date: String = r.get(1)?;
            Ok((
                kind,
                date,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<i64>>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (kind, date, case_id, case_title, contact_id, promise) = row?;
            let Ok(date) = NaiveDate::parse_from_str(&date, "%Y-%m-%d") else {
                continue;
            };
            let days = (date - today).num_days();
            out.push(DueItem {
                kind: if kind == "deadline" {
                    DueKind::Deadline
                } else {
                    DueKind::FollowUp
                },
                date,
                days,
                overdue: days < 0,
                case_id,
                case_title,
                contact_id,
                promise,
            });
        }
        Ok(out)
    }
}
