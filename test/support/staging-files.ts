import fc from 'fast-check';
import iconv from 'iconv-lite';
import { CATEGORY_CODES } from '#schemas/categories.ts';
import { DATASETS, type DatasetName } from '#schemas/datasets.ts';
import { stageDataset } from '#usecases/stage-dataset.ts';
import { MemoryObjectStore } from '../unit/usecases/dataset/memory-object-store.ts';
import { anyShortText, edgeSpace, idNumberLike } from './field-values.ts';

/**
 * Generated dataset files for the staging property tests (the byte reader against the text
 * reader, spilling against holding): good, near-valid and hostile fields, any header order,
 * line ends, BOM, and UTF-8, GB18030 or broken encodings.
 */

const now = () => '2026-10-28T08:00:00.000Z';

const space = edgeSpace({ blank: 10, space: 2 });

/** Texts every kind accepts somewhere, near-valid ones and hostile ones. */
const GOOD = [
  'Y',
  'y',
  '张三',
  'ACTIVE',
  '0.00',
  '12.5',
  '9000.00',
  '2026-09',
  '2024-02-29',
  '2026-10-03',
  ...CATEGORY_CODES,
  '最低生活保障',
  'active',
  '44200019800101123X',
  '44200019800101123x',
  '440103200608302705',
];
const HOSTILE = [
  '',
  '=1+2',
  '@SUM',
  '１２３４',
  '2026-02-30',
  '2026/09/01',
  '12.345',
  '1,000',
  '-5',
  '\u0007',
  'a"b',
  'line\nbreak',
  'x,y',
  '"',
  '😀',
  'x'.repeat(300),
];

const fieldText = fc.oneof(
  { arbitrary: fc.constantFrom(...GOOD), weight: 8 },
  { arbitrary: fc.constantFrom(...HOSTILE), weight: 2 },
  { arbitrary: anyShortText, weight: 1 },
  { arbitrary: idNumberLike, weight: 3 },
);

/** A CSV field as written: quoted when it must be, sometimes when it need not be. */
const written = fc.tuple(space, fieldText, space, fc.nat({ max: 9 })).map(([a, v, b, q]) => {
  const value = `${a}${v}${b}`;
  const needs = /[",\r\n]/.test(value);
  return needs || q === 0 ? `"${value.replaceAll('"', '""')}"` : value;
});

export interface File {
  readonly header: string[];
  readonly rows: string[][];
  readonly eol: string;
  readonly endsWithEol: boolean;
  readonly bom: boolean;
  readonly encoding: 'utf-8' | 'gb18030' | 'broken';
}

export function file(name: DatasetName): fc.Arbitrary<File> {
  const descriptor = DATASETS[name];
  const columns = descriptor.columnNames;
  const header = fc
    .tuple(
      fc.oneof(
        { arbitrary: fc.shuffledSubarray([...columns], { minLength: columns.length }), weight: 3 },
        { arbitrary: fc.shuffledSubarray([...columns], { minLength: columns.length - 1 }), weight: 1 },
      ),
      fc.boolean(),
      fc.boolean(),
    )
    .map(([chosen, extra, upper]) => {
      const names = chosen.map((n) => (upper ? n.toUpperCase() : n));
      return extra ? [...names, 'remark'] : names;
    });
  return fc.record({
    header,
    rows: fc.array(
      fc.oneof(
        {
          arbitrary: fc.array(written, { minLength: columns.length, maxLength: columns.length + 1 }),
          weight: 9,
        },
        { arbitrary: fc.array(written, { maxLength: 2 }), weight: 1 },
      ),
      { maxLength: 25 },
    ),
    eol: fc.constantFrom('\n', '\r\n', '\r'),
    endsWithEol: fc.boolean(),
    bom: fc.boolean(),
    encoding: fc.constantFrom('utf-8', 'utf-8', 'utf-8', 'utf-8', 'gb18030', 'broken'),
  });
}

export function bytesOf(f: File): Uint8Array {
  const lines = [f.header.join(','), ...f.rows.map((r) => r.join(','))];
  const text = `${f.bom ? '\ufeff' : ''}${lines.join(f.eol)}${f.endsWithEol ? f.eol : ''}`;
  if (f.encoding === 'gb18030') return new Uint8Array(iconv.encode(text, 'gb18030'));
  const bytes = Buffer.from(text, 'utf8');
  if (f.encoding === 'broken') return new Uint8Array(Buffer.concat([bytes, Buffer.from([0xff, 0x0a])]));
  return new Uint8Array(bytes);
}

/**
 * Stages the files as the dataset's sources (chunk: the store's stream piece size) and returns the
 * snapshot (or the error) and every staged object's bytes.
 */
export async function stage(
  name: DatasetName,
  files: Uint8Array[],
  chunk: number,
  reader: 'bytes' | 'records',
  options: { spillAtBytes?: number; batchRows?: number; rowsPerShard?: number } = {},
) {
  const store = new MemoryObjectStore(chunk);
  const source = DATASETS[name].source;
  files.forEach((bytes, i) => {
    store.set(source.kind === 'file' ? source.key : `${source.prefix}f${i}.csv`, bytes);
  });
  const before = new Set(store.keys());
  let outcome: unknown;
  try {
    outcome = await stageDataset(name, { store, now, rowsPerShard: 4, reader, ...options });
  } catch (error) {
    outcome = { error: String(error) };
  }
  const staged = store
    .keys()
    .filter((k) => !before.has(k))
    .map((k) => [k, Buffer.from(store.get(k) ?? []).toString('base64')]);
  return { outcome, staged, store };
}
