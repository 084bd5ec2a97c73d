import { categoryValue, entryFor, newPerson } from '#demo/model.ts';
import { single } from './person-tests.ts';
import type { Planter } from './planter.ts';

/**
 * NOT_IN_REGISTRY: a payee the town added who was never approved, and a payee whose roster
 * category is not the one approved (which also leaves the approved one unpaid: MISSING_PAYMENT).
 */
export function plantNotInRegistry(p: Planter): void {
  const { rng } = p;
  const plan = p.host();
  if (plan) {
    const person = newPerson(p.ctx(plan), `H${String(plan.index + 1).padStart(2, '0')}800001`, 30, 65);
    const entry = entryFor(p.ctx(plan), person, 'DIBAO', 118000);
    p.addRow(
      plan,
      entry,
      'payee added by the town office but never approved in the case system: NOT_IN_REGISTRY',
    );
  }
  const row = p.take(p.host(), single('DIBAO'));
  if (row) {
    row.values.category = categoryValue(p.hostOf(row).profile, 'DIBAO_EDGE', '低保边缘', rng);
    p.note(
      row,
      'roster says DIBAO_EDGE, the registry approves DIBAO: NOT_IN_REGISTRY (and the DIBAO approval goes unpaid: MISSING_PAYMENT)',
    );
  }
}
