import { describe, expect, it } from 'vitest';
import { keyFindings, visitCaseId } from '#domain/cases/case-key.ts';
import { townOfFinding } from '#domain/cases/case-town.ts';
import type { Finding } from '#schemas/finding.ts';

const f = (overrides: Partial<Finding>): Finding => ({
  month: '2026-11',
  batch: 'shiqi',
  row: 1,
  idNumber: '44200019600101001X',
  category: 'DIBAO',
  code: 'NAME_MISMATCH',
  severity: 'REVIEW',
  detail: 'd',
  ...overrides,
});

describe('keyFindings', () => {
  it('gives one case id per finding, stable across runs, without the ID number in it', () => {
    // Prepare: the two rows of one duplicate payment, and a finding of another code
    const findings = [
      f({ code: 'DUPLICATE_PAYMENT', severity: 'BLOCK', row: 3 }),
      f({ code: 'DUPLICATE_PAYMENT', severity: 'BLOCK', batch: 'dongqu', row: 9 }),
      f({ code: 'NAME_MISMATCH', row: 3 }),
    ];

    // Act
    const first = keyFindings(findings).map((k) => k.caseId);
    const again = keyFindings(findings).map((k) => k.caseId);

    // Assess
    expect(new Set(first).size).toBe(3);
    expect(again).toEqual(first);
    for (const id of first) {
      expect(id).toMatch(/^F-[0-9a-f]{16}$/);
      expect(id).not.toContain('442000');
    }
  });

  it('keys by (month, code, id_number, category): the row a finding moved to does not change the id', () => {
    // Act
    const [a] = keyFindings([f({ row: 3 })]);
    const [b] = keyFindings([f({ row: 40, batch: 'shiqi' })]);
    const [c] = keyFindings([f({ month: '2026-12' })]);

    // Assess
    expect(a?.caseId).toBe(b?.caseId);
    expect(c?.caseId).not.toBe(a?.caseId);
  });

  it('keys a visit by month, town and household', () => {
    // Act / Assess
    expect(visitCaseId('2026-11', 'shiqi', 'H0001')).toBe(visitCaseId('2026-11', 'shiqi', 'H0001'));
    expect(visitCaseId('2026-11', 'shiqi', 'H0001')).not.toBe(visitCaseId('2026-11', 'dongqu', 'H0001'));
    expect(visitCaseId('2026-11', 'shiqi', 'H0001')).toMatch(/^V-[0-9a-f]{16}$/);
  });
});

describe('townOfFinding', () => {
  it("assigns a row's finding to the office that uploaded it and MISSING_PAYMENT to the registry row's town", () => {
    // Prepare
    const missing = f({
      code: 'MISSING_PAYMENT',
      batch: '',
      detail:
        '救助对象库核定 低保（DIBAO）1180.00，镇街 dongqu，本月无有效发放行（reference/registry.csv 第 17 行） / registry approves DIBAO 1180.00 in town dongqu, no valid roster row this month (reference/registry.csv line 17)',
    });
    const { row: _row, ...withoutRow } = missing;

    // Act / Assess
    expect(townOfFinding(f({}))).toBe('shiqi');
    expect(townOfFinding(withoutRow)).toBe('dongqu');
  });
});
