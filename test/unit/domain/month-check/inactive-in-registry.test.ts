import { describe, expect, it } from 'vitest';
import { checkMonth } from '#domain/month-check/check-month.ts';
import { isValidInMonth } from '#domain/month-check/inactive-in-registry.ts';
import type { RegistryRow } from '#domain/month-check/records.ts';
import { monthInput, payee, registryFor, withCode } from './fixtures.ts';

const inactive = (overrides: Partial<RegistryRow>) => {
  const row = payee();
  return withCode(
    checkMonth(monthInput({ payees: [row], registry: [registryFor(row, overrides)] })),
    'INACTIVE_IN_REGISTRY',
  );
};

describe('inactiveInRegistry', () => {
  it.each(['SUSPENDED', 'TERMINATED'] as const)('blocks a %s registry row, citing its line', (status) => {
    // Act
    const findings = inactive({ status });

    // Assess
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'INACTIVE_IN_REGISTRY',
        severity: 'BLOCK',
        detail: `救助对象库状态 ${status}（reference/registry.csv 第 17 行） / registry status ${status} (reference/registry.csv line 17)`,
      }),
    ]);
  });

  it.each([
    ['valid_to equal to the month', '2025-01', '2026-10'],
    ['valid_from equal to the month', '2026-10', ''],
    ['both ends open', '', ''],
    ['an open start', '', '2026-12'],
  ])('accepts %s', (_, validFrom, validTo) => {
    // Act
    const findings = inactive({ validFrom, validTo });

    // Assess
    expect(findings).toEqual([]);
  });

  it.each([
    [
      'valid_from after the month',
      '2026-11',
      '',
      '有效期 2026-11 至 长期，不含 2026-10',
      'valid 2026-11 to open, not 2026-10',
    ],
    [
      'valid_to before the month',
      '',
      '2026-09',
      '有效期 不限 至 2026-09，不含 2026-10',
      'valid open to 2026-09, not 2026-10',
    ],
  ])('blocks %s', (_, validFrom, validTo, zh, en) => {
    // Act
    const findings = inactive({ validFrom, validTo });

    // Assess
    expect(findings.map((f) => f.detail)).toEqual([
      `救助对象库${zh}（reference/registry.csv 第 17 行） / registry ${en} (reference/registry.csv line 17)`,
    ]);
  });

  it('names both reasons when the row is suspended and out of its window', () => {
    // Act
    const findings = inactive({ status: 'SUSPENDED', validTo: '2026-01' });

    // Assess
    expect(findings[0]?.detail).toContain('状态 SUSPENDED，有效期 2025-01 至 2026-01');
    expect(findings[0]?.detail).toContain('status SUSPENDED, valid 2025-01 to 2026-01');
  });

  it('still runs the other registry checks on an inactive row', () => {
    // Prepare
    const row = payee();
    const registry = [registryFor(row, { status: 'SUSPENDED', approvedAmountFen: 100_000 })];

    // Act
    const codes = checkMonth(monthInput({ payees: [row], registry })).map((f) => f.code);

    // Assess
    expect(codes).toEqual(['INACTIVE_IN_REGISTRY', 'AMOUNT_MISMATCH']);
  });

  it('compares months across a year end', () => {
    // Prepare
    const entry = registryFor(payee(), { validFrom: '2025-12', validTo: '2026-01' });

    // Act
    const results = ['2025-11', '2025-12', '2026-01', '2026-02'].map((m) => isValidInMonth(entry, m));

    // Assess
    expect(results).toEqual([false, true, true, false]);
  });
});
