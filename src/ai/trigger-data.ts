// What a trigger's payload holds, as paths the planner can reference ({{trigger.<path>}}): read
// from the trigger's sample and confirmed against its payload schema, as the validator will.
import type { z } from "zod";
import { schemaHasPath } from "@/engine/schema-path";
import type { TriggerDefinition } from "@/integrations/core/define";

export interface PayloadPath {
  path: string[];
  value: unknown;
  /** Some segment may be absent at run time: a reference would need a default. */
  optional: boolean;
}

const cache = new WeakMap<TriggerDefinition, PayloadPath[]>();

function walk(value: unknown, path: string[], out: { path: string[]; value: unknown }[], depth: number) {
  if (path.length) out.push({ path, value });
  if (depth > 6 || value === null || typeof value !== "object") return;
  const entries = Array.isArray(value) ? value.slice(0, 1).map((item, index) => [String(index), item] as const) : Object.entries(value);
  for (const [key, child] of entries) walk(child, [...path, key], out, depth + 1);
}

/** Every path in the trigger's sample (objects and leaves) that its schema also knows. */
export function payloadPaths(trigger: TriggerDefinition): PayloadPath[] {
  const cached = cache.get(trigger);
  if (cached) return cached;
  const raw: { path: string[]; value: unknown }[] = [];
  walk(trigger.sample, [], raw, 0);
  const paths = raw.flatMap(({ path, value }) => {
    const found = schemaHasPath(trigger.payloadSchema, path);
    return found.found ? [{ path, value, optional: found.optional }] : [];
  });
  cache.set(trigger, paths);
  return paths;
}

/** A non-optional payload path whose last key is one of `keys` (earlier keys preferred), shortest first. */
export function pathByKey(trigger: TriggerDefinition, keys: readonly string[], accept: (value: unknown) => boolean = () => true): string[] | undefined {
  const paths = payloadPaths(trigger).filter((entry) => !entry.optional && accept(entry.value));
  for (const key of keys) {
    const candidates = paths.filter((entry) => entry.path.at(-1) === key).sort((a, b) => a.path.length - b.path.length);
    if (candidates[0]) return candidates[0].path;
  }
  return undefined;
}

/** A non-optional payload path whose sample value looks like what we need (an email, a phone number). */
export function pathByValue(trigger: TriggerDefinition, test: (value: string) => boolean, preferKey: string): string[] | undefined {
  const matches = payloadPaths(trigger).filter((entry) => !entry.optional && typeof entry.value === "string" && test(entry.value));
  matches.sort((a, b) => Number(b.path.join(".").includes(preferKey)) - Number(a.path.join(".").includes(preferKey)) || a.path.length - b.path.length);
  return matches[0]?.path;
}

/**
 * Where arbitrary fields live in an untyped payload (a webhook's body, a manual run's data): the
 * sample object with the most fields among those the schema accepts any key under.
 */
export function openContainer(trigger: TriggerDefinition): string[] | undefined {
  const containers = payloadPaths(trigger).filter(
    (entry) => entry.value !== null && typeof entry.value === "object" && !Array.isArray(entry.value) && isUntyped(trigger, entry.path),
  );
  containers.sort((a, b) => Object.keys(b.value as object).length - Object.keys(a.value as object).length || a.path.length - b.path.length);
  return containers[0]?.path;
}

/** Whether the payload schema leaves the value at `path` untyped (z.unknown() or z.any()). */
function isUntyped(trigger: TriggerDefinition, path: readonly string[]): boolean {
  let current = trigger.payloadSchema as unknown as z.core.$ZodTypes;
  for (let index = 0; ; ) {
    const def = current._zod.def;
    if (def.type === "optional" || def.type === "nullable" || def.type === "default" || def.type === "readonly") {
      current = def.innerType as z.core.$ZodTypes;
      continue;
    }
    const key = path[index];
    if (key === undefined) return def.type === "unknown" || def.type === "any";
    if (def.type !== "object" || !Object.hasOwn(def.shape, key)) return false;
    current = def.shape[key] as z.core.$ZodTypes;
    index += 1;
  }
}

export function reference(path: readonly string[]): string {
  return `{{trigger.${path.join(".")}}}`;
}
