//! User settings kept in the journal (schema 5), so that both faces read
//! the same ones, a backup carries them and they follow the journal, not
//! the machine account: the language of the app and the CLI, the app's
//! theme. A setting that is not set leaves the choice to the face (the
//! locale, the system's theme).

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

/// The settings of a journal; `None`: not set.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Settings {
    pub language: Option<Lang>,
    pub theme: Option<Theme>,
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

    fn put(&mut self, key: &str, value: Option<&str>) -> Result<Settings> {
        self.write(|tx| {
            match value {
                Some(v) => tx.execute(
                    "INSERT INTO settings (key, value) VALUES (?1, ?2)
                     ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    params![key, v],
                )?,
                None => tx.execute("DELETE FROM settings WHERE key = ?1", [key])?,
            };
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
    Ok(Settings {
        language: get("language")?.and_then(|v| Lang::parse(&v).ok()),
        theme: get("theme")?.and_then(|v| Theme::parse(&v).ok()),
    })
}
