import { amountValue } from '#demo/model.ts';
import { yuanFixed } from '#demo/people.ts';
import { single } from './person-tests.ts';
import type { Planter } from './planter.ts';

/**
 * AMOUNT_MISMATCH: roster amounts 20.00 above and 0.01 below the approved one, and an amount
 * written differently (`1180.0`) but equal, which must give no finding.
 */
export function plantAmountMismatch(p: Planter): void {
  const { rng } = p;
  const up = p.take(p.host(), single('DIBAO', 'TEKUN', 'DIBAO_EDGE'));
  if (up) {
    up.values.amount = amountValue(p.hostOf(up).profile, up.entry.fen + 2000, rng);
    p.note(up, 'roster amount 20.00 above the approved amount: AMOUNT_MISMATCH');
  }
  const cent = p.take(p.host(), single('DIBAO', 'TEKUN', 'DIBAO_EDGE', 'HARDSHIP'));
  if (cent) {
    cent.values.amount = yuanFixed(cent.entry.fen - 1);
    p.note(cent, 'roster amount 0.01 below the approved amount: AMOUNT_MISMATCH');
  }
  const same = p.take(p.host(), single(), (r) => r.entry.fen % 100 === 0);
  if (same) {
    same.values.amount = `${same.entry.fen / 100}.0`;
    p.note(
      same,
      `roster amount ${same.values.amount} equals the approved ${yuanFixed(same.entry.fen)}: no finding`,
    );
  }
}
