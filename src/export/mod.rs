//! The escalation-ready case summary: one document that tells the whole
//! story of a case and holds up as evidence.
//!
//! [`Journal::case_summary`] gathers a case into a [`Summary`] (redacted by
//! default); the renderers turn it into Markdown, HTML, PDF or JSON. Every
//! format ends with a [`Manifest`]: the SHA-256 of every entry as exported
//! (its canonical JSON) and of every attached file, and a hash over the
//! manifest, which [`verify_export`] checks.

pub mod labels;
pub mod letter;
mod pdf;
mod redact;
mod render;
mod verify;

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::contacts::Contact;
use crate::db::Journal;
use crate::error::{Error, Problem, Result};
use crate::escalation::Escalation;
use crate::model::{Category, Channel, Direction, ProviderKind, RefKind, Status};
use crate::money::{Currency, Money};
use crate::notes::Note;
use crate::time::At;
use crate::timeline::{StatusChange, TimelineEntry};
use crate::transactions::Transaction;

pub use labels::Lang;
pub use redact::redact_text;
pub use verify::{ExportCheck, verify_export};

/// The name and version of the summary's JSON shape (see ARCHITECTURE.md).
pub const FORMAT_NAME: &str = "casebook.case-summary";
pub const FORMAT_VERSION: u32 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Markdown,
    Html,
    Pdf,
    Json,
}

impl ExportFormat {
    pub fn parse(input: &str) -> Result<ExportFormat> {
        match input.trim().to_ascii_lowercase().as_str() {
            "md" | "markdown" => Ok(ExportFormat::Markdown),
            "html" | "htm" => Ok(ExportFormat::Html),
            "pdf" => Ok(ExportFormat::Pdf),
            "json" => Ok(ExportFormat::Json),
            _ => Err(Error::invalid(Problem::unknown_value(
                "export_format",
                input,
                &["md", "html", "pdf", "json"],
            ))),
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Markdown => "md",
            ExportFormat::Html => "html",
            ExportFormat::Pdf => "pdf",
            ExportFormat::Json => "json",
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct ExportOptions {
    pub lang: Lang,
    /// Mask the user's own account, card and phone numbers and e-mail
    /// addresses to their last 4 characters (what support said is never
    /// altered). On by default.
    pub redact: bool,
    pub exported_at: At,
}

/// The case's own fields, as of the export.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseHeader {
    pub id: i64,
    pub title: String,
    pub provider: Option<String>,
    pub provider_kind: Option<ProviderKind>,
    pub category: Category,
    pub status: Status,
    pub opened_at: At,
    pub days_open: i64,
    pub deadline: Option<NaiveDate>,
    pub amount: Option<Money>,
    pub desired_outcome: String,
    pub summary: String,
    pub tags: Vec<String>,
}

/// One reference number with where it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefRow {
    pub kind: RefKind,
    pub value: String,
    pub at: At,
    /// The entry it was given in: `contact-12` or `transaction-3`.
    pub entry: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PromiseState {
    /// The user marked it done, or support came back by the date.
    Kept,
    /// The date passed with neither.
    NotKept,
    /// The date has not come yet.
    Pending,
}

/// A promise support made (a contact's follow-up) and whether it was kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromiseRow {
    pub contact: String,
    pub made_at: At,
    pub due: NaiveDate,
    pub promise: String,
    pub state: PromiseState,
    /// The contact in which support came back, if any.
    pub kept_by: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyFacts {
    pub first_contact: Option<At>,
    pub contacts: usize,
    pub contacts_by_channel: BTreeMap<String, usize>,
    pub references: Vec<RefRow>,
    pub promises: Vec<PromiseRow>,
}

/// One entry of the exported timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Entry {
    Contact(Contact),
    Note(Note),
    Transaction(Transaction),
    StatusChange(StatusChange),
}

impl Entry {
    pub fn at(&self) -> At {
        match self {
            Entry::Contact(c) => c.at,
            Entry::Note(n) => n.at,
            Entry::Transaction(t) => t.at,
            Entry::StatusChange(s) => s.at,
        }
    }
}

/// Totals of a case's transactions in one currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Total {
    pub currency: Currency,
    pub count: usize,
    #[serde(with = "rust_decimal::serde::str")]
    pub money_in: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub money_out: Decimal,
    /// In minus out.
    #[serde(with = "rust_decimal::serde::str")]
    pub net: Decimal,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceRow {
    pub id: i64,
    pub name: String,
    pub size: u64,
    pub media_type: String,
    pub added_at: At,
    pub sha256: String,
    /// The entry it is attached to, if not the case itself.
    pub attached_to: Option<String>,
}

/// A scam-shield red flag raised in the case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarningRow {
    pub entry: String,
    pub field: String,
    pub rule_id: String,
    pub reason: String,
    pub advice: String,
    pub evidence: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestLine {
    /// `case-1`, `contact-12`, `note-3`, `transaction-4`, `status-2`, `file-7`.
    pub key: String,
    pub sha256: String,
}

/// What a recipient checks: the hash of every entry as exported (its
/// canonical JSON) and of every attached file, and one hash over them all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub algorithm: String,
    pub entries: Vec<ManifestLine>,
    pub files: Vec<ManifestLine>,
    /// SHA-256 of the lines `"<key> <sha256>\n"`, entries then files.
    pub sha256: String,
}

