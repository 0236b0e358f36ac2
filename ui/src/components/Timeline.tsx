import { useState } from "react";
import { api, type Attachment, type Contact, type EntryFlag, type FoundReference, type History, type Note, type OfferedReferences, type TimelineEntry, type Transaction, type Transcript } from "../ipc";
import { useI18n, type MessageKey } from "../i18n";
import { formatAt, formatDate, formatMoney } from "../lib/format";
import { ContactEditor } from "./ContactEditor";
import { AttachButton, FileCard, FileList } from "./Files";
import { Warnings } from "./Shield";
import { FoundRefs, TranscriptLines } from "./Capture";
import { ErrorBanner, FormFoot, submitOnCtrlEnter, useAction } from "./common";

export function entryId(kind: string, id: number): string {
  return `entry-${kind}-${id}`;
}

function HistoryList({ history }: { history: History }) {
  const { t, locale } = useI18n();
  return (
    <ol className="history" data-testid="history">
      {history.revisions.map((r) => {
        const before = r.before as Record<string, unknown>;
        const at = formatAt(r.at, locale);
        const label =
          r.action === "delete"
            ? t("contact.history.deleted", { at })
            : r.action === "restore"
              ? t("contact.history.restored", { at })
              : t("contact.history.changed", { at, fields: r.changed.join(", ") });
        return (
          <li key={r.number}>
            <div className="muted">
              {t("contact.history.version", { n: r.number })} · {label}
            </div>
            {r.changed.map((field) => (
              <div key={field} className="old-value">
                <span className="label">{field}</span>
                <p className="pre">{typeof before[field] === "string" ? (before[field] as string) : JSON.stringify(before[field])}</p>
              </div>
            ))}
          </li>
        );
      })}
    </ol>
  );
}

type Undo = () => Promise<unknown>;

/** Whether a reply may be a copied chat worth reading as one (several lines
 * and times or "name:" openings); the core decides when it is opened. */
function mayBeChat(text: string): boolean {
  const lines = text.split("\n").filter((l) => l.trim());
  if (lines.length < 3) return false;
  // A time of day, or a short name (no sentence punctuation) and a colon.
  const marked = lines.filter((l) => /\d{1,2}[:：]\d{2}/.test(l) || /^[^:：\s，。！？,.!?]{1,24}[:：]/.test(l.trim())).length;
  return marked >= 2;
}

/** A reply read as a chat, when the user opens it. */
function ChatView({ text }: { text: string }) {
  const { t } = useI18n();
  const [chat, setChat] = useState<Transcript | null>(null);
  return (
    <details
      className="chat-view"
      data-testid="contact-chat"
      onToggle={(e) => {
        if ((e.target as HTMLDetailsElement).open && !chat) {
          api.splitTranscript(text).then(setChat, () => undefined);
        }
      }}
    >
      <summary>{chat ? t("transcript.show", { n: chat.lines.length }) : t("transcript.open")}</summary>
      {chat && <TranscriptLines chat={chat} />}
    </details>
  );
}

