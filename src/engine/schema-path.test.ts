import { z } from "zod";
import { describe, expect, it } from "vitest";
import { schemaHasPath } from "./schema-path";

const schema = z.object({
  id: z.string(),
  amount: z.number().default(0),
  note: z.string().optional(),
  customer: z.object({ name: z.string() }).nullable(),
  items: z.array(z.object({ sku: z.string() })),
  pair: z.tuple([z.string(), z.object({ x: z.number() })]),
  metadata: z.record(z.string(), z.string()),
  raw: z.unknown(),
  anything: z.any(),
  loose: z.looseObject({ known: z.string() }),
  strict: z.strictObject({ known: z.string() }),
  piped: z.string().transform((value) => value.length),
  preprocessed: z.preprocess((value) => value, z.object({ inner: z.string() })),
  event: z.discriminatedUnion("type", [z.object({ type: z.literal("a"), onlyA: z.string() }), z.object({ type: z.literal("b"), onlyB: z.number() })]),
  both: z.intersection(z.object({ left: z.string() }), z.object({ right: z.string() })),
  lazy: z.lazy(() => z.object({ deep: z.string() })),
  maybe: z.object({ inner: z.object({ leaf: z.string() }) }).optional(),
});

const has = (path: string) => schemaHasPath(schema, path ? path.split(".") : []);

describe("schemaHasPath", () => {
  it("finds declared fields, unwrapping optional, nullable, default and pipe", () => {
    expect(has("")).toEqual({ found: true, optional: false });
    expect(has("id")).toEqual({ found: true, optional: false });
    expect(has("amount")).toEqual({ found: true, optional: false });
    expect(has("customer.name")).toEqual({ found: true, optional: false });
    expect(has("preprocessed.inner")).toEqual({ found: true, optional: false });
    expect(has("lazy.deep")).toEqual({ found: true, optional: false });
    expect(has("both.left")).toEqual({ found: true, optional: false });
    expect(has("both.right")).toEqual({ found: true, optional: false });
  });

  it("marks paths through optional fields", () => {
    expect(has("note")).toEqual({ found: true, optional: true });
    expect(has("maybe.inner.leaf")).toEqual({ found: true, optional: true });
  });

  it("walks arrays and tuples by numeric segments only", () => {
    expect(has("items.0.sku")).toEqual({ found: true, optional: false });
    expect(has("items.length")).toEqual({ found: false, missingAt: 1 });
    expect(has("pair.1.x")).toEqual({ found: true, optional: false });
    expect(has("pair.2")).toEqual({ found: false, missingAt: 1 });
  });

  it("accepts any deeper path under records, unknown, any, loose objects and transforms", () => {
    for (const path of ["metadata.order_id", "raw.a.b.c", "anything.x.0", "loose.extra.deep", "loose.known", "piped.whatever"]) {
      expect(has(path)).toEqual({ found: true, optional: false });
    }
  });

  it("reports where a path leaves the schema", () => {
    expect(has("nope")).toEqual({ found: false, missingAt: 0 });
    expect(has("customer.email")).toEqual({ found: false, missingAt: 1 });
    expect(has("strict.extra")).toEqual({ found: false, missingAt: 1 });
    expect(has("id.length")).toEqual({ found: false, missingAt: 1 });
    expect(has("items.0.sku.x")).toEqual({ found: false, missingAt: 3 });
  });

  it("treats a field only some union variants have as optional", () => {
    expect(has("event.type")).toEqual({ found: true, optional: false });
    expect(has("event.onlyA")).toEqual({ found: true, optional: true });
    expect(has("event.neither")).toEqual({ found: false, missingAt: 1 });
  });
});
