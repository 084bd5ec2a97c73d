import { describe, expect, it } from 'vitest';
import { checkTotal, totalLabel, validAmountFen } from '#domain/roster-total.ts';

const total = (stated: string, validAmountsFen: number) => ({
  line: 40,
  label: '合计',
  stated,
  validAmountsFen,
});

describe('checkTotal', () => {
  it('accepts a stated total equal to the valid amounts, in any plain decimal form', () => {
    // Act & Assess
    expect(checkTotal(total('85632.50', 8_563_250))).toEqual({ kind: 'equal', statedFen: 8_563_250 });
    expect(checkTotal(total('85632.5', 8_563_250))).toEqual({ kind: 'equal', statedFen: 8_563_250 });
    expect(checkTotal(total('0.00', 0))).toEqual({ kind: 'equal', statedFen: 0 });
  });

  it('gives the difference of a wrong total, stated minus summed', () => {
    // Act & Assess
    expect(checkTotal(total('85732.50', 8_563_250))).toEqual({
      kind: 'different',
      statedFen: 8_573_250,
      differenceFen: 10_000,
    });
    expect(checkTotal(total('85632.49', 8_563_250))).toMatchObject({ differenceFen: -1 });
  });

  it('refuses a total with a thousands separator, a unit or 3 decimals: not the contract amount form', () => {
    // Act & Assess
    for (const stated of ['85,632.50', '85632.50元', '85632.500', '¥85632.50']) {
      expect(checkTotal(total(stated, 8_563_250)).kind, stated).toBe('unreadable');
    }
  });

  it('does not check a total line without an amount', () => {
    // Act & Assess
    expect(checkTotal(total('', 8_563_250))).toEqual({ kind: 'unstated' });
  });
});

describe('totalLabel', () => {
  it('looks no further than the first non-empty field', () => {
    // Act & Assess
    expect(totalLabel(['', '\u00a0', 'total', '合计'])).toBe('total');
    expect(totalLabel(['1', '合计'])).toBeUndefined();
    expect(totalLabel(['', ''])).toBeUndefined();
    expect(totalLabel([])).toBeUndefined();
  });
});

describe('validAmountFen', () => {
  it('counts a valid amount and nothing for an invalid, empty or absent one', () => {
    // Act & Assess
    expect(validAmountFen(['x', ' 650.5 '], { amount: 1 })).toBe(65_050);
    expect(validAmountFen(['x', '1,200'], { amount: 1 })).toBe(0);
    expect(validAmountFen(['x', '200000'], { amount: 1 })).toBe(0);
    expect(validAmountFen(['x'], { amount: 1 })).toBe(0);
    expect(validAmountFen(['x', '1'], {})).toBe(0);
  });
});
