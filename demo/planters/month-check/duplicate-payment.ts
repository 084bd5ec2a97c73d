import { single } from './person-tests.ts';
import { type Planter, rejectedFile } from './planter.ts';

/**
 * DUPLICATE_PAYMENT: a payee who moved and is paid by both towns (also TOWN_MISMATCH where the
 * registry does not have the case), and one payment entered twice in one roster.
 */
export function plantDuplicatePayment(p: Planter): void {
  const a = p.take(p.host(), single('DIBAO', 'DIBAO_EDGE'));
  if (a) {
    const home = p.hostOf(a);
    const away = p.other(home);
    p.note(a, `also on the roster of ${away.town.code} (moved, both towns pay): DUPLICATE_PAYMENT`);
    p.addRow(
      away,
      a.entry,
      `payee of ${home.town.code} also paid here: DUPLICATE_PAYMENT, and TOWN_MISMATCH (the registry has ${home.town.code})`,
      away.town,
    );
  }
  const b = p.take(p.host(), single());
  if (b) {
    const plan = p.hostOf(b);
    p.note(b, 'the same payment entered twice in this roster: DUPLICATE_PAYMENT');
    const copy = { ...b.values, remark: plan.profile.remark ? '补发' : '' };
    p.addRow(
      plan,
      b.entry,
      'second entry of the same payment (remark 补发): DUPLICATE_PAYMENT',
      undefined,
      copy,
    );
  }
}

/** A look-alike: a valid payee copied into the rejected roster of another town gets no finding. */
export function plantDuplicateInRejectedFile(p: Planter): void {
  const rejected = p.rejected;
  if (!rejected) return;
  const a = p.take(p.host(), single());
  if (a) {
    p.note(a, `also on ${rejectedFile(rejected)}: no DUPLICATE_PAYMENT`);
    p.addRow(
      rejected,
      a.entry,
      'copy of a valid payee of another town in a rejected file: no finding',
      rejected.town,
    );
  }
}
