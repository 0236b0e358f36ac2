//! Evidence files: screenshots, PDFs, e-mails, statements attached to a case.
//!
//! The bytes live in a content-addressed store beside the journal
//! (`evidence/sha256/ab/abcdef…`). A file is written to a temporary file,
//! fsynced, renamed into place and its directory fsynced *before* the row that
//! references it is committed, so a saved attachment always has its file. The
//! same content attached twice is stored once. The original name is data,
//! never a path: it is kept exactly as given and shown as given.

use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

pub mod store;

use crate::cases::ensure_exists;
use crate::db::Journal;
use crate::error::{Error, Problem, Result};
use crate::search::index::{self, Doc, DocKind};
use crate::time::At;
pub(crate) use store::Stored;
use store::io_err;
pub use store::{DEFAULT_MAX_BYTES, MAX_MB_ENV, Store};

/// Text of text-like files kept for search, at most.
const MAX_TEXT_BYTES: usize = 2 * 1024 * 1024;

/// A longer name is refused (a thousand characters are fine).
const MAX_NAME_CHARS: usize = 4096;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Attachment {
    pub id: i64,
    pub case_id: i64,
    pub contact_id: Option<i64>,
    pub transaction_id: Option<i64>,
    /// The original file name, exactly as given.
    pub name: String,
    /// The name as it is shown: bidirectional overrides and other invisible
    /// characters made visible (see [`visible_name`]).
    pub display_name: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub size: u64,
    pub media_type: String,
    pub sha256: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub added_at: At,
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub deleted_at: Option<At>,
}

impl Attachment {
    pub fn is_image(&self) -> bool {
        self.media_type.starts_with("image/")
    }
}

/// Where a file is attached: a case, optionally one of its contacts or
/// transactions.
#[derive(Clone, Copy, Debug, Default)]
pub struct AttachTo {
    pub case_id: i64,
    pub contact_id: Option<i64>,
    pub transaction_id: Option<i64>,
}

impl AttachTo {
    pub fn case(case_id: i64) -> AttachTo {
        AttachTo {
            case_id,
            ..AttachTo::default()
        }
    }
}

/// What `verify` found wrong with one stored file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Damaged {
    pub sha256: String,
    /// "missing" or "altered".
    pub problem: String,
    /// The attachments that use this file.
    pub attachments: Vec<i64>,
    pub names: Vec<String>,
}

#[derive(Clone, Debug, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct VerifyReport {
    pub files_checked: usize,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes_checked: u64,
    pub damaged: Vec<Damaged>,
}

impl VerifyReport {
    pub fn ok(&self) -> bool {
        self.damaged.is_empty()
    }
}

/// The private folder this process puts copies for the system's viewer in.
static OPEN_COPIES: std::sync::Mutex<Option<PathBuf>> = std::sync::Mutex::new(None);

/// Name prefix of the viewer-copy folders (so start-up can find leftovers).
const OPEN_COPIES_PREFIX: &str = "casebook-open-";

/// Where the viewer-copy folders live: `$XDG_RUNTIME_DIR` (private to the
/// user, in memory, emptied at logout), else the data directory; never a
/// fixed name in the shared temporary folder.
fn open_copies_parent(data_dir: &Path) -> PathBuf {
    std::env::var_os("XDG_RUNTIME_DIR")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute() && p.is_dir())
        .unwrap_or_else(|| data_dir.to_path_buf())
}

/// This process's viewer-copy folder: randomly named, created 0700, made
/// once and reused until [`remove_open_copies`].
fn open_copies_dir(data_dir: &Path) -> Result<PathBuf> {
    let mut g = OPEN_COPIES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(d) = g.as_ref().filter(|d| d.is_dir()) {
        return Ok(d.clone());
    }
    let parent = open_copies_parent(data_dir);
    let dir = crate::private::temp_dir_in(&parent, OPEN_COPIES_PREFIX)
        .map_err(|e| io_err("create", &parent, e))?
        .keep();
    *g = Some(dir.clone());
    Ok(dir)
}

