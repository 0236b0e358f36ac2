//! Amounts and times as statement exports write them.

use std::str::FromStr;

use chrono::FixedOffset;
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeZone, Timelike};
use rust_decimal::Decimal;

use crate::time::At;

/// Reads an amount as exports write it: `¥28.16`, `-$1,234.56`, `$-5.00`,
/// `(12.00)`, `1.234,56`, `+100.00`, `28.16 CNY`. `None` when it is not one.
pub fn amount(input: &str) -> Option<Decimal> {
    amount_in(input, None)
}

/// An amount in a file whose decimal separator is known: `Some(true)` for a
/// decimal comma (`4.626,81`, `1,5`), `Some(false)` for a decimal point
/// (`1,612` is one thousand six hundred and twelve), `None` to tell from the
/// amount alone. Scientific notation (`2.103e-05`) is read exactly.
pub fn amount_in(input: &str, decimal_comma: Option<bool>) -> Option<Decimal> {
    let t = input.trim();
    if let Some(v) = scientific(t) {
        return Some(v);
    }
    // A currency code after the number: `28.16 CNY`.
    let t = match t.rsplit_once(char::is_whitespace) {
        Some((num, code))
            if (2..=5).contains(&code.len()) && code.chars().all(|c| c.is_ascii_uppercase()) =>
        {
            num
        }
        _ => t,
    };
    let mut s: String = t
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect();
    let mut negative = false;
    if s.starts_with('(') && s.ends_with(')') {
        negative = true;
        s = s[1..s.len() - 1].to_string();
    }
    // Currency symbols and codes around the number.
    let s = s
        .trim_start_matches(|c: char| c.is_ascii_uppercase() || "¥￥$€£".contains(c))
        .trim_end_matches(|c: char| "¥￥$€£元".contains(c));
    let (sign, rest) = match s.chars().next()? {
        '-' | '−' => (true, &s[s.chars().next()?.len_utf8()..]),
        '+' => (false, &s[1..]),
        _ => (false, s),
    };
    // `-$5`, `-CA$5`, `-€5`: the symbol may follow the sign.
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_uppercase() || "¥￥$€£".contains(c));
    if rest.is_empty()
        || !rest
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return None;
    }
    let normalized = match decimal_comma {
        None => normalize_separators(rest)?,
        Some(comma) => with_separator(rest, if comma { ',' } else { '.' })?,
    };
    let mut value = Decimal::from_str(&normalized).ok()?;
    if sign ^ negative {
        value = -value;
    }
    Some(value)
}

/// `1.0e-08`, `-2.103E-05`: exactly, never through a float.
fn scientific(s: &str) -> Option<Decimal> {
    let (mantissa, exp) = s.split_once(['e', 'E'])?;
    let m = mantissa.strip_prefix(['-', '+']).unwrap_or(mantissa);
    let e = exp.strip_prefix(['-', '+']).unwrap_or(exp);
    let digits = |x: &str| !x.is_empty() && x.chars().all(|c| c.is_ascii_digit());
    let m_ok = match m.split_once('.') {
        Some((i, f)) => digits(i) && digits(f),
        None => digits(m),
    };
    if !m_ok || !digits(e) || e.len() > 2 {
        return None;
    }
    Decimal::from_scientific(s).ok()
}

/// `rest` with a known decimal separator; the other one may group
/// thousands, in well-formed groups.
fn with_separator(s: &str, decimal: char) -> Option<String> {
    let thousands = if decimal == ',' { '.' } else { ',' };
    assemble(s, thousands, s.contains(decimal).then_some(decimal))
}

/// The plain decimal of `s` written with these separators: thousands
/// groups must be well formed (1,234,567 — not 12,34).
fn assemble(s: &str, thousands: char, decimal: Option<char>) -> Option<String> {
    let (int, frac) = match decimal {
        Some(d) => {
            let (i, f) = s.rsplit_once(d)?;
            (i, Some(f))
        }
        None => (s, None),
    };
    let groups: Vec<&str> = int.split(thousands).collect();
    if groups.len() > 1
        && (groups[0].is_empty() || groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3))
    {
        return None;
    }
    let int: String = groups.concat();
    if int.is_empty() || !int.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    match frac {
        Some(f) if f.is_empty() || !f.chars().all(|c| c.is_ascii_digit()) => None,
        Some(f) => Some(format!("{int}.{f}")),
        None => Some(int),
    }
}

