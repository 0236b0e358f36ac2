//! User settings kept in the journal (schema 5), so that both faces read
//! the same ones, a backup carries them and they follow the journal, not
//! the machine account: the language of the app and the CLI, the app's
//! theme. A setting that is not set leaves the choice to the face (the
//! locale, the system's theme).

use chrono::{NaiveTime, Timelike};
use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::db::Journal;
use crate::error::{Error, Problem, Result};
use crate::model::Lang;

/// The app's colours; not set: the system's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    pub fn code(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn parse(input: &str) -> Result<Theme> {
        match input.trim().to_ascii_lowercase().as_str() {
            "light" => Ok(Theme::Light),
            "dark" => Ok(Theme::Dark),
            _ => Err(Error::invalid(Problem::unknown_value(
                "theme",
                input,
                &["light", "dark"],
            ))),
        }
    }
}

/// What a reminder is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    /// Support promised to follow up today.
    FollowUp,
    /// The promised day has passed and the follow-up is not marked done.
    NotKept,
    /// The case's deadline is tomorrow (or today).
    Deadline,
    /// From today the complaint can go to the next step of its route.
    Escalation,
}

impl ReminderKind {
    pub const ALL: [ReminderKind; 4] = [
        ReminderKind::FollowUp,
        ReminderKind::NotKept,
        ReminderKind::Deadline,
        ReminderKind::Escalation,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ReminderKind::FollowUp => "follow_up",
            ReminderKind::NotKept => "not_kept",
            ReminderKind::Deadline => "deadline",
            ReminderKind::Escalation => "escalation",
        }
    }

    pub fn parse(input: &str) -> Result<ReminderKind> {
        let code = input.trim().to_ascii_lowercase().replace('-', "_");
        ReminderKind::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or_else(|| {
                Error::invalid(Problem::unknown_value(
                    "reminder kind",
                    input,
                    &["follow_up", "not_kept", "deadline", "escalation"],
                ))
            })
    }
}

/// The user's choices for reminders, kept in the journal's settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ReminderSettings {
    /// Reminders at all (on unless turned off).
    pub enabled: bool,
    /// The kinds turned off.
    pub off: Vec<ReminderKind>,
    /// Quiet hours, `HH:MM` local time, from (inclusive) to (exclusive),
    /// across midnight when `from` is later than `to`; `None`: none.
    pub quiet_from: Option<String>,
    pub quiet_to: Option<String>,
}

/// How the desktop app runs on this computer: with a tray icon that keeps it
/// running while its window is closed, and started hidden at login. Kept
/// beside the app's configuration, not in the journal: the tray starts
/// before a locked journal can be read, and the choice is this computer's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DesktopSettings {
    /// A tray icon; closing the window leaves Casebook running there, so
    /// reminders still arrive.
    pub tray: bool,
    /// Start hidden in the tray when the user logs in.
    pub start_at_login: bool,
}

impl DesktopSettings {
    /// What the user's change amounts to. Starting at login needs the tray
    /// (an app started hidden without its icon could not be opened), so
    /// turning it on turns the tray on, and turning the tray off stops
    /// starting at login.
    pub fn changed_to(self, asked: DesktopSettings) -> DesktopSettings {
        if asked.start_at_login && !self.start_at_login {
            DesktopSettings {
                tray: true,
                start_at_login: true,
            }
        } else if !asked.tray {
            DesktopSettings::default()
        } else {
            asked
        }
    }
}

impl Default for ReminderSettings {
    fn default() -> Self {
        ReminderSettings {
            enabled: true,
            off: Vec::new(),
            quiet_from: Some("22:00".into()),
            quiet_to: Some("08:00".into()),
        }
    }
}

impl ReminderSettings {
    pub fn wants(&self, kind: ReminderKind) -> bool {
        self.enabled && !self.off.contains(&kind)
    }

    /// Whether `time` (local) falls in the quiet hours.
    pub fn quiet_at(&self, time: NaiveTime) -> bool {
        let (Some(from), Some(to)) = (
            self.quiet_from.as_deref().and_then(parse_hhmm),
            self.quiet_to.as_deref().and_then(parse_hhmm),
        ) else {
            return false;
        };
        let t = time.with_second(0).unwrap_or(time);
        match from.cmp(&to) {
            std::cmp::Ordering::Less => from <= t && t < to,
            std::cmp::Ordering::Greater => t >= from || t < to,
            std::cmp::Ordering::Equal => false,
        }
    }
}

/// `HH:MM` (or `H:MM`), 00:00 to 23:59.
pub fn parse_hhmm(input: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(input.trim(), "%H:%M").ok()
}

/// The settings of a journal; `None`: not set.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Settings {
    pub language: Option<Lang>,
    pub theme: Option<Theme>,
    /// Desktop notifications (schema 7 keeps what was told).
    #[serde(default)]
    pub reminders: ReminderSettings,
}

impl Journal {
    /// The journal's settings.
    pub fn settings(&self) -> Result<Settings> {
        read(self.read())
    }

    /// Sets (or, with `None`, clears: the locale decides) the language.
    pub fn set_language(&mut self, language: Option<Lang>) -> Result<Settings> {
        self.put("language", language.map(Lang::code))
    }

