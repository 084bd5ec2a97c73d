import { createHash } from 'node:crypto';
import { partitionOf, partitionOfBytes, partsFor } from '#domain/month-check/partition.ts';
import { ByteRecord, byteRowsOf } from '#formats/byte-record.ts';
import { type ByteRows, NotPlainUtf8CsvError } from '#formats/csv-byte-rows.ts';
import { csvRecords } from '#formats/csv-records.ts';
import { DatasetTableWriter, type RawText, type WriterMark } from '#formats/dataset-table.ts';
import { type ByteReader, type ByteValue, byteReaderOf } from '#formats/field-bytes.ts';
import { limitBytes } from '#formats/file-size-limit.ts';
import { fileKind, MAX_FILE_BYTES, RESTART, readRecords } from '#formats/roster-file.ts';
import { SpillFile, type SpillSegment } from '#formats/spill-file.ts';
import { UnreadableFileError } from '#formats/unreadable-file-error.ts';
import { datasetFile, datasetShard } from '#schemas/bucket-layout.ts';
import { cleanValue } from '#schemas/clean-value.ts';
import type { DatasetDescriptor } from '#schemas/dataset-descriptor.ts';
import { dateFromDays, daysFromDate } from '#schemas/dataset-values.ts';
import {
  DATASETS,
  type DatasetFileStaging,
  DatasetFileStagingSchema,
  type DatasetName,
  MAX_SKIPPED_SAMPLES,
} from '#schemas/datasets.ts';
import { type FieldReader, REJECTED } from '#schemas/field-reader.ts';
import { ReferenceDataError } from '#schemas/reference-data-error.ts';
import type { StagedShards } from '#schemas/staged-shards.ts';
import { inBatches } from './in-batches.ts';
import type { ObjectStore, StoredObject } from './ports.ts';
import { readJsonIfWholeAs } from './read-json.ts';
import { once } from './staging-in-flight.ts';

/**
 * Version of the staging rules and layout. It is part of every file id and snapshot id, so
 * changing how a dataset is validated or staged (bump it) re-stages every file instead of reusing
 * a staging made by the old rules.
 */
export const DATASET_STAGING_VERSION = 3;

/**
 * Rows a staged dataset shard should hold at most, about: a source file is split into the smallest
 * power of two of shards that gives each that many rows, as estimated from the file's bytes (see
 * {@link ROW_BYTES_AT_LEAST}) before it is read, since the rows are sent to their shard as they
 * are read. A month-run partition then reads one shard or a few of each file, never the whole dataset.
 */
export const ROWS_PER_STAGED_SHARD = 262_144;

/**
 * Fewest bytes a partner or registry row takes in its file (an 18-character ID, a separator, a
 * date or a month and an end of line): the estimate of rows from bytes errs towards more, smaller
 * shards.
 */
const ROW_BYTES_AT_LEAST = 32;

/** Rows of the record batches of all shards together waiting as values, at most (about). */
const PENDING_ROWS = 65_536;

/**
 * Bytes of finished record batches the shards may hold together before they are spilled to a
 * local scratch file (`SpillFile`) until their shard is written: staging a dataset then holds
 * about this much whatever its size (a province's social-insurance months are tens of millions
 * of rows, ~100 bytes each), and needs that much local disk instead (the stack gives the staging
 * function a `/tmp` to match).
 */
export const SPILL_AT_BYTES = 128 * 1024 * 1024;

/**
 * Shards written at once: one is made (its spilled batches read back and joined into an Arrow
 * file) while the others' PUTs are in flight, so the function does not wait for each PUT in turn.
 */
const SHARD_WRITES_AT_ONCE = 3;

/** What staging needs: the bucket, the clock, and (for tests and benches) a smaller shard size. */
export interface StagingDeps {
  readonly store: ObjectStore;
  readonly now: () => string;
  /** Rows per shard instead of {@link ROWS_PER_STAGED_SHARD}. */
  readonly rowsPerShard?: number | undefined;
  /**
   * `'records'` reads every file as text records (`readRecords`), never from its bytes: the
   * reference the byte reader is tested and measured against.
   * @default 'bytes'
   */
  readonly reader?: 'bytes' | 'records' | undefined;
  /** Bytes held before spilling instead of {@link SPILL_AT_BYTES}. */
  readonly spillAtBytes?: number | undefined;
  /** Rows per record batch of a shard instead of about {@link PENDING_ROWS} over the shards. */
  readonly batchRows?: number | undefined;
}

