import { describe, expect, it } from "vitest";
import { durationBetween, formatDuration, formatRelative } from "./format";

describe("format", () => {
  it("formats durations at a readable precision", () => {
    expect(formatDuration(42)).toBe("42 ms");
    expect(formatDuration(1500)).toBe("1.5 s");
    expect(formatDuration(42_000)).toBe("42 s");
    expect(formatDuration(125_000)).toBe("2 min 5 s");
    expect(formatDuration(3 * 3_600_000 + 60_000)).toBe("3 h 1 min");
  });

  it("measures between instants given as dates or strings, and waits for an end", () => {
    expect(durationBetween("2026-01-01T00:00:00Z", new Date("2026-01-01T00:00:02Z"))).toBe("2.0 s");
    expect(durationBetween(new Date(), null)).toBeNull();
  });

  it("says how long ago something happened", () => {
    const now = Date.parse("2026-01-10T12:00:00Z");
    expect(formatRelative(null, now)).toBe("Never");
    expect(formatRelative("2026-01-10T11:59:50Z", now)).toBe("just now");
    expect(formatRelative("2026-01-10T11:30:00Z", now)).toBe("30 min ago");
    expect(formatRelative("2026-01-10T09:00:00Z", now)).toBe("3 h ago");
    expect(formatRelative("2026-01-08T12:00:00Z", now)).toBe("2 d ago");
  });
});