    /// Sets (or, with `None`, clears: the system decides) the theme.
    pub fn set_theme(&mut self, theme: Option<Theme>) -> Result<Settings> {
        self.put("theme", theme.map(Theme::code))
    }

    /// Sets the reminder settings. Quiet hours must be `HH:MM`, both or
    /// neither; bad input changes nothing.
    pub fn set_reminders(&mut self, r: &ReminderSettings) -> Result<Settings> {
        let mut quiet = Vec::new();
        for v in [&r.quiet_from, &r.quiet_to].into_iter().flatten() {
            let t = parse_hhmm(v).ok_or_else(|| {
                Error::invalid(Problem::unknown_value(
                    "time of day (HH:MM)",
                    v,
                    &["22:00", "08:00"],
                ))
            })?;
            quiet.push(t.format("%H:%M").to_string());
        }
        let quiet = match quiet.as_slice() {
            [] => "off".to_string(),
            [from, to] => format!("{from}-{to}"),
            _ => {
                return Err(Error::invalid(Problem::unknown_value(
                    "quiet hours",
                    "one end only",
                    &["22:00-08:00", "off"],
                )));
            }
        };
        let mut off: Vec<&str> = r.off.iter().map(|k| k.code()).collect();
        off.sort_unstable();
        off.dedup();
        self.put_all(&[
            ("reminders", Some(if r.enabled { "on" } else { "off" })),
            ("reminders.off", Some(&off.join(","))),
            ("reminders.quiet", Some(&quiet)),
        ])
    }

    fn put(&mut self, key: &str, value: Option<&str>) -> Result<Settings> {
        self.put_all(&[(key, value)])
    }

    fn put_all(&mut self, values: &[(&str, Option<&str>)]) -> Result<Settings> {
        self.write(|tx| {
            for (key, value) in values {
                match value {
                    Some(v) => tx.execute(
                        "INSERT INTO settings (key, value) VALUES (?1, ?2)
                         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                        params![key, v],
                    )?,
                    None => tx.execute("DELETE FROM settings WHERE key = ?1", [key])?,
                };
            }
            Ok(())
        })?;
        self.settings()
    }
}

/// The settings of the journal in `data_dir` read without opening it for
/// work (no migration, nothing created): for a face that must choose its
/// language before it knows what it will do. `None` when there is no
/// journal yet, it is protected (the settings are encrypted with it), or it
/// predates settings.
pub fn peek(data_dir: &std::path::Path) -> Option<Settings> {
    let path = data_dir.join(crate::db::JOURNAL_FILE);
    if !path.is_file() || crate::vault::KeyFile::path_in(data_dir).exists() {
        return None;
    }
    let conn = rusqlite::Connection::open_with_flags(
        &path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .ok()?;
    read(&conn).ok()
}

/// The settings stored in a journal. A value this version does not know
/// (written by a newer Casebook) reads as not set.
fn read(conn: &rusqlite::Connection) -> Result<Settings> {
    let get = |key: &str| -> Result<Option<String>> {
        Ok(conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    };
    let mut reminders = ReminderSettings::default();
    if let Some(v) = get("reminders")? {
        reminders.enabled = v != "off";
    }
    if let Some(v) = get("reminders.off")? {
        reminders.off = v
            .split(',')
            .filter_map(|k| ReminderKind::parse(k).ok())
            .collect();
    }
    if let Some(v) = get("reminders.quiet")? {
        let ends = v
            .split_once('-')
            .and_then(|(a, b)| Some((parse_hhmm(a)?, parse_hhmm(b)?)));
        (reminders.quiet_from, reminders.quiet_to) = match ends {
            Some((a, b)) => (
                Some(a.format("%H:%M").to_string()),
                Some(b.format("%H:%M").to_string()),
            ),
            None => (None, None),
        };
    }
    Ok(Settings {
        language: get("language")?.and_then(|v| Lang::parse(&v).ok()),
        theme: get("theme")?.and_then(|v| Theme::parse(&v).ok()),
        reminders,
    })
}

#[cfg(test)]
mod tests {
    use super::DesktopSettings;

    const OFF: DesktopSettings = DesktopSettings {
        tray: false,
        start_at_login: false,
    };
    const TRAY: DesktopSettings = DesktopSettings {
        tray: true,
        start_at_login: false,
    };
    const BOTH: DesktopSettings = DesktopSettings {
        tray: true,
        start_at_login: true,
    };
    const LOGIN_ONLY: DesktopSettings = DesktopSettings {
        tray: false,
        start_at_login: true,
    };

    #[test]
    fn starting_at_login_keeps_the_tray_and_the_tray_off_stops_it() {
        // Login asked: the tray comes with it.
        assert_eq!(OFF.changed_to(LOGIN_ONLY), BOTH);
        assert_eq!(TRAY.changed_to(BOTH), BOTH);
        // The tray turned off: login goes too.
        assert_eq!(BOTH.changed_to(LOGIN_ONLY), OFF);
        assert_eq!(BOTH.changed_to(OFF), OFF);
        // Login turned off alone keeps the tray.
        assert_eq!(BOTH.changed_to(TRAY), TRAY);
        assert_eq!(OFF.changed_to(TRAY), TRAY);
        assert_eq!(TRAY.changed_to(OFF), OFF);
    }
}
