//! Fake-support *scripts*, recognised by their parts and by their likeness
//! to documented examples, rather than by one keyword (issue 16).
//!
//! Two data files drive it:
//! - `rules/scam-scripts.toml`: the parts of a script (who they claim to be,
//!   the pretext, what they ask, the pressure), each with its cues and its
//!   weight, and how the parts add up;
//! - `rules/shield-examples.tsv`: documented fake-support scripts and
//!   genuine support texts and warnings, each with its source. The shield
//!   counts, once, how often each word (English) or pair of characters
//!   (Chinese) occurs in the scripts and in the genuine texts; a sentence's
//!   log-odds of being a script is the sum over its words (naive Bayes).
//!
//! The whole message's log-odds (its sentences' words counted once)
//! decides first: very script-like, it is a script; genuine-like, it is
//! not. Otherwise a message is a script when its best sentence's log-odds
//! plus `parts_weight × (parts' score − threshold)` is above zero: the
//! parts decide when they are clear, the examples when the wording is. The
//! warning names the parts found and the documented script the message
//! resembles most, with its source.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{BuildHasherDefault, Hasher};

use serde::Deserialize;

use super::normalize;

pub(super) const SCRIPTS_TOML: &str = include_str!("../../rules/scam-scripts.toml");
pub(super) const EXAMPLES_TSV: &str = include_str!("../../rules/shield-examples.tsv");

#[derive(Debug, Deserialize)]
struct ScriptFile {
    version: u32,
    decision: Decision,
    directives: DirectivesDef,
    part: Vec<PartDef>,
}

#[derive(Debug, Deserialize)]
struct DirectivesDef {
    anywhere: Vec<String>,
    openings: Vec<String>,
}

/// How the parts and the examples add up (see the rule file).
#[derive(Clone, Debug, Deserialize)]
pub struct Decision {
    /// The parts' score that counts as a script on the parts alone.
    pub threshold: f64,
    /// What one point of the parts' score weighs.
    pub parts_weight: f64,
    /// What one unit of the examples' log-odds weighs.
    pub examples_weight: f64,
    /// The share of its weight a request keeps in a sentence that asks
    /// nothing.
    pub undirected: f64,
    /// Added to a part's weight (as a share of it) for each further cue of
    /// the same part, at most twice.
    pub cue_bonus: f64,
    /// Additive smoothing of the examples' counts.
    pub smoothing: f64,
    /// Least share of words a message must share with a documented script
    /// for the warning to name that script.
    pub resemblance: f64,
    /// The examples' log-odds at which a sentence that asks something reads
    /// as a script even when fewer parts are found than the threshold asks
    /// (its wording is that of the documented scripts). None: the parts
    /// always decide.
    #[serde(default)]
    pub examples_alone: Option<f64>,
    /// The examples' log-odds at which a message with at least one part
    /// reads as a script on its most script-like sentence's wording,
    /// whether it asks something or not. None: never.
    #[serde(default)]
    pub examples_only: Option<f64>,
    /// The log-odds of a whole message (everything it says, counted as one
    /// text) at which it reads as a script on its wording alone, in English
    /// and in Chinese. None: never.
    #[serde(default)]
    pub message_alone: Option<[f64; 2]>,
    /// The whole message's log-odds at or below which no script warning is
    /// given: worded like the genuine texts. None: never withheld.
    #[serde(default)]
    pub message_genuine: Option<f64>,
    /// The whole message's log-odds at or below which the keyword rules'
    /// flags are withheld too. None: never.
    #[serde(default)]
    pub keywords_genuine: Option<f64>,
}

#[derive(Debug, Deserialize)]
struct PartDef {
    id: String,
    kind: String,
    #[serde(default = "one")]
    weight: f64,
    en: String,
    zh: String,
    cues: Vec<String>,
}

fn one() -> f64 {
    1.0
}

/// What a whole message's wording says on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wording {
    Script,
    Genuine,
    Undecided,
}

/// The four kinds of part a script is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PartKind {
    Identity,
    Pretext,
    Request,
    Pressure,
}

impl PartKind {
    fn parse(s: &str) -> Option<PartKind> {
        Some(match s {
            "identity" => PartKind::Identity,
            "pretext" => PartKind::Pretext,
            "request" => PartKind::Request,
            "pressure" => PartKind::Pressure,
            _ => return None,
        })
    }

