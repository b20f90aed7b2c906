// The language model Cue generates workflows with, from the environment; none means offline only.
import { env } from "@/env";
import type { LlmSettings } from "./llm";

export function llmSettingsFromEnv(): LlmSettings | undefined {
  if (!env.AI_BASE_URL || !env.AI_API_KEY || !env.AI_MODEL) return undefined;
  return { baseUrl: env.AI_BASE_URL, apiKey: env.AI_API_KEY, model: env.AI_MODEL, timeoutMs: env.AI_TIMEOUT_MS };
}
