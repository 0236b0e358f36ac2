import { describe, expect, it } from "vitest";
import { CallSession } from "./call";

describe("CallSession", () => {
  it("stamps lines with the time into the call and reports the duration", () => {
    const start = new Date(2026, 10, 20, 14, 30, 0);
    const call = new CallSession(start);
    const at = (secs: number) => new Date(start.getTime() + secs * 1000);
    expect(call.addLine("接通，工号 8823", at(5))).toBe(true);
    expect(call.addLine("   ", at(6))).toBe(false);
    call.addLine("Refund in 3 days", at(125));
    const form = call.finish(at(754), "95188", "");
    expect(form.duration_secs).toBe(754);
    expect(form.lines).toEqual([
      { offset_secs: 5, text: "接通，工号 8823" },
      { offset_secs: 125, text: "Refund in 3 days" },
    ]);
    expect(form.via).toBe("95188");
    expect(form.agent).toBeNull();
    expect(form.started_at).toMatch(/^2026-11-20T14:30:00[+-]\d{2}:\d{2}$/);
  });
});
