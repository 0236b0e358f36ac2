//! Forms: what a person types, as strings, turned into validated inputs.
//!
//! The CLI and the desktop app both hand the core these forms, so every
//! value is checked by the same code and every error reads the same.

use serde::{Deserialize, Serialize};

use crate::cases::{CaseFilter, NewCase};
use crate::contacts::{ContactInput, ContactPatch, FollowUp, Reference};
use crate::error::{Error, Problem, Result};
use crate::model::{Category, Channel, Direction, ProviderKind, RefKind, Status};
use crate::money::{Currency, Money, parse_amount};
use crate::search::{HitKind, SearchQuery};
use crate::time::{At, parse_date};
use crate::transactions::TransactionInput;

/// Empty or blank strings count as "not given".
fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn opt<T>(v: &Option<String>, f: impl FnOnce(&str) -> Result<T>) -> Result<Option<T>> {
    given(v).map(f).transpose()
}

/// Parses a duration typed as minutes (`12`) or minutes and seconds (`12:30`).
pub fn parse_duration(input: &str) -> Result<i64> {
    let s = input.trim();
    let bad = || {
        Error::invalid(Problem::NotADuration {
            input: s.to_string(),
        })
    };
    let secs = match s.split_once(':') {
        Some((m, sec)) => {
            let m: i64 = m.trim().parse().map_err(|_| bad())?;
            let sec: i64 = sec.trim().parse().map_err(|_| bad())?;
            if !(0..60).contains(&sec) {
                return Err(bad());
            }
            m.checked_mul(60)
                .and_then(|v| v.checked_add(sec))
                .ok_or_else(bad)?
        }
        None => s
            .parse::<i64>()
            .ok()
            .and_then(|m| m.checked_mul(60))
            .ok_or_else(bad)?,
    };
    if secs < 0 { Err(bad()) } else { Ok(secs) }
}

/// The amount and currency fields of a form, both or neither.
pub fn money(amount: &Option<String>, currency: &Option<String>) -> Result<Option<Money>> {
    match (given(amount), given(currency)) {
        (Some(a), Some(c)) => Ok(Some(Money {
            amount: parse_amount("amount", a)?,
            currency: Currency::parse("currency", c)?,
        })),
        (Some(_), None) => Err(Error::invalid(Problem::AmountNeedsCurrency {})),
        (None, Some(_)) => Err(Error::invalid(Problem::CurrencyNeedsAmount {})),
        (None, None) => Ok(None),
    }
}

/// A new case as typed.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(default)]
pub struct CaseForm {
    pub title: String,
    pub provider: Option<String>,
    pub provider_kind: Option<String>,
    pub category: Option<String>,
    pub amount: Option<String>,
    pub currency: Option<String>,
    pub deadline: Option<String>,
    pub desired_outcome: Option<String>,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub opened_at: Option<String>,
    /// Checklist items the user ticked off on the form.
    pub checklist_done: Vec<String>,
}

impl CaseForm {
    pub fn parse(self) -> Result<NewCase> {
        Ok(NewCase {
            amount: money(&self.amount, &self.currency)?,
            provider_kind: opt(&self.provider_kind, ProviderKind::parse)?,
            category: opt(&self.category, Category::parse)?,
            deadline: opt(&self.deadline, |s| parse_date("deadline", s))?,
            opened_at: opt(&self.opened_at, |s| At::parse("opened", s))?,
            title: self.title,
            provider: self.provider,
            desired_outcome: self.desired_outcome.unwrap_or_default(),
            summary: self.summary.unwrap_or_default(),
            tags: self.tags,
            checklist_done: self.checklist_done,
        })
    }
}

/// Which cases to list, as chosen in filters.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(default)]
pub struct CaseListForm {
    pub status: Option<String>,
    pub category: Option<String>,
    pub provider: Option<String>,
}

impl CaseListForm {
    pub fn parse(self) -> Result<CaseFilter> {
        Ok(CaseFilter {
            status: opt(&self.status, Status::parse)?,
            category: opt(&self.category, Category::parse)?,
            provider: given(&self.provider).map(String::from),
        })
    }
}

/// A diary note as typed; a blank time means now.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(default)]
pub struct NoteForm {
    pub at: Option<String>,
    pub text: String,
}

impl NoteForm {
    pub fn parse(self) -> Result<(At, String)> {
        Ok((
            opt(&self.at, |s| At::parse("time", s))?.unwrap_or_else(At::now),
            self.text,
        ))
    }
}

/// A reference number as typed: its kind and value.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ReferenceForm {
    pub kind: String,
    pub value: String,
}

/// A contact as typed. Blank fields are "not given"; `at` blank means now.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(default)]
pub struct ContactForm {
    pub at: Option<String>,
    pub channel: Option<String>,
    pub direction: Option<String>,
    pub via: Option<String>,
    pub agent: Option<String>,
    pub asked: Option<String>,
    pub reply: Option<String>,
    pub outcome: Option<String>,
    pub references: Vec<ReferenceForm>,
    pub follow_up: Option<String>,
    pub promise: Option<String>,
    pub duration: Option<String>,
}