/** Where the shards were when a file started: {@link ShardWriters.rollback} returns to it. */
interface ShardsMark {
  readonly writers: readonly WriterMark[];
  /** Set once the batches held at the mark are spilled on their own (the first spill after it). */
  spilled?: { readonly size: number; readonly segments: readonly number[] };
}

/**
 * One {@link DatasetTableWriter} per shard of one source file: each row goes to the shard of its person
 * (`partitionOf` modulo the shard count), in the order it comes, so each shard keeps file order.
 */
class ShardWriters {
  private readonly writers: DatasetTableWriter[];
  private readonly person: number;
  /** The scratch file, once something is spilled; each shard's segments in it, in order. */
  private spillFile: SpillFile | undefined;
  private readonly segments: SpillSegment[][];
  private lastMark: ShardsMark | undefined;

  constructor(
    descriptor: DatasetDescriptor,
    source: StoredObject,
    readonly count: number,
    private readonly spillAtBytes: number,
    batchRows = Math.max(1024, Math.floor(PENDING_ROWS / count)),
  ) {
    this.segments = Array.from({ length: count }, () => []);
    this.writers = Array.from(
      { length: count },
      () => new DatasetTableWriter(descriptor.arrow, [source.key], batchRows),
    );
    this.person = descriptor.columnNames.indexOf(descriptor.person);
    if (this.person < 0)
      throw new Error(`dataset person column ${descriptor.person} is not one of its columns`);
  }

  get rowCount(): number {
    return this.writers.reduce((n, w) => n + w.rowCount, 0);
  }

  /** Adds a row of the file (its only source, 0 in each shard's `source` column). */
  addValues(line: number, values: readonly unknown[], raw?: RawText): void {
    let shard = 0;
    if (this.count > 1) {
      const at = raw === undefined ? -1 : (raw.start[this.person] as number);
      if (at >= 0) {
        const bytes = (raw as RawText).bytes;
        shard = partitionOfBytes(bytes, at, (raw as RawText).end[this.person] as number, this.count);
      } else {
        const person = values[this.person];
        shard = partitionOf(typeof person === 'string' ? person : '', this.count);
      }
    }
    (this.writers[shard] as DatasetTableWriter).addValues(0, line, values, raw);
  }

  mark(): ShardsMark {
    this.lastMark = { writers: this.writers.map((w) => w.mark()) };
    return this.lastMark;
  }

  /** Drops every row added since `mark`, spilled ones included. */
  async rollback(mark: ShardsMark): Promise<void> {
    this.writers.forEach((w, i) => {
      w.rollback(mark.writers[i] as WriterMark);
    });
    if (mark.spilled !== undefined) {
      const { size, segments } = mark.spilled;
      await this.spillFile?.truncate(size);
      this.segments.forEach((list, i) => {
        list.length = segments[i] as number;
      });
    }
  }

  /** Spills every shard's finished batches when together they hold more than the budget. */
  async spillIfOver(): Promise<void> {
    let held = 0;
    for (const writer of this.writers) held += writer.heldBytes;
    if (held <= this.spillAtBytes) return;
    this.spillFile ??= await SpillFile.create();
    const mark = this.lastMark;
    if (mark !== undefined && mark.spilled === undefined) {
      // The batches held from before the mark first, on their own: a rollback keeps them.
      await this.spillEach((w, i) => w.spill((mark.writers[i] as WriterMark).batches));
      mark.spilled = { size: this.spillFile.size, segments: this.segments.map((list) => list.length) };
    }
    await this.spillEach((w) => w.spill());
  }

  private async spillEach(
    take: (w: DatasetTableWriter, shard: number) => Uint8Array | undefined,
  ): Promise<void> {
    const file = this.spillFile as SpillFile;
    for (let shard = 0; shard < this.count; shard++) {
      const bytes = take(this.writers[shard] as DatasetTableWriter, shard);
      if (bytes !== undefined) (this.segments[shard] as SpillSegment[]).push(await file.append(bytes));
    }
  }

