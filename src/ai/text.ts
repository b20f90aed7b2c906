// Word-level text handling for the offline planner: folding accents, a light stemmer, typo-tolerant
// comparison and stop words, so "paymnet failed" and "payment fails" read as the same thing.

// Words that carry no meaning for matching. Cue words such as "when" and "if" are here too: clause
// splitting has already used them. Other languages are put into English before this (./reading.ts).
export const STOP_WORDS = new Set(
  (
    "a an the to in on at for of my our their his her its your me us them him it this that these those " +
    "is are was were be been being get gets got has have had do does did when whenever if once then and or but so as by " +
    "with from into onto via some any i we you they please should would could can will just also"
  ).split(" "),
);

/** Removes common English inflections: "fails", "failed", "failing" → "fail"; "issues" → "issu". */
export function stem(word: string): string {
  let w = word.replace(/['’]s$/, "");
  if (w.length <= 3) return w;
  if (w.endsWith("ies") && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith("ing") && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith("ed") && w.length > 4) w = w.slice(0, -2);
  else if (w.endsWith("es") && w.length > 4) w = w.slice(0, -2);
  else if (w.endsWith("s") && !w.endsWith("ss") && w.length > 3) w = w.slice(0, -1);
  if (w.endsWith("e") && w.length > 4) w = w.slice(0, -1);
  return w;
}

export interface Token {
  /** Lower-cased word as written. */
  word: string;
  stem: string;
  /** Offsets into the text the token was read from. */
  start: number;
  end: number;
  /** A stop word: structure, not meaning. */
  stop: boolean;
}

const WORD = /[\p{L}\p{N}_]+/gu;

/** Every word of `text` (already lower-cased and accent-folded), stop words flagged. */
export function allTokens(text: string, offset = 0): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(WORD)) {
    const word = match[0].toLowerCase();
    const start = offset + (match.index ?? 0);
    tokens.push({ word, stem: stem(word), start, end: start + match[0].length, stop: STOP_WORDS.has(word) });
  }
  return tokens;
}

/** The words of `text` that carry meaning (stop words dropped). */
export function contentTokens(text: string, offset = 0): Token[] {
  return allTokens(text, offset).filter((token) => !token.stop);
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions), capped at 3. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i]!;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      row[j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * How well two stems agree: 1 exact, 0.8 a likely typo, 0 different words. Short words must match
 * exactly (bar a swapped pair of letters): "text" and "next" are different words, not a typo.
 */
export function stemSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const shortest = Math.min(a.length, b.length);
  if (shortest < 4) return 0;
  const distance = editDistance(a, b);
  if (shortest === 4) return distance === 1 && a.length === b.length && [...a].sort().join("") === [...b].sort().join("") ? 0.8 : 0;
  if (distance === 1 || (shortest >= 8 && distance === 2)) return 0.8;
  return 0;
}
