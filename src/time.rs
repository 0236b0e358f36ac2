//! Instants as the user lived them: a UTC instant plus the UTC offset the user
//! was in at that moment. Stored as two integers (milliseconds since the Unix
//! epoch, offset in seconds) and shown as RFC 3339 with the original offset.

use chrono::{DateTime, FixedOffset, Local, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Problem, Result};

/// Earliest and latest years Casebook accepts for an entry (typos such as
/// 0202 or 20266 get a clear error instead of a silent odd date).
const MIN_YEAR: i32 = 1970;
const MAX_YEAR: i32 = 2199;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct At {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    pub utc_ms: i64,
    /// The user's UTC offset at that moment, in seconds east of UTC.
    pub offset_secs: i32,
}

impl At {
    pub fn now() -> At {
        let now = Local::now();
        At {
            utc_ms: now.timestamp_millis(),
            offset_secs: now.offset().fix().local_minus_utc(),
        }
    }

    pub fn from_datetime(dt: DateTime<FixedOffset>) -> At {
        At {
            utc_ms: dt.timestamp_millis(),
            offset_secs: dt.offset().local_minus_utc(),
        }
    }

    pub fn from_parts(utc_ms: i64, offset_secs: i32) -> At {
        At {
            utc_ms,
            offset_secs,
        }
    }

    /// Parses what a user may type for a moment: `now`, RFC 3339
    /// (`2026-11-20T14:30:00+08:00`), or a local date and time without an
    /// offset (`2026-11-20 14:30`, `2026-11-20T14:30:05`), which takes this
    /// computer's current offset.
    pub fn parse(field: &'static str, input: &str) -> Result<At> {
        let s = input.trim();
        if s.eq_ignore_ascii_case("now") {
            return Ok(At::now());
        }
        let at = if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
            At::from_datetime(dt)
        } else if let Some(naive) = [
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%dT%H:%M",
        ]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        {
            match Local.from_local_datetime(&naive).earliest() {
                Some(local) => At::from_datetime(local.fixed_offset()),
                None => {
                    return Err(Error::invalid(Problem::TimeInGap {
                        field: field.into(),
                        input: s.to_string(),
                    }));
                }
            }
        } else {
            return Err(Error::invalid(Problem::NotATime {
                field: field.into(),
                input: s.to_string(),
            }));
        };
        let year = at
            .datetime()
            .date_naive()
            .format("%Y")
            .to_string()
            .parse::<i32>()
            .unwrap_or(0);
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(Error::invalid(year_out_of_range(field, s, year)));
        }
        Ok(at)
    }

    pub fn offset(&self) -> FixedOffset {
        FixedOffset::east_opt(self.offset_secs).unwrap_or_else(|| Utc.fix())
    }

    pub fn datetime(&self) -> DateTime<FixedOffset> {
        let utc = DateTime::<Utc>::from_timestamp_millis(self.utc_ms).unwrap_or_default();
        utc.with_timezone(&self.offset())
    }

    pub fn to_rfc3339(&self) -> String {
        let dt = self.datetime();
        if self.utc_ms % 1000 == 0 {
            dt.format("%Y-%m-%dT%H:%M:%S%:z").to_string()
        } else {
            dt.format("%Y-%m-%dT%H:%M:%S%.3f%:z").to_string()
        }
    }

    /// The calendar date the user saw on their clock.
    pub fn local_date(&self) -> NaiveDate {
        self.datetime().date_naive()
    }

    /// The time of day the user saw on their clock.
    pub fn local_time(&self) -> chrono::NaiveTime {
        self.datetime().time()
    }

    /// Whole seconds since the epoch (floor).
    pub fn utc_secs(&self) -> i64 {
        self.utc_ms.div_euclid(1000)
    }
}

impl Serialize for At {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rfc3339())
    }
}

impl<'de> Deserialize<'de> for At {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        DateTime::parse_from_rfc3339(&s)
            .map(At::from_datetime)
            .map_err(serde::de::Error::custom)
    }
}

/// Today's date on this computer's clock.
pub fn today() -> NaiveDate {
    Local::now().date_naive()
}

fn year_out_of_range(field: &str, input: &str, year: i32) -> Problem {
    Problem::YearOutOfRange {
        field: field.into(),
        input: input.to_string(),
        year: year.into(),
        min: MIN_YEAR.into(),
        max: MAX_YEAR.into(),
    }
}

/// Parses a calendar date typed as YYYY-MM-DD.
pub fn parse_date(field: &'static str, input: &str) -> Result<NaiveDate> {
    let s = input.trim();
    let date = NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
        Error::invalid(Problem::NotADate {
            field: field.into(),
            input: s.to_string(),
        })
    })?;
    let year: i32 = date.format("%Y").to_string().parse().unwrap_or(0);
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(Error::invalid(year_out_of_range(field, s, year)));
    }
    Ok(date)
}

/// The first instant of `date` in the offset of `reference` (used for date filters).
pub fn start_of_day(date: NaiveDate, offset: FixedOffset) -> i64 {
    let naive = date.and_hms_opt(0, 0, 0).expect("midnight exists");
    offset
        .from_local_datetime(&naive)
        .single()
        .map(|d| d.timestamp_millis())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_users_offset() {
        let at = At::parse("at", "2026-11-20T14:30:00+08:00").unwrap();
        assert_eq!(at.offset_secs, 8 * 3600);
        assert_eq!(at.to_rfc3339(), "2026-11-20T14:30:00+08:00");
        assert_eq!(at.utc_ms, 1_795_156_200_000);
        assert_eq!(at.local_date().to_string(), "2026-11-20");
    }

    #[test]
    fn rejects_nonsense_as_a_problem() {
        let err = At::parse("--at", "yesterday-ish").unwrap_err();
        assert_eq!(
            err.problem(),
            crate::error::Problem::NotATime {
                field: "--at".into(),
                input: "yesterday-ish".into()
            }
        );
        assert!(At::parse("--at", "0202-11-20T14:30:00Z").is_err());
        assert!(parse_date("--deadline", "2026-02-30").is_err());
        assert!(parse_date("--deadline", "2026-12-01").is_ok());
    }
}
