import {
  type Data,
  Int32,
  makeData,
  makeVector,
  RecordBatch,
  RecordBatchFileWriter,
  Struct,
  Uint32,
  type Utf8,
  type Vector,
} from 'apache-arrow';
import { CATEGORY_CODES } from '#schemas/categories.ts';
import {
  CATEGORY_TYPE,
  STAGED_ROSTER_SCHEMA,
  type StagedRosterRow,
  TOWN_TYPE,
} from '#schemas/staged-roster.ts';
import { utf8Data } from './utf8-column.ts';

const BATCH_ROWS = 65_536;

/** The string columns of one record batch being filled. */
interface StringColumns {
  id: string[];
  name: string[];
  household: string[];
  account: string[];
  holder: string[];
  remark: string[];
}

const emptyStrings = (): StringColumns => ({
  id: [],
  name: [],
  household: [],
  account: [],
  holder: [],
  remark: [],
});

/**
 * Accumulates valid roster rows as Arrow record batches (explicit schema
 * `STAGED_ROSTER_SCHEMA`) and serialises them as one Arrow IPC file.
 */
export class StagedRosterWriter {
  private readonly batches: RecordBatch[] = [];
  private readonly categoryIndex = new Map<string, number>(CATEGORY_CODES.map((c, i) => [c, i]));
  private readonly categoryDictionary: Vector<Utf8> = makeVector(utf8Data(CATEGORY_CODES));
  private readonly townIndex: Map<string, number>;
  private readonly townDictionary: Vector<Utf8>;
  private rows: number[] = [];
  private amounts: number[] = [];
  private categories: number[] = [];
  private towns: number[] = [];
  private strings = emptyStrings();
  private total = 0;

  /** @param townCodes every town code a row may carry (the towns directory), in file order. */
  constructor(townCodes: readonly string[]) {
    this.townIndex = new Map(townCodes.map((c, i) => [c, i]));
    this.townDictionary = makeVector(utf8Data(townCodes));
  }

  /** Rows added so far. */
  get rowCount(): number {
    return this.total;
  }

  add(row: StagedRosterRow): void {
    const town = this.townIndex.get(row.town);
    if (town === undefined) throw new RangeError(`town code "${row.town}" is not in the towns directory`);
    this.rows.push(row.row);
    this.amounts.push(row.amountFen);
    this.categories.push(this.categoryIndex.get(row.category) as number);
    this.towns.push(town);
    const s = this.strings;
    s.id.push(row.idNumber);
    s.name.push(row.name);
    s.household.push(row.householdId);
    s.account.push(row.accountNumber);
    s.holder.push(row.accountHolderId);
    s.remark.push(row.remark);
    this.total++;
    if (this.rows.length === BATCH_ROWS) this.flush();
  }

  /** The Arrow IPC file of every row added. */
  toIpcFile(): Uint8Array {
    this.flush();
    const writer = new RecordBatchFileWriter();
    writer.reset(undefined, STAGED_ROSTER_SCHEMA);
    for (const batch of this.batches) writer.write(batch);
    writer.finish();
    return writer.toUint8Array(true);
  }

  private flush(): void {
    const length = this.rows.length;
    if (length === 0) return;
    const s = this.strings;
    const children: Data[] = [
      makeData({ type: new Uint32(), length, nullCount: 0, data: Uint32Array.from(this.rows) }),
      utf8Data(s.id),
      utf8Data(s.name),
      utf8Data(s.household),
      makeData({
        type: CATEGORY_TYPE,
        length,
        nullCount: 0,
        data: Int8Array.from(this.categories),
        dictionary: this.categoryDictionary,
      }),
      makeData({ type: new Int32(), length, nullCount: 0, data: Int32Array.from(this.amounts) }),
      makeData({
        type: TOWN_TYPE,
        length,
        nullCount: 0,
        data: Int16Array.from(this.towns),
        dictionary: this.townDictionary,
      }),
      utf8Data(s.account),
      utf8Data(s.holder),
      utf8Data(s.remark),
    ];
    const type = new Struct(STAGED_ROSTER_SCHEMA.fields);
    this.batches.push(
      new RecordBatch(STAGED_ROSTER_SCHEMA, makeData({ type, length, nullCount: 0, children })),
    );
    this.rows = [];
    this.amounts = [];
    this.categories = [];
    this.towns = [];
    this.strings = emptyStrings();
  }
}
