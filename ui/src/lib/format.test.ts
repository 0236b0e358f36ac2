import { describe, expect, it } from "vitest";
import { formatAt, formatClock, formatDate, formatMoney, groupDigits, parseWallTime } from "./format";

describe("formatAt", () => {
  it("shows the clock the user read, with their offset", () => {
    expect(formatAt("2026-11-20T14:30:00+08:00", "en-US")).toBe("Nov 20, 2026, 14:30 (UTC+08:00)");
    expect(formatAt("2026-11-20T14:30:00+08:00", "zh-CN")).toBe("2026年11月20日 14:30（UTC+08:00）");
    expect(formatAt("2026-11-20T06:30:00Z", "en-US")).toContain("(UTC+00:00)");
  });
  it("passes unknown text through", () => {
    expect(formatAt("not a time", "en-US")).toBe("not a time");
    expect(parseWallTime("2026-11-20")).toBeNull();
  });
});

describe("money", () => {
  it("never rounds: the digits are the core's", () => {
    expect(groupDigits("1234567.891234567891")).toBe("1,234,567.891234567891");
    expect(formatMoney("1250.50", "CNY", "zh-CN")).toBe("¥1,250.50");
    expect(formatMoney("-12.00", "USD", "en-US")).toBe("-$12.00");
    expect(formatMoney("0.00012345", "USDT", "en-US")).toBe("0.00012345 USDT");
  });
});

describe("dates and clocks", () => {
  it("formats calendar dates per locale", () => {
    expect(formatDate("2026-12-01", "en-US")).toBe("Dec 1, 2026");
    expect(formatDate("2026-12-01", "zh-CN")).toBe("2026年12月1日");
  });
  it("formats call clocks", () => {
    expect(formatClock(5)).toBe("00:05");
    expect(formatClock(754)).toBe("12:34");
    expect(formatClock(3725)).toBe("1:02:05");
  });
});
