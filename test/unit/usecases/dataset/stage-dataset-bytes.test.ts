import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { CATEGORY_CODES } from '#schemas/categories.ts';
import { DATASET_NAMES, DATASETS, type DatasetName } from '#schemas/datasets.ts';
import { stageDataset } from '#usecases/stage-dataset.ts';
import { anyShortText, edgeSpace, idNumberLike } from '../../../support/field-values.ts';
import { MemoryObjectStore } from './memory-object-store.ts';

/**
 * Staging from a file's bytes (`CsvByteRows` and the byte readers) against staging from its text
 * records (`readRecords` and the zod-derived field readers), on generated files: the same
 * snapshot, the same staged bytes, the same error.
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

interface File {
  readonly header: string[];
  readonly rows: string[][];
  readonly eol: string;
  readonly endsWithEol: boolean;
  readonly bom: boolean;
  readonly encoding: 'utf-8' | 'gb18030' | 'broken';
}

function file(name: DatasetName): fc.Arbitrary<File> {
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

function bytesOf(f: File): Uint8Array {
  const lines = [f.header.join(','), ...f.rows.map((r) => r.join(','))];
  const text = `${f.bom ? '\ufeff' : ''}${lines.join(f.eol)}${f.endsWithEol ? f.eol : ''}`;
  if (f.encoding === 'gb18030') return new Uint8Array(iconv.encode(text, 'gb18030'));
  const bytes = Buffer.from(text, 'utf8');
  if (f.encoding === 'broken') return new Uint8Array(Buffer.concat([bytes, Buffer.from([0xff, 0x0a])]));
  return new Uint8Array(bytes);
}

async function stage(name: DatasetName, files: Uint8Array[], chunk: number, reader: 'bytes' | 'records') {
  const store = new MemoryObjectStore(chunk);
  const source = DATASETS[name].source;
  files.forEach((bytes, i) => {
    store.set(source.kind === 'file' ? source.key : `${source.prefix}f${i}.csv`, bytes);
  });
  const before = new Set(store.keys());
  let outcome: unknown;
  try {
    outcome = await stageDataset(name, { store, now, rowsPerShard: 4, reader });
  } catch (error) {
    outcome = { error: String(error) };
  }
  const staged = store
    .keys()
    .filter((k) => !before.has(k))
    .map((k) => [k, Buffer.from(store.get(k) ?? []).toString('base64')]);
  return { outcome, staged, store };
}

describe('stageDataset from bytes', () => {
  it.each(DATASET_NAMES)(
    'stages %s files as the text reader does, byte for byte',
    async (name) => {
      let fromBytes = 0;
      let opened = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(file(name), { minLength: 1, maxLength: DATASETS[name].source.kind === 'file' ? 1 : 3 }),
          fc.constantFrom(1, 3, 7, 64, 4096),
          async (files, chunk) => {
            // Prepare
            const bytes = files.map(bytesOf);

            // Act
            const viaBytes = await stage(name, bytes, chunk, 'bytes');
            const viaRecords = await stage(name, bytes, chunk, 'records');

            // Assess
            expect(viaBytes.outcome).toEqual(viaRecords.outcome);
            expect(viaBytes.staged).toEqual(viaRecords.staged);
            // A file read from its bytes is opened once; one the byte reader leaves is opened again.
            const opens = viaBytes.store.calls.open;
            for (const key of new Set(opens)) {
              opened++;
              if (opens.filter((k) => k === key).length === 1 && files.length > 0) fromBytes++;
            }
          },
        ),
        { numRuns: 150 },
      );
      // Many files are read from their bytes: the comparison is not only the text reader's with itself.
      // (A quarter to a third of generated registry files take the byte path, its many fields giving
      // the text path more chances; an eighth is far enough below that to fail only when the byte
      // path is gone, not one seed in ten.)
      expect(fromBytes).toBeGreaterThan(opened / 8);
    },
    120_000,
  );

  it('reads the plain quoted field, CRLF, BOM and a last line without line break from bytes', async () => {
    // Prepare
    const text =
      '\ufeffid_number,month,employer,contribution_base,pension_amount\r\n' +
      '440103200608302705,2026-09,"某某,厂",9000.00,\r\n' +
      '44010320060830270x,2026-09,某某,"1,000",\r\n' +
      '\r\n' +
      '440103200608302706,2026-10,"多\n行",,12.5';
    const bytes = [new Uint8Array(Buffer.from(text, 'utf8'))];

    // Act
    const viaBytes = await stage('social-insurance', bytes, 5, 'bytes');
    const viaRecords = await stage('social-insurance', bytes, 5, 'records');

    // Assess
    expect(viaBytes.store.calls.open).toEqual(['partners/social-insurance/f0.csv']);
    expect(viaBytes.outcome).toEqual(viaRecords.outcome);
    expect(viaBytes.staged).toEqual(viaRecords.staged);
    expect(viaBytes.outcome).toMatchObject({
      rows: 2,
      skippedRows: 1,
      skippedSamples: [{ line: 2 }],
      dateRange: { from: '2026-09', to: '2026-10' },
    });
  });
});