    /// How many parts of this kind count towards the score (the heaviest).
    fn counted(self) -> usize {
        match self {
            PartKind::Pretext | PartKind::Request => 2,
            PartKind::Identity | PartKind::Pressure => 1,
        }
    }
}

/// One part of a script, with its cues normalised.
#[derive(Debug)]
pub struct Part {
    pub id: String,
    pub kind: PartKind,
    pub weight: f64,
    /// How a warning names it, in each language.
    pub en: String,
    pub zh: String,
    cues: Vec<Vec<char>>,
}

/// A documented example: a script or a genuine text, with its source.
#[derive(Debug)]
pub struct Example {
    pub lang: String,
    pub scam: bool,
    pub kind: String,
    pub text: String,
    pub source: String,
    /// How many distinct words ([`features`]) its text holds.
    feature_count: usize,
}

/// One part found: the indices of its cues found, and whether it was
/// found in a sentence that asks (only requests care).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Hit {
    cues: BTreeSet<usize>,
    directed: bool,
}

impl Example {
    /// Its source as a warning cites it: the title and the site's name,
    /// without the link (an export holds no links; the rule file keeps them).
    pub fn cited(&self) -> String {
        let link = self
            .source
            .find("http://")
            .or_else(|| self.source.find("https://"));
        let Some(at) = link else {
            return self.source.clone();
        };
        let rest = &self.source[at..];
        let url = &rest[..rest.find(char::is_whitespace).unwrap_or(rest.len())];
        let host = url::Url::parse(url).ok().and_then(|u| {
            u.host_str()
                .map(|h| h.trim_start_matches("www.").to_string())
        });
        let title = format!("{}{}", &self.source[..at], &rest[url.len()..]);
        let title = title.trim().trim_matches([',', '，', ' ']);
        match (title.is_empty(), host) {
            (false, Some(h)) => format!("{title} ({h})"),
            (true, Some(h)) => h,
            (false, None) => title.to_string(),
            (true, None) => String::new(),
        }
    }
}

/// The parts found in one text or across several, by part index.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Found(BTreeMap<usize, Hit>);

impl Found {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many parts were found.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Adds what another text held.
    pub fn merge(&mut self, other: &Found) {
        for (p, hit) in &other.0 {
            let mine = self.0.entry(*p).or_default();
            mine.cues.extend(&hit.cues);
            mine.directed |= hit.directed;
        }
    }
}

/// How many Chinese characters and Latin letters or digits a text holds.
/// A text is Chinese when its Chinese characters are at least a quarter
/// as many as its letters and digits (one Chinese character says about as
/// much as a short English word): "您的PayPal账户已被限制" is Chinese,
/// "Call 支付宝 customer service at 95188" is English.
#[derive(Clone, Copy, Debug, Default)]
pub struct Script {
    cjk: usize,
    latin: usize,
}

impl Script {
    pub fn of(text: &str) -> Self {
        let mut s = Self::default();
        for c in text.chars() {
            if crate::search::tokenize::is_cjk(c) {
                s.cjk += 1;
            } else if c.is_ascii_alphanumeric() {
                s.latin += 1;
            }
        }
        s
    }

    fn add(&mut self, other: Self) {
        self.cjk += other.cjk;
        self.latin += other.latin;
    }

    pub fn chinese(self) -> bool {
        self.cjk > 0 && self.cjk * 4 >= self.latin
    }
}

#[derive(Debug)]
pub struct Scripts {
    pub version: u32,
    pub decision: Decision,
    pub parts: Vec<Part>,
    pub examples: Vec<Example>,
    directives_anywhere: super::Phrases,
    directives_openings: Vec<String>,
    /// Every part's cues in one automaton, and (part, cue) of each pattern.
    cues: aho_corasick::AhoCorasick,
    cue_of: Vec<(usize, usize)>,
    /// Each word's ln(P(word | script) / P(word | genuine)), in English
    /// and in Chinese texts, by the word's [`Feature`]. No prior: the
    /// examples' share of scripts is no measure of how often support lies.
    log_ratio: [Vec<(Feature, f64)>; 2],
    /// The documented scripts holding each word (indices into `examples`),
    /// for finding the one a message resembles without comparing it with
    /// every script.
    scripts_with: Postings,
}

/// Each word's documented scripts, packed: the words sorted, each with the
/// start of its scripts in `scripts` (a map of vectors took four times the
/// memory).
#[derive(Debug, Default)]
struct Postings {
    words: Vec<(Feature, u32)>,
    scripts: Vec<u32>,
}

