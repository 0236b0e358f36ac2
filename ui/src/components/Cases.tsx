import { useState } from "react";
import { api, type Case, type CaseForm, type Category } from "../ipc";
import { useI18n, type MessageKey } from "../i18n";
import { formatDate, formatMoney } from "../lib/format";
import { CATEGORIES, STATUSES } from "../lib/vocab";
import { ErrorBanner, Field, FormFoot, Options, submitOnCtrlEnter, useAction, useLoad } from "./common";

export function DeadlineBadge({ c }: { c: Case }) {
  const { t } = useI18n();
  if (c.deadline_in_days === null) return null;
  if (c.overdue) return <span className="badge danger">{t("cases.overdue")}</span>;
  if (c.status === "resolved" || c.status === "closed") return null;
  if (c.deadline_in_days === 0) return <span className="badge warn">{t("cases.due_today")}</span>;
  if (c.deadline_in_days <= 7) return <span className="badge warn">{t("cases.due_in", { n: c.deadline_in_days })}</span>;
  return null;
}

const PAGE = 50;

export function CaseList({ onOpen }: { onOpen: (id: number) => void }) {
  const { t, locale } = useI18n();
  const [status, setStatus] = useState("");
  const [category, setCategory] = useState("");
  const [provider, setProvider] = useState("");
  const [creating, setCreating] = useState(false);
  // Unfinished cases come first; the rest are a click away. Only the cases
  // shown are read: a journal can hold tens of thousands.
  const [shown, setShown] = useState(PAGE);
  const filtered = (set: (v: string) => void) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
    set(e.target.value);
    setShown(PAGE);
  };
  const page = useLoad(
    () => api.listCases({ status: status || null, category: category || null, provider: provider || null }, 0, shown),
    [status, category, provider, shown],
  );
  const { error } = page;
  const data = page.data?.cases;
  const total = page.data?.total ?? 0;
  return (
    <section aria-labelledby="cases-title">
      <header className="page-head">
        <h1 id="cases-title">{t("cases.title")}</h1>
        <button className="primary" onClick={() => setCreating(true)} data-testid="new-case">
          {t("cases.new")}
        </button>
      </header>
      {creating && <NewCaseForm onCancel={() => setCreating(false)} onCreated={(c) => onOpen(c.id)} />}
      <div className="filters" role="group" aria-label={t("cases.filter.status")}>
        <Field label={t("cases.filter.status")}>
          <select value={status} onChange={filtered(setStatus)} data-testid="filter-status">
            <Options keys={STATUSES} prefix="status" withAll />
          </select>
        </Field>
        <Field label={t("cases.filter.category")}>
          <select value={category} onChange={filtered(setCategory)}>
            <Options keys={CATEGORIES} prefix="category" withAll />
          </select>
        </Field>
        <Field label={t("cases.filter.provider")}>
          <input value={provider} onChange={filtered(setProvider)} />
        </Field>
      </div>
      <ErrorBanner error={error} />
      {data && data.length === 0 && <p className="empty">{t("cases.empty")}</p>}
      {data && data.length > 0 && (
        <table className="cases" data-testid="case-list">
          <thead>
            <tr>
              <th scope="col">{t("cases.col.title")}</th>
              <th scope="col">{t("cases.col.status")}</th>
              <th scope="col">{t("cases.col.provider")}</th>
              <th scope="col">{t("cases.col.category")}</th>
              <th scope="col">{t("cases.col.open")}</th>
              <th scope="col">{t("cases.col.deadline")}</th>
            </tr>
          </thead>
          <tbody>
            {data.map((c) => (
              <tr key={c.id}>
                <td>
                  <button className="link" onClick={() => onOpen(c.id)} data-testid={`open-case-${c.id}`}>
                    {c.title}
                  </button>
                  {c.amount && <div className="muted">{formatMoney(c.amount.amount, c.amount.currency, locale)}</div>}
                </td>
                <td>
                  <span className={`status status-${c.status}`}>{t(`status.${c.status}`)}</span>
                </td>
                <td>{c.provider?.name ?? t("common.none")}</td>
                <td>{t(`category.${c.category}`)}</td>
                <td>{t("common.days", { n: c.days_open })}</td>
                <td>
                  {c.deadline ? formatDate(c.deadline, locale) : t("common.none")} <DeadlineBadge c={c} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && total > data.length && (
        <button className="more" onClick={() => setShown(data.length + PAGE)} data-testid="more-cases">
          {t("cases.more", { n: Math.min(PAGE, total - data.length), total })}
        </button>
      )}
    </section>
  );
}

const EMPTY: CaseForm = {
  title: "",
  provider: null,
  provider_kind: null,
  category: "account_locked",
  amount: null,
  currency: "CNY",
  deadline: null,
  desired_outcome: null,
  summary: null,
  tags: [],
  opened_at: null,
  checklist_done: [],
};

function NewCaseForm({ onCancel, onCreated }: { onCancel: () => void; onCreated: (c: Case) => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState<CaseForm>(EMPTY);
  const { error, act } = useAction();
  const items = useLoad(() => api.checklist((form.category ?? "other") as Category), [form.category]).data ?? [];
  const toggle = (item: string) =>
    setForm({ ...form, checklist_done: form.checklist_done.includes(item) ? form.checklist_done.filter((i) => i !== item) : [...form.checklist_done, item] });
  const set = (k: keyof CaseForm) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) =>
    setForm({ ...form, [k]: e.target.value });
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    // The currency only counts when an amount was typed.
    const amount = form.amount?.trim() ? form.amount : null;
    await act(async () => onCreated(await api.createCase({ ...form, amount, currency: amount ? form.currency : null })));
  };
  return (
    <form className="panel" onSubmit={submit} onKeyDown={submitOnCtrlEnter} aria-labelledby="new-case-title" data-testid="new-case-form">
      <h2 id="new-case-title">{t("case.new.title")}</h2>
      <div className="grid">
        <Field label={t("case.field.title")} wide>
          <input autoFocus required value={form.title} placeholder={t("case.field.title.placeholder")} onChange={set("title")} name="title" />
        </Field>
        <Field label={t("case.field.provider")}>
          <input value={form.provider ?? ""} onChange={set("provider")} name="provider" />
        </Field>
        <Field label={t("case.field.category")}>
          <select value={form.category ?? ""} onChange={(e) => setForm({ ...form, category: e.target.value, checklist_done: [] })} name="category">
            <Options keys={CATEGORIES} prefix="category" />
          </select>
        </Field>
        <Field label={t("case.field.amount")}>
          <input inputMode="decimal" value={form.amount ?? ""} onChange={set("amount")} name="amount" />
        </Field>
        <Field label={t("case.field.currency")}>
          <input value={form.currency ?? ""} onChange={set("currency")} name="currency" size={6} />
        </Field>
        <Field label={t("case.field.deadline")}>
          <input placeholder="YYYY-MM-DD" value={form.deadline ?? ""} onChange={set("deadline")} name="deadline" />
        </Field>
        <Field label={t("case.field.outcome")} wide>
          <input value={form.desired_outcome ?? ""} onChange={set("desired_outcome")} name="outcome" />
        </Field>
        <Field label={t("case.field.summary")} wide>
          <textarea rows={3} value={form.summary ?? ""} onChange={set("summary")} name="summary" />
        </Field>
      </div>
      <fieldset className="checklist-box" data-testid="new-case-checklist">
        <legend>{t("case.checklist")}</legend>
        <ul className="checklist">
          {items.map((item) => (
            <li key={item}>
              <label>
                <input type="checkbox" checked={form.checklist_done.includes(item)} onChange={() => toggle(item)} name={`check-${item}`} />{" "}
                {t(`checklist.${item}` as MessageKey)}
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <FormFoot error={error} onCancel={onCancel} label={t("case.create")} testid="create-case" />
    </form>
  );
}
