import { MAD_SCALE, median } from './robust-stats.ts';

/** One past month-to-month change of a unit, standardized for the city's turnover. */
export interface TurnoverPoint {
  /** The unit it belongs to (its index). */
  readonly owner: number;
  /** The unit's usual recipients. */
  readonly recipients: number;
  /**
   * The change's departure from the city that month, in recipients, over √recipients (not from the
   * unit's own drift: taking out the median of a few months would make the city look calmer than it is).
   */
  readonly departure: number;
}

/** Past changes of the units nearest in size that the city's turnover is read from. */
export const TURNOVER_NEIGHBOURS = 36;
/** Fewer past changes than this in the city: its turnover is not known. */
export const MIN_TURNOVER_POINTS = 8;

/**
 * The city's typical month-to-month noise for a unit of `recipients` people, in recipients: what a
 * town with a short or flat history of its own is expected to move by. Caseloads change by entries
 * and exits, so a change's noise grows as √recipients: the past changes of the other units nearest
 * in size (at most {@link TURNOVER_NEIGHBOURS}) are standardized by √recipients, their robust spread
 * (1.4826 × the median absolute departure) taken, and scaled back to `recipients`.
 * Units of a similar size, not the whole city: a city whose big towns move by a few percent a
 * month says little about how a town of 80 people moves.
 * @param points the past changes of every unit of the city (same category and metric).
 * @returns a function of the unit's recipients and index (its own changes are left out), giving
 *   `undefined` when fewer than {@link MIN_TURNOVER_POINTS} changes of other units are known or
 *   `recipients` is not positive.
 */
export function cityTurnover(
  points: readonly TurnoverPoint[],
): (recipients: number, owner: number) => number | undefined {
  const sorted = points
    .filter((p) => p.recipients > 0 && Number.isFinite(p.departure))
    .map((p) => ({ ...p, size: Math.log(p.recipients) }))
    .sort((a, b) => a.size - b.size);
  return (recipients, owner) => {
    if (!(recipients > 0)) return undefined;
    const size = Math.log(recipients);
    const others = sorted.filter((p) => p.owner !== owner);
    if (others.length < MIN_TURNOVER_POINTS) return undefined;
    // Walk out from where `size` falls, taking the nearer side each time.
    let right = others.findIndex((p) => p.size >= size);
    if (right < 0) right = others.length;
    let left = right - 1;
    const nearest: number[] = [];
    while (nearest.length < TURNOVER_NEIGHBOURS && (left >= 0 || right < others.length)) {
      const l = others[left];
      const r = others[right];
      if (r === undefined || (l !== undefined && size - l.size <= r.size - size)) {
        nearest.push(Math.abs((l as (typeof others)[number]).departure));
        left--;
      } else {
        nearest.push(Math.abs(r.departure));
        right++;
      }
    }
    return MAD_SCALE * (median(nearest) as number) * Math.sqrt(recipients);
  };
}
