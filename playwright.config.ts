// End-to-end tests: the production build in Debian's Chromium, signing in through a real OIDC
// code flow against a local provider (e2e/oidc-server.mjs). Run `npm run build` first.
import { defineConfig, devices } from "@playwright/test";
import { APP_URL, FAKE_PIPEDRIVE_URL, FAKE_PROVIDERS_URL, FAKE_STRIPE_URL, OIDC_URL, PORTS } from "./e2e/ports";

const APP_PORT = PORTS.app;
const OIDC_PORT = PORTS.oidc;
const FAKE_PROVIDERS_PORT = PORTS.fakeProviders;
// Billing: the fake Stripe API (e2e/fake-stripe.mjs) and the values the app and it share.
const FAKE_STRIPE_PORT = PORTS.fakeStripe;
const STRIPE = {
  STRIPE_SECRET_KEY: "sk_test_cue_e2e_0123456789",
  STRIPE_WEBHOOK_SECRET: "whsec_cue_e2e_0123456789abcdef",
  STRIPE_PRICE_PRO_MONTHLY: "price_e2e_pro_monthly",
  STRIPE_PRICE_PRO_YEARLY: "price_e2e_pro_yearly",
  STRIPE_PRICE_BUSINESS_MONTHLY: "price_e2e_business_monthly",
  STRIPE_PRICE_BUSINESS_YEARLY: "price_e2e_business_yearly",
};
// Stripe Connect: the same fake serves the OAuth authorize page and token endpoint.
const STRIPE_CONNECT_CLIENT_ID = "ca_cue_e2e_connect";
// Pipedrive: the fake (e2e/fake-pipedrive.mjs) serves the OAuth app and, through the api_domain
// of its token responses, the companies' API.
const FAKE_PIPEDRIVE_PORT = PORTS.fakePipedrive;
const PIPEDRIVE = { PIPEDRIVE_CLIENT_ID: "pd-cue-e2e-client", PIPEDRIVE_CLIENT_SECRET: "pd-cue-e2e-secret+/=" };
const baseURL = APP_URL;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [
    ["list"],
    ...(process.env.CUE_TEST_RESULTS
      ? [["json", { outputFile: `${process.env.CUE_TEST_RESULTS}/playwright.json` }] as const]
      : [["html", { open: "never" }] as const]),
  ],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/ },
    {
      name: "chromium",
      use: { ...devices["Desktop Chrome"], storageState: "e2e/.auth/user.json" },
      dependencies: ["setup"],
    },
  ],
  webServer: [
    {
      command: "node e2e/oidc-server.mjs",
      url: `${OIDC_URL}/.well-known/openid-configuration`,
      env: { OIDC_PORT: String(OIDC_PORT) },
      reuseExistingServer: !process.env.CI,
      stdout: "pipe",
    },
    {
      command: "node e2e/fake-providers.mjs",
      url: `${FAKE_PROVIDERS_URL}/__requests`,
      env: { FAKE_PROVIDERS_PORT: String(FAKE_PROVIDERS_PORT) },
      reuseExistingServer: !process.env.CI,
      stdout: "pipe",
    },
    {
      command: "node e2e/fake-stripe.mjs",
      url: `${FAKE_STRIPE_URL}/__requests`,
      env: {
        ...STRIPE,
        FAKE_STRIPE_PORT: String(FAKE_STRIPE_PORT),
        FAKE_STRIPE_SECRET_KEY: STRIPE.STRIPE_SECRET_KEY,
        // The hosted Checkout page's "Pay" delivers signed webhooks here.
        FAKE_STRIPE_WEBHOOK_URL: `${baseURL}/api/webhooks/stripe`,
        FAKE_STRIPE_WEBHOOK_SECRET: STRIPE.STRIPE_WEBHOOK_SECRET,
        FAKE_STRIPE_CONNECT_CLIENT_ID: STRIPE_CONNECT_CLIENT_ID,
      },
      reuseExistingServer: !process.env.CI,
      stdout: "pipe",
    },
    {
      command: "node e2e/fake-pipedrive.mjs",
      url: `${FAKE_PIPEDRIVE_URL}/__state`,
      env: {
        FAKE_PIPEDRIVE_PORT: String(FAKE_PIPEDRIVE_PORT),
        FAKE_PIPEDRIVE_CLIENT_ID: PIPEDRIVE.PIPEDRIVE_CLIENT_ID,
        FAKE_PIPEDRIVE_CLIENT_SECRET: PIPEDRIVE.PIPEDRIVE_CLIENT_SECRET,
      },
      reuseExistingServer: !process.env.CI,
      stdout: "pipe",
    },
    {
      // A fresh embedded database for every run.
      command: `rm -rf .data/e2e && npx next start -p ${APP_PORT}`,
      url: `${baseURL}/signin`,
      timeout: 120_000,
      reuseExistingServer: !process.env.CI,
      env: {
        DATABASE_URL: "pglite:.data/e2e",
        AUTH_URL: baseURL,
        AUTH_SECRET: "e2e-secret-0123456789abcdef0123456789abcdef",
        AUTH_OIDC_ISSUER: OIDC_URL,
        AUTH_OIDC_ID: "cue-e2e",
        AUTH_OIDC_SECRET: "cue-e2e-secret",
        AUTH_OIDC_NAME: "Test SSO",
        ENCRYPTION_KEYS: `e2e:${Buffer.alloc(32, 1).toString("base64")}`,
        NEXT_TELEMETRY_DISABLED: "1",
        TWILIO_API_URL: FAKE_PROVIDERS_URL,
        GITHUB_API_URL: FAKE_PROVIDERS_URL,
        // The fake Jira site lives on 127.0.0.1, which connections and http.request refuse by default.
        HTTP_ALLOW_PRIVATE_NETWORK: "true",
        SCHEDULER_INTERVAL_MS: "250",
        ...STRIPE,
        STRIPE_API_URL: FAKE_STRIPE_URL,
        STRIPE_CONNECT_CLIENT_ID,
        STRIPE_CONNECT_URL: FAKE_STRIPE_URL,
        ...PIPEDRIVE,
        PIPEDRIVE_OAUTH_URL: FAKE_PIPEDRIVE_URL,
      },
    },
  ],
});
