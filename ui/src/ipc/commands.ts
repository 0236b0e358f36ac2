// Generated from the #[tauri::command] functions of src-tauri/src by
// src-tauri/commands_spec.rs: `cargo test -p casebook-app commands_ts` writes
// it, and fails while the committed file differs. Do not edit.
import type { Attachment } from "./bindings/Attachment";
import type { BackupReport } from "./bindings/BackupReport";
import type { CallForm } from "./bindings/CallForm";
import type { Case } from "./bindings/Case";
import type { CaseDetail } from "./bindings/CaseDetail";
import type { CaseForm } from "./bindings/CaseForm";
import type { CaseListForm } from "./bindings/CaseListForm";
import type { CasePage } from "./bindings/CasePage";
import type { Category } from "./bindings/Category";
import type { Channel } from "./bindings/Channel";
import type { Contact } from "./bindings/Contact";
import type { ContactForm } from "./bindings/ContactForm";
import type { DesktopSettings } from "./bindings/DesktopSettings";
import type { DueItem } from "./bindings/DueItem";
import type { EmailContact } from "./bindings/EmailContact";
import type { ExportFormat } from "./bindings/ExportFormat";
import type { Flag } from "./bindings/Flag";
import type { FoundReference } from "./bindings/FoundReference";
import type { History } from "./bindings/History";
import type { Hit } from "./bindings/Hit";
import type { ImportOptions } from "./bindings/ImportOptions";
import type { ImportReport } from "./bindings/ImportReport";
import type { JournalInfo } from "./bindings/JournalInfo";
import type { Lang } from "./bindings/Lang";
import type { Letter } from "./bindings/Letter";
import type { LetterTo } from "./bindings/LetterTo";
import type { MappingGuess } from "./bindings/MappingGuess";
import type { Note } from "./bindings/Note";
import type { NoteForm } from "./bindings/NoteForm";
import type { OcrProgress } from "./bindings/OcrProgress";
import type { OfficialChannel } from "./bindings/OfficialChannel";
import type { PointKind } from "./bindings/PointKind";
import type { Protection } from "./bindings/Protection";
import type { Provider } from "./bindings/Provider";
import type { ReferenceForm } from "./bindings/ReferenceForm";
import type { ReminderSettings } from "./bindings/ReminderSettings";
import type { ReminderTarget } from "./bindings/ReminderTarget";
import type { RestoreReport } from "./bindings/RestoreReport";
import type { RouteInfo } from "./bindings/RouteInfo";
import type { RowFilterForm } from "./bindings/RowFilterForm";
import type { SavedMapping } from "./bindings/SavedMapping";
import type { SearchForm } from "./bindings/SearchForm";
import type { Settings } from "./bindings/Settings";
import type { StatementView } from "./bindings/StatementView";
import type { Status } from "./bindings/Status";
import type { Strength } from "./bindings/Strength";
import type { Theme } from "./bindings/Theme";
import type { Transaction } from "./bindings/Transaction";
import type { TransactionForm } from "./bindings/TransactionForm";
import type { Transcript } from "./bindings/Transcript";
import type { VerifyReport } from "./bindings/VerifyReport";

/** How a command is sent (ipc/index.ts: errors become IpcError). */
export type Call = <T>(cmd: string, args?: Record<string, unknown>) => Promise<T>;