/// Removes the copies made for the system's viewer (when the app locks or
/// quits): for a protected journal they are the only plaintext on disk.
pub fn remove_open_copies() {
    let mut g = OPEN_COPIES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(d) = g.take() {
        let _ = fs::remove_dir_all(d);
    }
}

/// At start-up: removes viewer-copy folders that an earlier run left (it
/// crashed or was killed before it could), in both places they can be.
pub fn remove_stale_open_copies(data_dir: &Path) {
    remove_open_copies();
    for parent in [open_copies_parent(data_dir), data_dir.to_path_buf()] {
        let Ok(entries) = fs::read_dir(&parent) else {
            continue;
        };
        for e in entries.flatten() {
            let is_ours = e
                .file_name()
                .to_string_lossy()
                .starts_with(OPEN_COPIES_PREFIX)
                && e.file_type().is_ok_and(|t| t.is_dir());
            if is_ours {
                let _ = fs::remove_dir_all(e.path());
            }
        }
    }
}

/// The extension the copy for the system viewer gets, decided from the
/// file's content (its first bytes), never from its name: documents and
/// raster images a viewer shows, and plain text as `.txt`/`.csv`/`.eml`.
/// `None` for anything else (programs, scripts, `.desktop` entries, HTML,
/// SVG…), which is never handed to the system to open.
pub fn viewer_extension(head: &[u8], media_type: &str) -> Option<&'static str> {
    if let Some(kind) = infer::get(head) {
        return match kind.mime_type() {
            "application/pdf" => Some("pdf"),
            "image/png" => Some("png"),
            "image/jpeg" => Some("jpg"),
            "image/gif" => Some("gif"),
            "image/webp" => Some("webp"),
            "image/bmp" => Some("bmp"),
            "image/tiff" => Some("tif"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => {
                Some("docx")
            }
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => Some("xlsx"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation" => {
                Some("pptx")
            }
            "application/vnd.oasis.opendocument.text" => Some("odt"),
            "application/vnd.oasis.opendocument.spreadsheet" => Some("ods"),
            "application/vnd.oasis.opendocument.presentation" => Some("odp"),
            "application/msword" => Some("doc"),
            "application/vnd.ms-excel" => Some("xls"),
            "application/vnd.ms-powerpoint" => Some("ppt"),
            "application/rtf" | "text/rtf" => Some("rtf"),
            _ => None,
        };
    }
    // Not a known binary format: plain text opens as text, whatever its name.
    let text = decode_text(head)?;
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c'))
    {
        return None;
    }
    Some(match media_type {
        "text/csv" => "csv",
        "message/rfc822" => "eml",
        _ => "txt",
    })
}

