import { grown } from '#domain/grown-array.ts';
import { packId, unpackId } from '#domain/packed-id.ts';
import { CHECK_SEVERITIES } from '#schemas/finding-codes.ts';
import {
  drawKey,
  drawWeight,
  type SampleHousehold,
  type SampleOptions,
  type SampleRow,
  sampleReason,
  townDrawSizes,
  townStreamSeed,
  validateSampleOptions,
} from './draw-sample.ts';
import { HouseholdIndex } from './household-index.ts';
import { seededRandom } from './seeded-random.ts';
import { topPositions } from './top-positions.ts';

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The codes of the checks of contract 3.3, sorted: a row's codes are a bitmask, bit i for code i. */
const CHECK_CODES = Object.keys(CHECK_SEVERITIES).sort(compare);
const CODE_BITS = new Map(CHECK_CODES.map((code, i) => [code, 1 << i]));

/** The codes of a bitmask, sorted. */
const codesOf = (mask: number): string[] => CHECK_CODES.filter((_, i) => (mask & (1 << i)) !== 0);

/** Scratch for {@link packId}. */
const PACKED = new Int32Array(2);

/** `idHigh` of an ID not spelled canonically (a canonical one's is below 10^9): its text is kept aside. */
const OTHER_ID = 0xffff_ffff;

/**
 * The households of a town as rows come, one slot each (by first sight), in columns: the first
 * payee's batch index, row and ID (packed as `#domain/packed-id.ts` packs it), and the bitmask of the codes on its rows.
 */
class TownHouseholds {
  /** household_id → slot */
  readonly index = new HouseholdIndex();
  batch = new Uint32Array(0);
  row = new Uint32Array(0);
  mask = new Uint32Array(0);
  idHigh = new Uint32Array(0);
  idLow = new Uint32Array(0);
  /** IDs that are not 17 digits and a digit or X, by slot (staged rows have none in practice). */
  readonly otherIds = new Map<number, string>();

  /** The slot of `householdId`, made when new (its columns zero): the number of households before, then. */
  slotOf(householdId: string): number {
    const slot = this.index.slotOf(householdId);
    if (slot === this.batch.length) this.#grow(Math.max(1024, Math.ceil(slot * 1.5)));
    return slot;
  }

  setId(slot: number, idNumber: string): void {
    this.otherIds.delete(slot);
    if (packId(idNumber, PACKED)) {
      this.idHigh[slot] = PACKED[0] as number;
      this.idLow[slot] = PACKED[1] as number;
    } else {
      this.idHigh[slot] = OTHER_ID;
      this.otherIds.set(slot, idNumber);
    }
  }

  idAt(slot: number): string {
    const high = this.idHigh[slot] as number;
    return high === OTHER_ID
      ? (this.otherIds.get(slot) as string)
      : unpackId(high, this.idLow[slot] as number);
  }

  #grow(capacity: number): void {
    this.batch = grown(this.batch, capacity);
    this.row = grown(this.row, capacity);
    this.mask = grown(this.mask, capacity);
    this.idHigh = grown(this.idHigh, capacity);
    this.idLow = grown(this.idLow, capacity);
  }
}

/**
 * The households of the month's valid roster rows and the codes of contract 3.3 on them, folded in
 * as rows come (staged rosters read record batch by record batch, in any order), held in columns
 * of numbers: what {@link sampleHouseholds} and {@link drawSample} compute from whole arrays of
 * objects, in a fraction of the memory, so a province's month fits one invocation.
 *
 * Findings first ({@link addFinding}), then payees ({@link add}); then {@link draw} (or
 * {@link households}). The rules are those of `sampleHouseholds` and `drawSample`: a household is
 * a (town, household_id), its ID the first payee's by batch, then row, its codes the distinct
 * codes of 3.3 on its rows in the town, and each town's draw the same stream of the same keys over
 * the same households in household_id order.
 */
export class HouseholdTally {
  readonly #batches: string[] = [];
  readonly #batchIndex = new Map<string, number>();
  /** Per batch index: row → bitmask of its codes of 3.3. */
  readonly #codes: (Map<number, number> | undefined)[] = [];
  readonly #towns = new Map<string, TownHouseholds>();
  #payees = false;
  #lastBatch: string | undefined;
  #lastBatchIndex = 0;

