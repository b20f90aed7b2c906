// What the planner tells people: the refusal that lists what Cue understands, and the explanation
// of a plan — the language it read, the trigger, the steps with their branches, what to review and
// the words it could not map.
import type { TriggerDefinition } from "@/integrations/core/define";
import type { IntegrationRegistry } from "@/integrations/registry";
import { AppError } from "@/lib/errors";
import type { Language } from "./lexicon/language";
import type { ScheduleMatch } from "./schedule";
import type { Step } from "./structure";

export function capabilities(registry: IntegrationRegistry): string {
  const triggers = registry.integrations.flatMap((integration) => integration.triggers.map((trigger) => `${integration.name}: ${trigger.title}`));
  const actions = registry.integrations.flatMap((integration) => integration.actions.map((action) => `${integration.name}: ${action.title}`));
  return (
    `Cue understands these triggers — ${triggers.join("; ")} — and these actions — ${actions.join("; ")} — ` +
    `plus conditions ("if the amount is over $500 …, otherwise …"), waits ("wait 3 days, then …") and schedules ("every Monday at 9am"), ` +
    `in English, French, Spanish and German.`
  );
}

export function refuse(registry: IntegrationRegistry, reason: string): never {
  throw new AppError("BAD_REQUEST", `${reason} ${capabilities(registry)}`);
}

function describeSteps(steps: Step[]): string {
  return steps
    .map((step) => {
      if (step.kind === "action") return step.action.title.replace(/^./, (c) => c.toLowerCase());
      if (step.kind === "delay") return `wait ${step.amount} ${step.amount === 1 ? step.unit.replace(/s$/, "") : step.unit}`;
      const unit = step.match.minorUnits ? " (in cents, as Stripe reports amounts)" : "";
      const yes = step.then.length ? describeSteps(step.then) : "stop";
      const no = step.else.length ? `; otherwise ${describeSteps(step.else)}` : "; otherwise stop";
      return `if ${step.match.summary}${unit}: ${yes}${no}`;
    })
    .join(", then ");
}

export interface Explained {
  trigger: TriggerDefinition;
  schedule?: ScheduleMatch;
  steps: Step[];
  language: Language;
  notes: string[];
  review: string[];
  unmappedWords: string[];
}

export function explain({ trigger, schedule, steps, language, notes, review, unmappedWords }: Explained): string {
  const start = schedule ? `Runs ${schedule.summary}${schedule.defaultedTime ? " (no time was given, so 09:00)" : ""}` : `Starts when: ${trigger.title} (${trigger.type})`;
  const then = describeSteps(steps);
  const parts = [`Read as ${language.name}.`, `${start}. Then: ${then.charAt(0).toUpperCase()}${then.slice(1)}.`, ...notes];
  if (review.length) parts.push(`Review before activating: ${review.join("; ")}.`);
  parts.push(unmappedWords.length ? `Words Cue did not map: ${unmappedWords.join(", ")}.` : "Every word was mapped.");
  return parts.join(" ");
}
