//! One error type for the whole core.
//!
//! Every variant renders as a sentence a person can act on; the CLI prints it
//! on stderr and the desktop app sends `{kind, message}` so the UI can branch
//! on `kind` and never on message text.

use std::path::PathBuf;

/// Result alias used throughout the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The user typed something we cannot accept. Nothing was written.
    #[error("{message}")]
    Invalid {
        field: &'static str,
        message: String,
    },

    /// The thing the user referred to does not exist (or is in the trash).
    #[error("There is no {what} with id {id}. {hint}")]
    NotFound {
        what: &'static str,
        id: i64,
        hint: &'static str,
    },

    /// The write would contradict what is already recorded.
    #[error("{0}")]
    Conflict(String),

    /// The journal was written by a newer Casebook.
    #[error(
        "This journal ({path}) was written by a newer version of Casebook (schema {found}, this version knows up to {supported}). Update Casebook to open it; the file was not changed."
    )]
    JournalTooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },

    /// The data directory cannot be determined or created.
    #[error("{0}")]
    DataDir(String),

    /// SQLite failed: disk full, read-only, corrupted file...
    #[error(
        "The journal could not be read or written: {0}.{hint} Nothing was changed by this command.",
        hint = storage_hint(.0)
    )]
    Storage(#[from] rusqlite::Error),

    #[error("The journal's schema could not be brought up to date: {0}. The file was not changed.")]
    Migration(String),

    #[error("A file could not be read or written: {0}")]
    Io(#[from] std::io::Error),

    /// The journal is protected by a passphrase and has not been unlocked.
    #[error(
        "This journal is locked: it is protected by a passphrase. Unlock it with your passphrase (in the CLI, type it when asked or set CASEBOOK_PASSPHRASE)."
    )]
    Locked,

    /// The passphrase does not unwrap the data key. No hint is given.
    #[error(
        "That passphrase does not unlock this journal. Check Caps Lock and the keyboard layout, and try again. If you have forgotten it, use your recovery key."
    )]
    WrongPassphrase,
}

/// What the user can do about a failed read or write of the journal.
fn storage_hint(e: &rusqlite::Error) -> &'static str {
    use rusqlite::ffi::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => {
            " The disk is full: free some space and try again; what was saved before is intact."
        }
        Some(ErrorCode::NotADatabase) => {
            " The file is not a journal Casebook can read: it is encrypted with a key that is missing (was journal.key removed?) or it is damaged. Restore a backup, or put journal.key back beside it."
        }
        Some(ErrorCode::ReadOnly | ErrorCode::PermissionDenied | ErrorCode::CannotOpen) => {
            " The journal cannot be written here (its folder or file is read-only or not yours): you can still read, search and export it; to change it, make the folder writable."
        }
        _ => "",
    }
}

/// A stable, machine-readable name for each kind of error (what the UI branches on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    Invalid,
    NotFound,
    Conflict,
    JournalTooNew,
    Storage,
    /// The journal must be unlocked with its passphrase first.
    Locked,
    /// The passphrase (or recovery key) given is not the right one.
    WrongPassphrase,
    /// A bug in Casebook (a panic); the message says so.
    Internal,
}

/// An error as the desktop app receives it: what kind, and the sentence.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ErrorPayload {
    pub kind: ErrorKind,
    pub message: String,
}

impl From<Error> for ErrorPayload {
    fn from(e: Error) -> Self {
        ErrorPayload {
            kind: e.kind(),
            message: e.to_string(),
        }
    }
}

impl ErrorPayload {
    pub fn internal(what: &str) -> Self {
        ErrorPayload {
            kind: ErrorKind::Internal,
            message: format!(
                "Casebook hit an internal error while {what}. Nothing was saved by this action; please try again and report it if it happens again."
            ),
        }
    }
}

impl Error {
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Error::Invalid {
            field,
            message: message.into(),
        }
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Invalid { .. } => ErrorKind::Invalid,
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::Conflict(_) => ErrorKind::Conflict,
            Error::JournalTooNew { .. } => ErrorKind::JournalTooNew,
            Error::Locked => ErrorKind::Locked,
            Error::WrongPassphrase => ErrorKind::WrongPassphrase,
            Error::DataDir(_) | Error::Storage(_) | Error::Migration(_) | Error::Io(_) => {
                ErrorKind::Storage
            }
        }
    }

    /// True when the error comes from what the user typed (CLI exit code 2).
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self.kind(),
            ErrorKind::Invalid
                | ErrorKind::NotFound
                | ErrorKind::Conflict
                | ErrorKind::WrongPassphrase
        )
    }

    pub(crate) fn case_not_found(id: i64) -> Self {
        Error::NotFound {
            what: "case",
            id,
            hint: "Run `casebook case list` to see your cases.",
        }
    }
}
