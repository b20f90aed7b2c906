// Reads conditions on the trigger's data out of a clause — "if the amount is over $500", "where
// status is urgent", "whose title contains 'crash'" — and resolves the field against the trigger's
// payload, so a condition only ever tests data the trigger really carries.
import type { ConditionConfig, ConditionOperator } from "@/engine/core-nodes";
import type { TriggerDefinition } from "@/integrations/core/define";
import type { Entity } from "./entities";
import { openContainer, payloadPaths, reference } from "./trigger-data";

export interface ConditionMatch {
  config: ConditionConfig;
  /** "amount is greater than 50000": for the explanation. */
  summary: string;
  start: number;
  end: number;
  /** The money amount was converted to the currency's smallest unit. */
  minorUnits: boolean;
}

type Comparison = ConditionOperator | "gte" | "lte";

// Longest first, so "is more than" wins over "is".
const OPERATORS: [string, Comparison][] = (
  [
    ["is greater than", "gt"], ["is more than", "gt"], ["is bigger than", "gt"], ["is larger than", "gt"], ["is higher than", "gt"],
    ["is over", "gt"], ["is above", "gt"], ["greater than", "gt"], ["more than", "gt"], ["higher than", "gt"], ["bigger than", "gt"],
    ["exceeds", "gt"], ["over", "gt"], ["above", "gt"], [">", "gt"],
    ["is less than", "lt"], ["is lower than", "lt"], ["is smaller than", "lt"], ["is under", "lt"], ["is below", "lt"],
    ["less than", "lt"], ["lower than", "lt"], ["under", "lt"], ["below", "lt"], ["<", "lt"],
    ["is at least", "gte"], ["at least", "gte"], [">=", "gte"], ["is at most", "lte"], ["at most", "lte"], ["<=", "lte"],
    ["is not", "not_equals"], ["isn't", "not_equals"], ["does not equal", "not_equals"], ["doesn't equal", "not_equals"], ["!=", "not_equals"],
    ["contains", "contains"], ["includes", "contains"], ["mentions", "contains"],
    ["is set", "exists"], ["exists", "exists"], ["is present", "exists"],
    ["equals", "equals"], ["is equal to", "equals"], ["equal to", "equals"], ["==", "equals"], ["=", "equals"], ["is", "equals"],
  ] as [string, Comparison][]
).sort((a, b) => b[0].length - a[0].length);

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const OPERATOR_PATTERN = OPERATORS.map(([text]) => (/^\w/.test(text) ? `${escape(text)}\\b` : escape(text))).join("|");
const CUE = "(?:but\\s+)?(?:only\\s+)?(if|where|whose|when|with|and|in\\s+case)";
const ARTICLE = "(?:(?:the|its|their|his|her|a|an)\\s+)?";
const FIELD = "([a-z][a-z0-9_]*(?:['’]s)?(?:\\s+[a-z][a-z0-9_]*){0,2}?)";
const CONDITION = new RegExp(`\\b${CUE}\\s+${ARTICLE}${FIELD}\\s+(${OPERATOR_PATTERN})(.*)$`);

// "$500", "500 dollars", "1000 €" (the symbol after the number, as French, Spanish and German write it).
const MONEY = /^\s*([$€£])?\s*(\d[\d,]*(?:\.\d+)?)\s*(k\b)?\s*([$€£]|usd\b|eur\b|gbp\b|dollars?\b|euros?\b|pounds?\b|bucks\b)?/;

function resolveField(words: string[], trigger: TriggerDefinition): string[] | undefined {
  const keys = [words.join("_"), words.at(-1)!];
  const paths = payloadPaths(trigger).filter((entry) => !entry.optional);
  for (const key of keys) {
    const candidates = paths
      .filter((entry) => entry.path.at(-1) === key)
      .map((entry) => ({ entry, hits: words.filter((word) => entry.path.slice(0, -1).some((segment) => segment.includes(word))).length }))
      .sort((a, b) => b.hits - a.hits || a.entry.path.length - b.entry.path.length);
    if (candidates[0]) return candidates[0].entry.path;
  }
  // Untyped payloads (webhook bodies) can hold any field the sender chooses.
  const container = openContainer(trigger);
  return container ? [...container, words.join("_")] : undefined;
}

