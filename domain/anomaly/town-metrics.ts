import { IdNumberSet } from '#domain/id-number-set.ts';
import { CATEGORY_CODES, type CategoryCode } from '#schemas/categories.ts';
import type { TownMonthMetrics } from '#schemas/metrics.ts';

/**
 * One payment of the month as the indicators need it: town code, payee, category (`undefined` when
 * not a code of table 2.2: counted for the town, in no category), amount in integer fen.
 */
export interface TownPayment {
  readonly town: string;
  readonly idNumber: string;
  readonly category: CategoryCode | undefined;
  readonly amountFen: number;
}

/** Distinct payees and the sum paid, of a town or of one of its categories. */
interface Sums {
  readonly ids: IdNumberSet;
  totalFen: number;
}

const emptySums = (): Sums => ({ ids: new IdNumberSet(), totalFen: 0 });

type TownSums = { all: Sums; byCategory: Map<CategoryCode, Sums> };

/**
 * The month's indicators per town added up payment by payment, so the payments are never held
 * together: what {@link townMetrics} computes, for payments that stream by (a release file read
 * piece by piece). The distinct payees are kept as compact ID sets.
 */
export class TownMetricsTally {
  readonly #towns: readonly { readonly code: string; readonly population: number }[];
  readonly #byTown = new Map<string, TownSums>();

  constructor(towns: readonly { readonly code: string; readonly population: number }[]) {
    this.#towns = towns;
    for (const town of towns) {
      if (!this.#byTown.has(town.code))
        this.#byTown.set(town.code, { all: emptySums(), byCategory: new Map() });
    }
  }

  /**
   * Counts one payment (left out when its town is not one of the towns).
   * @throws RangeError when its amount is not a safe integer number of fen.
   */
  add(payment: TownPayment): void {
    if (!Number.isSafeInteger(payment.amountFen)) {
      throw new RangeError(`amount must be a safe integer number of fen, got ${payment.amountFen}`);
    }
    const town = this.#byTown.get(payment.town);
    if (town === undefined) return;
    town.all.ids.add(payment.idNumber);
    town.all.totalFen += payment.amountFen;
    if (payment.category === undefined) return;
    let category = town.byCategory.get(payment.category);
    if (category === undefined) {
      category = emptySums();
      town.byCategory.set(payment.category, category);
    }
    category.ids.add(payment.idNumber);
    category.totalFen += payment.amountFen;
  }

  /** The rows of the payments counted so far (see {@link townMetrics}). */
  rows(month: string): TownMonthMetrics[] {
    return this.#towns.flatMap((town) => {
      const { all, byCategory } = this.#byTown.get(town.code) as TownSums;
      const row = (sums: Sums) => ({
        recipients: sums.ids.size,
        totalAmountFen: sums.totalFen,
        population: town.population,
      });
      return [
        { month, town: town.code, ...row(all) },
        ...CATEGORY_CODES.flatMap((category) => {
          const sums = byCategory.get(category);
          return sums === undefined ? [] : [{ month, town: town.code, category, ...row(sums) }];
        }),
      ];
    });
  }
}

/**
 * The month's indicators per town (contract 2.3): for each town of `reference/towns.csv`, in its
 * order, its all-categories row, then one row per category it paid (in the order of table 2.2),
 * each with the town's population. `recipients` counts distinct ID numbers (a person paid in two
 * categories is one recipient of the town, and one of each category; ID numbers are compared as
 * given — the release writes them upper-cased); `totalAmountFen` sums the payments. A town without
 * payments gets an all-categories row of zeros and no category row.
 *
 * Payments are matched to towns by code exactly as written in `towns`: resolve names and letter case
 * first (see `TownDirectory.resolve`). A payment whose town is not in `towns` is left out — it cannot
 * be set against a population, and the month check already holds such rows (`UNKNOWN_TOWN`).
 * @throws RangeError when an amount is not a safe integer number of fen.
 * @example
 * townMetrics('2026-10',
 *   [{ town: 'shiqi', idNumber: '44200019800101123X', category: 'DIBAO', amountFen: 52000 }],
 *   [{ code: 'shiqi', population: 71000 }, { code: 'dongqu', population: 52000 }])
 * // [{ month: '2026-10', town: 'shiqi', recipients: 1, totalAmountFen: 52000, population: 71000 },
 * //  { month: '2026-10', town: 'shiqi', category: 'DIBAO', recipients: 1, totalAmountFen: 52000, population: 71000 },
 * //  { month: '2026-10', town: 'dongqu', recipients: 0, totalAmountFen: 0, population: 52000 }]
 */
export function townMetrics(
  month: string,
  payments: readonly TownPayment[],
  towns: readonly { readonly code: string; readonly population: number }[],
): TownMonthMetrics[] {
  const tally = new TownMetricsTally(towns);
  for (const payment of payments) tally.add(payment);
  return tally.rows(month);
}