/// A case summary ready to render. Its JSON form is the lossless export.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub format: String,
    pub version: u32,
    pub casebook_version: String,
    pub lang: Lang,
    pub redacted: bool,
    pub exported_at: At,
    pub case: CaseHeader,
    pub facts: KeyFacts,
    pub escalation: Option<Escalation>,
    pub timeline: Vec<Entry>,
    pub totals: Vec<Total>,
    pub evidence: Vec<EvidenceRow>,
    pub warnings: Vec<WarningRow>,
    pub manifest: Manifest,
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The key of an entry in the manifest; status changes are numbered in order.
pub(crate) fn entry_keys(timeline: &[Entry]) -> Vec<String> {
    let mut status_n = 0;
    timeline
        .iter()
        .map(|e| match e {
            Entry::Contact(c) => format!("contact-{}", c.id),
            Entry::Note(n) => format!("note-{}", n.id),
            Entry::Transaction(t) => format!("transaction-{}", t.id),
            Entry::StatusChange(_) => {
                status_n += 1;
                format!("status-{status_n}")
            }
        })
        .collect()
}

/// The manifest of a summary as it stands (computed, not read).
pub(crate) fn compute_manifest(s: &Summary) -> Result<Manifest> {
    let json = |v: &dyn erased::Json| v.to_json();
    let mut entries = vec![ManifestLine {
        key: format!("case-{}", s.case.id),
        sha256: sha256_hex(&json(&s.case)?),
    }];
    for (key, e) in entry_keys(&s.timeline).into_iter().zip(&s.timeline) {
        entries.push(ManifestLine {
            key,
            sha256: sha256_hex(&json(e)?),
        });
    }
    let files: Vec<ManifestLine> = s
        .evidence
        .iter()
        .map(|f| ManifestLine {
            key: format!("file-{}", f.id),
            sha256: f.sha256.clone(),
        })
        .collect();
    let mut text = String::new();
    for l in entries.iter().chain(&files) {
        text.push_str(&l.key);
        text.push(' ');
        text.push_str(&l.sha256);
        text.push('\n');
    }
    Ok(Manifest {
        algorithm: "sha256".into(),
        entries,
        files,
        sha256: sha256_hex(text.as_bytes()),
    })
}

mod erased {
    use crate::error::{Error, Result};

    /// Canonical JSON of one value: serde_json's compact form, fields in
    /// declaration order.
    pub trait Json {
        fn to_json(&self) -> Result<Vec<u8>>;
    }

    impl<T: serde::Serialize> Json for T {
        fn to_json(&self) -> Result<Vec<u8>> {
            serde_json::to_vec(self).map_err(|e| Error::internal("exporting", e))
        }
    }
}

