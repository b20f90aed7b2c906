"use client";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useTRPC } from "@/trpc/react";

const PAGE = 50;

export function ContactsView({ connectionId }: { connectionId?: string }) {
  const trpc = useTRPC();
  const [search, setSearch] = useState("");
  const [term, setTerm] = useState("");
  // Cursors of the pages shown so far; the last one is the current page.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors.at(-1);
  const contacts = useQuery(
    trpc.integrations.contacts.queryOptions({
      limit: PAGE,
      ...(term ? { search: term } : {}),
      ...(connectionId ? { connectionId } : {}),
      ...(cursor ? { cursor } : {}),
    }),
  );

  return (
    <div className="stack">
      <form
        className="actions"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          setTerm(search.trim());
          setCursors([undefined]);
        }}
      >
        <input aria-label="Search contacts" placeholder="Name, email, phone or organization" value={search} onChange={(e) => setSearch(e.target.value)} style={{ flex: 1 }} />
        <button type="submit" className="btn btn-secondary">
          Search
        </button>
        {connectionId ? (
          <Link className="btn btn-ghost" href="/contacts">
            All connections
          </Link>
        ) : null}
      </form>
      {contacts.isPending ? <p className="muted">Loading…</p> : null}
      {contacts.isError ? <div className="alert alert-error">{contacts.error.message}</div> : null}
      {contacts.data && contacts.data.total === 0 && !term ? (
        <div className="card empty">
          <h2>No contacts yet</h2>
          <p className="muted">
            Connect Pipedrive on the <Link href="/integrations">Integrations</Link> page and run a contact sync (Business plan).
          </p>
        </div>
      ) : null}
      {contacts.data && (contacts.data.total > 0 || term) ? (
        <div className="card" style={{ padding: 0, overflowX: "auto" }}>
          <table data-testid="contacts-table" style={{ width: "100%", borderCollapse: "collapse", fontSize: "0.9rem" }}>
            <thead>
              <tr style={{ textAlign: "left" }}>
                {["Name", "Email", "Phone", "Organization", "Open deals", "Won deals", "From"].map((heading) => (
                  <th key={heading} style={{ padding: "10px 12px", borderBottom: "1px solid var(--border)" }}>
                    {heading}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {contacts.data.items.map((contact) => (
                <tr key={contact.id}>
                  <td style={{ padding: "8px 12px" }}>
                    <strong>{contact.name}</strong>
                  </td>
                  <td style={{ padding: "8px 12px" }}>{contact.email ?? <span className="hint">—</span>}</td>
                  <td style={{ padding: "8px 12px" }}>{contact.phone ?? <span className="hint">—</span>}</td>
                  <td style={{ padding: "8px 12px" }}>{contact.organization ?? <span className="hint">—</span>}</td>
                  <td style={{ padding: "8px 12px" }}>{contact.openDeals}</td>
                  <td style={{ padding: "8px 12px" }}>{contact.wonDeals}</td>
                  <td style={{ padding: "8px 12px" }} className="hint">
                    {contact.sources.join(", ")}
                  </td>
                </tr>
              ))}
              {contacts.data.items.length === 0 ? (
                <tr>
                  <td colSpan={7} style={{ padding: "12px" }} className="hint">
                    Nobody matches “{term}”.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      ) : null}
      {contacts.data && contacts.data.total > 0 ? (
        <div className="actions">
          <span className="hint">
            {contacts.data.total} contact{contacts.data.total === 1 ? "" : "s"}
          </span>
          <button type="button" className="btn btn-secondary btn-small" disabled={cursors.length <= 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
            Previous
          </button>
          <button
            type="button"
            className="btn btn-secondary btn-small"
            disabled={!contacts.data.nextCursor}
            onClick={() => setCursors((c) => [...c, contacts.data!.nextCursor!])}
          >
            Next
          </button>
        </div>
      ) : null}
    </div>
  );
}
