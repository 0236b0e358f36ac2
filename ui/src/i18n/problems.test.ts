import { describe, expect, it } from "vitest";
import { problemText } from "./problems";

describe("problems", () => {
  it("are said in both languages, with terms, lists and nested problems (as the CLI says them)", () => {
    const p = {
      code: "import_has_rejected",
      count: 2,
      line: 4,
      reason: { code: "cell_not_amount", value: "abc", column: "金额" },
    } as const;
    expect(problemText("zh", p)).toContain("第 4 行");
    expect(problemText("zh", p)).toContain("“金额”列中的“abc”不是金额");
    expect(problemText("en", p)).toContain("line 4: 'abc' in 金额 is not an amount");
    expect(problemText("zh", { code: "unknown_value", field: "channel", input: "pigeon", allowed: ["chat", "phone"] })).toBe(
      "“pigeon”不是可用的联系渠道。可用的有：chat、phone。",
    );
    expect(problemText("zh", { code: "not_found", what: "case", id: 99 })).toBe("没有编号为 99 的案件。");
    expect(problemText("en", { code: "not_found", what: "case", id: 99 })).toBe("There is no case with id 99.");
  });

  it("fill optional parts only when there is something to say", () => {
    expect(problemText("en", { code: "statement_bad_csv", line: null, detail: "x" })).toBe(
      "The file could not be read as CSV (x). It may be cut short or damaged; export it again.",
    );
    expect(problemText("zh", { code: "statement_bad_csv", line: 7, detail: "x" })).toContain("（第 7 行）");
    expect(problemText("zh", { code: "storage", cause: "disk_full", detail: "database or disk is full" })).toContain("磁盘已满");
    expect(problemText("en", { code: "unknown_layout", wanted: "", looks_like: "", columns: [], unknown: [] })).toContain("found no columns at all");
  });
});
