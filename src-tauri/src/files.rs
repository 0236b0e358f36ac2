//! Files coming into the journal: picked in the native dialog or dropped on
//! the window, both handled here in Rust. The page never sees or sends a
//! path: a drop gives it a token and the names; a pick happens entirely in
//! Rust. Stored images are served to `<img>` through the `evidence:` scheme,
//! other files open in the OS viewer.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use casebook::error::{ErrorPayload, Problem};
use casebook::evidence::{AttachTo, Attachment, VerifyReport};
use casebook::import::mapping::SavedMapping;
use casebook::import::{
    ImportOptions, ImportReport, MappingGuess, RowFilterForm, Selection, Statement, StatementView,
    guess_mapping as guess_mapping_of,
};
use serde::Serialize;
use tauri::http::{Response, StatusCode, header};
use tauri::{AppHandle, Emitter, Manager, State};
use tauri_plugin_dialog::DialogExt;
use tauri_plugin_opener::OpenerExt;

use crate::commands::{Shared, pool};

type Reply<T> = Result<T, ErrorPayload>;

/// Files dropped on the window, waiting for the page to say which case they
/// belong to.
#[derive(Default)]
pub struct Drops {
    next: Mutex<(u64, HashMap<u64, Vec<PathBuf>>)>,
}

/// What the page learns of a drop.
#[derive(Clone, Serialize)]
pub struct Dropped {
    pub token: u64,
    pub names: Vec<String>,
}

impl Drops {
    /// Keeps the paths of a drop and tells the page.
    pub fn dropped(app: &AppHandle, paths: Vec<PathBuf>) {
        let files: Vec<PathBuf> = paths.into_iter().filter(|p| p.is_file()).collect();
        if files.is_empty() {
            return;
        }
        let names = files
            .iter()
            .map(|p| {
                p.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            })
            .collect();
        let drops = app.state::<Drops>();
        let token = {
            let Ok(mut g) = drops.next.lock() else { return };
            g.0 += 1;
            let token = g.0;
            // Only the latest few drops are kept.
            g.1.retain(|t, _| *t + 8 > token);
            g.1.insert(token, files);
            token
        };
        let _ = app.emit("files-dropped", Dropped { token, names });
    }

    fn take(&self, token: u64) -> Vec<PathBuf> {
        self.next
            .lock()
            .ok()
            .and_then(|mut g| g.1.remove(&token))
            .unwrap_or_default()
    }
}

fn attach_all(
    j: &mut casebook::Journal,
    to: AttachTo,
    paths: &[PathBuf],
) -> casebook::Result<Vec<Attachment>> {
    paths.iter().map(|p| j.attach_path(to, p)).collect()
}

fn target(case_id: i64, contact_id: Option<i64>, transaction_id: Option<i64>) -> AttachTo {
    AttachTo {
        case_id,
        contact_id,
        transaction_id,
    }
}

/// Attaches the files of a drop to a case (or one of its entries).
#[tauri::command]
pub async fn attach_dropped(
    app: AppHandle,
    state: State<'_, Shared>,
    drops: State<'_, Drops>,
    token: u64,
    case_id: i64,
    contact_id: Option<i64>,
    transaction_id: Option<i64>,
) -> Reply<Vec<Attachment>> {
    let paths = drops.take(token);
    let to = target(case_id, contact_id, transaction_id);
    let attached = pool(&state)?
        .run("attaching files", move |j| attach_all(j, to, &paths))
        .await;
    crate::ocr::kick(&app);
    attached
}

/// Opens the native file dialog and attaches the picked files.
#[tauri::command]
pub async fn attach_picked(
    app: AppHandle,
    state: State<'_, Shared>,
    case_id: i64,
    contact_id: Option<i64>,
    transaction_id: Option<i64>,
    statements: bool,
) -> Reply<Vec<Attachment>> {
    let mut dialog = app.dialog().file();
    if statements {
        dialog = dialog.add_filter(
            "Statement (CSV, XLSX)",
            &["csv", "CSV", "xlsx", "XLSX", "txt"],
        );
    }
    let picked = tauri::async_runtime::spawn_blocking(move || dialog.blocking_pick_files())
        .await
        .map_err(|_| ErrorPayload::internal("opening the file dialog"))?;
    let paths: Vec<PathBuf> = picked
        .unwrap_or_default()
        .into_iter()
        .filter_map(|f| f.into_path().ok())
        .collect();
    let to = target(case_id, contact_id, transaction_id);
    let attached = pool(&state)?
        .run("attaching files", move |j| attach_all(j, to, &paths))
        .await;
    crate::ocr::kick(&app);
    attached
}

/// Opens an attachment in the system's viewer (PDFs, e-mails...).
#[tauri::command]
pub async fn open_attachment(app: AppHandle, state: State<'_, Shared>, id: i64) -> Reply<()> {
    let path = pool(&state)?
        .run("opening a file", move |j| j.attachment_copy_to_open(id))
        .await?;
    app.opener()
        .open_path(path.to_string_lossy(), None::<&str>)
        .map_err(|e| ErrorPayload {
            kind: casebook::ErrorKind::Storage,
            problem: Problem::ViewerFailed {
                detail: e.to_string(),
            },
        })
}

