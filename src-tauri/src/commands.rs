//! The commands the window calls. Each is a few lines: parse the form with
//! the core, call one `Journal` method, return its result or `{kind, message}`.

use std::sync::Arc;

use casebook::calls::CallForm;
use casebook::cases::{Case, CasePage};
use casebook::channels::{OfficialChannel, PointKind};
use casebook::contacts::{Contact, ContactPatch};
use casebook::db::JournalInfo;
use casebook::due::DueItem;
use casebook::error::ErrorPayload;
use casebook::forms::{
    CaseForm, CaseListForm, ContactForm, NoteForm, ReferenceForm, SearchForm, TransactionForm,
};
use casebook::mail::EmailContact;
use casebook::model::Lang;
use casebook::model::{Category, Channel, Status, preparation_checklist};
use casebook::notes::Note;
use casebook::providers::Provider;
use casebook::references::FoundReference;
use casebook::reminders::ReminderSettings;
use casebook::revisions::History;
use casebook::search::Hit;
use casebook::settings::{Settings, Theme};
use casebook::time::today;
use casebook::timeline::CaseDetail;
use casebook::transactions::Transaction;
use casebook::transcript::Transcript;
use tauri::State;

use crate::pool::Pool;

/// The journal, or why it could not be opened (shown by the window).
pub type Shared = Result<Arc<Pool>, ErrorPayload>;
type Reply<T> = Result<T, ErrorPayload>;

pub(crate) fn pool<'a>(state: &'a State<'_, Shared>) -> Result<&'a Arc<Pool>, ErrorPayload> {
    state.inner().as_ref().map_err(Clone::clone)
}

#[tauri::command]
pub async fn journal_info(state: State<'_, Shared>) -> Reply<JournalInfo> {
    pool(&state)?
        .run("reading the journal's details", |j| Ok(j.info()))
        .await
}

/// What to have ready before contacting support, for a category (the new-case form shows it).
#[tauri::command]
pub fn checklist(category: Category) -> Reply<Vec<String>> {
    Ok(preparation_checklist(category)
        .iter()
        .map(|s| s.to_string())
        .collect())
}

#[tauri::command]
pub async fn list_cases(
    state: State<'_, Shared>,
    filter: CaseListForm,
    offset: u32,
    limit: u32,
) -> Reply<CasePage> {
    let filter = filter.parse()?;
    pool(&state)?
        .run("listing cases", move |j| {
            j.case_page(&filter, offset, limit)
        })
        .await
}

#[tauri::command]
pub async fn create_case(state: State<'_, Shared>, form: CaseForm) -> Reply<Case> {
    let new = form.parse()?;
    pool(&state)?
        .run("opening a case", move |j| j.create_case(new))
        .await
}

#[tauri::command]
pub async fn case_detail(state: State<'_, Shared>, id: i64) -> Reply<CaseDetail> {
    pool(&state)?
        .run("reading a case", move |j| j.case_detail(id))
        .await
}

#[tauri::command]
pub async fn set_case_status(state: State<'_, Shared>, id: i64, status: Status) -> Reply<Case> {
    pool(&state)?
        .run("changing a case's status", move |j| {
            j.set_case_status(id, status)
        })
        .await
}

#[tauri::command]
pub async fn set_checklist_item(
    state: State<'_, Shared>,
    case_id: i64,
    item: String,
    done: bool,
) -> Reply<Case> {
    pool(&state)?
        .run("ticking a checklist item", move |j| {
            j.set_checklist_item(case_id, &item, done)
        })
        .await
}

#[tauri::command]
pub async fn add_contact(
    state: State<'_, Shared>,
    case_id: i64,
    form: ContactForm,
) -> Reply<Contact> {
    let input = form.parse()?;
    pool(&state)?
        .run("logging a contact", move |j| j.add_contact(case_id, input))
        .await
}

#[tauri::command]
pub async fn replace_contact(
    state: State<'_, Shared>,
    id: i64,
    form: ContactForm,
) -> Reply<Contact> {
    let patch = ContactPatch::replace_with(form.parse()?);
    pool(&state)?
        .run("saving a contact", move |j| j.edit_contact(id, patch))
        .await
}

#[tauri::command]
pub async fn set_follow_up_done(state: State<'_, Shared>, id: i64, done: bool) -> Reply<Contact> {
    let patch = ContactPatch {
        follow_up_done: Some(done),
        ..ContactPatch::default()
    };
    pool(&state)?
        .run("marking a follow-up", move |j| j.edit_contact(id, patch))
        .await
}

#[tauri::command]
pub async fn delete_contact(state: State<'_, Shared>, id: i64) -> Reply<Contact> {
    pool(&state)?
        .run("moving a contact to the trash", move |j| {
            j.delete_contact(id)
        })
        .await
}