/// Whether a file's amounts write a decimal comma, from all of them:
/// `Some(true)` if one ends in a comma and one or two digits (`12,50`) or
/// has a dot before its comma, `Some(false)` for the same with a dot,
/// `None` when none tells.
pub fn decimal_comma_evidence<'a>(cells: impl Iterator<Item = &'a str>) -> Option<bool> {
    for c in cells {
        if scientific(c.trim()).is_some() {
            continue;
        }
        let t: String = c
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
            .collect();
        let (comma, dot) = (t.rfind(','), t.rfind('.'));
        let tail = |i: usize| t.len() - i - 1;
        match (comma, dot) {
            (Some(c), Some(d)) => return Some(c > d),
            (Some(c), None) if (1..=2).contains(&tail(c)) || tail(c) > 3 => return Some(true),
            (None, Some(d)) if (1..=2).contains(&tail(d)) || tail(d) > 3 => return Some(false),
            _ => {}
        }
    }
    None
}

/// `1,234.56` / `1.234,56` / `12,50` / `1,234` → `1234.56` / … / `12.50` / `1234`.
fn normalize_separators(s: &str) -> Option<String> {
    let last_comma = s.rfind(',');
    let last_dot = s.rfind('.');
    let (thousands, decimal) = match (last_comma, last_dot) {
        (Some(c), Some(d)) if c < d => (',', Some('.')),
        (Some(_), Some(_)) => ('.', Some(',')),
        (None, Some(_)) => (',', Some('.')),
        (Some(c), None) => {
            // `12,50` is a decimal comma; `1,234` and `1,234,567` are thousands.
            let after = s.len() - c - 1;
            let lead = &s[..c];
            if (after == 3 && lead.len() <= 3 && lead != "0") || s.matches(',').count() > 1 {
                (',', None)
            } else {
                ('.', Some(','))
            }
        }
        (None, None) => (',', None),
    };
    assemble(s, thousands, decimal)
}

/// Date-and-time layouts seen in exports (local time, no zone).
const LOCAL_LAYOUTS: &[&str] = &[
    "%Y-%m-%d %H:%M:%S",
    "%Y.%m.%d %H:%M:%S",
    "%Y.%m.%d %H:%M",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y年%m月%d日 %H:%M:%S",
    "%Y年%m月%d日 %H:%M",
];

const DATE_LAYOUTS: &[&str] = &[
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%Y %B %d",
    "%Y %b %d",
    "%B %d, %Y",
    "%b %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%Y年%m月%d日",
];

/// A local date and time without a zone.
pub fn local_datetime(input: &str) -> Option<NaiveDateTime> {
    let s = input.trim();
    LOCAL_LAYOUTS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .or_else(|| date(s).and_then(|d| d.and_hms_opt(0, 0, 0)))
}

/// An Excel serial date-time (days since 1899-12-30, as WeChat Pay's 2026
/// XLSX stores 交易时间), rounded to the second.
pub fn excel_serial(input: &str) -> Option<NaiveDateTime> {
    let v: f64 = input.trim().parse().ok()?;
    // 1982-01-01 .. 2173-10-14: anything else is not a date.
    if !(30_000.0..=100_000.0).contains(&v) {
        return None;
    }
    let secs = (v * 86_400.0).round() as i64;
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_hms_opt(0, 0, 0)?;
    epoch.checked_add_signed(chrono::Duration::seconds(secs))
}

/// A date alone, in the unambiguous layouts.
pub fn date(input: &str) -> Option<NaiveDate> {
    let s = input.trim();
    DATE_LAYOUTS
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(s, f).ok())
}

/// A date written with slashes, day or month first (`03/04/2024`).
pub fn slashed_date(input: &str, day_first: bool) -> Option<NaiveDate> {
    let parts: Vec<&str> = input.trim().split(['/', '.', '-']).collect();
    let [a, b, y] = parts.as_slice() else {
        return None;
    };
    let (a, b, y): (u32, u32, i32) = (a.parse().ok()?, b.parse().ok()?, y.parse().ok()?);
    let y = if y < 100 { 2000 + y } else { y };
    if day_first {
        NaiveDate::from_ymd_opt(y, b, a)
    } else {
        NaiveDate::from_ymd_opt(y, a, b)
    }
}

