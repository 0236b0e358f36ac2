//! `casebook verify-export FILE`: was an exported summary changed?
//!
//! * JSON: every entry's hash is recomputed from the entry, and the manifest
//!   hash from the lines.
//! * Markdown and HTML: the summary's data kept at the end is checked the
//!   same way, then the document is rendered again from it and compared byte
//!   for byte, so an edit to the visible text is found too (and named by the
//!   entry it is in).
//! * PDF: the summary's JSON embedded in it is checked like a JSON export
//!   (the drawn pages are not compared).
//! * Attached files, when a folder is given: each file there is hashed and
//!   matched against the manifest.

use std::path::Path;

use base64::Engine;
use serde::Serialize;

use super::render::{DATA_MARK, entry_mark};
use super::{ExportFormat, Summary, compute_manifest, render_summary, sha256_hex};
use crate::error::{Error, Problem, Result};

#[derive(Clone, Debug, Serialize)]
pub struct ExportCheck {
    pub format: String,
    pub case_id: i64,
    pub case_title: String,
    pub manifest_sha256: String,
    pub entries: usize,
    pub files: usize,
    /// Files found in the folder given, by manifest key.
    pub files_matched: Vec<String>,
    /// What does not match, in sentences. Empty: the export is intact.
    pub problems: Vec<String>,
}

impl ExportCheck {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// An export that cannot be checked: `flaw` is a term, `detail` technical.
fn bad(flaw: &str, detail: impl std::fmt::Display) -> Error {
    Error::invalid(Problem::ExportUnreadable {
        flaw: flaw.into(),
        detail: detail.to_string(),
    })
}

fn parse_summary(json: &[u8]) -> Result<Summary> {
    serde_json::from_slice(json).map_err(|e| bad("not_summary", e))
}

/// Splits a rendered document at the entry marks: (key, text) pieces.
fn pieces(doc: &str) -> Vec<(String, &str)> {
    let mut out = Vec::new();
    let mut key = "header".to_string();
    let mut rest = doc;
    while let Some(i) = rest.find("<!-- entry:") {
        out.push((key.clone(), &rest[..i]));
        let after = &rest[i + "<!-- entry:".len()..];
        let end = after.find(" -->").unwrap_or(0);
        key = after[..end].to_string();
        rest = &rest[i..];
        let skip = entry_mark(&key).len();
        out.push((format!("{key}:mark"), &rest[..skip.min(rest.len())]));
        rest = &rest[skip.min(rest.len())..];
    }
    out.push((key, rest));
    out
}

/// Checks an exported summary; `files_dir` optionally holds the attached files.
pub fn verify_export(bytes: &[u8], files_dir: Option<&Path>) -> Result<ExportCheck> {
    let pdf = bytes.starts_with(b"%PDF");
    let text = if pdf {
        ""
    } else {
        std::str::from_utf8(bytes).map_err(|_| bad("not_text", ""))?
    };
    let trimmed = text.trim_start();
    let (format, summary) = if pdf {
        let mark = format!("{{\"format\":\"{}\"", super::FORMAT_NAME);
        let Some(i) = bytes.windows(mark.len()).position(|w| w == mark.as_bytes()) else {
            return Err(bad("pdf_no_data", ""));
        };
        let summary = serde_json::Deserializer::from_slice(&bytes[i..])
            .into_iter::<Summary>()
            .next()
            .ok_or_else(|| bad("damaged", ""))?
            .map_err(|e| bad("damaged", e))?;
        ("pdf", summary)
    } else if trimmed.starts_with('{') {
        ("json", parse_summary(bytes)?)
    } else {
        let Some(i) = text.rfind(DATA_MARK) else {
            return Err(bad("no_data", ""));
        };
        let data = &text[i + DATA_MARK.len()..];
        let data = data.split(" -->").next().unwrap_or("");
        let json = base64::engine::general_purpose::STANDARD
            .decode(data.trim())
            .map_err(|_| bad("damaged", ""))?;
        let format = if trimmed.starts_with("<!DOCTYPE html") {
            "html"
        } else {
            "markdown"
        };
        (format, parse_summary(&json)?)
    };
    if summary.format != super::FORMAT_NAME {
        return Err(bad("not_summary", ""));
    }
    let mut problems = Vec::new();
    let recomputed = compute_manifest(&summary)?;
    let listed = &summary.manifest;
    for line in &recomputed.entries {
        match listed.entries.iter().find(|l| l.key == line.key) {
            Some(l) if l.sha256 == line.sha256 => {}
            Some(_) => problems.push(format!("Entry {} was changed after export.", line.key)),
            None => problems.push(format!("Entry {} is not in the manifest.", line.key)),
        }
    }
    for l in &listed.entries {
        if !recomputed.entries.iter().any(|r| r.key == l.key) {
            problems.push(format!("Entry {} of the manifest is missing.", l.key));
        }
    }
    if recomputed.files != listed.files {
        problems.push("The list of attached files differs from the manifest.".into());
    }
    // The manifest's own hash, from its lines as written.
    let mut lines = String::new();
    for l in listed.entries.iter().chain(&listed.files) {
        lines.push_str(&format!("{} {}\n", l.key, l.sha256));
    }
    if sha256_hex(lines.as_bytes()) != listed.sha256 {
        problems
            .push("The manifest itself was changed (its hash does not match its lines).".into());
    }
    if format == "markdown" || format == "html" {
        let fmt = if format == "html" {
            ExportFormat::Html
        } else {
            ExportFormat::Markdown
        };
        let again = String::from_utf8(render_summary(&summary, fmt)?).unwrap_or_default();
        if again != text {
            let (a, b) = (pieces(&again), pieces(text));
            let mut named = false;
            for (x, y) in a.iter().zip(&b) {
                if x != y {
                    let key = y.0.trim_end_matches(":mark");
                    problems.push(if key == "header" {
                        "The text before the timeline (header, key facts or escalation) was changed after export.".to_string()
                    } else {
                        format!("The text of entry {key} (or what follows it) was changed after export.")
                    });
                    named = true;
                    break;
                }
            }
            if !named {
                problems.push("The document's text was changed after export.".into());
            }
        }
    }
    let mut files_matched = Vec::new();
    if let Some(dir) = files_dir {
        let mut found = std::collections::HashSet::new();
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_file() {
                let mut f = std::fs::File::open(&path)?;
                let mut h = <sha2::Sha256 as sha2::Digest>::new();
                std::io::copy(&mut f, &mut h)?;
                found.insert(hex::encode(sha2::Digest::finalize(h)));
            }
        }
        for l in &listed.files {
            if found.contains(&l.sha256) {
                files_matched.push(l.key.clone());
            } else {
                let name = summary
                    .evidence
                    .iter()
                    .find(|e| format!("file-{}", e.id) == l.key)
                    .map(|e| e.name.as_str())
                    .unwrap_or("?");
                problems.push(format!(
                    "No file in {} matches {} (\"{name}\", SHA-256 {}).",
                    dir.display(),
                    l.key,
                    l.sha256
                ));
            }
        }
    }
    Ok(ExportCheck {
        format: format.into(),
        case_id: summary.case.id,
        case_title: summary.case.title.clone(),
        manifest_sha256: listed.sha256.clone(),
        entries: listed.entries.len(),
        files: listed.files.len(),
        files_matched,
        problems,
    })
}
