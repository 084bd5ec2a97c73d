import { entryFor } from '#demo/model.ts';
import { exactly, single } from './person-tests.ts';
import { type Planter, rejectedFile } from './planter.ts';

/**
 * EXCLUSIVE_CATEGORIES: DIBAO in one town and TEKUN in another (the person's ELDERLY row, outside
 * the exclusive group, gets none), and DIBAO_EDGE with HARDSHIP in one roster; both approved.
 */
export function plantExclusiveCategories(p: Planter): void {
  const { rng } = p;
  const a = p.take(p.host(), exactly('DIBAO', 'ELDERLY'));
  if (a) {
    const home = p.hostOf(a);
    const away = p.other(home);
    const entry = entryFor(p.ctx(away), a.entry.person, 'TEKUN', 177000);
    entry.validTo = '';
    p.registry.push(entry);
    for (const r of p.rowsOf(a.entry.person))
      p.note(
        r,
        r.entry.category === 'ELDERLY'
          ? `DIBAO here and TEKUN in ${away.town.code}: ELDERLY is not in the exclusive group, no finding`
          : `DIBAO here and TEKUN in ${away.town.code}: EXCLUSIVE_CATEGORIES`,
      );
    p.addRow(
      away,
      entry,
      `TEKUN here and DIBAO in ${home.town.code} (both approved in the registry): EXCLUSIVE_CATEGORIES`,
    );
  }
  const b = p.take(p.host(), single('DIBAO_EDGE'));
  if (b) {
    const plan = p.hostOf(b);
    const entry = entryFor(p.ctx(plan), b.entry.person, 'HARDSHIP', rng.int(30, 150) * 1000);
    entry.validTo = '';
    p.registry.push(entry);
    p.note(b, 'DIBAO_EDGE and HARDSHIP in this roster: EXCLUSIVE_CATEGORIES');
    p.addRow(plan, entry, 'HARDSHIP and DIBAO_EDGE in this roster: EXCLUSIVE_CATEGORIES');
  }
}

/** A look-alike: a TEKUN row in the rejected roster of another town does not make a DIBAO payee's exclusive. */
export function plantExclusiveInRejectedFile(p: Planter): void {
  const rejected = p.rejected;
  if (!rejected) return;
  const b = p.take(p.host(), single('DIBAO'));
  if (b) {
    const entry = entryFor(p.ctx(rejected), b.entry.person, 'TEKUN', 177000);
    p.note(b, `TEKUN on ${rejectedFile(rejected)}: no EXCLUSIVE_CATEGORIES`);
    p.addRow(rejected, entry, 'TEKUN row of a DIBAO payee of another town in a rejected file: no finding');
  }
}
