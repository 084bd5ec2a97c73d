/**
 * The partition of a person: FNV-1a (32 bit) over the UTF-16 code units of the ID number,
 * finished with the MurmurHash3 `fmix32` avalanche so that IDs differing only in the last
 * characters (sequence number, check character) still land far apart, then reduced modulo
 * `partitions`.
 *
 * Stable: a pure function of the characters, the same on every run, machine and Node version,
 * so a person's payee rows, registry rows and partner records always meet in one partition.
 * Fast: one multiply per character, no allocation, no regex. Pass the ID as the records carry it
 * (upper-cased `X`): `x` and `X` hash differently.
 * @param partitions the number of partitions, a positive integer.
 * @returns an index in [0, partitions).
 * @throws RangeError when `partitions` is not a positive safe integer.
 * @example partitionOf('44200019800101123X', 1) // 0
 */
export function partitionOf(idNumber: string, partitions: number): number {
  if (!Number.isSafeInteger(partitions) || partitions < 1) {
    throw new RangeError(`partitions must be a positive integer, got ${partitions}`);
  }
  let hash = 0x811c9dc5;
  for (let i = 0; i < idNumber.length; i++) {
    hash = Math.imul(hash ^ idNumber.charCodeAt(i), 0x01000193);
  }
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) % partitions;
}

/**
 * The indexes of `count` partitions, `[0, 1, …, count − 1]`: what a map state iterates over.
 * @throws RangeError when `count` is not a positive safe integer.
 * @example partitionIndexes(3) // [0, 1, 2]
 */
export function partitionIndexes(count: number): number[] {
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new RangeError(`partition count must be a positive integer, got ${count}`);
  }
  return Array.from({ length: count }, (_, i) => i);
}
