// The offline planner: a description in, a workflow graph that passes the engine's validator out,
// deterministically and in a few milliseconds. Everything it knows about triggers and actions comes
// from the integration registry (phrases, input schemas, payload samples); the only node types it
// names are the engine's own logic nodes (condition, delay).
import { CONDITION_TYPE, DELAY_TYPE, type DelayConfig } from "@/engine/core-nodes";
import type { WorkflowEdge, WorkflowGraph, WorkflowNode } from "@/engine/types";
import { validateGraph } from "@/engine/validate";
import type { ActionDefinition, TriggerDefinition } from "@/integrations/core/define";
import type { IntegrationRegistry } from "@/integrations/registry";
import { AppError } from "@/lib/errors";
import { buildActionConfig, requiredEntityKinds } from "./action-config";
import { parseCondition, type ConditionMatch } from "./conditions";
import { findDelays, type DelayMatch } from "./delays";
import { extractEntities, type Entity, type EntityKind } from "./entities";
import { matchPhrases, phraseIndex, type PhraseIndex, type PhraseMatch } from "./phrase-index";
import { parseSchedule, type ScheduleMatch } from "./schedule";
import { contentTokens, foldAccents, type Token } from "./text";

export interface PlanResult {
  graph: WorkflowGraph;
  /** What was built, in plain language, and what to review before activating. */
  explanation: string;
  /** Parts of the description the planner could not turn into steps. */
  unmapped: string[];
}

export const MAX_DESCRIPTION_LENGTH = 2000;

interface Clause {
  start: number;
  end: number;
  /** Lower-cased, entities, schedule and delays blanked. */
  text: string;
  /** Case preserved, entities blanked. */
  original: string;
  marker: string;
  tokens: Token[];
  delays: DelayMatch[];
  candidates: PhraseMatch[];
  condition?: ConditionMatch;
  actions: PhraseMatch[];
  isElse: boolean;
  produced: boolean;
}

type Step =
  | { kind: "action"; action: ActionDefinition; clause: Clause }
  | { kind: "delay"; amount: number; unit: DelayConfig["unit"] }
  | { kind: "condition"; match: ConditionMatch; then: Step[]; else: Step[] };

// Cut before these words: each starts a new clause (and says something about it).
const MARKERS =
  /\b(?:and then|and also|after that|afterwards|or else|otherwise|else|then|and|also|plus|but|when|whenever|if|once|where|whose|unless|puis|et|y|und|dann|luego|sinon|sonst|quand|lorsque|cuando|wenn|sobald|falls)\b/g;
const LEADING_MARKER = new RegExp(`^(?:${MARKERS.source.replace(/^\\b\(\?:|\)\\b$/g, "")})\\s+`, "i");
// Cut at these characters and drop them.
const BREAKS = /,(?!\d{3})|[;!?()[\]{}\n]|:(?=\s|$)|\.(?=\s|$)|->|=>|→|—|–|\s-\s/g;
const TRIGGER_CUES = new Set(["when", "whenever", "if", "once", "on", "after", "upon", "quand", "lorsque", "cuando", "wenn", "sobald", "si", "falls"]);
const ELSE_MARKERS = new Set(["otherwise", "else", "or", "sinon", "sonst"]);
// Words that say how, not what: a clause of only these maps to nothing and is not worth reporting.
const FILLER = new Set(["only", "then", "nothing", "stop", "there", "here", "ok", "okay", "after", "afterward", "afterwards", "otherwise", "else", "plus", "but", "sinon", "sonst", "run", "triggered", "automatically", "everything", "always"]);
// Below this a phrase match is too weak to act on (a lone common word).
const MIN_SCORE = 1.5;
const TRIGGER_CUE_BONUS = 0.75;
const CUE_ACTION_FACTOR = 0.6;
const LAYER_GAP = 150;
const BRANCH_GAP = 320;

