import { describe, expect, it } from 'vitest';
import { checkMonth } from '#domain/month-check/check-month.ts';
import { monthInput, payee, registryFor, withCode } from './fixtures.ts';

describe('townMismatch', () => {
  it('blocks a row paid by another town than the registry names', () => {
    // Prepare
    const row = payee({ town: 'dq02' });
    const registry = [registryFor(row, { town: 'shiqi' })];

    // Act
    const findings = withCode(checkMonth(monthInput({ payees: [row], registry })), 'TOWN_MISMATCH');

    // Assess
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'BLOCK',
        detail:
          '救助对象库镇街 shiqi，名册镇街 dq02（reference/registry.csv 第 17 行） / registry town shiqi, roster dq02 (reference/registry.csv line 17)',
      }),
    ]);
  });

  it('matches town codes case-insensitively, as codes do', () => {
    // Prepare
    const row = payee({ town: 'shiqi' });
    const registry = [registryFor(row, { town: 'SHIQI' })];

    // Act
    const findings = checkMonth(monthInput({ payees: [row], registry }));

    // Assess
    expect(findings).toEqual([]);
  });
});
