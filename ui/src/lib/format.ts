// Locale formatting of what the core sends. Times arrive as RFC 3339 with the
// offset the user was in; they are shown as the user's clock read then, with
// that offset. Amounts arrive as decimal strings and are never turned into
// floating-point numbers.

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  offset: string;
}

export function parseWallTime(rfc3339: string): WallTime | null {
  const m = RFC3339.exec(rfc3339);
  if (!m) return null;
  return {
    year: +m[1],
    month: +m[2],
    day: +m[3],
    hour: +m[4],
    minute: +m[5],
    offset: m[7] === "Z" ? "+00:00" : m[7],
  };
}

// A formatter is made once per locale and kind and kept: making one costs
// far more than formatting (a list of 50 search results made 50 of them at
// each keystroke).
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${withTime ? "t" : "d"}:${locale}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      timeZone: "UTC",
      year: "numeric",
      month: "short",
      day: "numeric",
      ...(withTime ? { hour: "2-digit", minute: "2-digit", hourCycle: "h23" } : {}),
    });
    formatters.set(key, f);
  }
  return f;
}

/** "Nov 20, 2026, 14:30 (UTC+08:00)" / "2026年11月20日 14:30（UTC+08:00）". */
export function formatAt(rfc3339: string, locale: string): string {
  const w = parseWallTime(rfc3339);
  if (!w) return rfc3339;
  const wall = new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute));
  const text = formatter(locale, true).format(wall);
  return locale.startsWith("zh") ? `${text}（UTC${w.offset}）` : `${text} (UTC${w.offset})`;
}

/** A calendar date "2026-11-20" in the locale's style. */
export function formatDate(date: string, locale: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return formatter(locale, false).format(d);
}

function currencySymbol(currency: string, locale: string): string | null {
  try {
    const parts = new Intl.NumberFormat(locale, { style: "currency", currency }).formatToParts(0);
    return parts.find((p) => p.type === "currency")?.value ?? null;
  } catch {
    return null; // not an ISO 4217 code (USDT, BTC...)
  }
}

/** Groups the integer digits of a decimal string: "1234567.50" → "1,234,567.50". */
export function groupDigits(amount: string): string {
  const m = /^([+-]?)(\d+)(\.\d+)?$/.exec(amount.trim());
  if (!m) return amount;
  const int = m[2].replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${m[1]}${int}${m[3] ?? ""}`;
}

/** "¥1,250.50" / "US$12.00" / "0.0005 BTC", exactly the digits the core sent. */
export function formatMoney(amount: string, currency: string, locale: string): string {
  const grouped = groupDigits(amount);
  const symbol = currencySymbol(currency, locale);
  if (!symbol || symbol === currency) return `${grouped} ${currency}`;
  return grouped.startsWith("-") ? `-${symbol}${grouped.slice(1)}` : `${symbol}${grouped}`;
}

/** "12:05" for a number of seconds (h:mm:ss past an hour). */
export function formatClock(totalSecs: number): string {
  const s = Math.max(0, Math.floor(totalSecs));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = String(m).padStart(2, "0");
  const ss = String(sec).padStart(2, "0");
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}
