//! Tauri's build step, fed from the command functions themselves (see
//! commands_spec.rs): the command list (each gets an `allow-…`
//! permission), the permission set `casebook-commands` that
//! capabilities/default.json grants, and the `generate_handler!` list.

#[path = "commands_spec.rs"]
mod commands_spec;

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=commands_spec.rs");
    let cmds = commands_spec::scan(Path::new("src")).unwrap_or_else(|e| panic!("commands: {e}"));

    let out = std::env::var("OUT_DIR").expect("OUT_DIR");
    write_if_changed(
        &Path::new(&out).join("handler.rs"),
        &commands_spec::handler_rs(&cmds),
    );
    // Tauri reads app permissions from permissions/; the set is generated
    // (and ignored by git), so it can never list another command than these.
    std::fs::create_dir_all("permissions").expect("permissions/");
    write_if_changed(
        Path::new("permissions/casebook-commands.toml"),
        &commands_spec::permission_set_toml(&cmds),
    );

    let names: &'static [&'static str] = Box::leak(
        cmds.iter()
            .map(|c| &*Box::leak(c.name.clone().into_boxed_str()))
            .collect::<Vec<&'static str>>()
            .into_boxed_slice(),
    );
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(names)),
    )
    .expect("tauri build step");
}

fn write_if_changed(path: &Path, text: &str) {
    if std::fs::read_to_string(path).ok().as_deref() != Some(text) {
        std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}
