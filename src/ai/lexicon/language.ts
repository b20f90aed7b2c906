// Which language a description is written in, and how its words become the planner's English:
// a language's lexicon first (longest run of words first), then English contractions, then the
// word as written (names such as "Slack" or "Jira" read the same in every language).
import { french } from "./french";
import { german } from "./german";
import { spanish } from "./spanish";

export interface Language {
  code: string;
  name: string;
  /** Commands end with their verb ("eine E-Mail senden"). */
  verbLast?: boolean;
}

export interface LanguageLexicon extends Language {
  /** Function words common in this language and rare in the others: how it is recognised. */
  markers: string[];
  /** Accent-folded, lower-case words (or runs of words joined by a space) → English. */
  words: Record<string, string>;
  /** Split unknown compounds into known parts ("rechnungszahlung" → "rechnung" + "zahlung"). */
  decompound?: boolean;
}

export const ENGLISH: Language = { code: "en", name: "English" };
export const LANGUAGES: readonly LanguageLexicon[] = [french, spanish, german];

const ENGLISH_MARKERS = new Set(["when", "the", "and", "an", "to", "of", "is", "if", "then", "with", "for", "on", "at", "it", "them", "send", "create", "post", "new", "every", "each", "in", "whenever"]);

/** English contractions and spellings the planner reads as other words. */
const ENGLISH_WORDS: Record<string, string> = {
  "doesn't": "does not", "don't": "do not", "didn't": "did not", "isn't": "is not", "aren't": "are not", "wasn't": "was not", "weren't": "were not",
  "can't": "can not", cannot: "can not", "won't": "will not", "hasn't": "has not", "haven't": "have not", "couldn't": "could not",
  "wouldn't": "would not", "shouldn't": "should not", "what's": "what", "it's": "it", "there's": "there", "let's": "let", "that's": "that",
  "e mail": "email", "e mails": "emails", "thank you": "thankyou", "paymentintent": "payment intent", "git hub": "github", "to do": "todo",
};

const MIN_FOREIGN_MARKERS = 2;

/** The language most of the words are in; English unless another language clearly dominates. */
export function detectLanguage(words: readonly string[]): LanguageLexicon | undefined {
  const english = words.filter((word) => ENGLISH_MARKERS.has(word)).length;
  let best: { lexicon: LanguageLexicon; score: number } | undefined;
  for (const lexicon of LANGUAGES) {
    const markers = new Set(lexicon.markers);
    const score = words.filter((word) => markers.has(word)).length;
    if (!best || score > best.score) best = { lexicon, score };
  }
  return best && best.score >= MIN_FOREIGN_MARKERS && best.score > english ? best.lexicon : undefined;
}

const LINKERS = ["", "s", "es", "n", "en"];
const MIN_PART = 3;

/** A compound made of two known words, read as both ("rechnungszahlung" → "invoice payment"). */
function splitCompound(word: string, words: Record<string, string>): string | undefined {
  for (let cut = word.length - MIN_PART; cut >= MIN_PART; cut--) {
    const head = words[word.slice(0, cut)];
    if (!head) continue;
    for (const linker of LINKERS) {
      const rest = word.slice(cut);
      if (!rest.startsWith(linker) || rest.length - linker.length < MIN_PART) continue;
      const tail = words[rest.slice(linker.length)];
      if (tail) return `${head} ${tail}`;
    }
  }
  return undefined;
}

/** The English for `key` (one word or several joined by a space), or undefined to keep it as written. */
export function translate(key: string, lexicon: LanguageLexicon | undefined): string | undefined {
  const own = lexicon?.words[key];
  if (own !== undefined) return own;
  const english = ENGLISH_WORDS[key];
  if (english !== undefined) return english;
  if (lexicon?.decompound && !key.includes(" ") && key.length >= 2 * MIN_PART + 2) return splitCompound(key, lexicon.words);
  return undefined;
}
