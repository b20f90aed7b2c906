// Answers "does this path exist in a node's output?" by walking a zod v4 schema, so references can be
// checked before a workflow runs.
import type { z } from "zod";

export type SchemaPathResult =
  | { found: true; /** Some segment on the way may be absent at run time. */ optional: boolean }
  | { found: false; /** Index of the first path segment the schema does not have. */ missingAt: number };

const INDEX = /^\d+$/;
// Bounds unwrapping of self-referencing lazy schemas that never reach a concrete type.
const MAX_UNWRAPS = 64;

function walk(schema: z.core.$ZodType, path: readonly string[], index: number, optional: boolean): SchemaPathResult {
  let current = schema as z.core.$ZodTypes;
  for (let unwraps = 0; unwraps < MAX_UNWRAPS; unwraps++) {
    const def = current._zod.def;
    if (def.type === "optional") {
      optional = true;
      current = def.innerType as z.core.$ZodTypes;
    } else if (
      def.type === "nullable" ||
      def.type === "default" ||
      def.type === "prefault" ||
      def.type === "catch" ||
      def.type === "readonly" ||
      def.type === "nonoptional"
    ) {
      current = def.innerType as z.core.$ZodTypes;
    } else if (def.type === "pipe") {
      // `.transform()` ends in a transform whose output shape is unknowable: accept any path.
      if (def.out._zod.def.type === "transform") return { found: true, optional };
      current = def.out as z.core.$ZodTypes;
    } else if (def.type === "lazy") {
      current = def.getter() as z.core.$ZodTypes;
    } else break;
  }

  const segment = path[index];
  if (segment === undefined) return { found: true, optional };
  const def = current._zod.def;
  const next = (child: z.core.$ZodType) => walk(child, path, index + 1, optional);
  switch (def.type) {
    case "any":
    case "unknown":
    case "custom":
    case "transform":
    case "record":
      // Keys of records (Stripe metadata) and untyped values are not knowable in advance.
      return def.type === "record" ? next(def.valueType) : { found: true, optional };
    case "object": {
      const field = Object.hasOwn(def.shape, segment) ? def.shape[segment] : undefined;
      if (field) return next(field);
      // Loose objects (catchall unknown) and catchall objects accept any extra key.
      if (def.catchall && def.catchall._zod.def.type !== "never") return next(def.catchall);
      return { found: false, missingAt: index };
    }
    case "array":
      return INDEX.test(segment) ? next(def.element) : { found: false, missingAt: index };
    case "tuple": {
      if (!INDEX.test(segment)) return { found: false, missingAt: index };
      const item = def.items[Number(segment)] ?? def.rest;
      return item ? next(item) : { found: false, missingAt: index };
    }
    case "union": {
      const results = def.options.map((option) => walk(option, path, index, optional));
      const found = results.filter((result) => result.found);
      if (found.length === 0) return results.reduce((deepest, result) => (!result.found && !deepest.found && result.missingAt > deepest.missingAt ? result : deepest));
      // A field only some variants have may be absent.
      return { found: true, optional: found.length < results.length || found.some((result) => result.optional) };
    }
    case "intersection": {
      const left = walk(def.left, path, index, optional);
      return left.found ? left : walk(def.right, path, index, optional);
    }
    default:
      return { found: false, missingAt: index };
  }
}

/** Whether `path` (segments, array indexes as digit strings) exists in values described by `schema`. */
export function schemaHasPath(schema: z.core.$ZodType, path: readonly string[]): SchemaPathResult {
  return walk(schema, path, 0, false);
}
