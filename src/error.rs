//! One error type for the whole core, and what went wrong as data.
//!
//! The core writes no sentences for people: an [`Error`] carries a
//! [`Problem`] — a stable code and the fields a sentence needs (ids, names,
//! limits, line numbers). The faces say it in the user's language: the
//! desktop app from its dictionaries (`ui/src/i18n/errors.json`), the CLI
//! from the same catalogue plus its own advice (`cli/src/i18n.rs`). Neither
//! branches on text. `Display` gives the code and its fields, for logs and
//! test failures only.

use std::fmt;
use std::path::{Path, PathBuf};

/// Result alias used throughout the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Declares [`Problem`]: each variant with its code (the key in the faces'
/// catalogues) and its fields; [`Problem::ALL`] lists them for the test
/// that walks the catalogues.
macro_rules! problems {
    ($( $(#[$m:meta])* $name:ident = $code:literal { $($f:ident : $t:ty),* $(,)? } ),* $(,)?) => {
        /// What went wrong, as data: a code and the fields its sentence needs.
        #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
        #[serde(tag = "code")]
        pub enum Problem {
            $( $(#[$m])* #[serde(rename = $code)] $name { $($f: $t),* } ),*
        }

        impl Problem {
            /// Every code with the names of its fields.
            pub const ALL: &'static [(&'static str, &'static [&'static str])] =
                &[ $( ($code, &[$(stringify!($f)),*]) ),* ];

            /// The stable code (the key in the catalogues).
            pub fn code(&self) -> &'static str {
                match self { $( Problem::$name { .. } => $code ),* }
            }
        }
    };
}

