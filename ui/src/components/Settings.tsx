import { useState } from "react";
import { api, type Protection, type VerifyReport } from "../ipc";
import type { DesktopSettings } from "../ipc/bindings/DesktopSettings";
import type { ReminderKind } from "../ipc/bindings/ReminderKind";
import type { ReminderSettings } from "../ipc/bindings/ReminderSettings";
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
      <RemindersSettings />
      <DesktopSection />
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

const KINDS: ReminderKind[] = ["follow_up", "not_kept", "deadline", "escalation"];

/** Desktop reminders: on or off, per kind, and quiet hours (kept in the journal; the CLI's `due --notify` follows them too). */
function RemindersSettings() {
  const { t } = useI18n();
  const { data, error } = useLoad(() => api.settings(), []);
  const [form, setForm] = useState<ReminderSettings | null>(null);
  const [saved, setSaved] = useState(false);
  const saving = useAction();
  const r = form ?? data?.reminders ?? null;
  if (!r) return <ErrorBanner error={error} />;
  const change = (patch: Partial<ReminderSettings>) => {
    setSaved(false);
    setForm({ ...r, ...patch });
  };
  const quiet = r.quiet_from !== null && r.quiet_to !== null;
  return (
    <>
      <h2>{t("settings.reminders")}</h2>
      <p className="muted">{t("settings.reminders.hint")}</p>
      <fieldset className="reminders" data-testid="reminder-settings">
        <legend className="sr-only">{t("settings.reminders")}</legend>
        <label>
          <input type="checkbox" checked={r.enabled} onChange={(e) => change({ enabled: e.target.checked })} data-testid="reminders-enabled" /> {t("settings.reminders.enabled")}
        </label>
        {KINDS.map((k) => (
          <label key={k} className="indent">
            <input
              type="checkbox"
              disabled={!r.enabled}
              checked={!r.off.includes(k)}
              onChange={(e) => change({ off: e.target.checked ? r.off.filter((o) => o !== k) : [...r.off, k] })}
              data-testid={`reminder-kind-${k}`}
            />{" "}
            {t(`settings.reminders.${k}`)}
          </label>
        ))}
        <label>
          <input
            type="checkbox"
            checked={quiet}
            onChange={(e) => change(e.target.checked ? { quiet_from: "22:00", quiet_to: "08:00" } : { quiet_from: null, quiet_to: null })}
            data-testid="quiet-hours"
          />{" "}
          {t("settings.reminders.quiet")}
        </label>
        {quiet && (
          <div className="grid indent">
            <Field label={t("settings.reminders.quiet_from")}>
              <input type="time" value={r.quiet_from ?? ""} onChange={(e) => change({ quiet_from: e.target.value })} data-testid="quiet-from" />
            </Field>
            <Field label={t("settings.reminders.quiet_to")}>
              <input type="time" value={r.quiet_to ?? ""} onChange={(e) => change({ quiet_to: e.target.value })} data-testid="quiet-to" />
            </Field>
          </div>
        )}
        <div className="actions">
          <button
            disabled={saving.busy || form === null}
            data-testid="save-reminders"
            onClick={() =>
              saving.act(async () => {
                const s = await api.setReminderSettings(r);
                setForm(s.reminders);
                setSaved(true);
              })
            }
          >
            {t("settings.reminders.save")}
          </button>
          {saved && (
            <span role="status" className="muted" data-testid="reminders-saved">
              {t("settings.reminders.saved")}
            </span>
          )}
        </div>
      </fieldset>
      <ErrorBanner error={saving.error} />
    </>
  );
}

/** The tray icon and starting at login (this computer's choice, applied at once). */
function DesktopSection() {
  const { t } = useI18n();
  const { data, error } = useLoad(() => api.desktopSettings(), []);
  const [now, setNow] = useState<DesktopSettings | null>(null);
  const saving = useAction();
  const d = now ?? data ?? null;
  if (!d) return <ErrorBanner error={error} />;
  const change = (asked: DesktopSettings) =>
    saving.act(async () => {
      setNow(await api.setDesktopSettings(asked));
    });
  return (
    <>
      <h2>{t("settings.desktop")}</h2>
      <p className="muted">{t("settings.desktop.hint")}</p>
      <fieldset className="reminders" data-testid="desktop-settings">
        <legend className="sr-only">{t("settings.desktop")}</legend>
        <label>
          <input type="checkbox" checked={d.tray} disabled={saving.busy} onChange={(e) => change({ ...d, tray: e.target.checked })} data-testid="desktop-tray" />{" "}
          {t("settings.desktop.tray")}
        </label>
        <label>
          <input
            type="checkbox"
            checked={d.start_at_login}
            disabled={saving.busy}
            onChange={(e) => change({ ...d, start_at_login: e.target.checked })}
            data-testid="desktop-login"
          />{" "}
          {t("settings.desktop.login")}
        </label>
      </fieldset>
      <ErrorBanner error={saving.error} />
    </>
  );
}
