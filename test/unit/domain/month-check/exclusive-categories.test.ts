import { describe, expect, it } from 'vitest';
import { checkMonth } from '#domain/month-check/check-month.ts';
import { keys, monthInput, payee, registeredInput, registryFor, withCode } from './fixtures.ts';

describe('exclusiveCategories', () => {
  it('blocks the exclusive-group rows of a person in two batches, not their other rows', () => {
    // Prepare
    const dibao = payee({ batch: 'shiqi', row: 3, category: 'DIBAO' });
    const tekun = payee({ batch: 'dq02', row: 5, category: 'TEKUN' });
    const temporary = payee({ batch: 'dq02', row: 6, category: 'TEMPORARY' });

    // Act
    const findings = checkMonth(registeredInput([dibao, tekun, temporary]));

    // Assess
    expect(keys(findings)).toEqual(['shiqi:3:EXCLUSIVE_CATEGORIES', 'dq02:5:EXCLUSIVE_CATEGORIES']);
    expect(findings.map((f) => f.detail)).toEqual([
      '同一人另领互斥类别 特困（TEKUN）dq02 第 5 行 / same ID also paid exclusive category TEKUN on dq02 row 5',
      '同一人另领互斥类别 低保（DIBAO）shiqi 第 3 行 / same ID also paid exclusive category DIBAO on shiqi row 3',
    ]);
    expect(findings[0]?.severity).toBe('BLOCK');
  });

  it('flags every row of the group, duplicates of one category included', () => {
    // Prepare
    const rows = [
      payee({ row: 1, category: 'DIBAO' }),
      payee({ row: 2, category: 'DIBAO' }),
      payee({ row: 3, category: 'HARDSHIP' }),
    ];

    // Act
    const findings = withCode(
      checkMonth(
        monthInput({
          payees: rows,
          registry: [registryFor(payee()), registryFor(payee({ category: 'HARDSHIP' }))],
        }),
      ),
      'EXCLUSIVE_CATEGORIES',
    );

    // Assess
    expect(findings.map((f) => f.row)).toEqual([1, 2, 3]);
  });

  it('does not flag one exclusive category with non-exclusive ones', () => {
    // Prepare
    const rows = [
      payee({ row: 1 }),
      payee({ row: 2, category: 'ELDERLY' }),
      payee({ row: 3, category: 'CHILD' }),
    ];

    // Act
    const findings = checkMonth(registeredInput(rows));

    // Assess
    expect(findings).toEqual([]);
  });
});
