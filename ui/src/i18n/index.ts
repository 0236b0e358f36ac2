import { createContext, useContext } from "react";
import { en, type MessageKey, type Messages } from "./en";
import { zh } from "./zh";

export type Lang = "en" | "zh";
export type { MessageKey };

export const dictionaries: Record<Lang, Messages> = { en, zh };

/** The language to use for a browser/OS locale such as "zh-CN" or "en-GB". */
export function langFor(locale: string | undefined): Lang {
  return locale && locale.toLowerCase().startsWith("zh") ? "zh" : "en";
}

/** The BCP 47 locale used for formatting dates and numbers. */
export function localeOf(lang: Lang): string {
  return lang === "zh" ? "zh-CN" : "en-US";
}

export type T = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translator(lang: Lang): T {
  const dict = dictionaries[lang];
  return (key, vars) => {
    let s = dict[key] ?? en[key] ?? key;
    if (vars) {
      for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(String(v));
    }
    return s;
  };
}

export interface I18n {
  lang: Lang;
  locale: string;
  t: T;
}

export const I18nContext = createContext<I18n>({ lang: "en", locale: "en-US", t: translator("en") });

export function useI18n(): I18n {
  return useContext(I18nContext);
}
