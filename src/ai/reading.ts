// A description turned into what the planner reads: literal values (addresses, channels, quotes …)
// taken out, accents folded, the language recognised and its words put into English, with a map
// back to the description as written so every report quotes the user's own words.
import { extractEntities, type Entity } from "./entities";
import { detectLanguage, ENGLISH, translate, type Language, type LanguageLexicon } from "./lexicon/language";

export interface Reading {
  /** The description as given (trimmed, NFC). */
  original: string;
  /** Lower-case English, entities blanked: what clauses, schedules, waits and conditions are read from. */
  text: string;
  language: Language;
  /** Literal values, with offsets into `text`. */
  entities: Entity[];
  /** The description as written for a span of `text`. */
  written(start: number, end: number): string;
}

interface WordToken {
  word: string;
  start: number;
  end: number;
}

const WORD = /[\p{L}\p{N}_]+(?:'[\p{L}\p{N}_]+)*/gu;
const LONGEST_RUN = 4;

/** Accent-folding that keeps every offset: one UTF-16 unit in, one out ("é" → "e", "’" → "'"). */
function foldKeepingOffsets(text: string): string {
  let out = "";
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    const surrogate = char.charCodeAt(0) >= 0xd800 && char.charCodeAt(0) <= 0xdfff;
    out += surrogate ? char : char === "’" || char === "‘" ? "'" : (char.normalize("NFD")[0] ?? char);
  }
  return out;
}

/**
 * Words with their spans. English contractions and possessives stay one word ("doesn't",
 * "customer's" → "customer"); other apostrophes are French elisions and split ("lorsqu'un").
 */
function words(text: string): WordToken[] {
  const tokens: WordToken[] = [];
  for (const match of text.matchAll(WORD)) {
    const start = match.index ?? 0;
    const raw = match[0];
    if (!raw.includes("'") || translate(raw, undefined) !== undefined) tokens.push({ word: raw, start, end: start + raw.length });
    else if (/^[a-z]+'s$/.test(raw)) tokens.push({ word: raw.slice(0, -2), start, end: start + raw.length });
    else {
      let at = start;
      for (const part of raw.split("'")) {
        tokens.push({ word: part, start: at, end: at + part.length });
        at += part.length + 1;
      }
    }
  }
  return tokens;
}

interface Replacement {
  start: number;
  end: number;
  english: string;
}

/** Consecutive words joined only by spaces, hyphens or an elided apostrophe form one run. */
function joined(text: string, tokens: WordToken[], from: number, length: number): boolean {
  for (let index = from; index < from + length - 1; index++) {
    if (!/^[\s'-]*$/.test(text.slice(tokens[index]!.end, tokens[index + 1]!.start))) return false;
  }
  return true;
}

function replacements(text: string, tokens: WordToken[], lexicon: LanguageLexicon | undefined): Replacement[] {
  const out: Replacement[] = [];
  for (let index = 0; index < tokens.length; ) {
    let taken = 0;
    for (let length = Math.min(LONGEST_RUN, tokens.length - index); length >= 1 && !taken; length--) {
      if (!joined(text, tokens, index, length)) continue;
      const run = tokens.slice(index, index + length);
      const english = translate(run.map((token) => token.word).join(" "), lexicon);
      const first = run[0]!;
      const last = run.at(-1)!;
      if (english !== undefined) {
        out.push({ start: first.start, end: last.end, english });
        taken = length;
      } else if (length === 1 && first.word !== text.slice(first.start, first.end)) {
        out.push({ start: first.start, end: first.end, english: first.word });
      }
    }
    index += Math.max(taken, 1);
  }
  return out;
}

export function readDescription(description: string): Reading {
  const original = description.trim().normalize("NFC");
  const { entities, masked } = extractEntities(foldKeepingOffsets(original));
  const lower = [...masked].map((char) => (char.toLowerCase().length === char.length ? char.toLowerCase() : char)).join("");
  const tokens = words(lower);
  const lexicon = detectLanguage(tokens.map((token) => token.word));

  // Build the English text and, for each of its characters, the span of the description it came from.
  let text = "";
  const sources: [number, number][] = [];
  const textIndex: number[] = [];
  let at = 0;
  const copyUntil = (end: number) => {
    for (; at < end; at++) {
      textIndex[at] = text.length;
      text += lower[at] === "'" ? " " : lower[at];
      sources.push([at, at + 1]);
    }
  };
  for (const replacement of replacements(lower, tokens, lexicon)) {
    copyUntil(replacement.start);
    for (let index = replacement.start; index < replacement.end; index++) textIndex[index] = text.length;
    for (const char of replacement.english) {
      text += char;
      sources.push([replacement.start, replacement.end]);
    }
    at = replacement.end;
  }
  copyUntil(lower.length);
  textIndex[lower.length] = text.length;

  return {
    original,
    text,
    language: lexicon ? { code: lexicon.code, name: lexicon.name, ...(lexicon.verbLast ? { verbLast: true } : {}) } : ENGLISH,
    entities: entities.map((entity) => ({ ...entity, start: textIndex[entity.start]!, end: textIndex[entity.end]! })),
    written(start, end) {
      if (end <= start || !sources[start]) return "";
      return original.slice(sources[start]![0], sources[Math.min(end, sources.length) - 1]![1]);
    },
  };
}
