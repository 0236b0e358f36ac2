import { useEffect, useState } from "react";
import { api, type Case, type Escalation, type ExportFormat, type Lang, type LetterTo } from "../ipc";
import { useI18n } from "../i18n";
import { formatDate } from "../lib/format";
import { ErrorBanner, Field, useAction, useLoad } from "./common";

/** Export the case summary: format, language, redaction; saved through the native dialog. */
export function ExportDialog({ caseId, onClose, onSaved }: { caseId: number; onClose: () => void; onSaved: (path: string) => void }) {
  const { t, locale } = useI18n();
  const [format, setFormat] = useState<ExportFormat>("pdf");
  const [lang, setLang] = useState<Lang>(locale.startsWith("zh") ? "zh" : "en");
  const [redact, setRedact] = useState(true);
  const { busy, error, act } = useAction();
  return (
    <form
      className="panel"
      data-testid="export-dialog"
      onSubmit={(e) => {
        e.preventDefault();
        void act(async () => {
          const path = await api.exportCase(caseId, format, lang, redact);
          if (path) onSaved(path);
        });
      }}
    >
      <h2>{t("export.title")}</h2>
      <p className="muted small">{t("export.hint")}</p>
      <div className="grid">
        <Field label={t("export.format")}>
          <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)} data-testid="export-format">
            <option value="pdf">PDF</option>
            <option value="html">HTML</option>
            <option value="markdown">Markdown</option>
            <option value="json">JSON</option>
          </select>
        </Field>
        <Field label={t("export.language")}>
          <select value={lang} onChange={(e) => setLang(e.target.value as Lang)} data-testid="export-lang">
            <option value="zh">简体中文</option>
            <option value="en">English</option>
          </select>
        </Field>
      </div>
      <label className="check">
        <input type="checkbox" checked={redact} onChange={(e) => setRedact(e.target.checked)} data-testid="export-redact" /> {t("export.redact")}
      </label>
      <ErrorBanner error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy} data-testid="export-save">
          {t("export.save")}
        </button>
        <button type="button" onClick={onClose}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}

/** A complaint letter drafted from the case, edited here, saved through the native dialog. */
export function LetterDialog({ caseId, onClose, onSaved }: { caseId: number; onClose: () => void; onSaved: (path: string) => void }) {
  const { t, locale } = useI18n();
  const [to, setTo] = useState<LetterTo>("provider");
  const [lang, setLang] = useState<Lang>(locale.startsWith("zh") ? "zh" : "en");
  const [text, setText] = useState<string | null>(null);
  const { error, act } = useAction();
  const draft = (toNow: LetterTo, langNow: Lang) => act(async () => setText((await api.draftLetter(caseId, toNow, langNow)).text));
  useEffect(() => {
    void draft(to, lang);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return (
    <form
      className="panel"
      data-testid="letter-dialog"
      onSubmit={(e) => {
        e.preventDefault();
        void act(async () => {
          const path = await api.saveLetter(caseId, text ?? "");
          if (path) onSaved(path);
        });
      }}
    >
      <h2>{t("letter.title")}</h2>
      <div className="grid">
        <Field label={t("letter.to")}>
          <select
            value={to}
            onChange={(e) => {
              const next = e.target.value as LetterTo;
              setTo(next);
              void draft(next, lang);
            }}
            data-testid="letter-to"
          >
            <option value="provider">{t("letter.to.provider")}</option>
            <option value="regulator">{t("letter.to.regulator")}</option>
          </select>
        </Field>
        <Field label={t("export.language")}>
          <select
            value={lang}
            onChange={(e) => {
              const next = e.target.value as Lang;
              setLang(next);
              void draft(to, next);
            }}
            data-testid="letter-lang"
          >
            <option value="zh">简体中文</option>
            <option value="en">English</option>
          </select>
        </Field>
      </div>
      <p className="muted small">{t("letter.hint")}</p>
      <textarea className="letter" rows={18} value={text ?? ""} onChange={(e) => setText(e.target.value)} data-testid="letter-text" aria-label={t("letter.title")} />
      <ErrorBanner error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={text === null} data-testid="letter-save">
          {t("letter.save")}
        </button>
        <button type="button" onClick={onClose}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}

/** Where the case would escalate, and from when: the side box of the case view. */
export function EscalationBox({ c, escalation, onChanged }: { c: Case; escalation: Escalation | null; onChanged: () => void }) {
  const { t, locale } = useI18n();
  const zh = locale.startsWith("zh");
  const { data: routes } = useLoad(() => api.escalationRoutes(), []);
  const [editing, setEditing] = useState(false);
  const [route, setRoute] = useState(c.escalation_route ?? "");
  const [first, setFirst] = useState(c.first_complaint ?? "");
  const { error, act } = useAction();
  return (
    <section className="escalation" data-testid="escalation">
      <h2>{t("escalation.title")}</h2>
      {escalation ? (
        <>
          <p>
            <strong>{zh ? escalation.name_zh : escalation.name_en}</strong>
          </p>
          {escalation.first_complaint ? (
            <p className="small">
              {t("escalation.first_complaint")}: {formatDate(escalation.first_complaint, locale)}
            </p>
          ) : (
            <p className="small muted">{t("escalation.no_complaint")}</p>
          )}
          <ul className="small">
            {escalation.clocks.map((k) => (
              <li key={k.id}>
                {zh ? k.label_zh : k.label_en}: <strong>{formatDate(k.date, locale)}</strong>
              </li>
            ))}
          </ul>
          {escalation.can_escalate_from && (
            <p className="badge" data-testid="can-escalate">
              {t("escalation.from", { date: formatDate(escalation.can_escalate_from, locale) })}
            </p>
          )}
          <p className="muted small">{zh ? escalation.disclaimer_zh : escalation.disclaimer_en}</p>
        </>
      ) : (
        <p className="muted small">{t("escalation.none")}</p>
      )}
      {editing ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void act(async () => {
              await api.setCaseEscalation(c.id, route || null, first || null);
              setEditing(false);
              onChanged();
            });
          }}
        >
          <Field label={t("escalation.route")}>
            <select value={route} onChange={(e) => setRoute(e.target.value)} data-testid="escalation-route">
              <option value="">{t("common.none")}</option>
              {routes?.map((r) => (
                <option key={r.id} value={r.id}>
                  {zh ? r.name_zh : r.name_en}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t("escalation.first_complaint_input")}>
            <input type="date" value={first} onChange={(e) => setFirst(e.target.value)} data-testid="escalation-first" />
          </Field>
          <ErrorBanner error={error} />
          <div className="actions">
            <button type="submit" className="primary small" data-testid="escalation-save">
              {t("common.save")}
            </button>
            <button type="button" className="small" onClick={() => setEditing(false)}>
              {t("common.cancel")}
            </button>
          </div>
        </form>
      ) : (
        <button className="small" onClick={() => setEditing(true)} data-testid="escalation-edit">
          {t("escalation.choose")}
        </button>
      )}
    </section>
  );
}
