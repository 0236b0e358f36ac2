import { useEffect, useState } from "react";
import { api, type FoundReference, type Transcript } from "../ipc";
import { useI18n } from "../i18n";
import { formatDate } from "../lib/format";

/** Reference numbers found in a text, each offered as a one-click "add".
 * Nothing is added without the click (the core only offers them). */
export function FoundRefs({ found, onAdd, testid = "found-refs" }: { found: FoundReference[]; onAdd: (r: FoundReference) => void; testid?: string }) {
  const { t } = useI18n();
  if (found.length === 0) return null;
  return (
    <div className="found-refs" data-testid={testid}>
      <span className="label">{t("refs.found")}</span>
      <ul className="chips">
        {found.map((r) => (
          <li key={r.value}>
            <button
              type="button"
              className="chip add"
              onClick={() => onAdd(r)}
              data-testid="add-found-ref"
              aria-label={t("refs.add_aria", { kind: t(`refkind.${r.kind}`), value: r.value })}
            >
              + {t(`refkind.${r.kind}`)} <code>{r.value}</code>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The reference numbers in `texts` (asked for after a short pause), less
 * the values already `known`. */
export function useFoundRefs(texts: string[], known: string[]): FoundReference[] {
  const [found, setFound] = useState<FoundReference[]>([]);
  const joined = texts.join("\n");
  useEffect(() => {
    if (!/[0-9０-９]{3}/.test(joined)) {
      setFound([]);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      api.findReferences(joined).then(
        (f) => live && setFound(f),
        () => undefined,
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [joined]);
  const have = new Set(known.map((k) => k.trim().toLowerCase()));
  return found.filter((f) => !have.has(f.value.toLowerCase()));
}

/** A pasted text read as a chat: null until it has two speakers' lines. */
export function useTranscript(text: string): Transcript | null {
  const [chat, setChat] = useState<Transcript | null>(null);
  useEffect(() => {
    if (text.split("\n").length < 2) {
      setChat(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      api.splitTranscript(text).then(
        (t) => live && setChat(t.lines.filter((l) => l.who).length >= 2 ? t : null),
        () => undefined,
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [text]);
  return chat;
}

/** A transcript's lines: when, who, what (the text stays as pasted). */
export function TranscriptLines({ chat }: { chat: Transcript }) {
  const { t, locale } = useI18n();
  return (
    <ol className="transcript" data-testid="transcript-lines">
      {chat.lines.map((l, i) => (
        <li key={i} className={l.who ? "said" : "event"}>
          <span className="muted small when">
            {[l.date ? formatDate(l.date, locale) : "", l.time ? l.time.slice(0, 5) : ""].filter(Boolean).join(" ")}
          </span>{" "}
          <strong className="who">{l.who || t("transcript.system")}</strong> <span className="pre">{l.text}</span>
        </li>
      ))}
    </ol>
  );
}
