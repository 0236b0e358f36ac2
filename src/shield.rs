//! The scam shield: red flags in what "support" said, from a rule set kept as
//! data (`rules/scam-shield.toml`), in Chinese and English.
//!
//! Text is split into clauses, each clause normalised (NFKC, lower case,
//! only letters and digits kept) so spacing, full-width characters and
//! simple obfuscation (`助 记 词`, `s-e-e-d phrase`) do not hide a phrase.
//! A phrase preceded (or closely followed) by a negation cue in its clause is
//! not a flag: "we never ask for your password" is what real support says.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::db::Journal;
use crate::error::{Error, Result};

/// The rule file, compiled in; its `version` is reported with every scan.
const RULES_TOML: &str = include_str!("../rules/scam-shield.toml");

/// Characters of the normalised clause searched for a negation cue before a
/// match, and after it.
const NEGATION_BEFORE: usize = 20;
const NEGATION_AFTER: usize = 6;

#[derive(Debug, Deserialize)]
struct RuleFile {
    version: u32,
    negations: Vec<String>,
    advice: std::collections::BTreeMap<String, Advice>,
    rule: Vec<RuleDef>,
}

#[derive(Debug, Deserialize, Clone)]
struct Advice {
    en: String,
    zh: String,
}

#[derive(Debug, Deserialize)]
struct RuleDef {
    id: String,
    category: String,
    advice: String,
    reason_en: String,
    reason_zh: String,
    any: Vec<String>,
    #[serde(default)]
    with: Vec<String>,
    #[serde(default)]
    positive: Vec<String>,
    #[serde(default)]
    negative: Vec<String>,
}

/// A rule ready to match: phrases already normalised.
#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub category: String,
    pub reason_en: String,
    pub reason_zh: String,
    pub advice_en: String,
    pub advice_zh: String,
    any: Vec<Vec<char>>,
    with: Vec<Vec<char>>,
    /// Example texts the rule must flag, and must not.
    pub positive: Vec<String>,
    pub negative: Vec<String>,
}

#[derive(Debug)]
pub struct RuleSet {
    pub version: u32,
    negations: Vec<Vec<char>>,
    pub rules: Vec<Rule>,
}

/// One red flag in a text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Flag {
    pub rule_id: String,
    pub category: String,
    pub reason_en: String,
    pub reason_zh: String,
    pub advice_en: String,
    pub advice_zh: String,
    /// The words that matched, as written in the text's clause.
    pub evidence: String,
}

/// Normalises one clause: NFKC, lower case, letters and digits only.
fn normalize(s: &str) -> Vec<char> {
    s.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Clauses: split at sentence and clause punctuation and line breaks. A `.`
/// or `,` followed by a letter or digit is part of a word (`forms.gle`,
/// `2,000`), not a break.
fn clauses(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next_is_word = chars.peek().is_some_and(|(_, n)| n.is_alphanumeric());
        let breaks = match c {
            '.' | ',' => !next_is_word,
            '!' | '?' | ';' | '\n' | '\r' | '。' | '！' | '？' | '，' | '；' | '、' | '…' => {
                true
            }
            _ => false,
        };
        if breaks {
            out.push(&text[start..i]);
            start = i + c.len_utf8();
        }
    }
    out.push(&text[start..]);
    out.retain(|c| !c.trim().is_empty());
    out
}

fn find(hay: &[char], needle: &[char]) -> Option<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

fn find_all(hay: &[char], needle: &[char]) -> Vec<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return Vec::new();
    }
    hay.windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect()
}

impl RuleSet {
    fn parse(toml_text: &str) -> std::result::Result<RuleSet, String> {
        let file: RuleFile = toml::from_str(toml_text).map_err(|e| e.to_string())?;
        let mut rules = Vec::new();
        for r in file.rule {
            let advice = file
                .advice
                .get(&r.advice)
                .ok_or_else(|| format!("rule {} names unknown advice {}", r.id, r.advice))?;
            if r.any.is_empty() {
                return Err(format!("rule {} has no phrases", r.id));
            }
            rules.push(Rule {
                any: r.any.iter().map(|p| normalize(p)).collect(),
                with: r.with.iter().map(|p| normalize(p)).collect(),
                id: r.id,
                category: r.category,
                reason_en: r.reason_en,
                reason_zh: r.reason_zh,
                advice_en: advice.en.clone(),
                advice_zh: advice.zh.clone(),
                positive: r.positive,
                negative: r.negative,
            });
        }
        Ok(RuleSet {
            version: file.version,
            negations: file.negations.iter().map(|n| normalize(n)).collect(),
            rules,
        })
    }

    /// The rule set shipped with Casebook.
    pub fn builtin() -> &'static RuleSet {
        static RULES: OnceLock<RuleSet> = OnceLock::new();
        RULES.get_or_init(|| {
            RuleSet::parse(RULES_TOML).expect("rules/scam-shield.toml is valid (checked by tests)")
        })
    }

    /// Whether a cue negates the match at `start..end` of `clause`.
    fn negated(&self, clause: &[char], start: usize, end: usize) -> bool {
        let before = &clause[start.saturating_sub(NEGATION_BEFORE)..start];
        let after = &clause[end..(end + NEGATION_AFTER).min(clause.len())];
        self.negations
            .iter()
            .any(|n| find(before, n).is_some() || find(after, n).is_some())
    }

    /// The rules `text` trips, each once.
    pub fn check(&self, text: &str) -> Vec<Flag> {
        let mut flags: Vec<Flag> = Vec::new();
        for raw in clauses(text) {
            let clause = normalize(raw);
            for rule in &self.rules {
                if flags.iter().any(|f| f.rule_id == rule.id) {
                    continue;
                }
                if !rule.with.is_empty() && !rule.with.iter().any(|w| find(&clause, w).is_some()) {
                    continue;
                }
                let hit = rule.any.iter().find(|p| {
                    find_all(&clause, p)
                        .into_iter()
                        .any(|at| !self.negated(&clause, at, at + p.len()))
                });
                if hit.is_some() {
                    flags.push(Flag {
                        rule_id: rule.id.clone(),
                        category: rule.category.clone(),
                        reason_en: rule.reason_en.clone(),
                        reason_zh: rule.reason_zh.clone(),
                        advice_en: rule.advice_en.clone(),
                        advice_zh: rule.advice_zh.clone(),
                        evidence: raw.trim().chars().take(200).collect(),
                    });
                }
            }
        }
        flags
    }
}

