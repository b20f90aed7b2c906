// Keeps user-supplied URLs (http.request) away from Cue's own network: loopback, private,
// link-local and unique-local ranges, checked on every address the host name resolves to.
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { StepError } from "@/engine/errors";

const BLOCKED = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT, often internal in clouds
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, including cloud metadata endpoints
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved and broadcast
] as const) {
  BLOCKED.addSubnet(network, prefix, "ipv4");
}
BLOCKED.addAddress("::", "ipv6");
BLOCKED.addAddress("::1", "ipv6");
BLOCKED.addSubnet("fc00::", 7, "ipv6");
BLOCKED.addSubnet("fe80::", 10, "ipv6");

/** True when the address must not be reached; IPv4-mapped IPv6 (::ffff:a.b.c.d) is checked as IPv4. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, "ipv4");
  if (family === 6) return BLOCKED.check(address, "ipv6");
  return true;
}

export type LookupAll = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

const lookupAll: LookupAll = (hostname) => lookup(hostname, { all: true, verbatim: true });

/** Throws a non-retryable "config" StepError when the URL leads to a private address. */
export async function assertPublicUrl(url: URL, resolve: LookupAll = lookupAll): Promise<void> {
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new StepError("config", `Only http and https URLs can be requested, not ${url.protocol}`);
  }
  const hostname = url.hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  if (isIP(hostname)) addresses = [hostname];
  else {
    try {
      addresses = (await resolve(hostname)).map((entry) => entry.address);
    } catch (error) {
      throw new StepError("network", `Could not resolve ${hostname}`, { cause: error });
    }
  }
  const blocked = addresses.find(isPrivateAddress);
  if (blocked !== undefined) {
    throw new StepError("config", `${hostname} resolves to a private or local address (${blocked}), which Cue does not call`);
  }
}