impl Postings {
    fn new(mut pairs: Vec<(Feature, u32)>) -> Self {
        pairs.sort_unstable();
        let mut p = Postings::default();
        for (f, script) in pairs {
            if p.words.last().is_none_or(|w| w.0 != f) {
                p.words.push((f, p.scripts.len() as u32));
            }
            p.scripts.push(script);
        }
        p.words.shrink_to_fit();
        p.scripts.shrink_to_fit();
        p
    }

    /// The scripts holding `f`.
    fn get(&self, f: Feature) -> &[u32] {
        let Ok(i) = self.words.binary_search_by_key(&f, |w| w.0) else {
            return &[];
        };
        let end = self
            .words
            .get(i + 1)
            .map_or(self.scripts.len(), |w| w.1 as usize);
        &self.scripts[self.words[i].1 as usize..end]
    }
}

/// A value by word, from a table sorted by word.
fn lookup(table: &[(Feature, f64)], f: Feature) -> Option<f64> {
    table
        .binary_search_by_key(&f, |e| e.0)
        .ok()
        .map(|i| table[i].1)
}

/// A word or pair of words (see [`features`]), kept as a 64-bit hash of
/// its text rather than the text: with the examples' words as strings the
/// loaded shield held 13.3 MB of heap (3.6 MB now), and a message's words
/// are hashed without building a string.
/// Two of the examples' ~100,000 words share a hash with a chance of about
/// one in 10^9.
pub(super) type Feature = u64;

/// Passes a [`Feature`], already a hash, through as its own hash.
#[derive(Default)]
struct FeatureHasher(u64);

impl Hasher for FeatureHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys are hashed; anything else still hashes (FNV-1a).
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type FeatureMap<V> = HashMap<Feature, V, BuildHasherDefault<FeatureHasher>>;

/// FNV-1a over a word's tag and characters.
struct FeatureHash(u64);

impl FeatureHash {
    fn new(tag: u8) -> Self {
        let mut h = FeatureHash(0xcbf2_9ce4_8422_2325);
        h.add(char::from(tag));
        h
    }
    fn add(&mut self, c: char) {
        for b in (c as u32).to_le_bytes() {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn add_all(&mut self, cs: &[char]) {
        for &c in cs {
            self.add(c);
        }
    }
}

/// Normalises like the shield's rules (NFKC, lower case, letters and digits
/// only) and marks where each word starts: a Latin letter or digit after a
/// space or punctuation, and every Chinese character.
pub(super) fn normalize_words(s: &str) -> (Vec<char>, Vec<bool>) {
    let mut chars: Vec<char> = Vec::new();
    let mut starts = Vec::new();
    let mut after_gap = true;
    for c in super::nfkc(s).chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            let start = after_gap || !c.is_ascii() || chars.last().is_some_and(|p| !p.is_ascii());
            chars.push(c);
            starts.push(start);
            after_gap = false;
        } else {
            after_gap = true;
        }
    }
    (chars, starts)
}

/// What the examples are counted by: English words and pairs of adjacent
/// words, Chinese pairs of adjacent characters; each once, as hashes
/// ([`Feature`]), sorted.
pub(super) fn features(text: &str) -> Vec<Feature> {
    let (chars, starts) = normalize_words(text);
    let mut out = Vec::new();
    // Each English word, as a range of `chars`.
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut word: Option<usize> = None;
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii() {
            if starts[i]
                && let Some(w) = word
            {
                words.push((w, i));
                word = None;
            }
            word.get_or_insert(i);
        } else {
            if let Some(w) = word.take() {
                words.push((w, i));
            }
            if let Some(&next) = chars.get(i + 1).filter(|n| !n.is_ascii()) {
                let mut h = FeatureHash::new(b'z');
                h.add(c);
                h.add(next);
                out.push(h.0);
            }
        }
    }
    if let Some(w) = word {
        words.push((w, chars.len()));
    }
    for pair in words.windows(2) {
        let mut h = FeatureHash::new(b'b');
        h.add_all(&chars[pair[0].0..pair[0].1]);
        h.add('_');
        h.add_all(&chars[pair[1].0..pair[1].1]);
        out.push(h.0);
    }
    for &(a, b) in &words {
        let mut h = FeatureHash::new(b'w');
        h.add_all(&chars[a..b]);
        out.push(h.0);
    }
    out.sort_unstable();
    out.dedup();
    out
}

