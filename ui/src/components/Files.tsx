import { createContext, useContext, useEffect, useState } from "react";
import { api, IpcError, previewUrl, type ImageText, type Attachment, type ColumnMapping, type ImportOptions, type ImportReport, type RowFilterForm, type SavedMapping, type StatementView } from "../ipc";
import type { MappingGuess } from "../ipc/bindings/MappingGuess";
import type { Problem } from "../ipc/bindings/Problem";
import { useI18n } from "../i18n";
import { problemText, termText } from "../i18n/problems";
import { formatAt, formatMoney } from "../lib/format";
import { canPreview, formatSize, mayBeStatement } from "../lib/files";
import { ErrorBanner, Field, messageOf, useAction } from "./common";

/** The text read from the case's screenshots (CaseView provides it). */
export const ImageTexts = createContext<ImageText[]>([]);

/** Copies a text to the clipboard (the async API, else a selected textarea). */
async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
}

/** The text read from a screenshot, under its preview, with "copy". */
function ImageTextView({ it }: { it: ImageText }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  if (it.state === "pending") return <p className="muted small" data-testid="image-text-pending">{t("ocr.pending")}</p>;
  if (it.state === "failed") return <p className="muted small">{t("ocr.failed")}</p>;
  if (it.state === "unavailable") return <p className="muted small">{t("ocr.unavailable_short")}</p>;
  if (!it.text.trim()) return <p className="muted small">{t("ocr.empty")}</p>;
  return (
    <div className="image-text" data-testid="image-text">
      <span className="label">{t("ocr.text")}</span>
      <p className="pre">{it.text}</p>
      <button
        className="small"
        data-testid="copy-image-text"
        onClick={async () => {
          await copyText(it.text);
          setCopied(true);
        }}
      >
        {copied ? t("ocr.copied") : t("ocr.copy")}
      </button>
    </div>
  );
}

/** One attached file: its name as given (with any hidden or reordering
 * characters shown, as the core marks them), an inline preview for images. */
export function FileCard({ a, onImport, onLogEmail }: { a: Attachment; onImport?: (a: Attachment) => void; onLogEmail?: (a: Attachment) => void }) {
  const { t, locale } = useI18n();
  const { error, act } = useAction();
  const [saved, setSaved] = useState<string | null>(null);
  const imageText = useContext(ImageTexts).find((x) => x.attachment_id === a.id);
  return (
    <article className="card file" id={`entry-attachment-${a.id}`} data-testid="file-card">
      <header>
        <strong>{t("file.title")}</strong> · <time dateTime={a.added_at}>{formatAt(a.added_at, locale)}</time>
      </header>
      <p>
        <span className="file-name" data-testid="file-name" dir="ltr">
          {a.display_name}
        </span>{" "}
        <span className="muted small">
          {a.media_type} · {formatSize(a.size)} · SHA-256 <code title={a.sha256}>{a.sha256.slice(0, 12)}…</code>
        </span>
      </p>
      {canPreview(a) && (
        <img className="preview" src={previewUrl(a)} alt={t("file.preview_of", { name: a.display_name })} loading="lazy" data-testid="file-preview" />
      )}
      {imageText && <ImageTextView it={imageText} />}
      <ErrorBanner error={error} />
      {saved && (
        <p className="muted small" role="status">
          {t("file.saved_to", { path: saved })}
        </p>
      )}
      <div className="actions">
        <button
          className="small"
          onClick={() => act(() => api.openAttachment(a.id))}
        >
          {t("file.open")}
        </button>
        <button
          className="small"
          data-testid="file-save-copy"
          onClick={() =>
            act(async () => {
              const path = await api.saveAttachmentCopy(a.id);
              if (path) setSaved(path);
            })
          }
        >
          {t("file.save_copy")}
        </button>
        {onLogEmail && a.media_type === "message/rfc822" && a.contact_id === null && (
          <button className="small" onClick={() => onLogEmail(a)} data-testid="file-log-email">
            {t("email.log")}
          </button>
        )}
        {onImport && mayBeStatement(a) && (
          <button className="small" onClick={() => onImport(a)} data-testid="file-import">
            {t("import.from_file")}
          </button>
        )}
      </div>
    </article>
  );
}

