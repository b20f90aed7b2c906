// Reads a description's structure before its words: schedules and waits first, then the clauses.
// Only the trigger clause (cued by "when", "whenever", "as soon as" …, wherever it sits, or an opening
// clause that is not a command) can name the trigger; conditions come from "if/where/and … is over …"
// clauses with "otherwise" switching to the false branch; every other clause asks for an action,
// whatever provider it names. What no part of the plan read is reported, clause by clause and word
// by word.
import type { DelayConfig } from "@/engine/core-nodes";
import type { ActionDefinition, TriggerDefinition } from "@/integrations/core/define";
import type { IntegrationRegistry } from "@/integrations/registry";
import { type ActionMatch, matchAction } from "./actions";
import { splitClauses, type Clause } from "./clauses";
import { type ConditionMatch, parseCondition } from "./conditions";
import { type DelayMatch, findDelays } from "./delays";
import type { Entity } from "./entities";
import { type EventMatch, matchEvent } from "./events";
import { refuse } from "./explain";
import type { Language } from "./lexicon/language";
import { FILLER, IMPERATIVE_VERBS } from "./lexicon/meaning";
import type { Reading } from "./reading";
import { parseSchedule, type ScheduleMatch } from "./schedule";
import { allTokens, type Token } from "./text";

export interface Span {
  start: number;
  end: number;
}

export type Step =
  | { kind: "action"; action: ActionDefinition; span: Span }
  | { kind: "delay"; amount: number; unit: DelayConfig["unit"] }
  | { kind: "condition"; match: ConditionMatch; then: Step[]; else: Step[] };

export interface Structure {
  trigger: TriggerDefinition;
  schedule?: ScheduleMatch;
  steps: Step[];
  notes: string[];
  /** Parts of the description no step came from, as written. */
  unmapped: string[];
  /** Meaningful words no part of the plan read, as written. */
  unmappedWords: string[];
  /** Quoted values a condition compares with (not message text). */
  conditionQuotes: Entity[];
}

interface ClauseReading {
  clause: Clause;
  event?: EventMatch;
  condition?: ConditionMatch;
  /** Where the clause asks for an action (after its event or condition); undefined when it cannot. */
  partStart?: number;
  actions: { match: ActionMatch; start: number }[];
  delays: DelayMatch[];
}

interface Context {
  registry: IntegrationRegistry;
  reading: Reading;
  /** The reading with schedules and waits blanked out. */
  text: string;
  unmapped: string[];
}

// Cues that always introduce an event; "if" may introduce a condition instead.
const CONDITIONAL_CUE = "if";
const DEFAULT_SCHEDULE = "every day";

function blank(text: string, spans: [number, number][]): string {
  let out = text;
  for (const [start, end] of spans) out = out.slice(0, start) + " ".repeat(end - start) + out.slice(end);
  return out;
}

const meaningful = (tokens: Token[]) => tokens.filter((token) => !token.stop && !FILLER.has(token.word));
// A command opens with its verb, or in a verb-last language ends with it: "ein Jira-Ticket erstellen".
const isCommand = (clause: Clause, language: Language) => {
  const content = clause.words.filter((token) => !token.stop);
  return IMPERATIVE_VERBS.has(content[0]?.word ?? "") || (language.verbLast === true && IMPERATIVE_VERBS.has(content.at(-1)?.word ?? ""));
};
const lastEnd = (tokens: Token[], fallback: number) => tokens.reduce((end, token) => Math.max(end, token.end), fallback);