impl Scripts {
    /// `said` gives the part of an example's text the shield would read
    /// (its sentences that neither warn nor guide); the examples' words
    /// are counted there.
    pub(super) fn parse(
        toml_text: &str,
        examples_tsv: &str,
        said: &dyn Fn(&str) -> String,
    ) -> Result<Scripts, String> {
        let file: ScriptFile = toml::from_str(toml_text).map_err(|e| e.to_string())?;
        let mut parts = Vec::new();
        for p in file.part {
            let kind = PartKind::parse(&p.kind)
                .ok_or_else(|| format!("part {} has unknown kind {}", p.id, p.kind))?;
            let cues: Vec<Vec<char>> = p
                .cues
                .iter()
                .map(|c| normalize(c))
                .filter(|c| !c.is_empty())
                .collect();
            if cues.is_empty() || p.en.is_empty() || p.zh.is_empty() {
                return Err(format!("part {} needs cues and both names", p.id));
            }
            parts.push(Part {
                id: p.id,
                kind,
                weight: p.weight,
                en: p.en,
                zh: p.zh,
                cues,
            });
        }
        let mut examples = Vec::new();
        let mut lines = examples_tsv.lines().filter(|l| !l.starts_with('#'));
        if lines.next() != Some("lang\tlabel\tkind\ttext\tsource") {
            return Err("the examples file's header is not lang, label, kind, text, source".into());
        }
        for (i, line) in lines.enumerate() {
            let cols: Vec<&str> = line.split('\t').collect();
            let [lang, label, kind, text, source] = cols.as_slice() else {
                return Err(format!("example {i} has {} columns", cols.len()));
            };
            let scam = match *label {
                "scam" => true,
                "genuine" => false,
                other => return Err(format!("example {i} has label {other}")),
            };
            examples.push(Example {
                lang: lang.to_string(),
                scam,
                kind: kind.to_string(),
                text: text.to_string(),
                source: source.to_string(),
                feature_count: 0,
            });
        }
        let scams = examples.iter().filter(|e| e.scam).count() as f64;
        let genuine = examples.len() as f64 - scams;
        if scams == 0.0 || genuine == 0.0 {
            return Err("the examples need both scripts and genuine texts".into());
        }
        let mut in_scripts: Vec<(Feature, u32)> = Vec::new();
        for (i, e) in examples.iter_mut().enumerate() {
            let f = features(&e.text);
            e.feature_count = f.len();
            if e.scam {
                in_scripts.extend(f.into_iter().map(|f| (f, i as u32)));
            }
        }
        let scripts_with = Postings::new(in_scripts);
        // Per language (Chinese and English texts share few words): how
        // many scripts and genuine texts hold each word where it is said.
        let mut counts: [FeatureMap<(f64, f64)>; 2] = Default::default();
        let mut totals = [(0.0, 0.0); 2];
        for e in &examples {
            let l = usize::from(e.lang == "zh");
            let said = said(&e.text);
            if said.trim().is_empty() {
                continue;
            }
            if e.scam {
                totals[l].0 += 1.0;
            } else {
                totals[l].1 += 1.0;
            }
            for f in features(&said) {
                let c = counts[l].entry(f).or_default();
                if e.scam {
                    c.0 += 1.0;
                } else {
                    c.1 += 1.0;
                }
            }
        }
        let a = file.decision.smoothing;
        let [en, zh] = counts;
        let ratios = |counts: FeatureMap<(f64, f64)>, (scams, genuine): (f64, f64)| {
            counts
                .into_iter()
                .map(|(f, (s, g))| {
                    let r =
                        ((s + a) / (scams + 2.0 * a)).ln() - ((g + a) / (genuine + 2.0 * a)).ln();
                    (f, r)
                })
                .collect::<Vec<(Feature, f64)>>()
        };
        let mut log_ratio = [ratios(en, totals[0]), ratios(zh, totals[1])];
        for table in &mut log_ratio {
            table.sort_unstable_by_key(|e| e.0);
            table.shrink_to_fit();
        }
        let mut patterns: Vec<String> = Vec::new();
        let mut cue_of = Vec::new();
        for (pi, part) in parts.iter().enumerate() {
            for (ci, cue) in part.cues.iter().enumerate() {
                patterns.push(cue.iter().collect());
                cue_of.push((pi, ci));
            }
        }
        let cues = aho_corasick::AhoCorasick::new(&patterns).map_err(|e| e.to_string())?;
        let norm_all = |v: &[String]| -> Vec<Vec<char>> {
            v.iter()
                .map(|c| normalize(c))
                .filter(|c| !c.is_empty())
                .collect()
        };
        Ok(Scripts {
            version: file.version,
            directives_anywhere: super::Phrases::new(&norm_all(&file.directives.anywhere))?,
            directives_openings: norm_all(&file.directives.openings)
                .into_iter()
                .map(|o| o.into_iter().collect())
                .collect(),
            cues,
            cue_of,
            decision: file.decision,
            parts,
            examples,
            log_ratio,
            scripts_with,
        })
    }