/** Every command of the app, typed end to end. */
export function commands(call: Call) {
  return {
    journalInfo: () => call<JournalInfo>("journal_info"),
    checklist: (category: Category) => call<string[]>("checklist", { category }),
    listCases: (filter: CaseListForm, offset: number, limit: number) => call<CasePage>("list_cases", { filter, offset, limit }),
    createCase: (form: CaseForm) => call<Case>("create_case", { form }),
    caseDetail: (id: number) => call<CaseDetail>("case_detail", { id }),
    setCaseStatus: (id: number, status: Status) => call<Case>("set_case_status", { id, status }),
    setChecklistItem: (caseId: number, item: string, done: boolean) => call<Case>("set_checklist_item", { caseId, item, done }),
    addContact: (caseId: number, form: ContactForm) => call<Contact>("add_contact", { caseId, form }),
    replaceContact: (id: number, form: ContactForm) => call<Contact>("replace_contact", { id, form }),
    setFollowUpDone: (id: number, done: boolean) => call<Contact>("set_follow_up_done", { id, done }),
    deleteContact: (id: number) => call<Contact>("delete_contact", { id }),
    restoreContact: (id: number) => call<Contact>("restore_contact", { id }),
    contactHistory: (id: number) => call<History>("contact_history", { id }),
    trashedContacts: () => call<Contact[]>("trashed_contacts"),
    saveCall: (caseId: number, form: CallForm) => call<Contact>("save_call", { caseId, form }),
    addNote: (caseId: number, form: NoteForm) => call<Note>("add_note", { caseId, form }),
    editNote: (id: number, form: NoteForm) => call<Note>("edit_note", { id, form }),
    deleteNote: (id: number) => call<Note>("delete_note", { id }),
    restoreNote: (id: number) => call<Note>("restore_note", { id }),
    noteHistory: (id: number) => call<History>("note_history", { id }),
    addTransaction: (caseId: number, form: TransactionForm) => call<Transaction>("add_transaction", { caseId, form }),
    deleteTransaction: (id: number) => call<Transaction>("delete_transaction", { id }),
    restoreTransaction: (id: number) => call<Transaction>("restore_transaction", { id }),
    search: (form: SearchForm) => call<Hit[]>("search", { form }),
    due: (withinDays: number) => call<DueItem[]>("due", { withinDays }),
    providers: () => call<Provider[]>("providers"),
    shieldCheck: (texts: string[]) => call<Flag[]>("shield_check", { texts }),
    findReferences: (text: string) => call<FoundReference[]>("find_references", { text }),
    splitTranscript: (text: string) => call<Transcript>("split_transcript", { text }),
    addReference: (contactId: number, reference: ReferenceForm) => call<Contact>("add_reference", { contactId, reference }),
    emailOfAttachment: (id: number) => call<EmailContact>("email_of_attachment", { id }),
    logEmailAttachment: (id: number, form: ContactForm) => call<Contact>("log_email_attachment", { id, form }),
    shieldMask: (text: string) => call<string>("shield_mask", { text }),
    officialChannels: () => call<OfficialChannel[]>("official_channels"),
    addOfficialChannel: (provider: string, kind: PointKind, value: string, verifiedHow: string) => call<OfficialChannel>("add_official_channel", { provider, kind, value, verifiedHow }),
    removeOfficialChannel: (id: number) => call<void>("remove_official_channel", { id }),
    reportScam: (contactId: number, reported: boolean) => call<void>("report_scam", { contactId, reported }),
    checkChannel: (caseId: number, contactId: number | null, channel: Channel, via: string) => call<Flag[]>("check_channel", { caseId, contactId, channel, via }),
    settings: () => call<Settings>("settings"),
    setLanguage: (language: Lang | null) => call<Settings>("set_language", { language }),
    setTheme: (theme: Theme | null) => call<Settings>("set_theme", { theme }),
    setReminderSettings: (reminders: ReminderSettings) => call<Settings>("set_reminder_settings", { reminders }),
    snoozeReminder: (item: string, until: string | null) => call<void>("snooze_reminder", { item, until }),
    desktopSettings: () => call<DesktopSettings>("desktop_settings"),
    setDesktopSettings: (settings: DesktopSettings) => call<DesktopSettings>("set_desktop_settings", { settings }),
    takeReminderOpen: () => call<ReminderTarget | null>("take_reminder_open"),
    exportCase: (caseId: number, format: ExportFormat, lang: Lang, redact: boolean) => call<string | null>("export_case", { caseId, format, lang, redact }),
    draftLetter: (caseId: number, to: LetterTo, lang: Lang) => call<Letter>("draft_letter", { caseId, to, lang }),
    saveLetter: (caseId: number, text: string) => call<string | null>("save_letter", { caseId, text }),
    escalationRoutes: () => call<RouteInfo[]>("escalation_routes"),
    setCaseEscalation: (caseId: number, route: string | null, firstComplaint: string | null) => call<Case>("set_case_escalation", { caseId, route, firstComplaint }),
    backupJournal: () => call<BackupReport | null>("backup_journal"),
    restoreJournal: (passphrase: string | null) => call<RestoreReport | null>("restore_journal", { passphrase }),
    attachDropped: (token: number, caseId: number, contactId: number | null, transactionId: number | null) => call<Attachment[]>("attach_dropped", { token, caseId, contactId, transactionId }),
    attachPicked: (caseId: number, contactId: number | null, transactionId: number | null, statements: boolean) => call<Attachment[]>("attach_picked", { caseId, contactId, transactionId, statements }),
    openAttachment: (id: number) => call<void>("open_attachment", { id }),
    saveAttachmentCopy: (id: number) => call<string | null>("save_attachment_copy", { id }),
    verifyEvidence: () => call<VerifyReport>("verify_evidence"),
    previewStatement: (attachmentId: number, options: ImportOptions, filter: RowFilterForm) => call<StatementView>("preview_statement", { attachmentId, options, filter }),
    guessMapping: (attachmentId: number) => call<MappingGuess>("guess_mapping", { attachmentId }),
    importStatement: (attachmentId: number, options: ImportOptions, lines: number[], saveMappingAs: string | null) => call<ImportReport>("import_statement", { attachmentId, options, lines, saveMappingAs }),
    mappings: () => call<SavedMapping[]>("mappings"),
    protection: () => call<Protection>("protection"),
    unlock: (passphrase: string) => call<void>("unlock", { passphrase }),
    lock: () => call<void>("lock"),
    setPassphrase: (passphrase: string) => call<string>("set_passphrase", { passphrase }),
    declinePassphrase: () => call<void>("decline_passphrase"),
    changePassphrase: (old: string, new_: string) => call<void>("change_passphrase", { old, new: new_ }),
    resetPassphrase: (recovery: string, passphrase: string) => call<void>("reset_passphrase", { recovery, passphrase }),
    recoveryKey: (passphrase: string) => call<string>("recovery_key", { passphrase }),
    setIdleLock: (minutes: number) => call<void>("set_idle_lock", { minutes }),
    changeDataKey: (passphrase: string) => call<string>("change_data_key", { passphrase }),
    passphraseStrength: (passphrase: string) => call<Strength>("passphrase_strength", { passphrase }),
    touch: () => call<void>("touch"),
    saveRecoveryKey: (key: string) => call<string | null>("save_recovery_key", { key }),
    ocrProgress: () => call<OcrProgress>("ocr_progress"),
    retryOcr: () => call<OcrProgress>("retry_ocr"),
    checkReminders: () => call<number>("check_reminders"),
  };
}
