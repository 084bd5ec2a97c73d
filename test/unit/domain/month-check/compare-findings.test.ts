import { describe, expect, it } from 'vitest';
import { compareFindings } from '#domain/month-check/compare-findings.ts';
import type { Finding } from '#schemas/finding.ts';
import { CHECK_SEVERITIES, FINDING_CODE_ORDER } from '#schemas/finding-codes.ts';
import { ID_A, ID_B } from './fixtures.ts';

const finding = (overrides: Partial<Finding>): Finding => ({
  month: '2026-10',
  batch: 'shiqi',
  row: 1,
  idNumber: ID_A,
  category: 'DIBAO',
  code: 'NOT_IN_REGISTRY',
  severity: 'BLOCK',
  detail: '',
  ...overrides,
});

const label = (f: Finding) => `${f.batch}|${f.row ?? ''}|${f.code}|${f.idNumber ?? ''}|${f.category ?? ''}`;

describe('compareFindings', () => {
  it('orders by batch, file-level first, then row, then code in contract order; missing payments last', () => {
    // Prepare
    const expected = [
      finding({
        batch: 'dq02',
        row: undefined,
        idNumber: undefined,
        category: undefined,
        code: 'EMPTY_FILE',
      }),
      finding({ batch: 'dq02', row: 2, code: 'INVALID_ID' }),
      finding({ batch: 'dq02', row: 2, code: 'WRONG_MONTH' }),
      finding({ batch: 'dq02', row: 10, code: 'NOT_IN_REGISTRY' }),
      finding({ batch: 'shiqi', row: 1, code: 'AMOUNT_MISMATCH' }),
      finding({ batch: 'shiqi', row: 1, code: 'DECEASED' }),
      finding({ batch: 'shiqi', row: 1, code: 'PENSION_INCOME' }),
      finding({ batch: '', row: undefined, idNumber: ID_B, category: 'DIBAO', code: 'MISSING_PAYMENT' }),
      finding({ batch: '', row: undefined, idNumber: ID_B, category: 'TEKUN', code: 'MISSING_PAYMENT' }),
      finding({ batch: '', row: undefined, idNumber: ID_A.replace('44', '45'), code: 'MISSING_PAYMENT' }),
    ];
    const shuffled = [...expected].reverse();
    shuffled.push(...shuffled.splice(0, 4));

    // Act
    const sorted = shuffled.sort(compareFindings);

    // Assess
    expect(sorted.map(label)).toEqual(expected.map(label));
  });

  it('compares rows as numbers and batches by code unit', () => {
    // Prepare
    const findings = [
      finding({ batch: 'b', row: 10 }),
      finding({ batch: 'b', row: 9 }),
      finding({ batch: 'a-2', row: 1 }),
      finding({ batch: 'a', row: 1 }),
    ];

    // Act
    const sorted = findings.sort(compareFindings);

    // Assess
    expect(sorted.map((f) => `${f.batch}:${f.row}`)).toEqual(['a:1', 'a-2:1', 'b:9', 'b:10']);
  });

  it('is a total order: equal only for equal findings', () => {
    // Prepare
    const a = finding({ detail: 'a' });
    const b = finding({ detail: 'b' });

    // Act
    const results = [compareFindings(a, b), compareFindings(b, a), compareFindings(a, { ...a })];

    // Assess
    expect(results).toEqual([-1, 1, 0]);
  });

  it('exports the contract order of every code: 3.1, 3.2, then the 3.3 table', () => {
    // Assess
    expect(FINDING_CODE_ORDER.slice(0, 5)).toEqual([
      'UNREADABLE_FILE',
      'MISSING_COLUMNS',
      'EMPTY_FILE',
      'TOTAL_MISMATCH',
      'INVALID_ID',
    ]);
    expect(FINDING_CODE_ORDER.slice(-17)).toEqual(Object.keys(CHECK_SEVERITIES));
    expect(FINDING_CODE_ORDER.at(-1)).toBe('MISSING_PAYMENT');
  });
});
