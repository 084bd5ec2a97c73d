import { addMonths } from '#demo/people.ts';
import { insure, plantIncome } from './income-evidence.ts';
import { MEANS, single } from './person-tests.ts';
import type { Planter } from './planter.ts';

/**
 * EMPLOYED: contribution bases at and above the threshold this month and last month; the
 * look-alikes that get none (a fen under it, a record of two months before, an ELDERLY payee).
 */
export function plantEmployed(p: Planter): void {
  const { month } = p;
  const { insuranceNow, insuranceBefore } = p.records;
  const prev = addMonths(month, -1);
  const prev2 = addMonths(month, -2);
  plantIncome(p, [
    [
      single('DIBAO'),
      (x) => {
        insure(p, insuranceNow, x, month, 320000, 0);
        insure(p, insuranceBefore, x, prev, 320000, 0);
      },
      'contribution base 3200.00 this month and last month: EMPLOYED (once)',
    ],
    [
      single('DIBAO_EDGE', 'DIBAO'),
      (x) => insure(p, insuranceBefore, x, prev, 230000, 0),
      'contribution base exactly 2300.00 last month: EMPLOYED',
    ],
    [
      single('DIBAO'),
      (x) => insure(p, insuranceNow, x, month, 229999, 0),
      'contribution base 2299.99: no finding',
    ],
    [
      single('HARDSHIP', 'DIBAO'),
      (x) => insure(p, insuranceNow, x, prev2, 410000, 0),
      `contribution base 4100.00 for ${prev2} (two months before, back-dated in this month's file): no finding`,
    ],
    [
      single('ELDERLY'),
      (x) => insure(p, insuranceNow, x, month, 500000, 0),
      'contribution base 5000.00 of an ELDERLY payee (not means-tested): no finding',
    ],
  ]);
}

/**
 * Look-alikes: means-tested payees in flexible employment, their contribution base under the
 * threshold (some with a higher one two months before, which does not count).
 */
export function plantFlexibleEmployment(p: Planter): void {
  const { month, rng } = p;
  const { insuranceNow, insuranceBefore, insuranceEarlier } = p.records;
  const prev = addMonths(month, -1);
  const prev2 = addMonths(month, -2);
  for (let k = 0; k < 30; k++) {
    const r = p.take(p.host(), single(...MEANS));
    if (!r) break;
    const now = rng.chance(0.5);
    insure(
      p,
      now ? insuranceNow : insuranceBefore,
      r.entry.person,
      now ? month : prev,
      rng.int(190000, 229999),
      0,
      '灵活就业人员',
    );
    if (rng.chance(0.3)) insure(p, insuranceEarlier, r.entry.person, prev2, rng.int(230000, 600000), 0);
    p.note(r, 'contribution base under 2300.00 (flexible employment): no finding');
  }
}
