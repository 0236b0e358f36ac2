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
    /// The first speaker who is not the user (我, me, You…): the agent.
    pub agent: String,
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
        c.agent = self.agent.clone();
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
    /// A divider with a day and/or a time: `—— 昨天 16:42 ——`.
    divider: Regex,
    /// When a transcript with elapsed times started: `Chat Started: …`.
    started_at: Regex,
    /// An elapsed time since the start: `( 1m 15s ) Name: text`.
    elapsed: Regex,
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
            divider: Regex::new(&format!(r"^\s*[-—=─]{{2,}}\s*(?:{DATE})?\s*(?:{TIME})?\s*[-—=─]{{2,}}\s*$"))
                .expect("divider pattern"),
            started_at: Regex::new(&format!(r"(?i)^(?:chat started|started on|会话开始|开始时间)\s*[:：]?\s*(?:[A-Za-z]+day,?\s*)?(?:{DATE})(?:\s*(?:,|at)?\s*)(?:{TIME})"))
                .expect("started pattern"),
            elapsed: Regex::new(r"^\(\s*(?:(?P<eh>\d+)h\s*)?(?:(?P<em>\d+)m\s*)?(?P<es>\d+)s\s*\)\s*(?P<rest>.*)$")
                .expect("elapsed pattern"),
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
    if let (Some(m), Some(d), Some(y)) = (
        c.name("mon").and_then(|m| month(m.as_str())),
        num("md"),
        num("my"),
    ) {
        return NaiveDate::from_ymd_opt(y as i32, m, d);
    }
    if let (Some(m), Some(d), Some(y)) = (
        c.name("mon2").and_then(|m| month(m.as_str())),
        num("dm"),
        num("dy"),
    ) {
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
    let re =
        RE.get_or_init(|| Regex::new(r"\b(\d{1,2})([/.])(\d{1,2})[/.]\d{2,4}\b").expect("dmy"));
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
        && !n.ends_with(['。', '，', ',', '！', '？', '!', '?'])
        && n.split_whitespace().count() <= 5
}

/// A header's speaker without a role badge, a trailing QQ number or a
/// separator: `【群主】张三(12345678)` is 张三, `sam.k —` is sam.k.
fn clean_name(name: &str) -> String {
    let mut n = name.trim().trim_matches(|c: char| {
        matches!(c, ',' | '，' | '—' | '–' | '-' | '|') || c.is_whitespace()
    });
    if let Some((head, _)) = n
        .split_once('<')
        .filter(|(h, t)| !h.trim().is_empty() && t.ends_with('>'))
    {
        n = head.trim();
    }
    if n.starts_with('【')
        && let Some((_, rest)) = n.split_once('】')
    {
        n = rest.trim();
    }
    match n.rsplit_once(['(', '（']) {
        Some((head, tail))
            if !head.trim().is_empty()
                && tail
                    .trim_end_matches([')', '）'])
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '@' || c == '.') =>
        {
            head.trim().to_string()
        }
        _ => n.to_string(),
    }
}

/// Invisible marks some apps put at the start of a line (WhatsApp's
/// left-to-right mark).
fn strip_marks(s: &str) -> &str {
    s.trim_start_matches([
        '\u{200E}', '\u{200F}', '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}',
        '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}', '\u{FEFF}',
    ])
}

/// WhatsApp's placeholders for what a sender sent (marked like notices).
const WHATSAPP_PLACEHOLDERS: &[&str] = &[
    "image omitted",
    "video omitted",
    "audio omitted",
    "sticker omitted",
    "gif omitted",
    "document omitted",
    "<media omitted>",
    "this message was deleted",
    "you deleted this message",
    "contact card omitted",
];

/// What apps write for events rather than messages.
const SYSTEM_MARKS: &[&str] = &[
    "加入本群",
    "加入了群聊",
    "撤回了一条消息",
    "已接入",
    "已离线",
    "会话已结束",
    "为您转接",
    "已进入人工服务",
    "joined the chat",
    "left the chat",
    "has joined",
    "has left",
    "chat ended",
    "conversation ended",
    "is now connected",
    "transferred you",
];

fn is_system(line: &str) -> bool {
    let lower = line.to_lowercase();
    SYSTEM_MARKS.iter().any(|m| lower.contains(m))
}

/// How the current message was opened: its text on the lines below
/// (`Header`), on its own line (`Inline`), or an app's event (`System`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Header,
    Inline,
    System,
}

struct Reader<'a> {
    p: &'a Patterns,
    today: NaiveDate,
    day_first: bool,
    lines: Vec<ChatLine>,
    /// Whether each line's time was written on it (not carried).
    own_time: Vec<bool>,
    style: Style,
    /// The day and time of the last divider (`—— 昨天 16:42 ——`).
    date: Option<NaiveDate>,
    time: Option<NaiveTime>,
    /// A message, a date or a time has been read: lines before are a
    /// preamble (titles, `Chat Started:`) and are left out.
    started: bool,
    blank_before: bool,
}

