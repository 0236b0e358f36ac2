//! Casebook desktop app: the Tauri shell. All domain logic is in the
//! `casebook` core; `commands` adapts it, `pool` runs it off the UI thread.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod escalate;
mod files;
mod lock;
mod pool;

use casebook::db;
use tauri::Manager;

fn main() {
    // WebKitGTK's DMA-BUF renderer shows blank windows on some GPU drivers and
    // under Xvfb, and costs ~90 MB more memory there; the shared-memory
    // renderer works everywhere. A user who sets the variable keeps theirs.
    #[cfg(target_os = "linux")]
    #[allow(unsafe_code)]
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        // SAFETY: single-threaded at this point; nothing reads the environment concurrently.
        unsafe { std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1") };
    }
    // The same journal as the CLI: --data-dir is not available here, so
    // CASEBOOK_DATA_DIR, then the platform data directory.
    let state: commands::Shared = db::resolve_data_dir(None)
        .map_err(Into::into)
        .and_then(pool::Pool::open);
    // One line at start, so a log shows the app ran; nothing from the
    // journal is ever printed.
    eprintln!(
        "casebook-app: started, version {}",
        env!("CARGO_PKG_VERSION")
    );
    if let Err(e) = &state {
        eprintln!("casebook: {}", e.message);
    }
    // Copies for the system viewer that a crashed run left behind.
    if let Ok(pool) = &state {
        casebook::evidence::remove_stale_open_copies(pool.dir());
    }
    let idle_pool = state.as_ref().ok().cloned();
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(state)
        .manage(files::Drops::default())
        .register_asynchronous_uri_scheme_protocol("evidence", |ctx, request, responder| {
            let app = ctx.app_handle().clone();
            let path = request.uri().path().to_string();
            tauri::async_runtime::spawn_blocking(move || {
                responder.respond(files::serve(&app, &path))
            });
        })
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                files::Drops::dropped(window.app_handle(), paths.clone());
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::journal_info,
            commands::checklist,
            commands::list_cases,
            commands::create_case,
            commands::case_detail,
            commands::set_case_status,
            commands::set_checklist_item,
            commands::add_contact,
            commands::replace_contact,
            commands::set_follow_up_done,
            commands::delete_contact,
            commands::restore_contact,
            commands::contact_history,
            commands::trashed_contacts,
            commands::save_call,
            commands::add_note,
            commands::edit_note,
            commands::delete_note,
            commands::restore_note,
            commands::note_history,
            commands::add_transaction,
            commands::delete_transaction,
            commands::restore_transaction,
            commands::search,
            commands::due,
            commands::providers,
            commands::shield_check,
            commands::shield_mask,
            commands::official_channels,
            commands::add_official_channel,
            commands::remove_official_channel,
            commands::report_scam,
            commands::check_channel,
            files::attach_dropped,
            files::attach_picked,
            files::open_attachment,
            files::save_attachment_copy,
            files::verify_evidence,
            files::preview_statement,
            files::statement_columns,
            files::import_statement,
            files::mappings,
            escalate::export_case,
            escalate::draft_letter,
            escalate::save_letter,
            escalate::escalation_routes,
            escalate::set_case_escalation,
            escalate::backup_journal,
            escalate::restore_journal,
            lock::protection,
            lock::unlock,
            lock::lock,
            lock::set_passphrase,
            lock::decline_passphrase,
            lock::change_passphrase,
            lock::reset_passphrase,
            lock::recovery_key,
            lock::set_idle_lock,
            lock::touch,
            lock::save_recovery_key,
            lock::passphrase_strength,
            lock::change_data_key,
        ])
        .setup(move |app| {
            if let Some(pool) = idle_pool {
                lock::watch_idle(app.handle().clone(), pool);
            }
            Ok(())
        })
        .build(tauri::generate_context!())
        .expect("the Casebook window could not start")
        .run(|_, event| {
            if let tauri::RunEvent::Exit = event {
                // Copies decrypted for the system viewer do not outlive the app.
                casebook::evidence::remove_open_copies();
            }
        });
}
