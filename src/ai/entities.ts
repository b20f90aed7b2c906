// The literal values a description spells out — URLs, email addresses, phone numbers, Slack
// channels, owner/repo slugs, quoted text — which the planner carries into node config verbatim.

export type EntityKind = "url" | "email" | "phone" | "channel" | "repo" | "quote";

export interface Entity {
  kind: EntityKind;
  value: string;
  start: number;
  end: number;
}

const PATTERNS: [EntityKind, RegExp][] = [
  ["url", /\bhttps?:\/\/[^\s,;"'<>()]+/gi],
  ["email", /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g],
  ["phone", /\+\d[\d\s().-]{5,}\d/g],
  ["channel", /(?<![\p{L}\p{N}&/])#[\p{L}\p{N}][\p{L}\p{N}_-]*/gu],
  // Straight or curly quotes, not apostrophes: the opening quote may not follow a letter.
  ["quote", /(?<![\p{L}\p{N}])(?:"([^"]+)"|'([^']+)'|“([^”]+)”|‘([^’]+)’)(?![\p{L}\p{N}])/gu],
  ["repo", /(?<![\w.\/@-])([A-Za-z0-9_][A-Za-z0-9_.-]*)\/([A-Za-z0-9_][A-Za-z0-9_.-]*)(?![\w\/-])/g],
];

const E164 = /^\+[1-9]\d{6,14}$/;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds the entities in `text` and returns them with a copy of the text in which each is blanked
 * out (same length, so offsets still line up) for the word-level parsing that follows.
 */
export function extractEntities(text: string): { entities: Entity[]; masked: string } {
  const entities: Entity[] = [];
  let masked = text;
  const blank = (start: number, end: number) => {
    masked = masked.slice(0, start) + " ".repeat(end - start) + masked.slice(end);
  };
  for (const [kind, pattern] of PATTERNS) {
    for (const match of masked.matchAll(pattern)) {
      const start = match.index ?? 0;
      let raw = match[0];
      // A sentence's full stop is not part of the URL.
      if (kind === "url") raw = raw.replace(/[.!?:]+$/, "");
      let value = raw;
      if (kind === "phone") {
        value = `+${raw.replace(/\D/g, "")}`;
        if (!E164.test(value)) continue;
      } else if (kind === "quote") {
        value = (match[1] ?? match[2] ?? match[3] ?? match[4] ?? "").trim();
        if (!value) continue;
      } else if (kind === "repo") {
        // Time zones ("Europe/Paris") and "and/or" look like slugs but are not repositories.
        if (isTimeZone(raw) || /^(and\/or|either\/or|\d+\/\d+)$/i.test(raw)) continue;
      }
      entities.push({ kind, value, start, end: start + raw.length });
      blank(start, start + raw.length);
    }
  }
  entities.sort((a, b) => a.start - b.start);
  return { entities, masked };
}
