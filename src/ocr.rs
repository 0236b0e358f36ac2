//! The text of screenshots (OCR), read on this computer and never sent
//! anywhere (issue 17).
//!
//! Attaching an image queues it (`attachment_ocr`, state `pending`, written
//! by `evidence`);
//! reading happens later, in the background of the app or in `casebook
//! ocr`, so attaching never waits. A job is taken with
//! [`Journal::next_ocr_job`] (the image's bytes), read by an [`Engine`]
//! *outside* any transaction, and its outcome written back with
//! [`Journal::record_ocr`]: the text goes into `attachments.text` and the
//! search index, as for a text file, so a 1- or 2-character Chinese word
//! or a ticket number inside a screenshot is found like any other entry.
//!
//! The engine is Tesseract (Debian's `libtesseract5` with its `chi_sim`
//! and `eng` models) through the `tesseract` binding crate, behind the
//! `ocr` feature. Without it, or without a language model, the reading is
//! `unavailable`: the app says so once, everything else works, and the
//! images are read once an engine is there.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use crate::db::Journal;
use crate::error::Result;
use crate::evidence;
use crate::time::At;

/// The languages read, in Tesseract's names.
pub const LANGS: &str = "chi_sim+eng";

/// Where reading one image's text stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum OcrState {
    Pending,
    Done,
    Failed,
    Unavailable,
}

impl OcrState {
    fn key(self) -> &'static str {
        match self {
            OcrState::Pending => "pending",
            OcrState::Done => "done",
            OcrState::Failed => "failed",
            OcrState::Unavailable => "unavailable",
        }
    }

    fn parse(s: &str) -> OcrState {
        match s {
            "done" => OcrState::Done,
            "failed" => OcrState::Failed,
            "unavailable" => OcrState::Unavailable,
            _ => OcrState::Pending,
        }
    }
}

/// An image's text and where its reading stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ImageText {
    pub attachment_id: i64,
    pub state: OcrState,
    /// The text read (empty until done).
    pub text: String,
    /// The engine and languages that read it.
    pub engine: String,
    /// Why it failed or is unavailable (technical).
    pub detail: String,
}

/// How many images of the journal are read, waiting, failed or waiting
/// for an engine.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct OcrProgress {
    pub pending: u32,
    pub done: u32,
    pub failed: u32,
    pub unavailable: u32,
}

/// What reading one image came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OcrOutcome {
    Text {
        text: String,
        engine: String,
        took_ms: i64,
    },
    /// The engine could not read this image.
    Failed { engine: String, detail: String },
    /// No engine or language model on this computer.
    Unavailable { detail: String },
}

