//! Redaction of the user's own numbers and addresses in an export.
//!
//! Masks, to their last 4 characters, e-mail addresses and runs of 7 or more
//! digits (phone, account and card numbers, allowing spaces and dashes
//! between groups). Dates (`2026-11-25`, `20261125`) and the values in
//! `keep` (the case's reference numbers and transaction IDs, which a
//! recipient needs) are left alone.

use std::collections::HashSet;

const MIN_DIGITS: usize = 7;

fn mask_keep_last4(s: &str) -> String {
    let chars: Vec<char> = s.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let n = chars.len();
    let mut out = String::with_capacity(n);
    for (i, c) in chars.iter().enumerate() {
        out.push(if i + 4 < n { '*' } else { *c });
    }
    out
}

fn is_date(run: &str) -> bool {
    let parts: Vec<&str> = run.split('-').collect();
    let ymd = |y: &str, m: &str, d: &str| {
        y.len() == 4
            && (y.starts_with("19") || y.starts_with("20"))
            && m.parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
            && d.parse::<u32>().is_ok_and(|d| (1..=31).contains(&d))
    };
    match parts.as_slice() {
        [y, m, d] => ymd(y, m, d),
        [one] if one.len() == 8 && one.chars().all(|c| c.is_ascii_digit()) => {
            ymd(&one[..4], &one[4..6], &one[6..])
        }
        _ => false,
    }
}

fn is_email_local(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn is_email_domain(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-')
}

/// Letters, digits and the joiners of IDs such as `TK-88990011` (a Chinese
/// character before a number does not make it part of a word).
fn part_of_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '#')
}

/// Masks e-mail addresses and long digit runs in `text`, except `keep`.
pub fn redact_text(text: &str, keep: &HashSet<String>) -> String {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let kept = |s: &str| {
        let bare: String = s.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        keep.iter().any(|k| {
            k == s
                || (!bare.is_empty()
                    && k.chars()
                        .filter(|c| !matches!(c, ' ' | '-'))
                        .collect::<String>()
                        == bare)
        })
    };
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        // An e-mail address: local@domain.tld
        if is_email_local(c) && (i == 0 || !is_email_local(chars[i - 1].1)) {
            let mut j = i;
            while j < chars.len() && is_email_local(chars[j].1) {
                j += 1;
            }
            if j < chars.len() && chars[j].1 == '@' {
                let mut k = j + 1;
                while k < chars.len() && is_email_domain(chars[k].1) {
                    k += 1;
                }
                // Trailing dots belong to the sentence.
                while k > j + 1 && chars[k - 1].1 == '.' {
                    k -= 1;
                }
                let end = chars.get(k).map_or(text.len(), |x| x.0);
                let domain = &text[chars[j].0 + 1..end];
                if k > j + 1 && domain.contains('.') {
                    let addr = &text[pos..end];
                    if kept(addr) {
                        out.push_str(addr);
                    } else {
                        let n = addr.chars().count();
                        out.extend(
                            addr.chars()
                                .enumerate()
                                .map(|(x, ch)| if x + 4 < n { '*' } else { ch }),
                        );
                    }
                    i = k;
                    continue;
                }
            }
        }
        // A run of digits, possibly grouped with spaces or dashes, possibly
        // starting with '+', not inside a word.
        let starts_run = (c.is_ascii_digit()
            || (c == '+' && chars.get(i + 1).is_some_and(|x| x.1.is_ascii_digit())))
            && (i == 0 || !part_of_word(chars[i - 1].1));
        if starts_run {
            let mut j = i + 1;
            let mut last_digit = i;
            while j < chars.len() {
                let ch = chars[j].1;
                if ch.is_ascii_digit() {
                    last_digit = j;
                } else if !(matches!(ch, ' ' | '-')
                    && chars.get(j + 1).is_some_and(|x| x.1.is_ascii_digit()))
                {
                    break;
                }
                j += 1;
            }
            let end_idx = last_digit + 1;
            let followed_by_word = chars.get(end_idx).is_some_and(|x| part_of_word(x.1));
            let end = chars.get(end_idx).map_or(text.len(), |x| x.0);
            let run = &text[pos..end];
            let digits = run.chars().filter(char::is_ascii_digit).count();
            if digits >= MIN_DIGITS && !followed_by_word && !is_date(run) && !kept(run) {
                if let Some(rest) = run.strip_prefix('+') {
                    out.push('+');
                    out.push_str(&mask_keep_last4(rest));
                } else {
                    out.push_str(&mask_keep_last4(run));
                }
            } else {
                out.push_str(run);
            }
            i = end_idx;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> String {
        let keep: HashSet<String> = [
            "2024052122001412345678".to_string(),
            "TK-88990011".to_string(),
        ]
        .into();
        redact_text(s, &keep)
    }

    #[test]
    fn masks_numbers_and_addresses_to_the_last_four() {
        assert_eq!(
            r("我的手机 13800138000，卡号 6222 0212 3456 7890"),
            "我的手机 *******8000，卡号 ************7890"
        );
        assert_eq!(
            r("mail me at zhang.wei@example.com."),
            "mail me at *****************.com."
        );
        assert_eq!(r("call +44 20 7946 0958 now"), "call +********0958 now");
        assert_eq!(r("account 12345678"), "account ****5678");
    }

    #[test]
    fn leaves_dates_amounts_references_and_short_numbers() {
        for s in [
            "on 2026-11-25 at 14:05",
            "on 20261125",
            "¥1,250.00 was taken",
            "order 2024052122001412345678 failed",
            "ticket TK-88990011",
            "code 123456 expired",
            "room 12",
            "model A1234567B",
        ] {
            assert_eq!(r(s), s, "{s}");
        }
    }
}