  /**
   * Writes every shard that has rows, {@link SHARD_WRITES_AT_ONCE} at a time (each writer let go
   * once written), and returns the manifest, in shard order.
   */
  async write(keyOf: (shard: number) => string, store: ObjectStore): Promise<StagedShards> {
    const writers: (DatasetTableWriter | undefined)[] = this.writers.splice(0);
    const shards: StagedShards['shards'] = writers.map((writer, shard) => ({
      key: keyOf(shard),
      rows: (writer as DatasetTableWriter).rowCount,
    }));
    const written = shards.flatMap((s, shard) => (s.rows > 0 ? [shard] : []));
    await inBatches(written, SHARD_WRITES_AT_ONCE, async (shard) => {
      const writer = writers[shard] as DatasetTableWriter;
      writers[shard] = undefined;
      const spilled: Uint8Array[] = [];
      for (const segment of this.segments[shard] as SpillSegment[]) {
        spilled.push(await (this.spillFile as SpillFile).read(segment));
      }
      const { key } = shards[shard] as StagedShards['shards'][number];
      await store.put(key, writer.toIpcFile(spilled), 'application/vnd.apache.arrow.file');
    });
    return { count: this.count, shards };
  }

  /** Removes the scratch file, if any. */
  async close(): Promise<void> {
    await this.spillFile?.close();
    this.spillFile = undefined;
  }
}

interface SourceTally {
  rows: number;
  skipped: number;
  from: string | undefined;
  to: string | undefined;
}

/** Header name (lower case) → field index, first occurrence winning; stray leading BOM removed. */
function headerIndex(header: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  header.forEach((raw, i) => {
    const name = cleanValue(raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw).toLowerCase();
    if (!index.has(name)) index.set(name, i);
  });
  return index;
}

function isBlank(fields: readonly string[]): boolean {
  for (const field of fields) if (cleanValue(field) !== '') return false;
  return true;
}

/** The id of one source file's staging: sha256 over the staging version, the dataset, and the file's key and ETag. */
export function datasetFileId(name: DatasetName, source: Pick<StoredObject, 'key' | 'etag'>): string {
  const identity = JSON.stringify({
    version: DATASET_STAGING_VERSION,
    dataset: name,
    file: [source.key, source.etag],
  });
  return createHash('sha256').update(identity).digest('hex').slice(0, 16);
}

/** The file's staging when written (and readable), else `undefined`. */
export async function readFileStaging(
  name: DatasetName,
  source: StoredObject,
  store: ObjectStore,
): Promise<DatasetFileStaging | undefined> {
  const fileId = datasetFileId(name, source);
  return readJsonIfWholeAs(
    store,
    datasetFile.key({ dataset: name, fileId }),
    DatasetFileStagingSchema,
    (staging) => staging.dataset === name && staging.fileId === fileId,
  );
}

/**
 * Stages one source file of a dataset on its own (`staged/dataset-files/{name}/{fileId}.json`,
 * see `DatasetFileStagingSchema`), or returns its staging when written already. The file is read
 * (CSV, UTF-8 or GB18030), every row checked by the dataset's row schema, and its good rows staged
 * hash-partitioned by their person (the descriptor's `person`, `partitionOf` modulo a power of two
 * chosen from the file's size, see {@link ROWS_PER_STAGED_SHARD}) as Arrow IPC shards
 * (`staged/dataset-files/{name}/{fileId}/{shard}.arrow`, the descriptor's `arrow` layout, with each row's line, in file
 * order within a shard), then its staging is written (after them: a staging that exists is complete).
 * @throws ReferenceDataError as {@link stageDataset} does, for this file.
 */
export async function stageDatasetFile(
  name: DatasetName,
  source: StoredObject,
  deps: StagingDeps,
): Promise<DatasetFileStaging> {
  const fileId = datasetFileId(name, source);
  return once(deps.store, datasetFile.key({ dataset: name, fileId }), async () => {
    const existing = await readFileStaging(name, source, deps.store);
    if (existing !== undefined) return existing;
    return stageFileShards(name, source, fileId, deps);
  });
}

