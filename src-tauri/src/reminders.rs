//! Reminders as desktop notifications, from the app: at start, every five
//! minutes while it runs, after an unlock and when the Due view is opened.
//! What to tell, and that each is told once, is the core's
//! (`Journal::reminders`, `mark_reminded`); this file shows them and, when
//! the user clicks one, brings the window up on the entry
//! (`reminder-open`).

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use casebook::error::ErrorPayload;
use casebook::model::Lang;
use casebook::reminders::Reminder;
use casebook::time::At;
use tauri::{AppHandle, Manager};

use crate::commands::Shared;

type Reply<T> = Result<T, ErrorPayload>;

/// How often the running app looks for reminders.
const EVERY: Duration = Duration::from_secs(5 * 60);

/// Whether a check is running.
#[derive(Default)]
pub struct Checker {
    running: AtomicBool,
}

/// Checks now, then every five minutes, for as long as the app runs.
pub fn start(app: &AppHandle) {
    let app = app.clone();
    std::thread::spawn(move || {
        loop {
            check(&app);
            std::thread::sleep(EVERY);
        }
    });
}

/// The language of notifications: the journal's setting, else the locale.
pub(crate) fn lang(setting: Option<Lang>) -> Lang {
    setting.unwrap_or_else(|| {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()))
            .unwrap_or_default();
        if locale.to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    })
}

/// Shows the reminders due now and records those shown; returns how many.
/// A locked journal, or a check already running, shows nothing.
pub fn check(app: &AppHandle) -> usize {
    let Some(pool) = app.state::<Shared>().inner().as_ref().ok().cloned() else {
        return 0;
    };
    let checker = app.state::<Checker>();
    if checker.running.swap(true, Ordering::SeqCst) {
        return 0;
    }
    let now = At::now();
    let mut told = Vec::new();
    if let Ok(Ok((due, lang))) = pool.run_blocking(|j| {
        let lang = lang(j.settings()?.language);
        Ok((j.reminders(now, lang)?, lang))
    }) {
        for r in due {
            match show(app, &r, lang) {
                Ok(()) => told.push(r),
                Err(detail) => {
                    // No notification service: nothing is marked as told,
                    // so the next check tries again. Nothing from the
                    // journal is printed.
                    eprintln!("casebook-app: a reminder could not be shown: {detail}");
                    break;
                }
            }
        }
    }
    if !told.is_empty() {
        let _ = pool.run_blocking(|j| j.mark_reminded(&told, now));
    }
    checker.running.store(false, Ordering::SeqCst);
    told.len()
}

fn show(app: &AppHandle, r: &Reminder, lang: Lang) -> Result<(), String> {
    // The D-Bus handle cannot change threads: one thread shows the
    // notification and then waits for its click (or its closing).
    let (shown, answer) = std::sync::mpsc::sync_channel(1);
    let note = notify_rust::Notification::new()
        .appname("Casebook")
        .summary(&r.title)
        .body(&r.body_escaped())
        .icon("casebook-app")
        .action("default", lang.pick("Open", "打开"))
        .finalize();
    let app = app.clone();
    let target = r.target();
    std::thread::spawn(move || match note.show() {
        Ok(handle) => {
            let _ = shown.send(Ok(()));
            handle.wait_for_action(|action| {
                if action == "default" {
                    crate::desktop::open_entry(&app, target);
                }
            });
        }
        Err(e) => {
            let _ = shown.send(Err(e.to_string()));
        }
    });
    answer
        .recv_timeout(Duration::from_secs(30))
        .unwrap_or_else(|_| Err("the notification service did not answer".into()))
}

/// Looks for reminders now (the Due view asks when it opens); returns how
/// many were shown.
#[tauri::command]
pub async fn check_reminders(app: AppHandle) -> Reply<u32> {
    let shown = tauri::async_runtime::spawn_blocking(move || check(&app))
        .await
        .unwrap_or(0);
    Ok(shown as u32)
}
