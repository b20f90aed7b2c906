// When a stored token is worth refreshing: only with a refresh token, and then when it expires
// within five minutes or the provider just refused it.
import { describe, expect, it } from "vitest";
import { REFRESH_MARGIN_MS, reconnectMessage, shouldRefresh } from "./refresh";

describe("shouldRefresh", () => {
  const now = 1_000_000_000;
  it("refreshes tokens expiring within the margin, not later ones", () => {
    expect(shouldRefresh({ refreshToken: "rt", expiresAt: now + REFRESH_MARGIN_MS }, now)).toBe(true);
    expect(shouldRefresh({ refreshToken: "rt", expiresAt: now - 1 }, now)).toBe(true);
    expect(shouldRefresh({ refreshToken: "rt", expiresAt: now + REFRESH_MARGIN_MS + 1 }, now)).toBe(false);
  });
  it("refreshes on demand (after a 401) whatever the expiry says", () => {
    expect(shouldRefresh({ refreshToken: "rt", expiresAt: now + 3_600_000 }, now, true)).toBe(true);
    expect(shouldRefresh({ refreshToken: "rt" }, now, true)).toBe(true);
  });
  it("never without a refresh token or for tokens that do not expire", () => {
    expect(shouldRefresh({ accessToken: "at", expiresAt: now - 1 }, now, true)).toBe(false);
    expect(shouldRefresh({ refreshToken: "rt" }, now)).toBe(false);
  });
});

describe("reconnectMessage", () => {
  it("names the provider and the reason", () => {
    expect(reconnectMessage("jira", "invalid_grant")).toBe("Jira connection needs reconnecting: invalid_grant");
    expect(reconnectMessage("slack", null)).toBe("Slack connection needs reconnecting");
  });
});
