import { type Entry, entryFor, type IdSet, type MakeContext, newPerson, type TownPlan } from '#demo/model.ts';
import { addMonths, Rng, subSeed } from '#demo/people.ts';

/**
 * Registry rows of people who are not on the town's roster: inactive, expired or starting later
 * (a look-alike: no finding), and in every fourth town one approved and active whom the town left
 * off its roster: MISSING_PAYMENT. Drawn from the town's own stream, before the checks are planted.
 */
export function offRosterRecipients(
  plan: TownPlan,
  month: string,
  ids: IdSet,
  accounts: Set<number>,
): Entry[] {
  const rng = new Rng(subSeed(plan.rng.int(0, 0xffffffff), 3));
  const ctx: MakeContext = { rng, town: plan.town, index: plan.index, month, ids, accounts };
  const extras: Entry[] = [];
  const n = Math.max(2, Math.round(plan.entries.length * 0.02));
  for (let k = 0; k < n; k++) {
    const household = `H${String(plan.index + 1).padStart(2, '0')}${String(900000 + k).padStart(6, '0')}`;
    const category = rng.pick(['DIBAO', 'TEKUN', 'DIBAO_EDGE', 'DISABILITY_LIVING'] as const);
    const person = newPerson(ctx, household, category === 'TEKUN' ? 60 : 25, 90);
    const fen = { DIBAO: 118000, TEKUN: 177000, DIBAO_EDGE: 59000, DISABILITY_LIVING: 19800 }[category];
    const entry = entryFor(ctx, person, category, fen);
    const kind = k % 4;
    if (kind === 0) entry.status = 'SUSPENDED';
    else if (kind === 1) {
      // Terminated some months ago.
      entry.status = 'TERMINATED';
      entry.validTo = addMonths(month, -rng.int(1, 24));
      entry.validFrom = addMonths(entry.validTo, -rng.int(3, 60));
    } else if (kind === 2) {
      // Still ACTIVE in the case system, but the approval ran out.
      entry.validTo = addMonths(month, -rng.int(1, 12));
      entry.validFrom = addMonths(entry.validTo, -rng.int(3, 36));
    } else {
      // Approved from next month on.
      entry.validFrom = addMonths(month, 1);
      entry.validTo = '';
    }
    extras.push(entry);
  }
  if (plan.index % 4 === 3) {
    // Approved and active, but the town left them off the roster: MISSING_PAYMENT.
    const person = newPerson(
      ctx,
      `H${String(plan.index + 1).padStart(2, '0')}${String(999999).padStart(6, '0')}`,
      40,
      80,
    );
    const entry = entryFor(ctx, person, 'DIBAO', 118000);
    entry.validTo = '';
    extras.push(entry);
  }
  return extras;
}
