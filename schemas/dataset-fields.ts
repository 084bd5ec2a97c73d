import { z } from 'zod';
import { cleanValue } from '#schemas/clean-value.ts';
import { isMonth } from '#schemas/month.ts';
import { quoteValue } from '#schemas/quote-value.ts';
import { CATEGORY_CODES, type CategoryCode, resolveCategory } from './categories.ts';
import type { StagedType, StagedValue } from './dataset-arrow.ts';
import { isCalendarDate, normalizeIdNumber } from './dataset-values.ts';
import { parsePartnerAmount } from './money.ts';

/**
 * The kinds of value a reference, register or partner column holds (contract 2, 2.3): how a raw
 * field text is read (a zod schema) and how the value is staged (see `dataset-arrow.ts`). A
 * dataset's columns are each one of these (see `defineDataset`).
 *
 * Every value is cleaned first (section 2). Messages are bilingual (Chinese / English), name the
 * column and, except for ID numbers (sensitive), quote the value; they become the skip reasons of
 * the snapshot.
 */

/** One kind of column value: read from the field text by `schema(column)`, staged as `staged`. */
export interface FieldKind<S extends StagedType = StagedType> {
  readonly staged: S;
  /** The field's schema; its input is the raw text, `undefined` when the column is absent. */
  readonly schema: (column: string) => z.ZodType<StagedValue<S>, string | undefined>;
}

const field = <S extends StagedType>(
  staged: S,
  schema: (column: string) => z.ZodType<StagedValue<S>, string | undefined>,
): FieldKind<S> => ({ staged, schema });

const TEXT = { kind: 'text', nullable: false } as const;

type Ctx = z.core.$RefinementCtx<string | undefined>;

function fail(ctx: Ctx, input: string, message: string): never {
  ctx.issues.push({ code: 'custom', message, input });
  return z.NEVER;
}

const empty = (column: string) => `${column} 为空 / ${column} is empty`;

/** Any text; `''` when empty or absent. */
export const text = field(TEXT, () => z.string().optional().transform(cleanValue));

/** Non-empty text. */
export const requiredText = field(TEXT, (column) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const value = cleanValue(raw);
      return value === '' ? fail(ctx, value, empty(column)) : value;
    }),
);

/** Text upper-cased (a code compared case-insensitively, unknown values kept). */
export const upperText = field(TEXT, () =>
  z
    .string()
    .optional()
    .transform((raw) => cleanValue(raw).toUpperCase()),
);

/** A non-empty ID number, upper-cased (see `normalizeIdNumber`). */
export const idNumber = field(TEXT, (column) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const value = cleanValue(raw);
      return value === '' ? fail(ctx, value, empty(column)) : normalizeIdNumber(value);
    }),
);

/** An ID number that may be empty, upper-cased. */
export const optionalIdNumber = field(TEXT, () =>
  z
    .string()
    .optional()
    .transform((raw) => normalizeIdNumber(cleanValue(raw))),
);

/** A `YYYY-MM-DD` real calendar date. */
export const date = field({ kind: 'date' } as const, (column) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const value = cleanValue(raw);
      if (isCalendarDate(value)) return value;
      return fail(
        ctx,
        value,
        value === ''
          ? empty(column)
          : `${column} ${quoteValue(value)} 不是有效日期 YYYY-MM-DD / ${column} ${quoteValue(value)} is not a real YYYY-MM-DD date`,
      );
    }),
);

const notMonth = (column: string, value: string) =>
  `${column} ${quoteValue(value)} 不是有效月份 YYYY-MM / ${column} ${quoteValue(value)} is not a YYYY-MM month`;

/** A `YYYY-MM` month. */
export const month = field(TEXT, (column) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const value = cleanValue(raw);
      if (isMonth(value)) return value;
      return fail(ctx, value, value === '' ? empty(column) : notMonth(column, value));
    }),
);

/** A `YYYY-MM` month, or `''` (an open bound, staged as null). */
export const optionalMonth = field({ kind: 'text', nullable: true } as const, (column) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const value = cleanValue(raw);
      return value === '' || isMonth(value) ? value : fail(ctx, value, notMonth(column, value));
    }),
);

const notAmount = (column: string, value: string) =>
  `${column} ${quoteValue(value)} 不是不超过两位小数的非负金额 / ${column} ${quoteValue(value)} is not a non-negative amount with at most 2 decimals`;

/** A partner amount in yuan (see `parsePartnerAmount`), as integer fen. */
export const amount = field({ kind: 'fen', nullable: false } as const, (column) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const value = cleanValue(raw);
      const fen = parsePartnerAmount(value);
      if (fen !== undefined) return fen;
      return fail(ctx, value, value === '' ? empty(column) : notAmount(column, value));
    }),
);

/** A partner amount in yuan as integer fen, or `undefined` when empty. */
export const optionalAmount = field({ kind: 'fen', nullable: true } as const, (column) =>
  z
    .string()
    .optional()
    .transform((raw, ctx): number | undefined => {
      const value = cleanValue(raw);
      if (value === '') return undefined;
      const fen = parsePartnerAmount(value);
      return fen !== undefined ? fen : fail(ctx, value, notAmount(column, value));
    }),
);

/** A category code or Chinese label (contract 2.2), as its code. */
export const category = field({ kind: 'codes', codes: CATEGORY_CODES } as const, (column) =>
  z
    .string()
    .optional()
    .transform((raw, ctx): CategoryCode => {
      const value = cleanValue(raw);
      const code = resolveCategory(value);
      if (code !== undefined) return code;
      return fail(
        ctx,
        value,
        value === ''
          ? empty(column)
          : `${column} ${quoteValue(value)} 不是救助类别 / ${column} ${quoteValue(value)} is not a category`,
      );
    }),
);

/** A code of `codes`, matched case-insensitively, as written in `codes`. */
export const oneOf = <const C extends readonly string[]>(codes: C) =>
  field({ kind: 'codes', codes } as const, (column) =>
    z
      .string()
      .optional()
      .transform((raw, ctx): C[number] => {
        const value = cleanValue(raw);
        const upper = value.toUpperCase();
        if ((codes as readonly string[]).includes(upper)) return upper;
        return fail(
          ctx,
          value,
          value === ''
            ? empty(column)
            : `${column} ${quoteValue(value)} 不是 ${codes.join('/')} 之一 / ${column} ${quoteValue(value)} is not one of ${codes.join(', ')}`,
        );
      }),
  );

/** A flag written `Y` or `y` when set; anything else, empty included, is not set (contract 2.3). */
export const flag = field({ kind: 'bool' } as const, () =>
  z
    .string()
    .optional()
    .transform((raw) => {
      const value = cleanValue(raw);
      return value === 'Y' || value === 'y';
    }),
);
