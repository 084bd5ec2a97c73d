import { releaseText } from '#domain/closeout/released-payment.ts';
import { IdNumberSet } from '#domain/id-number-set.ts';
import type { ReleasedPayment } from '#schemas/closeout.ts';
import type { ReleaseGroupTotal, ReleaseTotals } from '#schemas/release-totals.ts';

/** What the totals read of a payment. */
type TalliedPayment = Pick<ReleasedPayment, 'amountFen' | 'town' | 'category' | 'idNumber'>;

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
  /** Town → category → group. */
  readonly #byTownCategory = new Map<string, Map<string, Group>>();
  #rows = 0;
  #amountFen = 0;

  add(payment: TalliedPayment): void {
    this.#rows++;
    this.#amountFen += payment.amountFen;
    let categories = this.#byTownCategory.get(payment.town);
    if (categories === undefined) {
      categories = new Map();
      this.#byTownCategory.set(payment.town, categories);
    }
    addTo(this.#byTown, payment.town, payment);
    addTo(this.#byCategory, payment.category, payment);
    addTo(categories, payment.category, payment);
  }

  /**
   * Adds a payment as it is about to be written to `release.csv`: its values as the file will
   * read back ({@link releaseText}), so that the totals are those of reading the file.
   */
  addWritten(payment: TalliedPayment): void {
    this.add({
      amountFen: payment.amountFen,
      town: releaseText(payment.town),
      category: releaseText(payment.category),
      idNumber: releaseText(payment.idNumber),
    });
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
      byTownCategory: [...this.#byTownCategory]
        .sort(([a], [b]) => byCode(a, b))
        .flatMap(([town, categories]) =>
          groupTotals(categories).map(({ code, ...group }) => ({ town, category: code, ...group })),
        ),
    };
  }
}

const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function addTo(groups: Map<string, Group>, code: string, payment: TalliedPayment): void {
  let group = groups.get(code);
  if (group === undefined) {
    group = { rows: 0, amountFen: 0, ids: new IdNumberSet() };
    groups.set(code, group);
  }
  group.rows++;
  group.amountFen += payment.amountFen;
  group.ids.add(payment.idNumber);
}

function groupTotals(groups: ReadonlyMap<string, Group>): ReleaseGroupTotal[] {
  return [...groups]
    .sort(([a], [b]) => byCode(a, b))
    .map(([code, g]) => ({ code, rows: g.rows, amountFen: g.amountFen, recipients: g.ids.size }));
}
