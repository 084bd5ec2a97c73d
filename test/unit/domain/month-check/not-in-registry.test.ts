import { describe, expect, it } from 'vitest';
import { checkMonth } from '#domain/month-check/check-month.ts';
import { death, ID_A, keys, monthInput, payee, registryFor } from './fixtures.ts';

describe('notInRegistry', () => {
  it('blocks a row whose (id, category) has no registry row', () => {
    // Prepare
    const row = payee();

    // Act
    const findings = checkMonth(monthInput({ payees: [row] }));

    // Assess
    expect(findings).toEqual([
      {
        month: '2026-10',
        batch: 'shiqi',
        row: 1,
        idNumber: ID_A,
        category: 'DIBAO',
        code: 'NOT_IN_REGISTRY',
        severity: 'BLOCK',
        detail:
          '救助对象库无此人低保（DIBAO）记录（reference/registry.csv） / no registry row for this ID in DIBAO (reference/registry.csv)',
      },
    ]);
  });

  it('names the categories the registry holds for the person, and skips the other registry checks', () => {
    // Prepare
    const row = payee({ category: 'TEKUN', amountFen: 1, town: 'dq02', name: '李四' });
    const registry = [registryFor(payee(), { status: 'SUSPENDED' })];

    // Act
    const findings = checkMonth(monthInput({ payees: [row], registry }));

    // Assess
    expect(keys(findings)).toEqual(['shiqi:1:NOT_IN_REGISTRY']);
    expect(findings[0]?.detail).toContain('库中有低保（DIBAO）');
    expect(findings[0]?.detail).toContain('registry has DIBAO');
  });

  it('still applies the partner checks: the other registry checks only are skipped', () => {
    // Prepare
    const row = payee();

    // Act
    const findings = checkMonth(monthInput({ payees: [row], deaths: [death()] }));

    // Assess
    expect(keys(findings)).toEqual(['shiqi:1:NOT_IN_REGISTRY', 'shiqi:1:DECEASED']);
  });

  it('gives nothing for a row matching its registry row', () => {
    // Prepare
    const row = payee();

    // Act
    const findings = checkMonth(monthInput({ payees: [row], registry: [registryFor(row)] }));

    // Assess
    expect(findings).toEqual([]);
  });
});
