import { IntegrationsView } from "./integrations-view";

export const metadata = { title: "Integrations" };

export default function IntegrationsPage() {
  return (
    <>
      <header className="page-header">
        <h1>Integrations</h1>
        <p className="muted">Connect the accounts your workflows act on. Keys and tokens are encrypted and never shown again.</p>
      </header>
      <IntegrationsView />
    </>
  );
}
