import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spreadsheetShownNumber } from '#formats/shown-number.ts';

describe('spreadsheetShownNumber', () => {
  it.each([
    ['85632.499999999985', '85632.5'],
    ['1830.3000000000002', '1830.3'],
    ['0.30000000000000004', '0.3'],
    ['8.5632500000000001E4', '85632.5'],
    ['85632.505', '85632.505'],
    ['85632.50', '85632.50'],
    ['85632', '85632'],
    ['1,200', '1,200'],
    ['', ''],
    ['合计', '合计'],
    ['1E+21', '1E+21'],
  ])('shows %s as %s', (stored, shown) => {
    // Act & Assess
    expect(spreadsheetShownNumber(stored)).toBe(shown);
  });

  it('shows the sum of amounts with 2 decimals, added as doubles, as their exact decimal sum', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 1, maxLength: 3000 }),
        (fens) => {
          // Prepare: what a spreadsheet caches for =SUM() of the amounts
          const cached = fens.reduce((sum, fen) => sum + fen / 100, 0);
          const exact = fens.reduce((sum, fen) => sum + fen, 0);

          // Act
          const shown = spreadsheetShownNumber(String(cached));

          // Assess
          expect(Math.round(Number(shown) * 100)).toBe(exact);
          expect(shown).toMatch(/^\d+(?:\.\d{1,2})?$/);
        },
      ),
      { numRuns: 200 },
    );
  });
});
