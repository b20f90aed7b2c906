import { ContactsView } from "./contacts-view";

export const metadata = { title: "Contacts" };

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function ContactsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // /contacts?connection=<id> narrows the list to what one Pipedrive connection imported.
  const query = await searchParams;
  return (
    <>
      <header className="page-header">
        <h1>Contacts</h1>
        <p className="muted">People imported from your CRM by contact sync (Pipedrive, Business plan), with their organizations and deals.</p>
      </header>
      <ContactsView connectionId={first(query.connection)} />
    </>
  );
}
