import { IdNumberSet } from '#domain/id-number-set.ts';
import type { ReleasedPayment } from '#schemas/closeout.ts';
import type { ReleaseGroupTotal, ReleaseTotals } from '#schemas/release-totals.ts';

interface Group {
  rows: number;
  amountFen: number;
  /** Distinct ID numbers, held compactly: a province's release is millions of them. */
  readonly ids: IdNumberSet;
}

/**
 * Adds a release up per town and per category as its payments stream by (rows, fen, distinct ID
 * numbers): what `release-totals.json` holds, and what the month page computes itself for a
 * month released before that file existed.
 */
export class ReleaseTotalsTally {
  readonly #byTown = new Map<string, Group>();
  readonly #byCategory = new Map<string, Group>();
  #rows = 0;
  #amountFen = 0;

  add(payment: ReleasedPayment): void {
    this.#rows++;
    this.#amountFen += payment.amountFen;
    for (const [groups, code] of [
      [this.#byTown, payment.town],
      [this.#byCategory, payment.category],
    ] as const) {
      let group = groups.get(code);
      if (group === undefined) {
        group = { rows: 0, amountFen: 0, ids: new IdNumberSet() };
        groups.set(code, group);
      }
      group.rows++;
      group.amountFen += payment.amountFen;
      group.ids.add(payment.idNumber);
    }
  }

  /** The totals so far, groups in code order. */
  totals(month: string, releaseSha256: string): ReleaseTotals {
    return {
      month,
      releaseSha256,
      rows: this.#rows,
      amountFen: this.#amountFen,
      byTown: groupTotals(this.#byTown),
      byCategory: groupTotals(this.#byCategory),
    };
  }
}

function groupTotals(groups: ReadonlyMap<string, Group>): ReleaseGroupTotal[] {
  return [...groups]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([code, g]) => ({ code, rows: g.rows, amountFen: g.amountFen, recipients: g.ids.size }));
}
