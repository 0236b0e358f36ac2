//! The scam shield: red flags in what "support" said, from a rule set kept as
//! data (`rules/scam-shield.toml`), in Chinese and English.
//!
//! Text is split into clauses, each clause normalised (NFKC, lower case,
//! only letters and digits kept) so spacing, full-width characters and
//! simple obfuscation (`助 记 词`, `s-e-e-d phrase`) do not hide a phrase.
//! A phrase preceded (or closely followed) by a negation cue in its clause is
//! not a flag: "we never ask for your password" is what real support says.
//!
//! Beside these rules, [`scripts`] recognises whole fake-support scripts by
//! their parts and by their likeness to documented examples.

pub mod scripts;

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::error::{Error, Problem, Result};

/// The rule file, compiled in; its `version` is reported with every scan.
const RULES_TOML: &str = include_str!("../../rules/scam-shield.toml");

/// Characters of the normalised clause searched for a negation cue before a
/// match, and after it.
const NEGATION_BEFORE: usize = 20;
const NEGATION_AFTER: usize = 6;

#[derive(Debug, Deserialize)]
struct RuleFile {
    version: u32,
    negations: Vec<String>,
    /// Cues that make a whole sentence a warning (see the rule file).
    #[serde(default)]
    warning_frames: Vec<String>,
    /// Openings that make a sentence guidance ("you can…", "可以在…").
    #[serde(default)]
    warning_openings: Vec<String>,
    /// Cues of a bulletin's retelling in the third person ("the victim
    /// was told…", "李某某接到电话后…"), and the words of the first and
    /// second person whose absence they need (see the rule file).
    #[serde(default)]
    narration: Narration,
    advice: std::collections::BTreeMap<String, Advice>,
    rule: Vec<RuleDef>,
    /// Texts of the warnings about contact points (`channels.rs`), by kind.
    #[serde(default)]
    channel: std::collections::BTreeMap<String, ChannelTextDef>,
}

#[derive(Debug, Default, Deserialize)]
struct Narration {
    #[serde(default)]
    cues: Vec<String>,
    /// Family names, each followed by each of `after_surname`, are cues too
    /// (张某, 李某某: how bulletins name a victim).
    #[serde(default)]
    surnames: String,
    #[serde(default)]
    after_surname: Vec<String>,
    #[serde(default)]
    persons: Vec<String>,
}

impl Narration {
    fn all_cues(&self) -> Vec<String> {
        let named = self
            .surnames
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(|s| self.after_surname.iter().map(move |a| format!("{s}{a}")));
        self.cues.iter().cloned().chain(named).collect()
    }
}

/// What makes a sentence a warning or guidance rather than something said
/// to the user (see the rule file), normalised.
#[derive(Debug, Default)]
struct Register {
    frames: Phrases,
    openings: Vec<String>,
    narration: Phrases,
    /// Person words in Latin letters, which must stand alone ("i", "me",
    /// "my"), and the others (我, 您), which may stand anywhere.
    latin_persons: Vec<String>,
    other_persons: Phrases,
}

/// Normalised phrases ([`normalize`]), looked for in a normalised text all
/// at once.
#[derive(Debug, Default)]
struct Phrases(Option<aho_corasick::AhoCorasick>);

impl Phrases {
    fn new(list: &[Vec<char>]) -> std::result::Result<Self, String> {
        let patterns: Vec<String> = list
            .iter()
            .filter(|p| !p.is_empty())
            .map(|p| p.iter().collect())
            .collect();
        if patterns.is_empty() {
            return Ok(Phrases(None));
        }
        aho_corasick::AhoCorasick::new(&patterns)
            .map(|a| Phrases(Some(a)))
            .map_err(|e| e.to_string())
    }

    /// Whether any of the phrases is in `text`.
    fn any_in(&self, text: &str) -> bool {
        self.0.as_ref().is_some_and(|a| a.is_match(text))
    }
}

impl Register {
    /// Whether a sentence warns, guides or retells rather than says.
    fn skips(&self, sentence: &str) -> bool {
        let n: String = normalize(sentence).into_iter().collect();
        if self.frames.any_in(&n)
            || self
                .openings
                .iter()
                .any(|o| !o.is_empty() && n.starts_with(o.as_str()))
        {
            return true;
        }
        if !self.narration.any_in(&n) {
            return false;
        }
        if self.other_persons.any_in(&n) {
            return false;
        }
        let lower: String = nfkc(sentence)
            .chars()
            .flat_map(char::to_lowercase)
            .collect();
        !lower
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| self.latin_persons.iter().any(|p| p == w))
    }
}

#[derive(Debug, Deserialize)]
struct ChannelTextDef {
    advice: String,
    reason_en: String,
    reason_zh: String,
}

/// The reason and advice shown for one kind of contact-point warning.
#[derive(Clone, Debug)]
pub struct ChannelText {
    pub reason_en: String,
    pub reason_zh: String,
    pub advice_en: String,
    pub advice_zh: String,
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
    with_sentence: bool,
    /// Flagged whatever the whole message's wording (see
    /// `keywords_genuine` in rules/scam-scripts.toml).
    #[serde(default)]
    always: bool,
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
    /// Whether `with` may be anywhere in the sentence, not only the clause.
    with_sentence: bool,
    /// Flagged even in a message worded like the genuine texts.
    always: bool,
    /// Example texts the rule must flag, and must not.
    pub positive: Vec<String>,
    pub negative: Vec<String>,
}