impl Reader<'_> {
    fn push(&mut self, who: String, time: Option<NaiveTime>, text: String, style: Style) {
        let own = time.is_some();
        self.lines.push(ChatLine {
            who,
            date: self.date,
            time: time.or(self.time),
            text,
        });
        self.own_time.push(own);
        self.style = style;
        self.started = true;
    }

    /// A message opened with a name and a stamp: `Name: text` on the same
    /// line, or the name alone (its text below).
    fn message(&mut self, rest: &str, time: Option<NaiveTime>) {
        let rest = rest.trim();
        let last_who = self.lines.last().map(|l| l.who.clone()).unwrap_or_default();
        match self.p.speaker.captures(rest) {
            Some(s) if plausible_name(&s["name"]) => {
                let said = s["text"].trim_end();
                // WhatsApp marks its own notices with a left-to-right mark
                // (and its placeholders for media, which keep their sender).
                let notice = said.starts_with('\u{200E}')
                    && !WHATSAPP_PLACEHOLDERS
                        .iter()
                        .any(|p| strip_marks(said).trim().to_lowercase().starts_with(p));
                let (who, style) = if notice {
                    (String::new(), Style::System)
                } else {
                    (clean_name(&s["name"]), Style::Inline)
                };
                self.push(who, time, strip_marks(said).trim().to_string(), style);
            }
            _ if rest.is_empty() => self.push(last_who, time, String::new(), Style::Header),
            _ if plausible_name(&clean_name(rest)) && clean_name(rest).chars().count() <= 24 => {
                self.push(clean_name(rest), time, String::new(), Style::Header)
            }
            // A stamp and words without a name: the app's own notice
            // ("You blocked this contact").
            _ => self.push(String::new(), time, rest.to_string(), Style::System),
        }
    }

    /// A line of text that opens nothing: more of the message, an event,
    /// or a preamble line.
    fn text(&mut self, line: &str, speakers: &[String]) {
        let starts_with_speaker = speakers.iter().any(|s| {
            line.strip_prefix(s.as_str())
                .is_some_and(|r| r.starts_with(char::is_whitespace))
        });
        let event = is_system(line) || starts_with_speaker;
        let open = self.lines.last().is_some_and(|l| l.text.is_empty());
        if !self.started {
            return;
        }
        if !open
            && (event
                || self.lines.is_empty()
                || (self.blank_before && self.style != Style::Inline))
        {
            self.push(String::new(), None, line.to_string(), Style::System);
            return;
        }
        let last = self.lines.last_mut().expect("a line");
        if !last.text.is_empty() {
            last.text
                .push_str(if self.blank_before { "\n\n" } else { "\n" });
        }
        last.text.push_str(line);
    }
}

