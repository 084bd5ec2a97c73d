import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField, csvLine } from '#formats/csv-writer.ts';
import { unguardFormula } from '#schemas/spreadsheet-formula.ts';

/** What a spreadsheet runs as a formula (contract 4), told apart from a plain decimal number. */
const STARTS_FORMULA = /^[=+\-@\t\r]/;
const PLAIN_DECIMAL = /^[+-]?\d+(\.\d+)?$/;

const guardedAfterQuote = (value: string) =>
  STARTS_FORMULA.test(value.slice(1)) && !PLAIN_DECIMAL.test(value.slice(1));

/** The fields of one CSV line as an RFC 4180 reader (csv-parse) gives them back. */
function readBack(line: string): string[] {
  const [record] = parse(line, { relax_column_count: true }) as string[][];
  return record ?? [];
}

/** Text that often begins with a formula character, a number or quoting trouble. */
const field = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc
    .tuple(
      fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '"', ',', "'", "'=", "'-1", ' ', ''),
      fc.string({ unit: 'binary' }),
    )
    .map(([first, rest]) => first + rest),
  fc
    .tuple(
      fc.constantFrom('', '+', '-'),
      fc.stringMatching(/^\d{1,6}(\.\d{1,4})?$/),
      fc.constantFrom('', 'e5', '+1', ')'),
    )
    .map(([sign, digits, tail]) => sign + digits + tail),
);

describe('csvField', () => {
  it.each([
    ['=1+2', "'=1+2"],
    ['+1+2', "'+1+2"],
    ['-1+2', "'-1+2"],
    ['@SUM(1)', "'@SUM(1)"],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
    ['-', "'-"],
    ['-.5', "'-.5"],
    ['-1e5', "'-1e5"],
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
  ])('writes %j, which a spreadsheet would run, as %j', (value, written) => {
    // Act & Assess
    expect(csvField(value)).toBe(written);
  });

  it.each([['-0.25'], ['+5'], ['12'], ['-3.50'], ['2026-10-shiqi-000012'], ["'=1"], [' =1'], ['张三'], ['']])(
    'keeps %j as it is: a plain decimal, or no formula character first',
    (value) => {
      // Act & Assess
      expect(csvField(value)).toBe(value);
    },
  );

  it('writes numbers, negative ones included, as they are', () => {
    // Act & Assess
    expect(csvLine([-0.25, 3, undefined, -12])).toBe('-0.25,3,,-12\r\n');
  });

  it('never writes a field a spreadsheet would start a formula with, and reads back to the value', () => {
    // Act & Assess
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 6 }), (values) => {
        const fields = readBack(csvLine(values));
        expect(fields).toHaveLength(values.length);
        values.forEach((value, i) => {
          const written = fields[i] ?? '';
          expect(STARTS_FORMULA.test(written) && !PLAIN_DECIMAL.test(written)).toBe(false);
          // Exactly one `'` added, and only where the value would have started a formula.
          const guarded = STARTS_FORMULA.test(value) && !PLAIN_DECIMAL.test(value);
          expect(written).toBe(guarded ? `'${value}` : value);
          // A reader gets the value back, except one that itself began with `'` before a formula
          // (written as it is, so it reads like a guarded one: the contract adds nothing to it).
          if (!(value.startsWith("'") && guardedAfterQuote(value)))
            expect(unguardFormula(written)).toBe(value);
        });
      }),
      { numRuns: 2000 },
    );
  });
});
