import type { TownPlan } from '#demo/model.ts';
import type { Rng } from '#demo/people.ts';

/**
 * Blank records, which are skipped and get no finding: empty lines and lines of separators only
 * in some CSV rosters (one at the very end), empty sheet rows in the XLSX one.
 */
export function addBlankRecords(plans: TownPlan[], rng: Rng): void {
  for (const plan of plans) {
    if (plan.role === 'junk' || (plan.index % 3 !== 1 && plan.role !== 'xlsx' && plan.role !== 'gb18030'))
      continue;
    const count = rng.int(1, 2);
    for (let k = 0; k < count; k++) {
      const at = rng.int(1, plan.recs.length - 1);
      plan.recs.splice(at, 0, { kind: 'blank', style: rng.chance(0.5) ? 'empty' : 'commas' });
    }
    if (plan.index % 6 === 1 && plan.role === 'csv') plan.recs.push({ kind: 'blank', style: 'empty' });
  }
}
