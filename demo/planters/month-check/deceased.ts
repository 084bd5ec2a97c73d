import type { Person, TownPlan } from '#demo/model.ts';
import { addMonths } from '#demo/people.ts';
import { dayOf, daysIn } from './month-days.ts';
import { both, exactly, single } from './person-tests.ts';
import type { Planter } from './planter.ts';

const FUNERAL_HOMES = ['中山市殡仪馆', '中山市小榄殡仪服务站', '中山市坦洲殡仪服务站'] as const;
const OFFICE_SUFFIX = '派出所';

/**
 * DECEASED and DIED_IN_MONTH (one rule split by date, as in `domain/month-check/deceased.ts`):
 * deaths and cremations before the month (in one or both death files, or a cremation alone; the
 * earliest date counts), on its first day and inside it; the look-alikes that get none (the day
 * after the month, an impossible date, a cremation dated "unknown"); and the deaths of people on
 * no roster that fill the files.
 */
export function plantDeaths(p: Planter): void {
  const { month, rng } = p;
  const { deathsBefore, deathsNow, cremations } = p.records;
  const prev = addMonths(month, -1);
  const office = (plan: TownPlan) => `${plan.town.name.replace(/(街道|镇|开发区)$/, '')}${OFFICE_SUFFIX}`;
  const death = (into: string[][], person: Person, date: string, plan?: TownPlan) =>
    into.push(
      into === deathsBefore
        ? [person.id, person.name, date, plan ? office(plan) : `石岐${OFFICE_SUFFIX}`]
        : [person.id, person.name, date],
    );
  const cremation = (person: Person, date: string) =>
    cremations.push([person.id, person.name, date, rng.pick(FUNERAL_HOMES)]);
  const a = p.take(p.host(), both(exactly('DIBAO', 'ELDERLY')));
  if (a) {
    const date = dayOf(month, -20);
    death(deathsBefore, a.entry.person, date, p.hostOf(a));
    death(deathsNow, a.entry.person, date);
    for (const r of p.rowsOf(a.entry.person))
      p.note(r, `died ${date} (last month), in both death files: every row of the person is DECEASED`);
  }
  const b = p.take(p.host(), single('ELDERLY'));
  if (b) {
    const date = dayOf(month, -9);
    cremation(b.entry.person, date);
    p.note(b, `only a cremation record (${date}, before the month): DECEASED`);
  }
  const cc = p.take(p.host(), single());
  if (cc) {
    const died = dayOf(month, 5);
    const cremated = dayOf(month, -1);
    death(deathsNow, cc.entry.person, died);
    cremation(cc.entry.person, cremated);
    p.note(
      cc,
      `death record says ${died} but the cremation was ${cremated}: the earliest date (before the month) counts, DECEASED`,
    );
  }
  const d = p.take(p.host(), single());
  if (d) {
    const date = dayOf(month, -1);
    death(deathsNow, d.entry.person, date);
    p.note(d, `died ${date}, the last day of the previous month, registered late: DECEASED`);
  }
  const e = p.take(p.host(), single());
  if (e) {
    const date = dayOf(month, 0);
    death(deathsNow, e.entry.person, date);
    p.note(e, `died ${date}, the first day of the month: DIED_IN_MONTH`);
  }
  const f = p.take(p.host(), single());
  if (f) {
    const died = dayOf(month, 14);
    death(deathsNow, f.entry.person, died);
    cremation(f.entry.person, dayOf(month, 17));
    p.note(f, `died ${died}, cremated three days later: DIED_IN_MONTH`);
  }
  const g = p.take(p.host(), single());
  if (g) {
    const date = dayOf(month, daysIn(month));
    death(deathsNow, g.entry.person, date);
    p.note(g, `death record dated ${date}, the day after the month: no finding`);
  }
  const h = p.take(p.host(), single());
  if (h) {
    const date = `${month.slice(0, 4)}-02-30`;
    death(deathsNow, h.entry.person, date);
    p.note(h, `death record with the impossible date ${date}: skipped, no finding`);
  }
  const i = p.take(p.host(), single());
  if (i) {
    cremations.push([i.entry.person.id, i.entry.person.name, 'unknown', rng.pick(FUNERAL_HOMES)]);
    p.note(i, 'cremation record dated "unknown": skipped, no finding');
  }
  // Noise: people on no roster.
  for (let k = 0; k < 160; k++) {
    const s = p.stranger(55, 100);
    const date = dayOf(prev, rng.int(0, daysIn(prev) - 1));
    death(deathsBefore, s, date, rng.pick(p.plans));
    if (rng.chance(0.5)) cremation(s, dayOf(prev, rng.int(0, daysIn(prev) + 3)));
  }
  for (let k = 0; k < 160; k++) {
    const s = p.stranger(55, 100);
    const day = rng.int(-6, Math.min(17, daysIn(month) - 5));
    death(deathsNow, s, dayOf(month, day));
    if (rng.chance(0.6)) cremation(s, dayOf(month, day + rng.int(2, 5)));
  }
  for (let k = 0; k < 20; k++) cremation(p.stranger(60, 100), dayOf(month, rng.int(-20, 15)));
  // Registry recipients who are on no roster (suspended after the death).
  for (const extra of p.extras.filter((x) => x.status === 'SUSPENDED').slice(0, 3))
    death(deathsBefore, extra.person, dayOf(prev, rng.int(0, 20)), rng.pick(p.plans));
}
