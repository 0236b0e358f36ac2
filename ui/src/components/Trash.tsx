import { api } from "../ipc";
import { useI18n } from "../i18n";
import { formatAt } from "../lib/format";
import { ErrorBanner, useLoad } from "./common";

export function TrashView() {
  const { t, locale } = useI18n();
  const { data, error, reload } = useLoad(() => api.trashedContacts(), []);
  return (
    <section aria-labelledby="trash-title">
      <h1 id="trash-title">{t("trash.title")}</h1>
      <ErrorBanner error={error} />
      {data?.length === 0 && <p className="empty">{t("trash.empty")}</p>}
      <ul className="trash">
        {data?.map((c) => (
          <li key={c.id} className="card">
            <strong>{t(`channel.${c.channel}`)}</strong> · {formatAt(c.at, locale)}
            <p className="pre">{c.reply || c.asked}</p>
            <button
              className="small"
              onClick={async () => {
                await api.restoreContact(c.id);
                await reload();
              }}
            >
              {t("common.restore")}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