problems! {
    // --- any entry ---------------------------------------------------------
    /// `what` is an entity: case, contact, note, transaction, attachment, official_channel.
    NotFound = "not_found" { what: String, id: i64 },
    /// The entry is in the trash and must be restored before it is edited.
    InTrash = "in_trash" { what: String, id: i64 },
    /// A text is longer than `max` characters. `field` is a field term.
    TooLong = "too_long" { field: String, max: u64 },
    /// `input` is not one of `allowed` for `field` (a field term).
    UnknownValue = "unknown_value" { field: String, input: String, allowed: Vec<String> },
    /// A date or time could not be read. `field` is a field term.
    NotADate = "not_a_date" { field: String, input: String },
    NotATime = "not_a_time" { field: String, input: String },
    /// The local time does not exist (a clock change).
    TimeInGap = "time_in_gap" { field: String, input: String },
    YearOutOfRange = "year_out_of_range" { field: String, input: String, year: i64, min: i64, max: i64 },
    RangeReversed = "range_reversed" { from: String, to: String },

    // --- cases, contacts, notes, transactions ------------------------------
    TitleMissing = "title_missing" {},
    NoteEmpty = "note_empty" {},
    TxidMissing = "txid_missing" {},
    NegativeAmount = "negative_amount" {},
    ChannelMissing = "channel_missing" {},
    PromiseNeedsDate = "promise_needs_date" {},
    FollowUpNeedsDate = "follow_up_needs_date" {},
    CallLineAfterEnd = "call_line_after_end" {},
    ChecklistItemUnknown = "checklist_item_unknown" { input: String, allowed: Vec<String> },
    ReferenceWithoutValue = "reference_without_value" { input: String },
    NotADuration = "not_a_duration" { input: String },
    DurationOutOfRange = "duration_out_of_range" {},
    CaseAmountUnreadable = "case_amount_unreadable" { id: i64, input: String },
    TxidDuplicate = "txid_duplicate" { txid: String, case_id: i64, existing: i64 },
    TxidRecordedAgain = "txid_recorded_again" { txid: String, other: i64 },

    // --- money --------------------------------------------------------------
    NotACurrency = "not_a_currency" { field: String, input: String },
    NotAnAmount = "not_an_amount" { field: String, input: String },
    AmountTooLarge = "amount_too_large" { field: String, input: String },
    AmountNeedsCurrency = "amount_needs_currency" {},
    CurrencyNeedsAmount = "currency_needs_amount" {},

    // --- search -------------------------------------------------------------
    TooManyTerms = "too_many_terms" { count: u64, max: u64 },

    // --- official channels --------------------------------------------------
    ChannelProviderMissing = "channel_provider_missing" {},
    ChannelValueMissing = "channel_value_missing" {},
    ChannelAlreadyRegistered = "channel_already_registered" { value: String, provider: String },
    ChannelReportedAsScam = "channel_reported_as_scam" { value: String, contact_id: i64 },

    // --- evidence files -----------------------------------------------------
    FileTooLarge = "file_too_large" { name: String, max_mb: u64 },
    FileNameMissing = "file_name_missing" {},
    FileNameTooLong = "file_name_too_long" { max: u64 },
    AttachToBoth = "attach_to_both" {},
    AttachWrongCase = "attach_wrong_case" { what: String, id: i64, entry_case: i64, case_id: i64 },
    AttachFolder = "attach_folder" { path: String },
    /// The file has no e-mail headers (`From:`, `Date:`, `Subject:`…).
    NotAnEmail = "not_an_email" {},
    /// The viewer is not given a file that could run. `media_type` is technical.
    ViewerRefused = "viewer_refused" { name: String, media_type: String },
    /// `state` is a term: missing, altered, wrong_size, unreadable.
    StoredFileBad = "stored_file_bad" { name: String, state: String },

    // --- statements ---------------------------------------------------------
    StatementTooBig = "statement_too_big" { mb: u64, max_mb: u64 },
    StatementEmpty = "statement_empty" {},
    /// `what` is a file-type term (pdf, image, archive, …).
    StatementNotText = "statement_not_text" { what: String },
    StatementBadBytes = "statement_bad_bytes" { encoding: String },
    StatementUnknownEncoding = "statement_unknown_encoding" {},
    StatementBadCsv = "statement_bad_csv" { line: Option<u64>, detail: String },
    StatementBadXlsx = "statement_bad_xlsx" { detail: String },
    /// `wanted` is the wallet's name when a format was chosen, else empty.
    /// `looks_like` is the wallet it looks most like (or empty); `unknown`
    /// are the columns no dictionary knows.
    UnknownLayout = "unknown_layout" { wanted: String, looks_like: String, columns: Vec<String>, unknown: Vec<String> },
    /// Every `a/b/yyyy` date of the file reads both ways: the user must say.
    DateOrderNeeded = "date_order_needed" { column: String, example: String },
    MappingNeeded = "mapping_needed" { columns: Vec<String> },
    /// `role` is a term: date, amount.
    MappingColumnMissing = "mapping_column_missing" { role: String },
    MappingCurrencyMissing = "mapping_currency_missing" {},
    MappingNoSuchColumn = "mapping_no_such_column" { column: String, columns: Vec<String> },
    MappingNameMissing = "mapping_name_missing" {},
    MappingNotFound = "mapping_not_found" { name: String },
    MappingDamaged = "mapping_damaged" { detail: String },
    /// Nothing was imported: `count` lines could not be read; the first is given.
    // Warnings shown with a statement's preview.
    StatementCutShort = "statement_cut_short" {},
    DatesReadDayFirst = "dates_read_day_first" {},
    /// Dates without a year were put in the year that ends on `made_on`,
    /// the file's date (or today, when the file's date is not known).
    DatesWithoutYear = "dates_without_year" { made_on: String },
    DatesWithoutYearToday = "dates_without_year_today" { made_on: String },
    StatementNoTransactions = "statement_no_transactions" {},
    ImportHasRejected = "import_has_rejected" { count: u64, line: u64, reason: Box<Problem> },
    RowsNonePicked = "rows_none_picked" {},
    /// A picked line that could not be read.
    RowRejected = "row_rejected" { line: u64, reason: Box<Problem> },
    /// A line that was read but cannot be recorded (a field too long…).
    RowInvalid = "row_invalid" { line: u64, reason: Box<Problem> },
    RowNotInStatement = "row_not_in_statement" { line: u64 },
    // Why one line of a statement is not a transaction.
    CellEmpty = "cell_empty" { column: String },
    CellNotAmount = "cell_not_amount" { value: String, column: String },
    CellNotDateTime = "cell_not_date_time" { value: String, column: String },
    CellNotTime = "cell_not_time" { value: String, column: String },
    CellOutOfRange = "cell_out_of_range" { value: String, column: String },
    CellNotInZone = "cell_not_in_zone" { value: String, column: String },
    CellNotCurrency = "cell_not_currency" { value: String, column: String },
    CellUnknownZone = "cell_unknown_zone" { value: String, column: String },
    RowTooShort = "row_too_short" { cells: u64, width: u64 },
    CsvNeedsMapping = "csv_needs_mapping" {},
    NeitherPaidOutNorIn = "neither_paid_out_nor_in" {},
    MappingNamesNoCurrency = "mapping_names_no_currency" {},
    DirectionUnknown = "direction_unknown" {},

    // --- export, letters, escalation ---------------------------------------
    PdfFontMissing = "pdf_font_missing" { env: String },
    PdfFailed = "pdf_failed" { detail: String },
    /// `flaw` is a term: not_text, no_data, damaged, not_summary, changed.
    ExportUnreadable = "export_unreadable" { flaw: String, detail: String },
    RulesInvalid = "rules_invalid" { which: String, detail: String },

    // --- backup and restore -------------------------------------------------
    /// `flaw` is a term naming what is wrong with the archive; `detail` is
    /// technical (an entry name, a count, a library's words).
    BackupRefused = "backup_refused" { flaw: String, detail: String },
    BackupFileBad = "backup_file_bad" { sha256: String, state: String },
    EvidenceOutsideDataDir = "evidence_outside_data_dir" {},
    RestoreTargetNotEmpty = "restore_target_not_empty" { dir: String },
    /// The backup is of a protected journal: its passphrase is needed.
    BackupNeedsPassphrase = "backup_needs_passphrase" {},
    /// The system viewer could not be started.
    ViewerFailed = "viewer_failed" { detail: String },
    /// A desktop notification could not be sent (no notification service).
    NotificationFailed = "notification_failed" { detail: String },
    /// The tray icon could not be shown (no indicator library or service).
    TrayUnavailable = "tray_unavailable" { detail: String },
    /// Starting at login could not be turned on or off.
    StartAtLoginFailed = "start_at_login_failed" { detail: String },

    // --- passphrase, key file ----------------------------------------------
    PassphraseTooShort = "passphrase_too_short" { min: u64 },
    RecoveryKeyMalformed = "recovery_key_malformed" {},
    RecoveryKeyWrong = "recovery_key_wrong" {},
    IdleLockTooLong = "idle_lock_too_long" { max: u64 },
    KeyFileDamaged = "key_file_damaged" { path: String, detail: String },
    KeyFileTampered = "key_file_tampered" { path: String },
    KeyFileTooCostly = "key_file_too_costly" { path: String, m_mib: u64, t: u64, p: u64, max_m_mib: u64, max_t: u64, max_p: u64 },
    KeyDerivationFailed = "key_derivation_failed" { detail: String },
    NotProtected = "not_protected" { dir: String },
    AlreadyProtected = "already_protected" {},
    JournalInUse = "journal_in_use" { detail: String },
    Locked = "locked" {},
    WrongPassphrase = "wrong_passphrase" {},
    PassphraseFdUnreadable = "passphrase_fd_unreadable" { fd: u64, detail: String },
    PassphraseFdShort = "passphrase_fd_short" {},
    PassphrasesDiffer = "passphrases_differ" {},

    // --- what a face checks before it calls the core ------------------------
    FilesDamaged = "files_damaged" { count: u64 },
    ExportChanged = "export_changed" { file: String, count: u64 },
    RefsClearAndAdd = "refs_clear_and_add" {},
    FilterMatchesNone = "filter_matches_none" {},

    // --- the journal's files -----------------------------------------------
    NoHomeDir = "no_home_dir" { env: String },
    DataDirUncreatable = "data_dir_uncreatable" { dir: String, detail: String },
    JournalReadOnlyOld = "journal_read_only_old" { path: String },
    JournalTooNew = "journal_too_new" { path: String, found: i64, supported: i64 },
    /// `cause` is a term: disk_full, not_a_database, read_only, other.
    Storage = "storage" { cause: String, detail: String },
    MigrationFailed = "migration_failed" { detail: String },
    /// `cause` is a term from the I/O error's kind: not_found, permission_denied, disk_full, other.
    Io = "io" { cause: String, detail: String },
    /// A file operation failed: `op` is a term (read, write, create, open, …).
    FileOp = "file_op" { op: String, path: String, cause: String, detail: String },
    /// A bug in Casebook (a panic, a value that does not serialise).
    Internal = "internal" { during: String, detail: String },
}

