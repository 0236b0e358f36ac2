//! Snippets: a short window of an entry's own text around the first match,
//! split into plain and highlighted parts. Parts are data, never markup, so
//! the UI renders them as text.

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use super::query::ParsedQuery;
use super::tokenize::Segment;

/// A piece of a snippet; `hit` pieces matched the query.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SnippetPart {
    pub text: String,
    pub hit: bool,
}

const BEFORE: usize = 30;
const WIDTH: usize = 140;

/// What to highlight, in normalised form.
pub(crate) struct Needles {
    text: Vec<Vec<char>>,
    ids: Vec<Vec<char>>,
}

impl Needles {
    pub(crate) fn from_query(q: &ParsedQuery) -> Needles {
        let mut text = Vec::new();
        let mut ids = Vec::new();
        for term in &q.include {
            for seg in &term.segments {
                match seg {
                    Segment::Word(w) => text.push(w.chars().collect()),
                    Segment::Cjk(run) => text.push(run.clone()),
                }
            }
            if let Some(k) = &term.id_key {
                ids.push(k.chars().collect());
            }
        }
        Needles { text, ids }
    }
}

/// Finds every match of the needles in `text`, as ranges of char indices.
fn matches(text: &str, needles: &Needles) -> Vec<(usize, usize)> {
    // Normalised characters, each with the index of the original char.
    let mut norm: Vec<(char, usize)> = Vec::new();
    for (i, c) in text.chars().enumerate() {
        for n in c.to_string().nfkc().flat_map(char::to_lowercase) {
            norm.push((n, i));
        }
    }
    let mut ranges = Vec::new();
    let mut find = |hay: &[(char, usize)], needle: &[char]| {
        if needle.is_empty() || hay.len() < needle.len() {
            return;
        }
        for start in 0..=hay.len() - needle.len() {
            if hay[start..start + needle.len()]
                .iter()
                .zip(needle)
                .all(|((h, _), n)| h == n)
            {
                ranges.push((hay[start].1, hay[start + needle.len() - 1].1 + 1));
            }
        }
    };
    for n in &needles.text {
        find(&norm, n);
    }
    let alnum: Vec<(char, usize)> = norm
        .iter()
        .copied()
        .filter(|(c, _)| c.is_alphanumeric())
        .collect();
    for n in &needles.ids {
        find(&alnum, n);
    }
    ranges.sort_unstable();
    // Merge overlapping ranges.
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.0 <= last.1 => last.1 = last.1.max(r.1),
            _ => merged.push(r),
        }
    }
    merged
}

/// The snippet for the first field (in the order given) that contains a
/// match; falls back to the start of the first non-empty field.
pub(crate) fn build(
    fields: &[(&'static str, &str)],
    needles: &Needles,
) -> (&'static str, Vec<SnippetPart>) {
    for (name, text) in fields {
        let found = matches(text, needles);
        if !found.is_empty() {
            return (name, window(text, &found));
        }
    }
    let (name, text) = fields
        .iter()
        .find(|(_, t)| !t.trim().is_empty())
        .copied()
        .unwrap_or(("", ""));
    (name, window(text, &[]))
}

fn window(text: &str, found: &[(usize, usize)]) -> Vec<SnippetPart> {
    let chars: Vec<char> = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let first = found.first().map_or(0, |r| r.0);
    let start = first.saturating_sub(BEFORE);
    let end = (start + WIDTH).min(chars.len());
    let mut parts = Vec::new();
    let push = |s: String, hit: bool, parts: &mut Vec<SnippetPart>| {
        if !s.is_empty() {
            parts.push(SnippetPart { text: s, hit });
        }
    };
    let mut pos = start;
    if start > 0 {
        push("…".into(), false, &mut parts);
    }
    for &(a, b) in found {
        let (a, b) = (a.max(pos), b.min(end));
        if a >= b {
            continue;
        }
        push(chars[pos..a].iter().collect(), false, &mut parts);
        push(chars[a..b].iter().collect(), true, &mut parts);
        pos = b;
    }
    push(chars[pos..end].iter().collect(), false, &mut parts);
    if end < chars.len() {
        push("…".into(), false, &mut parts);
    }
    parts
}

/// The snippet as one plain string.
pub fn plain(parts: &[SnippetPart]) -> String {
    parts.iter().map(|p| p.text.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_chinese_and_ids() {
        let q = ParsedQuery::parse("冻结 0001");
        let n = Needles::from_query(&q);
        let (field, parts) = build(
            &[
                ("asked", "nothing here"),
                ("reply", "您的账户已冻结，工单号 TK-2024-0001"),
            ],
            &n,
        );
        assert_eq!(field, "reply");
        let hits: Vec<&str> = parts
            .iter()
            .filter(|p| p.hit)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(hits, vec!["冻结", "0001"]);
        assert_eq!(plain(&parts), "您的账户已冻结，工单号 TK-2024-0001");
    }

    #[test]
    fn long_text_is_cut_around_the_match() {
        let text = format!("{}refund{}", "a ".repeat(200), " b".repeat(200));
        let n = Needles::from_query(&ParsedQuery::parse("refund"));
        let (_, parts) = build(&[("reply", &text)], &n);
        assert_eq!(parts.first().unwrap().text, "…");
        assert!(parts.iter().any(|p| p.hit && p.text == "refund"));
        assert!(plain(&parts).chars().count() <= WIDTH + 2);
    }
}
