import { useEffect, useState } from "react";
import { api, type Flag } from "../ipc";
import { useI18n } from "../i18n";

/** Scam-shield warnings: the reason in plain words and what to do, in the UI language. */
export function Warnings({ flags, testid = "scam-warning" }: { flags: Flag[]; testid?: string }) {
  const { t, lang } = useI18n();
  // One line per rule, even when the reply and the instructions both trip it.
  flags = flags.filter((f, i) => flags.findIndex((g) => g.rule_id === f.rule_id) === i);
  if (flags.length === 0) return null;
  // The prompt to verify an unregistered contact point is not a red flag.
  const promptOnly = flags.every((f) => f.rule_id === "channel_unverified");
  return (
    <div className={promptOnly ? "scam-warning prompt" : "scam-warning"} role="alert" data-testid={testid}>
      <strong>{promptOnly ? t("channels.unverified_short") : t("shield.title")}</strong>
      <ul>
        {flags.map((f) => (
          <li key={f.rule_id} data-rule={f.rule_id}>
            {f.category === "script" && f.parts_en.length > 0 ? (
              // A script: its parts as a list, then the documented script it resembles.
              <>
                {t(f.rule_id === "script_across_contacts" ? "shield.script_across" : "shield.script")}
                <ul className="script-parts" data-testid="script-parts">
                  {(lang === "zh" ? f.parts_zh : f.parts_en).map((p) => (
                    <li key={p}>{p}</li>
                  ))}
                </ul>
                {f.resembles && (
                  <div className="flag-evidence" data-testid="script-resembles">
                    {t("shield.resembles")} {f.resembles}
                  </div>
                )}
              </>
            ) : lang === "zh" ? (
              f.reason_zh
            ) : (
              f.reason_en
            )}
            {/* A look-alike address: where it really goes and what it imitates. */}
            {f.rule_id === "channel_imitates" && f.evidence && (
              <div className="flag-evidence" data-testid="imitates-evidence">
                {t("shield.imitates_evidence")} <code>{f.evidence}</code>
              </div>
            )}
          </li>
        ))}
      </ul>
      <p>{lang === "zh" ? (flags.find((f) => f.rule_id !== "channel_unverified") ?? flags[0]).advice_zh : (flags.find((f) => f.rule_id !== "channel_unverified") ?? flags[0]).advice_en}</p>
    </div>
  );
}

/** Checks texts as the user types (debounced), before anything is saved. */
export function useShield(texts: string[]): Flag[] {
  const [flags, setFlags] = useState<Flag[]>([]);
  const key = JSON.stringify(texts);
  useEffect(() => {
    let live = true;
    const timer = setTimeout(async () => {
      const nonEmpty = texts.filter((s) => s.trim());
      if (nonEmpty.length === 0) {
        if (live) setFlags([]);
        return;
      }
      try {
        const found = await api.shieldCheck(nonEmpty);
        if (live) setFlags(found);
      } catch {
        if (live) setFlags([]);
      }
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return flags;
}
