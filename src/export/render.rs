//! The summary as a list of blocks (one layout for every format), and the
//! Markdown and HTML writers. User text is always escaped: it is data.

use crate::evidence::visible_name;
use base64::Engine;

use super::labels::{self, Lang, t};
use super::{Entry, Summary, entry_keys};
use crate::error::{Error, Result};
use crate::time::At;

/// One piece of the document.
#[derive(Clone, Debug)]
pub(crate) enum Block {
    Title(String),
    Heading(String),
    SubHeading(String),
    /// A timeline entry's heading; `key` marks the entry for verification.
    Entry {
        key: String,
        text: String,
    },
    Fields(Vec<(String, String)>),
    /// Text quoted verbatim (what support said).
    Quote {
        label: String,
        text: String,
    },
    Para(String),
    Small(String),
    Table {
        head: Vec<String>,
        rows: Vec<Vec<String>>,
        /// Relative column widths (PDF).
        widths: Vec<f32>,
    },
    Mono(Vec<String>),
}

pub(crate) fn fmt_at(at: &At) -> String {
    at.datetime().format("%Y-%m-%d %H:%M %:z").to_string()
}

pub(crate) fn fmt_size(n: u64) -> String {
    match n {
        n if n >= 1 << 20 => format!("{:.1} MB", n as f64 / (1u64 << 20) as f64),
        n if n >= 1 << 10 => format!("{:.1} KB", n as f64 / (1u64 << 10) as f64),
        n => format!("{n} B"),
    }
}

fn nonempty(fields: &mut Vec<(String, String)>, label: &str, value: &str) {
    if !value.trim().is_empty() {
        fields.push((label.to_string(), value.to_string()));
    }
}

fn entry_blocks(s: &Summary, key: &str, e: &Entry, out: &mut Vec<Block>) {
    let l = s.lang;
    let lab = |k: &str| t(l, k).to_string();
    match e {
        Entry::Contact(c) => {
            out.push(Block::Entry {
                key: key.into(),
                text: format!(
                    "{} · {} ({})",
                    fmt_at(&c.at),
                    labels::channel(l, c.channel),
                    labels::contact_direction(l, c.direction)
                ),
            });
            let mut f = Vec::new();
            nonempty(&mut f, &lab("contact_point"), &c.via);
            nonempty(&mut f, &lab("agent"), &c.agent);
            if let Some(d) = c.duration_secs {
                f.push((lab("duration"), format!("{}:{:02}", d / 60, d % 60)));
            }
            let refs: Vec<String> = c
                .references
                .iter()
                .map(|r| format!("{} {}", labels::ref_kind(l, r.kind), r.value))
                .collect();
            nonempty(&mut f, &lab("references"), &refs.join("; "));
            if let Some(fu) = &c.follow_up {
                f.push((lab("follow_up"), format!("{} — {}", fu.date, fu.promise)));
            }
            if let Some(at) = c.last_edited_at {
                f.push((lab("edited"), fmt_at(&at)));
            }
            out.push(Block::Fields(f));
            for (label, text) in [
                ("asked", &c.asked),
                ("reply", &c.reply),
                ("result", &c.outcome),
            ] {
                if !text.trim().is_empty() {
                    out.push(Block::Quote {
                        label: lab(label),
                        text: text.clone(),
                    });
                }
            }
        }
        Entry::Note(n) => {
            out.push(Block::Entry {
                key: key.into(),
                text: format!("{} · {}", fmt_at(&n.at), lab("note")),
            });
            if let Some(at) = n.last_edited_at {
                out.push(Block::Fields(vec![(lab("edited"), fmt_at(&at))]));
            }
            out.push(Block::Quote {
                label: String::new(),
                text: n.text.clone(),
            });
        }
        Entry::Transaction(x) => {
            out.push(Block::Entry {
                key: key.into(),
                text: format!(
                    "{} · {} · {} {} ({})",
                    fmt_at(&x.at),
                    lab("transaction"),
                    x.signed_amount,
                    x.money.currency,
                    labels::direction(l, x.direction)
                ),
            });
            let mut f = Vec::new();
            nonempty(&mut f, &lab("txid"), &x.txid);
            nonempty(&mut f, &lab("counterparty"), &x.counterparty);
            nonempty(&mut f, &lab("status"), &x.status);
            nonempty(&mut f, &lab("note"), &x.note);
            out.push(Block::Fields(f));
        }
        Entry::StatusChange(c) => {
            out.push(Block::Entry {
                key: key.into(),
                text: format!(
                    "{} · {}: {} → {}",
                    fmt_at(&c.at),
                    lab("status_change"),
                    c.from.map(|s| labels::status(l, s)).unwrap_or("—"),
                    labels::status(l, c.to)
                ),
            });
        }
    }
}