const ORDERINGS = new Set<Comparison>(["gt", "lt", "gte", "lte"]);

interface Value {
  value: string | number | boolean | undefined;
  /** Where the value ends, in the clause. */
  end: number;
  minorUnits: boolean;
  /** Quoted, a number or an identifier ("cus_123"): data, not a word of the sentence. */
  dataLike: boolean;
}

function readValue(rest: string, restStart: number, offset: number, path: string[], quotes: Entity[]): Value | undefined {
  const quote = quotes.find((entity) => entity.start >= offset + restStart && entity.start <= offset + restStart + 3);
  if (quote) return { value: quote.value, end: quote.end - offset, minorUnits: false, dataLike: true };
  const money = MONEY.exec(rest);
  if (money && (money[1] || /^\s*\d/.test(rest))) {
    let amount = Number(money[2]!.replace(/,/g, "")) * (money[3] ? 1000 : 1);
    // Stripe reports amounts in the currency's smallest unit (cents): "$500" is 50000.
    const minorUnits = Boolean(money[1] || money[4]) && /^amount/.test(path.at(-1) ?? "");
    if (minorUnits) amount = Math.round(amount * 100);
    return { value: amount, end: restStart + money[0].length, minorUnits, dataLike: true };
  }
  const word = /^\s*([\p{L}\p{N}_.@-]+)/u.exec(rest);
  if (!word) return undefined;
  const value = word[1] === "true" ? true : word[1] === "false" ? false : word[1]!;
  return { value, end: restStart + word[0].length, minorUnits: false, dataLike: /[\d_@]/.test(word[1]!) };
}

/**
 * The condition in `clause` (lower-cased, entities blanked; `offset` is where it starts in the
 * whole text), or undefined. Quoted values come from the quote entities.
 */
export function parseCondition(clause: string, offset: number, trigger: TriggerDefinition, quotes: Entity[]): ConditionMatch | undefined {
  const match = CONDITION.exec(clause);
  if (!match) return undefined;
  const [, cue, rawField, operatorText, rest] = match as unknown as [string, string, string, string, string];
  const comparison = OPERATORS.find(([text]) => text === operatorText)?.[1];
  if (!comparison) return undefined;
  const words = rawField.replace(/['’]s\b/g, "").split(/\s+/).filter(Boolean);
  const path = resolveField(words, trigger);
  if (!path) return undefined;
  const restStart = match.index + match[0].length - rest.length;
  const read: Value | undefined = comparison === "exists" ? { value: undefined, end: restStart, minorUnits: false, dataLike: true } : readValue(rest, restStart, offset, path, quotes);
  if (!read || (ORDERINGS.has(comparison) && typeof read.value !== "number")) return undefined;
  // After "and", "with" or "when" an equality reads as a condition only with a value that looks like
  // data ("is cus_123", "contains 'crash'"): "and the customer is notified" is not a condition.
  if (/^(and|with|when)$/.test(cue) && !ORDERINGS.has(comparison) && !read.dataLike) return undefined;
  const { value, minorUnits } = read;
  const valueEnd = read.end;

  const left = reference(path);
  const rules: ConditionConfig["rules"] =
    comparison === "gte" || comparison === "lte"
      ? [
          { left, operator: comparison === "gte" ? "gt" : "lt", right: value as number },
          { left, operator: "equals", right: value as number },
        ]
      : [{ left, operator: comparison, ...(comparison === "exists" ? {} : { right: value }) }];
  const wording: Record<Comparison, string> = {
    gt: "is greater than", lt: "is less than", gte: "is at least", lte: "is at most", equals: "is", not_equals: "is not", contains: "contains", exists: "is set",
  };
  return {
    config: { mode: rules.length > 1 ? "any" : "all", rules },
    summary: `${path.join(".")} ${wording[comparison]}${value === undefined ? "" : ` ${typeof value === "string" ? `"${value}"` : value}`}`,
    start: offset + match.index,
    end: offset + valueEnd,
    minorUnits,
  };
}
