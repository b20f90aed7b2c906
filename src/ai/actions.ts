// Which action an action clause asks for, whatever the provider: the verb, the thing it makes (the
// head of the verb's object: "a follow-up *call*", "the *buyer* as a contact"), the provider it
// names, and where it goes ("#sales" is Slack, "+1 …" an SMS, "acme/web" GitHub), read against a
// table built from the registry's actions and their phrases.
import type { ActionDefinition } from "@/integrations/core/define";
import type { IntegrationRegistry } from "@/integrations/registry";
import { targetEntityKinds } from "./action-config";
import type { Entity, EntityKind } from "./entities";
import { ACTION_OBJECTS, ACTION_VERBS, IMPERATIVE_VERBS, OBJECT_VERBS } from "./lexicon/meaning";
import { matchPhrases, phraseIndex } from "./phrase-index";
import { stem, type Token } from "./text";
import { providerNames, sequenceHits, type Hit } from "./word-match";

interface ActionEntry {
  action: ActionDefinition;
  provider: string;
  objects: string[][];
  /** Its object is a message of any kind ("a note", "an alert"): where it goes decides. */
  generic: boolean;
  verbs: Set<string>;
  /** Verbs that name this action by themselves ("text", "email"). */
  ownVerbs: Set<string>;
  targets: Set<EntityKind>;
}

export interface ActionMatch {
  action: ActionDefinition;
  score: number;
  /** The words that named it. */
  used: Token[];
}

const GENERIC_OBJECT = "message";
// After one of these, the verb's object has ended: "a task | in Pipedrive | to call the customer".
const PREPOSITIONS = new Set(["to", "in", "into", "on", "at", "for", "with", "by", "from", "as", "about", "via", "through", "of", "onto", "under", "inside", "within"]);
// After one of these comes the means: "thank the buyer | via email", "alert them | by SMS".
const MEANS = new Set(["by", "via", "over"]);
const WEIGHT = { provider: 4, ownVerb: 3, verb: 1, head: 3, genericHead: 1.5, object: 1, target: 3, phraseWord: 0.75, phraseMax: 2.25 };
const MIN_SCORE = 3;
const MIN_PHRASE_WORDS = 2;

const cache = new WeakMap<IntegrationRegistry, ActionEntry[]>();

function actionTable(registry: IntegrationRegistry): ActionEntry[] {
  const cached = cache.get(registry);
  if (cached) return cached;
  const table = registry.integrations.flatMap((integration) =>
    integration.actions.map((action) => {
      const segments = action.type.split(".");
      const object = segments.slice(1, -1).join(".") || segments[0]!;
      const verb = segments.at(-1)!;
      return {
        action,
        provider: integration.key,
        objects: (ACTION_OBJECTS[object] ?? []).map((words) => words.split(" ").map(stem)),
        generic: object === GENERIC_OBJECT,
        verbs: new Set(ACTION_VERBS[verb] ?? []),
        ownVerbs: new Set(OBJECT_VERBS[object] ?? []),
        targets: targetEntityKinds(action),
      };
    }),
  );
  cache.set(registry, table);
  return table;
}

/** The verb: the first word when it is one, else the last (German puts it there: "… senden"). */
function verbOf(content: Token[]): Token | undefined {
  const [first, last] = [content[0], content.at(-1)];
  if (first && IMPERATIVE_VERBS.has(first.word)) return first;
  if (last && IMPERATIVE_VERBS.has(last.word)) return last;
  return undefined;
}

/** The words of the verb's object: after a leading verb, up to the first preposition. */
function objectPhrase(words: Token[], verb: Token | undefined): Token[] {
  const from = verb && verb === words.find((token) => !token.stop) ? words.indexOf(verb) + 1 : 0;
  const phrase: Token[] = [];
  for (const token of words.slice(from)) {
    if (PREPOSITIONS.has(token.word)) break;
    if (token !== verb) phrase.push(token);
  }
  return phrase;
}

interface Evidence {
  entry: ActionEntry;
  hits: Hit[];
}

/** The action the words ask for, or undefined. `entities` are the unused values in the clause. */
export function matchAction(registry: IntegrationRegistry, words: Token[], entities: readonly Entity[]): ActionMatch | undefined {
  const table = actionTable(registry);
  const content = words.filter((token) => !token.stop);
  const verb = verbOf(content);
  const nouns = content.filter((token) => token !== verb);
  const phrase = new Set(objectPhrase(words, verb));
  const providers = providerNames(registry, words);
  const actionProviders = new Set(table.map((entry) => entry.provider));
  const gated = [...providers.keys()].some((key) => actionProviders.has(key));
  const kinds = new Set(entities.map((entity) => entity.kind));
  const phrases = matchPhrases(phraseIndex(registry), content, "action");

  // The head of the object: the last word of the verb's object that names something an action makes.
  const evidence: Evidence[] = table.map((entry) => ({ entry, hits: entry.objects.flatMap((stems) => sequenceHits(nouns, stems)) }));
  const head = evidence
    .flatMap(({ hits }) => hits.map((hit) => hit.tokens.at(-1)!))
    .filter((token) => phrase.has(token))
    .sort((a, b) => b.start - a.start)[0];
  const means = new Set(words.flatMap((token, index) => (MEANS.has(token.word) && words[index + 1] ? [words[index + 1]!] : [])));

  let best: ActionMatch | undefined;
  for (const { entry, hits } of evidence) {
    if (gated && !providers.has(entry.provider)) continue;
    const named = providers.get(entry.provider) ?? [];
    const ownVerb = verb && entry.ownVerbs.has(verb.word);
    // The verb's object is what the action makes only if the verb can make it: in "thank the buyer"
    // or "message the customer" the person is who it is for, not a contact to create.
    const fits = !verb || ownVerb || entry.verbs.has(verb.word);
    const headHit = hits.find((hit) => (fits && hit.tokens.at(-1) === head) || means.has(hit.tokens[0]!));
    const target = [...entry.targets].some((kind) => kinds.has(kind));
    const phraseMatch = phrases.filter((match) => match.type === entry.action.type && match.words >= MIN_PHRASE_WORDS).sort((a, b) => b.words - a.words)[0];
    const score =
      (named.length ? WEIGHT.provider : 0) +
      (ownVerb ? WEIGHT.ownVerb : verb && entry.verbs.has(verb.word) ? WEIGHT.verb : 0) +
      (headHit ? (entry.generic ? WEIGHT.genericHead : WEIGHT.head) : hits.length ? WEIGHT.object : 0) +
      (target ? WEIGHT.target : 0) +
      (phraseMatch ? Math.min(phraseMatch.words * WEIGHT.phraseWord, WEIGHT.phraseMax) : 0);
    const verbHit = Boolean(verb && (ownVerb || entry.verbs.has(verb.word)));
    // A provider named with nothing else ("…, then Twilio") or with a verb or a thing it makes;
    // "update the CRM spreadsheet" names Pipedrive but asks for nothing it does.
    const byProvider = named.length > 0 && (verbHit || hits.length > 0 || content.every((token) => named.includes(token)));
    const evidenced = byProvider || (headHit && !entry.generic) || ownVerb || target || phraseMatch;
    if (!evidenced || score < MIN_SCORE || (best && best.score >= score)) continue;
    const phraseWords = phraseMatch ? content.filter((token) => token.start >= phraseMatch.start && token.end <= phraseMatch.end) : [];
    const used = [...named, ...hits.flatMap((hit) => hit.tokens), ...phraseWords, ...(verbHit && verb ? [verb] : [])];
    best = { action: entry.action, score, used };
  }
  return best;
}