/// Saves a copy of an attachment where the user picks; a kind of file the
/// viewer is not given is offered with `.bin` added, so a click never runs
/// it. `None` if the dialog was cancelled.
#[tauri::command]
pub async fn save_attachment_copy(
    app: AppHandle,
    state: State<'_, Shared>,
    id: i64,
) -> Reply<Option<String>> {
    let name = pool(&state)?
        .run("saving a copy", move |j| j.attachment_save_name(id))
        .await?;
    let dialog = app.dialog().file().set_file_name(name);
    let picked = tauri::async_runtime::spawn_blocking(move || dialog.blocking_save_file())
        .await
        .map_err(|_| ErrorPayload::internal("opening the file dialog"))?;
    let Some(path) = picked.and_then(|f| f.into_path().ok()) else {
        return Ok(None);
    };
    let shown = path.display().to_string();
    pool(&state)?
        .run("saving a copy", move |j| j.save_attachment_copy(id, &path))
        .await?;
    Ok(Some(shown))
}

#[tauri::command]
pub async fn verify_evidence(state: State<'_, Shared>) -> Reply<VerifyReport> {
    pool(&state)?
        .run("checking the stored files", |j| j.verify_evidence())
        .await
}

/// The last statement read, so that filtering the preview does not re-read
/// it. It is journal data: the pool clears it when it locks or restores.
#[derive(Default)]
pub struct Previews {
    last: Mutex<Option<(i64, String, std::sync::Arc<Statement>)>>,
}

impl Previews {
    pub fn clear(&self) {
        if let Ok(mut g) = self.last.lock() {
            *g = None;
        }
    }

    pub fn get(&self, attachment_id: i64, key: &str) -> Option<std::sync::Arc<Statement>> {
        let g = self.last.lock().ok()?;
        let (id, k, st) = g.as_ref()?;
        (*id == attachment_id && k == key).then(|| st.clone())
    }

    pub fn put(&self, attachment_id: i64, key: String, st: std::sync::Arc<Statement>) {
        if let Ok(mut g) = self.last.lock() {
            *g = Some((attachment_id, key, st));
        }
    }
}

async fn statement(
    state: &State<'_, Shared>,
    attachment_id: i64,
    options: ImportOptions,
) -> Reply<std::sync::Arc<Statement>> {
    let key = serde_json::to_string(&options).unwrap_or_default();
    let previews = &pool(state)?.previews;
    if let Some(st) = previews.get(attachment_id, &key) {
        return Ok(st);
    }
    let st = pool(state)?
        .run("reading the statement", move |j| {
            let (att, bytes) = j.attachment_bytes(attachment_id)?;
            j.preview_statement(att.case_id, &bytes, &options.for_attachment(&att))
        })
        .await?;
    let st = std::sync::Arc::new(st);
    pool(state)?.previews.put(attachment_id, key, st.clone());
    Ok(st)
}

/// Reads an attached statement and shows the rows passing the filters.
#[tauri::command]
pub async fn preview_statement(
    state: State<'_, Shared>,
    attachment_id: i64,
    options: ImportOptions,
    filter: RowFilterForm,
) -> Reply<StatementView> {
    let filter = filter.parse()?;
    let st = statement(&state, attachment_id, options).await?;
    Ok(st.view(&filter, 500))
}

/// The columns of an attached file in no layout Casebook knows, with the
/// mapping it guesses from their names (offered, never used unasked).
#[tauri::command]
pub async fn guess_mapping(state: State<'_, Shared>, attachment_id: i64) -> Reply<MappingGuess> {
    pool(&state)?
        .run("reading the statement", move |j| {
            let (_, bytes) = j.attachment_bytes(attachment_id)?;
            guess_mapping_of(&bytes)
        })
        .await
}

/// Imports the picked lines of an attached statement into its case.
#[tauri::command]
pub async fn import_statement(
    state: State<'_, Shared>,
    attachment_id: i64,
    options: ImportOptions,
    lines: Vec<usize>,
    save_mapping_as: Option<String>,
) -> Reply<ImportReport> {
    pool(&state)?.previews.clear();
    pool(&state)?
        .run("importing transactions", move |j| {
            let report =
                j.import_attached_statement(attachment_id, &options, &Selection::Lines(lines))?;
            if let (Some(name), Some(m)) = (
                save_mapping_as
                    .as_deref()
                    .map(str::trim)
                    .filter(|n| !n.is_empty()),
                &options.mapping,
            ) {
                j.save_mapping(name, m)?;
            }
            Ok(report)
        })
        .await
}

#[tauri::command]
pub async fn mappings(state: State<'_, Shared>) -> Reply<Vec<SavedMapping>> {
    pool(&state)?
        .run("reading saved mappings", |j| j.mappings())
        .await
}

/// Serves `evidence://localhost/<attachment id>`: the stored bytes of an
/// image attachment, for inline previews. Anything else is 404.
pub fn serve(app: &AppHandle, path: &str) -> Response<Vec<u8>> {
    let not_found = || {
        Response::builder()
            .status(StatusCode::NOT_FOUND)
            .body(Vec::new())
            .expect("static response")
    };
    let Ok(id) = path.trim_start_matches('/').parse::<i64>() else {
        return not_found();
    };
    let state = app.state::<Shared>();
    let Ok(pool) = state.inner().as_ref() else {
        return not_found();
    };
    let Ok(Ok((att, bytes))) = pool.run_blocking(move |j| j.attachment_bytes(id)) else {
        return not_found();
    };
    // Raster images only: an SVG could carry script.
    let previewable = [
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "image/bmp",
    ];
    if !previewable.contains(&att.media_type.as_str()) {
        return not_found();
    }
    Response::builder()
        .header(header::CONTENT_TYPE, att.media_type)
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff")
        // Never kept by the webview: after a lock nothing of the journal
        // may be served from a cache.
        .header(header::CACHE_CONTROL, "no-store")
        .body(bytes)
        .unwrap_or_else(|_| not_found())
}
