import { describe, expect, it } from "vitest";
import { updateWorkflowInput } from "@/server/api/routers/workflows/schemas";
import { parseMaxConcurrency } from "./concurrency";

describe("parseMaxConcurrency", () => {
  it("reads empty as no limit and whole numbers from 1 to 100 as the limit", () => {
    expect(parseMaxConcurrency("")).toEqual({ ok: true, value: null });
    expect(parseMaxConcurrency("  ")).toEqual({ ok: true, value: null });
    expect(parseMaxConcurrency("1")).toEqual({ ok: true, value: 1 });
    expect(parseMaxConcurrency(" 100 ")).toEqual({ ok: true, value: 100 });
  });

  it.each(["0", "101", "2.5", "-3", "ten", "1e2"])("refuses %s with a message", (text) => {
    const parsed = parseMaxConcurrency(text);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? "" : parsed.error).toMatch(/1 to 100/);
  });

  it("agrees with the API's input schema", () => {
    for (const text of ["", "1", "50", "100", "0", "101"]) {
      const parsed = parseMaxConcurrency(text);
      const api = updateWorkflowInput.safeParse({ id: "w1", maxConcurrency: parsed.ok ? parsed.value : Number(text) });
      expect(api.success).toBe(parsed.ok);
    }
  });
});