/// The whole document as blocks, in the order the issue asks.
pub(crate) fn blocks(s: &Summary) -> Vec<Block> {
    let l = s.lang;
    let lab = |k: &str| t(l, k).to_string();
    let c = &s.case;
    let mut out = vec![Block::Title(c.title.clone())];

    // 1. Header.
    let mut f = Vec::new();
    if let Some(p) = &c.provider {
        f.push((lab("provider"), p.clone()));
    }
    f.push((lab("category"), labels::category(l, c.category).into()));
    f.push((lab("status"), labels::status(l, c.status).into()));
    f.push((lab("opened"), fmt_at(&c.opened_at)));
    f.push((lab("days_open"), c.days_open.to_string()));
    if let Some(m) = &c.amount {
        f.push((lab("amount"), format!("{} {}", m.amount, m.currency)));
    }
    if let Some(d) = c.deadline {
        f.push((lab("deadline"), d.to_string()));
    }
    nonempty(&mut f, &lab("outcome"), &c.desired_outcome);
    f.push((lab("exported"), fmt_at(&s.exported_at)));
    out.push(Block::Fields(f));
    if !c.summary.trim().is_empty() {
        out.push(Block::Quote {
            label: lab("summary"),
            text: c.summary.clone(),
        });
    }
    if s.redacted {
        out.push(Block::Small(lab("redacted_note")));
    }

    // 2. Key facts.
    out.push(Block::Heading(format!("1. {}", lab("key_facts"))));
    let mut f = vec![(
        lab("first_contact"),
        s.facts
            .first_contact
            .as_ref()
            .map(fmt_at)
            .unwrap_or_else(|| "—".into()),
    )];
    f.push((lab("contacts"), s.facts.contacts.to_string()));
    let by: Vec<String> = s
        .facts
        .contacts_by_channel
        .iter()
        .map(|(k, n)| format!("{} {n}", super::channel_label(l, k)))
        .collect();
    nonempty(&mut f, &lab("by_channel"), &by.join(", "));
    out.push(Block::Fields(f));
    out.push(Block::SubHeading(lab("references")));
    if s.facts.references.is_empty() {
        out.push(Block::Para(lab("none")));
    } else {
        out.push(Block::Table {
            head: vec![lab("kind"), lab("number"), lab("given"), lab("in_entry")],
            rows: s
                .facts
                .references
                .iter()
                .map(|r| {
                    vec![
                        labels::ref_kind(l, r.kind).into(),
                        r.value.clone(),
                        fmt_at(&r.at),
                        r.entry.clone(),
                    ]
                })
                .collect(),
            widths: vec![1.2, 2.6, 2.0, 1.2],
        });
    }
    out.push(Block::SubHeading(lab("promises")));
    if s.facts.promises.is_empty() {
        out.push(Block::Para(lab("none")));
    } else {
        out.push(Block::Table {
            head: vec![lab("promised_on"), lab("due"), lab("promise"), lab("kept")],
            rows: s
                .facts
                .promises
                .iter()
                .map(|p| {
                    vec![
                        fmt_at(&p.made_at),
                        p.due.to_string(),
                        p.promise.clone(),
                        labels::promise_state(l, p.state).into(),
                    ]
                })
                .collect(),
            widths: vec![2.0, 1.2, 3.0, 1.0],
        });
    }
    if let Some(e) = &s.escalation {
        out.push(Block::SubHeading(lab("escalation")));
        let mut f = vec![(
            lab("escalate_to"),
            l.pick(&e.name_en, &e.name_zh).to_string(),
        )];
        match e.first_complaint {
            Some(d) => f.push((lab("first_complaint"), d.to_string())),
            None => f.push((lab("first_complaint"), lab("no_first_complaint"))),
        }
        for clock in &e.clocks {
            f.push((
                l.pick(&clock.label_en, &clock.label_zh).to_string(),
                clock.date.to_string(),
            ));
        }
        if let Some(d) = e.can_escalate_from {
            f.push((lab("can_escalate_from"), d.to_string()));
        }
        f.push((lab("source"), e.source.clone()));
        out.push(Block::Fields(f));
        out.push(Block::Small(
            l.pick(&e.disclaimer_en, &e.disclaimer_zh).to_string(),
        ));
    }

    // 3. Timeline.
    out.push(Block::Heading(format!("2. {}", lab("timeline"))));
    for (key, e) in entry_keys(&s.timeline).iter().zip(&s.timeline) {
        entry_blocks(s, key, e, &mut out);
    }

    // 4. Transactions.
    out.push(Block::Heading(format!("3. {}", lab("transactions"))));
    let txns: Vec<_> = s
        .timeline
        .iter()
        .filter_map(|e| match e {
            Entry::Transaction(x) => Some(x),
            _ => None,
        })
        .collect();
    if txns.is_empty() {
        out.push(Block::Para(lab("none")));
    } else {
        out.push(Block::Table {
            head: vec![
                lab("time"),
                lab("txid"),
                lab("counterparty"),
                lab("amount"),
                lab("status"),
            ],
            rows: txns
                .iter()
                .map(|x| {
                    vec![
                        fmt_at(&x.at),
                        x.txid.clone(),
                        x.counterparty.clone(),
                        format!("{} {}", x.signed_amount, x.money.currency),
                        x.status.clone(),
                    ]
                })
                .collect(),
            widths: vec![1.8, 2.4, 1.6, 1.2, 1.0],
        });
        out.push(Block::SubHeading(lab("total")));
        out.push(Block::Table {
            head: vec![
                lab("currency"),
                lab("count"),
                lab("money_in"),
                lab("money_out"),
                lab("net"),
            ],
            rows: s
                .totals
                .iter()
                .map(|x| {
                    vec![
                        x.currency.to_string(),
                        x.count.to_string(),
                        x.money_in.to_string(),
                        x.money_out.to_string(),
                        x.net.to_string(),
                    ]
                })
                .collect(),
            widths: vec![1.0, 1.0, 1.5, 1.5, 1.5],
        });
    }

    // 5. Evidence.
    out.push(Block::Heading(format!("4. {}", lab("evidence"))));
    if s.evidence.is_empty() {
        out.push(Block::Para(lab("none")));
    } else {
        out.push(Block::Table {
            head: vec![lab("file"), lab("size"), lab("added"), "SHA-256".into()],
            rows: s
                .evidence
                .iter()
                .map(|f| {
                    vec![
                        match &f.attached_to {
                            Some(to) => format!("{} ({to})", visible_name(&f.name)),
                            None => visible_name(&f.name),
                        },
                        fmt_size(f.size),
                        fmt_at(&f.added_at),
                        f.sha256.clone(),
                    ]
                })
                .collect(),
            widths: vec![2.0, 0.8, 1.7, 3.6],
        });
    }

    // 6. Warnings.
    out.push(Block::Heading(format!("5. {}", lab("warnings"))));
    if s.warnings.is_empty() {
        out.push(Block::Para(lab("none")));
    } else {
        out.push(Block::Table {
            head: vec![lab("entry"), lab("matched"), lab("reason"), lab("advice")],
            rows: s
                .warnings
                .iter()
                .map(|w| {
                    vec![
                        w.entry.clone(),
                        w.evidence.clone(),
                        w.reason.clone(),
                        w.advice.clone(),
                    ]
                })
                .collect(),
            widths: vec![1.1, 1.4, 2.5, 3.0],
        });
    }

    // The manifest.
    out.push(Block::Heading(lab("manifest")));
    out.push(Block::Small(lab("manifest_note")));
    out.push(Block::Mono(
        s.manifest
            .entries
            .iter()
            .chain(&s.manifest.files)
            .map(|m| format!("{} {}", m.sha256, m.key))
            .collect(),
    ));
    out.push(Block::Fields(vec![(
        lab("manifest_hash"),
        s.manifest.sha256.clone(),
    )]));
    out.push(Block::Small(lab("not_advice")));
    out
}

