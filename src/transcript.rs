//! A chat transcript the user pasted (a web chat, PayPal's messages, the
//! text of a WeChat or Alipay conversation, a WhatsApp or Telegram export)
//! split into lines: who said what, and when (issue 17).
//!
//! The split is only a reading of the text: the contact keeps the pasted
//! text verbatim as its reply, and the lines are read from it again
//! whenever they are shown, so nothing is lost if the reading is wrong.
//!
//! Layouts read (see `tests/fixtures/transcripts/SOURCES.md`):
//! * a stamp then the speaker on one line: `[30/11/2026, 14:05:12] Ann: …`,
//!   `30/11/2026, 14:05 - Ann: …`, `(2:05:33 PM) Ann: …`, `14:05 客服: …`;
//! * a header line, the message on the lines below: `小蚂蚁 2026-11-30
//!   14:05`, `2026-11-30 14:05:12 张三(12345678)`, `Ann, [30.11.26 14:05]`,
//!   `客服 14:05`;
//! * `Name: text` without a time, once the name is seen to speak twice;
//! * a line that is only a date (`2026年11月30日`, `Yesterday`) sets the
//!   date of the times after it.

use std::sync::OnceLock;

use chrono::{Datelike, Duration, NaiveDate, NaiveTime};
use regex::Regex;
use serde::Serialize;

use crate::contacts::{ContactInput, Reference};
use crate::model::Channel;
use crate::references::{self, FoundReference};
use crate::time::At;

/// One message of a transcript.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ChatLine {
    /// Who said it, as written; empty for a system line ("客服已接入").
    pub who: String,
    /// The day, when the transcript says it.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub date: Option<NaiveDate>,
    /// The time of day, when the transcript says it.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub time: Option<NaiveTime>,
    /// What was said; the lines of a longer message joined with `\n`.
    pub text: String,
}

/// A transcript read into lines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Transcript {
    pub lines: Vec<ChatLine>,
    /// The speakers, in the order they first speak.
    pub speakers: Vec<String>,
    /// Reference numbers found anywhere in it, offered.
    pub references: Vec<FoundReference>,
}

impl Transcript {
    /// The first line that has both a day and a time.
    pub fn first_dated(&self) -> Option<(NaiveDate, NaiveTime)> {
        self.lines.iter().find_map(|l| Some((l.date?, l.time?)))
    }

    /// A transcript of fewer than two messages is no chat.
    pub fn is_chat(&self) -> bool {
        self.lines.iter().filter(|l| !l.who.is_empty()).count() >= 2
    }
}

/// What a user calls themself in a chat they copied.
const SELF_NAMES: &[&str] = &["我", "本人", "自己", "me", "you", "myself", "i"];

impl Transcript {
    /// The first speaker who is not the user: the agent.
    pub fn agent(&self) -> Option<&str> {
        self.speakers
            .iter()
            .find(|s| !SELF_NAMES.contains(&s.to_lowercase().as_str()))
            .map(String::as_str)
    }

    /// The contact a pasted transcript proposes: the text kept verbatim as
    /// the reply, logged at its first dated line (this computer's offset)
    /// or `fallback`, with the agent and the references the user chose.
    pub fn to_input(
        &self,
        text: &str,
        channel: Channel,
        fallback: At,
        references: Vec<Reference>,
    ) -> ContactInput {
        let at = self
            .first_dated()
            .and_then(|(d, t)| At::parse("at", &format!("{d} {}", t.format("%H:%M:%S"))).ok())
            .unwrap_or(fallback);
        let mut c = ContactInput::new(channel, at);
        c.agent = self.agent().unwrap_or_default().to_string();
        c.reply = text.trim_end().to_string();
        c.references = references;
        c
    }
}

struct Patterns {
    /// A date and/or a time at the start of a line, maybe in brackets.
    stamp: Regex,
    /// A date and/or a time at the end of a header line.
    trailing_stamp: Regex,
    /// `Name: text`.
    speaker: Regex,
    /// A line that is only a date.
    date_line: Regex,
}

