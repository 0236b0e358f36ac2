//! Reminders: what the Due view holds, told to the user as a desktop
//! notification, so that it reaches a user who has not opened the app — a
//! follow-up support promised for today, a promise that was not kept, a case
//! deadline tomorrow (or today), the day a complaint can be escalated.
//!
//! The rules live here, so the app (at start, while it runs) and
//! `casebook due --notify` (for cron or a systemd timer) tell the same
//! things: each reminder once, at most one a day for one item, nothing in
//! the user's quiet hours, nothing of a kind the user turned off, nothing
//! for an item snoozed until a later day. The journal keeps what was told
//! (`reminders_sent`, schema 7), so two faces never tell it twice.

use chrono::NaiveDate;
use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::db::Journal;
use crate::due::DueKind;
use crate::error::{Error, Problem, Result};
use crate::export::labels;
use crate::model::Lang;
use crate::time::At;

// The choices are settings (floor 1); the rules that use them are here.
pub use crate::settings::{ReminderKind, ReminderSettings, parse_hhmm};

/// A reminder to tell now.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Reminder {
    /// The item it is about: `contact:<id>`, `deadline:<case id>`,
    /// `escalation:<case id>` (what a snooze names).
    pub item: String,
    pub kind: ReminderKind,
    pub case_id: i64,
    /// The contact to open (a follow-up or a promise not kept).
    pub contact_id: Option<i64>,
    /// The date it is about (the promised day, the deadline, the first day
    /// of escalation).
    pub date: NaiveDate,
    /// The notification's title and text, in the language asked for.
    pub title: String,
    pub body: String,
}

/// The entry a clicked reminder opens: its case, and the contact when it is
/// about one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ReminderTarget {
    pub case_id: i64,
    pub contact_id: Option<i64>,
}

impl Reminder {
    /// The entry to open when this reminder is clicked.
    pub fn target(&self) -> ReminderTarget {
        ReminderTarget {
            case_id: self.case_id,
            contact_id: self.contact_id,
        }
    }

    /// The body for a notification server that reads markup (`body-markup`:
    /// `<b>`, `<a href>`…): the user's words are text, so `&`, `<` and `>`
    /// are escaped.
    pub fn body_escaped(&self) -> String {
        escape_markup(&self.body)
    }
}

/// `&`, `<`, `>` escaped for a notification body.
pub fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

impl Journal {
    /// The reminders to tell at `now` (the user's local time is `now`'s
    /// offset), in `lang`: nothing in quiet hours or when reminders are
    /// off; nothing already told, nothing for an item told something today,
    /// nothing for a snoozed item. Telling them is the caller's; it then
    /// calls [`Journal::mark_reminded`].
    pub fn reminders(&self, now: At, lang: Lang) -> Result<Vec<Reminder>> {
        let settings = self.settings()?.reminders;
        if !settings.enabled || settings.quiet_at(now.local_time()) {
            return Ok(Vec::new());
        }
        self.reminders_ignoring_quiet_hours(now, lang, &settings)
    }

    fn reminders_ignoring_quiet_hours(
        &self,
        now: At,
        lang: Lang,
        settings: &ReminderSettings,
    ) -> Result<Vec<Reminder>> {
        let today = now.local_date();
        // Deadlines a day ahead; everything else up to today.
        let mut out: Vec<Reminder> = Vec::new();
        for d in self.due_items(today, 1, false)? {
            let kind = match d.kind {
                DueKind::FollowUp if d.days == 0 => ReminderKind::FollowUp,
                DueKind::FollowUp if d.days < 0 => ReminderKind::NotKept,
                DueKind::Deadline if (0..=1).contains(&d.days) => ReminderKind::Deadline,
                DueKind::Escalation if d.days <= 0 => ReminderKind::Escalation,
                _ => continue,
            };
            let Some(item) = d.item.clone() else {
                continue;
            };
            // Snoozed past today: `due` read the snooze already.
            if !settings.wants(kind)
                || d.snoozed_until.is_some()
                || self.told(&item, kind, d.date, today)?
            {
                continue;
            }
            // One a day for one item: the first (oldest) wins.
            if out.iter().any(|r| r.item == item) {
                continue;
            }
            let (title, body) = self.words(kind, &d, lang)?;
            out.push(Reminder {
                item,
                kind,
                case_id: d.case_id,
                contact_id: d.contact_id,
                date: d.date,
                title,
                body,
            });
        }
        Ok(out)
    }

