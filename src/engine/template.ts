// `{{ path | helper: arg }}` templates in node configs: parsed once and cached, resolved per run
// against the trigger payload and earlier steps' outputs, and inspected by the validator.
import { StepError } from "./errors";

/** What templates can see: the trigger payload and the outputs of steps that have succeeded. */
export interface TemplateScope {
  trigger: unknown;
  steps: Readonly<Record<string, unknown>>;
}

export interface TemplateReference {
  root: "trigger" | "steps";
  /** For `steps.<nodeId>.…` references. */
  nodeId?: string;
  /** Segments after the root (and node id); array indexes as digit strings. */
  path: string[];
  /** The whole `{{ … }}` expression as written. */
  raw: string;
  /** Where the string holding the reference sits in the scanned value, e.g. "rules.0.left" ("" at the top). */
  field: string;
  /** A later `default:` helper covers this reference when its value is missing. */
  guarded: boolean;
}

export interface TemplateProblem {
  field: string;
  message: string;
}

/** A reference that found no value. A distinct class so `exists` conditions can treat it as "no". */
export class MissingValueError extends StepError {
  readonly reference: string;
  constructor(reference: string, detail: string) {
    super("template", `No value for {{${reference}}}: ${detail}`);
    this.name = "MissingValueError";
    this.reference = reference;
  }
}

interface ParsedReference {
  root: "trigger" | "steps";
  nodeId?: string;
  path: string[];
  /** The path as written, e.g. "trigger.items[0].name", for error messages. */
  text: string;
}

type Argument = { kind: "literal"; value: string | number | boolean | null } | { kind: "reference"; ref: ParsedReference };

const FILTERS = ["default", "money", "date", "upper", "lower", "json"] as const;
type FilterName = (typeof FILTERS)[number];

interface Filter {
  name: FilterName;
  arg?: Argument;
}

interface Expression {
  ref: ParsedReference;
  filters: Filter[];
  raw: string;
}

type CompiledTemplate =
  | { kind: "literal"; text: string }
  | { kind: "exact"; expression: Expression }
  | { kind: "mixed"; parts: (string | Expression)[] };

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

const SEGMENT = /\.?([^.[\]\s|]+)|\[(\d+)\]/y;
const NUMBER_LITERAL = /-?\d+(?:\.\d+)?(?![^\s|])/y;
const FILTER_NAME = /[A-Za-z_]+/y;

function invalid(raw: string, reason: string): StepError {
  return new StepError("template", `Invalid template ${raw}: ${reason}`);
}

function parseReferencePath(text: string, raw: string): ParsedReference {
  const segments: string[] = [];
  SEGMENT.lastIndex = 0;
  while (SEGMENT.lastIndex < text.length) {
    const start = SEGMENT.lastIndex;
    const match = SEGMENT.exec(text);
    // A leading dot ("{{.x}}") or an unreadable character means the path is malformed.
    if (!match || (start === 0 && match[0].startsWith("."))) throw invalid(raw, `"${text}" is not a valid path`);
    segments.push(match[1] ?? match[2] ?? "");
  }
  const [root, ...rest] = segments;
  if (root === "trigger") return { root, path: rest, text };
  if (root === "steps") {
    const [nodeId, ...path] = rest;
    if (nodeId === undefined) throw invalid(raw, "name a step, as in steps.<stepId>.field");
    return { root, nodeId, path, text };
  }
  throw invalid(raw, `"${text}" must start with trigger. or steps.`);
}

class ExpressionParser {
  private pos = 0;
  constructor(
    private readonly body: string,
    private readonly raw: string,
  ) {}

  parse(): Expression {
    this.skipSpaces();
    const ref = parseReferencePath(this.readBareWord(), this.raw);
    const filters: Filter[] = [];
    for (this.skipSpaces(); this.pos < this.body.length; this.skipSpaces()) {
      if (this.body[this.pos] !== "|") throw invalid(this.raw, `unexpected "${this.body.slice(this.pos)}"`);
      this.pos++;
      filters.push(this.parseFilter());
    }
    return { ref, filters, raw: this.raw };
  }

