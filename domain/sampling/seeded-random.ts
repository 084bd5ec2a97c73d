import { createHash } from 'node:crypto';

/** A stream of uniform numbers in the open interval (0, 1), fixed by its seed. */
export interface SeededRandom {
  /** The next number of the stream: uniform in (0, 1), never 0 and never 1. */
  next(): number;
}

const TWO_POW_26 = 2 ** 26;
const TWO_POW_52 = 2 ** 52;

const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

/**
 * The xoshiro128** generator (Blackman and Vigna) over a 128-bit state of four 32-bit words, in
 * 32-bit integer arithmetic only: each call returns the next unsigned 32-bit output.
 * @throws RangeError when the state is all zeros (the generator's one forbidden state).
 */
export function xoshiro128StarStar(state: readonly [number, number, number, number]): () => number {
  let [s0, s1, s2, s3] = state.map((w) => w >>> 0) as [number, number, number, number];
  if ((s0 | s1 | s2 | s3) === 0) throw new RangeError('xoshiro128** state must not be all zeros');
  return () => {
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s2 = (s2 ^ s0) >>> 0;
    s3 = (s3 ^ s1) >>> 0;
    s1 = (s1 ^ s2) >>> 0;
    s0 = (s0 ^ s3) >>> 0;
    s2 = (s2 ^ t) >>> 0;
    s3 = rotl(s3, 11);
    return result;
  };
}

/**
 * A seeded PRNG: xoshiro128** whose state is the first 16 bytes of the SHA-256 of the seed's UTF-8,
 * read as four big-endian 32-bit words. Integer arithmetic only, so a seed gives the same stream on
 * every platform, and anyone can reproduce it from the seed with any xoshiro128** implementation.
 *
 * Each number takes two 32-bit outputs `a`, `b`: `k = (a >>> 6) · 2^26 + (b >>> 6)` (52 bits) and the
 * number is `(k + 0.5) / 2^52`, exact in double precision and strictly inside (0, 1).
 */
export function seededRandom(seed: string): SeededRandom {
  const digest = createHash('sha256').update(seed, 'utf8').digest();
  const words: [number, number, number, number] = [
    digest.readUInt32BE(0),
    digest.readUInt32BE(4),
    digest.readUInt32BE(8),
    digest.readUInt32BE(12),
  ];
  // An all-zero SHA-256 prefix is not known to exist; the fallback only keeps the function total.
  const next32 = xoshiro128StarStar(words.some((w) => w !== 0) ? words : [0x9e3779b9, 0, 0, 0]);
  return {
    next(): number {
      const high = next32() >>> 6;
      const low = next32() >>> 6;
      return (high * TWO_POW_26 + low + 0.5) / TWO_POW_52;
    },
  };
}