/// A red flag found in one entry of the journal.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct EntryFlag {
    pub case_id: i64,
    /// "contact" or "note".
    pub entry: String,
    pub entry_id: i64,
    /// Which field: "reply", "asked" or "text".
    pub field: String,
    #[serde(flatten)]
    pub flag: Flag,
}

/// What `scan` found and with which rules.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ScanReport {
    pub rules_version: u32,
    pub entries_checked: usize,
    pub flags: Vec<EntryFlag>,
}

impl Journal {
    /// Re-checks what support said in every contact (its reply, and what
    /// the user was told to do in "asked") and every note, of one case or of
    /// all, against the shield's rules.
    pub fn scan(&self, case_id: Option<i64>) -> Result<ScanReport> {
        let rules = RuleSet::builtin();
        let conn = self.read();
        if let Some(id) = case_id {
            crate::cases::ensure_exists(conn, id)?;
        }
        let mut flags = Vec::new();
        let mut checked = 0;
        let mut stmt = conn.prepare(
            "SELECT case_id, 'contact', id, 'reply', reply FROM contacts WHERE deleted_ms IS NULL AND (?1 IS NULL OR case_id = ?1)
             UNION ALL
             SELECT case_id, 'contact', id, 'asked', asked FROM contacts WHERE deleted_ms IS NULL AND (?1 IS NULL OR case_id = ?1)
             UNION ALL
             SELECT case_id, 'note', id, 'text', body FROM notes WHERE deleted_ms IS NULL AND (?1 IS NULL OR case_id = ?1)
             ORDER BY 1, 2, 3",
        )?;
        let rows = stmt.query_map([case_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        for row in rows {
            let (case_id, entry, entry_id, field, text) = row?;
            if text.trim().is_empty() {
                continue;
            }
            checked += 1;
            for flag in rules.check(&text) {
                flags.push(EntryFlag {
                    case_id,
                    entry: entry.clone(),
                    entry_id,
                    field: field.clone(),
                    flag,
                });
            }
        }
        Ok(ScanReport {
            rules_version: rules.version,
            entries_checked: checked,
            flags,
        })
    }
}

/// Checks a text before it is saved (the app warns while the user types).
pub fn check_text(text: &str) -> Vec<Flag> {
    RuleSet::builtin().check(text)
}

/// Parses a rule file (for tests of rule files other than the built-in one).
pub fn parse_rules(toml_text: &str) -> Result<RuleSet> {
    RuleSet::parse(toml_text).map_err(|e| Error::invalid("rules", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn obfuscation_and_width_do_not_hide_a_phrase() {
        assert_eq!(normalize("助 记 词"), normalize("助记词"));
        assert_eq!(normalize("ｓｅｅｄ ＰＨＲＡＳＥ"), normalize("seed phrase"));
        assert_eq!(normalize("s-e-e-d phrase"), normalize("seedphrase"));
    }

    #[test]
    fn every_rule_flags_its_positive_examples_and_not_its_negatives() {
        let set = RuleSet::builtin();
        assert!(set.rules.len() >= 15);
        let mut failures = Vec::new();
        for rule in &set.rules {
            assert!(
                !rule.positive.is_empty() && !rule.negative.is_empty(),
                "rule {} needs positive and negative examples",
                rule.id
            );
            for p in &rule.positive {
                if !set.check(p).iter().any(|f| f.rule_id == rule.id) {
                    failures.push(format!("{} missed: {p}", rule.id));
                }
            }
            for n in &rule.negative {
                let flags = set.check(n);
                if !flags.is_empty() {
                    let ids: Vec<&str> = flags.iter().map(|f| f.rule_id.as_str()).collect();
                    failures.push(format!("{} false alarm ({ids:?}): {n}", rule.id));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn ordinary_support_replies_are_not_flagged() {
        for benign in [
            "Please provide your transaction ID.",
            "请提供您的交易订单号和付款截图",
            "We never ask for your password.",
            "Do not share your verification code with anyone.",
            "您的退款已受理，预计3-5个工作日到账",
            "Your account was frozen by our risk team; please upload your ID in the app.",
            "您的账户因风险控制被临时冻结，请在App内上传身份证明",
            "The case number is CP88812345; a specialist will call you from our official number.",
            "请通过支付宝App内的“我的客服”继续咨询",
        ] {
            assert_eq!(check_text(benign), Vec::<Flag>::new(), "{benign}");
        }
    }

    #[test]
    fn the_issue_story_is_flagged_twice() {
        let reply = "您好，我是支付宝客服。为了给您解冻，请把手机收到的验证码告诉我，然后把余额转到我们的安全账户进行资金核查。";
        let ids: Vec<String> = check_text(reply).into_iter().map(|f| f.rule_id).collect();
        assert!(ids.contains(&"verification_code".to_string()), "{ids:?}");
        assert!(ids.contains(&"safe_account".to_string()), "{ids:?}");
    }
}