  private parseFilter(): Filter {
    this.skipSpaces();
    FILTER_NAME.lastIndex = this.pos;
    const name = FILTER_NAME.exec(this.body)?.[0] ?? "";
    if (!(FILTERS as readonly string[]).includes(name)) {
      throw invalid(this.raw, name ? `unknown helper "${name}" (use ${FILTERS.join(", ")})` : "expected a helper name after |");
    }
    this.pos += name.length;
    this.skipSpaces();
    let arg: Argument | undefined;
    if (this.body[this.pos] === ":") {
      this.pos++;
      this.skipSpaces();
      arg = this.parseArgument();
    }
    const filter = { name: name as FilterName, arg };
    checkFilterArgument(filter, this.raw);
    return filter;
  }

  private parseArgument(): Argument {
    const quote = this.body[this.pos];
    if (quote === '"' || quote === "'") {
      const end = this.findClosingQuote(quote);
      const literal = this.body.slice(this.pos, end + 1);
      this.pos = end + 1;
      const value = quote === '"' ? (JSON.parse(literal) as string) : literal.slice(1, -1);
      return { kind: "literal", value };
    }
    NUMBER_LITERAL.lastIndex = this.pos;
    const number = NUMBER_LITERAL.exec(this.body);
    if (number) {
      this.pos += number[0].length;
      return { kind: "literal", value: Number(number[0]) };
    }
    const word = this.readBareWord();
    if (word === "true" || word === "false") return { kind: "literal", value: word === "true" };
    if (word === "null") return { kind: "literal", value: null };
    if (!word) throw invalid(this.raw, "expected a value after :");
    return { kind: "reference", ref: parseReferencePath(word, this.raw) };
  }

  private findClosingQuote(quote: string): number {
    for (let i = this.pos + 1; i < this.body.length; i++) {
      if (this.body[i] === "\\" && quote === '"') i++;
      else if (this.body[i] === quote) return i;
    }
    throw invalid(this.raw, "unclosed quote");
  }

  private readBareWord(): string {
    const start = this.pos;
    while (this.pos < this.body.length && !/[\s|]/.test(this.body[this.pos] ?? "")) this.pos++;
    return this.body.slice(start, this.pos);
  }

  private skipSpaces(): void {
    while (this.pos < this.body.length && /\s/.test(this.body[this.pos] ?? "")) this.pos++;
  }
}

function checkFilterArgument(filter: Filter, raw: string): void {
  const { name, arg } = filter;
  if (name === "default" && !arg) throw invalid(raw, 'default needs a value, as in | default: "n/a"');
  if ((name === "upper" || name === "lower" || name === "json") && arg) throw invalid(raw, `${name} takes no value`);
  if (name === "date" && arg && !(arg.kind === "literal" && typeof arg.value === "string")) {
    throw invalid(raw, 'date takes a format in quotes, as in | date: "YYYY-MM-DD"');
  }
  if (name === "money" && arg?.kind === "literal" && typeof arg.value !== "string") {
    throw invalid(raw, 'money takes a currency code, as in | money: "eur"');
  }
}

function parseTemplate(text: string): CompiledTemplate {
  const parts: (string | Expression)[] = [];
  let cursor = 0;
  for (;;) {
    const open = text.indexOf("{{", cursor);
    if (open < 0) break;
    const close = text.indexOf("}}", open + 2);
    if (close < 0) break;
    if (open > cursor) parts.push(text.slice(cursor, open));
    const raw = text.slice(open, close + 2);
    parts.push(new ExpressionParser(text.slice(open + 2, close), raw).parse());
    cursor = close + 2;
  }
  if (parts.length === 0) return { kind: "literal", text };
  if (cursor < text.length) parts.push(text.slice(cursor));
  const [only] = parts;
  if (parts.length === 1 && typeof only === "object") return { kind: "exact", expression: only };
  return { kind: "mixed", parts };
}

