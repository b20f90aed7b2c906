// Property: for any trigger phrase and any 1–4 action phrases the registry declares, joined the ways
// people join them (trigger first, trigger last, arrows; "and", "then", commas), the planner draws
// exactly that trigger and those actions in that order. Phrases come from the registry itself, so a
// new integration's phrases are tested the day they are added.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { coreNodes } from "@/engine/core-nodes";
import { validateGraph } from "@/engine/validate";
import { createIntegrationRegistry } from "@/integrations/registry";
import { outlineGraph } from "./graph-outline";
import { LANGUAGES } from "./lexicon/language";
import { planWorkflow } from "./planner";

const registry = createIntegrationRegistry({ extraNodes: coreNodes });
const triggerTypes = new Set(registry.catalog.list().filter((node) => node.kind === "trigger").map((node) => node.type));

// The sentences around the phrases are English; phrases the registry gives in other languages are
// tested in their own sentences by the evaluation set.
const foreign = new Set(LANGUAGES.flatMap((language) => Object.entries(language.words).filter(([word, english]) => word !== english && word.length >= 4).map(([word]) => word)));
const english = (phrase: string) => !phrase.toLowerCase().split(/[\s-]+/).some((word) => foreign.has(word));
const CUES = /^(when|whenever|if|once|on|after)\b/i;

interface Named {
  type: string;
  phrase: string;
}

const triggerPhrases: Named[] = registry.integrations.flatMap((integration) =>
  integration.triggers.flatMap((trigger) => trigger.phrases.filter(english).map((phrase) => ({ type: trigger.type, phrase }))),
);
const actionPhrases: Named[] = registry.integrations.flatMap((integration) =>
  integration.actions.flatMap((action) => action.phrases.filter(english).map((phrase) => ({ type: action.type, phrase }))),
);
const scheduleType = [...triggerTypes].find((type) => registry.trigger(type)?.configSchema.safeParse({}).success === false)!;

/** "When a payment fails" — unless the phrase already opens with a cue, or is a schedule ("every day"). */
function triggerClause({ type, phrase }: Named, cue: string): string {
  if (type === scheduleType || CUES.test(phrase)) return phrase;
  return `${cue} ${phrase}`;
}

function joinActions(phrases: string[], connectors: string[]): string {
  return phrases.reduce((sentence, phrase, index) => (index === 0 ? phrase : `${sentence}${connectors[index % connectors.length]}${phrase}`), "");
}

const sentence: fc.Arbitrary<Parts> = fc.record({
  trigger: fc.constantFrom(...triggerPhrases),
  actions: fc.array(fc.constantFrom(...actionPhrases), { minLength: 1, maxLength: 4 }),
  shape: fc.constantFrom<Parts["shape"]>("first", "last", "arrows"),
  cue: fc.constantFrom("When", "Whenever", "Each time", "As soon as", "Once"),
  connectors: fc.array(fc.constantFrom(", ", " and ", ", then ", " then ", ", and then ", ". Also "), { minLength: 1, maxLength: 3 }),
});

interface Parts {
  trigger: Named;
  actions: Named[];
  shape: "first" | "last" | "arrows";
  cue: string;
  connectors: string[];
}

function write({ trigger, actions, shape, cue, connectors }: Parts): string {
  const phrases = actions.map((action) => action.phrase);
  if (shape === "arrows") return [trigger.phrase, ...phrases].join(" -> ");
  // A trailing "on demand" or "after …" needs its comma: "on" does not start a clause by itself.
  if (shape === "last" && trigger.type !== scheduleType) return `${joinActions(phrases, connectors)}${/^(on|after)\b/i.test(trigger.phrase) ? "," : ""} ${triggerClause(trigger, cue.toLowerCase())}`;
  return `${triggerClause(trigger, cue)}, ${joinActions(phrases, connectors)}`;
}

describe("planWorkflow on sentences built from the registry's phrases", () => {
  it("has English phrases to build from for every trigger and action", () => {
    for (const type of triggerTypes) expect(triggerPhrases.some((named) => named.type === type), type).toBe(true);
    for (const integration of registry.integrations) for (const action of integration.actions) expect(actionPhrases.some((named) => named.type === action.type), action.type).toBe(true);
  });

  it("draws the trigger and the actions in order, whatever the connectors and clause order", () => {
    fc.assert(
      fc.property(sentence, (parts) => {
        const description = write(parts);
        const { graph } = planWorkflow(description, registry);
        expect(validateGraph(graph, registry.catalog).ok, description).toBe(true);
        const outline = outlineGraph(graph, triggerTypes);
        expect({ description, trigger: outline.trigger, steps: outline.steps }).toEqual({ description, trigger: parts.trigger.type, steps: parts.actions.map((action) => action.type) });
      }),
      { numRuns: 400 },
    );
  }, 60_000);
});