/// A file name as it is shown: characters that reorder or hide text
/// (bidirectional overrides and isolates, zero-width characters, control
/// characters) are replaced by a visible `⟨U+202E⟩`, so `invoice\u{202E}fdp.exe`
/// cannot pass for `invoiceexe.pdf`. The stored name is kept exactly.
pub fn visible_name(name: &str) -> String {
    let hidden = |c: char| {
        c.is_control()
            || matches!(
                c,
                '\u{00AD}'
                    | '\u{034F}'
                    | '\u{061C}'
                    | '\u{115F}'
                    | '\u{1160}'
                    | '\u{17B4}'
                    | '\u{17B5}'
                    | '\u{180E}'
                    | '\u{200B}'..='\u{200F}'
                    | '\u{202A}'..='\u{202E}'
                    | '\u{2060}'..='\u{206F}'
                    | '\u{3164}'
                    | '\u{FE00}'..='\u{FE0F}'
                    | '\u{FEFF}'
                    | '\u{FFA0}'
                    | '\u{FFF0}'..='\u{FFFB}'
                    | '\u{E0000}'..='\u{E007F}'
            )
    };
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if hidden(c) {
            out.push_str(&format!("⟨U+{:04X}⟩", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// The media type: from the content first, then from the name's extension.
fn media_type(name: &str, head: &[u8]) -> String {
    if let Some(kind) = infer::get(head) {
        return kind.mime_type().to_string();
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "eml" => "message/rfc822".into(),
        "csv" => "text/csv".into(),
        "txt" | "log" => "text/plain".into(),
        "json" => "application/json".into(),
        "html" | "htm" => "text/html".into(),
        "md" => "text/markdown".into(),
        _ => mime_guess::from_ext(&ext)
            .first_raw()
            .unwrap_or("application/octet-stream")
            .to_string(),
    }
}

fn is_text_like(media_type: &str) -> bool {
    media_type.starts_with("text/") || media_type == "message/rfc822"
}

/// The text of a text-like file: UTF-8, UTF-16 with a BOM, or GBK.
pub fn decode_text(bytes: &[u8]) -> Option<String> {
    let bytes = &bytes[..bytes.len().min(MAX_TEXT_BYTES)];
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        return Some(text.into_owned());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Some(s.to_string()),
        // Cut in the middle of a character by the size cap.
        Err(e) if e.error_len().is_none() => Some(
            std::str::from_utf8(&bytes[..e.valid_up_to()])
                .unwrap_or_default()
                .to_string(),
        ),
        Err(_) => {
            // GBK, possibly cut in the middle of a character by the size cap.
            (0..4).find_map(|cut| {
                let b = &bytes[..bytes.len().saturating_sub(cut)];
                let (text, _, bad) = encoding_rs::GB18030.decode(b);
                (!bad).then(|| text.into_owned())
            })
        }
    }
}

const COLUMNS: &str = "id, case_id, contact_id, transaction_id, name, size, media_type, sha256, added_ms, added_offset, deleted_ms";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Attachment> {
    let deleted: Option<i64> = r.get(10)?;
    Ok(Attachment {
        id: r.get(0)?,
        case_id: r.get(1)?,
        contact_id: r.get(2)?,
        transaction_id: r.get(3)?,
        display_name: visible_name(&r.get::<_, String>(4)?),
        name: r.get(4)?,
        size: r.get::<_, i64>(5)? as u64,
        media_type: r.get(6)?,
        sha256: r.get(7)?,
        added_at: At::from_parts(r.get(8)?, r.get(9)?),
        deleted_at: deleted.map(|ms| At::from_parts(ms, 0)),
    })
}

pub(crate) fn get(conn: &Connection, id: i64) -> Result<Attachment> {
    let sql = format!("SELECT {COLUMNS} FROM attachments WHERE id = ?1");
    conn.prepare_cached(&sql)?
        .query_row([id], from_row)
        .optional()?
        .ok_or(Error::NotFound {
            what: "attachment",
            id,
        })
}

pub(crate) fn text_of(conn: &Connection, id: i64) -> Result<String> {
    Ok(conn
        .query_row("SELECT text FROM attachments WHERE id = ?1", [id], |r| {
            r.get::<_, Option<String>>(0)
        })?
        .unwrap_or_default())
}

pub(crate) fn of_case(conn: &Connection, case_id: i64) -> Result<Vec<Attachment>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM attachments WHERE case_id = ?1 AND deleted_ms IS NULL ORDER BY added_ms, id"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([case_id], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn check_name(name: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::invalid(Problem::FileNameMissing {}));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(Error::invalid(Problem::FileNameTooLong {
            max: MAX_NAME_CHARS as u64,
        }));
    }
    Ok(())
}

