import type { z } from 'zod';

/**
 * Fast readers of dataset fields, derived from the fields' zod schemas (`dataset-fields.ts`), so
 * that staging millions of partner rows does not build a zod input object, a parse context and an
 * output object per row. The zod schema stays the definition: a reader runs the schema's own
 * transform, and a row a reader rejects is judged again by the row schema (which also gives the
 * skip reason). A property test (`test/unit/schemas/field-reader.test.ts`) shows both accept and
 * reject the same rows with the same values.
 */

/** What a {@link FieldReader} answers for a field its schema rejects. */
export const REJECTED: unique symbol = Symbol('rejected');

/** The value of a raw field text (`undefined` for an absent column), or {@link REJECTED}. */
export type FieldReader<V = unknown> = (raw: string | undefined) => V | typeof REJECTED;

/** The parts of zod's internal definition the derivation reads (zod 4 `_zod.def`). */
interface Def {
  readonly type: string;
  readonly checks?: readonly unknown[];
  readonly coerce?: boolean;
  readonly in?: { readonly _zod: { readonly def: Def } };
  readonly out?: { readonly _zod: { readonly def: Def } };
  readonly innerType?: { readonly _zod: { readonly def: Def } };
  readonly transform?: (value: unknown, ctx: TransformContext) => unknown;
}

interface TransformContext {
  value: unknown;
  issues: unknown[];
  addIssue(issue: unknown): void;
}

const plain = (def: Def | undefined, type: string): def is Def =>
  def !== undefined && def.type === type && (def.checks === undefined || def.checks.length === 0);

/**
 * The transform of a schema written `z.string().optional().transform(f)` with nothing else (no
 * checks, refinements, coercion or default), the form of every dataset field; `undefined` for
 * any other schema.
 */
function plainTransform(schema: z.ZodType): Def['transform'] {
  const def = (schema as unknown as { _zod: { def: Def } })._zod.def;
  if (!plain(def, 'pipe')) return undefined;
  const optional = def.in?._zod.def;
  const inner = optional?.innerType?._zod.def;
  const out = def.out?._zod.def;
  if (!plain(optional, 'optional') || !plain(inner, 'string') || inner.coerce === true) return undefined;
  if (!plain(out, 'transform')) return undefined;
  return out.transform;
}

/**
 * The reader of a field schema whose input is the raw text or `undefined`.
 *
 * For the `z.string().optional().transform(f)` form it calls `f` itself with a reused context
 * (the input is a string or `undefined` by construction, which is all the string and optional
 * schemas check): a value with no issue raised is the value, any issue is {@link REJECTED}. Any
 * other schema is parsed by zod, field by field.
 * @example fieldReader(text.schema('name'))(' 张三 ') // '张三'
 */
export function fieldReader<V>(schema: z.ZodType<V, string | undefined>): FieldReader<V> {
  const transform = plainTransform(schema);
  if (transform === undefined) {
    return (raw) => {
      const result = schema.safeParse(raw);
      return result.success ? result.data : REJECTED;
    };
  }
  const ctx: TransformContext = {
    value: undefined,
    issues: [],
    addIssue(issue) {
      this.issues.push(issue);
    },
  };
  return (raw) => {
    ctx.value = raw;
    const value = transform(raw, ctx);
    if (ctx.issues.length === 0) return value as V;
    ctx.issues.length = 0;
    return REJECTED;
  };
}
