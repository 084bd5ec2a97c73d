import { describe, expect, it } from 'vitest';
import { checkMonth } from '#domain/month-check/check-month.ts';
import {
  ACCOUNT_A,
  ID_A,
  ID_B,
  ID_C,
  keys,
  payee,
  proxyAccount,
  registeredInput,
  withCode,
} from './fixtures.ts';

describe('sharedAccount', () => {
  it('sends every row of an account shared by two households to review, naming the households', () => {
    // Prepare
    const rows = [
      payee({ row: 1, idNumber: ID_A, householdId: 'H001' }),
      payee({ row: 2, idNumber: ID_B, householdId: 'H002' }),
    ];

    // Act
    const findings = checkMonth(registeredInput(rows));

    // Assess
    expect(keys(findings)).toEqual(['shiqi:1:SHARED_ACCOUNT', 'shiqi:2:SHARED_ACCOUNT']);
    expect(findings[0]).toMatchObject({
      severity: 'REVIEW',
      detail: '账号 ****4567 由 2 户共用：H001、H002 / account ****4567 used by 2 households: H001, H002',
    });
  });

  it('exempts the payee whose proxy is filed for the account, not the other', () => {
    // Prepare
    const rows = [
      payee({ row: 1, idNumber: ID_A, householdId: 'H001' }),
      payee({ row: 2, idNumber: ID_B, householdId: 'H002' }),
    ];
    const proxyAccounts = [
      proxyAccount({ accountNumber: ACCOUNT_A, payeeIdNumber: ID_B, holderIdNumber: ID_A }),
    ];

    // Act
    const findings = withCode(
      checkMonth(registeredInput(rows, { 'proxy-accounts': proxyAccounts })),
      'SHARED_ACCOUNT',
    );

    // Assess
    expect(findings.map((f) => f.idNumber)).toEqual([ID_A]);
  });

  it('does not flag an account used by two people of one household', () => {
    // Prepare
    const rows = [payee({ row: 1, idNumber: ID_A }), payee({ row: 2, idNumber: ID_C })];

    // Act
    const findings = checkMonth(registeredInput(rows));

    // Assess
    expect(findings).toEqual([]);
  });

  it('takes the shared accounts as given: a partition sees a household it does not hold', () => {
    // Prepare
    const row = payee({ householdId: 'H001' });
    const sharedAccounts = new Map([[ACCOUNT_A, ['H001', 'H009']]]);

    // Act
    const findings = checkMonth(registeredInput([row], { sharedAccounts }));

    // Assess
    expect(keys(findings)).toEqual(['shiqi:1:SHARED_ACCOUNT']);
    expect(findings[0]?.detail).toContain('H001、H009');
  });
});