const DATE: &str = r"(?:(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?|(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<c>\d{2,4})|(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+(?P<md>\d{1,2}),?\s+(?P<my>\d{4})|(?P<dm>\d{1,2})\s+(?P<mon2>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?,?\s+(?P<dy>\d{4})|(?P<cm>\d{1,2})月(?P<cd>\d{1,2})日|(?P<rel>今天|昨天|前天|Today|Yesterday))";
const TIME: &str = r"(?:(?P<ampm1>上午|下午|晚上|中午|凌晨|早上)\s*)?(?P<h>\d{1,2})[:：](?P<min>\d{2})(?:[:：](?P<s>\d{2}))?(?:\s*(?P<ampm2>[AaPp]\.?[Mm]\.?))?";

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let when = format!(r"(?:{DATE}(?:\s*(?:,|，|at|周.|星期.|\(星期.\)|[A-Z][a-z]{{2}},?)?\s*)?)?{TIME}");
        Patterns {
            stamp: Regex::new(&format!(
                r"^\s*[\[(（【]?\s*(?:{when})\s*[\])）】]?\s*(?:[-–—:：,]\s*)?(?P<rest>.*)$"
            ))
            .expect("stamp pattern"),
            trailing_stamp: Regex::new(&format!(
                r"^(?P<name>[^\s:：\[(（][^:：]{{0,40}}?)\s*,?\s*[\[(（]?\s*(?:{when})\s*[\])）]?\s*$"
            ))
            .expect("trailing stamp pattern"),
            speaker: Regex::new(r"^(?P<name>[^\s:：\[(（][^:：。！？!?]{0,30}?)\s*[:：]\s?(?P<text>.*)$")
                .expect("speaker pattern"),
            date_line: Regex::new(&format!(r"^\s*[-—=\s]*(?:{DATE})(?:\s*(?:周.|星期.|\(星期.\)|[A-Z][a-z]+))?[-—=\s]*$"))
                .expect("date line pattern"),
        }
    })
}

fn month(name: &str) -> Option<u32> {
    let names = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lower = name.to_ascii_lowercase();
    names
        .iter()
        .position(|m| lower.starts_with(m))
        .map(|i| i as u32 + 1)
}

/// Reads the date of a stamp. `day_first` settles `01/02/2026`.
fn date_of(c: &regex::Captures<'_>, today: NaiveDate, day_first: bool) -> Option<NaiveDate> {
    let num = |k: &str| c.name(k).and_then(|m| m.as_str().parse::<u32>().ok());
    let year = |y: u32| if y < 100 { 2000 + y as i32 } else { y as i32 };
    if let (Some(y), Some(m), Some(d)) = (num("y"), num("m"), num("d")) {
        return NaiveDate::from_ymd_opt(y as i32, m, d);
    }
    if let (Some(a), Some(b), Some(y)) = (num("a"), num("b"), num("c")) {
        let (d, m) = if a > 12 || (day_first && b <= 12) {
            (a, b)
        } else {
            (b, a)
        };
        return NaiveDate::from_ymd_opt(year(y), m, d);
    }
    if let (Some(m), Some(d), Some(y)) = (c.name("mon").and_then(|m| month(m.as_str())), num("md"), num("my")) {
        return NaiveDate::from_ymd_opt(y as i32, m, d);
    }
    if let (Some(m), Some(d), Some(y)) = (c.name("mon2").and_then(|m| month(m.as_str())), num("dm"), num("dy")) {
        return NaiveDate::from_ymd_opt(y as i32, m, d);
    }
    if let (Some(m), Some(d)) = (num("cm"), num("cd")) {
        return NaiveDate::from_ymd_opt(today.year(), m, d);
    }
    match c.name("rel").map(|m| m.as_str()) {
        Some("今天" | "Today") => Some(today),
        Some("昨天" | "Yesterday") => Some(today - Duration::days(1)),
        Some("前天") => Some(today - Duration::days(2)),
        _ => None,
    }
}

fn time_of(c: &regex::Captures<'_>) -> Option<NaiveTime> {
    let mut h: u32 = c.name("h")?.as_str().parse().ok()?;
    let min: u32 = c.name("min")?.as_str().parse().ok()?;
    let s: u32 = c.name("s").map_or(Some(0), |m| m.as_str().parse().ok())?;
    let pm = match (c.name("ampm1"), c.name("ampm2")) {
        (Some(m), _) => matches!(m.as_str(), "下午" | "晚上") || (m.as_str() == "中午" && h < 11),
        (_, Some(m)) => m.as_str().to_ascii_lowercase().starts_with('p'),
        _ => false,
    };
    let am12 = c
        .name("ampm2")
        .is_some_and(|m| m.as_str().to_ascii_lowercase().starts_with('a'))
        && h == 12;
    if pm && h < 12 {
        h += 12;
    } else if am12 {
        h = 0;
    }
    NaiveTime::from_hms_opt(h, min, s)
}

