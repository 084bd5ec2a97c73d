import { describe, expect, it } from 'vitest';
import { checkMonth } from '#domain/month-check/check-month.ts';
import { ID_B, keys, monthInput, payee, registeredInput, registryFor, withCode } from './fixtures.ts';

describe('duplicatePayment', () => {
  it('blocks every row of one (id, category), each naming the other', () => {
    // Prepare
    const first = payee({ batch: 'shiqi', row: 3 });
    const second = payee({ batch: 'dq02', row: 4 });

    // Act
    const findings = withCode(
      checkMonth(monthInput({ payees: [first, second], registry: [registryFor(first)] })),
      'DUPLICATE_PAYMENT',
    );

    // Assess
    expect(findings).toEqual([
      expect.objectContaining({
        batch: 'shiqi',
        row: 3,
        severity: 'BLOCK',
        detail: '同一人同一类别另见 dq02 第 4 行 / same ID and category also on dq02 row 4',
      }),
      expect.objectContaining({
        batch: 'dq02',
        row: 4,
        detail: '同一人同一类别另见 shiqi 第 3 行 / same ID and category also on shiqi row 3',
      }),
    ]);
  });

  it('flags the same person in two towns, and the wrong town too', () => {
    // Prepare
    const home = payee({ batch: 'shiqi', row: 1, town: 'shiqi' });
    const elsewhere = payee({ batch: 'dq02', row: 1, town: 'dq02' });

    // Act
    const findings = checkMonth(monthInput({ payees: [home, elsewhere], registry: [registryFor(home)] }));

    // Assess
    expect(keys(findings)).toEqual([
      'shiqi:1:DUPLICATE_PAYMENT',
      'dq02:1:TOWN_MISMATCH',
      'dq02:1:DUPLICATE_PAYMENT',
    ]);
  });

  it('blocks DIBAO twice as a duplicate, not as exclusive categories', () => {
    // Prepare
    const rows = [payee({ row: 1 }), payee({ row: 2 })];

    // Act
    const codes = checkMonth(monthInput({ payees: rows, registry: [registryFor(payee())] })).map(
      (f) => f.code,
    );

    // Assess
    expect(codes).toEqual(['DUPLICATE_PAYMENT', 'DUPLICATE_PAYMENT']);
  });

  it('does not flag one person in two categories, nor two people in one', () => {
    // Prepare
    const rows = [
      payee({ row: 1, category: 'ELDERLY' }),
      payee({ row: 2 }),
      payee({ row: 3, idNumber: ID_B }),
    ];

    // Act
    const findings = withCode(checkMonth(registeredInput(rows)), 'DUPLICATE_PAYMENT');

    // Assess
    expect(findings).toEqual([]);
  });

  it('lists at most five other rows, then counts them', () => {
    // Prepare
    const rows = Array.from({ length: 8 }, (_, i) => payee({ row: i + 1 }));

    // Act
    const findings = withCode(checkMonth(registeredInput(rows)), 'DUPLICATE_PAYMENT');

    // Assess
    expect(findings).toHaveLength(8);
    expect(findings[0]?.detail).toBe(
      '同一人同一类别另见 shiqi 第 2 行、shiqi 第 3 行、shiqi 第 4 行、shiqi 第 5 行、shiqi 第 6 行 等，共 8 行 / same ID and category also on shiqi row 2, shiqi row 3, shiqi row 4, shiqi row 5, shiqi row 6 (8 rows in all)',
    );
  });
});
