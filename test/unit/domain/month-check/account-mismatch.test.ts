import { describe, expect, it } from 'vitest';
import { checkMonth } from '#domain/month-check/check-month.ts';
import { ACCOUNT_A, ACCOUNT_B, monthInput, payee, registryFor, withCode } from './fixtures.ts';

describe('accountMismatch', () => {
  it('blocks a row paid to another account than the registry names, showing only the last digits', () => {
    // Prepare
    const row = payee({ accountNumber: ACCOUNT_B });
    const registry = [registryFor(row, { accountNumber: ACCOUNT_A })];

    // Act
    const findings = withCode(checkMonth(monthInput({ payees: [row], registry })), 'ACCOUNT_MISMATCH');

    // Assess
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'BLOCK',
        detail:
          '救助对象库账号 ****4567，名册账号 ****6543（reference/registry.csv 第 17 行） / registry account ****4567, roster ****6543 (reference/registry.csv line 17)',
      }),
    ]);
    expect(findings[0]?.detail).not.toContain(ACCOUNT_A);
  });
});
