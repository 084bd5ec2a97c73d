import type { CategoryCode } from '#schemas/categories.ts';

/** How one category of a town moved this month. */
export interface CategoryMove {
  readonly category: CategoryCode;
  /** Recipients this month minus last month's. */
  readonly delta: number;
  /** Whether its recipients (share or growth) were flagged. */
  readonly flagged: boolean;
}

/** A flagged category whose people seem to have moved to or from other categories of its town. */
export interface CategoryShift {
  /** The categories that moved the other way, largest move first. */
  readonly counterparts: readonly { readonly category: CategoryCode; readonly delta: number }[];
  /** The town's recipients (all categories) this month against last month's − 1, if known. */
  readonly townChange: number | undefined;
}

/** The category shifts of one town. */
export interface TownShift {
  /** Each flagged category that people moved into or out of. */
  readonly byCategory: ReadonlyMap<CategoryCode, CategoryShift>;
  /** Every category concerned (flagged or counterpart), largest move first; empty without a shift. */
  readonly moves: readonly { readonly category: CategoryCode; readonly delta: number }[];
}

/**
 * The flagged categories of one town that people moved into or out of, while the town's own count
 * stayed flat: a category flagged on its recipients, other categories that moved the other way by
 * at least `minimum` people each and together by at least half as many, and the town's
 * all-categories recipients not flagged and changed by less than half the largest flagged move.
 * Such a town is flagged on the categories concerned, not on its total; the explanations say why.
 * @param town the town's all-categories move this month.
 * @param moves the town's categories.
 * @param minimum fewest people a counterpart must have moved (the watch's `MIN_RECIPIENTS_MOVED`).
 */
export function categoryShifts(
  town: { readonly delta: number; readonly flagged: boolean; readonly change: number | undefined },
  moves: readonly CategoryMove[],
  minimum: number,
): TownShift {
  const shifts = new Map<CategoryCode, CategoryShift>();
  const flagged = moves.filter((m) => m.flagged && m.delta !== 0);
  const largest = Math.max(0, ...flagged.map((m) => Math.abs(m.delta)));
  if (town.flagged || flagged.length === 0 || Math.abs(town.delta) >= largest / 2) {
    return { byCategory: shifts, moves: [] };
  }
  for (const move of flagged) {
    const counterparts = moves
      .filter((m) => m.category !== move.category && Math.sign(m.delta) === -Math.sign(move.delta))
      .filter((m) => Math.abs(m.delta) >= minimum)
      .toSorted((a, b) => Math.abs(b.delta) - Math.abs(a.delta));
    const moved = counterparts.reduce((n, m) => n + Math.abs(m.delta), 0);
    if (counterparts.length === 0 || moved < Math.abs(move.delta) / 2) continue;
    shifts.set(move.category, {
      counterparts: counterparts.map(({ category, delta }) => ({ category, delta })),
      townChange: town.change,
    });
  }
  const concerned = new Set([...shifts].flatMap(([c, s]) => [c, ...s.counterparts.map((p) => p.category)]));
  return {
    byCategory: shifts,
    moves: moves
      .filter((m) => concerned.has(m.category))
      .map(({ category, delta }) => ({ category, delta }))
      .toSorted((a, b) => Math.abs(b.delta) - Math.abs(a.delta)),
  };
}
