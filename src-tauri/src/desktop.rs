//! How the app lives on the desktop: its window is made when it is needed,
//! a tray icon (opt-in) keeps Casebook running while the window is closed so
//! reminders still arrive, and it can start hidden at login (`--hidden`).
//!
//! Closing the window destroys it with its webview, so a Casebook waiting in
//! the tray runs no web process; opening it from the tray or from a reminder
//! makes the window again. The choice is this computer's, kept in
//! `desktop.json` beside the app's configuration (not in the journal: the
//! tray starts before a locked journal can be read).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::Mutex;

use casebook::error::{Error, ErrorPayload, Problem};
use casebook::model::Lang;
use casebook::reminders::ReminderTarget;
use casebook::settings::DesktopSettings;
use tauri::menu::{Menu, MenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Emitter, Manager, State, WebviewWindow, WebviewWindowBuilder};

use crate::commands::Shared;

type Reply<T> = Result<T, ErrorPayload>;

/// The main window's label (tauri.conf.json, where it is not created at
/// start).
const MAIN: &str = "main";
const TRAY_ID: &str = "casebook";
/// The argument the login entry starts the app with.
pub const HIDDEN_ARG: &str = "--hidden";

/// The tray choice as it stands, and what a clicked reminder waits to open
/// in a window that is still being made.
#[derive(Default)]
pub struct Desktop {
    tray: Mutex<bool>,
    pending: Mutex<Option<ReminderTarget>>,
}

fn config_file(app: &AppHandle) -> Option<PathBuf> {
    app.path()
        .app_config_dir()
        .ok()
        .map(|d| d.join("desktop.json"))
}

fn load(app: &AppHandle) -> DesktopSettings {
    let mut s: DesktopSettings = config_file(app)
        .and_then(|p| std::fs::read(p).ok())
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    // Whether the system starts Casebook at login is the system's to say.
    s.start_at_login = login::enabled(app);
    s
}

fn save(app: &AppHandle, s: DesktopSettings) -> Result<(), String> {
    let path = config_file(app).ok_or("no configuration folder")?;
    let dir = path.parent().ok_or("no configuration folder")?;
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, serde_json::to_vec(&s).map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    std::fs::rename(&tmp, &path).map_err(|e| e.to_string())
}

/// At start: the tray when chosen, and the window unless started hidden
/// with a tray to open it from.
pub fn start(app: &AppHandle) {
    let settings = load(app);
    let tray = settings.tray && show_tray(app).is_ok();
    *app.state::<Desktop>().tray.lock().unwrap() = tray;
    let hidden = std::env::args().any(|a| a == HIDDEN_ARG);
    if hidden && tray {
        eprintln!("casebook-app: started hidden in the tray");
    } else if let Err(e) = show_window(app) {
        eprintln!("casebook-app: the window could not be made: {e}");
    }
}

/// Whether closing the last window leaves Casebook running (in the tray).
pub fn keeps_running(app: &AppHandle) -> bool {
    *app.state::<Desktop>().tray.lock().unwrap()
}

/// Brings the window up, making it (and its webview) when it was closed.
pub fn show_window(app: &AppHandle) -> tauri::Result<WebviewWindow> {
    if let Some(w) = app.get_webview_window(MAIN) {
        let _ = w.show();
        let _ = w.unminimize();
        let _ = w.set_focus();
        return Ok(w);
    }
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == MAIN)
        .cloned()
        .ok_or_else(|| tauri::Error::WindowNotFound)?;
    WebviewWindowBuilder::from_config(app, &config)?.build()
}

/// Opens the window from the tray. It is made from another thread, through
/// the event loop, as at start: made inside the menu's own event, its first
/// close request was sometimes lost (1 in 4 under Xvfb).
fn open_window(app: &AppHandle) {
    let app = app.clone();
    std::thread::spawn(move || {
        if let Err(e) = show_window(&app) {
            eprintln!("casebook-app: the window could not be made: {e}");
        }
    });
}

/// Opens an entry for a clicked reminder: in the window if it is open, else
/// in a new one, which asks for it once loaded (`take_reminder_open`).
pub fn open_entry(app: &AppHandle, target: ReminderTarget) {
    if let Some(w) = app.get_webview_window(MAIN) {
        let _ = w.show();
        let _ = w.unminimize();
        let _ = w.set_focus();
        let _ = app.emit("reminder-open", target);
        return;
    }
    *app.state::<Desktop>().pending.lock().unwrap() = Some(target);
    open_window(app);
}

