// Small helpers for the forms: what "now" looks like in the inputs, and how
// the date/time and offset inputs become the RFC 3339 string the core parses.
// Validation itself is the core's: whatever the user typed is sent, and the
// core answers with a sentence if it is wrong.

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** The offset of `d` on this computer, as "+08:00". */
export function offsetOf(d: Date): string {
  const minutes = -d.getTimezoneOffset();
  const sign = minutes >= 0 ? "+" : "-";
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** "2026-11-20 14:30" for the local clock at `d`. */
export function localInput(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** "2026-11-20" for the local calendar date of `d`. */
export function localDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** RFC 3339 with seconds and offset of `d` in this computer's zone. */
export function rfc3339Of(d: Date): string {
  return `${localDate(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${offsetOf(d)}`;
}

/**
 * Joins a typed "YYYY-MM-DD HH:MM[:SS]" and an offset "+08:00" into
 * RFC 3339. Anything else is passed through untouched for the core to judge.
 */
export function composeAt(when: string, offset: string): string {
  const w = when.trim();
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(w);
  const off = offset.trim().replace(/^UTC/i, "");
  if (!m || !/^[+-]\d{2}:\d{2}$/.test(off)) return w;
  return `${m[1]}T${pad(+m[2])}:${m[3]}:${m[4] ?? "00"}${off}`;
}

/** Splits an RFC 3339 string back into the two inputs. */
export function splitAt(rfc3339: string): { when: string; offset: string } {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(rfc3339);
  if (!m) return { when: rfc3339, offset: "" };
  return { when: `${m[1]} ${m[2]}`, offset: m[3] === "Z" ? "+00:00" : m[3] };
}
