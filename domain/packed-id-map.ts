import { packId, packIdBytes } from './packed-id.ts';

/**
 * A map from packed ID numbers (see `packed-id.ts`) to small non-negative integers (a partition,
 * an index), held in typed arrays: open addressing with linear probing, no object and no string
 * per entry. Used to ask "is this person paid this month, and in which partition" of ten million
 * partner rows, straight from their staged bytes.
 *
 * Most IDs asked about are not in the map (partner rows of people not paid this month). A lookup
 * in a table of a million IDs is a cache miss; a one-bit-per-hash filter of 16 bits per ID (2 MB
 * for a million, small enough to stay in cache) answers "not here" for about 94 % of absent IDs
 * before the table is touched.
 */
export class PackedIdMap {
  #mask: number;
  /**
   * Slot `s` is `#slots[4s, 4s + 4)`: high, low, value, unused — one 16-byte run, so a lookup
   * touches one cache line. A low of −1 marks an empty slot (a packed low is never negative).
   */
  #slots: Int32Array;
  #size = 0;
  /** One bit per filter hash of every ID held; `#filterMask` selects a bit. */
  #filter: Int32Array;
  #filterMask: number;
  readonly #key = new Int32Array(2);

  /** @param expected how many IDs it will likely hold (it grows past that). */
  constructor(expected = 1024) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.#mask = capacity - 1;
    this.#slots = emptySlots(capacity);
    this.#filter = new Int32Array(capacity / 4);
    this.#filterMask = capacity * 8 - 1;
  }

  /** Number of IDs held. */
  get size(): number {
    return this.#size;
  }

  /** Sets the value of `id`; false (and nothing set) when it does not pack. */
  set(id: string, value: number): boolean {
    if (!packId(id, this.#key)) return false;
    this.#put(this.#key[0] as number, this.#key[1] as number, value);
    return true;
  }

  /** Sets the value of the ID in `bytes[start, end)`; false (and nothing set) when it does not pack. */
  setBytes(bytes: Uint8Array, start: number, end: number, value: number): boolean {
    if (!packIdBytes(bytes, start, end, this.#key)) return false;
    this.#put(this.#key[0] as number, this.#key[1] as number, value);
    return true;
  }

  /** The value of `id`, or −1 when it is not held (or does not pack). */
  get(id: string): number {
    if (!packId(id, this.#key)) return -1;
    return this.#find(this.#key[0] as number, this.#key[1] as number);
  }

  /** The value of the ID in `bytes[start, end)`, or −1 when it is not held (or does not pack). */
  getBytes(bytes: Uint8Array, start: number, end: number): number {
    if (!packIdBytes(bytes, start, end, this.#key)) return -1;
    return this.#find(this.#key[0] as number, this.#key[1] as number);
  }

  #slot(high: number, low: number): number {
    let h = Math.imul(high ^ Math.imul(low, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h & this.#mask;
  }

  /** The filter bit of a packed ID: another mix of it than the slot's, so the two miss independently. */
  #bit(high: number, low: number): number {
    let h = Math.imul(low ^ Math.imul(high, 0x27d4eb2f), 0x165667b1);
    h ^= h >>> 15;
    return h & this.#filterMask;
  }

  #find(high: number, low: number): number {
    const bit = this.#bit(high, low);
    if (((this.#filter[bit >>> 5] as number) & (1 << (bit & 31))) === 0) return -1;
    const slots = this.#slots;
    let slot = this.#slot(high, low);
    for (;;) {
      const at = slot * 4;
      const stored = slots[at + 1] as number;
      if (stored === -1) return -1;
      if (stored === low && slots[at] === high) return slots[at + 2] as number;
      slot = (slot + 1) & this.#mask;
    }
  }

  #put(high: number, low: number, value: number): void {
    const slots = this.#slots;
    let slot = this.#slot(high, low);
    for (;;) {
      const at = slot * 4;
      const stored = slots[at + 1] as number;
      if (stored === -1) break;
      if (stored === low && slots[at] === high) {
        slots[at + 2] = value;
        return;
      }
      slot = (slot + 1) & this.#mask;
    }
    const at = slot * 4;
    slots[at] = high;
    slots[at + 1] = low;
    slots[at + 2] = value;
    const bit = this.#bit(high, low);
    this.#filter[bit >>> 5] = (this.#filter[bit >>> 5] as number) | (1 << (bit & 31));
    if (++this.#size * 2 > this.#mask + 1) this.#grow();
  }

  #grow(): void {
    const old = this.#slots;
    const capacity = (this.#mask + 1) * 2;
    this.#mask = capacity - 1;
    this.#slots = emptySlots(capacity);
    this.#filter = new Int32Array(capacity / 4);
    this.#filterMask = capacity * 8 - 1;
    this.#size = 0;
    for (let at = 0; at < old.length; at += 4) {
      if (old[at + 1] !== -1) this.#put(old[at] as number, old[at + 1] as number, old[at + 2] as number);
    }
  }
}

/** `capacity` empty slots. */
function emptySlots(capacity: number): Int32Array {
  const slots = new Int32Array(capacity * 4);
  for (let at = 1; at < slots.length; at += 4) slots[at] = -1;
  return slots;
}