/// Checks that the contact or transaction belongs to the case.
fn check_target(conn: &Connection, to: &AttachTo) -> Result<()> {
    ensure_exists(conn, to.case_id)?;
    if to.contact_id.is_some() && to.transaction_id.is_some() {
        return Err(Error::invalid(Problem::AttachToBoth {}));
    }
    for (table, what, id) in [
        ("contacts", "contact", to.contact_id),
        ("transactions", "transaction", to.transaction_id),
    ] {
        let Some(id) = id else { continue };
        let case: Option<i64> = conn
            .query_row(
                &format!("SELECT case_id FROM {table} WHERE id = ?1 AND deleted_ms IS NULL"),
                [id],
                |r| r.get(0),
            )
            .optional()?;
        match case {
            Some(c) if c == to.case_id => {}
            Some(c) => {
                return Err(Error::invalid(Problem::AttachWrongCase {
                    what: what.into(),
                    id,
                    entry_case: c,
                    case_id: to.case_id,
                }));
            }
            None => {
                return Err(Error::NotFound { what, id });
            }
        }
    }
    Ok(())
}

pub(crate) fn reindex(conn: &Connection, a: &Attachment, text: &str) -> Result<()> {
    index::put(
        conn,
        &Doc {
            kind: DocKind::Attachment,
            entity_id: a.id,
            case_id: a.case_id,
            at: a.added_at,
            channel: None,
            text: vec![&a.name, text],
            ids: vec![],
        },
    )
}

/// Records an already stored file. Runs inside the caller's transaction.
pub(crate) fn insert(
    conn: &Connection,
    to: &AttachTo,
    name: &str,
    stored: &Stored,
    full_text: Option<String>,
) -> Result<Attachment> {
    check_target(conn, to)?;
    let media = media_type(name, &stored.head);
    let text = if is_text_like(&media) {
        full_text.or_else(|| decode_text(&stored.head))
    } else {
        None
    };
    let now = At::now();
    conn.execute(
        "INSERT INTO attachments (case_id, contact_id, transaction_id, name, size, media_type, sha256, text, added_ms, added_offset)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            to.case_id,
            to.contact_id,
            to.transaction_id,
            name,
            stored.size as i64,
            media,
            stored.sha256,
            text,
            now.utc_ms,
            now.offset_secs,
        ],
    )?;
    let a = get(conn, conn.last_insert_rowid())?;
    reindex(conn, &a, text.as_deref().unwrap_or(""))?;
    // A screenshot's text is read later, in the background (see `ocr`).
    if a.is_image() {
        conn.execute(
            "INSERT OR IGNORE INTO attachment_ocr (attachment_id, state) VALUES (?1, 'pending')",
            [a.id],
        )?;
    }
    Ok(a)
}

impl Journal {
    /// The largest file accepted, in bytes.
    pub fn max_file_bytes(&self) -> u64 {
        self.evidence.max_bytes
    }

    pub fn set_max_file_bytes(&mut self, bytes: u64) {
        self.evidence.max_bytes = bytes;
    }

    /// Stores the bytes of `reader` and records them as `name`, attached to
    /// `to`. The file is durably stored before the row is committed.
    pub fn attach_reader(
        &mut self,
        to: AttachTo,
        name: &str,
        reader: &mut dyn Read,
    ) -> Result<Attachment> {
        check_name(name)?;
        check_target(self.read(), &to)?;
        let stored = self.evidence.put(name, reader)?;
        let text = self.full_text(&stored, name)?;
        self.write(|tx| insert(tx, &to, name, &stored, text))
    }