function written(context: Context, start: number, end: number): string {
  return context.reading.written(start, end).replace(/\s+/g, " ").replace(/[\s,;:.!?→>=(-]+$/, "").trim();
}

/** The trigger clause: a cued clause (not "if" when another will do), else an opening clause that is not a command. */
function chooseTriggerClause(context: Context, readings: ClauseReading[]): ClauseReading | undefined {
  const candidates = readings.filter(({ clause }, index) => (clause.cue && !clause.isElse) || (index === 0 && !clause.cue));
  for (const candidate of candidates) {
    const { clause } = candidate;
    const event = matchEvent(context.registry, context.text.slice(clause.start, clause.end), clause.start, clause.words);
    // An opening clause without a cue names the event only if it is not a command ("Open a ticket …"),
    // unless it spells out the event's own name ("create.person -> …").
    if (event && (clause.cue || event.byName || !isCommand(clause, context.reading.language))) candidate.event = event;
  }
  // "when …" before "if …" (which may be a condition), both before an opening clause without a cue.
  const rank = ({ clause }: ClauseReading) => (!clause.cue ? 2 : clause.cue === CONDITIONAL_CUE ? 1 : 0);
  return candidates.filter((reading) => reading.event).sort((a, b) => rank(a) - rank(b) || b.event!.score - a.event!.score || a.clause.start - b.clause.start)[0];
}

/** The trigger: the trigger clause's event, a schedule, or a manual run when nothing names one. */
function chooseTrigger(context: Context, readings: ClauseReading[], schedule: ScheduleMatch | undefined) {
  const { registry } = context;
  const chosen = chooseTriggerClause(context, readings);
  // A time alone ("at 9am") gives way only to a cued event ("when a deal is won …").
  const scheduled = schedule && (!schedule.timeOnly || !chosen?.clause.cue) ? scheduleTrigger(registry, schedule) : undefined;
  if (scheduled) return { trigger: scheduled, schedule, clause: undefined, notes: [] };
  if (schedule) context.unmapped.push(`${schedule.summary} (a workflow starts from one trigger; Cue used “${chosen!.event!.trigger.title}”)`);
  if (chosen) {
    // "On a schedule, …" names the schedule trigger without saying when: every day at the default time.
    const daily = parseSchedule(DEFAULT_SCHEDULE)!;
    const named = scheduleTrigger(registry, daily)?.type === chosen.event!.trigger.type ? daily : undefined;
    return { trigger: chosen.event!.trigger, schedule: named, clause: chosen, notes: named ? ["No schedule was given, so it runs every day."] : [] };
  }
  const unknown = readings.find(({ clause }) => clause.cue && clause.cue !== CONDITIONAL_CUE && !clause.isElse && meaningful(clause.words).length);
  if (unknown) refuse(registry, `Cue has no trigger for “${written(context, unknown.clause.start, unknown.clause.end)}”.`);
  const manual = matchEvent(registry, "manually", 0, allTokens("manually"))?.trigger;
  if (!manual) refuse(registry, "Say what should start the workflow.");
  return { trigger: manual, schedule: undefined, clause: undefined, notes: [`No trigger was named, so it starts when you click Run (${manual.title}).`], manual: true };
}

/** The one trigger whose settings take a cron expression: the schedule trigger, found by its schema. */
function scheduleTrigger(registry: IntegrationRegistry, schedule: ScheduleMatch): TriggerDefinition | undefined {
  return registry.integrations
    .flatMap((integration) => integration.triggers)
    .find((trigger) => trigger.configSchema.safeParse({ cron: schedule.cron, timezone: schedule.timezone }).success);
}

/** Conditions, and where each clause's request for an action starts. */
function readConditions(context: Context, readings: ClauseReading[], trigger: TriggerDefinition, triggerClause: ClauseReading | undefined) {
  const quotes = context.reading.entities.filter((entity) => entity.kind === "quote");
  for (const reading of readings) {
    const { clause } = reading;
    // In the trigger clause only what follows the event can be a condition or a command.
    const from = reading === triggerClause ? lastEnd(reading.event!.used, clause.start) : clause.start;
    reading.condition = parseCondition(context.text.slice(from, clause.end), from, trigger, quotes);
    const after = reading.condition?.end ?? from;
    if (reading === triggerClause) {
      reading.partStart = clause.words.find((token) => token.start >= after && !token.stop && IMPERATIVE_VERBS.has(token.word))?.start;
    } else if (reading.event && reading.clause.cue && !reading.condition) {
      context.unmapped.push(`${written(context, clause.start, clause.end)} (a workflow starts from one trigger; Cue used “${trigger.title}”)`);
    } else {
      reading.partStart = reading.condition ? after : clause.start;
    }
  }
}

/** The action each clause asks for; what asks for nothing Cue knows is reported. */
function readActions(context: Context, readings: ClauseReading[]) {
  for (const reading of readings) {
    const { clause, partStart, condition } = reading;
    if (partStart === undefined) continue;
    const words = clause.words.filter((token) => token.start >= partStart && !(condition && token.start < condition.end && token.end > condition.start));
    const entities = context.reading.entities.filter((entity) => entity.kind !== "quote" && entity.start >= partStart && entity.end <= clause.end);
    const match = matchAction(context.registry, words, entities);
    // Placed by its own words, so "and 2 days later open a ticket" waits before opening it.
    if (match) reading.actions.push({ match, start: Math.min(...match.used.map((token) => token.start), clause.end) });
    else if (meaningful(words).length) context.unmapped.push(written(context, words[0]!.start, clause.end));
  }
}

/** The steps in the order written, conditions holding their branches. */
function sequence(context: Context, readings: ClauseReading[], leadingDelays: DelayMatch[]): Step[] {
  const main: Step[] = [];
  let current = main;
  let active: Extract<Step, { kind: "condition" }> | undefined;
  let pending: DelayMatch | undefined;
  const wait = (delay: DelayMatch) => {
    if (delay.tooLong) context.unmapped.push(`${delay.text} (a wait can be at most 30 days)`);
    else pending = delay;
  };
  leadingDelays.forEach(wait);
  for (const reading of readings) {
    if (reading.clause.isElse && active) current = active.else;
    if (reading.condition) {
      active = { kind: "condition", match: reading.condition, then: [], else: [] };
      current.push(active);
      current = active.then;
    }
    const items = [...reading.delays.map((delay) => ({ at: delay.start, delay })), ...reading.actions.map((action) => ({ at: action.start, action }))];
    for (const item of items.sort((a, b) => a.at - b.at)) {
      if ("delay" in item) wait(item.delay);
      else {
        if (pending) current.push({ kind: "delay", amount: pending.amount, unit: pending.unit });
        pending = undefined;
        current.push({ kind: "action", action: item.action.match.action, span: { start: item.action.start, end: reading.clause.end } });
      }
    }
  }
  if (pending) context.unmapped.push(`${pending.text} (nothing comes after the wait)`);
  gateEmptyConditions(main);
  return main;
}

/** "…, but only if the value is over 5000" gates the actions before it. */
function gateEmptyConditions(steps: Step[]): void {
  for (let index = 0; index < steps.length; index++) {
    const step = steps[index]!;
    if (step.kind !== "condition") continue;
    if (step.then.length === 0 && step.else.length === 0) {
      step.then.push(...steps.splice(0, index));
      index = 0;
    }
    gateEmptyConditions(step.then);
    gateEmptyConditions(step.else);
  }
}

/** Meaningful words no event, condition or action read, as written, each once. */
function unreadWords(context: Context, readings: ClauseReading[]): string[] {
  const used = new Set(readings.flatMap((reading) => [...(reading.event?.used ?? []), ...reading.actions.flatMap((action) => action.match.used)]));
  const words = readings.flatMap(({ clause, condition }) =>
    meaningful(clause.words).filter((token) => !used.has(token) && !(condition && token.start >= condition.start && token.end <= condition.end)),
  );
  return [...new Set(words.map((token) => context.reading.written(token.start, token.end)))];
}

export function readStructure(reading: Reading, registry: IntegrationRegistry): Structure {
  const schedule = parseSchedule(reading.text);
  const delays = findDelays(blank(reading.text, schedule?.spans ?? []));
  const text = blank(reading.text, [...(schedule?.spans ?? []), ...delays.map((delay): [number, number] => [delay.start, delay.end])]);
  const context: Context = { registry, reading, text, unmapped: [] };
  const readings: ClauseReading[] = splitClauses(text).map((clause) => ({ clause, actions: [], delays: [] }));
  const leadingDelays = delays.filter((delay) => !readings.some(({ clause }) => delay.start >= clause.start && delay.start < clause.end));
  for (const delay of delays) readings.find(({ clause }) => delay.start >= clause.start && delay.start < clause.end)?.delays.push(delay);

  const chosen = chooseTrigger(context, readings, schedule);
  readConditions(context, readings, chosen.trigger, chosen.clause);
  readActions(context, readings);
  if (!readings.some((entry) => entry.actions.length)) {
    if ("manual" in chosen) refuse(registry, "Cue could not find a trigger or an action it knows in that description.");
    refuse(registry, `Cue understood the trigger (${chosen.trigger.title}) but not what should happen next.`);
  }
  const steps = sequence(context, readings, leadingDelays);
  const conditionQuotes = reading.entities.filter((entity) => entity.kind === "quote" && readings.some(({ condition }) => condition && entity.start >= condition.start && entity.end <= condition.end + 2));
  return { trigger: chosen.trigger, schedule: chosen.schedule, steps, notes: chosen.notes, unmapped: context.unmapped, unmappedWords: unreadWords(context, readings), conditionQuotes };
}