  #indexOf(batch: string): number {
    if (batch === this.#lastBatch) return this.#lastBatchIndex;
    let index = this.#batchIndex.get(batch);
    if (index === undefined) {
      index = this.#batches.length;
      this.#batches.push(batch);
      this.#batchIndex.set(batch, index);
    }
    this.#lastBatch = batch;
    this.#lastBatchIndex = index;
    return index;
  }

  /**
   * Notes a finding: one on a roster row whose code is a check of contract 3.3 weighs its
   * household; any other (file level, row validation, on no row) is ignored.
   * @throws Error when payees were already added (their codes would be missed).
   */
  addFinding(batch: string, row: number | undefined, code: string): void {
    if (this.#payees) throw new Error('HouseholdTally: findings must be added before payees');
    const bit = CODE_BITS.get(code);
    if (row === undefined || bit === undefined) return;
    const b = this.#indexOf(batch);
    let byRow = this.#codes[b];
    if (byRow === undefined) {
      byRow = new Map();
      this.#codes[b] = byRow;
    }
    byRow.set(row, (byRow.get(row) ?? 0) | bit);
  }

  /** Folds one valid roster row into its household of its town. */
  add(batch: string, row: number, town: string, householdId: string, idNumber: string): void {
    this.#payees = true;
    const b = this.#indexOf(batch);
    let households = this.#towns.get(town);
    if (households === undefined) {
      households = new TownHouseholds();
      this.#towns.set(town, households);
    }
    const known = households.index.size;
    const slot = households.slotOf(householdId);
    const firstBatch = households.batch[slot] as number;
    const first =
      slot >= known ||
      (b === firstBatch
        ? row < (households.row[slot] as number)
        : (this.#batches[b] as string) < (this.#batches[firstBatch] as string));
    if (first) {
      households.batch[slot] = b;
      households.row[slot] = row;
      households.setId(slot, idNumber);
    }
    households.mask[slot] = (households.mask[slot] as number) | (this.#codes[b]?.get(row) ?? 0);
  }

  /** The towns of the payees added, in code order, with their numbers of households. */
  towns(): { town: string; households: number }[] {
    return [...this.#towns.keys()]
      .sort(compare)
      .map((town) => ({ town, households: (this.#towns.get(town) as TownHouseholds).index.size }));
  }

  /** The households of the payees added as objects, sorted by town, then household_id (small months, tests). */
  households(): SampleHousehold[] {
    return this.towns().flatMap(({ town }) => {
      const households = this.#towns.get(town) as TownHouseholds;
      return households.index
        .ids()
        .sort(compare)
        .map((householdId) => {
          const slot = households.index.find(householdId);
          return {
            town,
            householdId,
            idNumber: households.idAt(slot),
            findingCodes: codesOf(households.mask[slot] as number),
          };
        });
    });
  }

  /**
   * `drawSample(this.households(), options)` without the households as objects: per town, the
   * household_ids sorted, a key per household in that order from the town's stream, and rows
   * made for the drawn households only.
   * @throws RangeError when an option is out of range.
   */
  draw(options: SampleOptions): SampleRow[] {
    validateSampleOptions(options);
    const rows: SampleRow[] = [];
    for (const { town } of this.towns()) {
      const households = this.#towns.get(town) as TownHouseholds;
      // The default sort orders strings by UTF-16 code units, as `compare` does (and faster).
      const householdIds = households.index.ids().sort();
      const n = householdIds.length;
      const slots = new Uint32Array(n);
      const keys = new Float64Array(n);
      const random = seededRandom(townStreamSeed(options.seed, town));
      for (let p = 0; p < n; p++) {
        const slot = households.index.find(householdIds[p] as string);
        slots[p] = slot;
        keys[p] = drawKey(random.next(), drawWeight(households.mask[slot] !== 0, options));
      }
      const { visits, replacements } = townDrawSizes(n, options);
      // Equal keys (practically never) go to the lower position, i.e. the lower household_id.
      const drawn = topPositions(keys, visits + replacements);
      drawn.forEach((p, i) => {
        const slot = slots[p] as number;
        const replacement = i < visits ? undefined : i - visits + 1;
        const mask = households.mask[slot] as number;
        rows.push({
          town,
          householdId: householdIds[p] as string,
          idNumber: households.idAt(slot),
          kind: replacement === undefined ? 'VISIT' : 'REPLACEMENT',
          rank: i + 1,
          reason: sampleReason(codesOf(mask), replacement, drawWeight(mask !== 0, options)),
        });
      });
    }
    return rows;
  }
}