/** "Attach a file" on one contact or transaction: the native dialog, in Rust. */
export function AttachButton({ caseId, contactId = null, transactionId = null, onAttached }: { caseId: number; contactId?: number | null; transactionId?: number | null; onAttached: () => void }) {
  const { t } = useI18n();
  const { error, act } = useAction();
  return (
    <>
      <button
        className="small"
        data-testid="attach-to-entry"
        onClick={() =>
          act(async () => {
            const files = await api.attachPicked(caseId, contactId, transactionId, false);
            if (files.length > 0) onAttached();
          })
        }
      >
        {t("file.attach_here")}
      </button>
      <ErrorBanner error={error} />
    </>
  );
}

export function FileList({ files }: { files: Attachment[] }) {
  if (files.length === 0) return null;
  return (
    <ul className="file-list">
      {files.map((a) => (
        <li key={a.id}>
          <FileCard a={a} />
        </li>
      ))}
    </ul>
  );
}

const FORMATS = ["alipay", "wechat", "paypal", "coinbase", "revolut", "csv"] as const;
type FormatKey = (typeof FORMATS)[number];

const emptyFilter: RowFilterForm = { from: null, to: null, min_amount: null, max_amount: null, text: null };

function blankMapping(): ColumnMapping {
  return { date: "", time: null, amount: "", currency: null, fixed_currency: null, id: null, counterparty: null, status: null, note: null, direction: null, day_first: false, utc: false };
}

