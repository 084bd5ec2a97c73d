import { CATEGORY_CODES, type CategoryCode, resolveCategory } from '#schemas/categories.ts';
import type { TownMonthMetrics } from '#schemas/metrics.ts';
import type { ReleaseTotals } from '#schemas/release-totals.ts';

interface Sums {
  readonly recipients: number;
  readonly totalAmountFen: number;
}

/**
 * The month's indicators per town (the rows of `townMetrics`, same order and values) from the
 * release's totals (`release-totals.json`) instead of its payments: each town's totals, each of its
 * categories' totals, distinct payees counted when the release was added up.
 *
 * Distinct payees of two groups cannot be added, so when two spellings in the release name one
 * town of `towns` (or one category of one town), this gives `undefined` and the payments must be
 * added up instead. So does a totals file written before it had the towns' categories.
 * @param resolveTown the canonical town code of a release value (`TownDirectory.resolve`).
 */
export function townMetricsOfTotals(
  month: string,
  totals: Pick<ReleaseTotals, 'byTown' | 'byTownCategory'>,
  towns: readonly { readonly code: string; readonly population: number }[],
  resolveTown: (value: string) => string | undefined,
): TownMonthMetrics[] | undefined {
  if (totals.byTownCategory === undefined) return undefined;
  const known = new Set(towns.map((t) => t.code));
  const all = new Map<string, Sums>();
  for (const group of totals.byTown) {
    const town = resolveTown(group.code) ?? group.code;
    if (!known.has(town)) continue;
    if (all.has(town)) return undefined;
    all.set(town, { recipients: group.recipients, totalAmountFen: group.amountFen });
  }
  const byCategory = new Map<string, Map<CategoryCode, Sums>>();
  for (const group of totals.byTownCategory) {
    const town = resolveTown(group.town) ?? group.town;
    const category = resolveCategory(group.category);
    if (!known.has(town) || category === undefined) continue;
    let categories = byCategory.get(town);
    if (categories === undefined) {
      categories = new Map();
      byCategory.set(town, categories);
    }
    if (categories.has(category)) return undefined;
    categories.set(category, { recipients: group.recipients, totalAmountFen: group.amountFen });
  }
  return towns.flatMap((town) => {
    const categories = byCategory.get(town.code);
    const row = (sums: Sums | undefined) => ({
      recipients: sums?.recipients ?? 0,
      totalAmountFen: sums?.totalAmountFen ?? 0,
      population: town.population,
    });
    return [
      { month, town: town.code, ...row(all.get(town.code)) },
      ...CATEGORY_CODES.flatMap((category) => {
        const sums = categories?.get(category);
        return sums === undefined ? [] : [{ month, town: town.code, category, ...row(sums) }];
      }),
    ];
  });
}
