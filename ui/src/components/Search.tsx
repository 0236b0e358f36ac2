import { useEffect, useRef, useState } from "react";
import { api, type Hit } from "../ipc";
import { useI18n } from "../i18n";
import { formatAt } from "../lib/format";
import { CHANNELS, HIT_KINDS } from "../lib/vocab";
import { ErrorBanner, Field, Options, Snippet, messageOf } from "./common";

/** The search box (Ctrl+K): results as you type, arrow keys, Enter to open. */
export function SearchDialog({ onOpen, onClose }: { onOpen: (hit: Hit) => void; onClose: () => void }) {
  const { t, lang, locale } = useI18n();
  const [text, setText] = useState("");
  const [kind, setKind] = useState("");
  const [channel, setChannel] = useState("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [active, setActive] = useState(0);
  const seq = useRef(0);

  // Search as the user types: each change is searched at once; while one
  // search runs, only the latest change waits (never a queue), and results
  // that a newer change has overtaken are not shown. While an input method
  // is composing (pinyin), nothing is searched until the characters come.
  const [composing, setComposing] = useState(false);
  const [shownFor, setShownFor] = useState("");
  const running = useRef(false);
  const waiting = useRef<{ mine: number; form: Parameters<typeof api.search>[0] } | null>(null);
  const pump = async () => {
    running.current = true;
    while (waiting.current) {
      const { mine, form } = waiting.current;
      waiting.current = null;
      try {
        const found = await api.search(form);
        if (mine === seq.current) {
          setHits(found);
          setActive(0);
          setError(null);
          setShownFor(form.text);
        }
      } catch (e) {
        if (mine === seq.current) setError(messageOf(e));
      }
    }
    running.current = false;
  };

  useEffect(() => {
    const mine = ++seq.current;
    if (!text.trim()) {
      waiting.current = null;
      setHits(null);
      return;
    }
    if (composing) return;
    waiting.current = { mine, form: { text, case_id: null, kind: kind || null, channel: channel || null, status: null, provider: null, from: from || null, to: to || null, limit: 50 } };
    if (!running.current) void pump();
    // (pump reads only refs and state setters.)
  }, [text, kind, channel, from, to, composing]);

  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === "Escape") onClose();
    if (!hits?.length) return;
    if (e.key === "ArrowDown") {
      e.preventDefault();
      setActive((a) => Math.min(a + 1, hits.length - 1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === "Enter" && e.target instanceof HTMLInputElement) {
      e.preventDefault();
      onOpen(hits[active]);
    }
  };

  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="dialog search" role="dialog" aria-modal="true" aria-labelledby="search-title" onKeyDown={onKey}>
        <h2 id="search-title" className="sr-only">
          {t("search.label")}
        </h2>
        <input
          autoFocus
          className="search-input"
          type="search"
          aria-label={t("search.label")}
          placeholder={t("search.placeholder")}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onCompositionStart={() => setComposing(true)}
          onCompositionEnd={(e) => {
            setComposing(false);
            setText(e.currentTarget.value);
          }}
          data-testid="search-input"
        />
        <div className="filters">
          <Field label={t("search.filter.kind")}>
            <select value={kind} onChange={(e) => setKind(e.target.value)}>
              <Options keys={HIT_KINDS} prefix="kind" withAll />
            </select>
          </Field>
          <Field label={t("search.filter.channel")}>
            <select value={channel} onChange={(e) => setChannel(e.target.value)}>
              <Options keys={CHANNELS} prefix="channel" withAll />
            </select>
          </Field>
          <Field label={t("search.filter.from")}>
            <input placeholder="YYYY-MM-DD" value={from} onChange={(e) => setFrom(e.target.value)} size={10} />
          </Field>
          <Field label={t("search.filter.to")}>
            <input placeholder="YYYY-MM-DD" value={to} onChange={(e) => setTo(e.target.value)} size={10} />
          </Field>
        </div>
        <ErrorBanner error={error} />
        {hits === null && <p className="muted">{t("search.hint")}</p>}
        {hits?.length === 0 && (
          <p className="empty" data-query={shownFor}>
            {t("search.empty")}
          </p>
        )}
        {hits && hits.length > 0 && (
          <ul className="hits" aria-label={t("search.label")} data-testid="search-results" data-query={shownFor}>
            {hits.map((h, i) => (
              <li key={`${h.kind}${h.id}`}>
                {/* A list of buttons, not a listbox: an option may not hold a button (axe: nested-interactive). */}
                <button className={i === active ? "hit active" : "hit"} aria-current={i === active ? "true" : undefined} onClick={() => onOpen(h)} data-testid="search-hit">
                  <span className="hit-meta">
                    <span className="badge">{t(`kind.${h.kind}`)}</span> {h.case_title} · {formatAt(h.at, locale)}
                  </span>
                  <Snippet parts={h.snippet_parts} />
                  {h.warnings.some((w) => w.rule_id !== "channel_unverified") ? (
                    <span className="hit-warning" data-testid="hit-warning">
                      ⚠ {t("shield.title")}: {h.warnings.filter((w) => w.rule_id !== "channel_unverified").map((w) => (lang === "zh" ? w.reason_zh : w.reason_en)).join(" · ")}
                    </span>
                  ) : (
                    h.warnings.length > 0 && <span className="hit-note muted">{t("channels.unverified_short")}</span>
                  )}
                </button>
              </li>
            ))}
          </ul>
        )}
        <div className="actions">
          <button onClick={onClose}>{t("common.close")}</button>
        </div>
      </div>
    </div>
  );
}