    /// Told already, or something else about the item told today.
    fn told(
        &self,
        item: &str,
        kind: ReminderKind,
        date: NaiveDate,
        today: NaiveDate,
    ) -> Result<bool> {
        Ok(self.read().query_row(
            "SELECT EXISTS (SELECT 1 FROM reminders_sent
                             WHERE item = ?1 AND ((kind = ?2 AND event_date = ?3) OR sent_day = ?4))",
            params![item, kind.code(), date.to_string(), today.to_string()],
            |r| r.get(0),
        )?)
    }

    fn words(
        &self,
        kind: ReminderKind,
        d: &crate::due::DueItem,
        lang: Lang,
    ) -> Result<(String, String)> {
        let zh = lang == Lang::Zh;
        let case = &d.case_title;
        Ok(match kind {
            ReminderKind::FollowUp | ReminderKind::NotKept => {
                let promise = if d.promise.trim().is_empty() {
                    lang.pick("a follow-up", "跟进").to_string()
                } else {
                    d.promise.trim().to_string()
                };
                let refs = match d.contact_id {
                    Some(id) => self
                        .contact(id)?
                        .references
                        .iter()
                        .take(2)
                        .map(|r| format!("{} {}", labels::ref_kind(lang, r.kind), r.value))
                        .collect::<Vec<_>>(),
                    None => Vec::new(),
                };
                let mut body = if kind == ReminderKind::FollowUp {
                    if zh {
                        format!("客服承诺今天：{promise}")
                    } else {
                        format!("Support promised for today: {promise}")
                    }
                } else if zh {
                    format!("客服承诺在 {} 前：{promise}，至今没有标记为已完成", d.date)
                } else {
                    format!(
                        "Support promised by {}: {promise}. It is not marked done.",
                        d.date
                    )
                };
                for r in refs {
                    body.push_str(" · ");
                    body.push_str(&r);
                }
                let title = match (kind, zh) {
                    (ReminderKind::FollowUp, true) => format!("今天到期的跟进 · {case}"),
                    (ReminderKind::FollowUp, false) => format!("Follow-up due today · {case}"),
                    (_, true) => format!("客服的承诺没有兑现 · {case}"),
                    (_, false) => format!("A promise was not kept · {case}"),
                };
                (title, body)
            }
            ReminderKind::Deadline => {
                let title = match (d.days, zh) {
                    (0, true) => format!("今天是截止日期 · {case}"),
                    (0, false) => format!("The deadline is today · {case}"),
                    (_, true) => format!("明天是截止日期 · {case}"),
                    (_, false) => format!("The deadline is tomorrow · {case}"),
                };
                let body = if zh {
                    format!(
                        "案件“{case}”的截止日期是 {}（例如申请退款的最后一天）。",
                        d.date
                    )
                } else {
                    format!(
                        "The case \u{201c}{case}\u{201d} has its deadline on {} (such as the last day to claim a refund).",
                        d.date
                    )
                };
                (title, body)
            }
            ReminderKind::Escalation => {
                let e = self.escalation(d.case_id)?;
                let (name, after) = match &e {
                    Some(e) => {
                        let after = e.clocks.first();
                        (
                            lang.pick(&e.name_en, &e.name_zh).to_string(),
                            after
                                .map(|c| lang.pick(&c.after_en, &c.after_zh).to_string())
                                .unwrap_or_default(),
                        )
                    }
                    None => (String::new(), String::new()),
                };
                let title = if zh {
                    format!("从今天起可以升级投诉 · {case}")
                } else {
                    format!("From today you can escalate · {case}")
                };
                let body = match (after.is_empty(), zh) {
                    (false, true) => format!("{after} {}。（{name}）", d.date),
                    (false, false) => format!("{after} {}. ({name})", d.date),
                    (true, true) => format!("从 {} 起可以向{name}投诉。", d.date),
                    (true, false) => format!("From {} you can complain to {name}.", d.date),
                };
                (title, body)
            }
        })
    }

    /// Records that `told` were told at `now`.
    pub fn mark_reminded(&mut self, told: &[Reminder], now: At) -> Result<()> {
        let day = now.local_date().to_string();
        self.write(|tx| {
            for r in told {
                tx.execute(
                    "INSERT OR IGNORE INTO reminders_sent (item, kind, event_date, sent_day, sent_ms)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![r.item, r.kind.code(), r.date.to_string(), day, now.utc_ms],
                )?;
            }
            Ok(())
        })
    }

    /// "Remind me later": nothing about `item` before `until` (a local
    /// date); `None` removes the snooze.
    pub fn snooze_reminder(&mut self, item: &str, until: Option<NaiveDate>) -> Result<()> {
        if !valid_item(item) {
            return Err(Error::invalid(Problem::unknown_value(
                "reminder item",
                item,
                &["contact:<id>", "deadline:<case id>", "escalation:<case id>"],
            )));
        }
        self.write(|tx| {
            match until {
                Some(day) => tx.execute(
                    "INSERT INTO reminder_snoozes (item, until_day) VALUES (?1, ?2)
                     ON CONFLICT(item) DO UPDATE SET until_day = excluded.until_day",
                    params![item, day.to_string()],
                )?,
                None => tx.execute("DELETE FROM reminder_snoozes WHERE item = ?1", [item])?,
            };
            Ok(())
        })
    }

    /// The items snoozed past `today`, with the day each wakes up.
    pub fn snoozed(&self, today: NaiveDate) -> Result<Vec<(String, NaiveDate)>> {
        let mut stmt = self.read().prepare(
            "SELECT item, until_day FROM reminder_snoozes WHERE until_day > ?1 ORDER BY item",
        )?;
        let rows = stmt.query_map([today.to_string()], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (item, day) = row?;
            if let Ok(day) = NaiveDate::parse_from_str(&day, "%Y-%m-%d") {
                out.push((item, day));
            }
        }
        Ok(out)
    }
}

