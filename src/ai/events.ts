// Which trigger a trigger clause names, by meaning: a table built from the registry's declared
// triggers (provider, object and outcome read off each type key, plus its phrases and its event
// name), matched against the clause's words. The most specific reading wins: "payment intent
// succeeded" is the PaymentIntent event, not the charge one; an outcome Cue has no trigger for
// ("a deal is lost") matches nothing rather than the nearest event.
import type { TriggerDefinition } from "@/integrations/core/define";
import type { IntegrationRegistry } from "@/integrations/registry";
import { NEGATORS, OUTCOMES, POSITIVE_OUTCOMES, TRIGGER_OBJECTS, UNSUPPORTED_OUTCOMES } from "./lexicon/meaning";
import { matchPhrases, phraseIndex } from "./phrase-index";
import { providerNames, sequenceHits } from "./word-match";
import { stem, type Token } from "./text";

interface EventEntry {
  trigger: TriggerDefinition;
  provider: string;
  /** Each way of naming its object, as stems ("payment intent" → ["payment", "intent"]). */
  objects: string[][];
  outcome: string;
  /** The provider's own event name ("invoice.payment_failed"), when it names this trigger alone. */
  eventName?: string;
  /** How many triggers share its object: an object named without an outcome is enough only when alone. */
  siblings: number;
}

export interface EventMatch {
  trigger: TriggerDefinition;
  score: number;
  /** Named by the provider's own event name ("charge.failed"). */
  byName: boolean;
  /** The clause's words the match read. */
  used: Token[];
}

const EVENT_NAME_SCORE = 100;
const PHRASE_BONUS = 0.5;
const SOLE_OBJECT_BONUS = 0.5;
const MIN_SCORE = 1.5;

const cache = new WeakMap<IntegrationRegistry, EventEntry[]>();

/** "stripe.customer.subscription.deleted" → object "customer.subscription", outcome "deleted". */
function parts(type: string): { provider: string; object: string; outcome: string } {
  const segments = type.split(".");
  const provider = segments[0]!;
  const middle = segments.slice(1, -1).join(".");
  return { provider, object: middle || provider, outcome: segments.at(-1)!.replace(/^payment_/, "") };
}

function eventTable(registry: IntegrationRegistry): EventEntry[] {
  const cached = cache.get(registry);
  if (cached) return cached;
  const names = new Map<string, number>();
  for (const integration of registry.integrations) for (const trigger of integration.triggers) if (trigger.event) names.set(trigger.event.name, (names.get(trigger.event.name) ?? 0) + 1);
  const entries = registry.integrations.flatMap((integration) =>
    integration.triggers.map((trigger) => {
      const { object, outcome } = parts(trigger.type);
      const event = trigger.event;
      return {
        trigger,
        provider: integration.key,
        objects: (TRIGGER_OBJECTS[object] ?? []).map((words) => words.split(" ").map(stem)),
        outcome,
        // An event name shared by several triggers (Pipedrive's "change.deal") names none of them.
        eventName: event && names.get(event.name) === 1 && !event.matches && event.name.includes(".") ? event.name.toLowerCase() : undefined,
        objectKey: object,
      };
    }),
  );
  const table = entries.map(({ objectKey, ...entry }) => ({ ...entry, siblings: entries.filter((other) => other.objectKey === objectKey).length }));
  cache.set(registry, table);
  return table;
}

const OUTCOME_WORDS = Object.entries({ ...OUTCOMES, unsupported: UNSUPPORTED_OUTCOMES }).map(([key, words]) => ({ key, words: words.map((word) => word.split(" ")) }));

/** The outcomes the words name, with the words that name them; a negated success is a failure. */
function outcomesIn(words: Token[]): Map<string, Token[]> {
  const found = new Map<string, Token[]>();
  for (const { key, words: forms } of OUTCOME_WORDS) {
    for (const form of forms) {
      for (let at = 0; at + form.length <= words.length; at++) {
        if (form.every((word, offset) => words[at + offset]!.word === word)) found.set(key, [...(found.get(key) ?? []), ...words.slice(at, at + form.length)]);
      }
    }
  }
  const negators = words.filter((token) => NEGATORS.has(token.word));
  const positives = [...found.keys()].filter((key) => POSITIVE_OUTCOMES.has(key));
  if (negators.length && positives.length) found.set("failed", [...(found.get("failed") ?? []), ...negators, ...positives.flatMap((key) => found.get(key)!)]);
  // "fails to be paid": the failure is what happened.
  if (found.has("failed")) for (const key of positives) found.delete(key);
  return found;
}