/// The summary's JSON, base64-encoded, kept in a comment at the end of the
/// Markdown and HTML so that `verify-export` can re-render and compare.
pub(crate) const DATA_MARK: &str = "<!-- casebook-data:";

fn data_comment(s: &Summary) -> Result<String> {
    let json = serde_json::to_vec(s).map_err(|e| Error::internal("exporting", e))?;
    Ok(format!(
        "{DATA_MARK}{} -->\n",
        base64::engine::general_purpose::STANDARD.encode(json)
    ))
}

pub(crate) fn entry_mark(key: &str) -> String {
    format!("<!-- entry:{key} -->")
}

/// Escapes Markdown syntax so that user text shows as typed.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '&' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\r' => {}
            '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A line of Markdown that must not start a list, heading or numbered item.
fn md_line(s: &str) -> String {
    let e = md(s);
    match e.chars().next() {
        Some('-' | '+' | '=') => format!("\\{e}"),
        Some(d) if d.is_ascii_digit() && e.contains(". ") => {
            // "1. text" would become a list item.
            e.replacen(". ", "\\. ", 1)
        }
        _ => e,
    }
}

pub(crate) fn markdown(s: &Summary) -> Result<String> {
    let mut o = String::new();
    for b in blocks(s) {
        match b {
            Block::Title(x) => o.push_str(&format!("# {}\n\n", md(&x))),
            Block::Heading(x) => o.push_str(&format!("## {}\n\n", md(&x))),
            Block::SubHeading(x) => o.push_str(&format!("### {}\n\n", md(&x))),
            Block::Entry { key, text } => {
                o.push_str(&format!("{}\n#### {}\n\n", entry_mark(&key), md(&text)))
            }
            Block::Fields(f) => {
                for (k, v) in f {
                    o.push_str(&format!("- **{}:** {}\n", md(&k), md(&v)));
                }
                o.push('\n');
            }
            Block::Quote { label, text } => {
                if !label.is_empty() {
                    o.push_str(&format!("**{}:**\n\n", md(&label)));
                }
                for line in text.lines() {
                    o.push_str("> ");
                    o.push_str(&md_line(line));
                    o.push_str("  \n");
                }
                o.push('\n');
            }
            Block::Para(x) => o.push_str(&format!("{}\n\n", md_line(&x))),
            Block::Small(x) => o.push_str(&format!("*{}*\n\n", md(&x))),
            Block::Table { head, rows, .. } => {
                o.push_str(&format!(
                    "| {} |\n",
                    head.iter().map(|h| md(h)).collect::<Vec<_>>().join(" | ")
                ));
                o.push_str(&format!("|{}\n", "---|".repeat(head.len())));
                for r in rows {
                    o.push_str(&format!(
                        "| {} |\n",
                        r.iter().map(|c| md(c)).collect::<Vec<_>>().join(" | ")
                    ));
                }
                o.push('\n');
            }
            Block::Mono(lines) => {
                o.push_str("```text\n");
                for l in lines {
                    o.push_str(&l);
                    o.push('\n');
                }
                o.push_str("```\n\n");
            }
        }
    }
    o.push_str(&data_comment(s)?);
    Ok(o)
}

