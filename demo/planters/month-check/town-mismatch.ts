import { single } from './person-tests.ts';
import type { Planter } from './planter.ts';

/** TOWN_MISMATCH: two payees whose case the registry has in another town (moved, not transferred). */
export function plantTownMismatch(p: Planter): void {
  const { rng } = p;
  for (let k = 0; k < 2; k++) {
    const row = p.take(p.host(), single());
    if (!row) continue;
    const towns = p.plans.map((x) => x.town).filter((t) => t !== row.entry.town);
    const moved = towns.length > 0 ? rng.pick(towns) : undefined;
    if (!moved) continue;
    row.entry.town = moved;
    p.note(
      row,
      `the registry has the case in ${moved.code} (moved; the case was not transferred): TOWN_MISMATCH`,
    );
  }
}