#[derive(Debug)]
pub struct RuleSet {
    pub version: u32,
    negations: Vec<Vec<char>>,
    register: Register,
    pub rules: Vec<Rule>,
    /// Every rule's phrases (`any`) in one automaton, each phrase once, and
    /// the rules of each pattern.
    phrases: aho_corasick::AhoCorasick,
    phrase_rules: Vec<Vec<usize>>,
    /// Whole scripts, by their parts and the documented examples.
    pub scripts: scripts::Scripts,
    /// The advice of a script warning, by whether it asks something strong.
    script_advice: [Advice; 2],
    /// Texts of the contact-point warnings, by `ChannelFlagKind` key.
    pub channel: std::collections::BTreeMap<String, ChannelText>,
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
    /// For a script warning: the parts it names, in each language (the
    /// reasons say them too, for the CLI and exports; the app lists them).
    pub parts_en: Vec<String>,
    pub parts_zh: Vec<String>,
    /// For a script warning: the documented script it resembles, cited.
    pub resembles: Option<String>,
}

impl Flag {
    /// Whether this is a red flag, rather than the prompt to verify an
    /// unregistered contact point.
    pub fn is_red(&self) -> bool {
        self.rule_id != "channel_unverified"
    }
}

/// `s` in NFKC. Most text is already (plain ASCII, common Chinese): the
/// quick check says so without rebuilding it.
fn nfkc(s: &str) -> std::borrow::Cow<'_, str> {
    match unicode_normalization::is_nfkc_quick(s.chars()) {
        unicode_normalization::IsNormalized::Yes => std::borrow::Cow::Borrowed(s),
        _ => std::borrow::Cow::Owned(s.nfkc().collect()),
    }
}

/// Normalises one clause: NFKC, lower case, letters and digits only.
fn normalize(s: &str) -> Vec<char> {
    nfkc(s)
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Sentences: split at sentence punctuation and line breaks (a `.`
/// followed by a letter or digit is part of a word).
fn sentences(text: &str) -> Vec<&str> {
    split_text(text, false)
}

/// The sentences of `text` that neither warn, guide nor retell (see
/// [`RuleSet::said`]).
fn said_in<'a>(text: &'a str, register: &Register) -> Vec<&'a str> {
    sentences(text)
        .into_iter()
        .filter(|sentence| !register.skips(sentence))
        .collect()
}

/// Clauses: split at sentence and clause punctuation and line breaks. A `.`
/// or `,` followed by a letter or digit is part of a word (`forms.gle`,
/// `2,000`), not a break.
fn clauses(text: &str) -> Vec<&str> {
    split_text(text, true)
}

