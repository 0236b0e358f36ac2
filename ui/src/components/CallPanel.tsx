import { useEffect, useRef, useState } from "react";
import { api, type Contact } from "../ipc";
import { useI18n } from "../i18n";
import { CallSession } from "../lib/call";
import { formatClock } from "../lib/format";
import { ChannelWarning } from "./Channels";
import { ErrorBanner, Field, useAction } from "./common";
import { Warnings, useShield } from "./Shield";

/** A running call: a timer, timestamped lines, saved as one phone contact. */
export function CallPanel({ caseId, provider, onSaved, onCancel }: { caseId: number; provider: string | null; onSaved: (c: Contact) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const session = useRef(new CallSession(new Date()));
  const [now, setNow] = useState(new Date());
  const [line, setLine] = useState("");
  const [via, setVia] = useState("");
  const [agent, setAgent] = useState("");
  const [lines, setLines] = useState(session.current.lines.slice());
  const { error, act } = useAction();
  // What the agent says is checked while the call goes on.
  const flags = useShield([...lines.map((l) => l.text), line]);

  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, []);

  const add = () => {
    if (session.current.addLine(line, new Date())) {
      setLines(session.current.lines.slice());
      setLine("");
    }
  };
  const hangUp = async () => {
    if (line.trim()) add();
    await act(async () => onSaved(await api.saveCall(caseId, session.current.finish(new Date(), via, agent))));
  };

  return (
    <section className="panel call" aria-labelledby="call-title" data-testid="call-panel">
      <h2 id="call-title">
        {t("call.title")}{" "}
        <span className="timer" role="timer" aria-label={t("call.elapsed")} data-testid="call-timer">
          {formatClock(session.current.elapsedSecs(now))}
        </span>
      </h2>
      <div className="grid">
        <Field label={t("contact.field.via")}>
          <input value={via} onChange={(e) => setVia(e.target.value)} name="call-via" />
        </Field>
        <Field label={t("contact.field.agent")}>
          <input value={agent} onChange={(e) => setAgent(e.target.value)} name="call-agent" />
        </Field>
      </div>
      <ol className="call-lines" aria-label={t("call.lines")}>
        {lines.map((l, i) => (
          <li key={i}>
            <span className="stamp">[{formatClock(l.offset_secs)}]</span> {l.text}
          </li>
        ))}
      </ol>
      <ChannelWarning caseId={caseId} contactId={null} channel="phone" via={via} provider={provider} />
      <Warnings flags={flags} testid="scam-warning-call" />
      <Field label={t("call.line")} wide>
        <input
          autoFocus
          value={line}
          name="call-line"
          onChange={(e) => setLine(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter") {
              e.preventDefault();
              add();
            }
          }}
        />
      </Field>
      <ErrorBanner error={error} />
      <div className="actions">
        <button className="danger" onClick={hangUp} data-testid="hang-up">
          {t("call.hang_up")}
        </button>
        <button onClick={onCancel}>{t("common.cancel")}</button>
      </div>
    </section>
  );
}
