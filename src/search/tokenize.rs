//! Turning text into index tokens, identically for documents and queries.
//!
//! FTS5's unicode61 tokenizer does not segment Chinese, and the trigram
//! tokenizer cannot match queries under three characters, so Casebook prepares
//! tokens itself and hands FTS5 space-separated tokens:
//!
//! * Text is NFKC-normalised (full-width Ｔ１２３ becomes t123) and lowercased.
//! * Runs of letters/digits outside CJK become words (`refund`, `2024`).
//! * A run of CJK characters `c1 c2 … cn` becomes its overlapping pairs
//!   `c1c2 c2c3 …` followed by its single characters `c1 c2 … cn`. A query of
//!   one character looks up the single character; a query of n ≥ 2 characters
//!   is the phrase of its n−1 pairs, which matches exactly the documents that
//!   contain that substring (pairs are adjacent only inside one run).
//! * Identifiers (reference numbers, transaction IDs, contact points, long
//!   numbers in text) are reduced to their letters and digits and indexed as
//!   overlapping trigrams, so any fragment of three or more characters — the
//!   last digits an agent read out — finds them.

use unicode_normalization::UnicodeNormalization;

/// Chinese, Japanese and Korean characters, which are written without spaces.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
        | 0x20000..=0x323AF  // CJK Extensions B–H
    )
}

/// NFKC and lowercase, the form every comparison uses.
pub fn normalize(text: &str) -> String {
    text.nfkc().flat_map(char::to_lowercase).collect()
}

/// A piece of normalised text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Letters and digits outside CJK.
    Word(String),
    /// A run of CJK characters.
    Cjk(Vec<char>),
}

/// Splits normalised text into words and CJK runs; everything else separates.
pub fn segments(normalized: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut run: Vec<char> = Vec::new();
    for c in normalized.chars() {
        if is_cjk(c) {
            if !word.is_empty() {
                out.push(Segment::Word(std::mem::take(&mut word)));
            }
            run.push(c);
        } else if c.is_alphanumeric() {
            if !run.is_empty() {
                out.push(Segment::Cjk(std::mem::take(&mut run)));
            }
            word.push(c);
        } else {
            if !word.is_empty() {
                out.push(Segment::Word(std::mem::take(&mut word)));
            }
            if !run.is_empty() {
                out.push(Segment::Cjk(std::mem::take(&mut run)));
            }
        }
    }
    if !word.is_empty() {
        out.push(Segment::Word(word));
    }
    if !run.is_empty() {
        out.push(Segment::Cjk(run));
    }
    out
}

/// Appends the body tokens of `text` to `out` (space separated).
pub fn push_body_tokens(text: &str, out: &mut String) {
    for seg in segments(&normalize(text)) {
        match seg {
            Segment::Word(w) => {
                out.push_str(&w);
                out.push(' ');
            }
            Segment::Cjk(run) => {
                for pair in run.windows(2) {
                    out.extend(pair);
                    out.push(' ');
                }
                for c in &run {
                    out.push(*c);
                    out.push(' ');
                }
            }
        }
    }
}

/// The comparable form of an identifier: lowercase letters and digits only
/// (`TK-2024 0001` → `tk20240001`).
pub fn id_key(text: &str) -> String {
    normalize(text)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The overlapping trigrams of an identifier key, space separated.
pub fn trigrams(key: &str) -> Vec<String> {
    let chars: Vec<char> = key.chars().collect();
    chars.windows(3).map(|w| w.iter().collect()).collect()
}

/// Appends the trigrams of one identifier, then a separator token so that a
/// phrase can never run from one identifier into the next. Returns false (and
/// appends nothing) for identifiers shorter than three characters.
pub fn push_id_tokens(text: &str, out: &mut String) -> bool {
    let key = id_key(text);
    if key.chars().count() < 3 {
        return false;
    }
    for t in trigrams(&key) {
        out.push_str(&t);
        out.push(' ');
    }
    out.push_str("_0 ");
    true
}

/// Long digit-bearing words in free text (order numbers, phone numbers an
/// agent typed in a reply) that deserve fragment search too.
pub fn identifier_like_words(text: &str) -> impl Iterator<Item = String> {
    segments(&normalize(text))
        .into_iter()
        .filter_map(|s| match s {
            Segment::Word(w) if w.chars().count() >= 6 && w.chars().any(|c| c.is_ascii_digit()) => {
                Some(w)
            }
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &str) -> String {
        let mut s = String::new();
        push_body_tokens(text, &mut s);
        s.trim_end().to_string()
    }

    #[test]
    fn chinese_runs_become_pairs_then_characters() {
        assert_eq!(body("账户被冻结"), "账户 户被 被冻 冻结 账 户 被 冻 结");
        assert_eq!(
            body("我的Account被冻结了!"),
            "我的 我 的 account 被冻 冻结 结了 被 冻 结 了"
        );
        assert_eq!(body("退"), "退");
    }

    #[test]
    fn full_width_and_case_fold() {
        assert_eq!(body("ＴＫ－２０２４ Refund"), "tk 2024 refund");
    }

    #[test]
    fn identifiers_become_trigrams() {
        let mut s = String::new();
        assert!(push_id_tokens("TK-2024", &mut s));
        assert_eq!(s, "tk2 k20 202 024 _0 ");
        assert!(!push_id_tokens("A1", &mut String::new()));
        let words: Vec<_> =
            identifier_like_words("call 400-820-6666 or 13800138000, order 2024A").collect();
        assert_eq!(words, vec!["13800138000".to_string()]);
    }
}
