import { useEffect } from "react";
import { api } from "../ipc";
import { useI18n } from "../i18n";
import { formatDate } from "../lib/format";
import { ErrorBanner, useAction, useLoad } from "./common";

/** Tomorrow's date on the user's clock, YYYY-MM-DD. */
function tomorrow(): string {
  const d = new Date();
  d.setDate(d.getDate() + 1);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * Cases with scam-shield red flags first; then follow-ups promised by
 * support, case deadlines and escalation dates, oldest first. Each can be
 * snoozed (no reminder until tomorrow), and a follow-up marked done.
 */
export function DueView({ onOpen }: { onOpen: (caseId: number, contactId: number | null) => void }) {
  const { t, locale } = useI18n();
  const { data, error, reload } = useLoad(() => api.due(60), []);
  const acting = useAction();
  // Opening the view looks for reminders to show now.
  useEffect(() => {
    api.checkReminders().catch(() => undefined);
  }, []);
  const act = (f: () => Promise<unknown>) =>
    acting.act(async () => {
      await f();
      await reload();
    });
  return (
    <section aria-labelledby="due-title">
      <h1 id="due-title">{t("due.title")}</h1>
      <ErrorBanner error={error ?? acting.error} />
      {data?.length === 0 && <p className="empty">{t("due.empty")}</p>}
      <ul className="due" data-testid="due-list">
        {data?.map((d, i) => (
          <li key={i} className={d.overdue ? "overdue" : ""} data-kind={d.kind} data-item={d.item ?? undefined}>
            {d.kind === "warning" ? (
              <span className="badge danger">{t("due.warning", { n: d.warnings })}</span>
            ) : d.kind === "escalation" ? (
              <span className="badge warn">{d.days <= 0 ? t("due.escalate_now") : t("due.in", { n: d.days })}</span>
            ) : (
              <span className={d.overdue ? "badge danger" : d.days === 0 ? "badge warn" : "badge"}>
                {d.overdue ? t("due.overdue", { n: -d.days }) : d.days === 0 ? t("due.today") : t("due.in", { n: d.days })}
              </span>
            )}{" "}
            {d.kind === "warning" ? (
              <>{t("due.warning.hint")}</>
            ) : (
              <>
                <strong>{formatDate(d.date, locale)}</strong> · {d.kind === "follow_up" ? t("due.follow_up") : d.kind === "escalation" ? t("due.escalation") : t("due.deadline")}
              </>
            )}
            {d.kind === "follow_up" && d.promise && <>: {d.promise}</>} ·{" "}
            <button className="link" onClick={() => onOpen(d.case_id, d.kind === "follow_up" ? d.contact_id : null)}>
              {d.case_title}
            </button>
            {d.item && (
              <span className="due-actions">
                {d.snoozed_until ? (
                  <>
                    <span className="muted small" data-testid="snoozed">
                      {t("due.snoozed", { date: formatDate(d.snoozed_until, locale) })}
                    </span>{" "}
                    <button className="link" disabled={acting.busy} onClick={() => act(() => api.snoozeReminder(d.item as string, null))}>
                      {t("due.unsnooze")}
                    </button>
                  </>
                ) : d.days > 1 ? null : (
                  <button className="link" disabled={acting.busy} data-testid="snooze" onClick={() => act(() => api.snoozeReminder(d.item as string, tomorrow()))}>
                    {t("due.snooze")}
                  </button>
                )}
                {d.kind === "follow_up" && d.contact_id !== null && (
                  <>
                    {" · "}
                    <button className="link" disabled={acting.busy} data-testid="follow-up-done" onClick={() => act(() => api.setFollowUpDone(d.contact_id as number, true))}>
                      {t("due.done")}
                    </button>
                  </>
                )}
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
