//! The command line as typed: raw strings, validated by the core so that
//! every error reads the same in the CLI and the app.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "casebook",
    version,
    about = "Casebook: a journal for disputes with wallets and payment apps (支付纠纷记录本)."
)]
pub struct Cli {
    /// Directory holding journal.sqlite3 (default: $CASEBOOK_DATA_DIR, then the platform data directory).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Print one JSON document on stdout instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// Read passphrases and recovery keys from this open file descriptor,
    /// one per line, in the order the command asks for them (current
    /// passphrase, then the new one) — for scripts: `3<secret.txt`. Safer
    /// than CASEBOOK_PASSPHRASE, which other programs can read.
    #[arg(long, global = true, value_name = "N")]
    pub passphrase_fd: Option<u32>,
    /// zh or en: the language of messages, and of exports and letters
    /// (default: the journal's language setting, then LC_ALL, LC_MESSAGES
    /// or LANG; 中文：--lang zh).
    #[arg(long, global = true, value_name = "LANG")]
    pub lang: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Open, list, show cases and change their status.
    #[command(subcommand)]
    Case(CaseCmd),
    /// Log contacts with support, edit them, see their history.
    #[command(subcommand)]
    Contact(ContactCmd),
    /// Dated diary notes in a case.
    #[command(subcommand)]
    Note(NoteCmd),
    /// Transaction records in a case.
    #[command(subcommand)]
    Txn(TxnCmd),
    /// Attach evidence files (screenshots, PDFs, e-mails, chat exports) to a case.
    Attach {
        #[arg(long = "case")]
        case_id: i64,
        /// Attach to this contact of the case.
        #[arg(long = "contact", conflicts_with = "txn_id")]
        contact_id: Option<i64>,
        /// Attach to this transaction of the case.
        #[arg(long = "txn")]
        txn_id: Option<i64>,
        #[arg(required = true, num_args = 1..)]
        files: Vec<PathBuf>,
        /// Do not read the text of screenshots now (`casebook ocr` reads it later).
        #[arg(long)]
        no_ocr: bool,
    },
    /// Read the text of attached screenshots that is not read yet (on this computer only).
    Ocr {
        /// Read again the images that waited for a text-recognition engine.
        #[arg(long)]
        retry: bool,
    },
    /// Re-hash every stored evidence file; exits non-zero if one is missing or altered.
    Verify,
    /// Your register of verified official contact points (phone numbers, e-mail domains, websites...).
    #[command(subcommand)]
    Channel(ChannelCmd),
    /// Check what support said (replies, instructions, notes) and the numbers used for scam red flags.
    Scan {
        #[arg(long = "case")]
        case_id: Option<i64>,
    },
    /// Export a case summary for escalation (Markdown, HTML, PDF or JSON), with a manifest.
    Export {
        #[arg(long = "case")]
        case_id: i64,
        /// md, html, pdf or json.
        #[arg(long, default_value = "md")]
        format: String,
        /// Write here (default: standard output).
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
        /// Mask your own account, card and phone numbers and e-mail addresses (the default).
        #[arg(long, overrides_with = "no_redact")]
        redact: bool,
        /// Print them in full.
        #[arg(long = "no-redact")]
        no_redact: bool,
    },
    /// Check that an exported case summary was not changed after export.
    VerifyExport {
        file: PathBuf,
        /// A folder with the attached files, to check them against the manifest too.
        #[arg(long, value_name = "DIR")]
        files: Option<PathBuf>,
    },
    /// Draft a complaint letter from a case, to the provider or a regulator/ombudsman.
    Letter {
        #[arg(long = "case")]
        case_id: i64,
        /// provider (its complaints team) or regulator (regulator or ombudsman).
        #[arg(long, default_value = "provider")]
        to: String,
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Write the whole journal and its files to one archive (safe while the app runs).
    Backup {
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
    },
    /// Restore a backup into the (empty) data directory.
    Restore {
        file: PathBuf,
        /// Replace a non-empty data directory (its contents are moved aside, not deleted).
        #[arg(long)]
        force: bool,
    },
    /// Protect the journal with a passphrase (encryption at rest), change it, lock settings.
    #[command(subcommand)]
    Passphrase(PassphraseCmd),
    /// Search everything, in Chinese and English.
    Search(SearchArgs),
    /// Follow-ups and deadlines that are due or overdue, oldest first.
    /// With --notify, tells the reminders due now as desktop notifications
    /// (each once; for cron or a systemd timer).
    Due {
        /// Also list what falls due within this many days.
        #[arg(long, default_value_t = 0, value_name = "DAYS")]
        within: i64,
        /// Send the reminders due now as desktop notifications (each once,
        /// not in quiet hours), instead of listing.
        #[arg(long, conflicts_with_all = ["snooze", "unsnooze"])]
        notify: bool,
        /// With --notify: show what would be sent; send and record nothing.
        #[arg(long, requires = "notify")]
        dry_run: bool,
        /// No reminder about ITEM (contact:ID, deadline:CASE, escalation:CASE)
        /// before --until.
        #[arg(
            long,
            value_name = "ITEM",
            requires = "until",
            conflicts_with = "unsnooze"
        )]
        snooze: Option<String>,
        /// The day the snoozed item may be told again (YYYY-MM-DD).
        #[arg(long, value_name = "DATE", requires = "snooze")]
        until: Option<String>,
        /// Remove the snooze of ITEM.
        #[arg(long, value_name = "ITEM")]
        unsnooze: Option<String>,
    },
    /// The wallets and payment services in the journal.
    Providers,
    /// Where the journal is and which versions are in use.
    Info,
    /// The journal's settings, which the app and the CLI share: shows them,
    /// or sets one (`settings language zh`, `settings theme dark`; `auto`
    /// clears it: the locale or the system decides; `settings reminders off`,
    /// `settings quiet-hours 22:00-08:00`, `settings reminder-kinds
    /// follow_up,not_kept`).
    Settings {
        /// language, theme, reminders, quiet-hours or reminder-kinds.
        name: Option<String>,
        /// language: zh, en or auto; theme: light, dark or auto; reminders:
        /// on or off; quiet-hours: HH:MM-HH:MM or off; reminder-kinds: the
        /// kinds told (follow_up, not_kept, deadline, escalation), or all.
        value: Option<String>,
    },
    /// Build a synthetic journal of N contacts in a temporary directory and print timings.
    Bench {
        #[arg(long, value_name = "N")]
        contacts: usize,
        /// Build it here instead of a temporary directory (kept afterwards).
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
    /// Time the case summary of a long case in every format, and a large backup (with its peak memory).
    BenchExport {
        #[arg(long, default_value_t = 1_000, value_name = "N")]
        contacts: usize,
        #[arg(long, default_value_t = 10_000, value_name = "N")]
        backup_contacts: usize,
        #[arg(long, default_value_t = 500, value_name = "MB")]
        attach_mb: u64,
    },
    /// For the crash-safety harness: a stream of writes into a case, one line per committed write.
    #[command(hide = true)]
    WriteStream {
        #[arg(long = "case")]
        case_id: i64,
        #[arg(long)]
        tag: String,
        #[arg(long)]
        seed: u64,
        #[arg(long, default_value_t = u64::MAX)]
        ops: u64,
    },
    /// Encryption at rest: unlock time, search p95, bulk import and attaching, plain vs encrypted.
    BenchCrypto {
        #[arg(long, default_value_t = 50_000, value_name = "N")]
        contacts: usize,
        #[arg(long, default_value_t = 20_000, value_name = "ROWS")]
        rows: usize,
    },
    /// Read every statement file in a folder (rows read and rejected, layout, time), then time
    /// 100,000-row statements of three layouts.
    BenchStatements {
        /// The folder of statement files (the repository's fixtures by default).
        #[arg(long, default_value = "tests/fixtures/statements", value_name = "DIR")]
        dir: std::path::PathBuf,
        #[arg(long, default_value_t = 100_000, value_name = "ROWS")]
        rows: usize,
    },
    /// Text read from a folder of screenshots against their true text: character accuracy
    /// (Chinese, Latin), reference numbers read exactly, time per image.
    BenchOcr {
        /// The folder: NN-name.png with NN-name.txt (true text) and NN-name.refs.
        #[arg(long, default_value = "tests/fixtures/ocr", value_name = "DIR")]
        dir: std::path::PathBuf,
        /// Also list the development part's images and the references missed.
        #[arg(long)]
        show_dev: bool,
    },
    /// The scam shield on a labelled corpus: share of scam lines flagged (recall), of genuine
    /// lines flagged (false alarms) and precision, per split, language and kind; and its speed.
    BenchShield {
        /// The corpus (TSV: split, lang, label, kind, text, source).
        #[arg(
            long,
            default_value = "tests/fixtures/shield/corpus.tsv",
            value_name = "FILE"
        )]
        corpus: std::path::PathBuf,
        /// Try another rule file (laid out as rules/scam-shield.toml) instead of the built-in one.
        #[arg(long, value_name = "FILE")]
        rules: Option<std::path::PathBuf>,
        /// Try another script file (laid out as rules/scam-scripts.toml) instead of the built-in
        /// one.
        #[arg(long, value_name = "FILE")]
        scripts: Option<std::path::PathBuf>,
        /// Learn from other documented examples (laid out as rules/shield-examples.tsv) instead
        /// of the built-in ones, for the figures and the cross-validation.
        #[arg(long, value_name = "FILE")]
        examples: Option<std::path::PathBuf>,
        /// Also list the development half's misses and false alarms, to tune on (never the
        /// held-out half's).
        #[arg(long)]
        show_dev: bool,
    },
    /// Time a statement import preview and a large attachment in a temporary directory.
    BenchFiles {
        #[arg(long, default_value_t = 100_000, value_name = "ROWS")]
        rows: usize,
        #[arg(long, default_value_t = 100, value_name = "MB")]
        attach_mb: u64,
    },
}

