//! Reference numbers found in text: tickets, complaint and case numbers,
//! order and transaction IDs, recognised by the cue word before them
//! (工单号, 投诉编号, 订单号, case ID, ticket #…) or by an unmistakable shape
//! (a PayPal case `PP-D-…`, a 28-digit Alipay 交易号). The cues and shapes
//! are data in `rules/references.toml`.
//!
//! What is found is only *offered*: nothing here adds a reference to a
//! contact; the user does, with a click (issue 17).

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::model::RefKind;

const RULES_TOML: &str = include_str!("../rules/references.toml");

/// A reference number found in a text, offered to the user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct FoundReference {
    pub kind: RefKind,
    /// The value, with full-width letters and digits read as ASCII.
    pub value: String,
    /// The cue word that named it, as written; empty when its shape did.
    pub cue: String,
}

#[derive(Deserialize)]
struct RulesFile {
    version: u32,
    gap: GapDef,
    lists: ListsDef,
    cue: Vec<CueDef>,
    not_reference: NotDef,
    shape: Vec<ShapeDef>,
}

#[derive(Deserialize)]
struct GapDef {
    max_chars: usize,
    fillers: Vec<String>,
    punctuation: String,
}

#[derive(Deserialize)]
struct ListsDef {
    separators: Vec<String>,
}

#[derive(Deserialize)]
struct CueDef {
    kind: String,
    words: Vec<String>,
}

#[derive(Deserialize)]
struct NotDef {
    words: Vec<String>,
}

#[derive(Deserialize)]
struct ShapeDef {
    kind: String,
    pattern: String,
    min_digits: usize,
    #[serde(default)]
    letter: bool,
}

struct Shape {
    kind: RefKind,
    re: Regex,
    min_digits: usize,
    letter: bool,
}

/// What a word found before a value says about it.
#[derive(Clone, Copy)]
enum Word {
    Cue(RefKind),
    Not,
}

struct Rules {
    /// Cue and not-a-reference words, longest first where they overlap.
    words: AhoCorasick,
    word_meaning: Vec<Word>,
    word_ascii: Vec<bool>,
    max_gap: usize,
    fillers: Vec<String>,
    punctuation: Vec<char>,
    separators: Vec<String>,
    shapes: Vec<Shape>,
    date_or_time: Regex,
}

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| Rules::parse(RULES_TOML).expect("rules/references.toml is valid"))
}