/// A date written `a/b/yyyy`, `a.b.yyyy` or `a-b-yyyy` with an optional
/// time after it (`6/9/2020 16:59`, `06.09.2020 4:59 PM`): how spreadsheets
/// rewrite dates.
pub fn dmy_datetime(input: &str, day_first: bool) -> Option<NaiveDateTime> {
    let s = input.trim();
    let (d, t) = match s.split_once([' ', 'T']) {
        Some((d, t)) => (d, t.trim()),
        None => (s, ""),
    };
    let date = slashed_date(d, day_first)?;
    if t.is_empty() {
        return date.and_hms_opt(0, 0, 0);
    }
    let time = [
        "%H:%M:%S",
        "%H:%M",
        "%I:%M:%S %p",
        "%I:%M %p",
        "%H:%M:%S%.f",
    ]
    .iter()
    .find_map(|f| chrono::NaiveTime::parse_from_str(t, f).ok())?;
    Some(date.and_time(time))
}

/// A date without a year, as Revolut wrote the current year's rows in 2019
/// (`September 15`, `Sep 15`): its month and day.
pub fn yearless(input: &str) -> Option<(u32, u32)> {
    let s = input.trim();
    if s.is_empty() || s.chars().filter(|c| c.is_ascii_digit()).count() > 2 {
        return None;
    }
    // 2000 is a leap year, so 29 February is a date.
    ["%Y %B %d", "%Y %b %d", "%Y %d %B", "%Y %d %b"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(&format!("2000 {s}"), f).ok())
        .map(|d| {
            use chrono::Datelike;
            (d.month(), d.day())
        })
}

/// The last `month`/`day` on or before `day_made` (a 29 February in the
/// last leap year).
pub fn last_on_or_before(month: u32, day: u32, made: NaiveDate) -> Option<NaiveDate> {
    use chrono::Datelike;
    (0..8)
        .filter_map(|back| NaiveDate::from_ymd_opt(made.year() - back, month, day))
        .find(|d| *d <= made)
}

/// The day and month numbers of a date written `a/b/yyyy`, `a.b.yy` or
/// `a-b-yyyy` (with or without a time after it), and its separator; `None`
/// for any other way of writing a date (`2024-01-05`, `Apr 8, 2018`).
pub fn dmy_parts(input: &str) -> Option<(u32, u32, char)> {
    let s = input.trim();
    let d = s.split([' ', 'T']).next()?;
    let sep = d.chars().find(|c| matches!(c, '/' | '.' | '-'))?;
    let parts: Vec<&str> = d.split(sep).collect();
    let [a, b, y] = parts.as_slice() else {
        return None;
    };
    let num = |p: &str, max: usize| {
        !p.is_empty() && p.len() <= max && p.chars().all(|c| c.is_ascii_digit())
    };
    (num(a, 2) && num(b, 2) && num(y, 4) && y.len() != 3 && y.len() != 1)
        .then(|| Some((a.parse().ok()?, b.parse().ok()?, sep)))
        .flatten()
}

/// Reads the `a/b/yyyy` dates among `dates` (see [`dmy_parts`]) to tell
/// whether they are day-first: `Some(true)` if a first number above 12
/// appears, `Some(false)` if a second one does, `None` when every date could
/// be read both ways.
pub fn day_first_evidence<'a>(dates: impl Iterator<Item = &'a str>) -> Option<bool> {
    dates.filter_map(dmy_parts).find_map(|(a, b, _)| {
        if a > 12 {
            Some(true)
        } else if b > 12 {
            Some(false)
        } else {
            None
        }
    })
}

