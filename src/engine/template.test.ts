import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { StepError } from "./errors";
import { MissingValueError, compileTemplates, extractReferences, inspectTemplates, resolveTemplates, type TemplateScope } from "./template";

const scope: TemplateScope = {
  trigger: {
    created: 1_700_000_000,
    data: {
      object: {
        amount: 1234,
        currency: "eur",
        customer: null,
        note: "",
        email: "Ada@Example.com",
        items: [{ name: "Widget", tags: ["a", "b"] }],
        meta: { order: "42" },
      },
    },
  },
  steps: { a1: { id: "ISSUE-1", count: 0, ok: false }, skippedLater: undefined },
};

const resolve = (value: unknown) => resolveTemplates(value, scope);

function templateError(fn: () => unknown): StepError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(StepError);
    expect((error as StepError).code).toBe("template");
    expect((error as StepError).retryable).toBe(false);
    return error as StepError;
  }
  throw new Error("expected a template error");
}

describe("resolveTemplates: paths", () => {
  it("returns the raw value for a string that is exactly one template", () => {
    expect(resolve("{{trigger.data.object.amount}}")).toBe(1234);
    expect(resolve("{{ trigger.data.object.items }}")).toEqual([{ name: "Widget", tags: ["a", "b"] }]);
    expect(resolve("{{steps.a1.ok}}")).toBe(false);
    expect(resolve("{{steps.a1.count}}")).toBe(0);
    expect(resolve("{{trigger.data.object.customer}}")).toBeNull();
  });

  it("reads array indexes written with dots or brackets", () => {
    expect(resolve("{{trigger.data.object.items.0.name}}")).toBe("Widget");
    expect(resolve("{{trigger.data.object.items[0].name}}")).toBe("Widget");
    expect(resolve("{{trigger.data.object.items[0].tags[1]}}")).toBe("b");
  });

  it("stringifies values inside text: objects as JSON, null as nothing", () => {
    expect(resolve("Order {{trigger.data.object.meta.order}} for {{trigger.data.object.amount}}")).toBe("Order 42 for 1234");
    expect(resolve("m={{trigger.data.object.meta}}")).toBe('m={"order":"42"}');
    expect(resolve("c=[{{trigger.data.object.customer}}]")).toBe("c=[]");
    expect(resolve("{{steps.a1.ok}}!")).toBe("false!");
  });

  it("resolves recursively through objects and arrays, leaving other values alone", () => {
    const config = { summary: "Charge {{trigger.data.object.amount}}", nested: { list: ["{{steps.a1.id}}", 3, true, null] }, fixed: "plain" };
    expect(resolve(config)).toEqual({ summary: "Charge 1234", nested: { list: ["ISSUE-1", 3, true, null] }, fixed: "plain" });
  });

  it("returns template-free values untouched (same reference)", () => {
    const config = { a: "x", b: [1, { c: "y" }] };
    expect(resolve(config)).toBe(config);
    expect(compileTemplates(config).hasTemplates).toBe(false);
  });

  it("names the missing path in the error and never prints undefined", () => {
    const error = templateError(() => resolve("Customer: {{ trigger.data.object.foo }}"));
    expect(error).toBeInstanceOf(MissingValueError);
    expect(error.message).toContain("{{trigger.data.object.foo}}");
    expect(error.message).toContain('trigger.data.object has no "foo"');
    expect(error.message).not.toContain("undefined");
  });

  it("explains a reference to a step without output", () => {
    expect(templateError(() => resolve("{{steps.zz.id}}")).message).toContain('step "zz" has no output');
    expect(templateError(() => resolve("{{steps.skippedLater}}")).message).toContain("{{steps.skippedLater}}");
  });

  it("does not treat array properties or prototype members as data", () => {
    templateError(() => resolve("{{trigger.data.object.items.length}}"));
    templateError(() => resolve("{{trigger.data.object.meta.toString}}"));
    templateError(() => resolve("{{trigger.data.object.items.5}}"));
    templateError(() => resolve("{{trigger.data.object.amount.value}}"));
  });

  it("rejects malformed templates with a clear message", () => {
    expect(templateError(() => resolve("{{ foo.bar }}")).message).toBe('Invalid template {{ foo.bar }}: "foo.bar" must start with trigger. or steps.');
    expect(templateError(() => resolve("{{ steps }}")).message).toContain("name a step");
    expect(templateError(() => resolve("{{ trigger.x | shout }}")).message).toContain('unknown helper "shout"');
    expect(templateError(() => resolve("{{ trigger.x | default }}")).message).toContain("default needs a value");
    expect(templateError(() => resolve("{{ trigger.x | upper: 1 }}")).message).toContain("upper takes no value");
    expect(templateError(() => resolve('{{ trigger.x | default: "open }}')).message).toContain("unclosed quote");
    expect(templateError(() => resolve("{{ trigger..x }}")).message).toContain("not a valid path");
    expect(templateError(() => resolve("{{}}")).message).toContain("must start with");
  });

  it("leaves an unclosed {{ as text", () => {
    expect(resolve("literally {{ here")).toBe("literally {{ here");
  });
});

