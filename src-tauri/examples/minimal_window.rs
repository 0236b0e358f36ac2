//! The baseline for the memory measurement in tests/e2e/measure.py: a Tauri
//! window with an empty page and no commands, built with the same Tauri and
//! the same release profile as Casebook.
//!
//!     cargo build --release -p casebook-app --example minimal_window --features custom-protocol

fn main() {
    let mut context = tauri::generate_context!();
    context.config_mut().app.windows.clear();
    tauri::Builder::default()
        .setup(|app| {
            let url = tauri::WebviewUrl::External("about:blank".parse().expect("valid URL"));
            tauri::WebviewWindowBuilder::new(app, "main", url).title("minimal").inner_size(1200.0, 800.0).build()?;
            Ok(())
        })
        .run(context)
        .expect("the minimal window could not start");
}
