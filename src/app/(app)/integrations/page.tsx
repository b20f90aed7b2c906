import { IntegrationsView, type OAuthReturn } from "./integrations-view";

export const metadata = { title: "Integrations" };

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function IntegrationsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // The OAuth callback comes back here with ?connected=<provider> or ?error=<reason>&provider=….
  const query = await searchParams;
  const oauthReturn: OAuthReturn = { connected: first(query.connected), error: first(query.error), provider: first(query.provider) };
  return (
    <>
      <header className="page-header">
        <h1>Integrations</h1>
        <p className="muted">Connect the accounts your workflows act on. Keys and tokens are encrypted and never shown again.</p>
      </header>
      <IntegrationsView oauthReturn={oauthReturn} />
    </>
  );
}
