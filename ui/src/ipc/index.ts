// The only module that talks to the Rust side. Every command of
// src-tauri/src/commands.rs has one typed function here; the types come from
// the Rust declarations generated into ./bindings (never written by hand).
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type { Attachment } from "./bindings/Attachment";
import type { ImportOptions } from "./bindings/ImportOptions";
import type { ImportReport } from "./bindings/ImportReport";
import type { RowFilterForm } from "./bindings/RowFilterForm";
import type { SavedMapping } from "./bindings/SavedMapping";
import type { StatementView } from "./bindings/StatementView";
import type { VerifyReport } from "./bindings/VerifyReport";
import type { BackupReport } from "./bindings/BackupReport";
import type { Escalation } from "./bindings/Escalation";
import type { Letter } from "./bindings/Letter";
import type { RestoreReport } from "./bindings/RestoreReport";
import type { Strength } from "./bindings/Strength";
import type { RouteInfo } from "./bindings/RouteInfo";
import type { Flag } from "./bindings/Flag";
import type { OfficialChannel } from "./bindings/OfficialChannel";
import type { PointKind } from "./bindings/PointKind";
import type { CallForm } from "./bindings/CallForm";
import type { Case } from "./bindings/Case";
import type { CaseDetail } from "./bindings/CaseDetail";
import type { CaseForm } from "./bindings/CaseForm";
import type { CaseListForm } from "./bindings/CaseListForm";
import type { Contact } from "./bindings/Contact";
import type { ContactForm } from "./bindings/ContactForm";
import type { DueItem } from "./bindings/DueItem";
import type { ErrorKind } from "./bindings/ErrorKind";
import type { ErrorPayload } from "./bindings/ErrorPayload";
import type { History } from "./bindings/History";
import type { Hit } from "./bindings/Hit";
import type { JournalInfo } from "./bindings/JournalInfo";
import type { Protection } from "./bindings/Protection";
import type { Note } from "./bindings/Note";
import type { NoteForm } from "./bindings/NoteForm";
import type { Provider } from "./bindings/Provider";
import type { SearchForm } from "./bindings/SearchForm";
import type { Transaction } from "./bindings/Transaction";
import type { TransactionForm } from "./bindings/TransactionForm";

export type { Case } from "./bindings/Case";
export type { Attachment, ImportOptions, ImportReport, RowFilterForm, SavedMapping, StatementView, VerifyReport };
export type { ColumnMapping } from "./bindings/ColumnMapping";
export type { Flag, OfficialChannel, PointKind };
export type { BackupReport, Escalation, Letter, RestoreReport, RouteInfo };
export type { JournalInfo, Protection, Strength };
export type { EntryFlag } from "./bindings/EntryFlag";
export type { StatementRow } from "./bindings/StatementRow";
export type { CallForm, CaseDetail, CaseForm, Contact, ContactForm, DueItem, History, Hit, Note, Transaction, TransactionForm };
export type { Category } from "./bindings/Category";
export type { Channel } from "./bindings/Channel";
export type { Status } from "./bindings/Status";
export type { RefKind } from "./bindings/RefKind";
export type { TimelineEntry } from "./bindings/TimelineEntry";
export type { Revision } from "./bindings/Revision";
export type { SnippetPart } from "./bindings/SnippetPart";

/** An error from the core: branch on `kind`, show `message`. */
export class IpcError extends Error {
  readonly kind: ErrorKind;
  constructor(payload: ErrorPayload) {
    super(payload.message);
    this.kind = payload.kind;
  }
}

function isPayload(e: unknown): e is ErrorPayload {
  return typeof e === "object" && e !== null && "kind" in e && "message" in e;
}

/** Dispatched on `window` when a command answers that the journal is locked. */
export const LOCKED_DOM_EVENT = "casebook-locked";
/** Emitted by the app when it locked itself after the idle time. */
export const LOCKED_EVENT = "casebook://locked";

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    if (isPayload(e)) {
      // Locked meanwhile (idle time, another window): the app shows the lock screen.
      if (e.kind === "locked") window.dispatchEvent(new Event(LOCKED_DOM_EVENT));
      throw new IpcError(e);
    }
    throw new IpcError({ kind: "internal", message: String(e) });
  }
}

