//! A complaint letter filled from the case: to the provider's complaints
//! team (first escalation) or to a regulator or ombudsman (second), in
//! Chinese or English. The user edits it before saving; Casebook only drafts.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::labels::{self, Lang};
use super::{Entry, ExportOptions, PromiseState, Summary};
use crate::db::Journal;
use crate::error::{Error, Problem, Result};
use crate::time::At;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum LetterTo {
    Provider,
    Regulator,
}

impl LetterTo {
    pub fn parse(input: &str) -> Result<LetterTo> {
        match input.trim().to_ascii_lowercase().as_str() {
            "provider" | "company" | "firm" => Ok(LetterTo::Provider),
            "regulator" | "ombudsman" => Ok(LetterTo::Regulator),
            _ => Err(Error::invalid(Problem::unknown_value(
                "letter_to",
                input,
                &["provider", "regulator"],
            ))),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Letter {
    pub to: LetterTo,
    pub subject: String,
    /// The whole letter as plain text, subject line included.
    pub text: String,
}

fn d(at: &At) -> String {
    at.local_date().to_string()
}

/// One language's words of the letter (rules/letter.toml).
#[derive(Deserialize)]
struct Words {
    date_format: String,
    your_company: String,
    regulator_default: String,
    subject_provider: String,
    subject_regulator: String,
    to_provider: String,
    to_regulator: String,
    subject_line: String,
    refs_line: String,
    refs_sep: String,
    greeting: String,
    opening_provider: String,
    opening_regulator: String,
    summary_line: String,
    amount_line: String,
    txns_head: String,
    tx_line: String,
    tx_txid: String,
    tx_counterparty: String,
    history_provider: String,
    history_regulator: String,
    history_none: String,
    channels_sep: String,
    broken_head: String,
    broken_line: String,
    ask_line: String,
    ask_default: String,
    reply: String,
    reply_by: String,
    reply_refer: String,
    regulator_deadline: String,
    regulator_ask: String,
    enclose: String,
    enclose_files: String,
    closing: Vec<String>,
}

#[derive(Deserialize)]
struct LetterFile {
    zh: Words,
    en: Words,
}

fn words(lang: Lang) -> &'static Words {
    static FILE: std::sync::OnceLock<LetterFile> = std::sync::OnceLock::new();
    let f = FILE.get_or_init(|| {
        toml::from_str(include_str!("../../rules/letter.toml")).expect("rules/letter.toml is valid")
    });
    match lang {
        Lang::Zh => &f.zh,
        Lang::En => &f.en,
    }
}

/// `template` with each `{name}` replaced by its value.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (k, v) in values {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// `fill`, or nothing when `value` is empty.
fn part(template: &str, name: &str, value: &str) -> String {
    if value.is_empty() {
        String::new()
    } else {
        fill(template, &[(name, value)])
    }
}

fn draft(s: &Summary, to: LetterTo, today: NaiveDate) -> Letter {
    let w = words(s.lang);
    let c = &s.case;
    let provider = c.provider.clone().unwrap_or_else(|| w.your_company.clone());
    let refs: Vec<String> = s
        .facts
        .references
        .iter()
        .map(|r| format!("{} {}", labels::ref_kind(s.lang, r.kind), r.value))
        .collect();
    let amount = c
        .amount
        .as_ref()
        .map(|m| format!("{} {}", m.amount, m.currency));
    let txns: Vec<String> = s
        .timeline
        .iter()
        .filter_map(|e| match e {
            Entry::Transaction(t) => Some(
                fill(
                    &w.tx_line,
                    &[
                        ("date", &d(&t.at)),
                        ("amount", &t.signed_amount.to_string()),
                        ("currency", t.money.currency.as_str()),
                        ("txid", &part(&w.tx_txid, "txid", &t.txid)),
                        (
                            "counterparty",
                            &part(&w.tx_counterparty, "counterparty", &t.counterparty),
                        ),
                    ],
                )
                .trim_end()
                .to_string(),
            ),
            _ => None,
        })
        .take(20)
        .collect();
    let broken: Vec<String> = s
        .facts
        .promises
        .iter()
        .filter(|p| p.state == PromiseState::NotKept)
        .map(|p| {
            fill(
                &w.broken_line,
                &[
                    ("made", &d(&p.made_at)),
                    ("due", &p.due.to_string()),
                    ("promise", &p.promise),
                ],
            )
        })
        .collect();
    let by_channel: Vec<String> = s
        .facts
        .contacts_by_channel
        .iter()
        .map(|(k, n)| format!("{} {n}", super::channel_label(s.lang, k)))
        .collect();
    let esc = s.escalation.as_ref();
    let route_name = esc.map(|e| s.lang.pick(&e.name_en, &e.name_zh).to_string());
    let first_complaint = esc
        .and_then(|e| e.first_complaint)
        .map(|d| d.to_string())
        .or(s.facts.first_contact.as_ref().map(d));
    let deadline = esc.and_then(|e| e.clocks.first().map(|c| c.date));
    let ask = if c.desired_outcome.trim().is_empty() {
        w.ask_default.clone()
    } else {
        c.desired_outcome.trim().to_string()
    };
    let title = c.title.as_str();
    let base = [("title", title), ("provider", provider.as_str())];

    let subject = match to {
        LetterTo::Provider => fill(&w.subject_provider, &base),
        LetterTo::Regulator => fill(&w.subject_regulator, &base),
    };
    let addressee = match to {
        LetterTo::Provider => fill(&w.to_provider, &base),
        LetterTo::Regulator => fill(
            &w.to_regulator,
            &[(
                "route",
                route_name.as_deref().unwrap_or(&w.regulator_default),
            )],
        ),
    };
    let mut o = vec![
        today.format(&w.date_format).to_string(),
        String::new(),
        addressee,
        fill(&w.subject_line, &[("subject", &subject)]),
    ];
    if !refs.is_empty() {
        o.push(fill(&w.refs_line, &[("refs", &refs.join(&w.refs_sep))]));
    }
    o.push(String::new());
    o.push(w.greeting.clone());
    o.push(String::new());
    o.push(match to {
        LetterTo::Provider => fill(&w.opening_provider, &base),
        LetterTo::Regulator => fill(&w.opening_regulator, &base),
    });
    if !c.summary.trim().is_empty() {
        o.push(String::new());
        o.push(fill(&w.summary_line, &[("summary", c.summary.trim())]));
    }
    if let Some(a) = &amount {
        o.push(String::new());
        o.push(fill(&w.amount_line, &[("amount", a)]));
    }
    if !txns.is_empty() {
        o.push(String::new());
        o.push(w.txns_head.clone());
        o.extend(txns);
    }
    o.push(String::new());
    let n = s.facts.contacts.to_string();
    let channels = by_channel.join(&w.channels_sep);
    o.push(match (&first_complaint, to) {
        (Some(f), LetterTo::Provider) => fill(
            &w.history_provider,
            &[("first", f), ("n", &n), ("channels", &channels)],
        ),
        (Some(f), LetterTo::Regulator) => fill(
            &w.history_regulator,
            &[
                ("first", f),
                ("n", &n),
                ("channels", &channels),
                ("provider", &provider),
            ],
        ),
        (None, _) => w.history_none.clone(),
    });
    if !broken.is_empty() {
        o.push(String::new());
        o.push(w.broken_head.clone());
        o.extend(broken);
    }
    o.push(String::new());
    o.push(fill(&w.ask_line, &[("ask", &ask)]));
    o.push(String::new());
    let deadline = deadline.map(|d| d.to_string()).unwrap_or_default();
    match to {
        LetterTo::Provider => o.push(fill(
            &w.reply,
            &[
                ("by", &part(&w.reply_by, "deadline", &deadline)),
                (
                    "refer",
                    &part(&w.reply_refer, "route", route_name.as_deref().unwrap_or("")),
                ),
            ],
        )),
        LetterTo::Regulator => {
            if !deadline.is_empty() {
                o.push(fill(
                    &w.regulator_deadline,
                    &[("provider", &provider), ("deadline", &deadline)],
                ));
            }
            o.push(w.regulator_ask.clone());
        }
    }
    o.push(String::new());
    o.push(if s.evidence.is_empty() {
        w.enclose.clone()
    } else {
        fill(&w.enclose_files, &[("n", &s.evidence.len().to_string())])
    });
    o.push(String::new());
    o.extend(w.closing.iter().cloned());
    let mut text = o.join("\n");
    text.push('\n');
    Letter { to, subject, text }
}

impl Journal {
    /// Drafts a complaint letter from the case. Numbers are not redacted (the
    /// user sends it about their own account), but secrets are masked.
    pub fn complaint_letter(&self, case_id: i64, to: LetterTo, lang: Lang) -> Result<Letter> {
        let now = At::now();
        let s = self.case_summary(
            case_id,
            ExportOptions {
                lang,
                redact: false,
                exported_at: now,
            },
        )?;
        Ok(draft(&s, to, now.local_date()))
    }
}