/// The tray's language: the journal's setting when it can be read, else the
/// locale.
fn tray_lang(app: &AppHandle) -> Lang {
    let setting = app
        .state::<Shared>()
        .inner()
        .as_ref()
        .ok()
        .and_then(|p| p.run_blocking(|j| j.settings()).ok())
        .and_then(|r| r.ok())
        .and_then(|s| s.language);
    crate::reminders::lang(setting)
}

/// Shows the tray icon (on the main thread). Its menu opens the window or
/// quits; a click on the icon, where the system reports one, opens it.
fn show_tray(app: &AppHandle) -> Result<(), String> {
    if app.tray_by_id(TRAY_ID).is_some() {
        return Ok(());
    }
    let lang = tray_lang(app);
    let open = MenuItem::with_id(
        app,
        "open",
        lang.pick("Open Casebook", "打开 Casebook"),
        true,
        None::<&str>,
    )
    .map_err(|e| e.to_string())?;
    let quit = MenuItem::with_id(
        app,
        "quit",
        lang.pick("Quit Casebook", "退出 Casebook"),
        true,
        None::<&str>,
    )
    .map_err(|e| e.to_string())?;
    let menu = Menu::with_items(app, &[&open, &quit]).map_err(|e| e.to_string())?;
    let mut builder = TrayIconBuilder::with_id(TRAY_ID)
        .menu(&menu)
        .tooltip("Casebook")
        .on_menu_event(|app, event| match event.id().as_ref() {
            "open" => open_window(app),
            "quit" => app.exit(0),
            _ => {}
        })
        .on_tray_icon_event(|tray, event| {
            if let tauri::tray::TrayIconEvent::Click {
                button: tauri::tray::MouseButton::Left,
                button_state: tauri::tray::MouseButtonState::Up,
                ..
            } = event
            {
                open_window(tray.app_handle());
            }
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    // Without libayatana-appindicator the Linux tray library panics.
    match catch_unwind(AssertUnwindSafe(|| builder.build(app))) {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("the indicator library (libayatana-appindicator3) is missing".into()),
    }
}

fn hide_tray(app: &AppHandle) {
    drop(app.remove_tray_by_id(TRAY_ID));
}

/// Runs `f` on the main thread (where the tray must be made) and waits.
async fn on_main<T: Send + 'static>(
    app: &AppHandle,
    f: impl FnOnce(&AppHandle) -> T + Send + 'static,
) -> Reply<T> {
    let (tx, rx) = tauri::async_runtime::channel(1);
    let handle = app.clone();
    app.run_on_main_thread(move || {
        let _ = tx.blocking_send(f(&handle));
    })
    .map_err(|_| ErrorPayload::internal("the tray"))?;
    let mut rx = rx;
    rx.recv()
        .await
        .ok_or_else(|| ErrorPayload::internal("the tray"))
}

/// The tray and login choices as they stand.
#[tauri::command]
pub async fn desktop_settings(app: AppHandle) -> Reply<DesktopSettings> {
    let mut s = load(&app);
    s.tray = keeps_running(&app);
    Ok(s)
}

/// Applies the user's tray and login choices; when one cannot be applied,
/// says why and leaves both as they were.
#[tauri::command]
pub async fn set_desktop_settings(
    app: AppHandle,
    settings: DesktopSettings,
) -> Reply<DesktopSettings> {
    let now = DesktopSettings {
        tray: keeps_running(&app),
        start_at_login: login::enabled(&app),
    };
    let next = now.changed_to(settings);
    if next.tray && !now.tray {
        on_main(&app, show_tray).await?.map_err(|detail| {
            ErrorPayload::from(Error::Conflict(Problem::TrayUnavailable { detail }))
        })?;
    }
    if next.start_at_login != now.start_at_login {
        let done = if next.start_at_login {
            login::enable(&app)
        } else {
            login::disable(&app)
        };
        if let Err(detail) = done {
            if next.tray && !now.tray {
                on_main(&app, hide_tray).await?;
            }
            return Err(Error::Conflict(Problem::StartAtLoginFailed { detail }).into());
        }
    }
    if !next.tray && now.tray {
        on_main(&app, hide_tray).await?;
    }
    *app.state::<Desktop>().tray.lock().unwrap() = next.tray;
    if let Err(e) = save(&app, next) {
        eprintln!("casebook-app: the tray choice could not be kept: {e}");
    }
    Ok(next)
}

/// The entry a clicked reminder asked a new window to open, once.
#[tauri::command]
pub async fn take_reminder_open(state: State<'_, Desktop>) -> Reply<Option<ReminderTarget>> {
    Ok(state.pending.lock().unwrap().take())
}

/// Starting at login. On Linux, an XDG autostart entry in
/// `$XDG_CONFIG_HOME/autostart` (the `auto-launch` crate writes to
/// `~/.config/autostart` whatever XDG_CONFIG_HOME says, which desktops that
/// follow the variable do not read). Elsewhere not yet: the setting says
/// so.
mod login {
    use std::path::PathBuf;

    use tauri::{AppHandle, Manager};

    fn entry(app: &AppHandle) -> Option<PathBuf> {
        app.path()
            .config_dir()
            .ok()
            .map(|d| d.join("autostart").join("casebook.desktop"))
    }

    pub fn enabled(app: &AppHandle) -> bool {
        cfg!(target_os = "linux") && entry(app).is_some_and(|p| p.exists())
    }

    /// An argument of a desktop entry's `Exec` key, quoted as the
    /// specification asks: inside double quotes, `"`, `` ` ``, `$` and `\`
    /// escaped, then `\` escaped again as a string value; `%` doubled.
    pub(super) fn exec_arg(arg: &str) -> String {
        let plain = !arg.is_empty()
            && arg
                .chars()
                .all(|c| c.is_alphanumeric() || "/-_.+,:=@".contains(c));
        if plain {
            return arg.to_string();
        }
        let mut out = String::from("\"");
        for c in arg.chars() {
            match c {
                '"' | '`' | '$' => {
                    out.push_str("\\\\");
                    out.push(c);
                }
                '\\' => out.push_str("\\\\\\\\"),
                '%' => out.push_str("%%"),
                '\n' | '\r' | '\t' => out.push(' '),
                _ => out.push(c),
            }
        }
        out.push('"');
        out
    }

    pub(super) fn entry_text(exe: &str) -> String {
        format!(
            "[Desktop Entry]\nType=Application\nName=Casebook\n\
             Comment=Reminders for your cases (starts hidden in the tray)\n\
             Exec={} {}\nIcon=casebook-app\nTerminal=false\nNoDisplay=true\n\
             X-GNOME-Autostart-enabled=true\n",
            exec_arg(exe),
            super::HIDDEN_ARG
        )
    }

    pub fn enable(app: &AppHandle) -> Result<(), String> {
        if !cfg!(target_os = "linux") {
            return Err("not available on this system yet".into());
        }
        let path = entry(app).ok_or("no configuration folder")?;
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let exe = exe.to_str().ok_or("the program's path is not text")?;
        let dir = path.parent().ok_or("no configuration folder")?;
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let tmp = path.with_extension("desktop.tmp");
        std::fs::write(&tmp, entry_text(exe)).map_err(|e| e.to_string())?;
        std::fs::rename(&tmp, &path).map_err(|e| e.to_string())
    }

    pub fn disable(app: &AppHandle) -> Result<(), String> {
        match entry(app) {
            Some(p) if p.exists() => std::fs::remove_file(p).map_err(|e| e.to_string()),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::login::{entry_text, exec_arg};

    #[test]
    fn the_login_entry_quotes_the_program_path() {
        assert_eq!(exec_arg("/usr/bin/casebook-app"), "/usr/bin/casebook-app");
        assert_eq!(
            exec_arg("/home/李雷/My Apps/casebook-app"),
            "\"/home/李雷/My Apps/casebook-app\""
        );
        assert_eq!(exec_arg("/opt/a$b\"c%"), "\"/opt/a\\\\$b\\\\\"c%%\"");
        let text = entry_text("/usr/bin/casebook-app");
        assert!(
            text.contains("\nExec=/usr/bin/casebook-app --hidden\n"),
            "{text}"
        );
        assert!(text.starts_with("[Desktop Entry]\nType=Application\n"));
    }
}