/// Splits at sentence punctuation, and with `at_clauses` at clause
/// punctuation too (`,` `，` `、` `…`).
fn split_text(text: &str, at_clauses: bool) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next_is_word = chars.peek().is_some_and(|(_, n)| n.is_alphanumeric());
        let breaks = match c {
            '.' => !next_is_word,
            ',' => at_clauses && !next_is_word,
            '!' | '?' | ';' | '\n' | '\r' | '。' | '！' | '？' | '；' => true,
            '，' | '、' | '…' => at_clauses,
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

/// Where `needle` first starts in `hay`: the first character is compared
/// before the rest (comparing every window whole, one `memcmp` call each,
/// took half the shield's time).
fn find(hay: &[char], needle: &[char]) -> Option<usize> {
    let (first, rest) = needle.split_first()?;
    let starts = (hay.len() + 1).checked_sub(needle.len())?;
    (0..starts).find(|&i| hay[i] == *first && hay[i + 1..i + needle.len()] == *rest)
}

/// Normalised characters as a string for an automaton to search, and the
/// character index of each byte offset where a character starts (and of
/// the end), to map its matches back.
fn searchable(chars: &[char]) -> (String, Vec<usize>) {
    let hay: String = chars.iter().collect();
    let mut char_at = vec![0; hay.len() + 1];
    for (ci, (bi, _)) in hay.char_indices().enumerate() {
        char_at[bi] = ci;
    }
    char_at[hay.len()] = chars.len();
    (hay, char_at)
}

impl RuleSet {
    fn parse(toml_text: &str) -> std::result::Result<RuleSet, String> {
        RuleSet::parse_with(toml_text, scripts::SCRIPTS_TOML, scripts::EXAMPLES_TSV)
    }

    fn parse_with(
        toml_text: &str,
        scripts_toml: &str,
        examples_tsv: &str,
    ) -> std::result::Result<RuleSet, String> {
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
                with_sentence: r.with_sentence,
                always: r.always,
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
        let mut channel = std::collections::BTreeMap::new();
        for (kind, t) in file.channel {
            let advice = file
                .advice
                .get(&t.advice)
                .ok_or_else(|| format!("channel text {kind} names unknown advice {}", t.advice))?;
            channel.insert(
                kind,
                ChannelText {
                    reason_en: t.reason_en,
                    reason_zh: t.reason_zh,
                    advice_en: advice.en.clone(),
                    advice_zh: advice.zh.clone(),
                },
            );
        }
        let advice = |key: &str| {
            file.advice
                .get(key)
                .cloned()
                .ok_or_else(|| format!("scripts need the advice {key}"))
        };
        let all = |v: &[String]| -> Vec<Vec<char>> { v.iter().map(|n| normalize(n)).collect() };
        let (latin, other): (Vec<Vec<char>>, Vec<Vec<char>>) = all(&file.narration.persons)
            .into_iter()
            .partition(|p| p.iter().all(char::is_ascii));
        let register = Register {
            frames: Phrases::new(&all(&file.warning_frames))?,
            openings: all(&file.warning_openings)
                .into_iter()
                .map(|o| o.into_iter().collect())
                .collect(),
            narration: Phrases::new(&all(&file.narration.all_cues()))?,
            latin_persons: latin.into_iter().map(|p| p.into_iter().collect()).collect(),
            other_persons: Phrases::new(&other)?,
        };
        // The examples teach the wording of what is said, as the shield
        // reads it: without the sentences that warn or guide.
        let said_of = |text: &str| said_in(text, &register).join(" ");
        let scripts = scripts::Scripts::parse(scripts_toml, examples_tsv, &said_of)?;
        let mut patterns: Vec<String> = Vec::new();
        let mut phrase_rules: Vec<Vec<usize>> = Vec::new();
        for (ri, rule) in rules.iter().enumerate() {
            for phrase in rule.any.iter().filter(|p| !p.is_empty()) {
                let phrase: String = phrase.iter().collect();
                match patterns.iter().position(|p| *p == phrase) {
                    Some(at) if !phrase_rules[at].contains(&ri) => phrase_rules[at].push(ri),
                    Some(_) => {}
                    None => {
                        patterns.push(phrase);
                        phrase_rules.push(vec![ri]);
                    }
                }
            }
        }
        let phrases = aho_corasick::AhoCorasick::new(&patterns).map_err(|e| e.to_string())?;
        Ok(RuleSet {
            phrases,
            phrase_rules,
            version: file.version,
            negations: file.negations.iter().map(|n| normalize(n)).collect(),
            register,
            rules,
            channel,
            scripts,
            script_advice: [advice("verify")?, advice("stop")?],
        })
    }

    /// The rule set shipped with Casebook.
    pub fn builtin() -> &'static RuleSet {
        static RULES: OnceLock<RuleSet> = OnceLock::new();
        RULES.get_or_init(|| {
            RuleSet::parse(RULES_TOML).expect("rules/scam-shield.toml is valid (checked by tests)")
        })
    }

    /// The built-in rules with another script file (laid out as
    /// `rules/scam-scripts.toml`) or learning from other documented examples
    /// (laid out as `rules/shield-examples.tsv`): how `bench-shield` tries a
    /// rule change and cross-validates the development half.
    pub fn builtin_with(scripts_toml: Option<&str>, examples_tsv: Option<&str>) -> Result<RuleSet> {
        RuleSet::files_with(None, scripts_toml, examples_tsv)
    }

    /// As [`RuleSet::builtin_with`], with another rule file too (laid out as
    /// `rules/scam-shield.toml`).
    pub fn files_with(
        rules_toml: Option<&str>,
        scripts_toml: Option<&str>,
        examples_tsv: Option<&str>,
    ) -> Result<RuleSet> {
        RuleSet::parse_with(
            rules_toml.unwrap_or(RULES_TOML),
            scripts_toml.unwrap_or(scripts::SCRIPTS_TOML),
            examples_tsv.unwrap_or(scripts::EXAMPLES_TSV),
        )
        .map_err(|e| {
            Error::invalid(Problem::RulesInvalid {
                which: "shield".into(),
                detail: e,
            })
        })
    }

    /// Red flags and secrets in a text, one flag per rule.
    pub fn check_with_secrets(&self, text: &str) -> Vec<Flag> {
        let mut flags = self.check(text);
        for h in find_secrets(text) {
            let f = secret_flag(&h.kind);
            if !flags.iter().any(|x| x.rule_id == f.rule_id) {
                flags.push(f);
            }
        }
        flags
    }

    /// Whether a cue negates the match at `start..end` of `clause`.
    fn negated(&self, clause: &[char], start: usize, end: usize) -> bool {
        let before = &clause[start.saturating_sub(NEGATION_BEFORE)..start];
        let after = &clause[end..(end + NEGATION_AFTER).min(clause.len())];
        self.negations
            .iter()
            .any(|n| find(before, n).is_some() || find(after, n).is_some())
    }

    /// The sentences of `text` that say something, rather than warn ("we
    /// will never ask…", "任何…都是诈骗"), guide ("you can…", "可以在…") or
    /// retell a case in a bulletin's words ("李某某接到电话后…").
    pub fn said<'a>(&self, text: &'a str) -> Vec<&'a str> {
        said_in(text, &self.register)
    }

    /// The rules `text` trips, each once, then the script warning if the
    /// text reads like one. A text worded very much like the genuine texts
    /// keeps only the flags of rules marked `always`.
    pub fn check(&self, text: &str) -> Vec<Flag> {
        self.check_with_parts(text).0
    }

    /// [`RuleSet::check`], and the parts of a script found in the text
    /// (for adding up across a case's contacts).
    pub fn check_with_parts(&self, text: &str) -> (Vec<Flag>, scripts::Found) {
        let mut flags: Vec<Flag> = Vec::new();
        let said = self.said(text);
        // Each sentence normalised once, when a rule whose `with` may stand
        // in another clause needs it.
        let wholes: Vec<std::cell::OnceCell<Vec<char>>> =
            said.iter().map(|_| std::cell::OnceCell::new()).collect();
        for (s, raw) in said
            .iter()
            .enumerate()
            .flat_map(|(s, sentence)| clauses(sentence).into_iter().map(move |c| (s, c)))
        {
            let clause = normalize(raw);
            // The rules with a phrase in the clause that no cue negates.
            let (hay, char_at) = searchable(&clause);
            let mut hit = vec![false; self.rules.len()];
            for m in self.phrases.find_overlapping_iter(&hay) {
                let rules = &self.phrase_rules[m.pattern().as_usize()];
                if rules.iter().all(|&r| hit[r]) {
                    continue;
                }
                if !self.negated(&clause, char_at[m.start()], char_at[m.end()]) {
                    for &r in rules {
                        hit[r] = true;
                    }
                }
            }
            for (rule, _) in self.rules.iter().zip(&hit).filter(|(_, h)| **h) {
                if flags.iter().any(|f| f.rule_id == rule.id) {
                    continue;
                }
                if !rule.with.is_empty() {
                    let in_clause = rule.with.iter().any(|w| find(&clause, w).is_some());
                    let in_sentence = || {
                        let whole = wholes[s].get_or_init(|| normalize(said[s]));
                        rule.with.iter().any(|w| find(whole, w).is_some())
                    };
                    if !(in_clause || rule.with_sentence && in_sentence()) {
                        continue;
                    }
                }
                flags.push(Flag {
                    rule_id: rule.id.clone(),
                    category: rule.category.clone(),
                    reason_en: rule.reason_en.clone(),
                    reason_zh: rule.reason_zh.clone(),
                    advice_en: rule.advice_en.clone(),
                    advice_zh: rule.advice_zh.clone(),
                    evidence: raw.trim().chars().take(200).collect(),
                    parts_en: Vec::new(),
                    parts_zh: Vec::new(),
                    resembles: None,
                });
            }
        }
        let (flag, found, whole_odds) = self.script_flag(&said);
        if self.scripts.keywords_quoted(whole_odds) {
            // Worded much like the genuine texts (a warning, a how-to): the
            // keyword rules' words are quoted there, not said.
            flags.retain(|f| self.rules.iter().any(|r| r.id == f.rule_id && r.always));
        }
        flags.extend(flag);
        (flags, found)
    }

    /// The script warning for what a text says (`said`: its sentences that
    /// neither warn nor guide), if their parts and wording make one (see
    /// [`scripts`]).
    fn script_flag(&self, said: &[&str]) -> (Option<Flag>, scripts::Found, f64) {
        let mut found = scripts::Found::default();
        let mut evidence: Vec<&str> = Vec::new();
        let mut worded_request = false;
        // Each sentence's log-odds of being a script, from the examples.
        let (odds, whole_odds, chinese) = self.scripts.message_log_odds(said);
        for (sentence, &log_odds) in said.iter().zip(&odds) {
            let directed = self.scripts.is_directive(sentence);
            let mut here = scripts::Found::default();
            for clause in clauses(sentence) {
                self.scripts
                    .find_parts(clause, directed, &mut here, |c, s, e| self.negated(c, s, e));
            }
            if !here.is_empty() {
                let before = found.clone();
                found.merge(&here);
                if found != before {
                    evidence.push(sentence.trim());
                }
                worded_request = worded_request || self.scripts.worded_request(log_odds, &here);
            }
        }
        // The most script-like sentence; a text whose every sentence warns
        // or guides says nothing to flag.
        let Some((best, best_sentence)) = odds
            .iter()
            .copied()
            .zip(said.iter().copied())
            .max_by(|a, b| a.0.total_cmp(&b.0))
        else {
            return (None, found, 0.0);
        };
        let wording = self.scripts.message_wording(whole_odds, chinese);
        let script = match wording {
            scripts::Wording::Script => true,
            scripts::Wording::Genuine => false,
            scripts::Wording::Undecided => self.scripts.is_script(best, &found, worded_request),
        };
        if !script {
            return (None, found, whole_odds);
        }
        if evidence.is_empty() {
            evidence.push(best_sentence.trim());
        }
        // Flagged on its wording with no part to name, the warning names
        // the documented script it is most like, however far.
        let resembles = match self.scripts.resembles(best_sentence) {
            None if found.is_empty() => self.scripts.most_alike(&said.join(" "), 0.0),
            r => r,
        };
        let flag = self.script_warning(
            "script",
            &found,
            resembles,
            false,
            evidence.join(" … ").chars().take(200).collect(),
        );
        (Some(flag), found, whole_odds)
    }

    /// A script warning naming its parts (and the documented script it
    /// resembles), in both languages; `across` when the parts were found
    /// across several contacts of a case.
    pub fn script_warning(
        &self,
        rule_id: &str,
        found: &scripts::Found,
        resembles: Option<&scripts::Example>,
        across: bool,
        evidence: String,
    ) -> Flag {
        let parts = self.scripts.named_parts(found);
        let en_parts: Vec<&str> = parts.iter().map(|p| p.en.as_str()).collect();
        let zh_parts: Vec<&str> = parts.iter().map(|p| p.zh.as_str()).collect();
        let (mut en, mut zh) = match (across, parts.is_empty()) {
            (true, _) => (
                format!(
                    "Together with earlier contacts in this case, this reads like a fake-support script: {}.",
                    en_parts.join(" · ")
                ),
                format!(
                    "与本案之前的联系合在一起看，这是假客服的话术：{}。",
                    zh_parts.join(" · ")
                ),
            ),
            (false, false) => (
                format!(
                    "Reads like a fake-support script: {}.",
                    en_parts.join(" · ")
                ),
                format!("疑似假客服话术：{}。", zh_parts.join(" · ")),
            ),
            (false, true) => (
                "Reads like a documented fake-support script.".to_string(),
                "与已记录的假客服话术相似。".to_string(),
            ),
        };
        if let Some(e) = resembles {
            en.push_str(&format!(
                " It resembles a script documented in: {}.",
                e.cited()
            ));
            zh.push_str(&format!("与有记录的诈骗话术相似，出处：{}。", e.cited()));
        }
        let advice = &self.script_advice[usize::from(self.scripts.asks_something_strong(found))];
        Flag {
            rule_id: rule_id.into(),
            category: "script".into(),
            reason_en: en,
            reason_zh: zh,
            advice_en: advice.en.clone(),
            advice_zh: advice.zh.clone(),
            evidence,
            parts_en: en_parts.iter().map(|p| p.to_string()).collect(),
            parts_zh: zh_parts.iter().map(|p| p.to_string()).collect(),
            resembles: resembles.map(|e| e.cited()),
        }
    }
}

