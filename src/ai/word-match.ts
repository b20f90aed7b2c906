// Matching the planner's word tables against a clause: runs of stems (typo-tolerant, so "paymnet"
// still names a payment) and the names people give integrations ("Stripe", "the CRM", "the repo").
import type { IntegrationRegistry } from "@/integrations/registry";
import { PROVIDER_ALIASES } from "./lexicon/meaning";
import { stemSimilarity, type Token } from "./text";

export interface Hit {
  /** The consecutive tokens that matched, in order. */
  tokens: Token[];
}

/** Every place `stems` occurs as consecutive tokens. */
export function sequenceHits(tokens: readonly Token[], stems: readonly string[]): Hit[] {
  const hits: Hit[] = [];
  for (let at = 0; at + stems.length <= tokens.length; at++) {
    if (stems.every((stem, offset) => stemSimilarity(tokens[at + offset]!.stem, stem) > 0)) hits.push({ tokens: tokens.slice(at, at + stems.length) });
  }
  return hits;
}

const namesCache = new WeakMap<IntegrationRegistry, Map<string, string>>();

/** Word → integration key, for every integration's key, name and aliases. */
function providerWords(registry: IntegrationRegistry): Map<string, string> {
  const cached = namesCache.get(registry);
  if (cached) return cached;
  const words = new Map<string, string>();
  for (const integration of registry.integrations) {
    const names = [integration.key, integration.name.split(/\s+/)[0]!.toLowerCase(), ...(PROVIDER_ALIASES[integration.key] ?? [])];
    for (const name of names) words.set(name, integration.key);
  }
  namesCache.set(registry, words);
  return words;
}

/** The integrations the words name, with the words that name them. */
export function providerNames(registry: IntegrationRegistry, words: readonly Token[]): Map<string, Token[]> {
  const known = providerWords(registry);
  const found = new Map<string, Token[]>();
  for (const token of words) {
    const key = known.get(token.word);
    if (key) found.set(key, [...(found.get(key) ?? []), token]);
  }
  return found;
}