/// Splits a pasted transcript. `today` dates "昨天"/"Yesterday" and dates
/// without a year.
pub fn split(text: &str, today: NaiveDate) -> Transcript {
    let p = patterns();
    let raw: Vec<&str> = text
        .lines()
        .map(|l| strip_marks(l.trim_end()).trim())
        .collect();
    // Names that open two lines or more as `Name: …` count as speakers.
    let mut colon_names: std::collections::HashMap<String, usize> = Default::default();
    // Short lines that stand alone twice or more: names above their text
    // (PayPal's messages, Messenger, Alipay's chat).
    let mut alone: std::collections::HashMap<&str, usize> = Default::default();
    let mut stamped_names = 0;
    for line in &raw {
        let stamped = p.stamp.captures(line).filter(|c| time_of(c).is_some());
        if let Some(c) = p.speaker.captures(line).filter(|_| stamped.is_none()) {
            let name = c["name"].trim().to_string();
            if plausible_name(&name) {
                *colon_names.entry(name).or_default() += 1;
            }
        }
        match stamped {
            Some(c) if !c["rest"].trim().is_empty() => stamped_names += 1,
            Some(_) => {}
            None => {
                if p.trailing_stamp
                    .captures(line)
                    .is_some_and(|c| time_of(&c).is_some())
                {
                    stamped_names += 1;
                } else if plausible_name(line)
                    && line.chars().count() <= 32
                    && !line.contains([':', '：', '。', '，', '.', ','])
                {
                    *alone.entry(line).or_default() += 1;
                }
            }
        }
    }
    let known = |name: &str| colon_names.get(name).copied().unwrap_or(0) >= 2;
    // Another agent numbered like a known one: 客服5117 after 客服8024.
    let numbered_like_known = |name: &str| {
        let stem = |n: &str| {
            n.trim_end_matches(|c: char| c.is_ascii_digit())
                .trim()
                .to_string()
        };
        name.ends_with(|c: char| c.is_ascii_digit())
            && !stem(name).is_empty()
            && colon_names.iter().any(|(k, n)| {
                *n >= 2 && k.ends_with(|c: char| c.is_ascii_digit()) && stem(k) == stem(name)
            })
    };
    let colon_speakers = colon_names.values().filter(|&&n| n >= 2).count();
    let names_alone = stamped_names < 2 && colon_speakers == 0;
    let alone_name = |line: &str| names_alone && alone.get(line).copied().unwrap_or(0) >= 2;

    let mut r = Reader {
        p,
        today,
        day_first: guess_day_first(text),
        lines: Vec::new(),
        own_time: Vec::new(),
        style: Style::Inline,
        date: None,
        time: None,
        started: false,
        blank_before: false,
    };
    // The start of a transcript with elapsed times (Salesforce).
    let mut base: Option<chrono::NaiveDateTime> = None;
    for (i, line) in raw.iter().enumerate() {
        let line = *line;
        if line.is_empty() {
            r.blank_before = r.started;
            continue;
        }
        let next_line = raw[i + 1..].iter().find(|l| !l.is_empty()).copied();
        if let Some(c) = p.started_at.captures(line)
            && let (Some(d), Some(t)) = (date_of(&c, r.today, r.day_first), time_of(&c))
        {
            base = Some(d.and_time(t));
            r.date = Some(d);
            r.blank_before = false;
            continue;
        }
        if let (Some(c), Some(start)) = (p.elapsed.captures(line), base) {
            let n = |k: &str| {
                c.name(k)
                    .and_then(|m| m.as_str().parse::<i64>().ok())
                    .unwrap_or(0)
            };
            let at = start + Duration::seconds(n("eh") * 3600 + n("em") * 60 + n("es"));
            r.date = Some(at.date());
            let rest = c["rest"].to_string();
            r.message(&rest, Some(at.time()));
            r.blank_before = false;
            continue;
        }
        if let Some(c) = p.divider.captures(line) {
            let date = date_of(&c, r.today, r.day_first);
            let time = time_of(&c);
            if date.is_some() || time.is_some() {
                if date.is_some() {
                    r.date = date;
                }
                r.time = time;
                r.started = true;
                r.blank_before = false;
                continue;
            }
        }
        if let Some(c) = p.date_line.captures(line)
            && let Some(d) = date_of(&c, r.today, r.day_first)
        {
            r.date = Some(d);
            r.time = None;
            r.started = true;
            r.blank_before = false;
            continue;
        }
        if let Some(c) = p.stamp.captures(line)
            && let Some(time) = time_of(&c)
        {
            let date = date_of(&c, r.today, r.day_first);
            let rest = c["rest"].trim().to_string();
            let bracketed = line.starts_with(['[', '(', '（', '【']);
            if rest.is_empty() && !bracketed {
                // A stamp alone: the time of the message above it when
                // that one has none and a name or the end follows
                // (Messenger), of an open header (PayPal), or a
                // divider for the lines below.
                let open_header =
                    r.style == Style::Header && r.lines.last().is_some_and(|l| l.text.is_empty());
                let closes = r.lines.last().is_some()
                    && !r.own_time.last().copied().unwrap_or(true)
                    && next_line.is_none_or(alone_name);
                if open_header || closes {
                    let last = r.lines.last_mut().expect("a line");
                    if date.is_some() {
                        last.date = date;
                    }
                    last.time = Some(time);
                    *r.own_time.last_mut().expect("a line") = true;
                } else {
                    if date.is_some() {
                        r.date = date;
                    }
                    r.time = Some(time);
                    r.started = true;
                }
                r.blank_before = false;
                continue;
            }
            if date.is_some() {
                r.date = date;
            }
            r.message(&rest, Some(time));
            r.blank_before = false;
            continue;
        }
        if let Some(c) = p.trailing_stamp.captures(line)
            && let Some(time) = time_of(&c)
        {
            let name = clean_name(&c["name"]);
            if plausible_name(&name) {
                if let Some(d) = date_of(&c, r.today, r.day_first) {
                    r.date = Some(d);
                }
                r.push(name, Some(time), String::new(), Style::Header);
                r.blank_before = false;
                continue;
            }
        }
        if alone_name(line) {
            r.push(line.to_string(), None, String::new(), Style::Header);
            r.blank_before = false;
            continue;
        }
        if let Some(c) = p.speaker.captures(line) {
            let name = c["name"].trim();
            if known(name) || numbered_like_known(name) {
                let said = c["text"].trim().to_string();
                r.push(name.to_string(), None, said, Style::Inline);
                r.blank_before = false;
                continue;
            }
        }
        let speakers: Vec<String> = colon_names
            .iter()
            .filter(|(_, n)| **n >= 2)
            .map(|(k, _)| k.clone())
            .collect();
        r.text(line, &speakers);
        r.blank_before = false;
    }
    let mut lines = r.lines;
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
    let agent = speakers
        .iter()
        .find(|s| !SELF_NAMES.contains(&s.to_lowercase().as_str()))
        .cloned()
        .unwrap_or_default();
    Transcript {
        references: references::find(text),
        speakers,
        agent,
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
                    l.time
                        .map(|t| t.format("%H:%M").to_string())
                        .unwrap_or_default(),
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
        let android = split(
            "11/30/26, 2:05 PM - Ann: hello\n11/30/26, 2:07 PM - Bob: hi",
            today(),
        );
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
            [
                "张三|2026-11-30|14:05|在吗",
                "客服小美|2026-11-30|14:06|在的"
            ]
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
