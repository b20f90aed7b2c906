// The engine's public API: graph parsing and validation, templating, core logic nodes, execution.
export * from "./types";
export { StepError, toStepError, type StepErrorCode } from "./errors";
export { MAX_EDGES, MAX_NODES, parseGraph, workflowGraphSchema, type ParseGraphResult } from "./graph";
export {
  CONDITION_TYPE,
  DELAY_TYPE,
  MAX_DELAY_MS,
  TRANSFORM_TYPE,
  conditionConfigSchema,
  coreNodes,
  delayConfigSchema,
  transformConfigSchema,
  transformOutputSchema,
  evaluateCondition,
  evaluateRule,
  type ConditionConfig,
  type ConditionOperator,
  type DelayConfig,
  type ResolvedRule,
  type TransformConfig,
} from "./core-nodes";
export {
  MissingValueError,
  compileTemplates,
  extractReferences,
  inspectTemplates,
  resolveTemplates,
  stringify,
  type CompiledValue,
  type TemplateProblem,
  type TemplateReference,
  type TemplateScope,
} from "./template";
export { schemaHasPath, type SchemaPathResult } from "./schema-path";
export { nodeLabel, validateGraph, type ValidationIssue, type ValidationResult } from "./validate";
export {
  DEFAULT_RETRY,
  DEFAULT_STEP_TIMEOUT_MS,
  executeRun,
  type ExecuteOptions,
  type ExecuteResult,
  type ExecuteStatus,
  type RetryPolicy,
} from "./executor";