/** The preview of a statement: pick the rows that belong to the case, then import them. */
export function ImportDialog({ attachment, onDone, onCancel }: { attachment: Attachment; onDone: (r: ImportReport) => void; onCancel: () => void }) {
  const { t, locale, lang } = useI18n();
  const [format, setFormat] = useState<FormatKey | "auto">("auto");
  const [mapping, setMapping] = useState<ColumnMapping>(blankMapping);
  const [saveAs, setSaveAs] = useState("");
  const [guess, setGuess] = useState<MappingGuess | null>(null);
  const columns = guess?.columns ?? [];
  // How the file's a/b/yyyy dates are read, when they all read both ways:
  // the user says (null: not asked yet).
  const [dayFirst, setDayFirst] = useState<boolean | null>(null);
  const [previewProblem, setPreviewProblem] = useState<Problem | null>(null);
  const [saved, setSaved] = useState<SavedMapping[]>([]);
  useEffect(() => {
    api.mappings().then(setSaved, () => undefined);
  }, []);
  const [filter, setFilter] = useState<RowFilterForm>(emptyFilter);
  const [view, setView] = useState<StatementView | null>(null);
  // The preview's problem and the import's share the banner.
  const { busy, error, setError, act } = useAction();
  const [picked, setPicked] = useState<Set<number>>(new Set());

  const options: ImportOptions = {
    format: format === "auto" ? null : format,
    mapping: format === "csv" ? mapping : null,
    offset_secs: null,
    day_first: dayFirst,
    made_on: null,
  };
  const optionsKey = JSON.stringify(options);

  useEffect(() => {
    let live = true;
    const timer = setTimeout(async () => {
      try {
        const v = await api.previewStatement(attachment.id, options, filter);
        if (live) {
          setView(v);
          setError(null);
          setPreviewProblem(null);
        }
      } catch (e) {
        if (!live) return;
        setView(null);
        setError(messageOf(e));
        setPreviewProblem(e instanceof IpcError ? e.problem : null);
        if (guess === null) {
          api.guessMapping(attachment.id).then((g) => live && setGuess(g), () => undefined);
        }
      }
    }, 150);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [attachment.id, optionsKey, JSON.stringify(filter)]);

  const setF = (k: keyof RowFilterForm) => (e: React.ChangeEvent<HTMLInputElement>) => setFilter({ ...filter, [k]: e.target.value || null });
  const toggle = (line: number) => {
    const next = new Set(picked);
    if (next.has(line)) next.delete(line);
    else next.add(line);
    setPicked(next);
  };
  const shownNew = view ? view.rows.filter((r) => !r.duplicate).map((r) => r.line) : [];
  const mapSel = (k: keyof ColumnMapping, label: string, required = false) => (
    <Field label={label}>
      <select
        value={(mapping[k] as string | null) ?? ""}
        onChange={(e) => setMapping({ ...mapping, [k]: e.target.value || (required ? "" : null) })}
        data-testid={`map-${k}`}
      >
        <option value="">{t("common.none")}</option>
        {columns.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    </Field>
  );

  return (
    <section className="panel import" aria-label={t("import.title")} data-testid="import-dialog">
      <h2>
        {t("import.title")}: <span className="file-name">{attachment.display_name}</span>
      </h2>
      <div className="grid">
        <Field label={t("import.format")}>
          <select
            value={format}
            onChange={(e) => {
              const f = e.target.value as FormatKey | "auto";
              if (f === "csv" && !mapping.date && !mapping.amount && guess?.mapping) setMapping(guess.mapping);
              setFormat(f);
            }}
            data-testid="import-format"
          >
            <option value="auto">{t("import.format.auto")}</option>
            {FORMATS.map((f) => (
              <option key={f} value={f}>
                {t(`import.format.${f}`)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {format === "csv" && (
        <fieldset className="grid mapping">
          <legend>{t("import.mapping")}</legend>
          {saved.length > 0 && (
            <Field label={t("import.map.saved")}>
              <select
                value=""
                data-testid="map-saved"
                onChange={(e) => {
                  const m = saved.find((x) => x.name === e.target.value);
                  if (m) setMapping(m.mapping);
                }}
              >
                <option value="">{t("common.none")}</option>
                {saved.map((m) => (
                  <option key={m.name} value={m.name}>
                    {m.name}
                  </option>
                ))}
              </select>
            </Field>
          )}
          {mapSel("date", t("import.map.date"), true)}
          {mapSel("time", t("import.map.time"))}
          {mapSel("amount", t("import.map.amount"), true)}
          {mapSel("currency", t("import.map.currency"))}
          <Field label={t("import.map.fixed_currency")}>
            <input name="fixed-currency" value={mapping.fixed_currency ?? ""} onChange={(e) => setMapping({ ...mapping, fixed_currency: e.target.value || null })} size={6} />
          </Field>
          {mapSel("id", t("import.map.id"))}
          {mapSel("counterparty", t("import.map.counterparty"))}
          {mapSel("status", t("import.map.status"))}
          {mapSel("note", t("import.map.note"))}
          {mapSel("direction", t("import.map.direction"))}
          <label className="check">
            <input type="checkbox" checked={mapping.day_first} onChange={(e) => setMapping({ ...mapping, day_first: e.target.checked })} /> {t("import.map.day_first")}
          </label>
          <label className="check">
            <input type="checkbox" checked={mapping.utc} onChange={(e) => setMapping({ ...mapping, utc: e.target.checked })} /> {t("import.map.utc")}
          </label>
          <Field label={t("import.map.save_as")}>
            <input name="save-mapping-as" value={saveAs} onChange={(e) => setSaveAs(e.target.value)} />
          </Field>
        </fieldset>
      )}
      {/* A question, not a failure: asked in its own box below. */}
      <ErrorBanner error={previewProblem?.code === "date_order_needed" ? null : error} />
      {previewProblem?.code === "unknown_layout" && format !== "csv" && guess?.mapping && (
        <p>
          <button
            data-testid="use-guess"
            onClick={() => {
              if (guess.mapping) setMapping(guess.mapping);
              setFormat("csv");
            }}
          >
            {t("import.use_guess")}
          </button>
        </p>
      )}
      {(previewProblem?.code === "date_order_needed" || dayFirst !== null) && (
        <fieldset className="date-order" data-testid="date-order">
          <legend>{t("import.date_order")}</legend>
          {previewProblem?.code === "date_order_needed" && (
            <p className="warning" role="note">
              {problemText(lang, previewProblem)}
            </p>
          )}
          <label className="check">
            <input type="radio" name="date-order" value="day" checked={dayFirst === true} onChange={() => setDayFirst(true)} /> {t("import.date_order.day")}
          </label>
          <label className="check">
            <input type="radio" name="date-order" value="month" checked={dayFirst === false} onChange={() => setDayFirst(false)} /> {t("import.date_order.month")}
          </label>
        </fieldset>
      )}
      {view && (
        <>
          <p className="muted" data-testid="import-summary">
            {t("import.summary", { layout: view.layout_name[lang] + termText(lang, `statement_language:${view.language}`), encoding: view.encoding, rows: view.total_rows, dups: view.duplicates, rejected: view.rejected.length })}
          </p>
          {view.warnings.map((w) => (
            <p key={w.code} className="warning" role="note">
              {problemText(lang, w)}
            </p>
          ))}
          <div className="grid filters">
            <Field label={t("import.filter.from")}>
              <input type="date" value={filter.from ?? ""} onChange={setF("from")} />
            </Field>
            <Field label={t("import.filter.to")}>
              <input type="date" value={filter.to ?? ""} onChange={setF("to")} />
            </Field>
            <Field label={t("import.filter.min")}>
              <input inputMode="decimal" value={filter.min_amount ?? ""} onChange={setF("min_amount")} size={8} />
            </Field>
            <Field label={t("import.filter.max")}>
              <input inputMode="decimal" value={filter.max_amount ?? ""} onChange={setF("max_amount")} size={8} />
            </Field>
            <Field label={t("import.filter.text")}>
              <input value={filter.text ?? ""} onChange={setF("text")} data-testid="import-search" />
            </Field>
          </div>
          <p className="muted small">
            {t("import.matching", { n: view.matching, shown: view.rows.length })}{" "}
            <button className="small" onClick={() => setPicked(new Set([...picked, ...shownNew]))}>
              {t("import.pick_shown")}
            </button>{" "}
            <button className="small" onClick={() => setPicked(new Set())}>
              {t("import.pick_none")}
            </button>
          </p>
          <div className="table-wrap">
            <table className="preview-table" data-testid="import-rows">
              <thead>
                <tr>
                  <th scope="col">{t("import.col.pick")}</th>
                  <th scope="col">{t("import.col.line")}</th>
                  <th scope="col">{t("import.col.time")}</th>
                  <th scope="col">{t("import.col.amount")}</th>
                  <th scope="col">{t("import.col.counterparty")}</th>
                  <th scope="col">{t("import.col.id")}</th>
                  <th scope="col">{t("import.col.status")}</th>
                </tr>
              </thead>
              <tbody>
                {view.rows.map((r) => {
                  const d = r.draft;
                  const signed = d.direction === "out" ? `-${d.amount}` : d.amount;
                  return (
                    <tr key={r.line} className={r.duplicate ? "dup" : picked.has(r.line) ? "picked" : ""}>
                      <td>
                        <input
                          type="checkbox"
                          aria-label={t("import.pick_line", { line: r.line })}
                          disabled={r.duplicate}
                          checked={picked.has(r.line)}
                          onChange={() => toggle(r.line)}
                          data-line={r.line}
                        />
                      </td>
                      <td>{r.line}</td>
                      <td>{formatAt(d.at, locale)}</td>
                      <td className={d.direction === "out" ? "amount out" : "amount in"}>{formatMoney(signed, d.currency, locale)}</td>
                      <td>{d.counterparty}</td>
                      <td>
                        <code>{d.txid}</code>
                      </td>
                      <td>{r.duplicate ? t("import.already") : d.status}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {view.rejected.length > 0 && (
            <details>
              <summary>{t("import.rejected", { n: view.rejected.length })}</summary>
              <ul>
                {view.rejected.map((r) => (
                  <li key={r.line}>{t("import.rejected_line", { line: r.line, reason: problemText(lang, r.reason) })}</li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
      <div className="actions">
        <button
          className="primary"
          disabled={picked.size === 0 || busy}
          data-testid="import-go"
          onClick={() =>
            act(async () => onDone(await api.importStatement(attachment.id, options, [...picked].sort((a, b) => a - b), format === "csv" && saveAs.trim() ? saveAs : null)))
          }
        >
          {t("import.go", { n: picked.size })}
        </button>
        <button onClick={onCancel}>{t("common.cancel")}</button>
      </div>
    </section>
  );
}