/// Checks a text before it is saved (the app warns while the user types),
/// or as search shows it. The built-in rules never change while the program
/// runs, so a text's flags are kept: searching as the user types finds the
/// same entries for "r", "re", "ref"…, and each is checked once.
pub fn check_text(text: &str) -> Vec<Flag> {
    /// What the kept flags' texts may take in all, in bytes.
    const KEPT_BYTES: usize = 4 << 20;
    /// Each text's flags, and the bytes their texts take.
    type Kept = (HashMap<String, Vec<Flag>>, usize);
    static KEPT: OnceLock<Mutex<Kept>> = OnceLock::new();
    let kept = KEPT.get_or_init(Default::default);
    if let Some(flags) = kept.lock().ok().and_then(|k| k.0.get(text).cloned()) {
        return flags;
    }
    let flags = RuleSet::builtin().check(text);
    if text.len() <= KEPT_BYTES / 64
        && let Ok(mut k) = kept.lock()
    {
        if k.1 + text.len() > KEPT_BYTES {
            *k = Default::default();
        }
        k.1 += text.len();
        k.0.insert(text.to_string(), flags.clone());
    }
    flags
}

/// Parses a rule file (for tests of rule files other than the built-in one).
pub fn parse_rules(toml_text: &str) -> Result<RuleSet> {
    RuleSet::parse(toml_text).map_err(|e| {
        Error::invalid(Problem::RulesInvalid {
            which: "shield".into(),
            detail: e.to_string(),
        })
    })
}

