// Reads a repeating schedule out of the English reading of a description ("every weekday at 17:30",
// "on the first day of every month at midnight"; "tous les lundis à 9h" reads "every mondays at 9h")
// as a 5-field cron expression.

export interface ScheduleMatch {
  cron: string;
  /** IANA zone named in the text, else UTC. */
  timezone: string;
  /** Character spans the schedule was read from, so nothing else reads them again. */
  spans: [number, number][];
  /** "every Monday at 09:00": how Cue understood it, for the explanation. */
  summary: string;
  /** The time of day was not given, so the default (09:00) was used. */
  defaultedTime: boolean;
  /** Only a time of day was written ("at 9am …"): a schedule only when nothing else starts the workflow. */
  timeOnly: boolean;
}

const DAY_NAMES: [number, string, string[]][] = [
  [0, "Sunday", ["sunday", "sun"]],
  [1, "Monday", ["monday", "mon"]],
  [2, "Tuesday", ["tuesday", "tue", "tues"]],
  [3, "Wednesday", ["wednesday", "wed"]],
  [4, "Thursday", ["thursday", "thu", "thurs"]],
  [5, "Friday", ["friday", "fri"]],
  [6, "Saturday", ["saturday", "sat"]],
];
const dayByName = new Map(DAY_NAMES.flatMap(([number, , names]) => names.map((name) => [name, number] as const)));
const DAY_WORD = [...dayByName.keys()].sort((a, b) => b.length - a.length).join("|");

const ORDINAL_WORDS: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, fifth: 5, tenth: 10, fifteenth: 15, twentieth: 20 };
const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, ten: 10, twelve: 12, fifteen: 15, twenty: 20, thirty: 30 };

const DEFAULT_HOUR = 9;

function find(text: string, pattern: RegExp): (RegExpExecArray & { span: [number, number] }) | undefined {
  const match = pattern.exec(text);
  if (!match) return undefined;
  return Object.assign(match, { span: [match.index, match.index + match[0].length] as [number, number] });
}

function toNumber(word: string): number | undefined {
  if (/^\d+$/.test(word)) return Number(word);
  return NUMBER_WORDS[word];
}

