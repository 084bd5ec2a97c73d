import { grown } from '#domain/grown-array.ts';
import { PackedStrings } from '#domain/packed-strings.ts';

/** Slots before the first growth: a town of a few households costs little. */
const FIRST_SLOTS = 256;

/** The 32-bit FNV-1a hash of a string's UTF-16 code units. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/**
 * The household_ids of a town, each numbered by a slot (0, 1, … in order of first sight), held for
 * millions of households without a string and a map entry each: the ids in a {@link PackedStrings}
 * (slot = its index there), and an open-addressing hash table of slots. An id is found by exactly
 * its code units, as a `Map<string, number>` finds it.
 */
export class HouseholdIndex {
  readonly #ids = new PackedStrings();
  #hashes = new Uint32Array(FIRST_SLOTS);
  /** Slot + 1 per table position, 0 when free; at most half full. */
  #table = new Uint32Array(FIRST_SLOTS * 2);

  /** How many household_ids are held. */
  get size(): number {
    return this.#ids.size;
  }

  /** The slot of `householdId`, or -1 when it is not held. */
  find(householdId: string): number {
    return (this.#table[this.#probe(householdId, hashOf(householdId))] as number) - 1;
  }

  /** The slot of `householdId`, the next one (`size` before the call) when it is new. */
  slotOf(householdId: string): number {
    const hash = hashOf(householdId);
    const at = this.#probe(householdId, hash);
    const entry = this.#table[at] as number;
    if (entry !== 0) return entry - 1;
    const slot = this.#ids.push(householdId);
    if (slot === this.#hashes.length) this.#hashes = grown(this.#hashes, Math.ceil(slot * 1.5));
    this.#hashes[slot] = hash;
    this.#table[at] = slot + 1;
    if (this.#ids.size * 2 > this.#table.length) this.#rehash();
    return slot;
  }

  /** The household_id of `slot`. */
  idAt(slot: number): string {
    return this.#ids.get(slot);
  }

  /** Every household_id held, by slot. */
  ids(): string[] {
    return Array.from({ length: this.#ids.size }, (_, slot) => this.#ids.get(slot));
  }

  /** The table position holding `householdId`, or the free one where it would go. */
  #probe(householdId: string, hash: number): number {
    const mask = this.#table.length - 1;
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const entry = this.#table[at] as number;
      if (entry === 0 || (this.#hashes[entry - 1] === hash && this.#ids.equals(entry - 1, householdId)))
        return at;
    }
  }

  #rehash(): void {
    const table = new Uint32Array(this.#table.length * 2);
    const mask = table.length - 1;
    for (let slot = 0; slot < this.#ids.size; slot++) {
      let at = (this.#hashes[slot] as number) & mask;
      while (table[at] !== 0) at = (at + 1) & mask;
      table[at] = slot + 1;
    }
    this.#table = table;
  }
}