/// Whether each promise was kept: marked done, or an incoming contact by the
/// date; not kept once the date has passed without one.
fn promises(contacts: &[&Contact], today: NaiveDate) -> Vec<PromiseRow> {
    contacts
        .iter()
        .filter_map(|c| c.follow_up.as_ref().map(|f| (c, f)))
        .map(|(c, f)| {
            let came_back = contacts.iter().find(|k| {
                k.direction == Direction::In
                    && k.at.utc_ms > c.at.utc_ms
                    && k.at.local_date() <= f.date
            });
            let state = if f.done || came_back.is_some() {
                PromiseState::Kept
            } else if f.date < today {
                PromiseState::NotKept
            } else {
                PromiseState::Pending
            };
            PromiseRow {
                contact: format!("contact-{}", c.id),
                made_at: c.at,
                due: f.date,
                promise: f.promise.clone(),
                state,
                kept_by: came_back.map(|k| format!("contact-{}", k.id)),
            }
        })
        .collect()
}

fn totals(txns: &[&Transaction]) -> Vec<Total> {
    let mut by: BTreeMap<Currency, Total> = BTreeMap::new();
    for t in txns {
        let e = by.entry(t.money.currency.clone()).or_insert_with(|| Total {
            currency: t.money.currency.clone(),
            count: 0,
            money_in: Decimal::ZERO,
            money_out: Decimal::ZERO,
            net: Decimal::ZERO,
        });
        e.count += 1;
        match t.direction {
            Direction::In => e.money_in += t.money.amount,
            Direction::Out => e.money_out += t.money.amount,
        }
        e.net = e.money_in - e.money_out;
    }
    by.into_values().collect()
}

impl Journal {
    /// Gathers a case into a summary: header, key facts, escalation clocks,
    /// timeline, totals, evidence index, warnings and manifest.
    pub fn case_summary(&self, case_id: i64, opts: ExportOptions) -> Result<Summary> {
        let detail = self.case_detail(case_id)?;
        let escalation = self.escalation(case_id)?;
        let case = detail.case;
        let today = opts.exported_at.local_date();

        // What redaction must leave alone: the numbers that identify the
        // dispute (references and transaction IDs).
        let mut keep: HashSet<String> = detail
            .references
            .iter()
            .map(|r| r.reference.value.clone())
            .collect();
        let mut timeline = Vec::new();
        for e in detail.timeline {
            match e {
                TimelineEntry::Contact(c) => timeline.push(Entry::Contact(c)),
                TimelineEntry::Note(n) => timeline.push(Entry::Note(n)),
                TimelineEntry::Transaction(t) => {
                    keep.insert(t.txid.clone());
                    timeline.push(Entry::Transaction(t));
                }
                TimelineEntry::StatusChange(s) => timeline.push(Entry::StatusChange(s)),
                TimelineEntry::Attachment(_) => {}
            }
        }
        keep.retain(|k| !k.is_empty());
        let clean = |text: &str| -> String {
            let t = crate::shield::mask_secrets(text);
            if opts.redact {
                redact_text(&t, &keep)
            } else {
                t
            }
        };
        // The user's own words are redacted; what support said never is,
        // except that a recovery phrase, key, card number or one-time code is
        // never printed, wherever it was pasted.
        for e in &mut timeline {
            match e {
                Entry::Contact(c) => {
                    c.asked = clean(&c.asked);
                    c.outcome = clean(&c.outcome);
                    c.reply = crate::shield::mask_secrets(&c.reply);
                }
                Entry::Note(n) => n.text = clean(&n.text),
                Entry::Transaction(t) => t.note = clean(&t.note),
                Entry::StatusChange(_) => {}
            }
        }

        let contacts: Vec<&Contact> = timeline
            .iter()
            .filter_map(|e| match e {
                Entry::Contact(c) => Some(c),
                _ => None,
            })
            .collect();
        let mut by_channel = BTreeMap::new();
        for c in &contacts {
            *by_channel.entry(c.channel.key().to_string()).or_insert(0) += 1;
        }
        let mut references: Vec<RefRow> = contacts
            .iter()
            .flat_map(|c| {
                c.references.iter().map(|r| RefRow {
                    kind: r.kind,
                    value: r.value.clone(),
                    at: c.at,
                    entry: format!("contact-{}", c.id),
                })
            })
            .collect();
        let txns: Vec<&Transaction> = timeline
            .iter()
            .filter_map(|e| match e {
                Entry::Transaction(t) => Some(t),
                _ => None,
            })
            .collect();
        references.extend(txns.iter().filter(|t| !t.txid.is_empty()).map(|t| RefRow {
            kind: RefKind::Transaction,
            value: t.txid.clone(),
            at: t.at,
            entry: format!("transaction-{}", t.id),
        }));
        references.sort_by_key(|r| r.at.utc_ms);
        let facts = KeyFacts {
            first_contact: contacts.first().map(|c| c.at),
            contacts: contacts.len(),
            contacts_by_channel: by_channel,
            references,
            promises: promises(&contacts, today),
        };
        let totals = totals(&txns);

        let evidence = detail
            .attachments
            .iter()
            .map(|a| EvidenceRow {
                id: a.id,
                name: a.name.clone(),
                size: a.size,
                media_type: a.media_type.clone(),
                added_at: a.added_at,
                sha256: a.sha256.clone(),
                attached_to: a
                    .contact_id
                    .map(|id| format!("contact-{id}"))
                    .or(a.transaction_id.map(|id| format!("transaction-{id}"))),
            })
            .collect();
        let warnings = detail
            .flags
            .iter()
            .map(|f| WarningRow {
                entry: format!("{}-{}", f.entry, f.entry_id),
                field: f.field.clone(),
                rule_id: f.flag.rule_id.clone(),
                reason: opts
                    .lang
                    .pick(&f.flag.reason_en, &f.flag.reason_zh)
                    .to_string(),
                advice: opts
                    .lang
                    .pick(&f.flag.advice_en, &f.flag.advice_zh)
                    .to_string(),
                evidence: crate::shield::mask_secrets(&f.flag.evidence),
            })
            .collect();

        let header = CaseHeader {
            id: case.id,
            title: clean(&case.title),
            provider: case.provider.as_ref().map(|p| p.name.clone()),
            provider_kind: case.provider.as_ref().map(|p| p.kind),
            category: case.category,
            status: case.status,
            opened_at: case.opened_at,
            days_open: (today - case.opened_at.local_date()).num_days().max(0),
            deadline: case.deadline,
            amount: case.amount.clone(),
            desired_outcome: clean(&case.desired_outcome),
            summary: clean(&case.summary),
            tags: case.tags.clone(),
        };
        let mut summary = Summary {
            format: FORMAT_NAME.into(),
            version: FORMAT_VERSION,
            casebook_version: env!("CARGO_PKG_VERSION").into(),
            lang: opts.lang,
            redacted: opts.redact,
            exported_at: opts.exported_at,
            case: header,
            facts,
            escalation,
            timeline,
            totals,
            evidence,
            warnings,
            manifest: Manifest {
                algorithm: "sha256".into(),
                entries: vec![],
                files: vec![],
                sha256: String::new(),
            },
        };
        summary.manifest = compute_manifest(&summary)?;
        Ok(summary)
    }

