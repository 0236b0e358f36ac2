fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(casebook_commands::ALL)),
    )
    .expect("tauri build step");
}

/// The commands the page may call; each gets an `allow-…` permission that
/// capabilities/default.json grants. Keep in sync with `generate_handler!`.
mod casebook_commands {
    pub const ALL: &[&str] = &[
        "journal_info",
        "checklist",
        "list_cases",
        "create_case",
        "case_detail",
        "set_case_status",
        "set_checklist_item",
        "add_contact",
        "replace_contact",
        "set_follow_up_done",
        "delete_contact",
        "restore_contact",
        "contact_history",
        "trashed_contacts",
        "save_call",
        "add_note",
        "edit_note",
        "delete_note",
        "restore_note",
        "note_history",
        "add_transaction",
        "delete_transaction",
        "restore_transaction",
        "search",
        "due",
        "providers",
        "shield_check",
        "shield_mask",
        "official_channels",
        "add_official_channel",
        "remove_official_channel",
        "report_scam",
        "check_channel",
        "attach_dropped",
        "attach_picked",
        "open_attachment",
        "verify_evidence",
        "preview_statement",
        "statement_columns",
        "import_statement",
        "mappings",
        "export_case",
        "draft_letter",
        "save_letter",
        "escalation_routes",
        "set_case_escalation",
        "backup_journal",
        "restore_journal",
    ];
}