impl ContactForm {
    pub fn parse(self) -> Result<ContactInput> {
        let Some(channel) = given(&self.channel) else {
            return Err(Error::invalid(Problem::ChannelMissing {}));
        };
        let channel = Channel::parse(channel)?;
        let at = opt(&self.at, |s| At::parse("time", s))?.unwrap_or_else(At::now);
        let mut c = ContactInput::new(channel, at);
        if let Some(d) = given(&self.direction) {
            c.direction = Direction::parse(d)?;
        }
        c.duration_secs = opt(&self.duration, parse_duration)?;
        c.follow_up = match opt(&self.follow_up, |s| parse_date("follow-up", s))? {
            Some(date) => Some(FollowUp {
                date,
                promise: self.promise.clone().unwrap_or_default(),
                done: false,
            }),
            None if given(&self.promise).is_some() => {
                return Err(Error::invalid(Problem::PromiseNeedsDate {}));
            }
            None => None,
        };
        c.references = references_of(&self.references)?;
        c.via = self.via.unwrap_or_default();
        c.agent = self.agent.unwrap_or_default();
        c.asked = self.asked.unwrap_or_default();
        c.reply = self.reply.unwrap_or_default();
        c.outcome = self.outcome.unwrap_or_default();
        Ok(c)
    }

    /// The same form as a change to an existing contact: only the fields
    /// given change (`none` clears the follow-up date or the duration); the
    /// references are replaced when some are given.
    pub fn patch(self) -> Result<ContactPatch> {
        let none = |s: &str| s.trim().eq_ignore_ascii_case("none");
        let references = if self.references.is_empty() {
            None
        } else {
            Some(references_of(&self.references)?)
        };
        Ok(ContactPatch {
            at: opt(&self.at, |s| At::parse("time", s))?,
            channel: opt(&self.channel, Channel::parse)?,
            direction: opt(&self.direction, Direction::parse)?,
            via: self.via,
            agent: self.agent,
            asked: self.asked,
            reply: self.reply,
            outcome: self.outcome,
            duration_secs: opt(&self.duration, |s| {
                if none(s) {
                    Ok(None)
                } else {
                    parse_duration(s).map(Some)
                }
            })?,
            follow_up_date: opt(&self.follow_up, |s| {
                if none(s) {
                    Ok(None)
                } else {
                    parse_date("follow-up", s).map(Some)
                }
            })?,
            follow_up_promise: self.promise,
            follow_up_done: None,
            references,
        })
    }
}

impl ReferenceForm {
    /// One reference as typed; a blank kind is `other`.
    pub fn parse(&self) -> Result<Reference> {
        let kind = if self.kind.trim().is_empty() {
            RefKind::Other
        } else {
            RefKind::parse(&self.kind)?
        };
        Reference::parse(&format!("{}:{}", kind.key(), self.value))
    }
}

fn references_of(forms: &[ReferenceForm]) -> Result<Vec<Reference>> {
    forms
        .iter()
        .filter(|r| !r.value.trim().is_empty() || !r.kind.trim().is_empty())
        .map(ReferenceForm::parse)
        .collect()
}

/// A transaction record as typed. A negative amount is money out.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(default)]
pub struct TransactionForm {
    pub txid: String,
    pub at: String,
    pub amount: String,
    pub currency: String,
    pub direction: Option<String>,
    pub counterparty: Option<String>,
    pub method: Option<String>,
    pub status: Option<String>,
    pub note: Option<String>,
}

impl TransactionForm {
    pub fn parse(self) -> Result<TransactionInput> {
        Ok(TransactionInput {
            at: At::parse("time", &self.at)?,
            amount: parse_amount("amount", &self.amount)?,
            currency: Currency::parse("currency", &self.currency)?,
            direction: opt(&self.direction, Direction::parse)?,
            txid: self.txid,
            counterparty: self.counterparty.unwrap_or_default(),
            method: self.method.unwrap_or_default(),
            status: self.status.unwrap_or_default(),
            note: self.note.unwrap_or_default(),
        })
    }
}

/// A search as typed, with its filters.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(default)]
pub struct SearchForm {
    pub text: String,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub case_id: Option<i64>,
    pub channel: Option<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub provider: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: Option<u32>,
}

impl SearchForm {
    pub fn parse(self) -> Result<SearchQuery> {
        let mut q = SearchQuery::new(self.text);
        q.case_id = self.case_id;
        q.channel = opt(&self.channel, Channel::parse)?;
        q.kind = opt(&self.kind, HitKind::parse)?;
        q.status = opt(&self.status, Status::parse)?;
        q.provider = given(&self.provider).map(String::from);
        q.from = opt(&self.from, |s| parse_date("from", s))?;
        q.to = opt(&self.to, |s| parse_date("to", s))?;
        q.limit = self.limit.unwrap_or(20).min(1000) as usize;
        Ok(q)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("12").unwrap(), 720);
        assert_eq!(parse_duration("12:30").unwrap(), 750);
        for bad in ["", "x", "1:60", "-3", "9999999999999999999"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_contact_form_with_blank_fields() {
        let form = ContactForm {
            channel: Some("phone".into()),
            at: Some(" ".into()),
            references: vec![
                ReferenceForm {
                    kind: "ticket".into(),
                    value: "TK-1".into(),
                },
                ReferenceForm {
                    kind: String::new(),
                    value: String::new(),
                },
            ],
            ..ContactForm::default()
        };
        let c = form.parse().unwrap();
        assert_eq!(c.references.len(), 1);
        assert_eq!(c.references[0].kind, RefKind::Ticket);
        let no_channel = ContactForm::default().parse().unwrap_err();
        assert_eq!(no_channel.code(), "channel_missing");
    }
}