/** The time of day: "9am", "4:30 pm", "17:30", "at 7", "9h", "17h30", "noon", "midnight". */
function timeOfDay(text: string, context: { evening: boolean }): { hour: number; minute: number; span: [number, number] } | undefined {
  const named = find(text, /\b(?:at\s+)?(noon|midday|midnight)\b/);
  if (named) return { hour: named[1] === "midnight" ? 0 : 12, minute: 0, span: named.span };
  const clock = find(text, /\b(?:at\s+|@\s*)?(\d{1,2})(?::|h)(\d{2})\s*(am|pm|a\.m\.|p\.m\.)?(?![\d:])/);
  const plain = find(text, /\b(?:at\s+|@\s*)?(\d{1,2})\s*(am|pm|a\.m\.|p\.m\.|h\b)/);
  const bare = find(text, /\b(?:at|@)\s+(\d{1,2})\b(?![:.,]?\d|\s*(?:minutes?|mins?|hours?|hrs?|days?|weeks?|%|\$))/);
  const hit = clock ?? plain ?? bare;
  if (!hit) return undefined;
  let hour = Number(hit[1]);
  const minute = clock ? Number(clock[2]) : 0;
  const suffix = (clock ? clock[3] : plain ? plain[2] : undefined)?.replace(/\./g, "");
  if (suffix === "pm" && hour < 12) hour += 12;
  if (suffix === "am" && hour === 12) hour = 0;
  // "every evening at 6" means 18:00.
  if (!suffix && context.evening && hour < 12) hour += 12;
  if (hour > 23 || minute > 59) return undefined;
  return { hour, minute, span: hit.span };
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** The IANA zone named in the text ("europe/paris" → "Europe/Paris"), with its span. */
function timeZoneIn(text: string): { zone: string; span: [number, number] } | undefined {
  const match = find(text, /\b([a-z]+(?:_[a-z]+)?\/[a-z][a-z_]+)\b/);
  if (!match) return undefined;
  try {
    return { zone: new Intl.DateTimeFormat("en-US", { timeZone: match[1]! }).resolvedOptions().timeZone, span: match.span };
  } catch {
    return undefined;
  }
}

/** Finds a repeating schedule in the lower-cased English reading; undefined when there is none. */
export function parseSchedule(text: string): ScheduleMatch | undefined {
  const spans: [number, number][] = [];
  const everyStrict = "(?:every|each)";
  const every = "(?:every|each|on)";

  const zone = timeZoneIn(text);
  const timezone = zone?.zone ?? "UTC";
  if (zone) spans.push(zone.span);

  // Sub-daily: "every 15 minutes", "every hour", "hourly", "every 2 hours".
  const minutes = find(text, new RegExp(`\\b${everyStrict}\\s+(\\d+|${Object.keys(NUMBER_WORDS).join("|")})?\\s*(?:minutes?|mins?)\\b`));
  if (minutes) {
    const n = minutes[1] ? toNumber(minutes[1]) : 1;
    if (n && n >= 1 && n < 60) {
      spans.push(minutes.span);
      return { cron: n === 1 ? "* * * * *" : `*/${n} * * * *`, timezone, spans, summary: n === 1 ? "every minute" : `every ${n} minutes`, defaultedTime: false, timeOnly: false };
    }
  }
  const hours = find(text, new RegExp(`\\b(?:${everyStrict}\\s+(\\d+|${Object.keys(NUMBER_WORDS).join("|")})?\\s*(?:hours?|hrs?)|hourly)\\b`));
  if (hours) {
    const n = hours[1] ? toNumber(hours[1]) : 1;
    if (n && n >= 1 && n < 24) {
      spans.push(hours.span);
      return { cron: n === 1 ? "0 * * * *" : `0 */${n} * * *`, timezone, spans, summary: n === 1 ? "every hour" : `every ${n} hours`, defaultedTime: false, timeOnly: false };
    }
  }

  let dayOfMonth = "*";
  let dayOfWeek = "*";
  let summary = "";
  const evening = /\b(evening|night)\b/.test(text);

  const monthly =
    find(text, new RegExp(`\\b(?:on\\s+)?(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:day\\s+)?of\\s+(?:every|each|the)\\s+month\\b`)) ??
    find(text, new RegExp(`\\b(?:on\\s+)?(?:the\\s+)?(${Object.keys(ORDINAL_WORDS).join("|")})\\s+(?:day\\s+)?of\\s+(?:every|each|the)\\s+month\\b`)) ??
    find(text, /\b(?:every|each)\s+month\s+on\s+the\s+(\d{1,2}|first)(?:st|nd|rd|th)?\b/) ??
    find(text, /\b(monthly)\b/);
  const weekdays = find(text, /\b(?:every\s+|each\s+|on\s+)?(?:weekdays?|week\s*days?|business\s+days?|working\s+days?|work\s*days?)\b|\bmonday\s+(?:to|through|-)\s+friday\b|\bmon\s*-\s*fri\b/);
  const weekend = find(text, /\b(?:every\s+|on\s+)?weekends?\b/);
  const named = find(text, new RegExp(`\\b(?:${every}\\s+)?((?:${DAY_WORD})s?(?:\\s*(?:,|and|&)\\s*(?:${DAY_WORD})s?)*)\\b`));
  const daily = find(text, new RegExp(`\\b(?:${every}\\s+(?:day|morning|evening|night)|daily|nightly)\\b`));
  const weekly = find(text, /\b(?:every\s+week|each\s+week|weekly|once\s+a\s+week)\b/);

  if (monthly) {
    const raw = monthly[1]!;
    dayOfMonth = raw === "monthly" ? "1" : String(/^\d+$/.test(raw) ? Number(raw) : (ORDINAL_WORDS[raw] ?? 1));
    if (Number(dayOfMonth) < 1 || Number(dayOfMonth) > 31) return undefined;
    spans.push(monthly.span);
    summary = `on day ${dayOfMonth} of every month`;
  } else if (weekdays) {
    dayOfWeek = "1-5";
    spans.push(weekdays.span);
    summary = "every weekday";
  } else if (weekend) {
    dayOfWeek = "0,6";
    spans.push(weekend.span);
    summary = "every weekend day";
  } else if (named && (/^(every|each|on)\b/.test(named[0]) || /s\b/.test(named[1]!))) {
    const days = [...named[1]!.matchAll(new RegExp(`(${DAY_WORD})s?`, "g"))].map((m) => dayByName.get(m[1]!)!);
    const unique = [...new Set(days)].sort((a, b) => a - b);
    dayOfWeek = unique.join(",");
    spans.push(named.span);
    summary = `every ${unique.map((day) => DAY_NAMES[day]![1]).join(" and ")}`;
  } else if (daily) {
    spans.push(daily.span);
    summary = "every day";
  } else if (weekly) {
    dayOfWeek = "1";
    spans.push(weekly.span);
    summary = "every Monday";
  }

  const time = timeOfDay(text, { evening });
  const timeOnly = !summary;
  if (!summary) {
    // A time alone ("at 9am send the report") repeats daily, but only with an explicit am/pm or
    // clock time: "at 5" on its own is more likely a count than a schedule.
    if (!time || !/(am|pm|:\d\d|h\d\d)/.test(text.slice(time.span[0], time.span[1]))) return undefined;
    summary = "every day";
  }
  if (time) spans.push(time.span);
  const hour = time?.hour ?? (evening ? 18 : DEFAULT_HOUR);
  const minute = time?.minute ?? 0;
  return {
    cron: `${minute} ${hour} ${dayOfMonth} * ${dayOfWeek}`,
    timezone,
    spans,
    summary: `${summary} at ${pad(hour)}:${pad(minute)}${timezone === "UTC" ? " UTC" : ` (${timezone})`}`,
    defaultedTime: !time,
    timeOnly,
  };
}