    /// Whether a sentence asks something (see `[directives]`).
    pub fn is_directive(&self, sentence: &str) -> bool {
        let n: String = normalize(sentence).into_iter().collect();
        self.directives_anywhere.any_in(&n)
            || self
                .directives_openings
                .iter()
                .any(|d| n.starts_with(d.as_str()))
    }

    /// Adds the parts found in one clause of a sentence that asks
    /// something (`directed`) or not. A request negated in its clause
    /// ("请勿转账") does not count (`negated` is the rules' negation test),
    /// nor a cue inside a longer cue's match (续费 in 手续费).
    pub(super) fn find_parts(
        &self,
        clause: &str,
        directed: bool,
        found: &mut Found,
        negated: impl Fn(&[char], usize, usize) -> bool,
    ) {
        let (chars, starts) = normalize_words(clause);
        let (hay, char_at) = super::searchable(&chars);
        // (part, cue, start, end) of every match, in chars.
        let mut matches: Vec<(usize, usize, usize, usize)> = Vec::new();
        for m in self.cues.find_overlapping_iter(&hay) {
            let (pi, ci) = self.cue_of[m.pattern().as_usize()];
            let part = &self.parts[pi];
            let (a, b) = (char_at[m.start()], char_at[m.end()]);
            // A Latin cue starts a word ("chase" is not in "purchase").
            if part.cues[ci][0].is_ascii() && !starts[a] {
                continue;
            }
            if part.kind == PartKind::Request && negated(&chars, a, b) {
                continue;
            }
            matches.push((pi, ci, a, b));
        }
        for &(pi, ci, a, b) in &matches {
            let inside_longer = matches
                .iter()
                .any(|&(_, _, oa, ob)| oa <= a && b <= ob && ob - oa > b - a);
            if inside_longer {
                continue;
            }
            let hit = found.0.entry(pi).or_default();
            hit.cues.insert(ci);
            hit.directed |= directed;
        }
    }

