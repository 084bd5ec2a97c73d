/** Slots before the first growth: a town of a few households costs little. */
const FIRST_SLOTS = 256;

/** Grows a typed array to `capacity`, keeping its values. */
function grown<T extends Uint16Array | Uint32Array>(from: T, capacity: number): T {
  const to = new (from.constructor as new (n: number) => T)(capacity);
  to.set(from);
  return to;
}

/** The 32-bit FNV-1a hash of a string's UTF-16 code units. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/**
 * The household_ids of a town, each numbered by a slot (0, 1, … in order of first sight), held for
 * millions of households without a string and a map entry each: the ids' UTF-16 code units one
 * after another in one array, and an open-addressing hash table of slots. An id is found by
 * exactly its code units, as a `Map<string, number>` finds it.
 */
export class HouseholdIndex {
  #units = new Uint16Array(FIRST_SLOTS * 16);
  #used = 0;
  /** Slot s's code units are `#units[#starts[s], #starts[s + 1])`. */
  #starts = new Uint32Array(FIRST_SLOTS + 1);
  #hashes = new Uint32Array(FIRST_SLOTS);
  /** Slot + 1 per table position, 0 when free; at most half full. */
  #table = new Uint32Array(FIRST_SLOTS * 2);
  #size = 0;

  /** How many household_ids are held. */
  get size(): number {
    return this.#size;
  }

  /** The slot of `householdId`, or -1 when it is not held. */
  find(householdId: string): number {
    const hash = hashOf(householdId);
    const mask = this.#table.length - 1;
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const entry = this.#table[at] as number;
      if (entry === 0) return -1;
      if (this.#hashes[entry - 1] === hash && this.#equals(entry - 1, householdId)) return entry - 1;
    }
  }

  /** The slot of `householdId`, the next one (`size` before the call) when it is new. */
  slotOf(householdId: string): number {
    const hash = hashOf(householdId);
    const mask = this.#table.length - 1;
    let at = hash & mask;
    for (; ; at = (at + 1) & mask) {
      const entry = this.#table[at] as number;
      if (entry === 0) break;
      if (this.#hashes[entry - 1] === hash && this.#equals(entry - 1, householdId)) return entry - 1;
    }
    const slot = this.#size++;
    if (slot + 1 === this.#starts.length) {
      const capacity = Math.ceil(this.#starts.length * 1.5);
      this.#starts = grown(this.#starts, capacity + 1);
      this.#hashes = grown(this.#hashes, capacity);
    }
    if (this.#used + householdId.length > this.#units.length) {
      this.#units = grown(this.#units, Math.ceil((this.#used + householdId.length) * 1.5));
    }
    for (let i = 0; i < householdId.length; i++) this.#units[this.#used++] = householdId.charCodeAt(i);
    this.#starts[slot + 1] = this.#used;
    this.#hashes[slot] = hash;
    this.#table[at] = slot + 1;
    if (this.#size * 2 > this.#table.length) this.#rehash();
    return slot;
  }

  /** The household_id of `slot`. */
  idAt(slot: number): string {
    const start = this.#starts[slot] as number;
    const end = this.#starts[slot + 1] as number;
    let text = '';
    // In pieces: a spread of very many arguments would overflow the stack.
    for (let from = start; from < end; from += 4096) {
      text += String.fromCharCode(...this.#units.subarray(from, Math.min(end, from + 4096)));
    }
    return text;
  }

  /** Every household_id held, by slot. */
  ids(): string[] {
    return Array.from({ length: this.#size }, (_, slot) => this.idAt(slot));
  }

  #equals(slot: number, text: string): boolean {
    const start = this.#starts[slot] as number;
    if ((this.#starts[slot + 1] as number) - start !== text.length) return false;
    for (let i = 0; i < text.length; i++) if (this.#units[start + i] !== text.charCodeAt(i)) return false;
    return true;
  }

  #rehash(): void {
    const table = new Uint32Array(this.#table.length * 2);
    const mask = table.length - 1;
    for (let slot = 0; slot < this.#size; slot++) {
      let at = (this.#hashes[slot] as number) & mask;
      while (table[at] !== 0) at = (at + 1) & mask;
      table[at] = slot + 1;
    }
    this.#table = table;
  }
}
