//! The statement layouts Casebook knows, as data: `rules/statements.toml`.
//!
//! Each wallet has a dictionary of its columns — a field such as `gross` and
//! the names it has in every language the wallet exports — and a list of
//! layouts, each recognised by the fields its header must have. A header is
//! read by meaning: `Brutto`, `Bruto` and `Gross` are all `gross`.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::values::norm;

const RULES: &str = include_str!("../../rules/statements.toml");

/// A layout's name in the two languages of the faces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Names {
    pub en: String,
    pub zh: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Rules {
    #[allow(dead_code)]
    pub version: u32,
    /// Per wallet (`paypal`, `generic`…): field → language → names.
    pub columns: BTreeMap<String, BTreeMap<String, BTreeMap<String, Vec<String>>>>,
    pub layout: Vec<LayoutRule>,
    /// Per value set (`balance_impact`…): meaning → language → words.
    pub values: BTreeMap<String, BTreeMap<String, BTreeMap<String, Vec<String>>>>,
    /// Languages that write a decimal comma (`4.626,81`).
    pub decimal_comma: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LayoutRule {
    pub id: String,
    /// The wallet: a key of `columns` and a [`super::Format`] name.
    pub wallet: String,
    pub name: Names,
    /// Fields the header must have.
    pub required: Vec<String>,
    /// A field the header must start with.
    #[serde(default)]
    pub first: Option<String>,
    /// Fields the header must not have (to tell two layouts apart).
    #[serde(default)]
    pub without: Vec<String>,
    /// Which row converter reads it.
    pub convert: String,
    /// Where the data ends: a line whose first cell starts with this.
    #[serde(default)]
    pub end_marker: Option<String>,
    /// The export always closes with the end marker.
    #[serde(default)]
    pub closes: bool,
    /// The fields holding the row's date (for the file's date order).
    #[serde(default)]
    pub dates: Vec<String>,
    /// The fields holding money (for the file's decimal separator).
    #[serde(default)]
    pub amounts: Vec<String>,
}

/// A column name of a dictionary, normalised; `*` stands for any text
/// (`Paid Out (*)` is `Paid Out (EUR)`, and `EUR` is what it stood for).
#[derive(Debug)]
struct Pattern {
    field: String,
    lang: String,
    prefix: String,
    /// `Some(suffix)` for a pattern with `*`.
    suffix: Option<String>,
}

impl Pattern {
    fn capture<'a>(&self, col: &'a str) -> Option<&'a str> {
        match &self.suffix {
            None => (col == self.prefix).then_some(""),
            Some(suffix) => (col.len() > self.prefix.len() + suffix.len()
                && col.starts_with(&self.prefix)
                && col.ends_with(suffix.as_str()))
            .then(|| &col[self.prefix.len()..col.len() - suffix.len()]),
        }
    }
}

pub(crate) struct Dictionary {
    patterns: Vec<Pattern>,
}

/// A header read through a dictionary: where each field is, what a `*`
/// stood for, and the language most of its names are in.
#[derive(Clone, Debug, Default)]
pub(crate) struct Reading {
    pub at: HashMap<String, usize>,
    pub captured: HashMap<String, String>,
    /// Columns no field of the dictionary names.
    pub unknown: Vec<usize>,
    pub language: String,
}

impl Dictionary {
    /// Reads a header. A field's first column wins.
    pub fn read(&self, header: &[String]) -> Reading {
        let mut r = Reading::default();
        let mut votes: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, col) in header.iter().enumerate() {
            let n = norm(col);
            if n.is_empty() {
                continue;
            }
            // Exact names before patterns, so `Balance` is not `Balance (*)`.
            let hit = self
                .patterns
                .iter()
                .filter(|p| p.suffix.is_none())
                .chain(self.patterns.iter().filter(|p| p.suffix.is_some()))
                .find_map(|p| p.capture(&n).map(|cap| (p, cap)));
            let Some((p, cap)) = hit else {
                r.unknown.push(i);
                continue;
            };
            // Every language that has this name gets its vote.
            for q in self
                .patterns
                .iter()
                .filter(|q| q.field == p.field && q.capture(&n).is_some())
            {
                *votes.entry(&q.lang).or_default() += 1;
            }
            if !r.at.contains_key(&p.field) {
                r.at.insert(p.field.clone(), i);
                if !cap.is_empty() {
                    r.captured.insert(p.field.clone(), cap.to_string());
                }
            }
        }
        // The language with the most names; English wins a tie (many names
        // are the same in several languages: Status, Name, Description).
        r.language = votes
            .iter()
            .max_by_key(|(lang, n)| (**n, **lang == "en"))
            .map_or_else(String::new, |(l, _)| l.to_string());
        r
    }
}

