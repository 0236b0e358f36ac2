import { useEffect, useState } from "react";
import { api, onFilesDropped, onOcrProgress, type Attachment, type OcrProgress, type Status, type TransactionForm } from "../ipc";
import { useI18n, type MessageKey } from "../i18n";
import { formatAt, formatDate, formatMoney } from "../lib/format";
import { composeAt, localInput, offsetOf, splitAt } from "../lib/form";
import { STATUSES } from "../lib/vocab";
import { CallPanel } from "./CallPanel";
import { DeadlineBadge } from "./Cases";
import { ContactEditor, type Seed } from "./ContactEditor";
import { ImageTexts, ImportDialog } from "./Files";
import { EscalationBox, ExportDialog, LetterDialog } from "./Escalate";
import { mayBeStatement } from "../lib/files";
import { Timeline, entryId } from "./Timeline";
import { ErrorBanner, Field, FormFoot, Options, messageOf, submitOnCtrlEnter, useAction, useLoad } from "./common";

type Panel = "none" | "contact" | "call" | "note" | "txn" | "export" | "letter";

export interface Focus {
  kind: string;
  id: number;
}

export function CaseView({ id, focus, onBack }: { id: number; focus: Focus | null; onBack: () => void }) {
  const { t, locale } = useI18n();
  const { data, error, reload } = useLoad(() => api.caseDetail(id), [id]);
  const [panel, setPanel] = useState<Panel>("none");
  const { error: actionError, setError: setActionError, act: attempt } = useAction();
  // How to take back the entry last moved to the trash.
  const [undo, setUndo] = useState<{ run: () => Promise<unknown> } | null>(null);
  // The statement being imported, and what the last file action did.
  const [importing, setImporting] = useState<Attachment | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  // The contact an attached e-mail proposes, open in the editor.
  const [seed, setSeed] = useState<Seed | null>(null);
  const logEmail = async (a: Attachment) => {
    const e = await api.emailOfAttachment(a.id);
    const at = e.at ? splitAt(e.at) : null;
    setSeed({
      attachmentId: a.id,
      fileName: a.display_name,
      fields: {
        channel: "email",
        direction: "in",
        ...(at ? { when: at.when, offset: at.offset } : {}),
        via: e.from_address,
        agent: e.from_name,
        reply: e.reply,
      },
    });
    setPanel("contact");
  };

  // Files dropped anywhere on the window go to this case; a statement opens
  // the import preview, an e-mail the contact it proposes.
  const attached = async (files: Attachment[]) => {
    if (files.length === 0) return;
    setNotice(t("case.attached", { n: files.length }));
    setActionError(null);
    const statement = files.find(mayBeStatement);
    if (statement) setImporting(statement);
    await reload();
    const email = files.find((a) => a.media_type === "message/rfc822" && a.contact_id === null);
    if (email && !statement) await logEmail(email);
  };
  const pick = async (statements: boolean) => {
    try {
      await attached(await api.attachPicked(id, null, null, statements));
    } catch (e) {
      setActionError(messageOf(e));
      await reload();
    }
  };
  useEffect(
    () =>
      onFilesDropped(async (d) => {
        try {
          await attached(await api.attachDropped(d.token, id, null, null));
        } catch (e) {
          // Files before the one that failed are attached: show them.
          setActionError(messageOf(e));
          await reload();
        }
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [id],
  );

  // Screenshots being read in the background: how many are left, and the
  // case shown again when one of its images is read.
  const [ocr, setOcr] = useState<OcrProgress | null>(null);
  useEffect(() => {
    api.ocrProgress().then(setOcr, () => undefined);
    return onOcrProgress((e) => {
      setOcr(e);
      if (e.attachment_id !== null) void reload();
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);

  // Ctrl+L: log a contact from anywhere in the case.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "l") {
        e.preventDefault();
        setSeed(null);
        setPanel("contact");
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  // Jump to the entry a search result pointed at.
  useEffect(() => {
    if (!data || !focus) return;
    const el = document.getElementById(entryId(focus.kind, focus.id));
    if (el) {
      el.scrollIntoView({ block: "center" });
      el.classList.add("focused");
      el.setAttribute("tabindex", "-1");
      el.focus();
    }
  }, [data, focus]);

  const act = (f: () => Promise<unknown>) => () =>
    attempt(async () => {
      await f();
      await reload();
    });
  const saved = async () => {
    setPanel("none");
    await reload();
  };

  if (error) return <ErrorBanner error={error} />;
  if (!data) return <p>{t("common.loading")}</p>;
  const c = data.case;
  return (
    <section aria-labelledby="case-title" data-testid="case-view">
      <button className="link" onClick={onBack}>
        ← {t("case.back")}
      </button>
      <header className="case-head">
        <h1 id="case-title">{c.title}</h1>
        <dl className="facts">
          <div>
            <dt>{t("case.status")}</dt>
            <dd>
              <select aria-label={t("case.status")} value={c.status} onChange={(e) => void act(() => api.setCaseStatus(c.id, e.target.value as Status))()} data-testid="case-status">
                <Options keys={STATUSES} prefix="status" />
              </select>
            </dd>
          </div>
          <div>
            <dt>{t("cases.col.provider")}</dt>
            <dd>{c.provider?.name ?? t("common.none")}</dd>
          </div>
          <div>
            <dt>{t("cases.col.category")}</dt>
            <dd>{t(`category.${c.category}`)}</dd>
          </div>
          <div>
            <dt>{t("case.opened")}</dt>
            <dd>
              {formatAt(c.opened_at, locale)} · {t("case.days_open", { n: c.days_open })}
            </dd>
          </div>
          <div>
            <dt>{t("case.amount")}</dt>
            <dd data-testid="case-amount">{c.amount ? formatMoney(c.amount.amount, c.amount.currency, locale) : t("common.none")}</dd>
          </div>
          <div>
            <dt>{t("case.deadline")}</dt>
            <dd>
              {c.deadline ? formatDate(c.deadline, locale) : t("common.none")} <DeadlineBadge c={c} />
            </dd>
          </div>
          {c.desired_outcome && (
            <div>
              <dt>{t("case.field.outcome")}</dt>
              <dd data-testid="case-outcome">{c.desired_outcome}</dd>
            </div>
          )}
          {c.tags.length > 0 && (
            <div>
              <dt>{t("case.field.tags")}</dt>
              <dd>
                <ul className="chips">
                  {c.tags.map((tag) => (
                    <li key={tag} className="chip">
                      {tag}
                    </li>
                  ))}
                </ul>
              </dd>
            </div>
          )}
        </dl>
        {c.summary && (
          <p className="pre case-summary" data-testid="case-summary">
            {c.summary}
          </p>
        )}
      </header>
      <ErrorBanner error={actionError} />
      {undo && (
        <div className="toast" role="status">
          {t("contact.deleted")}{" "}
          <button
            className="small"
            data-testid="undo"
            onClick={act(async () => {
              await undo.run();
              setUndo(null);
            })}
          >
            {t("contact.undo")}
          </button>
        </div>
      )}
      <div className="case-body">
        <div className="main-col">
          <div className="actions toolbar">
            <button
              className="primary"
              onClick={() => {
                setSeed(null);
                setPanel("contact");
              }}
              data-testid="log-contact"
              title="Ctrl+L"
            >
              {t("case.log_contact")}
            </button>
            <button onClick={() => setPanel("call")} data-testid="start-call">
              {t("case.on_call")}
            </button>
            <button onClick={() => setPanel("note")} data-testid="add-note">
              {t("case.add_note")}
            </button>
            <button onClick={() => setPanel("txn")}>{t("case.add_txn")}</button>
            <button onClick={() => void pick(false)} data-testid="attach-files">
              {t("case.attach")}
            </button>
            <button onClick={() => void pick(true)} data-testid="import-statement">
              {t("case.import")}
            </button>
            <button onClick={() => setPanel("export")} data-testid="export-case">
              {t("case.export")}
            </button>
            <button onClick={() => setPanel("letter")} data-testid="write-letter">
              {t("case.letter")}
            </button>
          </div>
          <p className="muted small">{t("case.shortcuts")}</p>
          <p className="muted small drop-hint">{t("case.drop_hint")}</p>
          {notice && (
            <p className="toast" role="status" data-testid="file-notice">
              {notice}
            </p>
          )}
          {ocr && ocr.pending > 0 && (
            <p className="muted small" role="status" data-testid="ocr-progress">
              {t("ocr.reading", { n: ocr.pending })}
            </p>
          )}
          {importing && (
            <ImportDialog
              key={importing.id}
              attachment={importing}
              onCancel={() => setImporting(null)}
              onDone={(r) => {
                setImporting(null);
                setNotice(t("import.done", { imported: r.imported.length, skipped: r.skipped.length }));
                void reload();
              }}
            />
          )}
          {panel === "export" && (
            <ExportDialog
              caseId={c.id}
              onClose={() => setPanel("none")}
              onSaved={(path) => {
                setPanel("none");
                setNotice(t("export.saved", { path }));
              }}
            />
          )}
          {panel === "letter" && (
            <LetterDialog
              caseId={c.id}
              onClose={() => setPanel("none")}
              onSaved={(path) => {
                setPanel("none");
                setNotice(t("letter.saved", { path }));
              }}
            />
          )}
          {panel === "contact" && (
            <ContactEditor
              key={seed ? `seed-${seed.attachmentId}` : "new"}
              caseId={c.id}
              provider={c.provider?.name ?? null}
              contact={null}
              seed={seed}
              onSaved={() => {
                setSeed(null);
                void saved();
              }}
              onCancel={() => {
                setSeed(null);
                setPanel("none");
              }}
            />
          )}
          {panel === "call" && <CallPanel caseId={c.id} provider={c.provider?.name ?? null} onSaved={saved} onCancel={() => setPanel("none")} />}
          {panel === "note" && <NoteEditor caseId={c.id} onSaved={saved} onCancel={() => setPanel("none")} />}
          {panel === "txn" && <TxnEditor caseId={c.id} currency={c.amount?.currency ?? "CNY"} onSaved={saved} onCancel={() => setPanel("none")} />}
          <h2>{t("case.timeline")}</h2>
          <ImageTexts.Provider value={data.image_texts}>
          <Timeline
            entries={data.timeline}
            attachments={data.attachments}
            flags={data.flags}
            scamReports={data.scam_reports}
            offered={data.offered_references}
            provider={c.provider?.name ?? null}
            onImport={setImporting}
            onLogEmail={(a) => void attempt(() => logEmail(a))}
            caseId={c.id}
            onChanged={() => void reload()}
            onDeleted={(run) => {
              setUndo({ run });
              void reload();
            }}
          />
          </ImageTexts.Provider>
        </div>
        <aside className="side-col">
          {c.emergency_steps.length > 0 && (
            <section className="scam-warning" data-testid="emergency-steps">
              <h2>{t("case.emergency")}</h2>
              <ol>
                {c.emergency_steps.map((s) => (
                  <li key={s}>{t(`emergency.${s}` as MessageKey)}</li>
                ))}
              </ol>
            </section>
          )}
          <EscalationBox key={`${c.escalation_route}-${c.first_complaint}`} c={c} escalation={data.escalation} onChanged={() => void reload()} />
          <h2>{t("case.checklist")}</h2>
          <ul className="checklist">
            {c.checklist.map((item) => (
              <li key={item.item}>
                <label>
                  <input type="checkbox" name={`checklist-${item.item}`} checked={item.done} onChange={act(() => api.setChecklistItem(c.id, item.item, !item.done))} />{" "}
                  {t(`checklist.${item.item}` as MessageKey)}
                </label>
              </li>
            ))}
          </ul>
          <h2>{t("case.references")}</h2>
          {data.references.length === 0 ? (
            <p className="muted">{t("case.references.empty")}</p>
          ) : (
            <ul className="refs-list" data-testid="case-references">
              {data.references.map((r, i) => (
                <li key={i}>
                  <span className="muted">{t(`refkind.${r.kind}`)}</span> <code>{r.value}</code>
                </li>
              ))}
            </ul>
          )}
        </aside>
      </div>
    </section>
  );
}

function NoteEditor({ caseId, onSaved, onCancel }: { caseId: number; onSaved: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [text, setText] = useState("");
  const { error, act } = useAction();
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    await act(async () => {
      await api.addNote(caseId, { at: null, text });
      onSaved();
    });
  };
  return (
    <form className="panel" onSubmit={submit} onKeyDown={submitOnCtrlEnter} aria-label={t("case.add_note")}>
      <Field label={t("note.text")} wide>
        <textarea autoFocus rows={3} value={text} onChange={(e) => setText(e.target.value)} name="note" />
      </Field>
      <FormFoot error={error} onCancel={onCancel} />
    </form>
  );
}

function TxnEditor({ caseId, currency, onSaved, onCancel }: { caseId: number; currency: string; onSaved: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const now = new Date();
  const [f, setF] = useState({ txid: "", when: localInput(now), offset: offsetOf(now), amount: "", currency, counterparty: "", status: "" });
  const { error, act } = useAction();
  const set = (k: keyof typeof f) => (e: React.ChangeEvent<HTMLInputElement>) => setF({ ...f, [k]: e.target.value });
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const form: TransactionForm = {
      txid: f.txid,
      at: composeAt(f.when, f.offset),
      amount: f.amount,
      currency: f.currency,
      direction: null,
      counterparty: f.counterparty,
      method: null,
      status: f.status,
      note: null,
    };
    await act(async () => {
      await api.addTransaction(caseId, form);
      onSaved();
    });
  };
  return (
    <form className="panel" onSubmit={submit} onKeyDown={submitOnCtrlEnter} aria-label={t("case.add_txn")}>
      <div className="grid">
        <Field label={t("txn.id")}>
          <input autoFocus value={f.txid} onChange={set("txid")} name="txid" />
        </Field>
        <Field label={t("txn.when")}>
          <input value={f.when} onChange={set("when")} name="txn-when" />
        </Field>
        <Field label={t("contact.field.offset")}>
          <input value={f.offset} onChange={set("offset")} size={7} />
        </Field>
        <Field label={t("txn.amount")}>
          <input inputMode="decimal" value={f.amount} onChange={set("amount")} name="txn-amount" />
        </Field>
        <Field label={t("case.field.currency")}>
          <input value={f.currency} onChange={set("currency")} size={6} />
        </Field>
        <Field label={t("txn.counterparty")}>
          <input value={f.counterparty} onChange={set("counterparty")} />
        </Field>
        <Field label={t("txn.status")}>
          <input value={f.status} onChange={set("status")} />
        </Field>
      </div>
      <FormFoot error={error} onCancel={onCancel} />
    </form>
  );
}
