import { describe, expect, it } from 'vitest';
import { checkMonth } from '#domain/month-check/check-month.ts';
import { monthInput, payee, registryFor, withCode } from './fixtures.ts';

describe('nameMismatch', () => {
  it('sends a differing name to review, naming both', () => {
    // Prepare
    const row = payee({ name: '张叁' });
    const registry = [registryFor(row, { name: '张三' })];

    // Act
    const findings = withCode(checkMonth(monthInput({ payees: [row], registry })), 'NAME_MISMATCH');

    // Assess
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'REVIEW',
        detail:
          '救助对象库姓名 张三，名册姓名 张叁（reference/registry.csv 第 17 行） / registry name 张三, roster 张叁 (reference/registry.csv line 17)',
      }),
    ]);
  });

  it('compares names after trimming, ideographic space included', () => {
    // Prepare
    const row = payee({ name: '张三' });
    const registry = [registryFor(row, { name: '\u3000张三 ' })];

    // Act
    const findings = checkMonth(monthInput({ payees: [row], registry }));

    // Assess
    expect(findings).toEqual([]);
  });
});