fn valid_item(item: &str) -> bool {
    let Some((kind, id)) = item.split_once(':') else {
        return false;
    };
    matches!(kind, "contact" | "deadline" | "escalation")
        && !id.is_empty()
        && id.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> chrono::NaiveTime {
        parse_hhmm(s).unwrap()
    }

    #[test]
    fn quiet_hours_across_midnight_and_within_a_day() {
        let night = ReminderSettings::default();
        assert!(night.quiet_at(t("22:00")));
        assert!(night.quiet_at(t("03:10")));
        assert!(!night.quiet_at(t("08:00")));
        assert!(!night.quiet_at(t("21:59")));
        let lunch = ReminderSettings {
            quiet_from: Some("12:00".into()),
            quiet_to: Some("13:30".into()),
            ..ReminderSettings::default()
        };
        assert!(lunch.quiet_at(t("12:45")));
        assert!(!lunch.quiet_at(t("13:30")));
        let none = ReminderSettings {
            quiet_from: None,
            quiet_to: None,
            ..ReminderSettings::default()
        };
        assert!(!none.quiet_at(t("03:00")));
    }

    #[test]
    fn user_text_is_not_markup_in_a_notification() {
        assert_eq!(
            escape_markup("<a href=\"http://x.top\">退款</a> & more"),
            "&lt;a href=\"http://x.top\"&gt;退款&lt;/a&gt; &amp; more"
        );
    }

    #[test]
    fn items_are_checked() {
        assert!(valid_item("contact:12"));
        assert!(valid_item("deadline:3"));
        assert!(!valid_item("contact:"));
        assert!(!valid_item("case:3"));
        assert!(!valid_item("contact:1;DROP"));
        assert_eq!(
            ReminderKind::parse("Not-Kept").unwrap(),
            ReminderKind::NotKept
        );
        assert!(ReminderKind::parse("weekly").is_err());
    }
}
