import { createHash } from 'node:crypto';
import { partitionOf, partitionOfBytes, partsFor } from '#domain/month-check/partition.ts';
import { type ByteRows, CsvByteRows, NotPlainUtf8CsvError } from '#formats/csv-byte-rows.ts';
import { csvRecords } from '#formats/csv-records.ts';
import { DatasetTableWriter, type RawText, type WriterMark } from '#formats/dataset-table.ts';
import { type ByteReader, type ByteValue, byteReaderOf } from '#formats/field-bytes.ts';
import { limitBytes } from '#formats/file-size-limit.ts';
import { fileKind, MAX_FILE_BYTES, RESTART, readRecords } from '#formats/roster-file.ts';
import { SpillFile, type SpillSegment } from '#formats/spill-file.ts';
import { UnreadableFileError } from '#formats/unreadable-file-error.ts';
import { datasetShard, datasetSnapshot } from '#schemas/bucket-layout.ts';
import { cleanValue } from '#schemas/clean-value.ts';
import type { DatasetDescriptor } from '#schemas/dataset-descriptor.ts';
import { dateFromDays, daysFromDate } from '#schemas/dataset-values.ts';
import {
  DATASETS,
  type DatasetName,
  type DatasetSnapshot,
  DatasetSnapshotSchema,
  isDatasetFileName,
  MAX_SKIPPED_SAMPLES,
} from '#schemas/datasets.ts';
import { type FieldReader, REJECTED } from '#schemas/field-reader.ts';
import { ReferenceDataError } from '#schemas/reference-data-error.ts';
import type { StagedShards } from '#schemas/staged-shards.ts';
import type { ObjectStore, StoredObject } from './ports.ts';

/**
 * Version of the staging rules and layout. It is part of every snapshot id, so changing how a
 * dataset is validated or staged (bump it) re-stages every dataset instead of reusing a snapshot
 * staged by the old rules.
 */
export const DATASET_STAGING_VERSION = 2;

/**
 * Rows a staged dataset shard should hold at most, about: a snapshot is split into the smallest
 * power of two of shards that gives each that many rows, as estimated from the sources' bytes
 * (see {@link ROW_BYTES_AT_LEAST}) before they are read, since the rows are sent to their shard
 * as they are read. A month-run partition then reads one shard or a few, never the whole dataset.
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

const datasetSnapshotKey = (dataset: DatasetName, snapshotId: string) =>
  datasetSnapshot.key({ dataset, snapshotId });

const byKey = (a: StoredObject, b: StoredObject) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * The source files of a dataset, sorted by key: the single file when it exists, or every `.csv`
 * file (extension in any case) directly in the partner folder whose name does not start with `.`.
 */
export async function listDatasetSources(name: DatasetName, store: ObjectStore): Promise<StoredObject[]> {
  const source = DATASETS[name].source;
  if (source.kind === 'file') {
    // List the parent folder: a listing of the key itself would also return `registry.csv.bak`.
    const parent = source.key.slice(0, source.key.lastIndexOf('/') + 1);
    return (await store.list(parent)).filter((o) => o.key === source.key);
  }
  return (await store.list(source.prefix))
    .filter((o) => {
      const fileName = o.key.slice(source.prefix.length);
      return o.key.startsWith(source.prefix) && !fileName.includes('/') && isDatasetFileName(fileName);
    })
    .sort(byKey);
}

/** The snapshot id of a dataset's sources: sha256 over the staging version, name and sorted (key, ETag) list. */
export function datasetSnapshotId(name: DatasetName, sources: readonly StoredObject[]): string {
  const identity = JSON.stringify({
    version: DATASET_STAGING_VERSION,
    dataset: name,
    sources: sources.map((s) => [s.key, s.etag]),
  });
  return createHash('sha256').update(identity).digest('hex').slice(0, 16);
}

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
  /**
   * Asked before each source file after the first, and before the shards are written: `false`
   * abandons the staging with {@link StagingSuperseded}, nothing written (a later arrival stages
   * the dataset with more files). A staging of the same snapshot that joined this one stages it
   * itself then. @default - always staged to the end
   */
  readonly stillWanted?: (() => Promise<boolean>) | undefined;
}

/** A staging abandoned because its caller no longer wants it (see {@link StagingDeps.stillWanted}). */
export class StagingSuperseded extends Error {
  constructor(readonly dataset: DatasetName) {
    super(`staging of ${dataset} abandoned: a later file of it arrived`);
    this.name = 'StagingSuperseded';
  }
}

/** Where the shards were when a file started: {@link ShardWriters.rollback} returns to it. */
interface ShardsMark {
  readonly writers: readonly WriterMark[];
  /** Set once the batches held at the mark are spilled on their own (the first spill after it). */
  spilled?: { readonly size: number; readonly segments: readonly number[] };
}

