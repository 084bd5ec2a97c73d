import { describe, expect, it } from 'vitest';
import { checkMonth } from '#domain/month-check/check-month.ts';
import type { RegistryRow } from '#domain/month-check/records.ts';
import { ID_A, ID_B, keys, monthInput, payee, registryFor, withCode } from './fixtures.ts';

const registered = (overrides: Partial<RegistryRow> = {}) =>
  registryFor(payee({ idNumber: ID_B }), overrides);

describe('missingPayment', () => {
  it('reports an active registry row without a roster row, with no batch and row', () => {
    // Prepare
    const registry = [registered({ line: 9 })];

    // Act
    const findings = checkMonth(monthInput({ registry }));

    // Assess
    expect(findings).toEqual([
      {
        month: '2026-10',
        batch: '',
        idNumber: ID_B,
        category: 'DIBAO',
        code: 'MISSING_PAYMENT',
        severity: 'REVIEW',
        detail:
          '救助对象库核定 低保（DIBAO）1180.00，镇街 shiqi，本月无有效发放行（reference/registry.csv 第 9 行） / registry approves DIBAO 1180.00 in town shiqi, no valid roster row this month (reference/registry.csv line 9)',
      },
    ]);
  });

  it.each<[string, Partial<RegistryRow>]>([
    ['SUSPENDED', { status: 'SUSPENDED' }],
    ['TERMINATED', { status: 'TERMINATED' }],
    ['valid from a later month', { validFrom: '2026-11' }],
    ['valid until an earlier month', { validTo: '2026-09' }],
  ])('reports nothing for a registry row %s', (_, overrides) => {
    // Act
    const findings = checkMonth(monthInput({ registry: [registered(overrides)] }));

    // Assess
    expect(findings).toEqual([]);
  });

  it('reports the registry category when the person is paid in another one only', () => {
    // Prepare
    const row = payee({ category: 'ELDERLY' });
    const registry = [registryFor(row), registryFor(payee(), { category: 'DIBAO' })];

    // Act
    const findings = checkMonth(monthInput({ payees: [row], registry }));

    // Assess
    expect(findings).toEqual([
      expect.objectContaining({ code: 'MISSING_PAYMENT', idNumber: ID_A, category: 'DIBAO' }),
    ]);
  });

  it('reports nothing for a paid row, even a mismatching one', () => {
    // Prepare
    const row = payee({ amountFen: 1 });

    // Act
    const findings = checkMonth(
      monthInput({ payees: [row], registry: [registryFor(row, { approvedAmountFen: 2 })] }),
    );

    // Assess
    expect(keys(findings)).toEqual(['shiqi:1:AMOUNT_MISMATCH']);
  });

  it('reports an (id, category) once even when the registry repeats it', () => {
    // Prepare
    const registry = [registered({ line: 3 }), registered({ line: 4 })];

    // Act
    const findings = withCode(checkMonth(monthInput({ registry })), 'MISSING_PAYMENT');

    // Assess
    expect(findings).toHaveLength(1);
    expect(findings[0]?.detail).toContain('第 3 行');
  });
});