/// A zone as PayPal writes it (`PST`, `GMT+08:00`, `CEST`, `UTC`), as an
/// offset in seconds east of UTC.
pub fn zone_offset(zone: &str) -> Option<i32> {
    let z = zone.trim().to_ascii_uppercase();
    let hours = match z.as_str() {
        "UTC" | "GMT" | "Z" | "WET" => 0.0,
        "BST" | "CET" | "WEST" => 1.0,
        "CEST" | "EET" => 2.0,
        "EEST" | "MSK" => 3.0,
        "HKT" | "SGT" | "AWST" | "PHT" | "MYT" => 8.0,
        "JST" | "KST" => 9.0,
        "AEST" => 10.0,
        "AEDT" => 11.0,
        "NZST" => 12.0,
        "NZDT" => 13.0,
        "EST" => -5.0,
        "EDT" | "AST" => -4.0,
        "CST" => -6.0,
        "CDT" => -5.0,
        "MST" => -7.0,
        "MDT" => -6.0,
        "PST" => -8.0,
        "PDT" => -7.0,
        "AKST" => -9.0,
        "HST" => -10.0,
        _ => return offset_suffix(&z),
    };
    Some((hours * 3600.0) as i32)
}

/// `GMT+08:00`, `UTC-5`, `+0800`, `+08:00`.
fn offset_suffix(z: &str) -> Option<i32> {
    let rest = z
        .strip_prefix("GMT")
        .or_else(|| z.strip_prefix("UTC"))
        .unwrap_or(z);
    let (sign, rest) = match rest.chars().next()? {
        '+' => (1, &rest[1..]),
        '-' => (-1, &rest[1..]),
        _ => return None,
    };
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) => (h.parse::<i32>().ok()?, m.parse::<i32>().ok()?),
        None if rest.len() == 4 => (rest.get(..2)?.parse().ok()?, rest.get(2..)?.parse().ok()?),
        None => (rest.parse().ok()?, 0),
    };
    (h <= 14 && m < 60).then_some(sign * (h * 3600 + m * 60))
}

/// A local time in a zone named as PayPal writes it: an abbreviation, an
/// offset, or an IANA name (`America/Los_Angeles`, with its summer time).
/// An IANA name is looked up in the system's time zone database, else in
/// the copy jiff carries (chrono-tz's compiled-in tables cost every
/// process 1 MB of memory at start, relocated whether used or not). A time
/// that falls twice (clocks going back) is the earlier one; a time that
/// never was (clocks going forward) is refused.
pub fn at_zone(local: NaiveDateTime, zone: &str) -> Option<At> {
    let zone = zone.trim();
    if !zone.is_empty()
        && let Ok(tz) = jiff::tz::TimeZone::get(zone)
    {
        let civil = jiff::civil::DateTime::new(
            i16::try_from(local.year()).ok()?,
            i8::try_from(local.month()).ok()?,
            i8::try_from(local.day()).ok()?,
            i8::try_from(local.hour()).ok()?,
            i8::try_from(local.minute()).ok()?,
            i8::try_from(local.second()).ok()?,
            0,
        )
        .ok()?;
        let offset = match tz.to_ambiguous_zoned(civil).offset() {
            jiff::tz::AmbiguousOffset::Unambiguous { offset } => offset,
            jiff::tz::AmbiguousOffset::Fold { before, .. } => before,
            jiff::tz::AmbiguousOffset::Gap { .. } => return None,
        };
        return at_offset(local, offset.seconds());
    }
    at_offset(local, zone_offset(zone)?)
}

/// A time with its offset (`2017-04-06 17:09:04 -0700`), kept in that offset.
pub fn zoned(input: &str) -> Option<At> {
    let s = input.trim();
    [
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%d %H:%M:%S%z",
    ]
    .iter()
    .find_map(|f| DateTime::parse_from_str(s, f).ok())
    .map(At::from_datetime)
}

/// A local time at a known offset.
pub fn at_offset(local: NaiveDateTime, offset_secs: i32) -> Option<At> {
    let off = FixedOffset::east_opt(offset_secs)?;
    off.from_local_datetime(&local)
        .single()
        .map(At::from_datetime)
}

/// A UTC timestamp (`2023-01-01T12:00:00Z`, `2023-01-01 12:00:00 UTC`),
/// shown in the user's offset.
pub fn utc_instant(input: &str, show_offset: i32) -> Option<At> {
    let s = input.trim();
    let utc_ms = if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        dt.timestamp_millis()
    } else {
        let bare = s
            .strip_suffix(" UTC")
            .or_else(|| s.strip_suffix(" GMT"))
            .or_else(|| s.strip_suffix('Z'))
            .unwrap_or(s);
        local_datetime(bare)?.and_utc().timestamp_millis()
    };
    Some(At::from_parts(utc_ms, show_offset))
}

