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

fn draft(s: &Summary, to: LetterTo, today: NaiveDate) -> Letter {
    let zh = s.lang == Lang::Zh;
    let c = &s.case;
    let provider = c.provider.clone().unwrap_or_else(|| {
        if zh {
            "贵司".into()
        } else {
            "your company".into()
        }
    });
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
            Entry::Transaction(t) => Some(if zh {
                format!(
                    "- {} {} {} {}{}",
                    d(&t.at),
                    t.signed_amount,
                    t.money.currency,
                    if t.txid.is_empty() {
                        String::new()
                    } else {
                        format!("交易号 {}", t.txid)
                    },
                    if t.counterparty.is_empty() {
                        String::new()
                    } else {
                        format!("，对方 {}", t.counterparty)
                    }
                )
            } else {
                format!(
                    "- {}: {} {}{}{}",
                    d(&t.at),
                    t.signed_amount,
                    t.money.currency,
                    if t.txid.is_empty() {
                        String::new()
                    } else {
                        format!(", transaction ID {}", t.txid)
                    },
                    if t.counterparty.is_empty() {
                        String::new()
                    } else {
                        format!(", to/from {}", t.counterparty)
                    }
                )
            }),
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
            if zh {
                format!(
                    "- {} 承诺在 {} 前：「{}」——未兑现。",
                    d(&p.made_at),
                    p.due,
                    p.promise
                )
            } else {
                format!(
                    "- On {} you promised, by {}: \"{}\" — this was not kept.",
                    d(&p.made_at),
                    p.due,
                    p.promise
                )
            }
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
        if zh {
            "请依法依规妥善处理，并给予书面答复。".to_string()
        } else {
            "a full resolution and a written final response.".to_string()
        }
    } else {
        c.desired_outcome.trim().to_string()
    };

    let mut o = Vec::<String>::new();
    let subject;
    if zh {
        subject = match to {
            LetterTo::Provider => format!("正式投诉：{}", c.title),
            LetterTo::Regulator => format!("关于{}的投诉：{}", provider, c.title),
        };
        o.push(today.format("%Y年%m月%d日").to_string());
        o.push(String::new());
        o.push(match to {
            LetterTo::Provider => format!("致：{} 投诉处理部门", provider),
            LetterTo::Regulator => format!(
                "致：{}",
                route_name.clone().unwrap_or_else(|| "金融监管部门".into())
            ),
        });
        o.push(format!("事由：{subject}"));
        if !refs.is_empty() {
            o.push(format!("相关编号：{}", refs.join("；")));
        }
        o.push(String::new());
        o.push("您好：".into());
        o.push(String::new());
        o.push(match to {
            LetterTo::Provider => format!("本人就以下问题向贵司提出正式投诉：{}。", c.title),
            LetterTo::Regulator => format!(
                "本人就{}的以下问题提出投诉，请予以处理：{}。",
                provider, c.title
            ),
        });
        if !c.summary.trim().is_empty() {
            o.push(String::new());
            o.push(format!("情况说明：{}", c.summary.trim()));
        }
        if let Some(a) = &amount {
            o.push(String::new());
            o.push(format!("涉及金额：{a}。"));
        }
        if !txns.is_empty() {
            o.push(String::new());
            o.push("涉及交易：".into());
            o.extend(txns);
        }
        o.push(String::new());
        o.push(match (&first_complaint, to) {
            (Some(f), LetterTo::Provider) => format!(
                "本人自 {f} 起已就此事联系贵司 {} 次（{}），至今未获解决。",
                s.facts.contacts,
                by_channel.join("，")
            ),
            (Some(f), LetterTo::Regulator) => format!(
                "本人已于 {f} 向{provider}投诉，此后共联系 {} 次（{}），至今未获满意答复。",
                s.facts.contacts,
                by_channel.join("，")
            ),
            (None, _) => "本人此前已多次联系，至今未获解决。".into(),
        });
        if !broken.is_empty() {
            o.push(String::new());
            o.push("客服曾作出以下承诺，但均未兑现：".into());
            o.extend(broken);
        }
        o.push(String::new());
        o.push(format!("本人的诉求：{ask}"));
        o.push(String::new());
        match to {
            LetterTo::Provider => {
                let mut line = "请在规定期限内给予书面答复".to_string();
                if let Some(dl) = deadline {
                    line.push_str(&format!("（不晚于 {dl}）"));
                }
                line.push('。');
                if let Some(r) = &route_name {
                    line.push_str(&format!("如未获满意答复，本人将向{r}反映。"));
                }
                o.push(line);
            }
            LetterTo::Regulator => {
                if let Some(dl) = deadline {
                    o.push(format!("按规定，{provider}应于 {dl} 前作出答复。"));
                }
                o.push("恳请督促其依法处理。".into());
            }
        }
        o.push(String::new());
        o.push(if s.evidence.is_empty() {
            "随函附上案件摘要（含完整时间线）。".to_string()
        } else {
            format!(
                "随函附上案件摘要（含完整时间线及 {} 个证据文件的清单和校验值）。",
                s.evidence.len()
            )
        });
        o.push(String::new());
        o.push("此致".into());
        o.push("敬礼".into());
        o.push(String::new());
        o.push("[您的姓名]".into());
        o.push("[账户及联系方式]".into());
    } else {
        subject = match to {
            LetterTo::Provider => format!("Formal complaint: {}", c.title),
            LetterTo::Regulator => format!("Complaint about {}: {}", provider, c.title),
        };
        o.push(today.format("%-d %B %Y").to_string());
        o.push(String::new());
        o.push(match to {
            LetterTo::Provider => format!("To: {provider} — complaints team"),
            LetterTo::Regulator => format!(
                "To: {}",
                route_name
                    .clone()
                    .unwrap_or_else(|| "the financial regulator or ombudsman".into())
            ),
        });
        o.push(format!("Subject: {subject}"));
        if !refs.is_empty() {
            o.push(format!("References: {}", refs.join("; ")));
        }
        o.push(String::new());
        o.push("Dear Sir or Madam,".into());
        o.push(String::new());
        o.push(match to {
            LetterTo::Provider => format!(
                "I am making a formal complaint about the following: {}.",
                c.title
            ),
            LetterTo::Regulator => format!(
                "I wish to complain about {provider} regarding the following: {}.",
                c.title
            ),
        });
        if !c.summary.trim().is_empty() {
            o.push(String::new());
            o.push(format!("What happened: {}", c.summary.trim()));
        }
        if let Some(a) = &amount {
            o.push(String::new());
            o.push(format!("Amount at stake: {a}."));
        }
        if !txns.is_empty() {
            o.push(String::new());
            o.push("Transactions concerned:".into());
            o.extend(txns);
        }
        o.push(String::new());
        o.push(match (&first_complaint, to) {
            (Some(f), LetterTo::Provider) => format!(
                "I first contacted you about this on {f} and have contacted you {} times since ({}); it is still not resolved.",
                s.facts.contacts,
                by_channel.join(", ")
            ),
            (Some(f), LetterTo::Regulator) => format!(
                "I first complained to {provider} on {f} and have been in contact {} times ({}) without a satisfactory answer.",
                s.facts.contacts,
                by_channel.join(", ")
            ),
            (None, _) => "I have contacted you before about this and it is still not resolved.".into(),
        });
        if !broken.is_empty() {
            o.push(String::new());
            o.push("Support made these promises, which were not kept:".into());
            o.extend(broken);
        }
        o.push(String::new());
        o.push(format!("What I ask for: {ask}"));
        o.push(String::new());
        match to {
            LetterTo::Provider => {
                let mut line = "Please send me your final response in writing".to_string();
                if let Some(dl) = deadline {
                    line.push_str(&format!(" by {dl}"));
                }
                line.push('.');
                if let Some(r) = &route_name {
                    line.push_str(&format!(" If I do not receive a satisfactory response, I will refer the matter to: {r}."));
                }
                o.push(line);
            }
            LetterTo::Regulator => {
                if let Some(dl) = deadline {
                    o.push(format!(
                        "The time limit for {provider}'s final response ended on {dl}."
                    ));
                }
                o.push("I ask you to look into my complaint.".into());
            }
        }
        o.push(String::new());
        o.push(if s.evidence.is_empty() {
            "I enclose a case summary with the full timeline.".to_string()
        } else {
            format!(
                "I enclose a case summary with the full timeline and a list of {} evidence file(s) with their SHA-256 checksums.",
                s.evidence.len()
            )
        });
        o.push(String::new());
        o.push("Yours faithfully,".into());
        o.push(String::new());
        o.push("[Your name]".into());
        o.push("[Your account and contact details]".into());
    }
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
