// The "runs at once" setting of a workflow (Workflow.maxConcurrency): what the user types, parsed
// the way the API will check it, so the form can say what is wrong before anything is sent.
export const MAX_CONCURRENCY_LIMIT = 100;

export type ParsedConcurrency = { ok: true; value: number | null } | { ok: false; error: string };

/** Empty means no limit; otherwise a whole number from 1 to 100. */
export function parseMaxConcurrency(text: string): ParsedConcurrency {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: true, value: null };
  if (!/^\d+$/.test(trimmed)) return { ok: false, error: `Enter a whole number from 1 to ${MAX_CONCURRENCY_LIMIT}, or leave it empty for no limit` };
  const value = Number(trimmed);
  if (value < 1 || value > MAX_CONCURRENCY_LIMIT) return { ok: false, error: `Enter a whole number from 1 to ${MAX_CONCURRENCY_LIMIT}, or leave it empty for no limit` };
  return { ok: true, value };
}