// ---------------------------------------------------------------------------
// Secret-leak guard: what a scammer asks for should never be kept in a journal.

/// A secret found in a text the user is about to save.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SecretHit {
    /// "recovery_phrase", "private_key", "card_number" or "one_time_code".
    pub kind: String,
    /// Byte range in the text.
    pub start: usize,
    pub end: usize,
}

const SECRET_ADVICE_EN: &str = "This is exactly what scammers ask for, and it should not be kept in a journal (or shown to anyone). Mask it before saving; if you already gave it to someone, contact the provider through its official app at once.";
const SECRET_ADVICE_ZH: &str = "这正是骗子索要的信息，不应记在日志里，也不要给任何人看。请在保存前遮盖；如果已经告诉过别人，请立即通过官方 App 联系平台。";

fn secret_flag(kind: &str) -> Flag {
    let (en, zh) = match kind {
        "recovery_phrase" => (
            "This looks like a wallet recovery phrase (12–24 BIP-39 words).",
            "这看起来像钱包助记词（12–24 个 BIP-39 单词）。",
        ),
        "private_key" => ("This looks like a private key.", "这看起来像私钥。"),
        "card_number" => (
            "This looks like a full card number (it passes the Luhn check).",
            "这看起来像完整的银行卡号（通过了 Luhn 校验）。",
        ),
        _ => (
            "This looks like a one-time verification code.",
            "这看起来像一次性验证码。",
        ),
    };
    Flag {
        rule_id: format!("secret_{kind}"),
        category: "secret_leak".into(),
        reason_en: en.into(),
        reason_zh: zh.into(),
        advice_en: SECRET_ADVICE_EN.into(),
        advice_zh: SECRET_ADVICE_ZH.into(),
        evidence: String::new(),
        parts_en: Vec::new(),
        parts_zh: Vec::new(),
        resembles: None,
    }
}

