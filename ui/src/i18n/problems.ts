// Sentences for what went wrong. The core sends a Problem (a code and its
// fields, generated from Rust into ../ipc/bindings/Problem.ts); the
// sentence is the template for that code in problems.json, the catalogue the
// CLI reads too (cli/src/i18n.rs fills it the same way). Placeholders:
//   {name}           the field as it is
//   {name|term}      the field looked up in the language's terms
//   {name|list}      a list joined with the language's separator
//   {name|problem}   a nested problem (a rejected line's reason)
//   {name|columns}   a list of columns, or "no columns at all"
//   {name|KEY}       terms["KEY:value"] if there is one (a hint), else
//                    terms[KEY] with {} replaced by the field, or nothing
//                    when the field is empty (a list is joined)
import type { Problem } from "../ipc/bindings/Problem";
import catalogue from "./problems.json";
import type { Lang } from "./index";

type Code = Problem["code"];
interface Language {
  problems: Record<Code, string>;
  terms: Record<string, string>;
}
// Type-checked: a code the core can send without a sentence in either
// language does not compile.
const languages: Record<Lang, Language> = catalogue;

type Value = string | number | boolean | null | undefined | Value[] | { [k: string]: Value };

function plain(v: Value): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function empty(v: Value): boolean {
  return v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);
}

function list(lang: Lang, v: Value): string {
  const sep = languages[lang].terms.list_sep ?? ", ";
  return Array.isArray(v) ? v.map(plain).join(sep) : plain(v);
}

function fill(lang: Lang, v: Value, filter: string | undefined): string {
  const terms = languages[lang].terms;
  switch (filter) {
    case undefined:
      return plain(v);
    case "term":
      return terms[plain(v)] ?? plain(v);
    case "list":
      return list(lang, v);
    case "problem":
      return v && typeof v === "object" && !Array.isArray(v) && "code" in v ? problemText(lang, v as unknown as Problem) : "";
    case "columns":
      return empty(v) ? (terms.columns_none ?? "") : (terms.columns_some ?? "{}").replace("{}", list(lang, v));
    default: {
      const hint = terms[`${filter}:${plain(v)}`];
      if (hint !== undefined) return hint;
      if (empty(v)) return "";
      const t = terms[filter];
      return t !== undefined && t.includes("{}") ? t.replace("{}", list(lang, v)) : "";
    }
  }
}

/** The sentence for a problem in `lang`. */
export function problemText(lang: Lang, p: Problem): string {
  const template: string | undefined = languages[lang].problems[p.code];
  if (template === undefined) return p.code;
  const fields = p as unknown as Record<string, Value>;
  return template.replace(/\{([a-z_0-9]+)(?:\|([a-z_]+))?\}/g, (_, name: string, filter: string | undefined) =>
    fill(lang, fields[name], filter),
  );
}

/** A term of the shared catalogue (e.g. a statement language's name), or "". */
export function termText(lang: Lang, key: string): string {
  return languages[lang].terms[key] ?? "";
}

let current: Lang = "en";

/** The language errors are said in (the App sets it when the language changes). */
export function setProblemLang(lang: Lang) {
  current = lang;
}

/** The sentence for a problem in the UI's current language. */
export function problemSentence(p: Problem): string {
  return problemText(current, p);
}
