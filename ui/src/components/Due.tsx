import { api } from "../ipc";
import { useI18n } from "../i18n";
import { formatDate } from "../lib/format";
import { ErrorBanner, useLoad } from "./common";

/** Cases with scam-shield red flags first; then follow-ups promised by support, case deadlines and escalation dates, oldest first. */
export function DueView({ onOpen }: { onOpen: (caseId: number) => void }) {
  const { t, locale } = useI18n();
  const { data, error } = useLoad(() => api.due(60), []);
  return (
    <section aria-labelledby="due-title">
      <h1 id="due-title">{t("due.title")}</h1>
      <ErrorBanner error={error} />
      {data?.length === 0 && <p className="empty">{t("due.empty")}</p>}
      <ul className="due" data-testid="due-list">
        {data?.map((d, i) => (
          <li key={i} className={d.overdue ? "overdue" : ""} data-kind={d.kind}>
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
            <button className="link" onClick={() => onOpen(d.case_id)}>
              {d.case_title}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