function splitClauses(work: string, original: string): Clause[] {
  const cuts: { at: number; resume: number }[] = [];
  for (const match of work.matchAll(BREAKS)) cuts.push({ at: match.index ?? 0, resume: (match.index ?? 0) + match[0].length });
  for (const match of work.matchAll(MARKERS)) cuts.push({ at: match.index ?? 0, resume: match.index ?? 0 });
  cuts.sort((a, b) => a.at - b.at);
  const clauses: Clause[] = [];
  let from = 0;
  for (const cut of [...cuts, { at: work.length, resume: work.length }]) {
    if (cut.at > from) {
      const raw = work.slice(from, cut.at);
      const lead = raw.length - raw.trimStart().length;
      const text = raw.trim();
      if (text) {
        const start = from + lead;
        const end = start + text.length;
        clauses.push({
          start,
          end,
          text,
          original: original.slice(start, end),
          marker: /^[\p{L}]+/u.exec(text)?.[0] ?? "",
          tokens: [],
          delays: [],
          candidates: [],
          actions: [],
          isElse: false,
          produced: false,
        });
      }
    }
    from = Math.max(from, cut.resume);
  }
  // A clause owns everything up to the next one, so values blanked at its end (a URL, a channel)
  // still belong to it.
  clauses.forEach((clause, index) => {
    clause.end = clauses[index + 1]?.start ?? work.length;
    clause.original = original.slice(clause.start, clause.end);
  });
  return clauses;
}