async function stageFileShards(
  name: DatasetName,
  source: StoredObject,
  fileId: string,
  deps: StagingDeps,
): Promise<DatasetFileStaging> {
  const descriptor: DatasetDescriptor = DATASETS[name];
  const shardCount = partsFor(
    Math.ceil(source.size / ROW_BYTES_AT_LEAST),
    deps.rowsPerShard ?? ROWS_PER_STAGED_SHARD,
  );
  const writer = new ShardWriters(
    descriptor,
    source,
    shardCount,
    deps.spillAtBytes ?? SPILL_AT_BYTES,
    deps.batchRows,
  );
  const samples: { key: string; line: number; reason: string }[] = [];
  let tally: SourceTally;
  let shards: StagedShards;
  try {
    const context = { store: deps.store, writer, samples };
    const fast = deps.reader === 'records' ? undefined : await stageFileBytes(descriptor, source, context);
    tally =
      typeof fast === 'object' ? fast : await stageFile(descriptor, source, context, fast === 'gb18030');
    shards = await writer.write((shard) => datasetShard.key({ dataset: name, fileId, shard }), deps.store);
  } finally {
    await writer.close();
  }
  const staging: DatasetFileStaging = {
    dataset: name,
    fileId,
    stagedAt: deps.now(),
    source: {
      key: source.key,
      etag: source.etag,
      size: source.size,
      rows: tally.rows,
      skipped: tally.skipped,
    },
    skippedSamples: samples,
    ...(tally.from !== undefined && tally.to !== undefined
      ? { dateRange: { from: tally.from, to: tally.to } }
      : {}),
    shards,
  };
  await deps.store.put(
    datasetFile.key({ dataset: name, fileId }),
    JSON.stringify(staging, null, 2),
    'application/json',
  );
  return staging;
}

/** What staging a file adds to: the writer of the snapshot's shards and the skipped row samples. */
interface FileContext {
  store: ObjectStore;
  writer: ShardWriters;
  samples: { key: string; line: number; reason: string }[];
}

/**
 * Reads one CSV source file into the writer from its bytes (see `CsvByteRows`), each field read
 * by its kind's byte reader when plain and by its field reader (the zod schema) otherwise, so
 * that most fields never become a string; returns its counts, the same as {@link stageFile}'s.
 * Returns `undefined`, with nothing added, for a file it does not read (not plain UTF-8 CSV, see
 * `NotPlainUtf8CsvError`; not a CSV file; lacking a column): {@link stageFile} reads it, and says
 * what is wrong with it; `'gb18030'` when the file is not UTF-8, which {@link stageFile} would
 * find out and then read it as GB18030 from its start.
 */