/// Header names compared without spaces and with full-width brackets made
/// plain, so `金额(元)`, `金额（元）` and ` Gross ` all match.
pub(crate) fn norm(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{feff}')
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            '／' => '/',
            c => c,
        })
        .collect::<String>()
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> String {
        amount(s)
            .map(|v| v.to_string())
            .unwrap_or_else(|| "none".into())
    }

    #[test]
    fn amounts_as_exports_write_them() {
        assert_eq!(d("¥28.16"), "28.16");
        assert_eq!(d("￥1,000.00"), "1000.00");
        assert_eq!(d("-$1,234.56"), "-1234.56");
        assert_eq!(d("$-5.00"), "-5.00");
        assert_eq!(d("(12.00)"), "-12.00");
        assert_eq!(d("1.234,56"), "1234.56");
        assert_eq!(d("12,50"), "12.50");
        assert_eq!(d("1,234"), "1234");
        assert_eq!(d("0,005"), "0.005");
        assert_eq!(d("+100.00"), "100.00");
        assert_eq!(d("28.16 CNY"), "28.16");
        assert_eq!(d(" 0.00012 "), "0.00012");
        assert_eq!(d("CA$12.00"), "12.00");
        assert_eq!(d("-CA$1,234.50"), "-1234.50");
        assert_eq!(d("$30702.2761900010362018"), "30702.2761900010362018");
        for bad in [
            "", "abc", "12a.5", "-39.9x", "12 x", "1,23,4.5", "--1", "1.2.3", "$", "¥", "12.",
            "一百",
        ] {
            assert_eq!(d(bad), "none", "{bad}");
        }
    }

    #[test]
    fn times_and_zones() {
        assert!(local_datetime("2024-01-05 12:34:56").is_some());
        assert!(local_datetime("2024/1/5 9:05").is_some());
        assert!(local_datetime("2024-13-05 12:34:56").is_none());
        assert_eq!(
            excel_serial("46283.79487268518").unwrap().to_string(),
            "2026-09-18 19:04:37"
        );
        assert_eq!(zone_offset("PST"), Some(-8 * 3600));
        assert_eq!(zone_offset("GMT+08:00"), Some(8 * 3600));
        assert_eq!(zone_offset("+0530"), Some(5 * 3600 + 1800));
        assert_eq!(zone_offset("Mars"), None);
        assert_eq!(zone_offset("GMT+1€"), None);
        let summer = local_datetime("2018-09-04 20:44:10").unwrap();
        assert_eq!(
            at_zone(summer, "America/Los_Angeles").unwrap().offset_secs,
            -7 * 3600
        );
        let winter = local_datetime("2018-12-04 20:44:10").unwrap();
        assert_eq!(
            at_zone(winter, " America/Los_Angeles ")
                .unwrap()
                .offset_secs,
            -8 * 3600
        );
        assert_eq!(
            at_zone(winter, "Asia/Shanghai").unwrap().offset_secs,
            8 * 3600
        );
        // Clocks going back: 01:30 happened twice, the earlier in summer time.
        let twice = local_datetime("2018-11-04 01:30:00").unwrap();
        assert_eq!(
            at_zone(twice, "America/Los_Angeles").unwrap().offset_secs,
            -7 * 3600
        );
        // Clocks going forward: 02:30 never happened.
        let never = local_datetime("2018-03-11 02:30:00").unwrap();
        assert!(at_zone(never, "America/Los_Angeles").is_none());
        assert!(at_zone(winter, "Mars/Olympus_Mons").is_none());
        assert_eq!(at_zone(winter, "PST").unwrap().offset_secs, -8 * 3600);
        let at = utc_instant("2023-01-01 12:00:00 UTC", 3600).unwrap();
        assert_eq!(at.utc_ms, 1_672_574_400_000);
        assert_eq!(
            slashed_date("03/04/2024", true),
            NaiveDate::from_ymd_opt(2024, 4, 3)
        );
        assert_eq!(
            slashed_date("03/04/2024", false),
            NaiveDate::from_ymd_opt(2024, 3, 4)
        );
        assert_eq!(
            day_first_evidence(["01/02/2024", "25/02/2024"].into_iter()),
            Some(true)
        );
        assert_eq!(day_first_evidence(["01/02/2024"].into_iter()), None);
    }
}
