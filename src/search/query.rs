//! Parsing what a user types into the search box into an FTS5 expression.
//!
//! Supported: words (all must match), `"quoted phrases"`, and `-word` or
//! `-"phrase"` to exclude. Everything else a user types is searched as words:
//! every token is quoted before it reaches FTS5, so no input can produce an
//! FTS or SQL syntax error.

use super::tokenize::{Segment, id_key, normalize, segments, trigrams};

/// One thing to look for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub segments: Vec<Segment>,
    /// Letters and digits of the term, for fragment search in identifiers.
    pub id_key: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    pub include: Vec<Term>,
    pub exclude: Vec<Term>,
}

impl ParsedQuery {
    pub fn parse(input: &str) -> ParsedQuery {
        let text = normalize(input);
        let mut parsed = ParsedQuery::default();
        let mut chars = text.chars().peekable();
        loop {
            while chars.next_if(|c| c.is_whitespace()).is_some() {}
            let Some(&first) = chars.peek() else { break };
            let mut negate = false;
            if first == '-' {
                chars.next();
                match chars.peek() {
                    Some(c) if !c.is_whitespace() => negate = true,
                    _ => continue,
                }
            }
            let raw: String = if chars.next_if(|c| is_quote(*c)).is_some() {
                let s: String = chars.by_ref().take_while(|c| !is_quote(*c)).collect();
                s
            } else {
                let mut s = String::new();
                while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                    s.push(c);
                }
                s
            };
            let segs = segments(&raw);
            if segs.is_empty() {
                continue;
            }
            let key = id_key(&raw);
            let id_key = (key.chars().count() >= 3
                && key.chars().any(|c| c.is_ascii_alphanumeric()))
            .then_some(key);
            let term = Term {
                segments: segs,
                id_key,
            };
            if negate {
                parsed.exclude.push(term)
            } else {
                parsed.include.push(term)
            }
        }
        parsed
    }

    pub fn is_empty(&self) -> bool {
        self.include.is_empty()
    }

    /// How many words and phrases the query has (to include or exclude).
    pub fn terms(&self) -> usize {
        self.include.len() + self.exclude.len()
    }

    /// The FTS5 MATCH expression, or None when there is nothing to look for.
    pub fn to_fts(&self, filters: &[String]) -> Option<String> {
        if self.include.is_empty() {
            return None;
        }
        let mut expr = String::new();
        for f in filters {
            expr.push_str(f);
            expr.push_str(" AND ");
        }
        let include: Vec<String> = self.include.iter().map(term_expr).collect();
        expr.push_str(&include.join(" AND "));
        // All exclusions in one flat group: nesting one NOT per term
        // overflowed FTS5's parser stack on long queries (found by fuzzing).
        match self.exclude.as_slice() {
            [] => {}
            [one] => expr = format!("({expr}) NOT {}", term_expr(one)),
            many => {
                let any: Vec<String> = many.iter().map(term_expr).collect();
                expr = format!("({expr}) NOT ({})", any.join(" OR "));
            }
        }
        Some(expr)
    }
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '「' | '」')
}

/// A token quoted for FTS5 (quotes doubled), so it is never syntax.
pub(crate) fn quote(token: &str) -> String {
    format!("\"{}\"", token.replace('"', "\"\""))
}

/// The expression for one term: its text in the body column, or (for
/// identifier-like terms) its trigrams in the ids column.
fn term_expr(term: &Term) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut words: Vec<&str> = Vec::new();
    let flush = |words: &mut Vec<&str>, parts: &mut Vec<String>| {
        if !words.is_empty() {
            parts.push(quote(&words.join(" ")));
            words.clear();
        }
    };
    for seg in &term.segments {
        match seg {
            Segment::Word(w) => words.push(w),
            Segment::Cjk(run) => {
                flush(&mut words, &mut parts);
                if run.len() == 1 {
                    parts.push(quote(&run[0].to_string()));
                } else {
                    let pairs: Vec<String> = run.windows(2).map(|p| p.iter().collect()).collect();
                    parts.push(quote(&pairs.join(" ")));
                }
            }
        }
    }
    flush(&mut words, &mut parts);
    let body = format!("body : ({})", parts.join(" AND "));
    match &term.id_key {
        Some(key) => format!("({body} OR ids : {})", quote(&trigrams(key).join(" "))),
        None => body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_phrases_and_exclusions() {
        let q = ParsedQuery::parse(r#"退款 "not received" -paypal"#);
        assert_eq!(q.include.len(), 2);
        assert_eq!(q.exclude.len(), 1);
        let fts = q.to_fts(&[]).unwrap();
        assert_eq!(
            fts,
            r#"(body : ("退款") AND (body : ("not received") OR ids : "not otr tre rec ece cei eiv ive ved")) NOT (body : ("paypal") OR ids : "pay ayp ypa pal")"#
        );
    }

    #[test]
    fn many_exclusions_are_one_group() {
        let q = ParsedQuery::parse("退款 -a1 -b2 -c3");
        let fts = q.to_fts(&[]).unwrap();
        assert_eq!(fts.matches(" NOT ").count(), 1, "{fts}");
        assert!(
            fts.ends_with(r#"NOT (body : ("a1") OR body : ("b2") OR body : ("c3"))"#),
            "{fts}"
        );
    }

    #[test]
    fn single_characters_and_long_runs() {
        let q = ParsedQuery::parse("冻 账户被冻结");
        assert_eq!(
            q.to_fts(&[]).unwrap(),
            r#"body : ("冻") AND body : ("账户 户被 被冻 冻结")"#
        );
    }

    #[test]
    fn hostile_input_is_just_words() {
        for input in [
            "\"",
            "-",
            "--",
            "a\"b",
            "NEAR(a b)",
            "x OR y",
            "*",
            "col:val",
            "'; DROP TABLE cases; --",
            "(((",
        ] {
            let q = ParsedQuery::parse(input);
            if let Some(fts) = q.to_fts(&[]) {
                assert!(!fts.contains("NEAR("), "{fts}");
            }
        }
        assert!(ParsedQuery::parse("-only").is_empty());
        assert!(ParsedQuery::parse("  ").is_empty());
    }
}
