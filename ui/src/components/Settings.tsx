import { useState } from "react";
import { api, type VerifyReport } from "../ipc";
import { useI18n } from "../i18n";
import { ErrorBanner, Field, messageOf, useLoad } from "./common";

export type LangSetting = "auto" | "en" | "zh";
export type ThemeSetting = "auto" | "light" | "dark";

export function SettingsView({ lang, theme, onLang, onTheme }: { lang: LangSetting; theme: ThemeSetting; onLang: (l: LangSetting) => void; onTheme: (t: ThemeSetting) => void }) {
  const { t } = useI18n();
  const { data } = useLoad(() => api.journalInfo(), []);
  const [verify, setVerify] = useState<VerifyReport | null>(null);
  const [verifyError, setVerifyError] = useState<string | null>(null);
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">{t("settings.title")}</h1>
      <div className="grid">
        <Field label={t("settings.language")}>
          <select value={lang} onChange={(e) => onLang(e.target.value as LangSetting)} data-testid="language">
            <option value="auto">{t("settings.language.auto")}</option>
            <option value="zh">简体中文</option>
            <option value="en">English</option>
          </select>
        </Field>
        <Field label={t("settings.theme")}>
          <select value={theme} onChange={(e) => onTheme(e.target.value as ThemeSetting)} data-testid="theme">
            <option value="auto">{t("settings.theme.auto")}</option>
            <option value="light">{t("settings.theme.light")}</option>
            <option value="dark">{t("settings.theme.dark")}</option>
          </select>
        </Field>
      </div>
      <h2>{t("settings.journal")}</h2>
      <p>
        <code>{data?.path}</code>
      </p>
      <p className="muted">{t("settings.journal.hint")}</p>
      <p>
        <button
          onClick={async () => {
            try {
              setVerify(await api.verifyEvidence());
              setVerifyError(null);
            } catch (e) {
              setVerifyError(messageOf(e));
            }
          }}
          data-testid="verify"
        >
          {t("settings.verify")}
        </button>
      </p>
      <ErrorBanner error={verifyError} />
      {verify && (
        <p role="status" className={verify.damaged.length ? "warning" : "muted"} data-testid="verify-result">
          {verify.damaged.length === 0
            ? t("settings.verify.ok", { n: verify.files_checked })
            : t("settings.verify.bad", { n: verify.damaged.length, names: verify.damaged.flatMap((d) => d.names).join(", ") })}
        </p>
      )}
      {data && (
        <p className="muted small">
          Casebook {data.casebook_version} · SQLite {data.sqlite_version}
        </p>
      )}
    </section>
  );
}
