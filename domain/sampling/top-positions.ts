/**
 * The positions of the `k` largest keys, largest first, equal keys in position order: the order
 * `b.key - a.key || a.position - b.position` of the whole array, of which only the first `k` are
 * sorted with a comparator (the cut-off key is found by a numeric sort of a copy, and a town's
 * visits are a few hundredths of its households). Keys are finite numbers.
 * @throws RangeError when `k` is not an integer from 0 to the number of keys.
 */
export function topPositions(keys: Float64Array, k: number): Uint32Array {
  const n = keys.length;
  if (!(Number.isInteger(k) && k >= 0 && k <= n)) throw new RangeError(`k must be 0 to ${n}, got ${k}`);
  if (k === 0) return new Uint32Array(0);
  const threshold = keys.slice().sort()[n - k] as number;
  let count = 0;
  for (let p = 0; p < n; p++) if ((keys[p] as number) >= threshold) count++;
  const chosen = new Uint32Array(count);
  count = 0;
  for (let p = 0; p < n; p++) if ((keys[p] as number) >= threshold) chosen[count++] = p;
  chosen.sort((a, b) => (keys[b] as number) - (keys[a] as number) || a - b);
  return chosen.subarray(0, k);
}
