/** Strings per joined chunk: big enough that a chunk's overhead is nothing per string. */
const CHUNK = 4096;

/**
 * An append-only list of short strings held as a few long ones: every {@link CHUNK} strings are
 * joined into one, and each string's end within its chunk is kept in a typed array. A million
 * 19-digit account numbers then cost about 23 MB instead of a string object each.
 */
export class PackedStrings {
  readonly #chunks: string[] = [];
  #pending: string[] = [];
  #ends = new Uint32Array(CHUNK);
  #size = 0;

  /** Number of strings held. */
  get size(): number {
    return this.#size;
  }

  /** Appends `text`; returns its index. */
  push(text: string): number {
    const i = this.#size++;
    if (i >= this.#ends.length) {
      const grown = new Uint32Array(this.#ends.length * 2);
      grown.set(this.#ends);
      this.#ends = grown;
    }
    this.#ends[i] = this.#start(i) + text.length;
    this.#pending.push(text);
    if (this.#pending.length === CHUNK) {
      this.#chunks.push(this.#pending.join(''));
      this.#pending = [];
    }
    return i;
  }

  /** The string at `index` (0 ≤ index < size). */
  get(index: number): string {
    const chunk = this.#chunks[Math.floor(index / CHUNK)];
    if (chunk === undefined) return this.#pending[index % CHUNK] ?? '';
    return chunk.slice(this.#start(index), this.#ends[index]);
  }

  /** Whether the string at `index` is `text`, without making a string of it. */
  equals(index: number, text: string): boolean {
    const start = this.#start(index);
    if ((this.#ends[index] as number) - start !== text.length) return false;
    const chunk = this.#chunks[Math.floor(index / CHUNK)];
    return chunk === undefined ? this.#pending[index % CHUNK] === text : chunk.startsWith(text, start);
  }

  #start(index: number): number {
    return index % CHUNK === 0 ? 0 : (this.#ends[index - 1] as number);
  }
}
