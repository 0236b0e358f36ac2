// Passphrase protection: the lock screen, the first-start offer, the
// recovery key panel and the Settings section. Every rule (length, wrong
// passphrase, what is encrypted) is in the core; this only asks and shows.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { api, type Protection, type Strength } from "../ipc";
import { useI18n } from "../i18n";
import { ErrorBanner, Field, useAction } from "./common";

/** Two password fields that must match; calls `onSubmit` with the passphrase. */
function NewPassphrase({ busy, button, onSubmit, testid }: { busy: boolean; button: string; onSubmit: (p: string) => void; testid: string }) {
  const { t } = useI18n();
  const [a, setA] = useState("");
  const [b, setB] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const [strength, setStrength] = useState<Strength | null>(null);
  useEffect(() => {
    let live = true;
    api
      .passphraseStrength(a)
      .then((s) => live && setStrength(s))
      .catch(() => live && setStrength(null));
    return () => {
      live = false;
    };
  }, [a]);
  return (
    <form
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        if (a !== b) {
          setMismatch(true);
          return;
        }
        setMismatch(false);
        onSubmit(a);
      }}
    >
      <div className="grid">
        <Field label={t("protect.new")}>
          <input type="password" autoComplete="new-password" value={a} onChange={(e) => setA(e.target.value)} data-testid={`${testid}-new`} />
        </Field>
        <Field label={t("protect.repeat")}>
          <input type="password" autoComplete="new-password" value={b} onChange={(e) => setB(e.target.value)} data-testid={`${testid}-repeat`} />
        </Field>
      </div>
      {a !== "" && strength && (
        <p className={strength.long_enough && strength.score >= 3 ? "muted small" : "warning small"} role="status" data-testid={`${testid}-strength`}>
          {!strength.long_enough
            ? t("protect.strength.short", { n: strength.min_chars })
            : t(strength.score >= 3 ? "protect.strength.strong" : strength.score === 2 ? "protect.strength.fair" : "protect.strength.weak")}
        </p>
      )}
      {mismatch && (
        <div className="error" role="alert">
          {t("protect.mismatch")}
        </div>
      )}
      <div className="actions">
        <button className="primary" type="submit" disabled={busy || a === ""} data-testid={`${testid}-submit`}>
          {busy ? t("protect.working") : button}
        </button>
      </div>
    </form>
  );
}

/** The recovery key, once: to write down or save as a file. */
export function RecoveryKeyPanel({ recoveryKey, onDone }: { recoveryKey: string; onDone: () => void }) {
  const { t } = useI18n();
  const [saved, setSaved] = useState<string | null>(null);
  const { error, act } = useAction();
  return (
    <div className="panel" role="dialog" aria-label={t("protect.done.title")} data-testid="recovery-panel">
      <h2>{t("protect.done.title")}</h2>
      <p>{t("protect.done.body")}</p>
      <p>
        <code className="recovery-key" data-testid="recovery-key">
          {recoveryKey}
        </code>
      </p>
      <p className="warning">{t("protect.offer.warning")}</p>
      <div className="actions">
        <button
          onClick={() =>
            act(async () => {
              const path = await api.saveRecoveryKey(recoveryKey);
              if (path) setSaved(path);
            })
          }
          data-testid="recovery-save"
        >
          {t("protect.done.save")}
        </button>
        <button className="primary" onClick={onDone} data-testid="recovery-done">
          {t("protect.done.ok")}
        </button>
      </div>
      {saved && (
        <p role="status" className="muted">
          {t("protect.done.saved", { path: saved })}
        </p>
      )}
      <ErrorBanner error={error} />
    </div>
  );
}

/** Protect-with-a-passphrase form, then the recovery key. */
function ProtectForm({ onProtected, onLater }: { onProtected: () => void; onLater?: () => void }) {
  const { t } = useI18n();
  const { busy, error, act } = useAction();
  const [recovery, setRecovery] = useState<string | null>(null);
  if (recovery) return <RecoveryKeyPanel recoveryKey={recovery} onDone={onProtected} />;
  return (
    <>
      <p>{t("protect.offer.body")}</p>
      <p className="warning">{t("protect.offer.warning")}</p>
      <NewPassphrase
        busy={busy}
        button={t("protect.button")}
        testid="protect"
        onSubmit={(p) => act(async () => setRecovery(await api.setPassphrase(p)))}
      />
      <ErrorBanner error={error} />
      {onLater && (
        <div className="actions">
          <button onClick={onLater} disabled={busy} data-testid="protect-later">
            {t("protect.later")}
          </button>
        </div>
      )}
    </>
  );
}