async function stageFileBytes(
  descriptor: DatasetDescriptor,
  source: StoredObject,
  context: FileContext,
): Promise<SourceTally | 'gb18030' | undefined> {
  const { key } = source;
  if (fileKind(key) !== 'csv' || source.size === 0 || source.size > MAX_FILE_BYTES) return undefined;
  const { writer, samples } = context;
  const readers = descriptor.fieldReaders;
  const names = descriptor.columnNames;
  const byteReaders: (ByteReader | undefined)[] = names.map((name) => {
    const column = descriptor.columns[name];
    return column === undefined ? undefined : byteReaderOf(column.kind);
  });
  const rangeColumn = descriptor.rangeKey === undefined ? -1 : names.indexOf(descriptor.rangeKey);
  const rangeIsDate = rangeColumn >= 0 && descriptor.arrow.columns[rangeColumn]?.staged.kind === 'date';
  const mark = writer.mark();
  const samplesAtStart = samples.length;
  const tally: SourceTally = { rows: 0, skipped: 0, from: undefined, to: undefined };
  let fromDays = Number.POSITIVE_INFINITY;
  let toDays = Number.NEGATIVE_INFINITY;
  const values: unknown[] = new Array(names.length);
  const raw: RawText = {
    bytes: new Uint8Array(0),
    start: new Int32Array(names.length),
    end: new Int32Array(names.length),
  };
  const out: ByteValue = { raw: false, value: undefined };
  // The last range text read from bytes, and its bytes: a file's rows mostly share one month.
  let lastRange = '';
  let lastRangeBytes = new Uint8Array(0);
  const rangeText = (bytes: Uint8Array, text: Buffer, start: number, end: number): string => {
    const length = end - start;
    if (length === lastRangeBytes.length) {
      let same = true;
      for (let i = 0; i < length; i++) {
        if (bytes[start + i] !== lastRangeBytes[i]) {
          same = false;
          break;
        }
      }
      if (same) return lastRange;
    }
    lastRangeBytes = bytes.slice(start, end);
    lastRange = text.toString('utf8', start, end);
    return lastRange;
  };
  const keep = (line: number, rows: ByteRows | undefined) => {
    writer.addValues(line, values, rows === undefined ? undefined : raw);
    tally.rows++;
    if (rangeColumn < 0) return;
    if (rangeIsDate) {
      // A date's day number orders as its YYYY-MM-DD text: the text is made once, at the end.
      const value = values[rangeColumn];
      const days = typeof value === 'number' ? value : daysFromDate(value as string);
      if (days < fromDays) fromDays = days;
      if (days > toDays) toDays = days;
      return;
    }
    const at = rows === undefined ? -1 : (raw.start[rangeColumn] as number);
    const value =
      at >= 0
        ? rangeText(raw.bytes, (rows as ByteRows).text, at, raw.end[rangeColumn] as number)
        : (values[rangeColumn] as string);
    if (tally.from === undefined || value < tally.from) tally.from = value;
    if (tally.to === undefined || value > tally.to) tally.to = value;
  };
  let indexes: number[] | undefined;
  // A record's texts, when its fields must become strings (its header, a rejected row).
  const record = new ByteRecord();
  const stageRows = (rows: ByteRows) => {
    const { bytes, text, fieldStart, start, end } = rows;
    raw.bytes = bytes;
    for (let r = 0; r < rows.count; r++) {
      const row = rows.firstRow + r;
      const first = fieldStart[r] as number;
      const count = (fieldStart[r + 1] as number) - first;
      if (row === 0 || indexes === undefined) {
        // The first record is the header, even when blank (contract section 2).
        try {
          indexes = resolveColumns(descriptor, record.at(rows, r).fields(), key);
        } catch (error) {
          if (error instanceof ReferenceDataError) throw new NotPlainUtf8CsvError(error.message);
          throw error;
        }
        if (row === 0) continue;
      }
      let accepted = true;
      let withRaw = false;
      for (let c = 0; c < readers.length; c++) {
        const at = indexes[c] as number;
        let field: string | undefined;
        if (at >= 0 && at < count) {
          const s = start[first + at] as number;
          const e = end[first + at] as number;
          const read = byteReaders[c];
          if (read?.(bytes, s, e, out)) {
            if (out.raw) {
              raw.start[c] = s;
              raw.end[c] = e;
              withRaw = true;
            } else {
              raw.start[c] = -1;
              values[c] = out.value;
            }
            continue;
          }
          field = text.toString('utf8', s, e);
        }
        const value = (readers[c] as FieldReader)(field);
        if (value === REJECTED) {
          accepted = false;
          break;
        }
        raw.start[c] = -1;
        values[c] = value;
      }
      if (accepted) {
        keep(row, withRaw ? rows : undefined);
        continue;
      }
      // A rejected row is judged as `stageFile` judges it, on its texts.
      const fields = record.at(rows, r).fields();
      if (isBlank(fields)) continue;
      const judged = judgeRow(descriptor, indexes, fields);
      if ('values' in judged) {
        for (let c = 0; c < names.length; c++) values[c] = judged.values[c];
        keep(row, undefined);
        continue;
      }
      tally.skipped++;
      if (samples.length < MAX_SKIPPED_SAMPLES) samples.push({ key, line: row, reason: judged.reason });
    }
  };
  try {
    for await (const rows of byteRowsOf(await context.store.open(key))) {
      stageRows(rows);
      await writer.spillIfOver();
    }
  } catch (error) {
    if (!(error instanceof NotPlainUtf8CsvError || error instanceof UnreadableFileError)) throw error;
    await writer.rollback(mark);
    samples.length = samplesAtStart;
    return error instanceof NotPlainUtf8CsvError && error.notUtf8 ? 'gb18030' : undefined;
  }
  if (rangeIsDate && tally.rows > 0) {
    tally.from = dateFromDays(fromDays);
    tally.to = dateFromDays(toDays);
  }
  return tally;
}

/**
 * Reads one source file into the writer from its text records; returns its counts.
 * @param gb18030 the file is known not to be UTF-8 (a CSV file, not empty, not too large): read
 *   it as GB18030 at once, as `readRecords` would after trying UTF-8.
 */