    /// Attaches the file at `path`, named after its file name.
    pub fn attach_path(&mut self, to: AttachTo, path: &Path) -> Result<Attachment> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        let meta = fs::metadata(path).map_err(|e| io_err("open", path, e))?;
        if meta.is_dir() {
            return Err(Error::invalid(Problem::AttachFolder {
                path: path.display().to_string(),
            }));
        }
        if meta.len() > self.evidence.max_bytes {
            return Err(Error::invalid(Problem::FileTooLarge {
                name: name.to_string(),
                max_mb: self.evidence.max_bytes / (1024 * 1024),
            }));
        }
        let mut f = File::open(path).map_err(|e| io_err("open", path, e))?;
        self.attach_reader(to, &name, &mut f)
    }

    /// The whole text of a text-like stored file, for search (capped).
    fn full_text(&self, stored: &Stored, name: &str) -> Result<Option<String>> {
        let media = media_type(name, &stored.head);
        let email = media == "message/rfc822";
        if !is_text_like(&media) || (!email && stored.size as usize <= stored.head.len()) {
            return Ok(None);
        }
        let f = self.evidence.open(&stored.sha256)?;
        let mut bytes = Vec::new();
        Read::take(f, MAX_TEXT_BYTES as u64).read_to_end(&mut bytes)?;
        // An e-mail is searched by what it says, decoded (base64, GBK…).
        if email && let Some(text) = crate::mail::parse::search_text(&bytes) {
            return Ok(Some(text));
        }
        Ok(decode_text(&bytes))
    }

    pub fn attachment(&self, id: i64) -> Result<Attachment> {
        get(self.read(), id)
    }

    pub fn attachments(&self, case_id: i64) -> Result<Vec<Attachment>> {
        ensure_exists(self.read(), case_id)?;
        of_case(self.read(), case_id)
    }

    /// A copy of an attachment to open in the system's viewer, in this
    /// process's private folder (see `open_copies_dir`), named
    /// `casebook-<id>.<ext>` with the extension decided from the content
    /// ([`viewer_extension`]). A file of any other kind is refused with a
    /// sentence: it is never handed to the system to run or open.
    pub fn attachment_copy_to_open(&self, id: i64) -> Result<PathBuf> {
        let a = get(self.read(), id)?;
        self.attachment_file(id)?;
        let head = self.evidence.head(&a.sha256)?;
        let Some(ext) = viewer_extension(&head, &a.media_type) else {
            return Err(Error::invalid(Problem::ViewerRefused {
                name: a.display_name.clone(),
                media_type: a.media_type.clone(),
            }));
        };
        let dir = open_copies_dir(self.data_dir())?;
        let dest = dir.join(format!("casebook-{id}.{ext}"));
        self.evidence.copy_out(&a.sha256, &dest)?;
        Ok(dest)
    }

    /// The name to offer when saving a copy of an attachment: the shown
    /// name with path separators replaced, and `.bin` added to anything the
    /// system viewer would not be given (so it is never run by a click).
    pub fn attachment_save_name(&self, id: i64) -> Result<String> {
        let a = get(self.read(), id)?;
        let head = self.evidence.head(&a.sha256)?;
        let base: String = a
            .display_name
            .chars()
            .map(|c| {
                if matches!(c, '/' | '\\' | ':') {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        let base = base.trim_start_matches('.');
        let base = if base.is_empty() { "attachment" } else { base };
        Ok(match viewer_extension(&head, &a.media_type) {
            Some(ext) if base.to_ascii_lowercase().ends_with(&format!(".{ext}")) => base.into(),
            Some(ext) => format!("{base}.{ext}"),
            None => format!("{base}.bin"),
        })
    }

    /// Writes the attachment's content (checked, decrypted) to `dest`,
    /// readable by the user only.
    pub fn save_attachment_copy(&self, id: i64, dest: &Path) -> Result<u64> {
        let a = get(self.read(), id)?;
        self.attachment_file(id)?;
        self.evidence.copy_out(&a.sha256, dest)
    }

    /// Where the stored copy of an attachment is, checked to be intact.
    pub fn attachment_file(&self, id: i64) -> Result<PathBuf> {
        let a = get(self.read(), id)?;
        if let Some(problem) = self.evidence.check(&a.sha256, a.size) {
            return Err(Error::Conflict(Problem::StoredFileBad {
                name: a.display_name.clone(),
                state: problem.into(),
            }));
        }
        Ok(self.evidence.path_of(&a.sha256))
    }

    /// The bytes of an attachment (for previews and imports), checked
    /// against its size and SHA-256 as opening it is.
    pub fn attachment_bytes(&self, id: i64) -> Result<(Attachment, Vec<u8>)> {
        let a = get(self.read(), id)?;
        let bytes = self.evidence.read(&a.sha256)?;
        if bytes.len() as u64 != a.size || hex::encode(Sha256::digest(&bytes)) != a.sha256 {
            return Err(Error::Conflict(Problem::StoredFileBad {
                name: a.display_name.clone(),
                state: "altered".into(),
            }));
        }
        Ok((a, bytes))
    }

    /// The SHA-256 of every attachment whose stored file is absent (or
    /// whose recorded SHA-256 is not one), without reading the files.
    pub(crate) fn missing_evidence(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .read()
            .prepare("SELECT DISTINCT sha256 FROM attachments ORDER BY sha256")?;
        let shas: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(shas
            .into_iter()
            .filter(|s| !store::is_hex64(s) || !self.evidence.path_of(s).is_file())
            .collect())
    }

    /// Re-hashes every stored file and lists the missing or altered ones.
    pub fn verify_evidence(&self) -> Result<VerifyReport> {
        let mut stmt = self.read().prepare(
            "SELECT sha256, size, group_concat(id, ','), json_group_array(name)
             FROM attachments GROUP BY sha256, size ORDER BY min(id)",
        )?;
        let rows: Vec<(String, i64, String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut report = VerifyReport::default();
        for (sha, size, ids, names) in rows {
            report.files_checked += 1;
            report.bytes_checked += size as u64;
            if let Some(problem) = self.evidence.check(&sha, size as u64) {
                report.damaged.push(Damaged {
                    sha256: sha,
                    problem: problem.to_string(),
                    attachments: ids.split(',').filter_map(|s| s.parse().ok()).collect(),
                    names: serde_json::from_str(&names).unwrap_or_default(),
                });
            }
        }
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_from_content_then_name() {
        assert_eq!(media_type("x.bin", b"\x89PNG\r\n\x1a\n0000"), "image/png");
        assert_eq!(media_type("a.PDF", b"%PDF-1.7\n"), "application/pdf");
        assert_eq!(media_type("mail.eml", b"From: a@b.c\r\n"), "message/rfc822");
        assert_eq!(media_type("bill.csv", b"a,b\n"), "text/csv");
        assert_eq!(media_type("noext", b"\x00\x01"), "application/octet-stream");
    }

    #[test]
    fn text_is_decoded_from_utf8_utf16_and_gbk() {
        assert_eq!(decode_text("冻结".as_bytes()).unwrap(), "冻结");
        let (gbk, _, _) = encoding_rs::GBK.encode("支付宝账单");
        assert_eq!(decode_text(&gbk).unwrap(), "支付宝账单");
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "退款".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode_text(&utf16).unwrap(), "退款");
    }

    #[test]
    fn files_of_the_old_encrypted_format_are_upgraded_once() {
        let dir = tempfile::tempdir().unwrap();
        let key = crate::vault::DataKey::generate();
        let store = Store::beside(&dir.path().join("journal.sqlite3"), Some(&key));
        let keys = crate::vault::EvidenceKeys::from(&key);
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let sha = hex::encode(Sha256::digest(&data));
        let path = store.path_of(&sha);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, keys.encrypt_v1(&data)).unwrap();
        // Format 1 is not read as a stored file…
        assert!(
            store
                .open(&sha)
                .and_then(|mut r| r.read_to_end(&mut Vec::new()))
                .is_err()
        );
        // …until it is upgraded (once: the mark file stops later scans).
        assert_eq!(store.upgrade_encrypted().unwrap(), 1);
        assert!(!crate::vault::EvidenceKeys::is_v1(
            &fs::read(&path).unwrap()
        ));
        assert_eq!(store.read(&sha).unwrap(), data);
        assert_eq!(store.check(&sha, data.len() as u64), None);
        assert_eq!(store.upgrade_encrypted().unwrap(), 0);
    }
}
