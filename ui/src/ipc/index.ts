// The only module that talks to the Rust side. Every command has one typed
// function in ./commands.ts, generated from the Rust command functions; the
// types come from the Rust declarations generated into ./bindings (never
// written by hand).
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { commands } from "./commands";
import type { Attachment } from "./bindings/Attachment";
import type { ReminderTarget } from "./bindings/ReminderTarget";
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
import type { CaseDetail } from "./bindings/CaseDetail";
import type { CaseForm } from "./bindings/CaseForm";
import type { Contact } from "./bindings/Contact";
import type { ContactForm } from "./bindings/ContactForm";
import type { DueItem } from "./bindings/DueItem";
import type { ErrorKind } from "./bindings/ErrorKind";
import type { ErrorPayload } from "./bindings/ErrorPayload";
import type { Problem } from "./bindings/Problem";
import type { Settings } from "./bindings/Settings";
import type { History } from "./bindings/History";
import type { Hit } from "./bindings/Hit";
import type { JournalInfo } from "./bindings/JournalInfo";
import type { Protection } from "./bindings/Protection";
import type { Note } from "./bindings/Note";
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
export type { Problem, Settings };
export type { FoundReference } from "./bindings/FoundReference";
export type { OfferedReferences } from "./bindings/OfferedReferences";
export type { Transcript } from "./bindings/Transcript";
export type { ChatLine } from "./bindings/ChatLine";
export type { EmailContact } from "./bindings/EmailContact";
export type { ImageText } from "./bindings/ImageText";
export type { OcrProgress } from "./bindings/OcrProgress";
export type { ExportFormat } from "./bindings/ExportFormat";
export type { Lang } from "./bindings/Lang";
export type { LetterTo } from "./bindings/LetterTo";
export type { Theme } from "./bindings/Theme";

/**
 * An error from the core: branch on `kind`; the UI says `problem` in the
 * user's language (i18n/problems.ts). `message` is only the code.
 */
export class IpcError extends Error {
  readonly kind: ErrorKind;
  readonly problem: Problem;
  constructor(payload: ErrorPayload) {
    super(payload.problem.code);
    this.kind = payload.kind;
    this.problem = payload.problem;
  }
}

function isPayload(e: unknown): e is ErrorPayload {
  return typeof e === "object" && e !== null && "kind" in e && "problem" in e;
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
    throw new IpcError({ kind: "internal", problem: { code: "internal", during: "", detail: String(e) } });
  }
}

/**
 * Every command (generated from the Rust command functions into
 * ./commands.ts: one declaration per command, typed end to end), and the
 * app's lock event.
 */
export const api = {
  ...commands(call),
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

/** What the shell says after each screenshot it read (src-tauri/src/ocr.rs). */
export interface OcrEvent {
  pending: number;
  done: number;
  failed: number;
  unavailable: number;
  /** The image just read. */
  attachment_id: number | null;
  /** Why text cannot be read on this computer (technical), when it cannot. */
  unavailable_reason: string | null;
}

export function onOcrProgress(handler: (e: OcrEvent) => void): () => void {
  const stop = listen<OcrEvent>("ocr-progress", (e) => handler(e.payload));
  return () => void stop.then((f) => f());
}

/** A reminder (desktop notification) the user clicked: the entry to open (src-tauri/src/desktop.rs). */
export function onReminderOpen(handler: (e: ReminderTarget) => void): () => void {
  const stop = listen<ReminderTarget>("reminder-open", (e) => handler(e.payload));
  return () => void stop.then((f) => f());
}

/** The URL of an image attachment's inline preview (served by the shell). */
export function previewUrl(a: Attachment): string {
  // WebKitGTK and macOS use scheme://localhost; Windows uses http://scheme.localhost.
  return navigator.userAgent.includes("Windows") ? `http://evidence.localhost/${a.id}` : `evidence://localhost/${a.id}`;
}
