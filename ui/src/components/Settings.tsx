import { useState } from "react";
import { api, type Protection, type VerifyReport } from "../ipc";
import { formatSize } from "../lib/files";
import { useI18n } from "../i18n";
import { ErrorBanner, Field, useAction, useLoad } from "./common";
import { ProtectionSettings } from "./Lock";

export type LangSetting = "auto" | "en" | "zh";
export type ThemeSetting = "auto" | "light" | "dark";

export function SettingsView({
  lang,
  theme,
  onLang,
  onTheme,
  protection,
  onProtectionChanged,
}: {
  lang: LangSetting;
  theme: ThemeSetting;
  onLang: (l: LangSetting) => void;
  onTheme: (t: ThemeSetting) => void;
  protection: Protection | null;
  onProtectionChanged: () => void;
}) {
  const { t } = useI18n();
  const { data } = useLoad(() => api.journalInfo(), []);
  const [verify, setVerify] = useState<VerifyReport | null>(null);
  const verifying = useAction();
  const [backupNote, setBackupNote] = useState<string | null>(null);
  const backingUp = useAction();
  const [confirmRestore, setConfirmRestore] = useState(false);
  const [restorePassphrase, setRestorePassphrase] = useState("");
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
          onClick={() => verifying.act(async () => setVerify(await api.verifyEvidence()))}
          data-testid="verify"
        >
          {t("settings.verify")}
        </button>
      </p>
      <ErrorBanner error={verifying.error} />
      {verify && (
        <p role="status" className={verify.damaged.length ? "warning" : "muted"} data-testid="verify-result">
          {verify.damaged.length === 0
            ? t("settings.verify.ok", { n: verify.files_checked })
            : t("settings.verify.bad", { n: verify.damaged.length, names: verify.damaged.flatMap((d) => d.names).join(", ") })}
        </p>
      )}
      <ProtectionSettings protection={protection} onChanged={onProtectionChanged} />
      <h2>{t("settings.backup")}</h2>
      <p className="muted">{t("settings.backup.hint")}</p>
      <div className="actions">
        <button
          onClick={() =>
            backingUp.act(async () => {
              const r = await api.backupJournal();
              if (r) setBackupNote(t("settings.backup.done", { path: r.path, n: r.files, size: formatSize(r.bytes) }));
            })
          }
          data-testid="backup"
        >
          {t("settings.backup.button")}
        </button>
        <button onClick={() => setConfirmRestore(true)} data-testid="restore">
          {t("settings.restore.button")}
        </button>
      </div>
      {confirmRestore && (
        <div className="panel warning" role="alertdialog" aria-label={t("settings.restore.button")}>
          <p>{t("settings.restore.confirm")}</p>
          <Field label={t("settings.restore.passphrase")}>
            <input type="password" autoComplete="off" value={restorePassphrase} onChange={(e) => setRestorePassphrase(e.target.value)} data-testid="restore-passphrase" />
          </Field>
          <div className="actions">
            <button
              className="primary"
              data-testid="restore-confirm"
              onClick={() => {
                setConfirmRestore(false);
                void backingUp.act(async () => {
                  const r = await api.restoreJournal(restorePassphrase === "" ? null : restorePassphrase);
                  setRestorePassphrase("");
                  onProtectionChanged();
                  if (r) setBackupNote(t("settings.restore.done", { n: r.cases, files: r.files, aside: r.moved_aside ?? "—" }));
                });
              }}
            >
              {t("settings.restore.yes")}
            </button>
            <button onClick={() => setConfirmRestore(false)}>{t("common.cancel")}</button>
          </div>
        </div>
      )}
      <ErrorBanner error={backingUp.error} />
      {backupNote && (
        <p role="status" className="muted" data-testid="backup-result">
          {backupNote}
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
