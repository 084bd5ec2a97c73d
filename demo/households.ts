import type { CategoryCode } from '#schemas/categories.ts';
import { type Entry, elderlyFen, entryFor, type MakeContext, newPerson } from './model.ts';
import { ageAt, surnameOf, Weighted } from './people.ts';

const HOUSEHOLD_KINDS = new Weighted([
  ['means', 55],
  ['tekun', 8],
  ['elderly', 17],
  ['disability', 8],
  ['child', 4],
  ['temporary', 8],
] as const);
const MEANS_GROUPS = new Weighted<CategoryCode>([
  ['DIBAO', 70],
  ['DIBAO_EDGE', 20],
  ['HARDSHIP', 10],
]);
const HOUSEHOLD_SIZES = new Weighted([
  [1, 30],
  [2, 30],
  [3, 25],
  [4, 15],
] as const);

/**
 * A town's approved recipients, household by household until `target` rows: means-tested
 * families (with elderly, disability and child allowances on top), TEKUN, elderly couples,
 * disability, children and temporary aid, with the amounts of the city's standards.
 */
export function makeEntries(ctx: MakeContext & { target: number }): Entry[] {
  const { rng, month, target } = ctx;
  const entries: Entry[] = [];
  let householdNo = 0;
  while (entries.length < target) {
    householdNo++;
    const household = `H${String(ctx.index + 1).padStart(2, '0')}${String(householdNo).padStart(6, '0')}`;
    const kind = rng.weighted(HOUSEHOLD_KINDS);
    switch (kind) {
      case 'means': {
        const group = rng.weighted(MEANS_GROUPS);
        const size = rng.weighted(HOUSEHOLD_SIZES);
        const fen =
          group === 'DIBAO'
            ? rng.chance(0.55)
              ? 118000
              : rng.chance(0.5)
                ? rng.int(30, 118) * 1000
                : rng.int(600, 2360) * 50
            : group === 'DIBAO_EDGE'
              ? rng.chance(0.5)
                ? 59000
                : rng.int(20, 59) * 1000
              : rng.int(30, 150) * 1000;
        const head = rng.chance(0.3) ? newPerson(ctx, household, 60, 92) : newPerson(ctx, household, 28, 70);
        const members = [head];
        const headAge = ageAt(head.birth, month);
        if (size >= 2)
          members.push(
            newPerson(
              ctx,
              household,
              Math.max(18, headAge - 6),
              Math.min(95, headAge + 4),
              undefined,
              !head.female,
            ),
          );
        for (let k = 2; k < size; k++) {
          members.push(
            headAge < 55 && rng.chance(0.8)
              ? newPerson(ctx, household, 0, 17, surnameOf(head.name))
              : newPerson(ctx, household, Math.min(headAge + 18, 80), 96, surnameOf(head.name)),
          );
        }
        for (const person of members) {
          entries.push(entryFor(ctx, person, group, fen));
          const age = ageAt(person.birth, month);
          if (age >= 80 && rng.chance(0.8)) entries.push(entryFor(ctx, person, 'ELDERLY', elderlyFen(age)));
          if (age >= 18 && rng.chance(0.08)) entries.push(entryFor(ctx, person, 'DISABILITY_LIVING', 19800));
          if (rng.chance(0.03))
            entries.push(entryFor(ctx, person, 'DISABILITY_CARE', rng.chance(0.6) ? 26400 : 19800));
          if (age < 18 && rng.chance(0.05)) entries.push(entryFor(ctx, person, 'CHILD', 190000, '困境儿童'));
        }
        break;
      }
      case 'tekun': {
        const disabled = rng.chance(0.2);
        const person = disabled ? newPerson(ctx, household, 18, 59) : newPerson(ctx, household, 60, 96);
        entries.push(entryFor(ctx, person, 'TEKUN', 177000));
        const age = ageAt(person.birth, month);
        if (age >= 80 && rng.chance(0.8)) entries.push(entryFor(ctx, person, 'ELDERLY', elderlyFen(age)));
        if (disabled) entries.push(entryFor(ctx, person, 'DISABILITY_CARE', 26400));
        break;
      }
      case 'elderly': {
        const first = newPerson(ctx, household, 80, 101);
        const members = [first];
        if (rng.chance(0.25)) members.push(newPerson(ctx, household, 80, 97, undefined, !first.female));
        for (const person of members)
          entries.push(entryFor(ctx, person, 'ELDERLY', elderlyFen(ageAt(person.birth, month))));
        break;
      }
      case 'disability': {
        const person = newPerson(ctx, household, 18, 75);
        const both = rng.chance(0.15);
        const care = both || rng.chance(0.3);
        if (both || !care) entries.push(entryFor(ctx, person, 'DISABILITY_LIVING', 19800));
        if (care) entries.push(entryFor(ctx, person, 'DISABILITY_CARE', rng.chance(0.6) ? 26400 : 19800));
        break;
      }
      case 'child': {
        const orphan = rng.chance(0.3);
        const first = newPerson(ctx, household, 0, 17);
        const members = [first];
        if (rng.chance(0.3)) members.push(newPerson(ctx, household, 0, 17, surnameOf(first.name)));
        for (const person of members) {
          entries.push(
            entryFor(ctx, person, 'CHILD', orphan ? 240000 : 190000, orphan ? '孤儿基本生活费' : '困境儿童'),
          );
        }
        break;
      }
      case 'temporary': {
        const person = newPerson(ctx, household, 20, 70);
        entries.push(entryFor(ctx, person, 'TEMPORARY', rng.int(5, 50) * 10000));
        break;
      }
    }
  }
  return entries;
}
