// The workflow behind each inbound webhook token, kept for a moment so a burst of deliveries does
// not look the same row up (and decrypt its secret) once per request. Everything that changes
// what a webhook accepts (activate, pause, delete, a new secret) calls forgetWebhookWorkflows()
// in this process; other processes see the change within WEBHOOK_CACHE_TTL_MS.
export const WEBHOOK_CACHE_TTL_MS = 2_000;
const MAX_ENTRIES = 10_000;

export interface WebhookWorkflow {
  id: string;
  userId: string;
  active: boolean;
  activeVersionId: string | null;
  /** The decrypted signing secret, or null when requests need no signature. */
  secret: string | null;
}

const cache = new Map<string, { workflow: WebhookWorkflow; until: number }>();

export async function cachedWebhookWorkflow(token: string, load: () => Promise<WebhookWorkflow | null>): Promise<WebhookWorkflow | null> {
  const now = Date.now();
  const hit = cache.get(token);
  if (hit && hit.until > now) return hit.workflow;
  const workflow = await load();
  // Unknown tokens are not remembered: guessing them costs the guesser a query each, as before.
  if (workflow) {
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(token, { workflow, until: now + WEBHOOK_CACHE_TTL_MS });
  } else cache.delete(token);
  return workflow;
}

export function forgetWebhookWorkflows(): void {
  cache.clear();
}