// Workflows reuse the same few hundred strings on every run, so parsed templates are memoised. The
// cache is dropped wholesale when it grows large: simpler than LRU and still bounded.
const TEMPLATE_CACHE_LIMIT = 10_000;
const templateCache = new Map<string, CompiledTemplate>();

function compileString(text: string): CompiledTemplate {
  let compiled = templateCache.get(text);
  if (!compiled) {
    compiled = text.includes("{{") ? parseTemplate(text) : { kind: "literal", text };
    if (templateCache.size >= TEMPLATE_CACHE_LIMIT) templateCache.clear();
    templateCache.set(text, compiled);
  }
  return compiled;
}

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

const MISSING: unique symbol = Symbol("missing");
type Value = unknown;

const INDEX = /^\d+$/;

function describe(ref: ParsedReference, depth: number): string {
  const prefix = ref.root === "steps" ? ["steps", ref.nodeId ?? ""] : ["trigger"];
  return [...prefix, ...ref.path.slice(0, depth)].join(".");
}

/** One path step; arrays only answer to indexes so "length" or "map" never leak through. */
function child(current: unknown, segment: string): unknown {
  if (current === null || typeof current !== "object") return undefined;
  if (Array.isArray(current)) return INDEX.test(segment) ? current[Number(segment)] : undefined;
  return Object.hasOwn(current, segment) ? (current as Record<string, unknown>)[segment] : undefined;
}

function lookup(ref: ParsedReference, scope: TemplateScope): Value | typeof MISSING {
  let current: unknown;
  if (ref.root === "trigger") current = scope.trigger;
  else if (Object.hasOwn(scope.steps, ref.nodeId ?? "")) current = scope.steps[ref.nodeId ?? ""];
  else return MISSING;
  for (const segment of ref.path) {
    current = child(current, segment);
    if (current === undefined) return MISSING;
  }
  return current === undefined ? MISSING : current;
}

function missingError(ref: ParsedReference, scope: TemplateScope): MissingValueError {
  if (ref.root === "steps" && !Object.hasOwn(scope.steps, ref.nodeId ?? "")) {
    return new MissingValueError(ref.text, `step "${ref.nodeId}" has no output (it was skipped or has not run)`);
  }
  // Walk again to say which segment was absent; only on the error path, so the cost is irrelevant.
  let current: unknown = ref.root === "trigger" ? scope.trigger : scope.steps[ref.nodeId ?? ""];
  for (let depth = 0; depth < ref.path.length; depth++) {
    const segment = ref.path[depth] ?? "";
    current = child(current, segment);
    if (current === undefined) return new MissingValueError(ref.text, `${describe(ref, depth)} has no "${segment}"`);
  }
  return new MissingValueError(ref.text, "the value is empty");
}

function resolveArgument(arg: Argument, scope: TemplateScope): Value {
  if (arg.kind === "literal") return arg.value;
  const value = lookup(arg.ref, scope);
  if (value === MISSING) throw missingError(arg.ref, scope);
  return value;
}

/** Stripe amounts are in the currency's minor unit; these currencies have none or three decimals. */
const ZERO_DECIMAL = new Set(["bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"]);
const THREE_DECIMAL = new Set(["bhd", "jod", "kwd", "omr", "tnd"]);
const moneyFormats = new Map<string, Intl.NumberFormat>();
let knownCurrencies: Set<string> | undefined;

function toNumber(value: Value): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string" && value.trim() !== "") {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

