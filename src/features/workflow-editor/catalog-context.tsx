"use client";
// The node catalog, shared with every canvas node without threading it through node data (which
// would copy it into each of possibly hundreds of nodes and break their memoisation).
import { createContext, useContext } from "react";
import type { CatalogEntry } from "./api-types";

export const CatalogContext = createContext<ReadonlyMap<string, CatalogEntry>>(new Map());

export function useCatalogEntry(type: string): CatalogEntry | undefined {
  return useContext(CatalogContext).get(type);
}

export function catalogMap(entries: readonly CatalogEntry[]): ReadonlyMap<string, CatalogEntry> {
  return new Map(entries.map((entry) => [entry.type, entry]));
}
