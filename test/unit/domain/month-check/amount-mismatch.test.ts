import { describe, expect, it } from 'vitest';
import { checkMonth } from '#domain/month-check/check-month.ts';
import { monthInput, payee, registryFor, withCode } from './fixtures.ts';

describe('amountMismatch', () => {
  it('blocks a roster amount above the approved one, naming both', () => {
    // Prepare
    const row = payee({ amountFen: 120_000 });
    const registry = [registryFor(row, { approvedAmountFen: 118_000 })];

    // Act
    const findings = withCode(checkMonth(monthInput({ payees: [row], registry })), 'AMOUNT_MISMATCH');

    // Assess
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'BLOCK',
        detail:
          '核定金额 1180.00，名册金额 1200.00（reference/registry.csv 第 17 行） / registry approved 1180.00, roster 1200.00 (reference/registry.csv line 17)',
      }),
    ]);
  });

  it.each([
    [118_001, 118_000],
    [117_999, 118_000],
  ])('blocks a difference of one fen either way (%i vs %i)', (paid, approved) => {
    // Prepare
    const row = payee({ amountFen: paid });
    const registry = [registryFor(row, { approvedAmountFen: approved })];

    // Act
    const findings = withCode(checkMonth(monthInput({ payees: [row], registry })), 'AMOUNT_MISMATCH');

    // Assess
    expect(findings).toHaveLength(1);
  });
});
