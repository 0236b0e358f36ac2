import { useEffect, useState } from "react";
import { api, type Channel, type Flag, type OfficialChannel, type PointKind } from "../ipc";
import { useI18n } from "../i18n";
import { formatAt } from "../lib/format";
import { POINT_KINDS } from "../lib/vocab";
import { ErrorBanner, Field, Options, useAction, useLoad } from "./common";
import { Warnings } from "./Shield";

/** The kind of contact point a channel most often goes through: only the
 * default of the register form, which the user can change. */
const KIND_OF_CHANNEL: Record<Channel, PointKind> = {
  chat: "in_app",
  phone: "phone",
  email: "email",
  social: "social",
  in_person: "other",
  other: "other",
};

/** Checks the number or address of a contact as the user types it
 * (debounced), against the register and the contacts reported as scams. */
export function useChannelCheck(caseId: number, contactId: number | null, channel: Channel, via: string, version: number): Flag[] {
  const [flags, setFlags] = useState<Flag[]>([]);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(async () => {
      if (!via.trim()) {
        if (live) setFlags([]);
        return;
      }
      try {
        const found = await api.checkChannel(caseId, contactId, channel, via);
        if (live) setFlags(found);
      } catch {
        if (live) setFlags([]);
      }
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [caseId, contactId, channel, via, version]);
  return flags;
}

/** The warning about a contact point in an editor, with the way out of an
 * "unverified" one: say where it was verified and add it to the register. */
export function ChannelWarning({ caseId, contactId, channel, via, provider }: { caseId: number; contactId: number | null; channel: Channel; via: string; provider: string | null }) {
  const { t } = useI18n();
  const [version, setVersion] = useState(0);
  const flags = useChannelCheck(caseId, contactId, channel, via, version);
  const [verifying, setVerifying] = useState(false);
  const [how, setHow] = useState("");
  const [kind, setKind] = useState<PointKind>(KIND_OF_CHANNEL[channel]);
  const { error, act } = useAction();
  useEffect(() => setKind(KIND_OF_CHANNEL[channel]), [channel]);
  if (flags.length === 0) return null;
  // A number reported as a scam, or an international 00 call, is not offered for the register.
  const unverified = flags.every((f) => f.rule_id === "channel_unverified");
  return (
    <div className="wide" data-testid="channel-warning">
      <Warnings flags={flags} testid="channel-warning-flags" />
      {unverified && provider && !verifying && (
        <button type="button" className="small" data-testid="verify-channel" onClick={() => setVerifying(true)}>
          {t("channels.i_verified", { provider })}
        </button>
      )}
      {unverified && provider && verifying && (
        <div className="verify-channel">
          <Field label={t("channels.kind")}>
            <select value={kind} onChange={(e) => setKind(e.target.value as PointKind)} name="verify-kind">
              <Options keys={POINT_KINDS} prefix="pointkind" />
            </select>
          </Field>
          <Field label={t("channels.verified_how")}>
            <input value={how} onChange={(e) => setHow(e.target.value)} name="verified-how" placeholder={t("channels.verified_how.placeholder")} />
          </Field>
          <button
            type="button"
            className="small"
            data-testid="register-channel"
            onClick={() =>
              act(async () => {
                await api.addOfficialChannel(provider, kind, via, how);
                setVerifying(false);
                setVersion((v) => v + 1);
              })
            }
          >
            {t("channels.add")}
          </button>
          <ErrorBanner error={error} />
        </div>
      )}
    </div>
  );
}

/** The register of official contact points the user verified, by provider. */
export function ChannelsView() {
  const { t, locale } = useI18n();
  const [version, setVersion] = useState(0);
  const { data, error } = useLoad(() => api.officialChannels(), [version]);
  const providers = useLoad(() => api.providers(), []);
  const [provider, setProvider] = useState("");
  const [kind, setKind] = useState<PointKind>("phone");
  const [value, setValue] = useState("");
  const [how, setHow] = useState("");
  const { error: formError, act } = useAction();
  const byProvider = new Map<string, OfficialChannel[]>();
  for (const c of data ?? []) byProvider.set(c.provider, [...(byProvider.get(c.provider) ?? []), c]);
  return (
    <section aria-labelledby="channels-title">
      <h1 id="channels-title">{t("channels.title")}</h1>
      <p className="muted">{t("channels.hint")}</p>
      <ErrorBanner error={error} />
      <form
        className="panel"
        data-testid="channel-form"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            await api.addOfficialChannel(provider, kind, value, how);
            setValue("");
            setHow("");
            setVersion((v) => v + 1);
          });
        }}
      >
        <div className="grid">
          <Field label={t("case.field.provider")}>
            <input value={provider} onChange={(e) => setProvider(e.target.value)} name="channel-provider" list="channel-providers" />
          </Field>
          <datalist id="channel-providers">
            {providers.data?.map((p) => (
              <option key={p.id} value={p.name} />
            ))}
          </datalist>
          <Field label={t("channels.kind")}>
            <select value={kind} onChange={(e) => setKind(e.target.value as PointKind)} name="channel-kind">
              <Options keys={POINT_KINDS} prefix="pointkind" />
            </select>
          </Field>
          <Field label={t("channels.value")}>
            <input value={value} onChange={(e) => setValue(e.target.value)} name="channel-value" />
          </Field>
          <Field label={t("channels.verified_how")} wide>
            <input value={how} onChange={(e) => setHow(e.target.value)} name="channel-how" placeholder={t("channels.verified_how.placeholder")} />
          </Field>
        </div>
        <ErrorBanner error={formError} />
        <div className="actions">
          <button type="submit" className="primary" data-testid="add-channel">
            {t("channels.add")}
          </button>
        </div>
      </form>
      {data?.length === 0 && <p className="empty">{t("channels.empty")}</p>}
      {[...byProvider.entries()].map(([name, list]) => (
        <section key={name}>
          <h2>{name}</h2>
          <ul className="channel-list" data-testid="channel-list">
            {list.map((c) => (
              <li key={c.id}>
                <span className="badge">{t(`pointkind.${c.kind}`)}</span> <code>{c.value}</code>
                {c.verified_how && <> · {t("channels.verified_on", { how: c.verified_how })}</>}
                <span className="muted"> · {formatAt(c.added_at, locale)}</span>{" "}
                <button
                  className="small"
                  onClick={() =>
                    act(async () => {
                      await api.removeOfficialChannel(c.id);
                      setVersion((v) => v + 1);
                    })
                  }
                >
                  {t("common.delete")}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}
