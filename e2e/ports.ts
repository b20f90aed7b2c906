// Every port the end-to-end suite uses, from one base (E2E_PORT_BASE, default 3100), so two
// checkouts can run the suite side by side on one machine without colliding.
const base = Number(process.env.E2E_PORT_BASE ?? 3100);

export const PORTS = {
  app: base,
  oidc: base + 1,
  fakeProviders: base + 2,
  fakeStripe: base + 3,
  fakePipedrive: base + 4,
} as const;

export const APP_URL = `http://localhost:${PORTS.app}`;
export const OIDC_URL = `http://127.0.0.1:${PORTS.oidc}`;
export const FAKE_PROVIDERS_URL = `http://127.0.0.1:${PORTS.fakeProviders}`;
export const FAKE_STRIPE_URL = `http://127.0.0.1:${PORTS.fakeStripe}`;
export const FAKE_PIPEDRIVE_URL = `http://127.0.0.1:${PORTS.fakePipedrive}`;

/** A URL as a regular expression source, for toHaveURL. */
export const urlPattern = (url: string) => url.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