/// Whether `01/02/2026` means 1 February: true when some date of the text
/// can only be read day first, or none can only be read month first and
/// the separator is a dot.
fn guess_day_first(text: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"\b(\d{1,2})([/.])(\d{1,2})[/.]\d{2,4}\b").expect("dmy"));
    let mut dots = false;
    for c in re.captures_iter(text) {
        let a: u32 = c[1].parse().unwrap_or(0);
        let b: u32 = c[3].parse().unwrap_or(0);
        if a > 12 {
            return true;
        }
        if b > 12 {
            return false;
        }
        dots |= &c[2] == ".";
    }
    dots || !text.is_ascii()
}

/// A speaker's name: short, not a sentence, not a URL.
fn plausible_name(name: &str) -> bool {
    let n = name.trim();
    !n.is_empty()
        && n.chars().count() <= 32
        && !n.contains("://")
        && !n.ends_with(['。', '，', ',', '.'])
        && n.split_whitespace().count() <= 5
}

/// A header's speaker without a trailing QQ number or handle:
/// `张三(12345678)` is 张三.
fn clean_name(name: &str) -> String {
    let n = name.trim().trim_end_matches([',', '，']).trim();
    match n.rsplit_once(['(', '（']) {
        Some((head, tail))
            if !head.trim().is_empty()
                && tail.trim_end_matches([')', '）']).chars().all(|c| c.is_ascii_alphanumeric() || c == '@' || c == '.') =>
        {
            head.trim().to_string()
        }
        _ => n.to_string(),
    }
}