#[derive(Subcommand, Debug)]
pub enum CaseCmd {
    /// Open a new case.
    New(CaseNew),
    /// List cases, unfinished first.
    List {
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        category: Option<String>,
        #[arg(long)]
        provider: Option<String>,
    },
    /// A case and its timeline: contacts, notes, transactions, status changes.
    Show { id: i64 },
    /// Where the case would escalate (e.g. uk-payments, cn-nfra) and from which day the clock runs.
    Escalation {
        id: i64,
        /// Route id; `casebook case routes` lists them. Empty to clear.
        #[arg(long)]
        route: Option<String>,
        /// The day you first complained, if before the first contact logged (YYYY-MM-DD).
        #[arg(long)]
        first_complaint: Option<String>,
    },
    /// The escalation routes Casebook knows, with their sources.
    Routes,
    /// Change a case's status (open, waiting, escalated, resolved, closed).
    Status { id: i64, status: String },
    /// Tick off an item of the case's preparation checklist (e.g. transaction_records).
    Check {
        id: i64,
        item: String,
        /// Un-tick it instead.
        #[arg(long)]
        undo: bool,
    },
}

#[derive(Args, Debug)]
pub struct CaseNew {
    #[arg(long)]
    pub title: String,
    /// The wallet or payment service, e.g. Alipay, 微信支付, PayPal.
    #[arg(long)]
    pub provider: Option<String>,
    /// e_wallet, bank_app, crypto_wallet or other (guessed for well-known names).
    #[arg(long)]
    pub provider_kind: Option<String>,
    /// account_locked, transaction_failed, refund, fraud, security or other.
    #[arg(long)]
    pub category: Option<String>,
    /// Amount at stake, e.g. 1250.00 (needs --currency).
    #[arg(long, allow_hyphen_values = true)]
    pub amount: Option<String>,
    #[arg(long)]
    pub currency: Option<String>,
    /// Last day to act, e.g. the refund claim deadline (YYYY-MM-DD).
    #[arg(long)]
    pub deadline: Option<String>,
    /// What you want: refund, unfreeze, apology...
    #[arg(long)]
    pub outcome: Option<String>,
    #[arg(long)]
    pub summary: Option<String>,
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// When the problem started (default: now).
    #[arg(long)]
    pub opened: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum ContactCmd {
    /// Log one interaction with support.
    Add(ContactAdd),
    /// Change fields of a contact; the earlier version is kept.
    Edit(ContactEdit),
    Show {
        id: i64,
    },
    /// Every version of a contact.
    History {
        id: i64,
    },
    /// Move a contact to the trash (can be restored).
    Delete {
        id: i64,
    },
    /// Take a contact back out of the trash.
    Restore {
        id: i64,
    },
    /// Contacts in the trash.
    Trash,
    /// Log an e-mail from support (.eml) as a contact; the file is kept as its evidence.
    FromEmail(FromEmail),
    /// Log a chat transcript you copied as one contact, kept verbatim, and show its lines.
    FromChat(FromChat),
    /// Reference numbers found in a contact's texts and files that it does not hold yet.
    Refs {
        id: i64,
    },
    /// Mark a contact as a scam: its number or address is then flagged wherever it is used again.
    ReportScam {
        id: i64,
        /// Take the mark off again.
        #[arg(long)]
        undo: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum ChannelCmd {
    /// Register a contact point you verified as official (Casebook ships none of its own).
    Add {
        /// The provider, e.g. 支付宝 or PayPal (created if new).
        #[arg(long)]
        provider: String,
        /// phone, email (a domain or an address), website, social, in_app or other.
        #[arg(long)]
        kind: String,
        /// Where you verified it: the official app, the back of your card, the official website...
        #[arg(long = "verified-how", default_value = "")]
        verified_how: String,
        /// The number, e-mail domain, website or handle.
        value: String,
    },
    /// The register of official contact points, by provider.
    List,
    /// Take a contact point out of the register.
    Remove { id: i64 },
    /// Check a number or address as a contact in a case would use it.
    Check {
        #[arg(long = "case")]
        case_id: i64,
        /// chat, phone, email, social, in_person or other.
        #[arg(long, default_value = "phone")]
        channel: String,
        value: String,
    },
}

#[derive(Args, Debug, Default)]
pub struct ContactFields {
    /// When it happened: RFC 3339 (2026-11-20T14:30:00+08:00), '2026-11-20 14:30' or now.
    #[arg(long)]
    pub at: Option<String>,
    /// chat, phone, email, social, in_person or other.
    #[arg(long)]
    pub channel: Option<String>,
    /// The phone number, e-mail address, URL or handle used.
    #[arg(long)]
    pub via: Option<String>,
    /// out (I contacted them) or in (they contacted me).
    #[arg(long)]
    pub direction: Option<String>,
    #[arg(long)]
    pub agent: Option<String>,
    /// What I asked ('-' reads standard input).
    #[arg(long, allow_hyphen_values = true)]
    pub asked: Option<String>,
    /// What the agent replied, verbatim ('-' reads standard input).
    #[arg(long, allow_hyphen_values = true)]
    pub reply: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    pub outcome: Option<String>,
    /// Reference number as KIND:VALUE (ticket, complaint, case, transaction, other); repeatable.
    #[arg(long = "ref", value_name = "KIND:VALUE")]
    pub refs: Vec<String>,
    /// Date support promised to get back by (YYYY-MM-DD; 'none' clears it when editing).
    #[arg(long)]
    pub follow_up: Option<String>,
    /// What support promised.
    #[arg(long)]
    pub promise: Option<String>,
    /// Length of the call or chat in minutes (or M:SS).
    #[arg(long)]
    pub duration: Option<String>,
}

#[derive(Args, Debug)]
pub struct ContactAdd {
    #[arg(long = "case")]
    pub case_id: i64,
    #[command(flatten)]
    pub fields: ContactFields,
}

#[derive(Args, Debug)]
pub struct FromEmail {
    /// The .eml file (save the message from your mail program).
    pub file: std::path::PathBuf,
    #[arg(long = "case")]
    pub case_id: i64,
    #[command(flatten)]
    pub refs: RefChoice,
    /// Show what would be logged and save nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Which reference numbers found in a file to add: none unless asked.
#[derive(Args, Debug)]
pub struct RefChoice {
    /// Add this reference number (KIND:VALUE); repeatable.
    #[arg(long = "ref", value_name = "KIND:VALUE")]
    pub refs: Vec<String>,
    /// Add every reference number found in it.
    #[arg(long)]
    pub all_refs: bool,
}

#[derive(Args, Debug)]
pub struct FromChat {
    /// The text file with the transcript ('-' reads standard input).
    pub file: String,
    #[arg(long = "case")]
    pub case_id: i64,
    /// chat, phone, email, social, in_person or other.
    #[arg(long, default_value = "chat")]
    pub channel: String,
    /// The app, website or handle of the chat.
    #[arg(long)]
    pub via: Option<String>,
    #[command(flatten)]
    pub refs: RefChoice,
    /// Show the lines and save nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Args, Debug)]
pub struct ContactEdit {
    pub id: i64,
    #[command(flatten)]
    pub fields: ContactFields,
    /// Remove all reference numbers.
    #[arg(long)]
    pub clear_refs: bool,
    /// Mark the promised follow-up as dealt with.
    #[arg(long, conflicts_with = "follow_up_open")]
    pub follow_up_done: bool,
    /// Mark the promised follow-up as still open.
    #[arg(long)]
    pub follow_up_open: bool,
}

#[derive(Subcommand, Debug)]
pub enum NoteCmd {
    /// Add a dated note ('-' as TEXT reads standard input).
    Add {
        #[arg(long = "case")]
        case_id: i64,
        #[arg(long)]
        at: Option<String>,
        #[arg(allow_hyphen_values = true)]
        text: String,
    },
    /// Change a note's text or time; the earlier version is kept.
    Edit {
        id: i64,
        #[arg(long)]
        at: Option<String>,
        #[arg(allow_hyphen_values = true)]
        text: Option<String>,
    },
    History {
        id: i64,
    },
    Delete {
        id: i64,
    },
    Restore {
        id: i64,
    },
}

#[derive(Subcommand, Debug)]
pub enum TxnCmd {
    /// Record a transaction (negative amount = money out).
    Add(Box<TxnAdd>),
    /// Import transactions from a wallet's statement export (Alipay, WeChat Pay,
    /// PayPal, Coinbase, Revolut, or any CSV with --map-*). Shows what it would
    /// import with --dry-run; writes all picked rows or none.
    Import(Box<TxnImport>),
    /// Saved column mappings for `txn import --format csv`.
    Mappings,
    Delete {
        id: i64,
    },
    Restore {
        id: i64,
    },
}

#[derive(Args, Debug)]
pub struct TxnAdd {
    #[arg(long = "case")]
    pub case_id: i64,
    #[arg(long)]
    pub txid: String,
    #[arg(long)]
    pub at: String,
    #[arg(long, allow_hyphen_values = true)]
    pub amount: String,
    #[arg(long)]
    pub currency: String,
    #[arg(long)]
    pub direction: Option<String>,
    #[arg(long, default_value = "")]
    pub counterparty: String,
    #[arg(long, default_value = "")]
    pub method: String,
    #[arg(long, default_value = "")]
    pub status: String,
    #[arg(long, default_value = "")]
    pub note: String,
}

#[derive(Args, Debug)]
pub struct TxnImport {
    #[arg(long = "case")]
    pub case_id: i64,
    pub file: PathBuf,
    /// auto, alipay, wechat, paypal, coinbase, revolut or csv.
    #[arg(long, default_value = "auto")]
    pub format: String,
    /// Show the rows and what would happen; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Import only these lines of the file (as shown by --dry-run), e.g. 27,31.
    #[arg(long, value_delimiter = ',')]
    pub rows: Vec<usize>,
    /// Only rows on or after this day (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// Only rows on or before this day.
    #[arg(long)]
    pub to: Option<String>,
    /// Only rows of at least this amount.
    #[arg(long)]
    pub min: Option<String>,
    /// Only rows of at most this amount.
    #[arg(long)]
    pub max: Option<String>,
    /// Only rows whose ID, counterparty, method, status or note contain these words.
    #[arg(long = "match")]
    pub matching: Option<String>,
    /// Use the column mapping saved under this name (--format csv).
    #[arg(long)]
    pub mapping: Option<String>,
    /// Save the mapping given by --map-* under this name.
    #[arg(long)]
    pub save_mapping: Option<String>,
    /// Column holding the date (--format csv).
    #[arg(long)]
    pub map_date: Option<String>,
    #[arg(long)]
    pub map_time: Option<String>,
    #[arg(long)]
    pub map_amount: Option<String>,
    #[arg(long)]
    pub map_currency: Option<String>,
    /// The currency of every row when no column holds it.
    #[arg(long)]
    pub currency: Option<String>,
    #[arg(long)]
    pub map_id: Option<String>,
    #[arg(long)]
    pub map_counterparty: Option<String>,
    #[arg(long)]
    pub map_status: Option<String>,
    #[arg(long)]
    pub map_note: Option<String>,
    #[arg(long)]
    pub map_direction: Option<String>,
    /// Dates like 03/04/2024 are day first (3 April), for a file whose
    /// dates all read both ways.
    #[arg(long, conflicts_with = "month_first")]
    pub day_first: bool,
    /// Dates like 03/04/2024 are month first (4 March).
    #[arg(long)]
    pub month_first: bool,
}

#[derive(Args, Debug)]
pub struct SearchArgs {
    /// Words to find. A "quoted phrase" and -word (exclude) work; quote the
    /// whole query or put it after `--` when it starts with a minus:
    /// casebook search "refund -paypal", casebook search -- -paypal refund.
    #[arg(required = true, num_args = 1..)]
    pub query: Vec<String>,
    #[arg(long = "case")]
    pub case_id: Option<i64>,
    #[arg(long)]
    pub channel: Option<String>,
    /// case, contact, note or transaction.
    #[arg(long)]
    pub kind: Option<String>,
    /// Status of the case the entry belongs to.
    #[arg(long)]
    pub status: Option<String>,
    #[arg(long)]
    pub provider: Option<String>,
    /// First day (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD).
    #[arg(long)]
    pub to: Option<String>,
    #[arg(long, default_value_t = 20)]
    pub limit: u32,
}

/// Passphrases are read from the terminal (typed twice when new), from
/// --passphrase-fd N, or from CASEBOOK_PASSPHRASE and
/// CASEBOOK_NEW_PASSPHRASE in scripts; a recovery key from the terminal,
/// the descriptor or CASEBOOK_RECOVERY_KEY.
#[derive(Subcommand, Debug)]
pub enum PassphraseCmd {
    /// Whether the journal is protected, and its idle-lock time.
    Status,
    /// Protect an unprotected journal: encrypts the database, the search index and every file. Prints the recovery key.
    Set,
    /// Change the passphrase (only the wrapping of the key changes; fast).
    Change,
    /// Forgot the passphrase: set a new one with the recovery key.
    Reset,
    /// Make a new recovery key and print it (asks for the passphrase); the old one stops working.
    RecoveryKey,
    /// Change the data key: re-encrypts the journal and every file under a new key and prints a new recovery key (the passphrase stays). For when an old key, recovery key or backup may have leaked.
    ChangeKey,
    /// Lock the app after this many minutes without use (0: only on demand).
    IdleLock { minutes: u32 },
}
