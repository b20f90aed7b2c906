"use client";
// The list of things a workflow can do, grouped by provider. Items drag onto the canvas, or a
// click adds them below the selected step.
import { memo, useMemo, useState, type CSSProperties, type DragEvent } from "react";
import type { CatalogEntry } from "./api-types";

/** The dataTransfer type the canvas drop handler looks for. */
export const PALETTE_MIME = "application/x-cue-node-type";

const KIND_LABEL = { trigger: "Trigger", action: "Action", logic: "Logic" } as const;

function onDragStart(event: DragEvent<HTMLButtonElement>, type: string) {
  event.dataTransfer.setData(PALETTE_MIME, type);
  event.dataTransfer.effectAllowed = "move";
}

export const Palette = memo(function Palette({
  entries,
  hasTrigger,
  onAdd,
}: {
  entries: readonly CatalogEntry[];
  hasTrigger: boolean;
  onAdd: (type: string) => void;
}) {
  const [query, setQuery] = useState("");
  const groups = useMemo(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    const matches = entries.filter((entry) => {
      const text = `${entry.title} ${entry.providerName} ${entry.description} ${entry.type} ${entry.kind}`.toLowerCase();
      return words.every((word) => text.includes(word));
    });
    // Triggers first: a workflow starts with one.
    const sorted = [...matches].sort((a, b) => Number(b.kind === "trigger") - Number(a.kind === "trigger"));
    const byProvider = new Map<string, CatalogEntry[]>();
    for (const entry of sorted) byProvider.set(entry.providerName, [...(byProvider.get(entry.providerName) ?? []), entry]);
    return [...byProvider.entries()];
  }, [entries, query]);

  return (
    <aside className="wf-palette" aria-label="Steps">
      <div className="wf-palette-search">
        <label htmlFor="palette-search" className="visually-hidden">
          Search steps
        </label>
        <input id="palette-search" type="search" placeholder="Search steps…" value={query} onChange={(e) => setQuery(e.target.value)} />
        <p className="hint">{hasTrigger ? "Drag a step onto the canvas, or click to add it after the selected step." : "Start with a trigger: what starts this workflow?"}</p>
      </div>
      <div className="wf-palette-groups">
        {groups.length === 0 ? <p className="muted wf-palette-empty">No steps match “{query}”.</p> : null}
        {groups.map(([provider, items]) => (
          <section key={provider} className="wf-palette-group" aria-label={provider}>
            <h3>{provider}</h3>
            {items.map((entry) => (
              <button
                key={entry.type}
                type="button"
                className="wf-palette-item"
                data-testid={`palette-item-${entry.type}`}
                draggable
                onDragStart={(event) => onDragStart(event, entry.type)}
                onClick={() => onAdd(entry.type)}
                title={entry.description}
                aria-label={`Add ${entry.providerName} ${KIND_LABEL[entry.kind].toLowerCase()}: ${entry.title}`}
                style={{ "--node-color": entry.color } as CSSProperties}
              >
                <span className="wf-node-icon" aria-hidden>
                  {entry.icon}
                </span>
                <span className="wf-palette-text">
                  <span>{entry.title}</span>
                  <small>{KIND_LABEL[entry.kind]}</small>
                </span>
              </button>
            ))}
          </section>
        ))}
      </div>
    </aside>
  );
});