function ContactCard({ c, caseId, provider, reported, offered, onChanged, onDeleted }: { c: Contact; caseId: number; provider: string | null; reported: boolean; offered: FoundReference[]; onChanged: () => void; onDeleted: (undo: Undo) => void }) {
  const { t, locale } = useI18n();
  const [editing, setEditing] = useState(false);
  const [history, setHistory] = useState<History | null>(null);
  const { error, act: attempt } = useAction();
  if (editing) {
    return (
      <ContactEditor
        caseId={caseId}
        provider={provider}
        contact={c}
        onCancel={() => setEditing(false)}
        onSaved={() => {
          setEditing(false);
          setHistory(null);
          onChanged();
        }}
      />
    );
  }
  const act = (f: () => Promise<unknown>) => () =>
    attempt(async () => {
      await f();
      onChanged();
    });
  const toggleHistory = async () => {
    if (history) return setHistory(null);
    await attempt(async () => setHistory(await api.contactHistory(c.id)));
  };
  return (
    <article className="card contact" id={entryId("contact", c.id)} data-testid="contact-card" aria-label={`${t("contact.title")} ${formatAt(c.at, locale)}`}>
      <header>
        <strong>{t(`channel.${c.channel}`)}</strong> · {t(`direction.${c.direction}`)} · <time dateTime={c.at}>{formatAt(c.at, locale)}</time>
        {c.via && <> · {t("contact.via", { via: c.via })}</>}
        {c.agent && <> · {t("contact.agent", { agent: c.agent })}</>}
        {c.duration_secs != null && <> · {t("contact.duration", { min: Math.round(c.duration_secs / 60) })}</>}
        {c.edited && (
          <span className="badge" data-testid="edited-badge">
            {t("contact.edited")}
          </span>
        )}
        {reported && (
          <span className="badge danger" data-testid="reported-badge">
            {t("contact.reported")}
          </span>
        )}
      </header>
      {c.asked && (
        <div>
          <span className="label">{t("contact.asked")}</span>
          <p className="pre">{c.asked}</p>
        </div>
      )}
      {c.reply && (
        <div>
          <span className="label">{t("contact.reply")}</span>
          <p className="pre" data-testid="contact-reply">
            {c.reply}
          </p>
          {c.channel !== "email" && mayBeChat(c.reply) && <ChatView text={c.reply} />}
        </div>
      )}
      {c.outcome && (
        <div>
          <span className="label">{t("contact.outcome")}</span>
          <p className="pre">{c.outcome}</p>
        </div>
      )}
      {c.references.length > 0 && (
        <ul className="chips" aria-label={t("contact.field.refs")}>
          {c.references.map((r, i) => (
            <li key={i} className="chip">
              {t(`refkind.${r.kind}`)}: <code>{r.value}</code>
            </li>
          ))}
        </ul>
      )}
      {offered.length > 0 && (
        <FoundRefs
          found={offered}
          testid="offered-refs"
          onAdd={(r) => void attempt(async () => {
            await api.addReference(c.id, { kind: r.kind, value: r.value });
            onChanged();
          })}
        />
      )}
      {c.follow_up && (
        <p className={c.follow_up.done ? "follow-up done" : "follow-up"}>
          {t("contact.follow_up", { date: formatDate(c.follow_up.date, locale), promise: c.follow_up.promise })}
          {c.follow_up.done && <span className="badge ok">{t("contact.follow_up.done")}</span>}
          <button className="small" onClick={act(() => api.setFollowUpDone(c.id, !c.follow_up!.done))}>
            {c.follow_up.done ? t("contact.follow_up.mark_open") : t("contact.follow_up.mark_done")}
          </button>
        </p>
      )}
      <ErrorBanner error={error} />
      <div className="actions">
        <button className="small" onClick={() => setEditing(true)} data-testid="edit-contact">
          {t("common.edit")}
        </button>
        <AttachButton caseId={caseId} contactId={c.id} onAttached={onChanged} />
        <button className="small" onClick={act(() => api.reportScam(c.id, !reported))} data-testid="report-scam" title={t("contact.report_scam.hint")}>
          {reported ? t("contact.report_scam.undo") : t("contact.report_scam")}
        </button>
        {c.edited && (
          <button className="small" onClick={toggleHistory} aria-expanded={history !== null} data-testid="show-history">
            {history ? t("contact.hide_history") : t("contact.show_history")}
          </button>
        )}
        <button
          className="small"
          onClick={() =>
            attempt(async () => {
              await api.deleteContact(c.id);
              onDeleted(() => api.restoreContact(c.id));
            })
          }
          data-testid="delete-contact"
        >
          {t("common.delete")}
        </button>
      </div>
      {history && <HistoryList history={history} />}
    </article>
  );
}

function NoteCard({ n, onChanged, onDeleted }: { n: Note; onChanged: () => void; onDeleted: (undo: Undo) => void }) {
  const { t, locale } = useI18n();
  const [editing, setEditing] = useState<string | null>(null);
  const [history, setHistory] = useState<History | null>(null);
  const { error, act } = useAction();
  const run = (f: () => Promise<unknown>) => () => act(f);
  return (
    <article className="card note" id={entryId("note", n.id)} data-testid="note-card">
      <header>
        <strong>{t("note.title")}</strong> · <time dateTime={n.at}>{formatAt(n.at, locale)}</time>
        {n.edited && <span className="badge">{t("contact.edited")}</span>}
      </header>
      {editing === null ? (
        <p className="pre">{n.text}</p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run(async () => {
              await api.editNote(n.id, { at: n.at, text: editing });
              setEditing(null);
              setHistory(null);
              onChanged();
            })();
          }}
          onKeyDown={submitOnCtrlEnter}
        >
          <textarea autoFocus rows={3} aria-label={t("note.text")} value={editing} onChange={(e) => setEditing(e.target.value)} name="note-edit" />
          <FormFoot error={null} onCancel={() => setEditing(null)} />
        </form>
      )}
      <ErrorBanner error={error} />
      {editing === null && (
        <div className="actions">
          <button className="small" onClick={() => setEditing(n.text)}>
            {t("common.edit")}
          </button>
          {n.edited && (
            <button className="small" aria-expanded={history !== null} onClick={run(async () => setHistory(history ? null : await api.noteHistory(n.id)))}>
              {history ? t("contact.hide_history") : t("contact.show_history")}
            </button>
          )}
          <button
            className="small"
            onClick={run(async () => {
              await api.deleteNote(n.id);
              onDeleted(() => api.restoreNote(n.id));
            })}
          >
            {t("common.delete")}
          </button>
        </div>
      )}
      {history && <HistoryList history={history} />}
    </article>
  );
}

