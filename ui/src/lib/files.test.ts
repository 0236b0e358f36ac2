import { describe, expect, it } from "vitest";
import { canPreview, formatSize, mayBeStatement } from "./files";

describe("files", () => {
  it("formats sizes", () => {
    expect(formatSize(512)).toBe("512 B");
    expect(formatSize(3482)).toBe("3.4 KB");
    expect(formatSize(100 * 1024 * 1024)).toBe("100.0 MB");
  });
  it("offers import for statement-like files only", () => {
    expect(mayBeStatement({ media_type: "text/csv", name: "bill.csv" })).toBe(true);
    expect(mayBeStatement({ media_type: "application/zip", name: "微信支付账单.xlsx" })).toBe(true);
    expect(mayBeStatement({ media_type: "image/png", name: "screenshot.png" })).toBe(false);
    expect(mayBeStatement({ media_type: "application/pdf", name: "letter.pdf" })).toBe(false);
  });
  it("previews raster images only", () => {
    expect(canPreview({ media_type: "image/png" })).toBe(true);
    expect(canPreview({ media_type: "image/svg+xml" })).toBe(false);
    expect(canPreview({ media_type: "image/heic" })).toBe(false);
  });
});