describe("resolveTemplates: helpers", () => {
  it("default replaces missing, null and empty values only", () => {
    expect(resolve('{{ trigger.data.object.foo | default: "n/a" }}')).toBe("n/a");
    expect(resolve("{{ trigger.data.object.customer | default: 'guest' }}")).toBe("guest");
    expect(resolve('{{ trigger.data.object.note | default: "none" }}')).toBe("none");
    expect(resolve('{{ steps.a1.count | default: "none" }}')).toBe(0);
    expect(resolve("{{ trigger.data.object.foo | default: 5 }}")).toBe(5);
    expect(resolve("{{ trigger.data.object.foo | default: false }}")).toBe(false);
    expect(resolve("{{ trigger.data.object.foo | default: steps.a1.id }}")).toBe("ISSUE-1");
    expect(resolve('{{ steps.nope.id | default: "x" }}')).toBe("x");
    expect(resolve('{{ trigger.data.object.foo | default: "a|b" }}')).toBe("a|b");
    expect(resolve('{{ trigger.data.object.foo | default: "say \\"hi\\"" }}')).toBe('say "hi"');
  });

  it("lets a later default cover a missing value flowing through other helpers", () => {
    expect(resolve('{{ trigger.data.object.foo | upper | default: "-" }}')).toBe("-");
  });

  it("fails when the default itself points nowhere", () => {
    expect(templateError(() => resolve("{{ trigger.a | default: trigger.b }}")).message).toContain("{{trigger.b}}");
  });

  it("money formats Stripe minor units", () => {
    expect(resolve("{{ trigger.data.object.amount | money }}")).toBe("$12.34");
    expect(resolve('{{ trigger.data.object.amount | money: "eur" }}')).toBe("€12.34");
    expect(resolve("{{ trigger.data.object.amount | money: trigger.data.object.currency }}")).toBe("€12.34");
    expect(resolve('{{ trigger.data.object.amount | money: "JPY" }}')).toBe("¥1,234");
    expect(resolve('{{ trigger.data.object.amount | money: "kwd" }}')).toBe("KWD\u00a01.234");
    expect(resolve('{{ trigger.data.object.meta.order | money }}')).toBe("$0.42");
    expect(resolve("Total: {{ trigger.data.object.amount | money }}")).toBe("Total: $12.34");
  });

  it("money rejects non-amounts and unknown currencies", () => {
    expect(templateError(() => resolve("{{ trigger.data.object.email | money }}")).message).toContain("money needs an amount");
    expect(templateError(() => resolve('{{ trigger.data.object.amount | money: "zzz" }}')).message).toContain('unknown currency "zzz"');
    expect(templateError(() => resolve('{{ trigger.data.object.amount | money: "euro" }}')).message).toContain("not a currency code");
  });

  it("date accepts unix seconds, milliseconds and ISO strings, in UTC", () => {
    expect(resolve("{{ trigger.created | date }}")).toBe("2023-11-14T22:13:20.000Z");
    expect(resolve('{{ trigger.created | date: "YYYY-MM-DD HH:mm" }}')).toBe("2023-11-14 22:13");
    const ms = { trigger: { t: 1_700_000_000_000, iso: "2024-02-29T23:59:58+02:00", text: "1700000000" }, steps: {} };
    expect(resolveTemplates('{{ trigger.t | date: "DD/MM/YYYY HH:mm:ss" }}', ms)).toBe("14/11/2023 22:13:20");
    expect(resolveTemplates('{{ trigger.iso | date: "YYYY-MM-DD HH:mm" }}', ms)).toBe("2024-02-29 21:59");
    expect(resolveTemplates("{{ trigger.text | date }}", ms)).toBe("2023-11-14T22:13:20.000Z");
    expect(templateError(() => resolve("{{ trigger.data.object.email | date }}")).message).toContain("is not a date");
  });

  it("upper, lower and json", () => {
    expect(resolve("{{ trigger.data.object.email | upper }}")).toBe("ADA@EXAMPLE.COM");
    expect(resolve("{{ trigger.data.object.email | lower }}")).toBe("ada@example.com");
    expect(resolve("{{ trigger.data.object.meta | json }}")).toBe('{"order":"42"}');
    expect(resolve("{{ trigger.data.object.customer | json }}")).toBe("null");
  });
});

