// Undo/redo over whole-graph snapshots. Snapshots are cheap (the graph is plain data) and make
// every edit undoable the same way, whatever produced it.
export const HISTORY_LIMIT = 100;

export interface History<T> {
  past: readonly T[];
  future: readonly T[];
  /** Consecutive edits with the same key (typing into one field) collapse into one undo step. */
  lastKey: string | null;
}

export function emptyHistory<T>(): History<T> {
  return { past: [], future: [], lastKey: null };
}

/** Remembers `before`, the state just before an edit. */
export function recordEdit<T>(history: History<T>, before: T, key: string | null = null): History<T> {
  if (key !== null && key === history.lastKey) return history.future.length ? { ...history, future: [] } : history;
  const past = [...history.past, before];
  return { past: past.length > HISTORY_LIMIT ? past.slice(past.length - HISTORY_LIMIT) : past, future: [], lastKey: key };
}

export function undo<T>(history: History<T>, current: T): { history: History<T>; state: T } | null {
  const state = history.past[history.past.length - 1];
  if (state === undefined) return null;
  return { history: { past: history.past.slice(0, -1), future: [current, ...history.future], lastKey: null }, state };
}

export function redo<T>(history: History<T>, current: T): { history: History<T>; state: T } | null {
  const [state, ...future] = history.future;
  if (state === undefined) return null;
  return { history: { past: [...history.past, current], future, lastKey: null }, state };
}
