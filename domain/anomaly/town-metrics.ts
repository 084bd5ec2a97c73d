import type { TownMonthMetrics } from '#schemas/metrics.ts';

/** One payment of the month as the indicators need it: town code, payee, amount in integer fen. */
export interface TownPayment {
  readonly town: string;
  readonly idNumber: string;
  readonly amountFen: number;
}

/**
 * The month's indicators per town: one row per town of `reference/towns.csv`, in its order, with
 * the town's population. `recipients` counts distinct ID numbers (a person paid in two categories
 * is one recipient; ID numbers are compared as given — the release writes them upper-cased);
 * `totalAmountFen` sums every payment. A town without payments gets zeros.
 *
 * Payments are matched to towns by code exactly as written in `towns`: resolve names and letter case
 * first (see `TownDirectory.resolve`). A payment whose town is not in `towns` is left out — it cannot
 * be set against a population, and the month check already holds such rows (`UNKNOWN_TOWN`).
 * @throws RangeError when an amount is not a safe integer number of fen.
 * @example
 * townMetrics('2026-10', [{ town: 'shiqi', idNumber: '44200019800101123X', amountFen: 52000 }],
 *   [{ code: 'shiqi', population: 71000 }, { code: 'dongqu', population: 52000 }])
 * // [{ month: '2026-10', town: 'shiqi', recipients: 1, totalAmountFen: 52000, population: 71000 },
 * //  { month: '2026-10', town: 'dongqu', recipients: 0, totalAmountFen: 0, population: 52000 }]
 */
export function townMetrics(
  month: string,
  payments: readonly TownPayment[],
  towns: readonly { readonly code: string; readonly population: number }[],
): TownMonthMetrics[] {
  const byTown = new Map<string, { ids: Set<string>; totalFen: number }>();
  for (const town of towns) {
    if (!byTown.has(town.code)) byTown.set(town.code, { ids: new Set(), totalFen: 0 });
  }
  for (const payment of payments) {
    if (!Number.isSafeInteger(payment.amountFen)) {
      throw new RangeError(`amount must be a safe integer number of fen, got ${payment.amountFen}`);
    }
    const town = byTown.get(payment.town);
    if (town === undefined) continue;
    town.ids.add(payment.idNumber);
    town.totalFen += payment.amountFen;
  }
  return towns.map((town) => {
    const sums = byTown.get(town.code) as { ids: Set<string>; totalFen: number };
    return {
      month,
      town: town.code,
      recipients: sums.ids.size,
      totalAmountFen: sums.totalFen,
      population: town.population,
    };
  });
}