function blank(text: string, spans: [number, number][], offset = 0): string {
  let out = text;
  for (const [start, end] of spans) {
    const from = Math.max(0, start - offset);
    const to = Math.min(out.length, end - offset);
    if (to > from) out = out.slice(0, from) + " ".repeat(to - from) + out.slice(to);
  }
  return out;
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;

/** Highest score first, skipping anything that overlaps a better match. */
function selectMatches(candidates: PhraseMatch[], fixed: PhraseMatch[] = []): PhraseMatch[] {
  const chosen = [...fixed];
  for (const match of [...candidates].sort((a, b) => b.score - a.score || a.start - b.start)) {
    if (match.score < MIN_SCORE) continue;
    if (chosen.some((other) => overlaps(other, match) || other.type === match.type)) continue;
    chosen.push(match);
  }
  return chosen.sort((a, b) => a.start - b.start);
}

export function capabilities(registry: IntegrationRegistry): string {
  const triggers = registry.integrations.flatMap((integration) => integration.triggers.map((trigger) => `${integration.name}: ${trigger.title}`));
  const actions = registry.integrations.flatMap((integration) => integration.actions.map((action) => `${integration.name}: ${action.title}`));
  return (
    `Cue understands these triggers — ${triggers.join("; ")} — and these actions — ${actions.join("; ")} — ` +
    `plus conditions ("if the amount is over $500 …, otherwise …"), waits ("wait 3 days, then …") and schedules ("every Monday at 9am").`
  );
}

function refuse(registry: IntegrationRegistry, reason: string): never {
  throw new AppError("BAD_REQUEST", `${reason} ${capabilities(registry)}`);
}

/** The one trigger whose settings take a cron expression: the schedule trigger, found by its schema. */
function scheduleTrigger(registry: IntegrationRegistry, schedule: ScheduleMatch): TriggerDefinition | undefined {
  return registry.integrations
    .flatMap((integration) => integration.triggers)
    .find((trigger) => trigger.configSchema.safeParse({ cron: schedule.cron, timezone: schedule.timezone }).success);
}

/** The trigger for "run it by hand", found the way a description would name it. */
function manualTrigger(registry: IntegrationRegistry, index: PhraseIndex): TriggerDefinition | undefined {
  const tokens = contentTokens("manually");
  const best = matchPhrases(index, tokens, "manually", 0)
    .filter((match) => match.kind === "trigger")
    .sort((a, b) => b.score - a.score)[0];
  return best ? registry.trigger(best.type) : undefined;
}

export function planWorkflow(description: string, registry: IntegrationRegistry): PlanResult {
  const trimmed = description.trim();
  if (!trimmed) refuse(registry, "Describe what should happen, e.g. “when a payment fails, create a Jira ticket and text the customer”.");
  if (trimmed.length > MAX_DESCRIPTION_LENGTH) throw new AppError("BAD_REQUEST", `Keep the description under ${MAX_DESCRIPTION_LENGTH} characters.`);
  const index = phraseIndex(registry);
  const folded = foldAccents(trimmed);
  const { entities, masked } = extractEntities(folded);
  let work = masked.toLowerCase();
  // Lower-casing must not shift offsets; if some character changes length, fall back to per-char.
  if (work.length !== masked.length) work = [...masked].map((char) => (char.toLowerCase().length === 1 ? char.toLowerCase() : char)).join("");

  const schedule = parseSchedule(work, folded);
  if (schedule) work = blank(work, schedule.spans);

  const clauses = splitClauses(work, masked);
  for (const clause of clauses) {
    clause.delays = findDelays(clause.text).map((delay) => ({ ...delay, start: delay.start + clause.start, end: delay.end + clause.start }));
    clause.text = blank(clause.text, clause.delays.map((delay) => [delay.start, delay.end]), clause.start);
    clause.tokens = contentTokens(clause.text, clause.start);
    // "When …" clauses name the event; an action matched there is usually the event's own words
    // ("when a GitHub issue is opened" also reads as "open a GitHub issue").
    const cue = TRIGGER_CUES.has(clause.marker);
    clause.candidates = matchPhrases(index, clause.tokens, clause.text, clause.start).map((match) =>
      !cue ? match : match.kind === "trigger" ? { ...match, score: match.score + TRIGGER_CUE_BONUS } : { ...match, score: match.score * CUE_ACTION_FACTOR },
    );
    clause.isElse = ELSE_MARKERS.has(clause.marker) && (clause.marker !== "or" || /^or\s+else\b/.test(clause.text));
    if (schedule?.spans.some(([start, end]) => start < clause.end && clause.start < end)) clause.produced = true;
  }

  // --- The trigger -------------------------------------------------------------------------------
  const unmapped: string[] = [];
  const notes: string[] = [];
  let trigger: TriggerDefinition | undefined;
  let triggerMatch: PhraseMatch | undefined;
  let triggerClause: Clause | undefined;
  const triggerCandidates = clauses.flatMap((clause) => selectMatches(clause.candidates).filter((match) => match.kind === "trigger").map((match) => ({ match, clause })));
  triggerCandidates.sort((a, b) => b.match.score - a.match.score || a.match.start - b.match.start);
  if (schedule) {
    trigger = scheduleTrigger(registry, schedule);
  } else if (triggerCandidates[0]) {
    triggerMatch = triggerCandidates[0].match;
    triggerClause = triggerCandidates[0].clause;
    trigger = registry.trigger(triggerMatch.type);
    triggerClause.produced = true;
  }
  for (const { match, clause } of triggerCandidates) {
    if (match.type === trigger?.type || (triggerMatch && overlaps(match, triggerMatch))) continue;
    unmapped.push(`${masked.slice(clause.start, clause.end)} (a workflow starts from one trigger; Cue used “${trigger?.title ?? ""}”)`);
  }

  // --- Conditions, then actions --------------------------------------------------------------------
  const quotes = entities.filter((entity) => entity.kind === "quote");
  for (const clause of clauses) {
    if (trigger && clause !== triggerClause) {
      const condition = parseCondition(clause.text, clause.start, trigger, quotes);
      if (condition) {
        clause.condition = condition;
        clause.produced = true;
      }
    } else if (trigger && triggerMatch) {
      // In the trigger's own clause, only the part after the trigger's words can be a condition.
      const offset = triggerMatch.end - clause.start;
      const condition = parseCondition(clause.text.slice(offset), triggerMatch.end, trigger, quotes);
      if (condition) clause.condition = condition;
    }
    const blocked = [triggerMatch, clause.condition].filter((span): span is PhraseMatch | ConditionMatch => span !== undefined);
    const candidates = clause.candidates.filter((match) => match.kind === "action" && !blocked.some((span) => overlaps(span, match)));
    clause.actions = selectMatches(candidates);
    if (clause.actions.length || clause.delays.length) clause.produced = true;
  }
  // A bare "#sales" or "+1 415 …" after a verb implies the one action that needs it.
  const entityActions = new Map<EntityKind, ActionDefinition[]>();
  for (const integration of registry.integrations) {
    for (const action of integration.actions) {
      for (const kind of new Set(requiredEntityKinds(action))) entityActions.set(kind, [...(entityActions.get(kind) ?? []), action]);
    }
  }
  for (const clause of clauses) {
    if (clause.actions.length) continue;
    const verbs = clause.tokens.filter((token) => !(triggerMatch && overlaps(token, triggerMatch)) && !(clause.condition && overlaps(token, clause.condition)));
    if (!verbs.length) continue;
    const entity = entities.find((candidate) => candidate.start >= clause.start && candidate.end <= clause.end && entityActions.get(candidate.kind)?.length === 1);
    const action = entity ? entityActions.get(entity.kind)?.[0] : undefined;
    if (entity && action) {
      clause.actions = [{ type: action.type, kind: "action", score: MIN_SCORE, start: entity.start, end: entity.end, phrase: entity.value }];
      clause.produced = true;
    }
  }

  const actionCount = clauses.reduce((sum, clause) => sum + clause.actions.length, 0);
  if (!trigger && actionCount === 0) refuse(registry, "Cue could not find a trigger or an action it knows in that description.");
  if (trigger && actionCount === 0) refuse(registry, `Cue understood the trigger (${trigger.title}) but not what should happen next.`);
  if (!trigger) {
    trigger = manualTrigger(registry, index);
    if (!trigger) refuse(registry, "Say what should start the workflow.");
    notes.push(`No trigger was named, so it starts when you click Run (${trigger.title}).`);
  }

  // --- The step sequence -------------------------------------------------------------------------
  const main: Step[] = [];
  let current = main;
  let activeCondition: Extract<Step, { kind: "condition" }> | undefined;
  let pendingDelay: DelayMatch | undefined;
  for (const clause of clauses) {
    if (clause.isElse && activeCondition) current = activeCondition.else;
    if (clause.condition) {
      const step: Step = { kind: "condition", match: clause.condition, then: [], else: [] };
      current.push(step);
      activeCondition = step;
      current = step.then;
    }
    for (const delay of clause.delays) {
      if (delay.tooLong) unmapped.push(`${delay.text} (a wait can be at most 30 days)`);
      else pendingDelay = delay;
    }
    for (const match of clause.actions) {
      if (pendingDelay) {
        current.push({ kind: "delay", amount: pendingDelay.amount, unit: pendingDelay.unit });
        pendingDelay = undefined;
      }
      const action = registry.action(match.type);
      if (action) current.push({ kind: "action", action, clause });
    }
  }
  if (pendingDelay) unmapped.push(`${pendingDelay.text} (nothing comes after the wait)`);
  gateEmptyConditions(main);

  // --- Nodes, edges, settings ----------------------------------------------------------------------
  const used = new Set<Entity>();
  for (const clause of clauses) {
    const condition = clause.condition;
    if (condition) for (const quote of quotes) if (quote.start >= condition.start && quote.end <= condition.end + 2) used.add(quote);
  }
  const review: string[] = [];
  const label = schedule ? `Scheduled (${schedule.summary})` : trigger.title;
  const nodes: WorkflowNode[] = [];
  const edges: WorkflowEdge[] = [];
  const counters = { a: 0, c: 0, d: 0, e: 0 };
  const triggerNode: WorkflowNode = {
    id: "t1",
    type: trigger.type,
    config: schedule ? { cron: schedule.cron, timezone: schedule.timezone } : {},
    position: { x: 0, y: 0 },
  };
  nodes.push(triggerNode);

  const connect = (source: string, target: string, handle?: "true" | "false") => {
    counters.e += 1;
    edges.push({ id: `e${counters.e}`, source, target, ...(handle ? { sourceHandle: handle } : {}) });
  };
  const emit = (steps: Step[], from: { id: string; handle?: "true" | "false" }, depth: number, x: number, spread: number) => {
    let previous = from;
    let y = depth;
    for (const step of steps) {
      y += 1;
      let node: WorkflowNode;
      if (step.kind === "action") {
        counters.a += 1;
        const clause = step.clause;
        const takeEntity = (kind: EntityKind, scope: "clause" | "anywhere" = "anywhere") => {
          const pick =
            entities.find((entity) => !used.has(entity) && entity.kind === kind && entity.start >= clause.start && entity.end <= clause.end) ??
            (scope === "anywhere" ? entities.find((entity) => !used.has(entity) && entity.kind === kind) : undefined);
          if (pick) used.add(pick);
          return pick;
        };
        const config = buildActionConfig(step.action, {
          trigger: trigger!,
          label,
          takeEntity,
          codes: projectCodes(clause.original, index),
          clause: clause.original,
          review: (note) => review.push(note),
        });
        node = { id: `a${counters.a}`, type: step.action.type, config, position: { x, y: y * LAYER_GAP } };
      } else if (step.kind === "delay") {
        counters.d += 1;
        node = { id: `d${counters.d}`, type: DELAY_TYPE, config: { amount: step.amount, unit: step.unit }, position: { x, y: y * LAYER_GAP } };
      } else {
        counters.c += 1;
        node = { id: `c${counters.c}`, type: CONDITION_TYPE, config: step.match.config, position: { x, y: y * LAYER_GAP } };
      }
      nodes.push(node);
      connect(previous.id, node.id, previous.handle);
      if (step.kind === "condition") {
        const both = step.then.length > 0 && step.else.length > 0;
        emit(step.then, { id: node.id, handle: "true" }, y, both ? x - spread / 2 : x, spread / 2);
        emit(step.else, { id: node.id, handle: "false" }, y, both ? x + spread / 2 : x + spread / 2, spread / 2);
        // Nothing follows a condition on the main line: its branches are the rest of the workflow.
        return;
      }
      previous = { id: node.id };
    }
  };
  emit(main, { id: triggerNode.id }, 0, 0, BRANCH_GAP);

  for (const clause of clauses) {
    if (clause.produced || clause === triggerClause) continue;
    const leftover = clause.tokens.filter((token) => !FILLER.has(token.word));
    const usedEntity = entities.some((entity) => used.has(entity) && entity.start >= clause.start && entity.end <= clause.end);
    if (leftover.length && !usedEntity) unmapped.push(masked.slice(clause.start, clause.end).replace(/\s+/g, " ").replace(/[\s,;:.!?()→>-]+$/, "").trim().replace(LEADING_MARKER, ""));
  }
  for (const entity of entities) {
    if (!used.has(entity) && entity.kind !== "quote") unmapped.push(`${entity.value} (not used by any step)`);
  }

  const graph: WorkflowGraph = { nodes, edges };
  const validation = validateGraph(graph, registry.catalog);
  if (!validation.ok) {
    // A bug in the planner, not in the description: say so rather than hand back a broken graph.
    throw new AppError("INTERNAL", `The planner built an invalid workflow: ${validation.issues.map((issue) => issue.message).join("; ")}`);
  }
  return { graph, explanation: explain(trigger, schedule, main, notes, review), unmapped };
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

/** Upper-case codes next to "project" or "in" ("in OPS", "project FIN"): candidate project keys. */
function projectCodes(clause: string, index: PhraseIndex): string[] {
  const codes: string[] = [];
  for (const match of clause.matchAll(/\bproject\s+([A-Z][A-Z0-9_]{1,9})\b|\b([A-Z][A-Z0-9_]{1,9})\s+project\b|\b(?:in|into|under)\s+(?:the\s+)?([A-Z][A-Z0-9_]{1,9})\b/g)) {
    const code = match[1] ?? match[2] ?? match[3];
    // "in SMS" or "in CRM" names a channel Cue knows, not a project.
    if (code && !index.vocabulary.has(code.toLowerCase())) codes.push(code);
  }
  return codes;
}

function describeSteps(steps: Step[]): string {
  return steps
    .map((step) => {
      if (step.kind === "action") return step.action.title.replace(/^./, (c) => c.toLowerCase());
      if (step.kind === "delay") return `wait ${step.amount} ${step.amount === 1 ? step.unit.replace(/s$/, "") : step.unit}`;
      const unit = step.match.minorUnits ? " (in cents, as Stripe reports amounts)" : "";
      const yes = step.then.length ? describeSteps(step.then) : "continue";
      const no = step.else.length ? `; otherwise ${describeSteps(step.else)}` : "; otherwise stop";
      return `if ${step.match.summary}${unit}: ${yes}${no}`;
    })
    .join(", then ");
}

function explain(trigger: TriggerDefinition, schedule: ScheduleMatch | undefined, steps: Step[], notes: string[], review: string[]): string {
  const start = schedule ? `Runs ${schedule.summary}${schedule.defaultedTime ? " (no time was given, so 09:00)" : ""}` : `Starts when: ${trigger.title} (${trigger.type})`;
  const then = describeSteps(steps);
  const parts = [`${start}. Then: ${then.charAt(0).toUpperCase()}${then.slice(1)}.`, ...notes];
  if (review.length) parts.push(`Review before activating: ${review.join("; ")}.`);
  return parts.join(" ");
}
