import { describe, expect, it } from "vitest";
import { composeAt, localInput, offsetOf, splitAt } from "./form";

describe("time inputs", () => {
  it("joins the typed time and the offset into RFC 3339", () => {
    expect(composeAt("2026-11-20 14:30", "+08:00")).toBe("2026-11-20T14:30:00+08:00");
    expect(composeAt(" 2026-11-20T9:05:07 ", "UTC-05:00")).toBe("2026-11-20T09:05:07-05:00");
  });
  it("leaves anything else for the core to judge", () => {
    expect(composeAt("yesterday", "+08:00")).toBe("yesterday");
    expect(composeAt("2026-11-20 14:30", "Beijing")).toBe("2026-11-20 14:30");
  });
  it("round-trips through splitAt", () => {
    const { when, offset } = splitAt("2026-11-20T14:30:00+08:00");
    expect(composeAt(when, offset)).toBe("2026-11-20T14:30:00+08:00");
    expect(splitAt("2026-11-20T06:30:00Z").offset).toBe("+00:00");
  });
  it("describes now on this computer", () => {
    const d = new Date(2026, 10, 20, 9, 5);
    expect(localInput(d)).toBe("2026-11-20 09:05");
    expect(offsetOf(d)).toMatch(/^[+-]\d{2}:\d{2}$/);
  });
});