impl Rules {
    fn parse(toml_text: &str) -> Result<Rules, String> {
        let f: RulesFile = toml::from_str(toml_text).map_err(|e| e.to_string())?;
        if f.version != 1 {
            return Err(format!("unknown version {}", f.version));
        }
        let kind = |k: &str| RefKind::parse(k).map_err(|e| e.to_string());
        let mut patterns = Vec::new();
        let mut word_meaning = Vec::new();
        for cue in &f.cue {
            let k = kind(&cue.kind)?;
            for w in &cue.words {
                patterns.push(w.to_lowercase());
                word_meaning.push(Word::Cue(k));
            }
        }
        for w in &f.not_reference.words {
            patterns.push(w.to_lowercase());
            word_meaning.push(Word::Not);
        }
        let word_ascii = patterns.iter().map(|p| p.is_ascii()).collect();
        let words = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .build(&patterns)
            .map_err(|e| e.to_string())?;
        let mut fillers: Vec<String> = f.gap.fillers.iter().map(|w| w.to_lowercase()).collect();
        fillers.sort_by_key(|w| std::cmp::Reverse(w.len()));
        let mut separators = f.lists.separators.clone();
        separators.sort_by_key(|w| std::cmp::Reverse(w.len()));
        let shapes = f
            .shape
            .iter()
            .map(|s| {
                Ok(Shape {
                    kind: kind(&s.kind)?,
                    re: Regex::new(&s.pattern).map_err(|e| e.to_string())?,
                    min_digits: s.min_digits,
                    letter: s.letter,
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(Rules {
            words,
            word_meaning,
            word_ascii,
            max_gap: f.gap.max_chars,
            fillers,
            punctuation: f.gap.punctuation.chars().collect(),
            separators,
            shapes,
            date_or_time: Regex::new(
                r"^(?:\d{4}[-_]\d{1,2}[-_]\d{1,2}|\d{1,2}-\d{1,2}-\d{2,4}|\d{1,2}[-_]\d{1,2})$",
            )
            .expect("date pattern"),
        })
    }
}

/// The traditional forms of the cue words' characters (a Big5 e-mail from
/// Hong Kong or Taiwan: 投訴編號, 訂單號), read as simplified.
const TRADITIONAL: &[(char, char)] = &[
    ('訴', '诉'),
    ('編', '编'),
    ('號', '号'),
    ('單', '单'),
    ('務', '务'),
    ('訂', '订'),
    ('費', '费'),
    ('賬', '账'),
    ('帳', '账'),
    ('證', '证'),
    ('憑', '凭'),
    ('條', '条'),
    ('參', '参'),
    ('確', '确'),
    ('認', '认'),
    ('請', '请'),
    ('據', '据'),
    ('記', '记'),
    ('錄', '录'),
    ('貨', '货'),
    ('運', '运'),
    ('遞', '递'),
    ('額', '额'),
    ('碼', '码'),
    ('驗', '验'),
    ('動', '动'),
    ('態', '态'),
    ('電', '电'),
    ('話', '话'),
    ('機', '机'),
    ('線', '线'),
    ('撥', '拨'),
    ('來', '来'),
    ('後', '后'),
    ('請', '请'),
    ('爭', '争'),
    ('議', '议'),
    ('糾', '纠'),
    ('紛', '纷'),
    ('個', '个'),
    ('報', '报'),
    ('執', '执'),
    ('戶', '户'),
    ('饋', '馈'),
    ('問', '问'),
    ('題', '题'),
    ('轉', '转'),
    ('賬', '账'),
];

/// Full-width letters, digits and value marks and the ideographic space
/// read as ASCII, and
/// traditional cue characters as simplified: one character for one, so
/// positions stay the same.
fn narrow(c: char) -> char {
    match c {
        // Letters, digits and the marks inside and before a value; a
        // full-width comma or full stop stays punctuation (never decimal).
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '－' | '＿' | '＃' | '：' => {
            char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
        }
        '\u{3000}' => ' ',
        _ if (c as u32) >= 0x4E00 => TRADITIONAL
            .iter()
            .find(|(t, _)| *t == c)
            .map_or(c, |(_, s)| *s),
        _ => c,
    }
}

fn is_value_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// A run of value characters, by byte range in the narrowed text.
struct Token {
    start: usize,
    end: usize,
}

fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut start = None;
    let mut chars = text.char_indices().peekable();
    let mut prev = ' ';
    while let Some((i, c)) = chars.next() {
        // A value wrapped after a hyphen (`PP-D-` / `301234567`, as a chat
        // bubble or a screenshot's text breaks it) goes on.
        let wrapped = c == '\n'
            && prev == '-'
            && start.is_some()
            && chars.peek().is_some_and(|(_, n)| n.is_ascii_alphanumeric());
        prev = c;
        if wrapped {
            continue;
        }
        match (is_value_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(Token { start: s, end: i });
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(Token {
            start: s,
            end: text.len(),
        });
    }
    out
}

/// The gap between a cue and its value holds only spaces, punctuation and
/// fillers.
fn gap_is_filler(rules: &Rules, gap: &str) -> bool {
    if gap.chars().count() > rules.max_gap {
        return false;
    }
    let lower = gap.to_lowercase();
    let mut rest = lower.as_str();
    loop {
        rest = rest.trim_start();
        let Some(c) = rest.chars().next() else {
            return true;
        };
        if rules.punctuation.contains(&c) {
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let filler = rules.fillers.iter().find(|f| {
            rest.starts_with(f.as_str())
                && (!f.is_ascii()
                    || !f.ends_with(|c: char| c.is_ascii_alphabetic())
                    || !rest[f.len()..].starts_with(|c: char| c.is_ascii_alphabetic()))
        });
        match filler {
            Some(f) => rest = &rest[f.len()..],
            None => return false,
        }
    }
}

fn separated_by_list(rules: &Rules, gap: &str) -> bool {
    let g = gap.trim().to_lowercase();
    if g.is_empty() {
        return false;
    }
    rules.separators.contains(&g)
}

/// Inside a URL, an e-mail address or a decimal number: `/x`, `@x`, `x@`,
/// `x.y`.
fn embedded(text: &str, t: &Token) -> bool {
    let before = text[..t.start].chars().next_back();
    let mut after = text[t.end..].chars();
    let next = after.next();
    let next2 = after.next();
    matches!(
        before,
        Some('/' | '@' | '.' | '=' | '?' | '&' | '+' | '$' | '¥' | '￥')
    ) || matches!(next, Some('@'))
        || (matches!(next, Some('.' | ',' | ':')) && next2.is_some_and(|c| c.is_ascii_digit()))
        || (matches!(next, Some('.')) && next2.is_some_and(|c| c.is_ascii_alphabetic()))
}

/// Finds the reference numbers in `text`, each value once, in order.
pub fn find(text: &str) -> Vec<FoundReference> {
    let rules = rules();
    let narrowed: String = text.chars().map(narrow).collect();
    let lower = narrowed.to_ascii_lowercase();
    // Words (cues and not-a-reference words) that stand as words.
    let words: Vec<(usize, usize, usize)> = rules
        .words
        .find_iter(&lower)
        .filter(|m| {
            let id = m.pattern().as_usize();
            !rules.word_ascii[id]
                || (!lower[..m.start()]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_alphanumeric())
                    && !lower[m.end()..]
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphabetic()))
        })
        .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
        .collect();
    let mut out: Vec<FoundReference> = Vec::new();
    // The kind and end of the last value taken through a cue, for lists.
    let mut list: Option<(RefKind, usize, String)> = None;
    for t in tokens(&narrowed) {
        let raw = narrowed[t.start..t.end].replace('\n', "");
        let value = raw.trim_matches(|c| c == '-' || c == '_');
        let digits = value.chars().filter(|c| c.is_ascii_digit()).count();
        if digits == 0 || embedded(&narrowed, &t) || rules.date_or_time.is_match(value) {
            continue;
        }
        // The nearest cue or not-a-reference word before the value.
        let before = words
            .iter()
            .rev()
            .find(|(_, end, _)| *end <= t.start)
            .filter(|(_, end, _)| gap_is_filler(rules, &narrowed[*end..t.start]));
        let found = match before {
            Some(&(s, e, id)) => match rules.word_meaning[id] {
                Word::Not => None,
                Word::Cue(kind) => (value.len() >= 4 && digits >= 3)
                    .then(|| (kind, text_slice(text, &narrowed, s, e))),
            },
            None => None,
        };
        let found = found.or_else(|| {
            let (kind, last_end, cue) = list.as_ref()?;
            (separated_by_list(rules, &narrowed[*last_end..t.start]) && value.len() >= 4)
                .then(|| (*kind, cue.clone()))
        });
        let found = match found {
            Some(f) => {
                list = Some((f.0, t.end, f.1.clone()));
                Some(f)
            }
            None if before.is_some() => None,
            None => rules
                .shapes
                .iter()
                .find(|s| {
                    s.re.is_match(value)
                        && digits >= s.min_digits
                        && (!s.letter || value.chars().any(|c| c.is_ascii_alphabetic()))
                })
                .map(|s| (s.kind, String::new())),
        };
        let Some((kind, cue)) = found else { continue };
        match out.iter_mut().find(|f| f.value == value) {
            Some(f) if f.cue.is_empty() && !cue.is_empty() => {
                f.kind = kind;
                f.cue = cue;
            }
            Some(_) => {}
            None => out.push(FoundReference {
                kind,
                value: value.to_string(),
                cue,
            }),
        }
    }
    out
}

/// The text's own characters at a byte range of the narrowed text (the
/// same characters, some narrower).
fn text_slice(text: &str, narrowed: &str, start: usize, end: usize) -> String {
    let from = narrowed[..start].chars().count();
    let n = narrowed[start..end].chars().count();
    text.chars().skip(from).take(n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<String> {
        find(text)
            .into_iter()
            .map(|f| format!("{}:{}", f.kind, f.value))
            .collect()
    }

    #[test]
    fn the_rules_parse() {
        Rules::parse(RULES_TOML).unwrap();
    }

    #[test]
    fn cue_words_name_the_kind() {
        assert_eq!(
            found("您好，您的投诉编号为：TS2024113000123，我们将在3个工作日内回复。"),
            ["complaint:TS2024113000123"]
        );
        assert_eq!(
            found("打了95188，工单 88102345，说3个工作日回电"),
            ["ticket:88102345"]
        );
        assert_eq!(
            found("Your case ID is PP-D-4567890123. Please respond by Dec 10."),
            ["case:PP-D-4567890123"]
        );
        assert_eq!(
            found("Ticket #4821733 has been updated."),
            ["ticket:4821733"]
        );
        assert_eq!(
            found("订单号2024113022001456781234567890已退款"),
            ["transaction:2024113022001456781234567890"]
        );
    }

    #[test]
    fn full_width_values_are_read_as_ascii() {
        assert_eq!(
            found("服务单号：ＴＫ－２０２４－１１３０"),
            ["ticket:TK-2024-1130"]
        );
    }

    #[test]
    fn lists_keep_the_kind_of_their_cue() {
        assert_eq!(
            found("订单号分别是 123456789、987654321 和 555666777。"),
            [
                "transaction:123456789",
                "transaction:987654321",
                "transaction:555666777"
            ]
        );
    }

    #[test]
    fn codes_numbers_amounts_and_dates_are_not_references() {
        assert!(found("验证码 482913，请勿告诉他人。").is_empty());
        assert!(found("请拨打 400-820-8820 或 95188 咨询").is_empty());
        assert!(found("Call us at +1 888 221 1161, card ending in 4242.").is_empty());
        assert!(found("已于 2024-11-30 14:05 退款 ¥1,299.00 到尾号 1234 的卡").is_empty());
        assert!(
            found("see https://example.com/help/12345678901234567890 or a@b123456.com").is_empty()
        );
        assert!(found("您的手机号 13812345678 已绑定").is_empty());
    }

    #[test]
    fn shapes_alone_are_enough_for_unmistakable_ids() {
        assert_eq!(
            found("Re: PP-D-123456789 and 1234567890123456789012345678"),
            [
                "case:PP-D-123456789",
                "transaction:1234567890123456789012345678"
            ]
        );
        assert_eq!(
            found("refund to 9XW12345AB678901C soon"),
            ["transaction:9XW12345AB678901C"]
        );
    }

    #[test]
    fn a_value_wrapped_after_a_hyphen_is_read_whole() {
        assert_eq!(
            found("好的，谢谢。Case ID: PP-D-\n301234567"),
            ["case:PP-D-301234567"]
        );
    }
}
