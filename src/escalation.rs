//! Escalation clocks: where a case can go when support fails, and from which
//! day. The routes and their time limits are data (`rules/escalation.toml`,
//! each with its source), counted from the user's first complaint.

use std::sync::OnceLock;

use chrono::{Datelike, Months, NaiveDate, Weekday};
use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::db::Journal;
use crate::error::{Error, Problem, Result};
use crate::time::{At, parse_date};

const BUILTIN: &str = include_str!("../rules/escalation.toml");

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    BusinessDays,
    Days,
    Weeks,
    Months,
}

#[derive(Clone, Debug, Deserialize)]
pub struct ClockRule {
    pub id: String,
    pub count: u32,
    pub unit: Unit,
    #[serde(default)]
    pub from: String,
    pub label_en: String,
    pub label_zh: String,
    pub after_en: String,
    pub after_zh: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Route {
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    #[serde(default)]
    pub region: String,
    pub source: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub clock: Vec<ClockRule>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Routes {
    pub version: u32,
    pub checked: String,
    pub disclaimer_en: String,
    pub disclaimer_zh: String,
    #[serde(rename = "route")]
    pub routes: Vec<Route>,
}

impl Routes {
    /// The routes shipped with this build.
    pub fn builtin() -> &'static Routes {
        static ROUTES: OnceLock<Routes> = OnceLock::new();
        ROUTES.get_or_init(|| parse_routes(BUILTIN).expect("rules/escalation.toml is valid"))
    }

    pub fn get(&self, id: &str) -> Option<&Route> {
        self.routes.iter().find(|r| r.id == id)
    }

    /// Checks a route id typed by the user.
    pub fn parse_id(&self, input: &str) -> Result<String> {
        let id = input.trim().to_ascii_lowercase();
        match self.get(&id) {
            Some(r) => Ok(r.id.clone()),
            None => Err(Error::invalid(Problem::UnknownValue {
                field: "escalation_route".into(),
                input: input.trim().into(),
                allowed: self.routes.iter().map(|r| r.id.clone()).collect(),
            })),
        }
    }
}

/// What the UI lists to pick a route.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct RouteInfo {
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    pub region: String,
}

impl Routes {
    pub fn infos(&self) -> Vec<RouteInfo> {
        self.routes
            .iter()
            .map(|r| RouteInfo {
                id: r.id.clone(),
                name_en: r.name_en.clone(),
                name_zh: r.name_zh.clone(),
                region: r.region.clone(),
            })
            .collect()
    }
}

pub fn parse_routes(text: &str) -> Result<Routes> {
    let routes: Routes = toml::from_str(text).map_err(|e| {
        Error::invalid(Problem::RulesInvalid {
            which: "escalation".into(),
            detail: e.to_string(),
        })
    })?;
    for r in &routes.routes {
        if r.source.trim().is_empty() {
            return Err(Error::invalid(Problem::RulesInvalid {
                which: "escalation".into(),
                detail: format!("route '{}' has no source", r.id),
            }));
        }
    }
    Ok(routes)
}

/// `count` units after `from`. Business days are Monday to Friday (public
/// holidays are not known, so the date can be a day or two early).
pub fn add(from: NaiveDate, count: u32, unit: Unit) -> NaiveDate {
    match unit {
        Unit::Days => from + chrono::Duration::days(count.into()),
        Unit::Weeks => from + chrono::Duration::weeks(count.into()),
        Unit::Months => from
            .checked_add_months(Months::new(count))
            .unwrap_or(NaiveDate::MAX),
        Unit::BusinessDays => {
            let mut d = from;
            let mut left = count;
            while left > 0 {
                d = d.succ_opt().unwrap_or(NaiveDate::MAX);
                if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                    left -= 1;
                }
            }
            d
        }
    }
}

/// One clock of a case's route, with its date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ClockDate {
    pub id: String,
    /// The day the time limit ends.
    pub date: NaiveDate,
    pub label_en: String,
    pub label_zh: String,
    /// What the user can do from the day after.
    pub after_en: String,
    pub after_zh: String,
}

/// Where a case would escalate and from when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Escalation {
    pub route: String,
    pub name_en: String,
    pub name_zh: String,
    pub source: String,
    /// The day of the first complaint the clocks count from, if known.
    pub first_complaint: Option<NaiveDate>,
    pub clocks: Vec<ClockDate>,
    /// "You can escalate from": the day after the first clock ends.
    pub can_escalate_from: Option<NaiveDate>,
    pub disclaimer_en: String,
    pub disclaimer_zh: String,
}

