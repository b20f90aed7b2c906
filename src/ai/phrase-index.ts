// What people call each trigger and action, read from the integration registry's declarations
// (each trigger's and action's `phrases`, plus its title), and how strongly a clause matches them.
// There is no list of node types here: a new integration with phrases is understood at once.
import type { IntegrationRegistry } from "@/integrations/registry";
import { actionFields } from "./action-config";
import { contentTokens, stemSimilarity, type Token } from "./text";
import { payloadPaths } from "./trigger-data";

export type PlannableKind = "trigger" | "action";

interface Phrase {
  text: string;
  stems: string[];
}

export interface NodeVocabulary {
  type: string;
  kind: PlannableKind;
  title: string;
  phrases: Phrase[];
}

export interface PhraseIndex {
  nodes: NodeVocabulary[];
  /** Every stem some phrase uses: words Cue knows, so they are never read as names or values. */
  vocabulary: ReadonlySet<string>;
  /** Rare words say more than common ones: "jira" names one action, "create" names several. */
  weight(stem: string): number;
}

export interface PhraseMatch {
  type: string;
  kind: PlannableKind;
  score: number;
  /** How many words of the phrase matched: a longer phrase names the thing more specifically. */
  words: number;
  /** Character span in the text the clause tokens came from. */
  start: number;
  end: number;
  phrase: string;
}

const cache = new WeakMap<IntegrationRegistry, PhraseIndex>();

export function phraseIndex(registry: IntegrationRegistry): PhraseIndex {
  const cached = cache.get(registry);
  if (cached) return cached;
  const nodes: NodeVocabulary[] = [];
  const toPhrase = (text: string): Phrase => ({ text, stems: contentTokens(text.toLowerCase()).map((token) => token.stem) });
  for (const integration of registry.integrations) {
    // Schema conversions and payload walks are done once here, so each description stays fast.
    for (const action of integration.actions) actionFields(action);
    for (const trigger of integration.triggers) payloadPaths(trigger);
    for (const trigger of integration.triggers) {
      nodes.push({
        type: trigger.type,
        kind: "trigger",
        title: trigger.title,
        phrases: [...trigger.phrases, trigger.title].map(toPhrase).filter((phrase) => phrase.stems.length > 0),
      });
    }
    for (const action of integration.actions) {
      nodes.push({
        type: action.type,
        kind: "action",
        title: action.title,
        phrases: [...action.phrases, action.title].map(toPhrase).filter((phrase) => phrase.stems.length > 0),
      });
    }
  }
  const documentFrequency = new Map<string, number>();
  for (const node of nodes) {
    for (const stem of new Set(node.phrases.flatMap((phrase) => phrase.stems))) {
      documentFrequency.set(stem, (documentFrequency.get(stem) ?? 0) + 1);
    }
  }
  const index: PhraseIndex = {
    nodes,
    vocabulary: new Set(documentFrequency.keys()),
    weight: (stem) => 1 + Math.log(nodes.length / (documentFrequency.get(stem) ?? 1)),
  };
  cache.set(registry, index);
  return index;
}

// Words may sit between a phrase's words ("payment from a customer fails"), at a small cost.
const MAX_GAP = 2;
const GAP_COST = 0.25;
// Out-of-order matches ("ticket in jira" for "jira ticket") count for less than in-order ones.
const UNORDERED_FACTOR = 0.8;

interface Hit {
  score: number;
  first: number;
  last: number;
}

function orderedHit(phrase: Phrase, tokens: Token[], weight: (stem: string) => number): Hit | undefined {
  let best: Hit | undefined;
  for (let start = 0; start < tokens.length; start++) {
    const firstSimilarity = stemSimilarity(tokens[start]!.stem, phrase.stems[0]!);
    if (!firstSimilarity) continue;
    let score = firstSimilarity * weight(phrase.stems[0]!);
    let at = start;
    let complete = true;
    for (const stem of phrase.stems.slice(1)) {
      let found = -1;
      for (let next = at + 1; next < tokens.length && next <= at + 1 + MAX_GAP; next++) {
        const similarity = stemSimilarity(tokens[next]!.stem, stem);
        if (similarity) {
          found = next;
          score += similarity * weight(stem) - (next - at - 1) * GAP_COST;
          break;
        }
      }
      if (found < 0) {
        complete = false;
        break;
      }
      at = found;
    }
    if (complete && (!best || score > best.score)) best = { score, first: start, last: at };
  }
  return best;
}

function unorderedHit(phrase: Phrase, tokens: Token[], weight: (stem: string) => number): Hit | undefined {
  if (phrase.stems.length < 2) return undefined;
  const window = phrase.stems.length + MAX_GAP;
  let best: Hit | undefined;
  for (let start = 0; start < tokens.length; start++) {
    const used = new Set<number>();
    let score = 0;
    for (const stem of phrase.stems) {
      let found = -1;
      for (let at = start; at < Math.min(tokens.length, start + window); at++) {
        if (!used.has(at) && stemSimilarity(tokens[at]!.stem, stem)) {
          found = at;
          break;
        }
      }
      if (found < 0) {
        score = -1;
        break;
      }
      used.add(found);
      score += stemSimilarity(tokens[found]!.stem, stem) * weight(stem);
    }
    if (score < 0) continue;
    const hit = { score: score * UNORDERED_FACTOR, first: Math.min(...used), last: Math.max(...used) };
    if (!best || hit.score > best.score) best = hit;
  }
  return best;
}

/**
 * Every way the tokens match some node's phrases (the best per span and node), so a node whose best
 * match collides with a stronger one can still be found by another phrase.
 */
export function matchPhrases(index: PhraseIndex, tokens: Token[], kind?: PlannableKind): PhraseMatch[] {
  const matches: PhraseMatch[] = [];
  for (const node of index.nodes) {
    if (kind && node.kind !== kind) continue;
    const bySpan = new Map<string, PhraseMatch>();
    for (const phrase of node.phrases) {
      for (const hit of [orderedHit(phrase, tokens, index.weight), unorderedHit(phrase, tokens, index.weight)]) {
        if (!hit) continue;
        const match = { type: node.type, kind: node.kind, score: hit.score, words: phrase.stems.length, start: tokens[hit.first]!.start, end: tokens[hit.last]!.end, phrase: phrase.text };
        const key = `${match.start}:${match.end}`;
        const existing = bySpan.get(key);
        if (!existing || match.score > existing.score) bySpan.set(key, match);
      }
    }
    matches.push(...bySpan.values());
  }
  return matches;
}