impl fmt::Display for Problem {
    /// The code and the fields, for logs and test failures (not for people).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = serde_json::to_value(self).map_err(|_| fmt::Error)?;
        write!(f, "{}", v)
    }
}

impl Problem {
    pub fn too_long(field: &str, max: usize) -> Problem {
        Problem::TooLong {
            field: field.into(),
            max: max as u64,
        }
    }

    pub fn unknown_value(field: &str, input: &str, allowed: &[&str]) -> Problem {
        Problem::UnknownValue {
            field: field.into(),
            input: input.trim().into(),
            allowed: allowed.iter().map(|s| s.to_string()).collect(),
        }
    }

    pub fn internal(during: &str, detail: impl fmt::Display) -> Problem {
        Problem::Internal {
            during: during.into(),
            detail: detail.to_string(),
        }
    }

    pub fn backup(flaw: &str, detail: impl fmt::Display) -> Problem {
        Problem::BackupRefused {
            flaw: flaw.into(),
            detail: detail.to_string(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The user typed something we cannot accept. Nothing was written.
    #[error("invalid: {0}")]
    Invalid(Problem),

    /// The thing the user referred to does not exist (or is in the trash).
    /// `what` is an entity term (case, contact, note, …).
    #[error("not found: {what} {id}")]
    NotFound { what: &'static str, id: i64 },

    /// The write would contradict what is already recorded.
    #[error("conflict: {0}")]
    Conflict(Problem),

    /// The journal was written by a newer Casebook.
    #[error("journal too new: {path:?} schema {found}, supported {supported}")]
    JournalTooNew {
        path: PathBuf,
        found: i64,
        supported: i64,
    },

    /// The data directory or key file cannot be used.
    #[error("data dir: {0}")]
    DataDir(Problem),

    /// SQLite failed: disk full, read-only, corrupted file...
    #[error("storage: {0}")]
    Storage(#[from] rusqlite::Error),

    #[error("migration: {0}")]
    Migration(String),

    #[error("io: {0}")]
    Io(#[from] std::io::Error),

    /// The journal is protected by a passphrase and has not been unlocked.
    #[error("locked")]
    Locked,

    /// The passphrase does not unwrap the data key. No hint is given.
    #[error("wrong passphrase")]
    WrongPassphrase,
}

/// What kind of trouble a failed read or write of the journal is.
fn storage_cause(e: &rusqlite::Error) -> &'static str {
    use rusqlite::ffi::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::DiskFull) => "disk_full",
        Some(ErrorCode::NotADatabase) => "not_a_database",
        Some(ErrorCode::ReadOnly | ErrorCode::PermissionDenied | ErrorCode::CannotOpen) => {
            "read_only"
        }
        _ => "other",
    }
}

fn io_cause(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "not_found",
        K::PermissionDenied | K::ReadOnlyFilesystem => "permission_denied",
        // EFBIG: a file-size limit (ulimit -f, FAT32's 4 GB) says the same.
        K::StorageFull | K::QuotaExceeded | K::FileTooLarge => "disk_full",
        _ => "other",
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
    /// A bug in Casebook (a panic); the problem says so.
    Internal,
}

/// An error as the desktop app receives it: what kind, and the problem
/// (code and fields) that the UI turns into a sentence.
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ErrorPayload {
    pub kind: ErrorKind,
    pub problem: Problem,
}

impl From<Error> for ErrorPayload {
    fn from(e: Error) -> Self {
        ErrorPayload {
            kind: e.kind(),
            problem: e.problem(),
        }
    }
}

impl ErrorPayload {
    /// A panic or a failed background task while doing `what` (a term).
    pub fn internal(during: &str) -> Self {
        ErrorPayload {
            kind: ErrorKind::Internal,
            problem: Problem::internal(during, ""),
        }
    }
}

impl Error {
    pub fn invalid(p: Problem) -> Self {
        Error::Invalid(p)
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::DataDir(Problem::Internal { .. })
            | Error::Conflict(Problem::Internal { .. }) => ErrorKind::Internal,
            Error::Invalid(_) => ErrorKind::Invalid,
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

    /// What went wrong, as data for the faces to put in words.
    pub fn problem(&self) -> Problem {
        match self {
            Error::Invalid(p) | Error::Conflict(p) | Error::DataDir(p) => p.clone(),
            Error::NotFound { what, id } => Problem::NotFound {
                what: what.to_string(),
                id: *id,
            },
            Error::JournalTooNew {
                path,
                found,
                supported,
            } => Problem::JournalTooNew {
                path: path.display().to_string(),
                found: *found,
                supported: *supported,
            },
            Error::Storage(e) => Problem::Storage {
                cause: storage_cause(e).into(),
                detail: e.to_string(),
            },
            Error::Migration(d) => Problem::MigrationFailed { detail: d.clone() },
            Error::Io(e) => Problem::Io {
                cause: io_cause(e).into(),
                detail: e.to_string(),
            },
            Error::Locked => Problem::Locked {},
            Error::WrongPassphrase => Problem::WrongPassphrase {},
        }
    }

    /// The problem's code (what tests and callers match on).
    pub fn code(&self) -> &'static str {
        self.problem().code()
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
        Error::NotFound { what: "case", id }
    }

    /// A value that does not serialise (a bug), while doing `during`.
    pub(crate) fn internal(during: &str, detail: impl fmt::Display) -> Self {
        Error::Conflict(Problem::internal(during, detail))
    }
}

/// A failed file operation: `op` is a term (read, write, create, open,
/// sync, replace, move, copy), said by the faces with the path and what
/// the user can do about the cause.
pub fn file_error(op: &str, path: &Path, e: &std::io::Error) -> Error {
    Error::DataDir(Problem::FileOp {
        op: op.into(),
        path: path.display().to_string(),
        cause: io_cause(e).into(),
        detail: e.to_string(),
    })
}
