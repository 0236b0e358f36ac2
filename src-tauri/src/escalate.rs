//! Escalation: the case summary export and complaint letter (saved where the
//! user picks in the native save dialog, written in Rust), the escalation
//! route of a case, and backup/restore of the whole journal.

use std::path::PathBuf;

use casebook::backup::{BackupReport, RestoreReport};
use casebook::cases::Case;
use casebook::error::ErrorPayload;
use casebook::escalation::{RouteInfo, Routes};
use casebook::export::letter::{Letter, LetterTo};
use casebook::export::{ExportFormat, ExportOptions, Lang};
use casebook::time::At;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use crate::commands::{Shared, pool};

type Reply<T> = Result<T, ErrorPayload>;

/// Asks where to save; `None` when the user cancels.
async fn save_dialog(
    app: &AppHandle,
    name: String,
    filter: (&str, &[&str]),
) -> Reply<Option<PathBuf>> {
    let dialog = app
        .dialog()
        .file()
        .set_file_name(name)
        .add_filter(filter.0, filter.1);
    let picked = tauri::async_runtime::spawn_blocking(move || dialog.blocking_save_file())
        .await
        .map_err(|_| ErrorPayload::internal("opening the save dialog"))?;
    Ok(picked.and_then(|f| f.into_path().ok()))
}

/// Exports the case summary to a file the user picks. Returns where it was
/// saved, or `None` if the dialog was cancelled.
#[tauri::command]
pub async fn export_case(
    app: AppHandle,
    state: State<'_, Shared>,
    case_id: i64,
    format: ExportFormat,
    lang: Lang,
    redact: bool,
) -> Reply<Option<String>> {
    let name = format!(
        "casebook-case-{case_id}-{}.{}",
        At::now().local_date(),
        format.extension()
    );
    let ext = format.extension();
    let Some(path) = save_dialog(&app, name, ("Case summary", &[ext])).await? else {
        return Ok(None);
    };
    let shown = path.display().to_string();
    pool(&state)?
        .run("exporting the case", move |j| {
            let opts = ExportOptions {
                lang,
                redact,
                exported_at: At::now(),
            };
            let bytes = j.export_case(case_id, format, opts)?;
            casebook::export::save(&path, &bytes)
        })
        .await?;
    Ok(Some(shown))
}

/// A complaint letter drafted from the case, for the user to edit.
#[tauri::command]
pub async fn draft_letter(
    state: State<'_, Shared>,
    case_id: i64,
    to: LetterTo,
    lang: Lang,
) -> Reply<Letter> {
    pool(&state)?
        .run("drafting the letter", move |j| {
            j.complaint_letter(case_id, to, lang)
        })
        .await
}

/// Saves the (edited) letter as a text file the user picks.
#[tauri::command]
pub async fn save_letter(app: AppHandle, case_id: i64, text: String) -> Reply<Option<String>> {
    let name = format!("complaint-letter-case-{case_id}.txt");
    save_text_as(&app, name, text, "saving the letter").await
}

/// Saves `text` as a text file where the user picks (`name` offered):
/// where it went, or `None` if the dialog was cancelled.
pub(crate) async fn save_text_as(
    app: &AppHandle,
    name: String,
    text: String,
    what: &'static str,
) -> Reply<Option<String>> {
    let Some(path) = save_dialog(app, name, ("Text", &["txt"])).await? else {
        return Ok(None);
    };
    let shown = path.display().to_string();
    tauri::async_runtime::spawn_blocking(move || casebook::export::save(&path, text.as_bytes()))
        .await
        .map_err(|_| ErrorPayload::internal(what))??;
    Ok(Some(shown))
}

/// The escalation routes Casebook knows.
#[tauri::command]
pub fn escalation_routes() -> Vec<RouteInfo> {
    Routes::builtin().infos()
}

#[tauri::command]
pub async fn set_case_escalation(
    state: State<'_, Shared>,
    case_id: i64,
    route: Option<String>,
    first_complaint: Option<String>,
) -> Reply<Case> {
    pool(&state)?
        .run("saving the escalation route", move |j| {
            j.set_case_escalation(case_id, route.as_deref(), first_complaint.as_deref())
        })
        .await
}

/// Backs the whole journal up to an archive the user picks.
#[tauri::command]
pub async fn backup_journal(
    app: AppHandle,
    state: State<'_, Shared>,
) -> Reply<Option<BackupReport>> {
    let name = format!("casebook-backup-{}.tar", At::now().local_date());
    let Some(path) = save_dialog(&app, name, ("Casebook backup", &["tar"])).await? else {
        return Ok(None);
    };
    pool(&state)?
        .run("backing up the journal", move |j| j.backup(&path))
        .await
        .map(Some)
}

/// Replaces the journal with a backup the user picks. What was there is
/// moved aside, never deleted.
#[tauri::command]
pub async fn restore_journal(
    app: AppHandle,
    state: State<'_, Shared>,
    passphrase: Option<String>,
) -> Reply<Option<RestoreReport>> {
    let dialog = app.dialog().file().add_filter("Casebook backup", &["tar"]);
    let picked = tauri::async_runtime::spawn_blocking(move || dialog.blocking_pick_file())
        .await
        .map_err(|_| ErrorPayload::internal("opening the file dialog"))?;
    let Some(archive) = picked.and_then(|f| f.into_path().ok()) else {
        return Ok(None);
    };
    let pool = pool(&state)?.clone();
    tauri::async_runtime::spawn_blocking(move || pool.restore(&archive, passphrase.as_deref()))
        .await
        .map_err(|_| ErrorPayload::internal("restoring the backup"))?
        .map(Some)
}
