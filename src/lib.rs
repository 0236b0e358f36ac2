//! Casebook's core: the journal of disputes with wallets and payment apps.
//!
//! No GUI here. The `casebook` CLI (`cli/`) and the desktop shell
//! (`src-tauri/`) are thin layers over [`Journal`].
//!
//! Modules, one per aggregate, each owning its SQL:
//! * [`db`] — opening the SQLite file, pragmas, migrations, write transactions;
//! * [`cases`], [`providers`], [`contacts`], [`notes`], [`transactions`];
//! * [`evidence`] — attached files in a content-addressed store;
//! * [`mail`] — an e-mail from support (`.eml`) read as a contact;
//! * [`ocr`] — the text of screenshots, read on this computer in the background;
//! * [`import`] — transaction records read from wallets' statement exports;
//! * [`revisions`] — the history kept on every edit, delete and restore;
//! * [`timeline`] — a case with all its entries, oldest first;
//! * [`search`] — the bilingual full-text index and its queries;
//! * [`due`] — follow-ups, deadlines and escalation dates;
//! * [`escalation`] — where a case can escalate and from when (data in `rules/`);
//! * [`export`] — the case summary (Markdown, HTML, PDF, JSON), its manifest, the complaint letter;
//! * [`backup`] — the whole journal and its files in one archive, and back;
//! * [`channels`] — the register of verified official contact points and its checks;
//! * [`references`] — reference numbers found in text, offered to the user (data in `rules/`);
//! * [`transcript`] — a pasted chat transcript split into who said what, when;
//! * [`shield`] — the scam shield's red-flag rules (data in `rules/`);
//! * [`scan`] — a journal's texts and contact points checked with them;
//! * `private` — files only the user can read (0600/0700, whatever the umask);
//!
//! The CLI (with `casebook bench` and the crash harness's write stream) is
//! the `casebook-cli` crate in `cli/`.
//!
//! No unsafe code, except Tesseract's C API loaded at run time (`ocr`'s
//! private `tess` module), the one place that allows it.

#![deny(unsafe_code)]

pub mod backup;
pub mod calls;
pub mod cases;
pub mod channels;
pub mod contacts;
pub mod db;
pub mod due;
mod durable;
pub mod error;
pub mod escalation;
pub mod evidence;
pub mod export;
pub mod forms;
pub mod import;
pub mod mail;
pub mod model;
pub mod money;
pub mod notes;
pub mod ocr;
mod private;
pub mod protect;
pub mod providers;
pub mod references;
pub mod reminders;
pub mod revisions;
pub mod scan;
pub mod search;
pub mod settings;
pub mod shield;
pub mod time;
pub mod timeline;
pub mod transactions;
pub mod transcript;
pub mod vault;

pub use db::Journal;
pub use error::{Error, ErrorKind, Result};
