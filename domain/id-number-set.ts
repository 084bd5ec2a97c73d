import { packId } from './packed-id.ts';

/** Scratch for {@link packId}. */
const PACKED = new Int32Array(2);
/** Codes held before the table grows: a set of a few IDs costs little. */
const FIRST_CAPACITY = 64;

/**
 * A set of ID numbers held compactly: a million IDs cost 8 MB, not a string and a set entry each.
 *
 * An ID spelled as the pipeline spells a resident ID (17 ASCII digits, then a digit or an upper-case
 * `X`) is one 64-bit code in a typed array; any other string goes to a plain set. Two strings are
 * the same member exactly when they are equal: a canonical spelling and another one never meet.
 *
 * Adding is cheap and may repeat an ID; `size` and `has` sort the codes and drop repeats first (the
 * set is then sealed again only after more adds).
 * @example const ids = new IdNumberSet(); ids.add('11010519491231002X'); ids.has('11010519491231002X') // true
 */
export class IdNumberSet {
  #codes = new BigUint64Array(FIRST_CAPACITY);
  #length = 0;
  #sorted = true;
  readonly #others = new Set<string>();

  /** Adds `idNumber` (a repeat changes nothing). */
  add(idNumber: string): void {
    const code = idCode(idNumber);
    if (code === undefined) {
      this.#others.add(idNumber);
      return;
    }
    if (this.#length === this.#codes.length) {
      const grown = new BigUint64Array(this.#codes.length * 2);
      grown.set(this.#codes);
      this.#codes = grown;
    }
    if (this.#sorted && this.#length > 0 && (this.#codes[this.#length - 1] as bigint) >= code)
      this.#sorted = false;
    this.#codes[this.#length++] = code;
  }

  /** Whether `idNumber` was added. */
  has(idNumber: string): boolean {
    const code = idCode(idNumber);
    if (code === undefined) return this.#others.has(idNumber);
    this.#seal();
    let low = 0;
    let high = this.#length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const at = this.#codes[middle] as bigint;
      if (at === code) return true;
      if (at < code) low = middle + 1;
      else high = middle - 1;
    }
    return false;
  }

  /** How many distinct IDs were added. */
  get size(): number {
    this.#seal();
    return this.#length + this.#others.size;
  }

  /** Sorts the codes and keeps one of each. */
  #seal(): void {
    if (this.#sorted) return;
    const codes = this.#codes.subarray(0, this.#length).sort();
    let kept = 0;
    for (let i = 0; i < codes.length; i++) {
      if (kept === 0 || codes[i] !== codes[kept - 1]) codes[kept++] = codes[i] as bigint;
    }
    this.#length = kept;
    this.#sorted = true;
  }
}

/** The code of a canonical ID (its packed words as one number: `#domain/packed-id.ts`), else `undefined`. */
function idCode(idNumber: string): bigint | undefined {
  if (!packId(idNumber, PACKED)) return undefined;
  // high < 10^9 and low < 1.1 × 10^9: the code is below 1.1 × 10^18 < 2^64.
  return BigInt(PACKED[0] as number) * 1_100_000_000n + BigInt(PACKED[1] as number);
}