function byEventName(entries: EventEntry[], text: string, offset: number, words: Token[]): EventMatch | undefined {
  for (const entry of entries) {
    if (!entry.eventName) continue;
    const at = text.search(new RegExp(`(?<![\\w.])${entry.eventName.replace(/\./g, "\\.")}(?![\\w.])`));
    if (at < 0) continue;
    const start = offset + at;
    const end = start + entry.eventName.length;
    return { trigger: entry.trigger, score: EVENT_NAME_SCORE, byName: true, used: words.filter((token) => token.start >= start && token.end <= end) };
  }
  return undefined;
}

/**
 * The trigger the clause names, or undefined. `text` is the clause's reading (starting at `offset`),
 * `words` its words with stop words flagged.
 */
export function matchEvent(registry: IntegrationRegistry, text: string, offset: number, words: Token[]): EventMatch | undefined {
  const entries = eventTable(registry);
  const named = byEventName(entries, text, offset, words);
  if (named) return named;
  const content = words.filter((token) => !token.stop);
  const outcomes = outcomesIn(words);
  const providers = providerNames(registry, words);
  const triggerProviders = new Set(entries.map((entry) => entry.provider));
  const gated = [...providers.keys()].some((key) => triggerProviders.has(key));
  const phrases = matchPhrases(phraseIndex(registry), content, "trigger");
  // "When a Jira issue is created": Jira has no triggers, so an event read next to its name is not
  // one Cue can start from (inside a trigger's own phrase it is: "an HTTP request comes in").
  const actionProviderWords = gated ? [] : [...providers.entries()].filter(([key]) => !triggerProviders.has(key)).flatMap(([, tokens]) => tokens);
  const besideActionProvider = (read: Token[]) => {
    const at = read.map((token) => content.indexOf(token)).filter((index) => index >= 0);
    const [first, last] = [Math.min(...at), Math.max(...at)];
    return actionProviderWords.some((token) => {
      const index = content.indexOf(token);
      return index === first - 1 || index === last + 1;
    });
  };

  let best: EventMatch | undefined;
  for (const entry of entries) {
    if (gated && !providers.has(entry.provider)) continue;
    const outcomeWords = outcomes.get(entry.outcome);
    if (outcomes.size > 0 && !outcomeWords) continue;
    const object = entry.objects.flatMap((stems) => sequenceHits(content, stems)).sort((a, b) => b.tokens.length - a.tokens.length)[0];
    const frame = object && (outcomeWords || entry.siblings === 1) ? object.tokens.length + (outcomeWords ? 1 : SOLE_OBJECT_BONUS) : 0;
    const phrase = phrases.filter((match) => match.type === entry.trigger.type).sort((a, b) => b.words - a.words || b.score - a.score)[0];
    // A multi-word object ("renewal payment") is more specific than any phrase about a plain one.
    const specific = object && object.tokens.length > 1 ? object.tokens.length : 0;
    const score = Math.max(frame, phrase ? phrase.words + PHRASE_BONUS : 0) + specific;
    if (score < MIN_SCORE || (best && best.score >= score)) continue;
    const phraseWords = phrase && phrase.words + PHRASE_BONUS >= frame ? content.filter((token) => token.start >= phrase.start && token.end <= phrase.end) : [];
    const used = [...(object?.tokens ?? []), ...(outcomeWords ?? []), ...phraseWords, ...(providers.get(entry.provider) ?? [])];
    if (besideActionProvider([...(object?.tokens ?? []), ...phraseWords])) continue;
    best = { trigger: entry.trigger, score, byName: false, used };
  }
  return best;
}

