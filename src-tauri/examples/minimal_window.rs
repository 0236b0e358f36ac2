//! The baseline for the memory measurement in tests/e2e/measure.py: a Tauri
//! window with an empty page (ui/public/blank.html) and no commands, built with the same Tauri and
//! the same release profile as Casebook.
//!
//!     cargo build --release -p casebook-app --example minimal_window --features custom-protocol

fn main() {
    // The same renderer setting as Casebook (src/main.rs), for a fair baseline.
    #[cfg(target_os = "linux")]
    #[allow(unsafe_code)]
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        // SAFETY: single-threaded at this point.
        unsafe { std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1") };
    }
    // And the same JavaScript engine setting (src/main.rs): this page runs
    // no script, so it changes nothing here, but the baseline stays fair.
    #[cfg(target_os = "linux")]
    #[allow(unsafe_code)]
    if std::env::var_os("JSC_useDFGJIT").is_none() {
        // SAFETY: single-threaded at this point.
        unsafe { std::env::set_var("JSC_useDFGJIT", "false") };
    }
    let mut context = tauri::generate_context!();
    context.config_mut().app.windows.clear();
    tauri::Builder::default()
        .setup(|app| {
            let url = tauri::WebviewUrl::App("blank.html".into());
            tauri::WebviewWindowBuilder::new(app, "main", url)
                .title("minimal")
                .inner_size(1200.0, 800.0)
                .build()?;
            Ok(())
        })
        .run(context)
        .expect("the minimal window could not start");
}