async function stageFile(
  descriptor: DatasetDescriptor,
  source: StoredObject,
  context: FileContext,
  gb18030 = false,
): Promise<SourceTally> {
  const { key } = source;
  const { writer, samples } = context;
  const readers = descriptor.fieldReaders;
  const names = descriptor.columnNames;
  const rangeColumn = descriptor.rangeKey === undefined ? -1 : names.indexOf(descriptor.rangeKey);
  const mark = writer.mark();
  const samplesAtStart = samples.length;
  const fresh = (): SourceTally => ({ rows: 0, skipped: 0, from: undefined, to: undefined });
  let tally = fresh();
  const keep = (line: number, values: readonly unknown[]) => {
    writer.addValues(line, values);
    tally.rows++;
    if (rangeColumn >= 0) {
      const value = values[rangeColumn] as string;
      if (tally.from === undefined || value < tally.from) tally.from = value;
      if (tally.to === undefined || value > tally.to) tally.to = value;
    }
  };
  // Field index of every contract column, or -1 for an absent optional one.
  let indexes: number[] | undefined;
  // One row's values, reused: the readers' output, copied by the writer.
  const values: unknown[] = new Array(names.length);
  try {
    const open = () => context.store.open(key);
    const batches = gb18030
      ? csvRecords(limitBytes(await open()), 'gb18030')
      : readRecords(open, key, source.size);
    for await (const batch of batches) {
      if (batch === RESTART) {
        // Not UTF-8 after all: the file is read again from its header as GB18030.
        await writer.rollback(mark);
        samples.length = samplesAtStart;
        tally = fresh();
        indexes = undefined;
        continue;
      }
      for (const record of batch) {
        if (record.row === 0 || indexes === undefined) {
          // The first record is the header, even when blank (contract section 2).
          indexes = resolveColumns(descriptor, record.fields, key);
          if (record.row === 0) continue;
        }
        const fields = record.fields;
        let accepted = true;
        for (let c = 0; c < readers.length; c++) {
          const at = indexes[c] as number;
          const value = (readers[c] as FieldReader)(at < 0 ? undefined : fields[at]);
          if (value === REJECTED) {
            accepted = false;
            break;
          }
          values[c] = value;
        }
        if (accepted) {
          keep(record.row, values);
          continue;
        }
        if (isBlank(fields)) continue;
        const judged = judgeRow(descriptor, indexes, fields);
        if ('values' in judged) {
          keep(record.row, judged.values);
          continue;
        }
        tally.skipped++;
        if (samples.length < MAX_SKIPPED_SAMPLES)
          samples.push({ key, line: record.row, reason: judged.reason });
      }
      await writer.spillIfOver();
    }
  } catch (error) {
    if (error instanceof UnreadableFileError) {
      throw new ReferenceDataError(`${key}: ${error.reason}`, { file: key });
    }
    throw error;
  }
  return tally;
}

/**
 * A row the field readers refused, judged by the dataset's row schema itself (which also says
 * why): its values in column order, or the reason it is skipped.
 */
function judgeRow(
  descriptor: DatasetDescriptor,
  indexes: readonly number[],
  fields: readonly string[],
): { values: unknown[] } | { reason: string } {
  const names = descriptor.columnNames;
  const input: Record<string, string | undefined> = {};
  for (let c = 0; c < names.length; c++) {
    const at = indexes[c] as number;
    input[names[c] as string] = at < 0 ? undefined : fields[at];
  }
  const result = descriptor.rowSchema.safeParse(input);
  if (!result.success) return { reason: result.error.issues.map((i) => i.message).join('; ') };
  const row = result.data as Record<string, unknown>;
  return { values: names.map((name) => row[name]) };
}

/**
 * The field index of each of the descriptor's columns (−1 when an optional one is absent): the
 * first header field holding the column's name or one of its aliases, matched case-insensitively
 * after trimming (contract 2).
 * @throws ReferenceDataError naming the file and every missing required column.
 * @example resolveColumns(DATASETS.deaths, ['Date_Of_Death', 'id_number'], key) // [1, -1, 0]
 */
export function resolveColumns(
  descriptor: DatasetDescriptor,
  header: readonly string[],
  key: string,
): number[] {
  const index = headerIndex(header);
  const indexes = descriptor.columnNames.map((name) => {
    const aliases = descriptor.columns[name]?.aliases ?? [];
    let at = index.get(name) ?? -1;
    for (const alias of aliases) {
      const other = index.get(alias.toLowerCase()) ?? -1;
      if (other >= 0 && (at < 0 || other < at)) at = other;
    }
    return at;
  });
  const missing = descriptor.columnNames.filter(
    (name, c) => descriptor.columns[name]?.required && indexes[c] === -1,
  );
  if (missing.length > 0) {
    const list = missing.join(', ');
    const noun = missing.length === 1 ? 'column' : 'columns';
    throw new ReferenceDataError(`${key} 缺少列 ${list} / ${key} lacks ${noun} ${list}`, {
      file: key,
      column: missing[0],
    });
  }
  return indexes;
}
