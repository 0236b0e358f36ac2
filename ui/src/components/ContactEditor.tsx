import { useState } from "react";
import { api, type Channel, type Contact, type ContactForm } from "../ipc";
import { useI18n } from "../i18n";
import { composeAt, localInput, offsetOf, splitAt } from "../lib/form";
import { CHANNELS, DIRECTIONS, REF_KINDS } from "../lib/vocab";
import { Field, FormFoot, Options, submitOnCtrlEnter, useAction } from "./common";
import { ChannelWarning } from "./Channels";
import { Warnings, useShield } from "./Shield";
import { FoundRefs, TranscriptLines, useFoundRefs, useTranscript } from "./Capture";

interface RefRow {
  kind: string;
  value: string;
}

type Fields = ReturnType<typeof initial>;

/** A contact proposed from a file (an attached e-mail): the fields it
 * fills, and the file it is logged from. */
export interface Seed {
  fields: Partial<Fields>;
  attachmentId: number;
  fileName: string;
}

function initial(c: Contact | null) {
  const now = new Date();
  const at = c ? splitAt(c.at) : { when: localInput(now), offset: offsetOf(now) };
  return {
    when: at.when,
    offset: at.offset,
    channel: c?.channel ?? "chat",
    direction: c?.direction ?? "out",
    via: c?.via ?? "",
    agent: c?.agent ?? "",
    asked: c?.asked ?? "",
    reply: c?.reply ?? "",
    outcome: c?.outcome ?? "",
    duration: c?.duration_secs != null ? `${Math.floor(c.duration_secs / 60)}:${String(c.duration_secs % 60).padStart(2, "0")}` : "",
    follow_up: c?.follow_up?.date ?? "",
    promise: c?.follow_up?.promise ?? "",
    refs: (c?.references.length ? c.references : [{ kind: "ticket", value: "" }]) as RefRow[],
  };
}

