import { describe, expect, it } from "vitest";
import { rejectionOf } from "../testing/fake-server";
import { assertPublicUrl, isPrivateAddress, type LookupAll } from "./network-guard";

describe("isPrivateAddress", () => {
  it.each([
    "127.0.0.1",
    "127.255.0.9",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "0.0.0.0",
    "100.64.0.1",
    "::1",
    "::",
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:10.0.0.1",
  ])("blocks %s", (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(["93.184.215.14", "172.32.0.1", "8.8.8.8", "2606:4700::6810:85e5", "::ffff:8.8.8.8"])("allows %s", (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });
});

describe("assertPublicUrl", () => {
  const resolvesTo =
    (...addresses: string[]): LookupAll =>
    async () =>
      addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

  it("refuses a host name when any of its addresses is private", async () => {
    const error = await rejectionOf(assertPublicUrl(new URL("https://internal.example.com/"), resolvesTo("93.184.215.14", "10.0.0.5")));
    expect(error).toMatchObject({ code: "config", retryable: false });
    expect(error.message).toContain("10.0.0.5");
  });

  it("allows a host name that resolves only to public addresses", async () => {
    await expect(assertPublicUrl(new URL("https://api.example.com/"), resolvesTo("93.184.215.14", "2606:4700::6810:85e5"))).resolves.toBeUndefined();
  });

  it("checks IP literals without DNS, including bracketed IPv6 and odd IPv4 spellings", async () => {
    const noDns: LookupAll = async () => {
      throw new Error("DNS must not be used for literals");
    };
    for (const url of ["http://[::1]:8080/", "http://2130706433/", "http://0x7f.1/", "http://[::ffff:127.0.0.1]/"]) {
      expect((await rejectionOf(assertPublicUrl(new URL(url), noDns))).code).toBe("config");
    }
  });

  it("refuses non-http schemes", async () => {
    expect((await rejectionOf(assertPublicUrl(new URL("file:///etc/passwd")))).code).toBe("config");
  });
});
