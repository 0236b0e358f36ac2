//! Reading an e-mail (`.eml`): the sender, the `Date:` with its offset,
//! the subject, the plain-text body with its quoted history folded away,
//! and the reference numbers in it. No journal here (floor 0): the
//! parsing (RFC 2047 headers, quoted-printable and base64, GBK, GB18030
//! and Big5 bodies) is `mail-parser`'s.

use mail_parser::MessageParser;
use serde::Serialize;

use crate::error::{Error, Problem, Result};
use crate::references::{self, FoundReference};
use crate::time::At;

/// A reply longer than this is cut (the whole e-mail stays in the `.eml`).
const MAX_REPLY_CHARS: usize = 200_000;

/// What an e-mail says, read as a contact the user can still change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct EmailContact {
    /// From the `Date:` header, with the sender's offset; none when the
    /// header is missing or unreadable.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub at: Option<At>,
    /// The sender's address (`From:`), the contact point the shield checks.
    pub from_address: String,
    /// The sender's display name.
    pub from_name: String,
    pub subject: String,
    /// The plain-text body without the quoted history.
    pub body: String,
    /// How many lines of quoted history were folded away.
    pub folded_lines: usize,
    /// What the contact's reply will be: the subject, a blank line and the
    /// body.
    pub reply: String,
    /// Reference numbers found in the subject and body, offered.
    pub references: Vec<FoundReference>,
}

/// Reads an e-mail. An input that is not one (no From:, Date: or Subject:)
/// is refused.
pub fn read(bytes: &[u8]) -> Result<EmailContact> {
    let msg = MessageParser::default()
        .parse(bytes)
        // An e-mail says who sent it, when or about what.
        .filter(|m| m.from().is_some() || m.date().is_some() || m.subject().is_some())
        .ok_or_else(|| Error::invalid(Problem::NotAnEmail {}))?;
    let at = msg.date().and_then(|d| {
        let offset = (d.tz_hour as i32 * 3600 + d.tz_minute as i32 * 60)
            * if d.tz_before_gmt { -1 } else { 1 };
        // A date outside chrono's range or a nonsense offset is no date.
        (offset.abs() < 24 * 3600 && (1970..=9999).contains(&d.year))
            .then(|| At::from_parts(d.to_timestamp() * 1000, offset))
    });
    let from = msg.from().or_else(|| msg.sender()).and_then(|a| a.first());
    let from_address = from
        .and_then(|a| a.address())
        .unwrap_or_default()
        .trim()
        .to_string();
    let from_name = from
        .and_then(|a| a.name())
        .unwrap_or_default()
        .trim()
        .to_string();
    let subject = one_line(msg.subject().unwrap_or_default());
    let text = msg.body_text(0).map(|t| t.into_owned()).unwrap_or_default();
    let (body, folded_lines) = fold_quoted(&tidy(&text));
    let body: String = body.chars().take(MAX_REPLY_CHARS).collect();
    let references = references::find(&format!("{subject}\n{body}"));
    let reply = match (subject.is_empty(), body.is_empty()) {
        (true, _) => body.clone(),
        (false, true) => subject.clone(),
        (false, false) => format!("{subject}\n\n{body}"),
    };
    Ok(EmailContact {
        at,
        from_address,
        from_name,
        subject,
        body,
        folded_lines,
        reply,
        references,
    })
}

/// The text of an e-mail for search: sender, subject and the whole body,
/// quoted history included.
pub fn search_text(bytes: &[u8]) -> Option<String> {
    let msg = MessageParser::default().parse(bytes)?;
    let from = msg
        .from()
        .and_then(|a| a.first())
        .map(|a| {
            format!(
                "{} {}",
                a.name().unwrap_or_default(),
                a.address().unwrap_or_default()
            )
        })
        .unwrap_or_default();
    let body = msg.body_text(0).map(|t| t.into_owned()).unwrap_or_default();
    Some(format!(
        "{from}\n{}\n{}",
        msg.subject().unwrap_or_default(),
        tidy(&body)
    ))
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Line ends made `\n`, trailing spaces and runs of blank lines removed.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.replace("\r\n", "\n").replace('\r', "\n").lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out
}

/// Where a quoted earlier message starts: a `>` line, "On … wrote:",
/// "-----Original Message-----", "原始邮件", "…写道：", or an Outlook
/// "From:/发件人:" block followed by "Sent:/Date:/发送时间:".
fn quote_starts(lines: &[&str], i: usize) -> bool {
    let l = lines[i].trim();
    let lower = l.to_lowercase();
    let next = |k: usize| lines.get(i + k).map(|s| s.trim()).unwrap_or("");
    let header = |s: &str, names: &[&str]| {
        let s = s.to_lowercase();
        names
            .iter()
            .any(|n| s.starts_with(n) && s[n.len()..].starts_with([':', '：']))
    };
    l.starts_with('>')
        || (lower.starts_with("on ") && lower.ends_with("wrote:"))
        || (lower.starts_with("on ") && next(1).to_lowercase() == "wrote:")
        || lower.contains("original message")
        || l.contains("原始邮件")
        || l.ends_with("写道：")
        || l.ends_with("写道:")
        || (header(l, &["from", "发件人"])
            && (1..=3).any(|k| {
                header(
                    next(k),
                    &["sent", "date", "发送时间", "时间", "日期", "to", "收件人"],
                )
            }))
}

/// The body up to its quoted history, and how many lines were folded.
fn fold_quoted(body: &str) -> (String, usize) {
    let lines: Vec<&str> = body.lines().collect();
    match (0..lines.len()).find(|&i| i > 0 && quote_starts(&lines, i)) {
        Some(i) => {
            let kept = lines[..i].join("\n").trim_end().to_string();
            let folded = lines[i..].iter().filter(|l| !l.trim().is_empty()).count();
            (kept, folded)
        }
        None => (body.to_string(), 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_history_is_folded() {
        let body = "您好，退款已处理。\n工单号：TK-88102345\n\n在 2024年11月30日 14:05，张三 写道：\n> 我的退款呢？\n> 谢谢";
        let (kept, n) = fold_quoted(body);
        assert_eq!(kept, "您好，退款已处理。\n工单号：TK-88102345");
        assert_eq!(n, 3);
        let en = "Thanks, fixed.\n\nOn Mon, Nov 30, 2024 at 2:05 PM Ann <a@b.c>\nwrote:\n> hi";
        assert_eq!(fold_quoted(en).0, "Thanks, fixed.");
        let outlook =
            "Done.\nFrom: Support <s@bank.com>\nSent: Monday\nTo: me\nSubject: x\nold text";
        assert_eq!(fold_quoted(outlook), ("Done.".to_string(), 5));
        assert_eq!(fold_quoted("no quote here\n").1, 0);
    }

    #[test]
    fn a_file_without_headers_is_not_an_email() {
        assert_eq!(read(b"").unwrap_err().problem(), Problem::NotAnEmail {});
    }
}