fn h(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const CSS: &str = "body{font-family:'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1d2433;line-height:1.5}\
h1{font-size:1.6rem;border-bottom:2px solid #1d2433;padding-bottom:.3rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #c9ced8}\
h3{font-size:1.05rem}h4{font-size:1rem;margin:1.4rem 0 .3rem;color:#2b3a55}dl{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:.3rem 0}\
dt{font-weight:600}dd{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}blockquote{margin:.3rem 0 .6rem;padding:.3rem .8rem;border-left:3px solid #8a94a6;background:#f5f6f8;white-space:pre-wrap;overflow-wrap:anywhere}\
.label{font-weight:600;margin:.4rem 0 0}table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem;font-size:.9rem}th,td{border:1px solid #c9ced8;padding:.25rem .4rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}\
th{background:#eef0f4}pre{font-size:.75rem;background:#f5f6f8;padding:.5rem;overflow-wrap:anywhere;white-space:pre-wrap}.small{font-size:.85rem;color:#4a5468}\
@media print{body{margin:0;max-width:none}h2{break-after:avoid}h4{break-after:avoid}}";

pub(crate) fn html(s: &Summary) -> Result<String> {
    let lang = match s.lang {
        Lang::En => "en",
        Lang::Zh => "zh-CN",
    };
    let mut o = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        h(&format!("{} — {}", t(s.lang, "case_summary"), s.case.title))
    );
    for b in blocks(s) {
        match b {
            Block::Title(x) => o.push_str(&format!("<h1>{}</h1>\n", h(&x))),
            Block::Heading(x) => o.push_str(&format!("<h2>{}</h2>\n", h(&x))),
            Block::SubHeading(x) => o.push_str(&format!("<h3>{}</h3>\n", h(&x))),
            Block::Entry { key, text } => o.push_str(&format!(
                "{}\n<h4 id=\"{}\">{}</h4>\n",
                entry_mark(&key),
                h(&key),
                h(&text)
            )),
            Block::Fields(f) => {
                o.push_str("<dl>");
                for (k, v) in f {
                    o.push_str(&format!("<dt>{}</dt><dd>{}</dd>", h(&k), h(&v)));
                }
                o.push_str("</dl>\n");
            }
            Block::Quote { label, text } => {
                if !label.is_empty() {
                    o.push_str(&format!("<p class=\"label\">{}</p>", h(&label)));
                }
                o.push_str(&format!("<blockquote>{}</blockquote>\n", h(&text)));
            }
            Block::Para(x) => o.push_str(&format!("<p>{}</p>\n", h(&x))),
            Block::Small(x) => o.push_str(&format!("<p class=\"small\">{}</p>\n", h(&x))),
            Block::Table { head, rows, .. } => {
                o.push_str("<table><thead><tr>");
                for x in head {
                    o.push_str(&format!("<th>{}</th>", h(&x)));
                }
                o.push_str("</tr></thead><tbody>");
                for r in rows {
                    o.push_str("<tr>");
                    for x in r {
                        o.push_str(&format!("<td>{}</td>", h(&x)));
                    }
                    o.push_str("</tr>");
                }
                o.push_str("</tbody></table>\n");
            }
            Block::Mono(lines) => {
                o.push_str("<pre>");
                for l in lines {
                    o.push_str(&h(&l));
                    o.push('\n');
                }
                o.push_str("</pre>\n");
            }
        }
    }
    o.push_str("</body>\n</html>\n");
    o.push_str(&data_comment(s)?);
    Ok(o)
}
