/**
 * Scale that makes the median absolute deviation estimate the standard deviation of normal data
 * (1 / Φ⁻¹(3/4) ≈ 1.4826).
 */
export const MAD_SCALE = 1.4826;

/**
 * The median: the middle value of the sorted values, or the mean of the two middle ones.
 * Robust: changing fewer than half of the values, however wildly, keeps it within the range of the
 * values left unchanged.
 * @returns `undefined` for no values.
 * @example median([3, 1, 100]) // 3
 */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const upper = sorted[middle] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] as number) + upper) / 2;
}

/**
 * The median absolute deviation from `center` (by default the median): the median of
 * |value − center|. Not scaled; see {@link robustSpread}.
 * @returns `undefined` for no values.
 * @example medianAbsoluteDeviation([1, 2, 3, 4, 100]) // 1
 */
export function medianAbsoluteDeviation(
  values: readonly number[],
  center = median(values),
): number | undefined {
  if (center === undefined) return undefined;
  return median(values.map((v) => Math.abs(v - center)));
}

/**
 * A robust estimate of the standard deviation of `values` — {@link MAD_SCALE} × MAD — never below
 * `floor`, the noise floor: a town whose last months happened to be identical must not make every
 * small change look extreme.
 * @returns `floor` for no values.
 * @throws RangeError when `floor` is negative or not finite.
 */
export function robustSpread(values: readonly number[], floor: number): number {
  if (!Number.isFinite(floor) || floor < 0)
    throw new RangeError(`floor must be finite and >= 0, got ${floor}`);
  const mad = medianAbsoluteDeviation(values);
  return mad === undefined ? floor : Math.max(MAD_SCALE * mad, floor);
}

/**
 * The robust z-score: how many spreads `value` lies above (positive) or below (negative) `center`.
 * @returns `null` when it cannot be computed: a spread that is not positive, or a non-finite input.
 * @example robustZ(130, 100, 10) // 3
 */
export function robustZ(value: number, center: number, spread: number): number | null {
  if (!(spread > 0) || !Number.isFinite(spread) || !Number.isFinite(value) || !Number.isFinite(center)) {
    return null;
  }
  return (value - center) / spread;
}

/** Small-sample factors of the MAD (Croux & Rousseeuw, 1992), for 2 to 9 values. */
const SMALL_SAMPLE_FACTORS = [1.196, 1.495, 1.363, 1.206, 1.2, 1.14, 1.129, 1.107] as const;

/**
 * The factor that makes {@link MAD_SCALE} × MAD unbiased for `n` values of normal data: the MAD of a
 * few values tends to come out small (of 5 values, by about a sixth), and a spread that is too small
 * flags what is only noise. 1 for fewer than 2 values; n / (n − 0.8) from 10 values on.
 * @example smallSampleFactor(5) // 1.206
 */
export function smallSampleFactor(n: number): number {
  if (n < 2) return 1;
  return SMALL_SAMPLE_FACTORS[n - 2] ?? n / (n - 0.8);
}
