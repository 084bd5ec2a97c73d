import { addMonths } from '#demo/people.ts';
import { insure, plantIncome } from './income-evidence.ts';
import { mixed, single } from './person-tests.ts';
import type { Planter } from './planter.ts';

/**
 * PENSION_INCOME: pensions at and above the threshold this month and last month, one on the
 * same record as a contribution base over its threshold (EMPLOYED too), one for a person with a
 * means-tested and another row (the means-tested row only); the look-alike a fen under it.
 */
export function plantPensionIncome(p: Planter): void {
  const { month } = p;
  const { insuranceNow, insuranceBefore } = p.records;
  const prev = addMonths(month, -1);
  plantIncome(p, [
    [
      single('TEKUN', 'DIBAO'),
      (x) => insure(p, insuranceNow, x, month, 0, 150000),
      'pension exactly 1500.00: PENSION_INCOME',
    ],
    [
      single('DIBAO'),
      (x) => insure(p, insuranceBefore, x, prev, 0, 182050),
      'pension 1820.50 last month: PENSION_INCOME',
    ],
    [single('DIBAO'), (x) => insure(p, insuranceNow, x, month, 0, 149999), 'pension 1499.99: no finding'],
    [
      single('DIBAO_EDGE', 'DIBAO'),
      (x) => insure(p, insuranceNow, x, month, 260000, 160000),
      'contribution base 2600.00 and pension 1600.00 on one record: EMPLOYED and PENSION_INCOME',
    ],
    [
      mixed,
      (x) => insure(p, insuranceNow, x, month, 0, 210000),
      'pension 2100.00: PENSION_INCOME on the means-tested row only',
    ],
  ]);
}

/** Look-alikes: pensions over the threshold of payees whose allowances are not means-tested. */
export function plantPensionsWithoutMeansTest(p: Planter): void {
  const { month, rng } = p;
  const { insuranceNow, insuranceBefore } = p.records;
  const prev = addMonths(month, -1);
  for (let k = 0; k < 60; k++) {
    const r = p.take(p.host(), (rows) =>
      rows.every((x) => x.entry.category === 'ELDERLY' || x.entry.category === 'DISABILITY_LIVING'),
    );
    if (!r) break;
    const pension = rng.int(150000, 450000);
    insure(p, insuranceNow, r.entry.person, month, 0, pension);
    insure(p, insuranceBefore, r.entry.person, prev, 0, pension);
    for (const x of p.rowsOf(r.entry.person))
      p.note(x, 'pension over 1500.00 on a non-means-tested allowance: no finding');
  }
}
