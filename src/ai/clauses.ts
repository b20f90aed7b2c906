// Splits the English reading of a description into clauses at punctuation and connectives ("then",
// "and", "otherwise", "when" …), and says what each clause opens with: a trigger cue ("when",
// "whenever", "as soon as" …), an else ("otherwise"), or nothing. What each clause then means is
// decided in ./structure.ts.
import { TRIGGER_CUES } from "./lexicon/meaning";
import { allTokens, type Token } from "./text";

export interface Clause {
  /** Span in the reading; `end` runs to the next clause, so values at its end still belong to it. */
  start: number;
  end: number;
  /** The connective the clause was cut at ("and", "when", "otherwise" …), or "". */
  marker: string;
  /** The trigger cue it opens with ("when", "as soon as" …), or undefined. */
  cue?: string;
  /** Opens with "otherwise" / "else": the rest belongs to the last condition's false branch. */
  isElse: boolean;
  /** Every word after the marker, stop words flagged. */
  words: Token[];
}

// Cut before these: each starts a new clause and says something about it.
const MARKERS = [
  "and then", "and also", "after that", "afterwards", "or else", "otherwise", "else", "then", "and", "also", "plus", "but", "when", "whenever",
  "if", "once", "where", "whose", "unless", "as soon as", "each time", "every time", "any time", "anytime", "for each", "for every", "upon",
  "should", "must", "after",
];
const MARKER_PATTERN = new RegExp(`\\b(?:${[...MARKERS].sort((a, b) => b.length - a.length).join("|").replace(/ /g, "\\s+")})\\b`, "g");
// Cut at these characters and drop them. Parentheses stay: "(webhook)" belongs to its clause.
const BREAKS = /,(?!\d{3})|[;!?\n]|:(?=\s|$)|\.(?=\s|$)|->|=>|→|—|–|\s-\s/g;
const ELSE_MARKERS = new Set(["otherwise", "else", "or else"]);
// Cues that also open a clause without cutting it ("on charge.failed …", "in case a payment fails").
const OPENING_CUES = [...TRIGGER_CUES].sort((a, b) => b.length - a.length);

function cueOf(text: string): string | undefined {
  return OPENING_CUES.find((cue) => new RegExp(`^${cue.replace(/ /g, "\\s+")}\\b`).test(text));
}

/** The clauses of `text` (the reading, with schedules and waits already blanked). */
export function splitClauses(text: string): Clause[] {
  const cuts: { at: number; resume: number; marker: string }[] = [];
  for (const match of text.matchAll(BREAKS)) cuts.push({ at: match.index ?? 0, resume: (match.index ?? 0) + match[0].length, marker: "" });
  for (const match of text.matchAll(MARKER_PATTERN)) cuts.push({ at: match.index ?? 0, resume: match.index ?? 0, marker: match[0].replace(/\s+/g, " ") });
  cuts.sort((a, b) => a.at - b.at || b.marker.length - a.marker.length);
  const clauses: Clause[] = [];
  let from = 0;
  let marker = "";
  for (const cut of [...cuts, { at: text.length, resume: text.length, marker: "" }]) {
    if (cut.at > from) {
      const raw = text.slice(from, cut.at);
      if (raw.trim()) {
        // A clause starts right after its cut, so a value blanked at its start ("<url> aufrufen") is in it.
        const start = from;
        const body = marker ? start + marker.length : start;
        const opening = text.slice(start, cut.at).trimStart();
        clauses.push({
          start,
          end: cut.at,
          marker,
          cue: cueOf(opening),
          isElse: ELSE_MARKERS.has(marker),
          words: allTokens(text.slice(body, cut.at), body),
        });
      }
    }
    // A marker cut starts the next clause with the marker itself; a break is dropped.
    if (cut.at >= from) marker = cut.marker;
    from = Math.max(from, cut.resume);
  }
  const kept = clauses.filter((clause) => clause.words.length > 0 || clause.isElse);
  kept.forEach((clause, index) => {
    clause.end = kept[index + 1]?.start ?? text.length;
  });
  return kept;
}