export const api = {
  journalInfo: () => call<JournalInfo>("journal_info"),
  checklist: (category: string) => call<string[]>("checklist", { category }),
  listCases: (filter: CaseListForm) => call<Case[]>("list_cases", { filter }),
  createCase: (form: CaseForm) => call<Case>("create_case", { form }),
  caseDetail: (id: number) => call<CaseDetail>("case_detail", { id }),
  setCaseStatus: (id: number, status: string) => call<Case>("set_case_status", { id, status }),
  setChecklistItem: (caseId: number, item: string, done: boolean) =>
    call<Case>("set_checklist_item", { caseId, item, done }),
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
  addTransaction: (caseId: number, form: TransactionForm) =>
    call<Transaction>("add_transaction", { caseId, form }),
  deleteTransaction: (id: number) => call<Transaction>("delete_transaction", { id }),
  restoreTransaction: (id: number) => call<Transaction>("restore_transaction", { id }),
  search: (form: SearchForm) => call<Hit[]>("search", { form }),
  due: (withinDays: number) => call<DueItem[]>("due", { withinDays }),
  providers: () => call<Provider[]>("providers"),
  attachDropped: (token: number, caseId: number, contactId: number | null = null, transactionId: number | null = null) =>
    call<Attachment[]>("attach_dropped", { token, caseId, contactId, transactionId }),
  attachPicked: (caseId: number, statements = false, contactId: number | null = null, transactionId: number | null = null) =>
    call<Attachment[]>("attach_picked", { caseId, contactId, transactionId, statements }),
  openAttachment: (id: number) => call<null>("open_attachment", { id }),
  saveAttachmentCopy: (id: number) => call<string | null>("save_attachment_copy", { id }),
  verifyEvidence: () => call<VerifyReport>("verify_evidence"),
  previewStatement: (attachmentId: number, options: ImportOptions, filter: RowFilterForm) =>
    call<StatementView>("preview_statement", { attachmentId, options, filter }),
  statementColumns: (attachmentId: number) => call<string[]>("statement_columns", { attachmentId }),
  importStatement: (attachmentId: number, options: ImportOptions, lines: number[], saveMappingAs: string | null) =>
    call<ImportReport>("import_statement", { attachmentId, options, lines, saveMappingAs }),
  mappings: () => call<SavedMapping[]>("mappings"),
  shieldCheck: (texts: string[]) => call<Flag[]>("shield_check", { texts }),
  officialChannels: () => call<OfficialChannel[]>("official_channels"),
  addOfficialChannel: (provider: string, kind: PointKind, value: string, verifiedHow: string) =>
    call<OfficialChannel>("add_official_channel", { provider, kind, value, verifiedHow }),
  removeOfficialChannel: (id: number) => call<null>("remove_official_channel", { id }),
  reportScam: (contactId: number, reported: boolean) => call<null>("report_scam", { contactId, reported }),
  checkChannel: (caseId: number, contactId: number | null, channel: string, via: string) =>
    call<Flag[]>("check_channel", { caseId, contactId, channel, via }),
  shieldMask: (text: string) => call<string>("shield_mask", { text }),
  /** Saves the summary where the user picks; null when the dialog was cancelled. */
  exportCase: (caseId: number, format: string, lang: string, redact: boolean) =>
    call<string | null>("export_case", { caseId, format, lang, redact }),
  draftLetter: (caseId: number, to: string, lang: string) => call<Letter>("draft_letter", { caseId, to, lang }),
  saveLetter: (caseId: number, text: string) => call<string | null>("save_letter", { caseId, text }),
  escalationRoutes: () => call<RouteInfo[]>("escalation_routes"),
  setCaseEscalation: (caseId: number, route: string | null, firstComplaint: string | null) =>
    call<Case>("set_case_escalation", { caseId, route, firstComplaint }),
  backupJournal: () => call<BackupReport | null>("backup_journal"),
  restoreJournal: (passphrase: string | null) => call<RestoreReport | null>("restore_journal", { passphrase }),
  protection: () => call<Protection>("protection"),
  unlock: (passphrase: string) => call<void>("unlock", { passphrase }),
  lock: () => call<void>("lock"),
  setPassphrase: (passphrase: string) => call<string>("set_passphrase", { passphrase }),
  declinePassphrase: () => call<void>("decline_passphrase"),
  changePassphrase: (old: string, next: string) => call<void>("change_passphrase", { old, new: next }),
  resetPassphrase: (recovery: string, passphrase: string) => call<void>("reset_passphrase", { recovery, passphrase }),
  recoveryKey: (passphrase: string) => call<string>("recovery_key", { passphrase }),
  saveRecoveryKey: (key: string) => call<string | null>("save_recovery_key", { key }),
  setIdleLock: (minutes: number) => call<void>("set_idle_lock", { minutes }),
  changeDataKey: (passphrase: string) => call<string>("change_data_key", { passphrase }),
  passphraseStrength: (passphrase: string) => call<Strength>("passphrase_strength", { passphrase }),
  touch: () => call<void>("touch"),
  onLocked: (f: () => void) => listen(LOCKED_EVENT, () => f()),
};

/** Files dropped on the window: a token for `attachDropped` and their names. */
export interface Dropped {
  token: number;
  names: string[];
}

export function onFilesDropped(handler: (d: Dropped) => void): () => void {
  const stop = listen<Dropped>("files-dropped", (e) => handler(e.payload));
  return () => void stop.then((f) => f());
}

/** The URL of an image attachment's inline preview (served by the shell). */
export function previewUrl(a: Attachment): string {
  // WebKitGTK and macOS use scheme://localhost; Windows uses http://scheme.localhost.
  return navigator.userAgent.includes("Windows") ? `http://evidence.localhost/${a.id}` : `evidence://localhost/${a.id}`;
}
