//! What needs the user's attention: follow-ups support promised, case
//! deadlines (such as the last day to claim a refund) and the days from which
//! a case can be escalated, oldest first — after the cases with open
//! scam-shield red flags, which come first.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};
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
    /// The provider's time to answer the complaint has run out: the case can
    /// go to the next step of its escalation route from this date.
    Escalation,
    /// The case has scam-shield red flags: look at them before anything else.
    Warning,
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
    /// For an escalation: the route id (`rules/escalation.toml`).
    pub route: Option<String>,
    /// Scam-shield red flags open in the case (a case that is not resolved
    /// or closed); such cases come first.
    pub warnings: usize,
    /// What a reminder about it, and a snooze, name: `contact:<id>`,
    /// `deadline:<case id>`, `escalation:<case id>` (none for a warning).
    pub item: Option<String>,
    /// No reminder about it before this day (the user snoozed it).
    pub snoozed_until: Option<NaiveDate>,
}

impl Journal {
    /// Follow-ups not yet marked done and deadlines of cases that are not
    /// resolved or closed, dated up to `today + within_days`, oldest first;
    /// cases with open red flags first, each with a `warning` item. (The
    /// prompt to verify an unregistered contact point is not a red flag.)
    pub fn due(&self, today: NaiveDate, within_days: i64) -> Result<Vec<DueItem>> {
        self.due_items(today, within_days, true)
    }

    /// [`Journal::due`] without the red flags (`warnings`: false): what the
    /// reminders need. The red flags run the shield over every open case's
    /// texts, which took 9.5 minutes on a journal of 20,000 cases and
    /// 1,000,000 contacts; the reminders run at start and every five
    /// minutes.
    pub(crate) fn due_items(
        &self,
        today: NaiveDate,
        within_days: i64,
        warnings: bool,
    ) -> Result<Vec<DueItem>> {
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
                route: None,
                warnings: 0,
                item: None,
                snoozed_until: None,
            });
        }
        // "You can escalate from <date>" for unfinished cases with a route.
        let mut stmt = conn.prepare(
            "SELECT id, title FROM cases WHERE escalation_route IS NOT NULL AND status NOT IN ('resolved', 'closed') ORDER BY id",
        )?;
        let routed = stmt
            .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (case_id, case_title) in routed {
            let Some(e) = self.escalation(case_id)? else {
                continue;
            };
            let Some(date) = e.can_escalate_from.filter(|d| *d <= until) else {
                continue;
            };
            let days = (date - today).num_days();
            out.push(DueItem {
                kind: DueKind::Escalation,
                date,
                days,
                overdue: false,
                case_id,
                case_title,
                contact_id: None,
                promise: e
                    .clocks
                    .first()
                    .map(|c| c.after_en.clone())
                    .unwrap_or_default(),
                route: Some(e.route),
                warnings: 0,
                item: None,
                snoozed_until: None,
            });
        }
        // Open red flags, by case.
        let mut red: std::collections::BTreeMap<i64, (String, Vec<String>)> = Default::default();
        let mut open = conn.prepare(
            "SELECT id, title FROM cases WHERE status NOT IN ('resolved', 'closed') ORDER BY id",
        )?;
        let open_cases = if warnings {
            open.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?
        } else {
            Vec::new()
        };
        for (case_id, title) in open_cases {
            let reasons: Vec<String> = self
                .scan(Some(case_id))?
                .flags
                .into_iter()
                .filter(|f| f.flag.is_red())
                .map(|f| f.flag.reason_en)
                .collect();
            if !reasons.is_empty() {
                red.insert(case_id, (title, reasons));
            }
        }
        for item in &mut out {
            item.warnings = red.get(&item.case_id).map_or(0, |(_, r)| r.len());
        }
        for (case_id, (case_title, reasons)) in red {
            let mut distinct = reasons.clone();
            distinct.dedup();
            out.push(DueItem {
                kind: DueKind::Warning,
                date: today,
                days: 0,
                overdue: false,
                case_id,
                case_title,
                contact_id: None,
                promise: distinct.first().cloned().unwrap_or_default(),
                route: None,
                warnings: reasons.len(),
                item: None,
                snoozed_until: None,
            });
        }
        let mut snoozes = conn
            .prepare("SELECT until_day FROM reminder_snoozes WHERE item = ?1 AND until_day > ?2")?;
        for i in &mut out {
            i.item = match i.kind {
                DueKind::FollowUp => i.contact_id.map(|id| format!("contact:{id}")),
                DueKind::Deadline => Some(format!("deadline:{}", i.case_id)),
                DueKind::Escalation => Some(format!("escalation:{}", i.case_id)),
                DueKind::Warning => None,
            };
            if let Some(item) = &i.item {
                let until: Option<String> = snoozes
                    .query_row(params![item, today.to_string()], |r| r.get(0))
                    .optional()?;
                i.snoozed_until =
                    until.and_then(|u| NaiveDate::parse_from_str(&u, "%Y-%m-%d").ok());
            }
        }
        out.sort_by_key(|i| {
            (
                i.warnings == 0,
                i.kind != DueKind::Warning,
                i.date,
                i.case_id,
            )
        });
        Ok(out)
    }
}