/**
 * One {@link DatasetTableWriter} per shard: each row goes to the shard of its person
 * (`partitionOf` modulo the shard count), in the order it comes, so each shard keeps source order.
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
    sources: readonly StoredObject[],
    readonly count: number,
    private readonly spillAtBytes: number,
    batchRows = Math.max(1024, Math.floor(PENDING_ROWS / count)),
  ) {
    this.segments = Array.from({ length: count }, () => []);
    const keys = sources.map((s) => s.key);
    this.writers = Array.from(
      { length: count },
      () => new DatasetTableWriter(descriptor.arrow, keys, batchRows),
    );
    this.person = descriptor.columnNames.indexOf(descriptor.person);
    if (this.person < 0)
      throw new Error(`dataset person column ${descriptor.person} is not one of its columns`);
  }

  get rowCount(): number {
    return this.writers.reduce((n, w) => n + w.rowCount, 0);
  }

  addValues(source: number, line: number, values: readonly unknown[], raw?: RawText): void {
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
    (this.writers[shard] as DatasetTableWriter).addValues(source, line, values, raw);
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

  /** Writes every shard that has rows (each writer let go once written) and returns the manifest. */
  async write(keyOf: (shard: number) => string, store: ObjectStore): Promise<StagedShards> {
    const shards: StagedShards['shards'] = [];
    const writers: (DatasetTableWriter | undefined)[] = this.writers.splice(0);
    for (let shard = 0; shard < this.count; shard++) {
      const writer = writers[shard] as DatasetTableWriter;
      writers[shard] = undefined;
      const key = keyOf(shard);
      shards.push({ key, rows: writer.rowCount });
      if (writer.rowCount === 0) continue;
      const spilled: Uint8Array[] = [];
      for (const segment of this.segments[shard] as SpillSegment[]) {
        spilled.push(await (this.spillFile as SpillFile).read(segment));
      }
      await store.put(key, writer.toIpcFile(spilled), 'application/vnd.apache.arrow.file');
    }
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

/**
 * Stages one reference, register or partner dataset (contract 2.3) as a snapshot.
 *
 * Lists the dataset's sources (see {@link listDatasetSources}) and derives the snapshot id from
 * their sorted (key, ETag) list. When `staged/datasets/{name}/{snapshotId}.json` exists it is
 * returned as is: nothing is read again. Otherwise every file is read (CSV, UTF-8 or GB18030),
 * every row is checked by the dataset's row schema, the good rows of all files are staged
 * hash-partitioned by their person (the descriptor's `person`, `partitionOf` modulo a power of two
 * chosen from the sources' size, see {@link ROWS_PER_STAGED_SHARD}) as Arrow IPC shards
 * (`…/{shard}.arrow`, the descriptor's `arrow` layout, with each row's source key and line, in
 * source order within a shard) and the snapshot is written (`….json`, listing its shards, after
 * them: a snapshot that exists is complete).
 *
 * - A row whose value cannot be parsed (a date, month or amount, an empty ID, a registry category
 *   or status) is skipped and counted per file; the first {@link MAX_SKIPPED_SAMPLES} are kept
 *   with their line and reason. Never fatal. Blank records are neither staged nor counted.
 * - A 0-byte file has no records: it is empty, not lacking columns.
 * - A missing single-file dataset gives `{ missing: true, sources: [], rows: 0 }`, not written,
 *   without staged file. The caller decides: a missing registry stops the month run
 *   (`presence: 'required'`), a missing register means no records. An absent or empty partner
 *   folder is a snapshot with no sources and no rows.
 *
 * @throws ReferenceDataError naming the file and the column when a file lacks a column the rules
 *   need, or naming the file and the reason when it cannot be read (contract 2.3: the month run
 *   stops, nothing is released on an incomplete check).
 */
export async function stageDataset<N extends DatasetName>(
  name: N,
  deps: StagingDeps,
): Promise<DatasetSnapshot<N>> {
  const descriptor: DatasetDescriptor = DATASETS[name];
  const sources = await listDatasetSources(name, deps.store);
  const snapshotId = datasetSnapshotId(name, sources);
  if (sources.length === 0 && descriptor.source.kind === 'file') {
    return {
      dataset: name,
      snapshotId,
      stagedAt: deps.now(),
      sources: [],
      rows: 0,
      skippedRows: 0,
      skippedSamples: [],
      missing: true,
    };
  }

  const snapshotKey = datasetSnapshotKey(name, snapshotId);
  // Synchronously after the listing: a staging of the same snapshot that started meanwhile is found.
  const running = inFlight(deps.store);
  for (let pending = running.get(snapshotKey); pending !== undefined; pending = running.get(snapshotKey)) {
    try {
      return (await pending) as DatasetSnapshot<N>;
    } catch (error) {
      // Abandoned by the one who started it: this caller still wants it (or another has taken it on).
      if (!(error instanceof StagingSuperseded)) throw error;
    }
  }
  const staging = stageSnapshot(name, descriptor, sources, snapshotId, deps).finally(() =>
    running.delete(snapshotKey),
  );
  running.set(snapshotKey, staging);
  return staging;
}

/**
 * The stagings in progress in this process, by store location (or store instance) and snapshot
 * key. Files of one dataset arriving together start one staging each, and each lists the same
 * files: they share the first one's work instead of all staging the whole dataset at once (the
 * local engine runs every execution in one process; a Lambda runs one invocation at a time, and
 * there a later staging finds the snapshot written).
 */
const inFlightByLocation = new Map<string, Map<string, Promise<DatasetSnapshot<DatasetName>>>>();
const inFlightByStore = new WeakMap<ObjectStore, Map<string, Promise<DatasetSnapshot<DatasetName>>>>();

function inFlight(store: ObjectStore): Map<string, Promise<DatasetSnapshot<DatasetName>>> {
  const byLocation = store.location;
  let running = byLocation === undefined ? inFlightByStore.get(store) : inFlightByLocation.get(byLocation);
  if (running === undefined) {
    running = new Map();
    if (byLocation === undefined) inFlightByStore.set(store, running);
    else inFlightByLocation.set(byLocation, running);
  }
  return running;
}

/** Stages a snapshot that is not being staged in this process: reused when already written. */
async function stageSnapshot<N extends DatasetName>(
  name: N,
  descriptor: DatasetDescriptor,
  sources: readonly StoredObject[],
  snapshotId: string,
  deps: StagingDeps,
): Promise<DatasetSnapshot<N>> {
  const snapshotKey = datasetSnapshotKey(name, snapshotId);
  const existing = await deps.store.readBytes(snapshotKey);
  if (existing !== undefined) {
    const parsed = DatasetSnapshotSchema.safeParse(safeJson(existing));
    // An unreadable snapshot is staged again (same sources, same result).
    if (parsed.success && parsed.data.dataset === name && parsed.data.snapshotId === snapshotId) {
      return parsed.data as DatasetSnapshot<N>;
    }
  }

  const bytes = sources.reduce((n, s) => n + s.size, 0);
  const shardCount = partsFor(
    Math.ceil(bytes / ROW_BYTES_AT_LEAST),
    deps.rowsPerShard ?? ROWS_PER_STAGED_SHARD,
  );
  const writer = new ShardWriters(
    descriptor,
    sources,
    shardCount,
    deps.spillAtBytes ?? SPILL_AT_BYTES,
    deps.batchRows,
  );
  const samples: { key: string; line: number; reason: string }[] = [];
  const tallies: SourceTally[] = [];
  let shards: StagedShards;
  try {
    const abandonIfUnwanted = async () => {
      if (deps.stillWanted !== undefined && !(await deps.stillWanted())) throw new StagingSuperseded(name);
    };
    for (let s = 0; s < sources.length; s++) {
      if (s > 0) await abandonIfUnwanted();
      const source = sources[s] as StoredObject;
      const context = { store: deps.store, writer, samples };
      const fast =
        deps.reader === 'records' ? undefined : await stageFileBytes(descriptor, source, s, context);
      tallies.push(
        typeof fast === 'object' ? fast : await stageFile(descriptor, source, s, context, fast === 'gb18030'),
      );
    }
    await abandonIfUnwanted();
    shards = await writer.write(
      (shard) => datasetShard.key({ dataset: name, snapshotId, shard }),
      deps.store,
    );
  } finally {
    await writer.close();
  }
  const from = tallies.reduce<string | undefined>(
    (m, t) => (t.from !== undefined && (m === undefined || t.from < m) ? t.from : m),
    undefined,
  );
  const to = tallies.reduce<string | undefined>(
    (m, t) => (t.to !== undefined && (m === undefined || t.to > m) ? t.to : m),
    undefined,
  );
  const snapshot: DatasetSnapshot<N> = {
    dataset: name,
    snapshotId,
    stagedAt: deps.now(),
    sources: sources.map((s, i) => ({
      key: s.key,
      etag: s.etag,
      size: s.size,
      rows: tallies[i]?.rows ?? 0,
      skipped: tallies[i]?.skipped ?? 0,
    })),
    rows: shards.shards.reduce((n, shard) => n + shard.rows, 0),
    skippedRows: tallies.reduce((n, t) => n + t.skipped, 0),
    skippedSamples: samples,
    ...(from !== undefined && to !== undefined ? { dateRange: { from, to } } : {}),
    shards,
  };
  await deps.store.put(snapshotKey, JSON.stringify(snapshot, null, 2), 'application/json');
  return snapshot;
}

function safeJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return undefined;
  }
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
  sourceIndex: number,
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
    writer.addValues(sourceIndex, line, values, rows === undefined ? undefined : raw);
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
  const texts = (rows: ByteRows, first: number, count: number): string[] => {
    const fields: string[] = [];
    for (let at = 0; at < count; at++) {
      fields.push(rows.text.toString('utf8', rows.start[first + at], rows.end[first + at]));
    }
    return fields;
  };
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
          indexes = resolveColumns(descriptor, texts(rows, first, count), key);
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
      const fields = texts(rows, first, count);
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
  const splitter = new CsvByteRows();
  try {
    for await (const chunk of limitBytes(await context.store.open(key))) {
      stageRows(splitter.push(chunk));
      await writer.spillIfOver();
    }
    stageRows(splitter.end());
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
  sourceIndex: number,
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
    writer.addValues(sourceIndex, line, values);
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