pub(crate) struct Compiled {
    pub rules: Rules,
    pub dictionaries: HashMap<String, Dictionary>,
    /// Per value set: normalised word → meaning.
    pub values: HashMap<String, HashMap<String, String>>,
}

fn compile(rules: Rules) -> Compiled {
    let mut dictionaries = HashMap::new();
    for (wallet, fields) in &rules.columns {
        let mut patterns = Vec::new();
        for (field, langs) in fields {
            for (lang, names) in langs {
                for name in names {
                    let n = norm(name);
                    let (prefix, suffix) = match n.split_once('*') {
                        Some((p, s)) => (p.to_string(), Some(s.to_string())),
                        None => (n, None),
                    };
                    patterns.push(Pattern {
                        field: field.clone(),
                        lang: lang.clone(),
                        prefix,
                        suffix,
                    });
                }
            }
        }
        dictionaries.insert(wallet.clone(), Dictionary { patterns });
    }
    let values = rules
        .values
        .iter()
        .map(|(set, meanings)| {
            let words = meanings
                .iter()
                .flat_map(|(meaning, langs)| {
                    langs
                        .values()
                        .flatten()
                        .map(move |w| (norm(w), meaning.clone()))
                })
                .collect();
            (set.clone(), words)
        })
        .collect();
    Compiled {
        rules,
        dictionaries,
        values,
    }
}

/// The rules, read once.
pub(crate) fn rules() -> &'static Compiled {
    static RULES_ONCE: OnceLock<Compiled> = OnceLock::new();
    RULES_ONCE
        .get_or_init(|| compile(toml::from_str(RULES).expect("rules/statements.toml is valid")))
}

impl Compiled {
    /// What a word of a value set means (`Soll` → `debit`).
    pub fn meaning(&self, set: &str, word: &str) -> Option<&str> {
        self.values.get(set)?.get(&norm(word)).map(String::as_str)
    }

    pub fn dictionary(&self, wallet: &str) -> &Dictionary {
        &self.dictionaries[wallet]
    }

    pub fn comma_language(&self, lang: &str) -> bool {
        self.rules.decimal_comma.iter().any(|l| l == lang)
    }
}

impl LayoutRule {
    /// Whether a header read through this layout's wallet dictionary is this
    /// layout.
    pub fn matches(&self, r: &Reading) -> bool {
        self.required.iter().all(|f| r.at.contains_key(f))
            && self.without.iter().all(|f| !r.at.contains_key(f))
            && self.first.as_ref().is_none_or(|f| {
                r.at.get(f)
                    .is_some_and(|&i| i == 0 || r.at.values().all(|&j| j >= i))
            })
    }

    /// How much of this layout a header has, from 0 to 1.
    pub fn share(&self, r: &Reading) -> f64 {
        let found = self
            .required
            .iter()
            .filter(|f| r.at.contains_key(*f))
            .count();
        found as f64 / self.required.len().max(1) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules_are_consistent() {
        let c = rules();
        for l in &c.rules.layout {
            let dict = &c.rules.columns[&l.wallet];
            for f in l
                .required
                .iter()
                .chain(&l.without)
                .chain(&l.dates)
                .chain(&l.amounts)
                .chain(l.first.iter())
            {
                assert!(
                    dict.contains_key(f),
                    "{}: no field {f} in {}",
                    l.id,
                    l.wallet
                );
            }
            assert!(
                ["alipay", "wechat", "paypal", "coinbase", "revolut"].contains(&l.wallet.as_str()),
                "{}",
                l.wallet
            );
        }
        // A name means one field per wallet.
        for (wallet, fields) in &c.rules.columns {
            let mut seen: HashMap<String, &str> = HashMap::new();
            for (field, langs) in fields {
                for n in langs.values().flatten() {
                    if let Some(other) = seen.insert(norm(n), field)
                        && other != field
                    {
                        panic!("{wallet}: {n} is both {other} and {field}");
                    }
                }
            }
        }
    }

    #[test]
    fn patterns_capture_what_the_star_stood_for() {
        let c = rules();
        let r = c
            .dictionary("revolut")
            .read(&["Completed Date ".into(), "Paid Out (EUR)".into()]);
        assert_eq!(r.at["paid_out"], 1);
        assert_eq!(r.captured["paid_out"], "eur");
    }
}