/** Logs a new contact, or edits one (`contact` given). Ctrl+Enter saves. */
export function ContactEditor({
  caseId,
  provider,
  contact,
  seed = null,
  onSaved,
  onCancel,
}: {
  caseId: number;
  provider: string | null;
  contact: Contact | null;
  seed?: Seed | null;
  onSaved: (c: Contact) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [f, setF] = useState(() => ({ ...initial(contact), ...(seed?.fields ?? {}) }));
  const found = useFoundRefs([f.asked, f.reply, f.outcome, f.promise], f.refs.map((r) => r.value));
  const chat = useTranscript(f.reply);
  const addFound = (kind: string, value: string) => {
    const empty = f.refs.findIndex((r) => !r.value.trim());
    const refs = empty >= 0 ? f.refs.map((r, j) => (j === empty ? { kind, value } : r)) : [...f.refs, { kind, value }];
    setF({ ...f, refs });
  };
  const first = chat?.lines.find((l) => l.date && l.time);
  const takeFromChat = () => {
    if (!chat) return;
    setF({
      ...f,
      when: first ? `${first.date} ${first.time!.slice(0, 5)}` : f.when,
      agent: f.agent || chat.agent,
    });
  };
  const { busy: saving, error, act } = useAction();
  const flags = useShield([f.reply, f.asked]);
  const set = (k: keyof typeof f) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) =>
    setF({ ...f, [k]: e.target.value });
  const setRef = (i: number, patch: Partial<RefRow>) => setF({ ...f, refs: f.refs.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
  const addRef = () => setF({ ...f, refs: [...f.refs, { kind: "ticket", value: "" }] });
  const removeRef = (i: number) => setF({ ...f, refs: f.refs.filter((_, j) => j !== i) });

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (saving) return;
    const form: ContactForm = {
      at: composeAt(f.when, f.offset),
      channel: f.channel,
      direction: f.direction,
      via: f.via,
      agent: f.agent,
      asked: f.asked,
      reply: f.reply,
      outcome: f.outcome,
      references: f.refs.filter((r) => r.value.trim()),
      follow_up: f.follow_up || null,
      promise: f.promise || null,
      duration: f.duration || null,
    };
    await act(async () =>
      onSaved(
        contact
          ? await api.replaceContact(contact.id, form)
          : seed
            ? await api.logEmailAttachment(seed.attachmentId, form)
            : await api.addContact(caseId, form),
      ),
    );
  };

  const titleId = contact ? `edit-contact-${contact.id}` : "new-contact-title";
  return (
    <form
      className="panel contact-editor"
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === "Escape") onCancel();
        submitOnCtrlEnter(e);
      }}
      aria-labelledby={titleId}
      data-testid="contact-form"
    >
      <h2 id={titleId}>{contact ? t("contact.edit") : t("contact.new")}</h2>
      {seed && (
        <p className="muted" data-testid="contact-from-file">
          {t("email.proposal", { name: seed.fileName })}
        </p>
      )}
      <div className="grid">
        <Field label={t("contact.field.channel")}>
          <select autoFocus value={f.channel} onChange={set("channel")} name="channel">
            <Options keys={CHANNELS} prefix="channel" />
          </select>
        </Field>
        <Field label={t("contact.field.date")}>
          <input value={f.when} onChange={set("when")} name="when" placeholder="YYYY-MM-DD HH:MM" />
        </Field>
        <Field label={t("contact.field.offset")}>
          <input value={f.offset} onChange={set("offset")} name="offset" size={7} />
        </Field>
        <Field label={t("contact.field.direction")}>
          <select value={f.direction} onChange={set("direction")} name="direction">
            <Options keys={DIRECTIONS} prefix="direction" />
          </select>
        </Field>
        <Field label={t("contact.field.via")}>
          <input value={f.via} onChange={set("via")} name="via" />
        </Field>
        <Field label={t("contact.field.agent")}>
          <input value={f.agent} onChange={set("agent")} name="agent" />
        </Field>
        <ChannelWarning caseId={caseId} contactId={contact?.id ?? null} channel={f.channel as Channel} via={f.via} provider={provider} />
        <Field label={t("contact.field.asked")} wide>
          <textarea rows={2} value={f.asked} onChange={set("asked")} name="asked" />
        </Field>
        <Field label={t("contact.field.reply")} wide>
          <textarea rows={5} value={f.reply} onChange={set("reply")} name="reply" />
        </Field>
        {chat && (
          <div className="wide chat-preview" data-testid="chat-preview">
            <p>
              {t("transcript.detected", { n: chat.lines.length, who: chat.speakers.join("、") })}{" "}
              <button type="button" className="small" onClick={takeFromChat} data-testid="use-chat">
                {t("transcript.use")}
              </button>
            </p>
            <TranscriptLines chat={chat} />
          </div>
        )}
        <Warnings flags={flags} testid="scam-warning-editor" />
        {flags.some((x) => x.category === "secret_leak") && (
          <p className="wide">
            <button
              type="button"
              className="small"
              data-testid="mask-secrets"
              onClick={async () => {
                const [reply, asked] = await Promise.all([api.shieldMask(f.reply), api.shieldMask(f.asked)]);
                setF({ ...f, reply, asked });
              }}
            >
              {t("shield.mask")}
            </button>
          </p>
        )}
      </div>
      <fieldset className="refs">
        <legend>{t("contact.field.refs")}</legend>
        {f.refs.map((r, i) => (
          <div className="ref-row" key={i}>
            <select aria-label={t("contact.field.ref_kind")} value={r.kind} onChange={(e) => setRef(i, { kind: e.target.value })} name={`ref-kind-${i}`}>
              <Options keys={REF_KINDS} prefix="refkind" />
            </select>
            <input
              aria-label={t("contact.field.ref_value")}
              value={r.value}
              name={`ref-value-${i}`}
              onChange={(e) => setRef(i, { value: e.target.value })}
              onKeyDown={(e) => {
                // Enter in the last reference adds another row instead of submitting.
                if (e.key === "Enter" && !e.ctrlKey && !e.metaKey) {
                  e.preventDefault();
                  if (i === f.refs.length - 1 && r.value.trim()) addRef();
                }
              }}
            />
            {f.refs.length > 1 && (
              <button type="button" onClick={() => removeRef(i)}>
                {t("contact.remove_ref")}
              </button>
            )}
          </div>
        ))}
        <button type="button" onClick={addRef} data-testid="add-ref">
          {t("contact.add_ref")}
        </button>
        <FoundRefs found={found} onAdd={(r) => addFound(r.kind, r.value)} />
      </fieldset>
      <div className="grid">
        <Field label={t("contact.field.follow_up")}>
          <input value={f.follow_up} onChange={set("follow_up")} name="follow_up" placeholder="YYYY-MM-DD" />
        </Field>
        <Field label={t("contact.field.promise")}>
          <input value={f.promise} onChange={set("promise")} name="promise" />
        </Field>
        <Field label={t("contact.field.duration")}>
          <input value={f.duration} onChange={set("duration")} name="duration" size={6} />
        </Field>
        <Field label={t("contact.field.outcome")}>
          <input value={f.outcome} onChange={set("outcome")} name="outcome" />
        </Field>
      </div>
      <FormFoot error={error} onCancel={onCancel} disabled={saving} testid="save-contact" />
    </form>
  );
}
