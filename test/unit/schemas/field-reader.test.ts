import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CATEGORIES, CATEGORY_CODES } from '#schemas/categories.ts';
import { amount, text } from '#schemas/dataset-fields.ts';
import { REGISTRY_STATUSES } from '#schemas/datasets/registry.ts';
import { DATASET_NAMES, DATASETS } from '#schemas/datasets.ts';
import { type FieldReader, fieldReader, REJECTED } from '#schemas/field-reader.ts';
import {
  anyShortText,
  dateLike,
  digitRun,
  edgeFlagsAndNumbers,
  edgeSpace,
  idNumberLike,
  monthLike,
  spaced,
  yuanLike,
} from '../../support/field-values.ts';

/** White space the contract trims, and some it keeps. */
const space = edgeSpace({ blank: 3, space: 7, lineBreaks: true });

/** Texts near every kind's edge: dates, months, amounts, codes, IDs, flags, and anything at all. */
const core = fc.oneof(
  edgeFlagsAndNumbers,
  fc.constantFrom(...CATEGORY_CODES, ...CATEGORIES.flatMap((c) => c.labels), 'dibao', '低保户'),
  fc.constantFrom(...REGISTRY_STATUSES, 'active', 'Suspended', 'GONE'),
  dateLike,
  monthLike({ min: 1990, max: 2030 }),
  yuanLike,
  digitRun(17),
  idNumberLike,
  anyShortText,
);

const rawField = fc.option(spaced(space, core), { nil: undefined, freq: 8 });

/** Texts every kind accepts, so that rows of many columns are often wholly good. */
const GOOD = [
  'Y',
  'y',
  'x',
  '0.00',
  '12.5',
  '2026-09',
  '2024-02-29',
  'DIBAO',
  '最低生活保障',
  'active',
  '44200019800101123x',
];

/** A field of a column: any text, or one its schema accepts, white space around. */
function columnField(schema: z.ZodType): fc.Arbitrary<string | undefined> {
  const good = GOOD.filter((value) => schema.safeParse(value).success);
  return fc.oneof(
    { arbitrary: rawField, weight: 1 },
    {
      arbitrary: spaced(space, fc.constantFrom(...good)),
      weight: 3,
    },
  );
}

/** A row's fields read by the readers, as staging reads them: REJECTED if any reader rejects. */
function readRow(readers: readonly FieldReader[], fields: readonly (string | undefined)[]) {
  const values: unknown[] = [];
  for (let c = 0; c < readers.length; c++) {
    const value = (readers[c] as FieldReader)(fields[c]);
    if (value === REJECTED) return REJECTED;
    values.push(value);
  }
  return values;
}

describe('fieldReader', () => {
  it.each(DATASET_NAMES)(
    'accepts and rejects exactly the %s rows its row schema does, with the same values',
    (name) => {
      const descriptor = DATASETS[name];
      const names = descriptor.columnNames;
      const shape = (descriptor.rowSchema as unknown as z.ZodObject).shape;
      const row = fc.tuple(...names.map((n) => columnField(shape[n] as z.ZodType)));
      let accepted = 0;
      fc.assert(
        fc.property(row, (fields) => {
          // Prepare
          const input = Object.fromEntries(names.map((n, c) => [n, fields[c]]));

          // Act
          const parsed = descriptor.rowSchema.safeParse(input);
          const read = readRow(descriptor.fieldReaders, fields);

          // Assess
          if (!parsed.success) expect(read).toBe(REJECTED);
          else {
            accepted++;
            expect(read).toEqual(names.map((n) => (parsed.data as Record<string, unknown>)[n]));
          }
        }),
        { numRuns: 3000 },
      );
      // Both sides of the question were asked often.
      expect(accepted).toBeGreaterThan(50);
      expect(accepted).toBeLessThan(3000 - 50);
    },
  );

  it('reads each field on its own: a rejected field rejects, the next call starts afresh', () => {
    // Prepare
    const read = fieldReader(amount.schema('pension_amount'));

    // Act & Assess
    expect(read('abc')).toBe(REJECTED);
    expect(read(' 12.5 ')).toBe(1250);
    expect(read(undefined)).toBe(REJECTED);
    expect(read('0')).toBe(0);
    expect(fieldReader(text.schema('name'))('\u3000张三 ')).toBe('张三');
  });

  it('parses with zod a schema that is not a plain transform of an optional string', () => {
    // Prepare
    const schemas: z.ZodType<unknown, string | undefined>[] = [
      z.string().min(2).optional(),
      z
        .string()
        .optional()
        .transform((s) => s?.trim())
        .refine((s) => s !== 'x'),
      z
        .string()
        .trim()
        .optional()
        .transform((s) => s?.length),
      z.string().optional().default('d'),
    ];

    // Act & Assess
    fc.assert(
      fc.property(fc.constantFrom(...schemas.keys()), rawField, (k, raw) => {
        const schema = schemas[k] as z.ZodType<unknown, string | undefined>;
        const parsed = schema.safeParse(raw);
        const read = fieldReader(schema)(raw);
        expect(read).toEqual(parsed.success ? parsed.data : REJECTED);
      }),
    );
  });
});