    /// The parts that count, with their weights: each part its weight
    /// (more for each further cue of it), the heaviest of each kind up to
    /// the kind's limit.
    fn counted(&self, found: &Found) -> Vec<(usize, f64)> {
        let mut by_kind: BTreeMap<PartKind, Vec<(usize, f64)>> = BTreeMap::new();
        for (p, hit) in &found.0 {
            let part = &self.parts[*p];
            let more = (hit.cues.len().saturating_sub(1)).min(2) as f64;
            let weight = if part.kind == PartKind::Request && !hit.directed {
                part.weight * self.decision.undirected
            } else {
                part.weight
            };
            by_kind
                .entry(part.kind)
                .or_default()
                .push((*p, weight * (1.0 + self.decision.cue_bonus * more)));
        }
        by_kind
            .into_iter()
            .flat_map(|(kind, mut w)| {
                // Heaviest first; of equal weight, the part listed later in
                // the rule file (the more specific: police before support).
                w.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.0.cmp(&a.0)));
                w.into_iter().take(kind.counted())
            })
            .collect()
    }

    /// The parts' score: the sum of the weights of the parts that count.
    pub fn score(&self, found: &Found) -> f64 {
        self.counted(found).iter().map(|(_, w)| w).sum()
    }

    fn sum_ratios(&self, features: &[Feature], chinese: bool) -> f64 {
        let ratios = &self.log_ratio[usize::from(chinese)];
        features
            .iter()
            .filter_map(|&f| lookup(ratios, f))
            .sum::<f64>()
    }

    /// Each sentence's log-odds, and the whole message's (its sentences'
    /// words counted once, as one text), with whether the message is
    /// Chinese ([`Script::of`]). Each sentence is weighed in its own
    /// language, and its words are found once.
    pub fn message_log_odds(&self, sentences: &[&str]) -> (Vec<f64>, f64, bool) {
        let mut all: Vec<Feature> = Vec::new();
        let mut letters = Script::default();
        let odds = sentences
            .iter()
            .map(|s| {
                let here = Script::of(s);
                letters.add(here);
                let f = features(s);
                let odds = self.sum_ratios(&f, here.chinese());
                if sentences.len() > 1 {
                    all.extend(f);
                }
                odds
            })
            .collect::<Vec<f64>>();
        let chinese = letters.chinese();
        let whole = match odds.as_slice() {
            [one] => *one,
            _ => {
                all.sort_unstable();
                all.dedup();
                self.sum_ratios(&all, chinese)
            }
        };
        (odds, whole, chinese)
    }

    /// Whether a whole message's wording (`log_odds` of everything it says)
    /// makes it a script alone, or rules one out.
    pub fn message_wording(&self, log_odds: f64, chinese: bool) -> Wording {
        let d = &self.decision;
        if d.message_alone
            .is_some_and(|t| log_odds >= t[usize::from(chinese)])
        {
            Wording::Script
        } else if d.message_genuine.is_some_and(|g| log_odds <= g) {
            Wording::Genuine
        } else {
            Wording::Undecided
        }
    }

    /// Whether a message is worded so much like the genuine texts that the
    /// keyword rules' words in it are quoted, not said.
    pub fn keywords_quoted(&self, log_odds: f64) -> bool {
        self.decision
            .keywords_genuine
            .is_some_and(|g| log_odds <= g)
    }

    /// Whether a message is a script, from the log-odds of its most
    /// script-like sentence, the parts found in the message, and whether
    /// one sentence both asks something and is worded like the documented
    /// scripts ([`Scripts::worded_request`]). With at least one part, a
    /// sentence worded enough like them (`examples_only`) decides alone.
    pub fn is_script(&self, best_log_odds: f64, found: &Found, worded_request: bool) -> bool {
        let d = &self.decision;
        if d.examples_only.is_some_and(|o| best_log_odds >= o) && !found.is_empty() {
            return true;
        }
        let score = self.score(found);
        // Two kinds of part, a request counting only where it is asked.
        let kinds: BTreeSet<PartKind> = found
            .0
            .iter()
            .filter(|(p, hit)| self.parts[**p].kind != PartKind::Request || hit.directed)
            .map(|(p, _)| self.parts[*p].kind)
            .collect();
        (worded_request || kinds.len() >= 2 || score >= d.threshold)
            && d.examples_weight * best_log_odds + d.parts_weight * (score - d.threshold) > 0.0
    }

    /// Whether one sentence, with the parts found in it alone, asks
    /// something outright and is worded like the documented scripts
    /// (log-odds of `examples_alone` or more).
    pub fn worded_request(&self, log_odds: f64, found_in_sentence: &Found) -> bool {
        self.decision.examples_alone.is_some_and(|a| log_odds >= a)
            && found_in_sentence
                .0
                .iter()
                .any(|(p, hit)| self.parts[*p].kind == PartKind::Request && hit.directed)
    }

    /// Whether the parts alone make a script (used across a case's
    /// contacts, where the examples' wording is spread over several texts):
    /// enough weight, and something strong asked outright.
    pub fn parts_make_a_script(&self, found: &Found) -> bool {
        self.score(found) >= self.decision.threshold
            && found.0.iter().any(|(p, hit)| {
                let part = &self.parts[*p];
                part.kind == PartKind::Request && part.weight >= 2.0 && hit.directed
            })
    }

    /// The documented script `text` resembles most, if it shares enough
    /// of its words.
    pub fn resembles(&self, text: &str) -> Option<&Example> {
        self.most_alike(text, self.decision.resemblance)
    }

    /// The documented script sharing the largest share of its words with
    /// `text`, if that share is at least `least` (and above zero).
    pub fn most_alike(&self, text: &str, least: f64) -> Option<&Example> {
        let mine = features(text);
        if mine.is_empty() {
            return None;
        }
        // Words shared with each example, by example index.
        let mut shared: Vec<u32> = vec![0; self.examples.len()];
        for f in &mine {
            for &i in self.scripts_with.get(*f) {
                shared[i as usize] += 1;
            }
        }
        shared
            .into_iter()
            .enumerate()
            .filter(|&(_, n)| n > 0)
            .map(|(i, n)| {
                let n = n as usize;
                let e = &self.examples[i];
                let all = (mine.len() + e.feature_count - n) as f64;
                (n as f64 / all, i)
            })
            .filter(|(j, _)| *j >= least && *j > 0.0)
            // The most alike; of equal likeness, the first in the file.
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
            .map(|(_, i)| &self.examples[i])
    }

    /// The parts that count, in the order identity, pretext, request,
    /// pressure (the heaviest first within a kind).
    pub fn named_parts<'a>(&'a self, found: &Found) -> Vec<&'a Part> {
        self.counted(found)
            .into_iter()
            .map(|(p, _)| &self.parts[p])
            .collect()
    }

    /// Whether something strong is asked (money, codes, an app): the advice
    /// is then to stop, not only to check.
    pub fn asks_something_strong(&self, found: &Found) -> bool {
        found
            .0
            .keys()
            .any(|p| self.parts[*p].kind == PartKind::Request && self.parts[*p].weight >= 2.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_file_and_the_examples_load_and_every_part_is_named_in_both_languages() {
        let s = Scripts::parse(SCRIPTS_TOML, EXAMPLES_TSV, &|t| t.to_string()).unwrap();
        assert!(s.parts.len() >= 15);
        for kind in [
            PartKind::Identity,
            PartKind::Pretext,
            PartKind::Request,
            PartKind::Pressure,
        ] {
            assert!(s.parts.iter().any(|p| p.kind == kind), "{kind:?}");
        }
        assert!(s.examples.iter().filter(|e| e.scam).count() >= 150);
        assert!(s.examples.iter().filter(|e| !e.scam).count() >= 150);
        assert!(s.examples.iter().all(|e| e.source.len() >= 8));
    }

    #[test]
    fn a_message_is_chinese_by_how_much_of_it_is_chinese() {
        assert!(Script::of("您的PayPal账户已被限制").chinese());
        assert!(Script::of("请提供验证码").chinese());
        assert!(
            !Script::of("Call 支付宝 customer service at 95188 to close the account").chinese()
        );
        assert!(!Script::of("Your Alipay account is frozen").chinese());
        assert!(!Script::of("12345").chinese());
    }

    #[test]
    fn latin_cues_start_a_word_and_chinese_cues_match_anywhere() {
        let s = Scripts::parse(SCRIPTS_TOML, EXAMPLES_TSV, &|t| t.to_string()).unwrap();
        let ids = |text: &str| {
            let mut f = Found::default();
            s.find_parts(text, true, &mut f, |_, _, _| false);
            f.0.keys()
                .map(|p| s.parts[*p].id.clone())
                .collect::<Vec<_>>()
        };
        assert!(!ids("a purchase of groceries").contains(&"claims_platform".to_string()));
        assert!(ids("this is Chase calling").contains(&"claims_platform".to_string()));
        assert!(ids("我是京东金融客服").contains(&"claims_support".to_string()));
    }

    #[test]
    fn a_source_is_cited_by_its_title_and_site_without_the_link() {
        let cite = |source: &str| {
            Example {
                lang: "en".into(),
                scam: true,
                kind: "x".into(),
                text: "x".into(),
                source: source.into(),
                feature_count: 0,
            }
            .cited()
        };
        assert_eq!(
            cite("Avoiding cryptocurrency scams, Coinbase Help, https://help.coinbase.com/en/x"),
            "Avoiding cryptocurrency scams, Coinbase Help (help.coinbase.com)"
        );
        assert_eq!(
            cite("https://www.fensifuwu.com/emotion/me/2c5c.html"),
            "fensifuwu.com"
        );
        assert_eq!(cite("公安部刑侦局, 2024-05-01"), "公安部刑侦局, 2024-05-01");
    }

    #[test]
    fn unknown_kinds_and_bad_example_files_are_refused() {
        let bad = SCRIPTS_TOML.replacen("kind = \"identity\"", "kind = \"identify\"", 1);
        assert!(Scripts::parse(&bad, EXAMPLES_TSV, &|t| t.to_string()).is_err());
        assert!(Scripts::parse(SCRIPTS_TOML, "lang\tlabel\n", &|t| t.to_string()).is_err());
        assert!(
            Scripts::parse(
                SCRIPTS_TOML,
                "lang\tlabel\tkind\ttext\tsource\nzh\tscam\tx\t请转账\tsomewhere\n",
                &|t| t.to_string()
            )
            .is_err(),
            "needs genuine texts too"
        );
    }
}
