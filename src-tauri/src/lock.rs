//! Passphrase, lock and unlock. Argon2id and encrypting a journal take
//! time, so each command runs on a blocking thread; passphrases are never
//! logged and the error never says which part was wrong.

use std::sync::Arc;

use casebook::error::ErrorPayload;
use casebook::vault::{self, Protection};
use tauri::{AppHandle, Emitter, State};

use crate::commands::{Shared, pool};
use crate::pool::Pool;

type Reply<T> = Result<T, ErrorPayload>;

/// The event the window gets when the app locked itself after the idle time.
pub const LOCKED_EVENT: &str = "casebook://locked";

async fn blocking<T: Send + 'static>(
    pool: &Arc<Pool>,
    what: &'static str,
    f: impl FnOnce(&Pool) -> Reply<T> + Send + 'static,
) -> Reply<T> {
    let pool = Arc::clone(pool);
    tauri::async_runtime::spawn_blocking(move || f(&pool))
        .await
        .map_err(|_| ErrorPayload::internal(what))?
}

#[tauri::command]
pub async fn protection(state: State<'_, Shared>) -> Reply<Protection> {
    pool(&state)?.protection()
}

#[tauri::command]
pub async fn unlock(app: AppHandle, state: State<'_, Shared>, passphrase: String) -> Reply<()> {
    blocking(pool(&state)?, "unlocking", move |p| p.unlock(&passphrase)).await?;
    crate::ocr::kick(&app);
    std::thread::spawn(move || crate::reminders::check(&app));
    Ok(())
}

#[tauri::command]
pub async fn lock(state: State<'_, Shared>) -> Reply<()> {
    pool(&state)?.lock();
    Ok(())
}

/// Turns protection on; the answer is the recovery key, shown once.
#[tauri::command]
pub async fn set_passphrase(state: State<'_, Shared>, passphrase: String) -> Reply<String> {
    blocking(pool(&state)?, "protecting the journal", move |p| {
        p.protect(&passphrase)
    })
    .await
}

/// "Not now" to the first-start offer.
#[tauri::command]
pub async fn decline_passphrase(state: State<'_, Shared>) -> Reply<()> {
    Ok(vault::decline_offer(pool(&state)?.dir())?)
}

#[tauri::command]
pub async fn change_passphrase(state: State<'_, Shared>, old: String, new: String) -> Reply<()> {
    blocking(pool(&state)?, "changing the passphrase", move |p| {
        Ok(casebook::protect::change_passphrase(p.dir(), &old, &new)?)
    })
    .await
}

/// A forgotten passphrase: a new one with the recovery key (unlocks too).
#[tauri::command]
pub async fn reset_passphrase(
    state: State<'_, Shared>,
    recovery: String,
    passphrase: String,
) -> Reply<()> {
    blocking(pool(&state)?, "setting a new passphrase", move |p| {
        p.reset(&recovery, &passphrase)
    })
    .await
}

/// A new recovery key, after the passphrase is typed; the old one stops
/// working. Shown once.
#[tauri::command]
pub async fn recovery_key(state: State<'_, Shared>, passphrase: String) -> Reply<String> {
    blocking(pool(&state)?, "making a new recovery key", move |p| {
        let key = casebook::protect::unlock(p.dir(), &passphrase)?;
        Ok(vault::new_recovery_key(p.dir(), &key)?.to_string())
    })
    .await
}

#[tauri::command]
pub async fn set_idle_lock(state: State<'_, Shared>, minutes: u32) -> Reply<()> {
    pool(&state)?.set_idle_lock(minutes)
}

/// Re-encrypts the journal and its files under a new data key; the answer
/// is the new recovery key, shown once.
#[tauri::command]
pub async fn change_data_key(state: State<'_, Shared>, passphrase: String) -> Reply<String> {
    blocking(pool(&state)?, "changing the data key", move |p| {
        p.change_data_key(&passphrase)
    })
    .await
}

/// How hard the passphrase being typed would be to guess (the hint under
/// the field; the only rule is its length).
#[tauri::command]
pub fn passphrase_strength(passphrase: String) -> vault::Strength {
    vault::passphrase_strength(&passphrase)
}

/// The user is active (the window sends this now and then while used).
#[tauri::command]
pub fn touch(state: State<'_, Shared>) {
    if let Ok(p) = pool(&state) {
        p.touch();
    }
}

/// Checks every few seconds whether the idle time has passed, and locks.
pub fn watch_idle(app: AppHandle, pool: Arc<Pool>) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(std::time::Duration::from_secs(5));
            if pool.lock_if_idle() {
                let _ = app.emit(LOCKED_EVENT, ());
            }
        }
    });
}

/// Saves the recovery key to a file the user picks (to print or keep on a
/// USB stick, away from this computer).
#[tauri::command]
pub async fn save_recovery_key(app: AppHandle, key: String) -> Reply<Option<String>> {
    // Only a well-formed key is written: the page cannot write other text.
    vault::check_recovery_text(&key)?;
    let text = format!(
        "Casebook recovery key / Casebook 恢复密钥\n\n{key}\n\nWith this key you can set a new passphrase if you forget yours (Casebook: Forgot your passphrase?). Keep it away from this computer. Anyone with it and your journal files can read the journal.\n如果忘记密码，可以用这个密钥设置新密码。请把它保存在这台电脑以外的安全地方；任何拿到它和日志文件的人都能读取日志。\n"
    );
    crate::escalate::save_text_as(
        &app,
        "casebook-recovery-key.txt".into(),
        text,
        "saving the recovery key",
    )
    .await
}