#[tauri::command]
pub async fn restore_contact(state: State<'_, Shared>, id: i64) -> Reply<Contact> {
    pool(&state)?
        .run("restoring a contact", move |j| j.restore_contact(id))
        .await
}

#[tauri::command]
pub async fn contact_history(state: State<'_, Shared>, id: i64) -> Reply<History> {
    pool(&state)?
        .run("reading a contact's history", move |j| {
            j.contact_history(id)
        })
        .await
}

#[tauri::command]
pub async fn trashed_contacts(state: State<'_, Shared>) -> Reply<Vec<Contact>> {
    pool(&state)?
        .run("reading the trash", |j| j.trashed_contacts())
        .await
}

#[tauri::command]
pub async fn save_call(state: State<'_, Shared>, case_id: i64, form: CallForm) -> Reply<Contact> {
    let input = form.parse()?;
    pool(&state)?
        .run("saving a call", move |j| j.add_contact(case_id, input))
        .await
}

#[tauri::command]
pub async fn add_note(state: State<'_, Shared>, case_id: i64, form: NoteForm) -> Reply<Note> {
    let (at, text) = form.parse()?;
    pool(&state)?
        .run("adding a note", move |j| j.add_note(case_id, at, &text))
        .await
}

#[tauri::command]
pub async fn edit_note(state: State<'_, Shared>, id: i64, form: NoteForm) -> Reply<Note> {
    let (at, text) = form.parse()?;
    pool(&state)?
        .run("saving a note", move |j| {
            j.edit_note(id, Some(at), Some(&text))
        })
        .await
}

#[tauri::command]
pub async fn delete_note(state: State<'_, Shared>, id: i64) -> Reply<Note> {
    pool(&state)?
        .run("moving a note to the trash", move |j| j.delete_note(id))
        .await
}

#[tauri::command]
pub async fn restore_note(state: State<'_, Shared>, id: i64) -> Reply<Note> {
    pool(&state)?
        .run("restoring a note", move |j| j.restore_note(id))
        .await
}

#[tauri::command]
pub async fn note_history(state: State<'_, Shared>, id: i64) -> Reply<History> {
    pool(&state)?
        .run("reading a note's history", move |j| j.note_history(id))
        .await
}

#[tauri::command]
pub async fn add_transaction(
    state: State<'_, Shared>,
    case_id: i64,
    form: TransactionForm,
) -> Reply<Transaction> {
    let input = form.parse()?;
    pool(&state)?
        .run("recording a transaction", move |j| {
            j.add_transaction(case_id, input)
        })
        .await
}

#[tauri::command]
pub async fn delete_transaction(state: State<'_, Shared>, id: i64) -> Reply<Transaction> {
    pool(&state)?
        .run("moving a transaction to the trash", move |j| {
            j.delete_transaction(id)
        })
        .await
}

#[tauri::command]
pub async fn restore_transaction(state: State<'_, Shared>, id: i64) -> Reply<Transaction> {
    pool(&state)?
        .run("restoring a transaction", move |j| {
            j.restore_transaction(id)
        })
        .await
}

#[tauri::command]
pub async fn search(state: State<'_, Shared>, form: SearchForm) -> Reply<Vec<Hit>> {
    let q = form.parse()?;
    pool(&state)?.run("searching", move |j| j.search(&q)).await
}

#[tauri::command]
pub async fn due(state: State<'_, Shared>, within_days: i64) -> Reply<Vec<DueItem>> {
    pool(&state)?
        .run("listing what is due", move |j| j.due(today(), within_days))
        .await
}

#[tauri::command]
pub async fn providers(state: State<'_, Shared>) -> Reply<Vec<Provider>> {
    pool(&state)?
        .run("listing providers", |j| j.providers())
        .await
}

/// Scam-shield check of texts the user is typing, before they are saved.
#[tauri::command]
pub fn shield_check(texts: Vec<String>) -> Vec<casebook::shield::Flag> {
    let mut flags: Vec<casebook::shield::Flag> = Vec::new();
    for t in &texts {
        for f in casebook::shield::check_with_secrets(t) {
            if !flags.iter().any(|x| x.rule_id == f.rule_id) {
                flags.push(f);
            }
        }
    }
    flags
}

/// Reference numbers in a text the user is typing or pasting, offered.
#[tauri::command]
pub fn find_references(text: String) -> Vec<FoundReference> {
    casebook::references::find(&text)
}

/// A pasted chat transcript read as lines: who said what, when.
#[tauri::command]
pub fn split_transcript(text: String) -> Transcript {
    casebook::transcript::split(&text, today())
}

