import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { en } from "./en";
import { zh } from "./zh";
import { langFor, translator } from "./index";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name: string) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === "bindings" ? [] : sources(p);
    return /\.(ts|tsx)$/.test(name) && !name.endsWith(".test.ts") ? [p] : [];
  });
}

const srcDir = fileURLToPath(new URL("..", import.meta.url));

describe("translations", () => {
  it("have the same keys in both languages, none empty", () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const [k, v] of Object.entries(zh)) expect(v.trim(), k).not.toBe("");
  });

  it("exist for every key the UI uses", () => {
    const used = new Set<string>();
    for (const file of sources(srcDir)) {
      for (const m of readFileSync(file, "utf8").matchAll(/\bt\(\s*"([^"]+)"/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(50);
    const missing = [...used].filter((k) => !(k in en));
    expect(missing).toEqual([]);
  });

  it("keep the same placeholders", () => {
    const ph = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const k of Object.keys(en) as (keyof typeof en)[]) expect(ph(zh[k]), k).toEqual(ph(en[k]));
  });

  it("follow the OS locale and fill placeholders", () => {
    expect(langFor("zh-CN")).toBe("zh");
    expect(langFor("zh-Hant-TW")).toBe("zh");
    expect(langFor("en-GB")).toBe("en");
    expect(langFor(undefined)).toBe("en");
    expect(translator("zh")("due.overdue", { n: 3 })).toBe("已逾期 3 天");
  });

  it("user text is never rendered as HTML anywhere in the UI", () => {
    for (const file of sources(srcDir)) {
      const text = readFileSync(file, "utf8");
      expect(text, file).not.toMatch(/dangerouslySetInnerHTML|\.innerHTML\s*=|insertAdjacentHTML|document\.write/);
    }
  });
});
