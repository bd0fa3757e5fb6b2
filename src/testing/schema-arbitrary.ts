import fc from "fast-check";
import { z } from "zod";

/**
 * fast-check values shaped like a zod schema's input, for fuzzing procedures: mostly valid, often
 * just outside a bound, sometimes of the wrong kind. Written here because the packages that derive
 * arbitraries from zod (zod-fast-check and the like) support zod 3 only; zod 4 describes itself
 * as JSON Schema (z.toJSONSchema), and this walks that.
 */

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  format?: string;
};

/** Characters that change under NFKC or trip parsers: they make strings hard, not just random. */
const TRICKY = [
  "ﷺ",
  "㍻",
  "ｶﾞ",
  "＂",
  '"',
  "「",
  "-",
  "#",
  ":",
  "from:",
  "tag:",
  "is:",
  "@",
  " ",
  "\n",
  "\u0000",
  "\u200b",
  "\u0301",
  "😀",
  "%",
  "\\",
  "'",
];

const trickyString = (max: number) =>
  fc
    .array(fc.oneof(fc.constantFrom(...TRICKY), fc.string({ maxLength: 8 }), fc.string({ unit: "grapheme", maxLength: 4 })), {
      maxLength: Math.min(max, 200),
    })
    .map((a) => a.join(""));

function stringArb(s: JsonSchema): fc.Arbitrary<unknown> {
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? 300;
  if (s.format === "date-time")
    return fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? "not a date" : d.toISOString()));
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ minLength: min, maxLength: Math.min(max, 200) }) },
    { weight: 3, arbitrary: trickyString(max) },
    { weight: 1, arbitrary: fc.string({ minLength: max + 1, maxLength: max + 20 }) }, // just too long
    { weight: 1, arbitrary: fc.constantFrom("", " ", "x".repeat(Math.min(max, 10_000)), "x".repeat(Math.min(max + 1, 10_001))) },
  );
}

function numberArb(s: JsonSchema, integer: boolean): fc.Arbitrary<unknown> {
  const lo = s.minimum ?? s.exclusiveMinimum ?? -1e9;
  const hi = s.maximum ?? s.exclusiveMaximum ?? 1e9;
  const edges = [
    lo,
    hi,
    lo - 1,
    hi + 1,
    0,
    -1,
    0.5,
    Number.MAX_SAFE_INTEGER,
    -Number.MAX_SAFE_INTEGER,
    Number.NaN,
    Number.POSITIVE_INFINITY,
  ];
  const inRange = integer
    ? fc.integer({ min: Math.max(lo, -2_147_483_648), max: Math.min(hi, 2_147_483_647) })
    : fc.double({ min: lo, max: hi, noNaN: true });
  return fc.oneof(
    { weight: 4, arbitrary: inRange },
    { weight: 2, arbitrary: fc.constantFrom(...edges) },
    { weight: 1, arbitrary: fc.double() },
  );
}

function fromJsonSchema(s: JsonSchema, depth: number): fc.Arbitrary<unknown> {
  if (depth > 6) return fc.constant(undefined);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...s.enum) }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) });
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives && alternatives.length > 0) return fc.oneof(...alternatives.map((a) => fromJsonSchema(a, depth + 1)));
  if (s.allOf && s.allOf.length > 0) return fromJsonSchema(s.allOf[0]!, depth + 1);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case "object": {
      const props = s.properties ?? {};
      const required = new Set(s.required ?? []);
      const shape = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, fromJsonSchema(v, depth + 1)]));
      // Optional keys come and go; now and then a required one is missing or an unknown one added.
      const record = fc.record(shape, { requiredKeys: Object.keys(props).filter((k) => required.has(k)) });
      return fc.oneof(
        { weight: 6, arbitrary: record },
        { weight: 1, arbitrary: fc.record(shape, { requiredKeys: [] }) },
        {
          weight: 1,
          arbitrary: fc
            .tuple(record, fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue(), { maxKeys: 3 }))
            .map(([a, b]) => ({ ...b, ...(a as object) })),
        },
      );
    }
    case "array": {
      const max = s.maxItems ?? 20;
      const item = s.items ? fromJsonSchema(s.items, depth + 1) : fc.jsonValue();
      return fc.oneof(
        { weight: 4, arbitrary: fc.array(item, { minLength: s.minItems ?? 0, maxLength: Math.min(max, 60) }) },
        { weight: 1, arbitrary: fc.array(item, { minLength: max + 1, maxLength: max + 3 }) },
      );
    }
    case "string":
      return stringArb(s);
    case "integer":
      return numberArb(s, true);
    case "number":
      return numberArb(s, false);
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    default:
      // Unrepresentable in JSON Schema (dates, bigints…): anything.
      return fc.oneof(fc.date(), fc.jsonValue(), fc.constant(undefined));
  }
}

/** Values shaped like the input of `schema` (a zod 4 schema); anything at all if it has no JSON Schema. */
export function arbitraryFor(schema: unknown): fc.Arbitrary<unknown> {
  try {
    const json = z.toJSONSchema(schema as z.ZodType, { io: "input", unrepresentable: "any" }) as JsonSchema;
    return fc.oneof({ weight: 3, arbitrary: fromJsonSchema(json, 0) }, { weight: 1, arbitrary: fc.constant(undefined) });
  } catch {
    return anyInput;
  }
}

/** Anything a client could send after superjson: JSON, dates, bigints, maps, sets, odd numbers. */
export const anyInput: fc.Arbitrary<unknown> = fc.anything({
  maxDepth: 3,
  maxKeys: 6,
  withDate: true,
  withBigInt: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withSparseArray: true,
});