function TxnCard({ x, onChanged, onDeleted }: { x: Transaction; onChanged: () => void; onDeleted: (undo: Undo) => void }) {
  const { t, locale } = useI18n();
  const { error, act } = useAction();
  return (
    <article className="card txn" id={entryId("transaction", x.id)}>
      <header>
        <strong>{t("txn.title")}</strong> · <time dateTime={x.at}>{formatAt(x.at, locale)}</time> ·{" "}
        <span className={x.direction === "out" ? "amount out" : "amount in"}>{formatMoney(x.signed_amount, x.money.currency, locale)}</span>
      </header>
      <p>
        <code>{x.txid}</code>
        {x.counterparty && <> · {x.counterparty}</>}
        {x.status && <> · {x.status}</>}
      </p>
      {x.note && <p className="pre">{x.note}</p>}
      <ErrorBanner error={error} />
      <div className="actions">
        <AttachButton caseId={x.case_id} transactionId={x.id} onAttached={onChanged} />
        <button
          className="small"
          onClick={() =>
            act(async () => {
              await api.deleteTransaction(x.id);
              onDeleted(() => api.restoreTransaction(x.id));
            })
          }
        >
          {t("common.delete")}
        </button>
      </div>
    </article>
  );
}

export function Timeline({
  entries,
  attachments,
  flags,
  scamReports,
  offered = [],
  provider,
  onImport,
  onLogEmail,
  caseId,
  onChanged,
  onDeleted,
}: {
  entries: TimelineEntry[];
  attachments: Attachment[];
  flags: EntryFlag[];
  scamReports: number[];
  offered?: OfferedReferences[];
  provider: string | null;
  onImport: (a: Attachment) => void;
  onLogEmail?: (a: Attachment) => void;
  caseId: number;
  onChanged: () => void;
  onDeleted: (undo: Undo) => void;
}) {
  const { t, locale } = useI18n();
  const flagsOf = (entry: string, id: number) => flags.filter((f) => f.entry === entry && f.entry_id === id);
  const filesOf = (kind: "contact" | "transaction", id: number) =>
    attachments.filter((a) => (kind === "contact" ? a.contact_id === id : a.transaction_id === id));
  if (entries.length === 0) return <p className="empty">{t("case.timeline.empty")}</p>;
  return (
    <ol className="timeline" data-testid="timeline">
      {entries.map((e) => {
        switch (e.kind) {
          case "contact":
            return (
              <li key={`c${e.id}`}>
                <Warnings flags={flagsOf("contact", e.id)} />
                <ContactCard
                  c={e}
                  caseId={caseId}
                  provider={provider}
                  reported={scamReports.includes(e.id)}
                  offered={offered.find((o) => o.contact_id === e.id)?.found ?? []}
                  onChanged={onChanged}
                  onDeleted={onDeleted}
                />
                <FileList files={filesOf("contact", e.id)} />
              </li>
            );
          case "note":
            return (
              <li key={`n${e.id}`}>
                <Warnings flags={flagsOf("note", e.id)} />
                <NoteCard n={e} onChanged={onChanged} onDeleted={onDeleted} />
              </li>
            );
          case "transaction":
            return (
              <li key={`t${e.id}`}>
                <TxnCard x={e} onChanged={onChanged} onDeleted={onDeleted} />
                <FileList files={filesOf("transaction", e.id)} />
              </li>
            );
          case "attachment":
            return (
              <li key={`f${e.id}`}>
                <FileCard a={e} onImport={onImport} onLogEmail={onLogEmail} />
              </li>
            );
          case "status_change":
            return (
              <li key={`s${e.at}${e.to}`} className="status-change">
                <time dateTime={e.at}>{formatAt(e.at, locale)}</time> · {t("status_change.text", { status: t(`status.${e.to}` as MessageKey) })}
              </li>
            );
        }
      })}
    </ol>
  );
}