/// The clocks of `route` counted from `first_complaint`.
pub fn clocks(route: &Route, first_complaint: Option<NaiveDate>) -> Escalation {
    let all = Routes::builtin();
    let clocks: Vec<ClockDate> = match first_complaint {
        Some(start) => route
            .clock
            .iter()
            .map(|c| ClockDate {
                id: c.id.clone(),
                date: add(start, c.count, c.unit),
                label_en: c.label_en.clone(),
                label_zh: c.label_zh.clone(),
                after_en: c.after_en.clone(),
                after_zh: c.after_zh.clone(),
            })
            .collect(),
        None => Vec::new(),
    };
    Escalation {
        route: route.id.clone(),
        name_en: route.name_en.clone(),
        name_zh: route.name_zh.clone(),
        source: route.source.clone(),
        first_complaint,
        can_escalate_from: clocks.first().and_then(|c| c.date.succ_opt()),
        clocks,
        disclaimer_en: all.disclaimer_en.clone(),
        disclaimer_zh: all.disclaimer_zh.clone(),
    }
}

impl Journal {
    /// Sets (or clears, with `None`) where a case would escalate, and the day
    /// of the first complaint when it was before the first logged contact.
    pub fn set_case_escalation(
        &mut self,
        case_id: i64,
        route: Option<&str>,
        first_complaint: Option<&str>,
    ) -> Result<crate::cases::Case> {
        let route = route
            .filter(|r| !r.trim().is_empty())
            .map(|r| Routes::builtin().parse_id(r))
            .transpose()?;
        let first = first_complaint
            .filter(|d| !d.trim().is_empty())
            .map(|d| parse_date("first complaint", d))
            .transpose()?;
        let now = At::now();
        self.write(|tx| {
            crate::cases::ensure_exists(tx, case_id)?;
            tx.execute(
                "UPDATE cases SET escalation_route = ?1, first_complaint = ?2, updated_ms = ?3 WHERE id = ?4",
                params![route, first.map(|d| d.to_string()), now.utc_ms, case_id],
            )?;
            crate::cases::get(tx, case_id)
        })
    }

    /// The case's escalation clocks, counted from the first complaint: the
    /// date the user gave, else the first contact they made themselves, else
    /// the first contact. `None` when the case names no route.
    pub fn escalation(&self, case_id: i64) -> Result<Option<Escalation>> {
        let case = self.case(case_id)?;
        let Some(route_id) = case.escalation_route.as_deref() else {
            return Ok(None);
        };
        let Some(route) = Routes::builtin().get(route_id) else {
            return Ok(None);
        };
        let first = match case.first_complaint {
            Some(d) => Some(d),
            None => {
                let first: Option<(i64, i32)> = self
                    .read()
                    .query_row(
                        "SELECT at_ms, at_offset FROM contacts WHERE case_id = ?1 AND deleted_ms IS NULL
                         ORDER BY direction = 'out' DESC, at_ms LIMIT 1",
                        [case_id],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .ok();
                first.map(|(ms, off)| At::from_parts(ms, off).local_date())
            }
        };
        Ok(Some(clocks(route, first)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn business_days_skip_weekends() {
        // Friday 2026-11-20 + 1 business day = Monday 23rd; + 15 = Friday 11 Dec.
        assert_eq!(add(d("2026-11-20"), 1, Unit::BusinessDays), d("2026-11-23"));
        assert_eq!(
            add(d("2026-11-20"), 15, Unit::BusinessDays),
            d("2026-12-11")
        );
        assert_eq!(add(d("2026-01-31"), 1, Unit::Months), d("2026-02-28"));
        assert_eq!(add(d("2026-11-20"), 8, Unit::Weeks), d("2027-01-15"));
    }

    #[test]
    fn the_shipped_routes_load_and_cite_sources() {
        let r = Routes::builtin();
        assert!(r.routes.len() >= 6);
        for id in [
            "provider",
            "uk-payments",
            "uk-other",
            "us-cfpb",
            "cn-pboc",
            "cn-nfra",
            "police",
        ] {
            let route = r.get(id).unwrap_or_else(|| panic!("route {id}"));
            assert!(!route.source.is_empty());
        }
        assert!(!r.disclaimer_zh.is_empty() && !r.disclaimer_en.is_empty());
        let uk = r.get("uk-payments").unwrap();
        assert_eq!(uk.clock[0].count, 15);
        assert_eq!(uk.clock[0].unit, Unit::BusinessDays);
    }
}