/** Shown over the app at first start (until the user protects or says "not now"). */
export function PassphraseOffer({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  return (
    <div className="overlay">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="offer-title" data-testid="passphrase-offer">
        <h2 id="offer-title">{t("protect.offer.title")}</h2>
        <ProtectForm
          onProtected={onClose}
          onLater={async () => {
            try {
              await api.declinePassphrase();
            } finally {
              onClose();
            }
          }}
        />
      </div>
    </div>
  );
}

/** Replaces the whole app while the journal is locked. */
export function LockScreen({ onUnlocked }: { onUnlocked: () => void }) {
  const { t } = useI18n();
  const [passphrase, setPassphrase] = useState("");
  const { busy, error, setError, act } = useAction();
  const [forgot, setForgot] = useState(false);
  const [recovery, setRecovery] = useState("");
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), [forgot]);
  return (
    <main className="lock-screen" data-testid="lock-screen">
      <div className="panel">
        <h1>{t("lock.title")}</h1>
        {!forgot ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void act(async () => {
                await api.unlock(passphrase);
                setPassphrase("");
                onUnlocked();
              });
            }}
          >
            <p>{t("lock.hint")}</p>
            <Field label={t("lock.passphrase")}>
              <input ref={input} type="password" autoComplete="current-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} data-testid="unlock-passphrase" />
            </Field>
            <ErrorBanner error={error} />
            <div className="actions">
              <button className="primary" type="submit" disabled={busy || passphrase === ""} data-testid="unlock-submit">
                {busy ? t("lock.unlocking") : t("lock.unlock")}
              </button>
              <button type="button" className="link" onClick={() => { setForgot(true); setError(null); }} data-testid="unlock-forgot">
                {t("lock.forgot")}
              </button>
            </div>
          </form>
        ) : (
          <>
            <p>{t("lock.recovery.hint")}</p>
            <Field label={t("lock.recovery")}>
              <input ref={input} value={recovery} onChange={(e) => setRecovery(e.target.value)} spellCheck={false} autoComplete="off" data-testid="recovery-input" />
            </Field>
            <NewPassphrase
              busy={busy}
              button={t("lock.reset")}
              testid="reset"
              onSubmit={(p) =>
                act(async () => {
                  await api.resetPassphrase(recovery, p);
                  setRecovery("");
                  onUnlocked();
                })
              }
            />
            <ErrorBanner error={error} />
            <button type="button" className="link" onClick={() => { setForgot(false); setError(null); }}>
              {t("lock.back")}
            </button>
          </>
        )}
      </div>
    </main>
  );
}

const IDLE_CHOICES = [0, 1, 5, 10, 15, 30, 60];

/** The Settings section: protect, idle time, change passphrase, recovery key. */
export function ProtectionSettings({ protection, onChanged }: { protection: Protection | null; onChanged: () => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState<"protect" | "change" | "recovery" | "rekey" | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const { busy, error, setError, act } = useAction();
  const [old, setOld] = useState("");
  const [shownKey, setShownKey] = useState<string | null>(null);
  if (!protection) return null;
  return (
    <>
      <h2>{t("settings.protection")}</h2>
      {open !== "protect" && (
        <p className={protection.protected ? "muted" : "warning"} data-testid="protection-state">
          {protection.protected ? t("settings.protection.on") : t("settings.protection.off")}
        </p>
      )}
      {!protection.protected && open !== "protect" && (
        <button onClick={() => setOpen("protect")} data-testid="protect-open">
          {t("settings.protection.enable")}
        </button>
      )}
      {!protection.protected && open === "protect" && (
        <div>
          <ProtectForm
            onProtected={() => {
              setOpen(null);
              onChanged();
            }}
          />
        </div>
      )}
      {protection.protected && (
        <>
          <Field label={t("settings.idle")}>
            <select
              value={protection.idle_lock_minutes}
              onChange={(e) =>
                act(async () => {
                  await api.setIdleLock(Number(e.target.value));
                  setNote(t("settings.idle.saved"));
                  onChanged();
                })
              }
              data-testid="idle-lock"
            >
              {[...new Set([...IDLE_CHOICES, protection.idle_lock_minutes])]
                .sort((a, b) => a - b)
                .map((m) => (
                  <option key={m} value={m}>
                    {m === 0 ? t("settings.idle.never") : t("settings.idle.minutes", { n: m })}
                  </option>
                ))}
            </select>
          </Field>
          <div className="actions">
            <button onClick={() => { setOpen(open === "change" ? null : "change"); setNote(null); setError(null); }} data-testid="change-open">
              {t("settings.change")}
            </button>
            <button onClick={() => { setOpen(open === "recovery" ? null : "recovery"); setShownKey(null); setNote(null); setError(null); }} data-testid="recovery-open">
              {t("settings.recovery")}
            </button>
            <button onClick={() => { setOpen(open === "rekey" ? null : "rekey"); setShownKey(null); setNote(null); setError(null); }} data-testid="rekey-open">
              {t("settings.rekey")}
            </button>
          </div>
          {(open === "change" || open === "recovery" || open === "rekey") && (
            <div className="panel">
              <Field label={t("settings.change.old")}>
                <input type="password" autoComplete="current-password" value={old} onChange={(e) => setOld(e.target.value)} data-testid="old-passphrase" />
              </Field>
              {open === "change" ? (
                <NewPassphrase
                  busy={busy}
                  button={t("settings.change.button")}
                  testid="change"
                  onSubmit={(p) =>
                    act(async () => {
                      await api.changePassphrase(old, p);
                      setOld("");
                      setOpen(null);
                      setNote(t("settings.change.done"));
                    })
                  }
                />
              ) : shownKey ? (
                <RecoveryKeyPanel recoveryKey={shownKey} onDone={() => { setShownKey(null); setOpen(null); }} />
              ) : open === "rekey" ? (
                <>
                  <p className="muted small">{t("settings.rekey.hint")}</p>
                  <div className="actions">
                    <button
                      className="primary"
                      disabled={busy || old === ""}
                      data-testid="rekey-submit"
                      onClick={() =>
                        act(async () => {
                          setShownKey(await api.changeDataKey(old));
                          setOld("");
                          setNote(t("settings.rekey.done"));
                        })
                      }
                    >
                      {busy ? t("protect.working") : t("settings.rekey.button")}
                    </button>
                  </div>
                </>
              ) : (
                <div className="actions">
                  <button
                    className="primary"
                    disabled={busy || old === ""}
                    data-testid="recovery-show"
                    onClick={() =>
                      act(async () => {
                        setShownKey(await api.recoveryKey(old));
                        setOld("");
                      })
                    }
                  >
                    {t("settings.recovery.button")}
                  </button>
                </div>
              )}
            </div>
          )}
        </>
      )}
      <ErrorBanner error={error} />
      {note && (
        <p role="status" className="muted" data-testid="protection-note">
          {note}
        </p>
      )}
    </>
  );
}