function formatMoney(value: Value, currencyValue: Value, raw: string): string {
  const amount = toNumber(value);
  if (amount === undefined) throw new StepError("template", `${raw}: money needs an amount in minor units, got ${stringify(value) || "nothing"}`);
  if (typeof currencyValue !== "string" || !/^[A-Za-z]{3}$/.test(currencyValue)) {
    throw new StepError("template", `${raw}: "${stringify(currencyValue)}" is not a currency code`);
  }
  const currency = currencyValue.toLowerCase();
  let format = moneyFormats.get(currency);
  if (!format) {
    // Intl formats any well-formed code ("ZZZ 12.34"), so a typo would pass unnoticed without this check.
    knownCurrencies ??= new Set(Intl.supportedValuesOf("currency").map((code) => code.toLowerCase()));
    if (!knownCurrencies.has(currency)) throw new StepError("template", `${raw}: unknown currency "${currencyValue}"`);
    format = new Intl.NumberFormat("en-US", { style: "currency", currency: currency.toUpperCase() });
    moneyFormats.set(currency, format);
  }
  const divisor = ZERO_DECIMAL.has(currency) ? 1 : THREE_DECIMAL.has(currency) ? 1000 : 100;
  return format.format(amount / divisor);
}

// Stripe sends unix seconds; JavaScript sends milliseconds. Anything below 1e11 (the year 5138 in
// seconds, 1973 in milliseconds) is taken as seconds.
const SECONDS_LIMIT = 1e11;

function toDate(value: Value, raw: string): Date {
  let date: Date | undefined;
  const numeric = typeof value === "string" ? toNumber(value) : undefined;
  const number = typeof value === "number" ? value : numeric;
  if (value instanceof Date) date = value;
  else if (number !== undefined) date = new Date(Math.abs(number) < SECONDS_LIMIT ? number * 1000 : number);
  else if (typeof value === "string") date = new Date(value);
  if (!date || Number.isNaN(date.getTime())) throw new StepError("template", `${raw}: ${stringify(value) || "nothing"} is not a date`);
  return date;
}

const DATE_TOKENS = /YYYY|MM|DD|HH|mm|ss/g;
const pad = (n: number) => String(n).padStart(2, "0");

function formatDate(date: Date, format: string | undefined): string {
  if (format === undefined) return date.toISOString();
  return format.replace(DATE_TOKENS, (token) => {
    switch (token) {
      case "YYYY":
        return String(date.getUTCFullYear());
      case "MM":
        return pad(date.getUTCMonth() + 1);
      case "DD":
        return pad(date.getUTCDate());
      case "HH":
        return pad(date.getUTCHours());
      case "mm":
        return pad(date.getUTCMinutes());
      default:
        return pad(date.getUTCSeconds());
    }
  });
}

function isEmpty(value: Value | typeof MISSING): boolean {
  return value === MISSING || value === null || value === "";
}

function evaluate(expression: Expression, scope: TemplateScope): Value {
  let value: Value | typeof MISSING = lookup(expression.ref, scope);
  for (const filter of expression.filters) {
    if (filter.name === "default") {
      if (isEmpty(value)) value = resolveArgument(filter.arg as Argument, scope);
      continue;
    }
    // A missing value flows on untouched so a later `default` can still supply one.
    if (value === MISSING) continue;
    value = applyFilter(filter, value, scope, expression.raw);
  }
  if (value === MISSING) throw missingError(expression.ref, scope);
  return value;
}

function applyFilter(filter: Filter, value: Value, scope: TemplateScope, raw: string): Value {
  switch (filter.name) {
    case "money":
      return formatMoney(value, filter.arg ? resolveArgument(filter.arg, scope) : "usd", raw);
    case "date":
      return formatDate(toDate(value, raw), filter.arg?.kind === "literal" ? (filter.arg.value as string) : undefined);
    case "upper":
      return stringify(value).toUpperCase();
    case "lower":
      return stringify(value).toLowerCase();
    case "json":
      return JSON.stringify(value);
    default:
      return value;
  }
}