    /// The case summary as a file's bytes in the given format.
    pub fn export_case(
        &self,
        case_id: i64,
        format: ExportFormat,
        opts: ExportOptions,
    ) -> Result<Vec<u8>> {
        let summary = self.case_summary(case_id, opts)?;
        render_summary(&summary, format)
    }
}

/// Renders a summary. Same summary ⇒ same bytes.
pub fn render_summary(summary: &Summary, format: ExportFormat) -> Result<Vec<u8>> {
    Ok(match format {
        ExportFormat::Json => {
            let mut v =
                serde_json::to_vec_pretty(summary).map_err(|e| Error::internal("exporting", e))?;
            v.push(b'\n');
            v
        }
        ExportFormat::Markdown => render::markdown(summary)?.into_bytes(),
        ExportFormat::Html => render::html(summary)?.into_bytes(),
        ExportFormat::Pdf => pdf::render(summary)?,
    })
}

/// Writes an exported file: to a temporary file beside it, synced, then
/// renamed, so a crash never leaves half a document under the chosen name.
pub fn save(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| Error::Io(e.error))?;
    Ok(())
}

/// The channel's label in the export's language.
pub(crate) fn channel_label(lang: Lang, key: &str) -> String {
    match Channel::parse(key) {
        Ok(c) => labels::channel(lang, c).to_string(),
        Err(_) => key.to_string(),
    }
}
