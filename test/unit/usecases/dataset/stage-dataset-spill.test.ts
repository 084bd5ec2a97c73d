import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DATASET_NAMES, DATASETS, type DatasetName } from '#schemas/datasets.ts';
import { validId } from '../../../support/roster-builder.ts';
import { bytesOf, type File, file, stage } from '../../../support/staging-files.ts';

/**
 * Staging that spills its finished record batches to a local scratch file (what keeps a
 * province's partner datasets within a Lambda's memory) against staging that holds them: the
 * same snapshot, the same staged bytes, the same error — also when a file is read again from its
 * start after batches made from it were spilled (a file found not to be UTF-8 part-way, or one the
 * byte reader gives up on), and whether the bytes or the text reader reads it.
 */

/** One row per record batch, so the few rows of a generated file make several batches. */
const SMALL_BATCHES = { batchRows: 1 };

/** A value every dataset accepts in a column, by the column's name. */
function validValue(column: string): fc.Arbitrary<string> {
  if (column.endsWith('id_number'))
    return fc
      .tuple(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 1, max: 999 }))
      .map(([day, seq]) => validId(`196001${String(day).padStart(2, '0')}`, seq));
  if (column === 'date_of_death' || column === 'cremation_date')
    return fc.integer({ min: 1, max: 28 }).map((d) => `2026-09-${String(d).padStart(2, '0')}`);
  if (column === 'month' || column === 'valid_from' || column === 'valid_to')
    return fc.integer({ min: 1, max: 9 }).map((m) => `2026-0${m}`);
  if (column.endsWith('amount') || column === 'contribution_base')
    return fc.integer({ min: 0, max: 999_999 }).map((fen) => (fen / 100).toFixed(2));
  if (column === 'category') return fc.constantFrom('DIBAO', '低保', 'CHILD');
  if (column === 'status') return fc.constantFrom('ACTIVE', 'active');
  if (column === 'filed') return fc.constantFrom('Y', 'N');
  return fc.constantFrom('张三', 'guzhen', '6222000000001234', 'H0001', '某某厂');
}

/**
 * A generated file (see `staging-files.ts`) with valid rows mixed in, so that the datasets whose
 * rows need a valid ID and date also have shards of many rows.
 */
function fileWithValidRows(name: DatasetName): fc.Arbitrary<File> {
  return file(name).chain((f) =>
    fc
      .array(fc.tuple(fc.tuple(...f.header.map((h) => validValue(h.toLowerCase()))), fc.nat()), {
        maxLength: 40,
      })
      .map((valid) => {
        const rows = [...f.rows];
        for (const [row, at] of valid) rows.splice(at % (rows.length + 1), 0, row);
        return { ...f, rows };
      }),
  );
}

async function spillFolders(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith('payguard-spill-'));
}

describe('stageDataset spilling to local scratch', () => {
  it.each(DATASET_NAMES)(
    'stages %s files as without spilling, byte for byte, and leaves no scratch behind',
    async (name) => {
      const before = new Set(await spillFolders());
      let spilledRuns = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fileWithValidRows(name), {
            minLength: 1,
            maxLength: DATASETS[name].source.kind === 'file' ? 1 : 3,
          }),
          fc.constantFrom(1, 7, 64, 4096),
          fc.constantFrom<'bytes' | 'records'>('bytes', 'records'),
          fc.constantFrom(4, 1_000_000),
          async (files, chunk, reader, rowsPerShard) => {
            // Prepare
            const bytes = files.map(bytesOf);
            const options = { ...SMALL_BATCHES, rowsPerShard };

            // Act
            const held = await stage(name, bytes, chunk, reader, options);
            const spilled = await stage(name, bytes, chunk, reader, { ...options, spillAtBytes: 0 });

            // Assess
            expect(spilled.outcome).toEqual(held.outcome);
            expect(spilled.staged).toEqual(held.staged);
            // A shard of two rows or more made a second batch after spilling its first.
            const sources = (held.outcome as { sources?: { shards: { shards: { rows: number }[] } }[] })
              .sources;
            const shards = (sources ?? []).flatMap((source) => source.shards.shards);
            if (shards.some((shard) => shard.rows >= 2)) spilledRuns++;
          },
        ),
        { numRuns: 60 },
      );
      // Enough runs spilled a batch and read it back for the comparison to mean something.
      expect(spilledRuns).toBeGreaterThan(10);
      expect((await spillFolders()).filter((f) => !before.has(f))).toEqual([]);
    },
    120_000,
  );

  it('drops the rows spilled from a file that is then read again as GB18030', async () => {
    // Prepare: UTF-8-looking rows first, then a GB18030 name far enough in that batches of the
    // first rows were spilled when the text reader finds the file is not UTF-8.
    const header = 'id_number,name,date_of_death\n';
    const plain = Array.from(
      { length: 40 },
      (_, i) => `4401032006083027${String(i % 10)}${i % 2 === 0 ? 'X' : '5'},Li,2026-09-0${1 + (i % 9)}\n`,
    ).join('');
    const gbName = Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]); // 张三 in GB18030, not UTF-8
    const file = Buffer.concat([
      Buffer.from(header + plain, 'utf8'),
      Buffer.from('440103200608302705,', 'utf8'),
      gbName,
      Buffer.from(',2026-09-30\n', 'utf8'),
    ]);

    // Act
    const results = [];
    for (const reader of ['bytes', 'records'] as const) {
      const held = await stage('deaths', [new Uint8Array(file)], 64, reader, SMALL_BATCHES);
      const spilled = await stage('deaths', [new Uint8Array(file)], 64, reader, {
        ...SMALL_BATCHES,
        spillAtBytes: 0,
      });
      results.push({ held, spilled });
    }

    // Assess
    for (const { held, spilled } of results) {
      expect(spilled.outcome).toEqual(held.outcome);
      expect(spilled.staged).toEqual(held.staged);
      expect(held.outcome).toMatchObject({ rows: 41, skippedRows: 0 });
    }
  });
});
