//! Reading the text of attached screenshots in the background: one worker
//! thread at a time takes the waiting images one by one (the core's
//! `next_ocr_job` / `record_ocr`), reads each outside any transaction and
//! tells the window how far it is (`ocr-progress`). Attaching never waits.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use casebook::error::ErrorPayload;
use casebook::ocr::{Engine, OcrOutcome, OcrProgress};
use serde::Serialize;
use tauri::{AppHandle, Emitter, Manager, State};

use crate::commands::{Shared, pool};
use crate::pool::Pool;

type Reply<T> = Result<T, ErrorPayload>;

/// Whether the worker is running.
#[derive(Default)]
pub struct Worker {
    running: AtomicBool,
}

/// What the window hears after each image.
#[derive(Clone, Serialize)]
pub struct Progress {
    #[serde(flatten)]
    pub counts: OcrProgress,
    /// The case of the image just read, to refresh it.
    pub attachment_id: Option<i64>,
    /// Set when no engine or language model is on this computer.
    pub unavailable_reason: Option<String>,
}

/// Starts the worker unless it runs already.
pub fn kick(app: &AppHandle) {
    let Some(pool) = app.state::<Shared>().inner().as_ref().ok().cloned() else {
        return;
    };
    let worker = app.state::<Worker>();
    if worker.running.swap(true, Ordering::SeqCst) {
        return;
    }
    let app = app.clone();
    std::thread::spawn(move || {
        let recorded = run(&app, &pool);
        app.state::<Worker>().running.store(false, Ordering::SeqCst);
        // An image attached while the last one was being read. A run that
        // could record nothing (a read-only or locked journal) stops here:
        // the next attach, unlock or start tries again.
        let waiting = pool
            .run_blocking(|j| j.ocr_progress())
            .ok()
            .and_then(Result::ok)
            .is_some_and(|p| p.pending > 0);
        if waiting && recorded > 0 {
            kick(&app);
        }
    });
}

fn tell(app: &AppHandle, pool: &Pool, attachment_id: Option<i64>, unavailable: Option<String>) {
    if let Ok(Ok(counts)) = pool.run_blocking(|j| j.ocr_progress()) {
        let _ = app.emit(
            "ocr-progress",
            Progress {
                counts,
                attachment_id,
                unavailable_reason: unavailable,
            },
        );
    }
}

/// Reads the waiting images; returns how many outcomes it recorded.
fn run(app: &AppHandle, pool: &Arc<Pool>) -> usize {
    // Nothing to do (or the journal is locked): the engine is not loaded.
    if !matches!(pool.run_blocking(|j| j.ocr_progress()), Ok(Ok(p)) if p.pending > 0) {
        return 0;
    }
    let mut recorded = 0;
    let mut engine = match Engine::new() {
        Ok(e) => e,
        Err(detail) => {
            while let Ok(Ok(Some((id, _)))) = pool.run_blocking(|j| j.next_ocr_job()) {
                let outcome = OcrOutcome::Unavailable {
                    detail: detail.clone(),
                };
                if !matches!(pool.run_blocking(|j| j.record_ocr(id, outcome)), Ok(Ok(()))) {
                    break;
                }
                recorded += 1;
            }
            tell(app, pool, None, Some(detail));
            return recorded;
        }
    };
    while let Ok(Ok(Some((id, bytes)))) = pool.run_blocking(|j| j.next_ocr_job()) {
        let outcome = engine.read(&bytes);
        let unavailable = match &outcome {
            OcrOutcome::Unavailable { detail } => Some(detail.clone()),
            _ => None,
        };
        if !matches!(pool.run_blocking(|j| j.record_ocr(id, outcome)), Ok(Ok(()))) {
            break;
        }
        recorded += 1;
        tell(app, pool, Some(id), unavailable.clone());
        if unavailable.is_some() {
            break;
        }
    }
    recorded
}

/// How many screenshots are read, waiting, failed or waiting for an engine
/// (and starts reading the waiting ones).
#[tauri::command]
pub async fn ocr_progress(app: AppHandle, state: State<'_, Shared>) -> Reply<OcrProgress> {
    let p = pool(&state)?
        .run("reading screenshots", |j| j.ocr_progress())
        .await?;
    if p.pending > 0 {
        kick(&app);
    }
    Ok(p)
}

/// Reads again the screenshots that waited for an engine.
#[tauri::command]
pub async fn retry_ocr(app: AppHandle, state: State<'_, Shared>) -> Reply<OcrProgress> {
    let p = pool(&state)?
        .run("reading screenshots", |j| {
            j.requeue_unavailable_ocr()?;
            j.ocr_progress()
        })
        .await?;
    kick(&app);
    Ok(p)
}
