import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { IpcError, type SnippetPart } from "../ipc";
import { useI18n } from "../i18n";
import { problemSentence } from "../i18n/problems";

/** Loads data with `load` whenever `deps` change; exposes reload. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps);
  const reload = useCallback(async () => {
    const mine = ++seq.current;
    try {
      const d = await run();
      if (mine === seq.current) {
        setData(d);
        setError(null);
      }
    } catch (e) {
      if (mine === seq.current) setError(messageOf(e));
    }
  }, [run]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, reload };
}

/**
 * One action at a time: `busy` while it runs; when it fails, its sentence
 * in `error`, cleared by the next one that succeeds.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const act = useCallback(async (f: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await f();
      setError(null);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, setError, act };
}

/** What went wrong, in the UI's language. */
export function messageOf(e: unknown): string {
  if (e instanceof IpcError) return problemSentence(e.problem);
  if (e instanceof Error) return e.message;
  return String(e);
}

export function ErrorBanner({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <div className="error" role="alert">
      {error}
    </div>
  );
}

/** A search snippet: matching parts in <mark>, all of it plain text. */
export function Snippet({ parts }: { parts: SnippetPart[] }) {
  return (
    <span className="snippet">
      {parts.map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </span>
  );
}

export function Field({ label, children, wide }: { label: string; children: ReactNode; wide?: boolean }) {
  return (
    <label className={wide ? "field wide" : "field"}>
      <span className="label">{label}</span>
      {children}
    </label>
  );
}

/** Options of a vocabulary, labelled in the UI language. */
export function Options<K extends string>({ keys, prefix, withAll }: { keys: readonly K[]; prefix: string; withAll?: boolean }) {
  const { t } = useI18n();
  return (
    <>
      {withAll && <option value="">{t("cases.filter.all")}</option>}
      {keys.map((k) => (
        <option key={k} value={k}>
          {/* the key exists for every vocabulary value (checked by i18n.test.ts) */}
          {t(`${prefix}.${k}` as Parameters<typeof t>[0])}
        </option>
      ))}
    </>
  );
}

/** Ctrl+Enter (or Cmd+Enter) inside a form submits it. */
export function submitOnCtrlEnter(e: React.KeyboardEvent<HTMLFormElement>) {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    e.currentTarget.requestSubmit();
  }
}

/** The error line and the submit/cancel buttons at the foot of a form. */
export function FormFoot({ error, onCancel, label, disabled, testid }: { error: string | null; onCancel: () => void; label?: string; disabled?: boolean; testid?: string }) {
  const { t } = useI18n();
  return (
    <>
      <ErrorBanner error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={disabled} data-testid={testid}>
          {label ?? t("common.save")}
        </button>
        <button type="button" onClick={onCancel}>
          {t("common.cancel")}
        </button>
      </div>
    </>
  );
}
