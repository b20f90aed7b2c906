// Runs one action through the real registry, the way the engine would.
import type { Credentials, StepContext } from "@/engine/types";
import { createIntegrationRegistry, type IntegrationRegistryOptions } from "../registry";
import { stepContext } from "./fake-server";

export function actionRunner(type: string, options: IntegrationRegistryOptions = {}) {
  const node = createIntegrationRegistry(options).catalog.get(type);
  const run = node?.run;
  const preview = node?.preview;
  if (!run || !preview) throw new Error(`${type} is not an action in the registry`);
  return {
    run: (input: unknown, connections: Record<string, Credentials> = {}, overrides: Partial<StepContext> = {}) =>
      run(input, stepContext(connections, overrides)),
    preview: (input: unknown, connections: Record<string, Credentials> = {}) => preview(input, stepContext(connections)),
  };
}
