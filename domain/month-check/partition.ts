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
  checkPartitions(partitions);
  let hash = 0x811c9dc5;
  for (let i = 0; i < idNumber.length; i++) {
    hash = Math.imul(hash ^ idNumber.charCodeAt(i), 0x01000193);
  }
  return finish(hash, partitions);
}

const utf8 = new TextDecoder();

/**
 * {@link partitionOf} of the ID number whose UTF-8 bytes are `bytes[start, end)` — a value of a
 * staged Arrow column — without making a string: for ASCII text the bytes are the UTF-16 code
 * units, so the hash is the same. Text with other characters (never a valid ID, but partner data
 * may hold anything) is decoded and hashed as a string.
 * @throws RangeError when `partitions` is not a positive safe integer.
 */
export function partitionOfBytes(bytes: Uint8Array, start: number, end: number, partitions: number): number {
  checkPartitions(partitions);
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    const byte = bytes[i] as number;
    if (byte >= 0x80) return partitionOf(utf8.decode(bytes.subarray(start, end)), partitions);
    hash = Math.imul(hash ^ byte, 0x01000193);
  }
  return finish(hash, partitions);
}

function checkPartitions(partitions: number): void {
  if (!Number.isSafeInteger(partitions) || partitions < 1) {
    throw new RangeError(`partitions must be a positive integer, got ${partitions}`);
  }
}

/** The `fmix32` avalanche of an FNV-1a hash, reduced modulo `partitions`. */
function finish(fnv: number, partitions: number): number {
  let hash = Math.imul(fnv ^ (fnv >>> 16), 0x85ebca6b);
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

/**
 * The smallest power of two that gives each of `rows` rows a part of at most `rowsPerPart` rows:
 * how many partitions a run uses and how many shards a staged file is split into. Powers of two
 * so that {@link shardsOfPartition} can match any staged shard count to any run partition count
 * ({@link partitionOf} modulo a power of two is its hash's low bits).
 * @throws RangeError when `rowsPerPart` is not a positive safe integer or `rows` is negative.
 * @example partsFor(600_000, 250_000) // 4
 */
export function partsFor(rows: number, rowsPerPart: number): number {
  if (!Number.isSafeInteger(rowsPerPart) || rowsPerPart < 1) {
    throw new RangeError(`rows per part must be a positive integer, got ${rowsPerPart}`);
  }
  if (!Number.isSafeInteger(rows) || rows < 0) throw new RangeError(`rows must be a count, got ${rows}`);
  const needed = Math.max(1, Math.ceil(rows / rowsPerPart));
  let parts = 1;
  while (parts < needed) parts *= 2;
  return parts;
}

/** Whether `n` is 1, 2, 4, 8, … (a safe integer). */
export function isPowerOfTwo(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 1 && (n & (n - 1)) === 0 && n <= 2 ** 30;
}

/**
 * Which shards of a file staged in `shards` parts hold the people of run partition `partition`
 * of `partitions`, both powers of two and both by {@link partitionOf}: with more shards than
 * partitions, every shard `s` with `s mod partitions = partition`, whole; with fewer, the one
 * shard `partition mod shards`, of whose rows only those whose ID is in `partition` (`filter`).
 * @throws RangeError when a count is not a power of two or `partition` is not in [0, partitions).
 * @example shardsOfPartition(1, 2, 8) // { shards: [1, 3, 5, 7], filter: false }
 * @example shardsOfPartition(5, 8, 2) // { shards: [1], filter: true }
 */
export function shardsOfPartition(
  partition: number,
  partitions: number,
  shards: number,
): { shards: number[]; filter: boolean } {
  if (!isPowerOfTwo(partitions) || !isPowerOfTwo(shards)) {
    throw new RangeError(`partition and shard counts must be powers of two, got ${partitions} and ${shards}`);
  }
  if (!Number.isSafeInteger(partition) || partition < 0 || partition >= partitions) {
    throw new RangeError(`partition ${partition} is not one of ${partitions}`);
  }
  if (shards >= partitions) {
    const chosen: number[] = [];
    for (let s = partition; s < shards; s += partitions) chosen.push(s);
    return { shards: chosen, filter: false };
  }
  return { shards: [partition % shards], filter: true };
}