/// Adds one offered reference number to a contact (the user's click).
#[tauri::command]
pub async fn add_reference(
    state: State<'_, Shared>,
    contact_id: i64,
    reference: ReferenceForm,
) -> Reply<Contact> {
    let reference = reference.parse()?;
    pool(&state)?
        .run("adding a reference number", move |j| {
            j.add_reference(contact_id, reference)
        })
        .await
}

/// What an attached e-mail proposes as a contact.
#[tauri::command]
pub async fn email_of_attachment(state: State<'_, Shared>, id: i64) -> Reply<EmailContact> {
    pool(&state)?
        .run("reading an e-mail", move |j| j.email_of_attachment(id))
        .await
}

/// Logs the contact an attached e-mail proposed, as the user checked it,
/// with the e-mail linked to it.
#[tauri::command]
pub async fn log_email_attachment(
    state: State<'_, Shared>,
    id: i64,
    form: ContactForm,
) -> Reply<Contact> {
    let input = form.parse()?;
    pool(&state)?
        .run("logging an e-mail", move |j| {
            j.log_email_attachment(id, input)
        })
        .await
}

/// The text with recovery phrases, keys, card numbers and codes masked.
#[tauri::command]
pub fn shield_mask(text: String) -> String {
    casebook::shield::mask_secrets(&text)
}

/// The register of verified official contact points.
#[tauri::command]
pub async fn official_channels(state: State<'_, Shared>) -> Reply<Vec<OfficialChannel>> {
    pool(&state)?
        .run("reading the register of official contact points", |j| {
            j.official_channels()
        })
        .await
}

#[tauri::command]
pub async fn add_official_channel(
    state: State<'_, Shared>,
    provider: String,
    kind: PointKind,
    value: String,
    verified_how: String,
) -> Reply<OfficialChannel> {
    pool(&state)?
        .run("registering an official contact point", move |j| {
            j.add_official_channel(&provider, kind, &value, &verified_how)
        })
        .await
}

#[tauri::command]
pub async fn remove_official_channel(state: State<'_, Shared>, id: i64) -> Reply<()> {
    pool(&state)?
        .run("removing an official contact point", move |j| {
            j.remove_official_channel(id)
        })
        .await
}

/// Marks or unmarks a contact as a scam.
#[tauri::command]
pub async fn report_scam(state: State<'_, Shared>, contact_id: i64, reported: bool) -> Reply<()> {
    pool(&state)?
        .run("marking a contact as a scam", move |j| {
            j.report_scam(contact_id, reported)
        })
        .await
}

/// Warnings about the number or address of a contact being typed.
#[tauri::command]
pub async fn check_channel(
    state: State<'_, Shared>,
    case_id: i64,
    contact_id: Option<i64>,
    channel: Channel,
    via: String,
) -> Reply<Vec<casebook::shield::Flag>> {
    pool(&state)?
        .run("checking a contact point", move |j| {
            j.check_channel(case_id, contact_id, channel, &via)
        })
        .await
}

/// The journal's settings (language, theme), which the CLI reads too.
#[tauri::command]
pub async fn settings(state: State<'_, Shared>) -> Reply<Settings> {
    pool(&state)?
        .run("reading the settings", |j| j.settings())
        .await
}

/// Sets the language (`zh`, `en`), or clears it with `null`: the locale decides.
#[tauri::command]
pub async fn set_language(state: State<'_, Shared>, language: Option<Lang>) -> Reply<Settings> {
    pool(&state)?
        .run("saving the language", move |j| j.set_language(language))
        .await
}

/// Sets the theme (`light`, `dark`), or clears it with `null`: the system decides.
#[tauri::command]
pub async fn set_theme(state: State<'_, Shared>, theme: Option<Theme>) -> Reply<Settings> {
    pool(&state)?
        .run("saving the theme", move |j| j.set_theme(theme))
        .await
}

/// Sets the reminder choices (on/off, kinds turned off, quiet hours).
#[tauri::command]
pub async fn set_reminder_settings(
    state: State<'_, Shared>,
    reminders: ReminderSettings,
) -> Reply<Settings> {
    pool(&state)?
        .run("saving the reminder settings", move |j| {
            j.set_reminders(&reminders)
        })
        .await
}

/// "Remind me later": no reminder about `item` (`contact:<id>`,
/// `deadline:<case id>`, `escalation:<case id>`) before `until`
/// (YYYY-MM-DD); `null` removes the snooze.
#[tauri::command]
pub async fn snooze_reminder(
    state: State<'_, Shared>,
    item: String,
    until: Option<String>,
) -> Reply<()> {
    pool(&state)?
        .run("snoozing a reminder", move |j| {
            let day = until
                .as_deref()
                .map(|d| casebook::time::parse_date("until", d))
                .transpose()?;
            j.snooze_reminder(&item, day)
        })
        .await
}