/// Splits a pasted transcript. `today` dates "昨天"/"Yesterday" and dates
/// without a year.
pub fn split(text: &str, today: NaiveDate) -> Transcript {
    let p = patterns();
    let day_first = guess_day_first(text);
    // Names that open two lines or more as `Name: …` count as speakers.
    let mut counts: std::collections::HashMap<String, usize> = Default::default();
    for line in text.lines() {
        if let Some(c) = p.speaker.captures(line.trim()) {
            let name = c["name"].trim().to_string();
            if plausible_name(&name) {
                *counts.entry(name).or_default() += 1;
            }
        }
    }
    let known = |name: &str| counts.get(name).copied().unwrap_or(0) >= 2;

    let mut lines: Vec<ChatLine> = Vec::new();
    let mut date: Option<NaiveDate> = None;
    // Whether the last line opened a message whose text is on the lines below.
    let mut open_header = false;
    for raw in text.lines() {
        let line = raw.trim_end();
        let trimmed = line.trim();
        if trimmed.is_empty() {
            if let Some(last) = lines.last_mut().filter(|l| !l.text.is_empty()) {
                if !open_header {
                    last.text.push('\n');
                }
            }
            continue;
        }
        if p.date_line.is_match(trimmed) {
            if let Some(c) = p.date_line.captures(trimmed) {
                if let Some(d) = date_of(&c, today, day_first) {
                    date = Some(d);
                    open_header = false;
                    continue;
                }
            }
        }
        // A stamp at the start: `[…] Name: text`, `… - Name: text`, or a
        // header `2026-11-30 14:05:12 张三` with the text below.
        if let Some(c) = p.stamp.captures(trimmed) {
            let time = time_of(&c);
            if let Some(time) = time {
                if let Some(d) = date_of(&c, today, day_first) {
                    date = Some(d);
                }
                let rest = c["rest"].trim();
                let (who, said, header) = match p.speaker.captures(rest) {
                    Some(s) if plausible_name(&s["name"]) => {
                        (clean_name(&s["name"]), s["text"].trim().to_string(), false)
                    }
                    _ if rest.is_empty() => (String::new(), String::new(), true),
                    _ if plausible_name(rest) && rest.chars().count() <= 24 => {
                        (clean_name(rest), String::new(), true)
                    }
                    _ => (String::new(), rest.to_string(), false),
                };
                lines.push(ChatLine {
                    who,
                    date,
                    time: Some(time),
                    text: said,
                });
                open_header = header;
                continue;
            }
        }
        // A header with the stamp at the end: `小蚂蚁 2026-11-30 14:05`.
        if let Some(c) = p.trailing_stamp.captures(trimmed) {
            if let Some(time) = time_of(&c) {
                let name = clean_name(&c["name"]);
                if plausible_name(&name) {
                    if let Some(d) = date_of(&c, today, day_first) {
                        date = Some(d);
                    }
                    lines.push(ChatLine {
                        who: name,
                        date,
                        time: Some(time),
                        text: String::new(),
                    });
                    open_header = true;
                    continue;
                }
            }
        }
        // `Name: text` without a time, for a name seen twice.
        if let Some(c) = p.speaker.captures(trimmed) {
            let name = c["name"].trim();
            if known(name) {
                lines.push(ChatLine {
                    who: name.to_string(),
                    date,
                    time: None,
                    text: c["text"].trim().to_string(),
                });
                open_header = false;
                continue;
            }
        }
        // The text of the open message, or a line of its own.
        match lines.last_mut() {
            Some(last) => {
                if !last.text.is_empty() && !last.text.ends_with('\n') {
                    last.text.push('\n');
                }
                last.text.push_str(trimmed);
                open_header = false;
            }
            None => lines.push(ChatLine {
                who: String::new(),
                date,
                time: None,
                text: trimmed.to_string(),
            }),
        }
    }
    for l in &mut lines {
        l.text = l.text.trim_end().to_string();
    }
    lines.retain(|l| !(l.who.is_empty() && l.text.is_empty()));
    let mut speakers: Vec<String> = Vec::new();
    for l in &lines {
        if !l.who.is_empty() && !speakers.contains(&l.who) {
            speakers.push(l.who.clone());
        }
    }
    Transcript {
        references: references::find(text),
        speakers,
        lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    fn brief(t: &Transcript) -> Vec<String> {
        t.lines
            .iter()
            .map(|l| {
                format!(
                    "{}|{}|{}|{}",
                    l.who,
                    l.date.map(|d| d.to_string()).unwrap_or_default(),
                    l.time.map(|t| t.format("%H:%M").to_string()).unwrap_or_default(),
                    l.text
                )
            })
            .collect()
    }

    #[test]
    fn whatsapp_exports_read_their_stamps() {
        let t = split(
            "[30/11/2026, 14:05:12] Ann: Hi, my payment failed\n[30/11/2026, 14:06:40] PayPal Support: Sorry to hear that.\nYour case ID is PP-D-301234567.",
            today(),
        );
        assert_eq!(
            brief(&t),
            [
                "Ann|2026-11-30|14:05|Hi, my payment failed",
                "PayPal Support|2026-11-30|14:06|Sorry to hear that.\nYour case ID is PP-D-301234567."
            ]
        );
        assert_eq!(t.references.len(), 1);
        let android = split("11/30/26, 2:05 PM - Ann: hello\n11/30/26, 2:07 PM - Bob: hi", today());
        assert_eq!(
            brief(&android),
            ["Ann|2026-11-30|14:05|hello", "Bob|2026-11-30|14:07|hi"]
        );
    }

    #[test]
    fn wechat_style_headers_put_the_text_below() {
        let t = split(
            "2026年11月30日\n小蚂蚁 14:05\n您好，请问有什么可以帮您？\n我 14:06\n我的账户被冻结了\n为什么？\n小蚂蚁 下午2:08\n已为您提交工单，工单号：TK88102345",
            today(),
        );
        assert_eq!(
            brief(&t),
            [
                "小蚂蚁|2026-11-30|14:05|您好，请问有什么可以帮您？",
                "我|2026-11-30|14:06|我的账户被冻结了\n为什么？",
                "小蚂蚁|2026-11-30|14:08|已为您提交工单，工单号：TK88102345"
            ]
        );
        assert_eq!(t.speakers, ["小蚂蚁", "我"]);
    }

    #[test]
    fn qq_headers_drop_the_number() {
        let t = split(
            "2026-11-30 14:05:12 张三(12345678)\n在吗\n\n2026-11-30 14:06:01 客服小美(88880000)\n在的",
            today(),
        );
        assert_eq!(
            brief(&t),
            ["张三|2026-11-30|14:05|在吗", "客服小美|2026-11-30|14:06|在的"]
        );
    }

    #[test]
    fn names_without_times_count_once_seen_twice() {
        let t = split("客服：您好\n我：退款呢\n客服：已处理\n我：谢谢", today());
        assert_eq!(t.lines.len(), 4);
        assert_eq!(t.lines[2].who, "客服");
        let one = split("Note: this is just a note\nwith two lines", today());
        assert!(!one.is_chat());
    }
}