/// Words with their byte ranges: runs of ASCII letters.
fn ascii_words(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_ascii_alphabetic(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

fn recovery_phrases(text: &str, hits: &mut Vec<SecretHit>) {
    let list = bip39::Language::English.word_list();
    let words = ascii_words(text);
    let mut run: Vec<(usize, usize)> = Vec::new();
    let mut flush = |run: &mut Vec<(usize, usize)>| {
        if run.len() >= 12 {
            hits.push(SecretHit {
                kind: "recovery_phrase".into(),
                start: run[0].0,
                end: run[run.len() - 1].1,
            });
        }
        run.clear();
    };
    for (i, &(a, b)) in words.iter().enumerate() {
        let w = text[a..b].to_ascii_lowercase();
        // Only whitespace (or a number like "1." in a numbered list) between words of one run.
        let joined = i > 0 && {
            let gap = &text[words[i - 1].1..a];
            gap.chars()
                .all(|c| c.is_whitespace() || c.is_ascii_digit() || matches!(c, '.' | ')' | ','))
        };
        if !joined {
            flush(&mut run);
        }
        if list.binary_search(&w.as_str()).is_ok() {
            run.push((a, b));
        } else {
            flush(&mut run);
        }
    }
    flush(&mut run);
}

fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let d = u32::from(*d);
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Card numbers: 13–19 digits (spaces or dashes between groups allowed),
/// a card network's prefix, and a valid Luhn checksum.
fn card_numbers(text: &str, hits: &mut Vec<SecretHit>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && bytes[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let start = i;
        let mut digits = Vec::new();
        let mut end = i;
        let mut j = i;
        while j < bytes.len() {
            if bytes[j].is_ascii_digit() {
                digits.push(bytes[j] - b'0');
                j += 1;
                end = j;
            } else if matches!(bytes[j], b' ' | b'-')
                && j + 1 < bytes.len()
                && bytes[j + 1].is_ascii_digit()
            {
                j += 1;
            } else {
                break;
            }
        }
        // Visa, Mastercard, Amex, JCB, UnionPay, Discover.
        let prefix_ok = matches!(
            digits.as_slice(),
            [4, ..]
                | [5, 1..=5, ..]
                | [2, 2..=7, ..]
                | [3, 4 | 7, ..]
                | [3, 5, ..]
                | [6, 2, ..]
                | [6, 0, 1, 1, ..]
                | [6, 5, ..]
        );
        if (13..=19).contains(&digits.len()) && prefix_ok && luhn(&digits) {
            hits.push(SecretHit {
                kind: "card_number".into(),
                start,
                end,
            });
        }
        i = end.max(i + 1);
    }
}

/// Private keys: WIF (51–52 base58 characters starting 5, K or L) always;
/// 64 hex characters only when the text calls it a key (a transaction hash
/// has the same shape and is fine to keep).
fn private_keys(text: &str, hits: &mut Vec<SecretHit>) {
    let lower = text.to_lowercase();
    let says_key = [
        "private key",
        "privatekey",
        "privkey",
        "私钥",
        "密钥",
        "秘钥",
        "secret key",
    ]
    .iter()
    .any(|k| lower.contains(k));
    let mut start = None;
    let check = |a: usize, b: usize, hits: &mut Vec<SecretHit>| {
        let tok = text[a..b].trim_start_matches("0x");
        let base58 = |c: char| c.is_ascii_alphanumeric() && !matches!(c, '0' | 'O' | 'I' | 'l');
        let wif = (51..=52).contains(&tok.len())
            && tok.starts_with(['5', 'K', 'L'])
            && tok.chars().all(base58);
        let hex = tok.len() == 64 && tok.chars().all(|c| c.is_ascii_hexdigit());
        if wif || (hex && says_key) {
            hits.push(SecretHit {
                kind: "private_key".into(),
                start: a,
                end: b,
            });
        }
    };
    for (i, c) in text.char_indices() {
        match (c.is_ascii_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                check(s, i, hits);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        check(s, text.len(), hits);
    }
}

/// One-time codes: 4–8 digits next to a word for "code" in the same clause
/// ("验证码是 482913", "your code is 482913", "482913 is your OTP").
fn one_time_codes(text: &str, hits: &mut Vec<SecretHit>) {
    let cues = [
        "验证码",
        "校验码",
        "动态码",
        "短信码",
        "code",
        "otp",
        "passcode",
    ];
    let mut offset = 0;
    for clause in clauses(text) {
        let base = text[offset..].find(clause).map_or(offset, |p| offset + p);
        offset = base + clause.len();
        let lower = clause.to_lowercase();
        if !cues.iter().any(|c| lower.contains(c)) {
            continue;
        }
        let b = clause.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) {
                let mut j = i;
                while j < b.len() && b[j].is_ascii_digit() {
                    j += 1;
                }
                let alone = j == b.len() || !b[j].is_ascii_alphanumeric();
                if alone && (4..=8).contains(&(j - i)) {
                    hits.push(SecretHit {
                        kind: "one_time_code".into(),
                        start: base + i,
                        end: base + j,
                    });
                }
                i = j;
            } else {
                i += 1;
            }
        }
    }
}

/// Secrets in a text, in order, not overlapping.
pub fn find_secrets(text: &str) -> Vec<SecretHit> {
    let mut hits = Vec::new();
    recovery_phrases(text, &mut hits);
    private_keys(text, &mut hits);
    card_numbers(text, &mut hits);
    one_time_codes(text, &mut hits);
    hits.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
    let mut out: Vec<SecretHit> = Vec::new();
    for h in hits {
        if out.last().is_none_or(|l| h.start >= l.end) {
            out.push(h);
        }
    }
    out
}

/// The text with every secret masked: card numbers keep their last 4
/// digits, everything else becomes a label.
pub fn mask_secrets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for h in find_secrets(text) {
        out.push_str(&text[at..h.start]);
        let secret = &text[h.start..h.end];
        match h.kind.as_str() {
            "card_number" => {
                let digits: String = secret.chars().filter(char::is_ascii_digit).collect();
                out.push_str(&format!("**** {}", &digits[digits.len() - 4..]));
            }
            "one_time_code" => out.push_str(&"*".repeat(secret.len())),
            "recovery_phrase" => out.push_str("[recovery phrase removed / 助记词已遮盖]"),
            _ => out.push_str("[private key removed / 私钥已遮盖]"),
        }
        at = h.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Red flags and secrets in a text, one flag per rule.
pub fn check_with_secrets(text: &str) -> Vec<Flag> {
    RuleSet::builtin().check_with_secrets(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Warnings that quote a keyword rule's words where its negation cue is
    /// too far away, and that rule (flagged before `keywords_genuine`).
    const WORDED_LIKE_WARNINGS: &[(&str, &str)] = &[
        (
            "Please do not share your password or one-time code with anyone, including our staff.",
            "verification_code",
        ),
        (
            "如果有人自称客服，要求您提供验证码，请立即挂断并拨打官方电话核实。",
            "verification_code",
        ),
    ];

    /// Fails, naming the rules, when the shield flags `text`.
    fn assert_not_flagged(text: &str) {
        let flags = check_text(text);
        assert!(
            flags.is_empty(),
            "{text}: {:?}",
            flags.iter().map(|f| &f.rule_id).collect::<Vec<_>>()
        );
    }

    /// Issue 16's genuine warnings: the scam words inside a sentence that
    /// warns, across its clauses and lists, are not a request. A scam that
    /// says "don't tell your family" is still one.
    #[test]
    fn a_sentence_that_warns_is_not_flagged_whatever_its_clauses_say() {
        for warning in [
            "我们不会以任何理由要求您提供验证码，也不会要求您把资金转到安全账户。",
            "任何以解冻账户、退款为由要求您转账或提供验证码的，都是诈骗。",
            "客服不会要求您下载会议软件、开启屏幕共享或把钱转到所谓的安全账户。",
            "公检法机关不会通过电话办案，也不会提供所谓的安全账户。",
            "取款密码和短信验证码要严格保密，任何人索要，请坚决不提供。",
            "MetaMask representatives will never ask for it, even in a support chat: not your password, not your Secret Recovery Phrase.",
            "Under no circumstances would we ask you to transfer money to a safe account.",
        ] {
            assert_not_flagged(warning);
        }
        for scam in [
            "请把验证码告诉我，不要告诉家人，这是保密调查。",
            "为了资金安全，请马上把余额转到安全账户。",
            "Please transfer your balance to this safe account now.",
        ] {
            assert!(!check_text(scam).is_empty(), "{scam}");
        }
    }

    /// Issue 16's how-to about one's own secrets: backing up, checking and
    /// restoring one's own recovery phrase, what 备用金 is. Handing the
    /// phrase over is still flagged.
    #[test]
    fn how_to_about_ones_own_phrase_is_not_flagged_but_handing_it_over_is() {
        for howto in [
            "Write your 24-word recovery phrase on paper and check each word against the list before you store it.",
            "To restore your wallet on a new device, select Restore from recovery phrase.",
            "备份助记词后，请按顺序点选单词，确认备份无误。",
            "备用金是支付宝提供的小额资金周转服务，额度500元，期限7天。",
        ] {
            assert_not_flagged(howto);
        }
        for scam in [
            "Enter your recovery phrase on this page to validate your wallet.",
            "请把助记词导入这个新钱包，我们帮您同步资产。",
        ] {
            assert!(!check_text(scam).is_empty(), "{scam}");
        }
    }

    /// The built-in script file without the settings named (each a whole
    /// `key = value` line), whatever their values.
    fn scripts_without(keys: &[&str]) -> String {
        let t: String = scripts::SCRIPTS_TOML
            .lines()
            .filter(|l| !keys.iter().any(|k| l.starts_with(&format!("{k} = "))))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(
            scripts::SCRIPTS_TOML.lines().count() - t.lines().count(),
            keys.len(),
            "{keys:?}"
        );
        t
    }

    /// A request in a sentence worded like the documented scripts is a
    /// script without an identity or a pretext (`examples_alone`); the
    /// same sentence is not when the parts alone decide.
    #[test]
    fn a_request_worded_like_the_documented_scripts_needs_no_other_part() {
        let sentence =
            "Please transfer the money to the account I give you so we can cancel the charge.";
        let script = |rules: &RuleSet| rules.check(sentence).iter().any(|f| f.rule_id == "script");
        assert!(script(RuleSet::builtin()));
        let parts_only = scripts_without(&["examples_alone", "examples_only", "message_alone"]);
        assert!(!script(
            &RuleSet::builtin_with(Some(&parts_only), None).unwrap()
        ));
    }

    /// A message with one part, one of whose sentences is worded much like
    /// the documented scripts, is a script (`examples_only`), asking or not;
    /// the same message is not when the parts decide alone (wording with
    /// no part: see `a_message_is_judged_on_its_whole_wording`).
    #[test]
    fn a_part_worded_like_the_documented_scripts_is_a_script() {
        let script =
            |rules: &RuleSet, text: &str| rules.check(text).iter().any(|f| f.rule_id == "script");
        let without = scripts_without(&["examples_only", "message_alone"]);
        let without = RuleSet::builtin_with(Some(&without), None).unwrap();
        let text = "您的福利单还差两单，做完才能一起返还本金和佣金。";
        assert!(script(RuleSet::builtin(), text), "{text}");
        assert!(!script(&without, text), "{text}");
    }

    /// A whole message worded much like the documented scripts is one on
    /// its wording alone (`message_alone`), and the warning names the
    /// documented script it is most like; a message worded like the genuine
    /// texts gets no script warning (`message_genuine`), and worded very
    /// much like them, no keyword warning either (`keywords_genuine`).
    /// A user's own short notes are not flagged.
    #[test]
    fn a_message_is_judged_on_its_whole_wording() {
        let toml =
            |drop: &str| RuleSet::builtin_with(Some(&scripts_without(&[drop])), None).unwrap();
        let without_alone = toml("message_alone");
        // Names no part (no identity cue, no pretext, nothing asked).
        let pitch = "您好，这里是邮政局，您有一个包裹被查出藏有毒品。";
        let flags = check_text(pitch);
        let script = flags.iter().find(|f| f.rule_id == "script");
        let script = script.unwrap_or_else(|| panic!("{pitch}: {flags:?}"));
        assert!(script.resembles.is_some(), "{script:?}");
        assert!(script.reason_zh.contains("出处"), "{}", script.reason_zh);
        assert!(without_alone.check(pitch).is_empty(), "{pitch}");

        let without_genuine = toml("keywords_genuine");
        for (text, rule) in WORDED_LIKE_WARNINGS {
            assert_not_flagged(text);
            let old = without_genuine.check(text);
            assert!(old.iter().any(|f| f.rule_id == *rule), "{text}: {old:?}");
        }
        for note in [
            "I had hotpot and paid twice, please send a refund",
            "Your wallet has been synced, no action needed",
            "我吃火锅付了两次钱，请帮我退一次。",
            "钱包已同步，无需操作。",
            "The bank told me my card was frozen because of a suspicious payment; I went to the branch with my ID.",
            "我保存了通话记录，客服调取了通话记录。",
            "Once you send back the item we'll issue your refund.",
        ] {
            assert_not_flagged(note);
        }
    }

    /// A bulletin retelling a case in the third person is not flagged;
    /// the same story told by the user about themselves, or said to them,
    /// still is.
    #[test]
    fn a_retelling_in_the_third_person_is_not_flagged_but_a_users_own_account_is() {
        for text in [
            "对方自称是某地公安局警官，声称李某某的账户涉嫌一起洗钱案件，要求她将存款存入“安全账户”进行调查。",
            "The victim was told by a man posing as a bank fraud officer to move her savings to a safe account.",
        ] {
            assert_not_flagged(text);
        }
        // A user's own notes, terse and in the third person, are still
        // read (the call panel's "对方要求…" was the end-to-end test's).
        for text in [
            "对方自称是公安局警官，说我的账户涉嫌洗钱，要求我将存款转入安全账户。",
            "王女士，您的账户涉嫌洗钱，请把存款转入安全账户配合调查。",
            "A man claiming to be from PayPal asked me to read back the code and move my money to a safe account.",
            "对方要求下载腾讯会议并共享屏幕",
            "某宝客服要求共享屏幕，再把余额转到安全账户",
            "Caller said he was from PayPal and asked me to read the code to cancel the payment",
            "我从未开通百万保障，客服让我下载会议软件",
            "老人接到电话，对方要求转账到安全账户",
            "上周某天对方要求下载腾讯会议",
            // A caller's own line that names fraudsters.
            "Your account has been targeted by fraudsters; move your balance to a safe account now.",
        ] {
            assert!(!check_text(text).is_empty(), "{text}");
        }
    }

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
    fn secrets_are_found_and_masked() {
        let phrase =
            "abandon ability able about above absent absorb abstract absurd abuse access accident";
        let text = format!("客服让我发助记词：{phrase}，我没发");
        let hits = find_secrets(&text);
        assert_eq!(hits.len(), 1);
        assert_eq!(&text[hits[0].start..hits[0].end], phrase);
        assert!(!mask_secrets(&text).contains("abandon"));
        // A numbered list of words is still a phrase; 11 words are not.
        let numbered = "1. abandon 2. ability 3. able 4. about 5. above 6. absent 7. absorb 8. abstract 9. absurd 10. abuse 11. access 12. accident";
        assert_eq!(find_secrets(numbered)[0].kind, "recovery_phrase");
        assert!(
            find_secrets(
                "abandon ability able about above absent absorb abstract absurd abuse access"
            )
            .is_empty()
        );
        // Ordinary English is not a phrase.
        assert!(find_secrets("Please wait while we review your refund request and call you back tomorrow about the case").is_empty());

        let card = "my card 4111 1111 1111 1111 was charged";
        assert_eq!(mask_secrets(card), "my card **** 1111 was charged");
        assert!(
            find_secrets("order 4111 1111 1111 1112").is_empty(),
            "bad checksum"
        );
        assert!(
            find_secrets("交易号 2026111222001400001400000011").is_empty(),
            "28-digit IDs are not cards"
        );

        assert_eq!(
            mask_secrets("验证码是 482913，请勿泄露"),
            "验证码是 ******，请勿泄露"
        );
        assert_eq!(mask_secrets("Your code is 482913."), "Your code is ******.");
        assert!(find_secrets("Refund of 2000 CNY for order 55310").is_empty());

        let wif = "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ";
        assert_eq!(find_secrets(&format!("key {wif}"))[0].kind, "private_key");
        let hash = "a".repeat(64);
        assert!(find_secrets(&format!("tx hash {hash}")).is_empty());
        assert_eq!(
            find_secrets(&format!("my private key is {hash}"))[0].kind,
            "private_key"
        );
        let flags = check_with_secrets(&format!("here: {phrase}"));
        assert!(flags.iter().any(|f| f.rule_id == "secret_recovery_phrase"));
    }

    #[test]
    fn the_issue_story_is_flagged_twice() {
        let reply = "您好，我是支付宝客服。为了给您解冻，请把手机收到的验证码告诉我，然后把余额转到我们的安全账户进行资金核查。";
        let ids: Vec<String> = check_text(reply).into_iter().map(|f| f.rule_id).collect();
        assert!(ids.contains(&"verification_code".to_string()), "{ids:?}");
        assert!(ids.contains(&"safe_account".to_string()), "{ids:?}");
    }
}
