import { describe, expect, it } from "vitest";
import { MAX_PRIORITY, runPriority } from "./priority";

describe("runPriority", () => {
  it("puts a user's first run ahead of another user's backlog", () => {
    expect(runPriority(0, 0)).toBe(1);
    expect(runPriority(500, 0)).toBe(501);
    expect(runPriority(0, 0)).toBeLessThan(runPriority(1, 0));
  });

  it("lets Business advance at twice the rate of Free and Pro", () => {
    expect(runPriority(100, 10)).toBe(51);
    expect(runPriority(100, 0)).toBe(101);
  });

  it("stays within BullMQ's range", () => {
    expect(runPriority(1e9, 0)).toBe(MAX_PRIORITY);
    expect(runPriority(-5, 0)).toBe(1);
  });
});
