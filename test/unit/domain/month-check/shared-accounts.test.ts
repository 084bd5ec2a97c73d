import { describe, expect, it } from 'vitest';
import { sharedAccounts } from '#domain/month-check/shared-accounts.ts';
import { ACCOUNT_A, ACCOUNT_B, ID_A, ID_B, payee } from './fixtures.ts';

describe('sharedAccounts', () => {
  it('maps each account of two or more households to its sorted distinct households', () => {
    // Prepare
    const rows = [
      payee({ row: 1, householdId: 'H9' }),
      payee({ row: 2, householdId: 'H1', idNumber: ID_B }),
      payee({ row: 3, householdId: 'H9', batch: 'dq02' }),
      payee({ row: 4, householdId: 'H5', idNumber: ID_B }),
      payee({ row: 5, householdId: 'H3', accountNumber: ACCOUNT_B }),
      payee({ row: 6, householdId: 'H3', accountNumber: ACCOUNT_B, idNumber: ID_A }),
    ];

    // Act
    const shared = sharedAccounts(rows);

    // Assess
    expect(shared).toEqual(new Map([[ACCOUNT_A, ['H1', 'H5', 'H9']]]));
  });

  it('treats household ids as identifiers: letter case makes another household', () => {
    // Prepare
    const rows = [payee({ householdId: 'h001' }), payee({ row: 2, householdId: 'H001' })];

    // Act
    const shared = sharedAccounts(rows);

    // Assess
    expect(shared.get(ACCOUNT_A)).toEqual(['H001', 'h001']);
  });

  it('gives an empty map for no rows', () => {
    // Act
    const shared = sharedAccounts([]);

    // Assess
    expect(shared.size).toBe(0);
  });
});