/// Tesseract writes Chinese with a space between characters, and blank
/// lines between blocks: those spaces and lines go, the rest stays.
pub fn tidy(raw: &str) -> String {
    fn cjk(c: char) -> bool {
        matches!(c as u32,
            0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
    }
    let mut out = String::with_capacity(raw.len());
    for line in raw.lines() {
        let chars: Vec<char> = line.trim().chars().collect();
        if chars.is_empty() {
            continue;
        }
        let mut kept = String::with_capacity(line.len());
        for (i, &c) in chars.iter().enumerate() {
            if c == ' ' {
                let prev = chars[..i].iter().rev().find(|c| **c != ' ');
                let next = chars[i + 1..].iter().find(|c| **c != ' ');
                // A space next to a Chinese character or another space goes.
                let drop = matches!((prev, next), (Some(p), Some(n)) if cjk(*p) || cjk(*n))
                    || chars.get(i + 1) == Some(&' ');
                if drop {
                    continue;
                }
            }
            kept.push(c);
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&kept);
    }
    out
}

/// The OCR engine, kept between images (loading the Chinese model takes
/// most of a second).
pub struct Engine {
    #[cfg(feature = "ocr")]
    tess: Option<tess::Tesseract>,
    /// `tesseract chi_sim+eng`.
    pub name: String,
}

impl Engine {
    /// Loads the engine and its models; the error says what is missing.
    pub fn new() -> std::result::Result<Engine, String> {
        #[cfg(feature = "ocr")]
        {
            let tess = load()?;
            Ok(Engine {
                tess: Some(tess),
                name: format!("tesseract {LANGS}"),
            })
        }
        #[cfg(not(feature = "ocr"))]
        {
            Err("this Casebook was built without text recognition (the `ocr` feature)".into())
        }
    }

    /// Reads the text of an image (PNG, JPEG, WebP, TIFF, GIF, BMP).
    pub fn read(&mut self, image: &[u8]) -> OcrOutcome {
        #[cfg(feature = "ocr")]
        {
            let started = std::time::Instant::now();
            let mut tess = match self.tess.take().map_or_else(load, Ok) {
                Ok(t) => t,
                Err(detail) => return OcrOutcome::Unavailable { detail },
            };
            let failed = |e: &dyn std::fmt::Display| OcrOutcome::Failed {
                engine: self.name.clone(),
                detail: e.to_string(),
            };
            let Some(page) = prepare(image) else {
                self.tess = Some(tess);
                return failed(&"not an image this engine reads");
            };
            let text = tess.read(&page, SOURCE_PPI);
            self.tess = Some(tess);
            match text {
                Ok(text) => OcrOutcome::Text {
                    text: tidy(&text),
                    engine: self.name.clone(),
                    took_ms: started.elapsed().as_millis() as i64,
                },
                Err(e) => failed(&e),
            }
        }
        #[cfg(not(feature = "ocr"))]
        {
            let _ = image;
            OcrOutcome::Unavailable {
                detail: "built without text recognition".into(),
            }
        }
    }
}

/// What a cleaned-up screenshot is told its resolution is: phone text at
/// 2–3× scale reads as print at about this resolution.
#[cfg(feature = "ocr")]
const SOURCE_PPI: i32 = 300;

/// A screenshot made easy for Tesseract: grey, dark text on white.
/// Chat bubbles are light colours (WeChat's green, a bank's blue-grey)
/// that Tesseract's global threshold would turn black, losing the text in
/// them; so every light shade becomes white and the dark ones are
/// stretched, keeping the edges of the letters. A dark-theme screenshot
/// (mostly dark) is inverted first. Small images are enlarged, since
/// Tesseract reads letters about 20 pixels high best.
#[cfg(feature = "ocr")]
fn prepare(bytes: &[u8]) -> Option<image::GrayImage> {
    let img = image::load_from_memory(bytes).ok()?;
    let mut grey = img.to_luma8();
    let mut histogram = [0u64; 256];
    for p in grey.pixels() {
        histogram[p.0[0] as usize] += 1;
    }
    let total: u64 = histogram.iter().sum();
    let mut seen = 0;
    let median = histogram
        .iter()
        .position(|n| {
            seen += n;
            seen * 2 >= total
        })
        .unwrap_or(255) as u8;
    let dark = median < 110;
    // Every shade lighter than this is background (chosen on the
    // development screenshots: 150 lost grey timestamps, 225 lost text in
    // coloured bubbles).
    const LIGHT: u16 = 200;
    for p in grey.pixels_mut() {
        let v = if dark { 255 - p.0[0] } else { p.0[0] } as u16;
        p.0[0] = if v >= LIGHT {
            255
        } else {
            (v * 255 / LIGHT) as u8
        };
    }
    // Phone screenshots at 3× have letters 40 pixels high; at 2× (narrow)
    // and desktop ones at 1× (wider than high) they are small.
    let (w, h) = (grey.width(), grey.height());
    let up = w < 1000 || w > h;
    if up {
        grey = image::imageops::resize(
            &grey,
            grey.width() * 2,
            grey.height() * 2,
            image::imageops::FilterType::CatmullRom,
        );
    }
    Some(grey)
}

#[cfg(feature = "ocr")]
fn load() -> std::result::Result<tess::Tesseract, String> {
    tess::Tesseract::new(LANGS)
}

/// Tesseract's C API, loaded from the system's library when the first
/// screenshot is read, not when Casebook starts. Linked at build time,
/// libtesseract and the two dozen libraries it needs (Leptonica, libcurl,
/// libarchive, image codecs, GnuTLS, Kerberos…) were loaded into every
/// Casebook process, the desktop app's included, whether or not it ever read
/// a screenshot: 5 MiB of its idle memory (tests/e2e/measure.py). Loaded
/// at run time, a computer without Tesseract gets the same "cannot read
/// text" outcome as before, and a build needs no Tesseract headers.
#[cfg(feature = "ocr")]
#[allow(unsafe_code)]
mod tess {
    use std::ffi::{CStr, CString, c_char, c_int, c_void};

    use libloading::Library;

    /// The names the library has where Tesseract 5 installs it: Debian and
    /// Fedora, then Homebrew and MacPorts, then Windows (UB Mannheim's
    /// installer, vcpkg).
    const NAMES: &[&str] = &[
        "libtesseract.so.5",
        "libtesseract.so",
        "libtesseract.5.dylib",
        "/opt/homebrew/lib/libtesseract.5.dylib",
        "/usr/local/lib/libtesseract.5.dylib",
        "/opt/local/lib/libtesseract.5.dylib",
        "libtesseract-5.dll",
        "tesseract55.dll",
        "tesseract53.dll",
    ];

    type Handle = *mut c_void;

    /// The C API's functions used here (tesseract/capi.h).
    struct Api {
        delete: unsafe extern "C" fn(Handle),
        init3: unsafe extern "C" fn(Handle, *const c_char, *const c_char) -> c_int,
        set_image: unsafe extern "C" fn(Handle, *const u8, c_int, c_int, c_int, c_int),
        set_source_resolution: unsafe extern "C" fn(Handle, c_int),
        recognize: unsafe extern "C" fn(Handle, *mut c_void) -> c_int,
        get_utf8_text: unsafe extern "C" fn(Handle) -> *mut c_char,
        delete_text: unsafe extern "C" fn(*const c_char),
    }

    /// One TessBaseAPI with its languages loaded.
    pub struct Tesseract {
        api: Api,
        handle: Handle,
        // Unloaded last: the handle is deleted first (Drop).
        _library: Library,
    }

    // SAFETY: a TessBaseAPI may be used from any thread, one at a time;
    // `read` takes `&mut self`.
    unsafe impl Send for Tesseract {}

    impl Tesseract {
        /// Loads the library and the languages (`chi_sim+eng`); the error
        /// says what is missing.
        pub fn new(langs: &str) -> Result<Tesseract, String> {
            // SAFETY: loading Tesseract runs its initialisers, which have
            // no preconditions.
            let library = NAMES
                .iter()
                .find_map(|name| unsafe { Library::new(name) }.ok())
                .ok_or_else(|| {
                    "Tesseract is not installed (libtesseract 5 was not found; \
                     install tesseract-ocr-chi-sim and tesseract-ocr-eng)"
                        .to_string()
                })?;
            // SAFETY: each symbol is declared with its type in
            // tesseract/capi.h (Tesseract 5).
            let (api, handle) = unsafe {
                let create = *library
                    .get::<unsafe extern "C" fn() -> Handle>(b"TessBaseAPICreate\0")
                    .map_err(missing)?;
                let api = Api {
                    delete: *library.get(b"TessBaseAPIDelete\0").map_err(missing)?,
                    init3: *library.get(b"TessBaseAPIInit3\0").map_err(missing)?,
                    set_image: *library.get(b"TessBaseAPISetImage\0").map_err(missing)?,
                    set_source_resolution: *library
                        .get(b"TessBaseAPISetSourceResolution\0")
                        .map_err(missing)?,
                    recognize: *library.get(b"TessBaseAPIRecognize\0").map_err(missing)?,
                    get_utf8_text: *library.get(b"TessBaseAPIGetUTF8Text\0").map_err(missing)?,
                    delete_text: *library.get(b"TessDeleteText\0").map_err(missing)?,
                };
                (api, create())
            };
            if handle.is_null() {
                return Err("Tesseract could not start".into());
            }
            let tess = Tesseract {
                api,
                handle,
                _library: library,
            };
            let langs = CString::new(langs).map_err(|e| e.to_string())?;
            // SAFETY: a live handle; a null data path means Tesseract's
            // own (TESSDATA_PREFIX, then where it was installed).
            if unsafe { (tess.api.init3)(tess.handle, std::ptr::null(), langs.as_ptr()) } != 0 {
                return Err(format!(
                    "Tesseract could not load its {} models (install tesseract-ocr-chi-sim and tesseract-ocr-eng)",
                    langs.to_string_lossy()
                ));
            }
            Ok(tess)
        }

        /// The text of a grey image (one byte a pixel).
        pub fn read(&mut self, page: &image::GrayImage, ppi: i32) -> Result<String, String> {
            let (w, h) = (page.width(), page.height());
            let too_large = || "the image is too large".to_string();
            let width = c_int::try_from(w).map_err(|_| too_large())?;
            let height = c_int::try_from(h).map_err(|_| too_large())?;
            if page.as_raw().len() < w as usize * h as usize {
                return Err("the image is incomplete".into());
            }
            // SAFETY: the frame holds width × height bytes, one a pixel,
            // rows of `width` bytes (checked above), and outlives the
            // recognition, which copies it; the text Tesseract returns is a
            // NUL-terminated string freed with TessDeleteText.
            unsafe {
                (self.api.set_image)(self.handle, page.as_raw().as_ptr(), width, height, 1, width);
                (self.api.set_source_resolution)(self.handle, ppi);
                if (self.api.recognize)(self.handle, std::ptr::null_mut()) != 0 {
                    return Err("Tesseract could not read the image".into());
                }
                let text = (self.api.get_utf8_text)(self.handle);
                if text.is_null() {
                    return Err("Tesseract returned no text".into());
                }
                let out = CStr::from_ptr(text).to_string_lossy().into_owned();
                (self.api.delete_text)(text);
                Ok(out)
            }
        }
    }

    fn missing(e: libloading::Error) -> String {
        format!("not a Tesseract 5 library: {e}")
    }

    impl Drop for Tesseract {
        fn drop(&mut self) {
            // SAFETY: the handle is live and deleted once, before the
            // library is unloaded (fields drop after this).
            unsafe { (self.api.delete)(self.handle) }
        }
    }
}

impl Journal {
    /// The oldest image waiting to be read, with its bytes.
    pub fn next_ocr_job(&self) -> Result<Option<(i64, Vec<u8>)>> {
        let id: Option<i64> = self
            .read()
            .query_row(
                "SELECT o.attachment_id FROM attachment_ocr o JOIN attachments a ON a.id = o.attachment_id
                  WHERE o.state = 'pending' AND a.deleted_ms IS NULL
                  ORDER BY o.attachment_id LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        match id {
            Some(id) => match self.attachment_bytes(id) {
                Ok((_, bytes)) => Ok(Some((id, bytes))),
                // A stored file that is missing or altered is not read
                // (verify_evidence reports it); the next one is.
                Err(e) => {
                    self.read().execute(
                        "UPDATE attachment_ocr SET state = 'failed', detail = ?2 WHERE attachment_id = ?1",
                        params![id, e.to_string()],
                    )?;
                    self.next_ocr_job()
                }
            },
            None => Ok(None),
        }
    }

    /// Writes what reading an image came to: its text into the attachment
    /// and the search index.
    pub fn record_ocr(&mut self, attachment_id: i64, outcome: OcrOutcome) -> Result<()> {
        let now = At::now().utc_ms;
        self.write(|tx| {
            match &outcome {
                OcrOutcome::Text {
                    text,
                    engine,
                    took_ms,
                } => {
                    tx.execute(
                        "UPDATE attachments SET text = ?2 WHERE id = ?1",
                        params![attachment_id, text],
                    )?;
                    let a = evidence::get(tx, attachment_id)?;
                    evidence::reindex(tx, &a, text)?;
                    tx.execute(
                        "UPDATE attachment_ocr SET state = 'done', engine = ?2, detail = '', took_ms = ?3, done_ms = ?4
                          WHERE attachment_id = ?1",
                        params![attachment_id, engine, took_ms, now],
                    )?;
                }
                OcrOutcome::Failed { engine, detail } => {
                    tx.execute(
                        "UPDATE attachment_ocr SET state = 'failed', engine = ?2, detail = ?3, done_ms = ?4
                          WHERE attachment_id = ?1",
                        params![attachment_id, engine, detail, now],
                    )?;
                }
                OcrOutcome::Unavailable { detail } => {
                    tx.execute(
                        "UPDATE attachment_ocr SET state = 'unavailable', detail = ?2 WHERE attachment_id = ?1",
                        params![attachment_id, detail],
                    )?;
                }
            }
            Ok(())
        })
    }

    /// Puts the images that waited for an engine back in the queue (once
    /// one is there).
    pub fn requeue_unavailable_ocr(&mut self) -> Result<usize> {
        self.write(|tx| {
            Ok(tx.execute(
                "UPDATE attachment_ocr SET state = 'pending' WHERE state = 'unavailable'",
                [],
            )?)
        })
    }

    /// How many images are read, waiting, failed or waiting for an engine.
    pub fn ocr_progress(&self) -> Result<OcrProgress> {
        let mut p = OcrProgress::default();
        let mut stmt = self.read().prepare(
            "SELECT o.state, count(*) FROM attachment_ocr o JOIN attachments a ON a.id = o.attachment_id
              WHERE a.deleted_ms IS NULL GROUP BY o.state",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?)))?;
        for row in rows {
            let (state, n) = row?;
            match OcrState::parse(&state) {
                OcrState::Pending => p.pending = n,
                OcrState::Done => p.done = n,
                OcrState::Failed => p.failed = n,
                OcrState::Unavailable => p.unavailable = n,
            }
        }
        Ok(p)
    }

    /// The images of a case with their text and where their reading stands.
    pub fn image_texts(&self, case_id: i64) -> Result<Vec<ImageText>> {
        image_texts(self.read(), case_id)
    }

    /// Reads every waiting image now (the CLI's way; the app reads in the
    /// background). `each` hears the progress after every image.
    pub fn read_waiting_images(
        &mut self,
        engine: &mut Engine,
        mut each: impl FnMut(i64, &OcrOutcome),
    ) -> Result<usize> {
        let mut n = 0;
        while let Some((id, bytes)) = self.next_ocr_job()? {
            let outcome = engine.read(&bytes);
            let stop = matches!(outcome, OcrOutcome::Unavailable { .. });
            self.record_ocr(id, outcome.clone())?;
            each(id, &outcome);
            n += 1;
            if stop {
                break;
            }
        }
        Ok(n)
    }
}

pub(crate) fn image_texts(conn: &rusqlite::Connection, case_id: i64) -> Result<Vec<ImageText>> {
    let mut stmt = conn.prepare(
        "SELECT o.attachment_id, o.state, coalesce(a.text, ''), o.engine, o.detail
           FROM attachment_ocr o JOIN attachments a ON a.id = o.attachment_id
          WHERE a.case_id = ?1 AND a.deleted_ms IS NULL ORDER BY o.attachment_id",
    )?;
    let rows = stmt.query_map([case_id], |r| {
        Ok(ImageText {
            attachment_id: r.get(0)?,
            state: OcrState::parse(&r.get::<_, String>(1)?),
            text: r.get(2)?,
            engine: r.get(3)?,
            detail: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

impl OcrState {
    /// The stored key (for tests and logs).
    pub fn as_str(self) -> &'static str {
        self.key()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tesseract_spaces_between_chinese_characters_go() {
        assert_eq!(
            tidy("您 好 ， 工 单 号 TK20241130088123\n\n\n已 为 您 退 款  ¥1,299.00\n"),
            "您好，工单号TK20241130088123\n已为您退款¥1,299.00"
        );
        assert_eq!(tidy("Case ID: PP-D-301234567"), "Case ID: PP-D-301234567");
    }
}