/** How a value reads inside text: null is empty, objects are JSON, dates are ISO. */
export function stringify(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

function resolveCompiled(template: CompiledTemplate, scope: TemplateScope): Value {
  switch (template.kind) {
    case "literal":
      return template.text;
    case "exact":
      return evaluate(template.expression, scope);
    case "mixed": {
      let text = "";
      for (const part of template.parts) text += typeof part === "string" ? part : stringify(evaluate(part, scope));
      return text;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Whole values (node configs)
// ---------------------------------------------------------------------------------------------

/** A config prepared once so each run only evaluates expressions. */
export interface CompiledValue {
  readonly hasTemplates: boolean;
  resolve(scope: TemplateScope): unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

const constant = (value: unknown): CompiledValue => ({ hasTemplates: false, resolve: () => value });

/**
 * Compiles every string in `value` (recursively through plain objects and arrays). Parts without
 * templates resolve to the original values, so a template-free config is returned as is.
 * Throws StepError("template") on malformed templates.
 */
export function compileTemplates(value: unknown): CompiledValue {
  if (typeof value === "string") {
    const template = compileString(value);
    return template.kind === "literal" ? constant(value) : { hasTemplates: true, resolve: (scope) => resolveCompiled(template, scope) };
  }
  if (Array.isArray(value)) {
    const items = value.map(compileTemplates);
    if (!items.some((item) => item.hasTemplates)) return constant(value);
    return { hasTemplates: true, resolve: (scope) => items.map((item) => item.resolve(scope)) };
  }
  if (isPlainObject(value)) {
    const entries = Object.entries(value).map(([key, child]) => [key, compileTemplates(child)] as const);
    if (!entries.some(([, child]) => child.hasTemplates)) return constant(value);
    return {
      hasTemplates: true,
      resolve: (scope) => {
        const resolved: Record<string, unknown> = {};
        for (const [key, child] of entries) resolved[key] = child.resolve(scope);
        return resolved;
      },
    };
  }
  return constant(value);
}

/** Resolves every template in `value`. Throws StepError("template") naming the first unresolvable reference. */
export function resolveTemplates(value: unknown, scope: TemplateScope): unknown {
  return compileTemplates(value).resolve(scope);
}

// ---------------------------------------------------------------------------------------------
// Inspection (for the validator and the reference picker)
// ---------------------------------------------------------------------------------------------

function toReference(ref: ParsedReference, raw: string, field: string, guarded: boolean): TemplateReference {
  return ref.nodeId === undefined
    ? { root: ref.root, path: ref.path, raw, field, guarded }
    : { root: ref.root, nodeId: ref.nodeId, path: ref.path, raw, field, guarded };
}

function inspectInto(value: unknown, field: string, references: TemplateReference[], problems: TemplateProblem[]): void {
  if (typeof value === "string") {
    let template: CompiledTemplate;
    try {
      template = compileString(value);
    } catch (error) {
      problems.push({ field, message: (error as Error).message });
      return;
    }
    const expressions = template.kind === "exact" ? [template.expression] : template.kind === "mixed" ? template.parts : [];
    for (const expression of expressions) {
      if (typeof expression === "string") continue;
      const defaultAt = expression.filters.findLastIndex((filter) => filter.name === "default");
      references.push(toReference(expression.ref, expression.raw, field, defaultAt >= 0));
      expression.filters.forEach((filter, index) => {
        if (filter.arg?.kind === "reference") references.push(toReference(filter.arg.ref, expression.raw, field, defaultAt > index));
      });
    }
    return;
  }
  const join = (key: string | number) => (field ? `${field}.${key}` : String(key));
  if (Array.isArray(value)) value.forEach((item, index) => inspectInto(item, join(index), references, problems));
  else if (isPlainObject(value)) for (const [key, child] of Object.entries(value)) inspectInto(child, join(key), references, problems);
}

/** Every reference in `value` and every malformed template, with where each was found. */
export function inspectTemplates(value: unknown): { references: TemplateReference[]; problems: TemplateProblem[] } {
  const references: TemplateReference[] = [];
  const problems: TemplateProblem[] = [];
  inspectInto(value, "", references, problems);
  return { references, problems };
}

/** Every well-formed reference in `value` (malformed templates are reported by `inspectTemplates`). */
export function extractReferences(value: unknown): TemplateReference[] {
  return inspectTemplates(value).references;
}