describe("extractReferences / inspectTemplates", () => {
  it("lists every reference with its field and whether a default guards it", () => {
    const refs = extractReferences({
      summary: "Charge {{ trigger.data.object.amount | money: trigger.data.object.currency }}",
      rules: [{ left: "{{steps.a1.items[2].name | default: steps.b2.name}}" }],
    });
    expect(refs).toEqual([
      { root: "trigger", path: ["data", "object", "amount"], raw: "{{ trigger.data.object.amount | money: trigger.data.object.currency }}", field: "summary", guarded: false },
      { root: "trigger", path: ["data", "object", "currency"], raw: "{{ trigger.data.object.amount | money: trigger.data.object.currency }}", field: "summary", guarded: false },
      { root: "steps", nodeId: "a1", path: ["items", "2", "name"], raw: "{{steps.a1.items[2].name | default: steps.b2.name}}", field: "rules.0.left", guarded: true },
      { root: "steps", nodeId: "b2", path: ["name"], raw: "{{steps.a1.items[2].name | default: steps.b2.name}}", field: "rules.0.left", guarded: false },
    ]);
  });

  it("reports malformed templates as problems instead of throwing", () => {
    expect(inspectTemplates({ a: "{{ nope }}", b: "{{trigger.ok}}" })).toEqual({
      references: [{ root: "trigger", path: ["ok"], raw: "{{trigger.ok}}", field: "b", guarded: false }],
      problems: [{ field: "a", message: 'Invalid template {{ nope }}: "nope" must start with trigger. or steps.' }],
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,8}$/);
const leaf = fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null));
const { tree } = fc.letrec<{ tree: unknown }>((tie) => ({
  tree: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, fc.array(tie("tree"), { maxLength: 4 }), fc.dictionary(key, tie("tree"), { maxKeys: 4 })),
}));

/** Every path to every value inside `value`, as segments. */
function pathsOf(value: unknown, prefix: string[] = []): string[][] {
  const children =
    value !== null && typeof value === "object" ? Object.entries(value).flatMap(([k, child]) => pathsOf(child, [...prefix, k])) : [];
  return [prefix, ...children];
}

function valueAt(value: unknown, path: string[]): unknown {
  return path.reduce<unknown>((current, segment) => (current as Record<string, unknown>)[segment], value);
}

describe("template properties", () => {
  it("a template naming any existing path resolves to exactly that value", () => {
    fc.assert(
      fc.property(tree, fc.nat(), fc.boolean(), (trigger, pick, brackets) => {
        const paths = pathsOf(trigger);
        const path = paths[pick % paths.length] as string[];
        const text = path.map((segment) => (brackets && /^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`)).join("");
        const resolved = resolveTemplates(`{{ trigger${text} }}`, { trigger, steps: {} });
        expect(resolved).toStrictEqual(valueAt(trigger, path));
      }),
    );
  });

  it("the same holds for step outputs, and extractReferences agrees with resolution", () => {
    fc.assert(
      fc.property(key, tree, fc.nat(), (nodeId, output, pick) => {
        const paths = pathsOf(output);
        const path = paths[pick % paths.length] as string[];
        const template = `{{steps.${[nodeId, ...path].join(".")}}}`;
        const [ref] = extractReferences({ field: template });
        expect(ref).toEqual({ root: "steps", nodeId, path, raw: template, field: "field", guarded: false });
        expect(resolveTemplates(template, { trigger: null, steps: { [nodeId]: output } })).toStrictEqual(valueAt(output, path));
      }),
    );
  });

  it("strings without {{ are returned unchanged", () => {
    fc.assert(
      fc.property(
        fc.string().filter((s) => !s.includes("{{")),
        (text) => {
          expect(resolveTemplates(text, { trigger: {}, steps: {} })).toBe(text);
          expect(extractReferences(text)).toEqual([]);
        },
      ),
    );
  });

  it("resolution never yields the text undefined: it either succeeds without it or throws a template error", () => {
    fc.assert(
      fc.property(tree, fc.array(fc.oneof(key, fc.constantFrom("0", "1", "x")), { maxLength: 4 }), fc.string(), (trigger, path, text) => {
        fc.pre(!text.includes("undefined") && !text.includes("{{") && !JSON.stringify(trigger).includes("undefined"));
        try {
          const out = resolveTemplates(`${text}{{ trigger${path.map((s) => `.${s}`).join("")} }}${text}`, { trigger, steps: {} });
          expect(typeof out === "string" ? out : JSON.stringify(out) ?? "").not.toContain("undefined");
        } catch (error) {
          expect(error).toBeInstanceOf(StepError);
          expect((error as StepError).code).toBe("template");
        }
      }),
    );
  });

  it("default always yields a value for any path", () => {
    fc.assert(
      fc.property(tree, fc.array(key, { maxLength: 3 }), (trigger, path) => {
        const out = resolveTemplates(`{{ trigger${path.map((s) => `.${s}`).join("")} | default: "fallback" }}`, { trigger, steps: {} });
        expect(out).not.toBeUndefined();
        expect(out).not.toBeNull();
        expect(out).not.toBe("");
      }),
    );
  });
});
