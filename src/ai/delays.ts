// Reads waits out of the English reading of a description: "wait 3 days", "2 days later", "a week
// later", "after 30 minutes", and "2 days wait" (German puts the verb last: "2 Tage warten").
import type { DelayConfig } from "@/engine/core-nodes";

export interface DelayMatch {
  amount: number;
  unit: DelayConfig["unit"];
  start: number;
  end: number;
  /** Longer than the engine allows (30 days): reported instead of built. */
  tooLong: boolean;
  text: string;
}

const NUMBER_WORDS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, fifteen: 15, twenty: 20, thirty: 30, few: 3, couple: 2,
};

const UNITS: [RegExp, DelayConfig["unit"], number][] = [
  [/^(s|secs?|seconds?)$/, "seconds", 1],
  [/^(m|mins?|minutes?)$/, "minutes", 1],
  [/^(h|hrs?|hours?)$/, "hours", 1],
  [/^(d|days?)$/, "days", 1],
  [/^(w|wks?|weeks?)$/, "days", 7],
];

const NUMBER = `(\\d+(?:\\.\\d+)?|${Object.keys(NUMBER_WORDS).join("|")})`;
const UNIT = "(seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|wks?)";

const PATTERNS = [
  // "wait 3 days", "wait for another 2 hours", "after 30 minutes"
  new RegExp(`\\b(?:wait|waits|waiting|pause|pause\\s+for|delay(?:\\s+of)?|after)\\s+(?:for\\s+)?(?:another\\s+|an\\s+other\\s+|a\\s+further\\s+|(?:a\\s+)?couple\\s+of\\s+|a\\s+few\\s+)?${NUMBER}?\\s*${UNIT}\\b`, "g"),
  // "3 days later", "a week later", "two hours afterwards", "2 days wait"
  new RegExp(`\\b(?:another\\s+)?${NUMBER}\\s*${UNIT}\\s+(?:later|afterwards|after\\s+that|wait|pause)\\b`, "g"),
  new RegExp(`\\b(the\\s+next\\s+day|the\\s+day\\s+after|next\\s+day)\\b`, "g"),
];

function toAmount(word: string | undefined): number {
  if (!word) return 1;
  return /^\d/.test(word) ? Number(word) : (NUMBER_WORDS[word] ?? 1);
}

/** Waits in lower-cased text, in order of appearance. */
export function findDelays(text: string): DelayMatch[] {
  const found: DelayMatch[] = [];
  for (const pattern of PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const start = match.index ?? 0;
      const end = start + match[0].length;
      if (found.some((delay) => start < delay.end && end > delay.start)) continue;
      let amount = 1;
      let unit: DelayConfig["unit"] = "days";
      if (match[2] !== undefined) {
        const spec = UNITS.find(([pattern]) => pattern.test(match[2]!));
        if (!spec) continue;
        amount = toAmount(match[1]) * spec[2];
        unit = spec[1];
      }
      const seconds = amount * { seconds: 1, minutes: 60, hours: 3600, days: 86_400 }[unit];
      found.push({ amount, unit, start, end, tooLong: seconds > 30 * 86_400, text: match[0] });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}
