import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { partitionOf } from '#domain/month-check/partition.ts';
import { datasetFile, datasetShard, datasetSnapshot } from '#schemas/bucket-layout.ts';
import { DATASET_NAMES, DATASETS, DatasetSnapshotSchema, datasetOfKey } from '#schemas/datasets.ts';
import { loadDataset } from '#usecases/load-dataset.ts';
import { listDatasetSources, stageDataset } from '#usecases/stage-dataset.ts';
import { datasetFileId } from '#usecases/stage-dataset-file.ts';
import { MemoryObjectStore } from './memory-object-store.ts';

const now = () => '2026-10-28T08:00:00.000Z';

function deathsStore(): MemoryObjectStore {
  return new MemoryObjectStore()
    .set('partners/deaths/a.csv', 'id_number,name,date_of_death\n442000193001011245,甲,2026-10-03\n')
    .set(
      'partners/deaths/b.csv',
      'id_number,name,date_of_death\n442000193001011246,乙,2026-10-04\nX,丙,bad\n',
    );
}

describe('stageDataset snapshots', () => {
  it('stages each file on its own (its Arrow shards, then its staging), then the snapshot listing them', async () => {
    // Prepare
    const store = deathsStore();
    const [a, b] = await listDatasetSources('deaths', store);
    const idA = datasetFileId('deaths', a as NonNullable<typeof a>);
    const idB = datasetFileId('deaths', b as NonNullable<typeof b>);

    // Act
    const snapshot = await stageDataset('deaths', { store, now });

    // Assess
    expect(snapshot.snapshotId).toMatch(/^[0-9a-f]{16}$/);
    expect(new Set([idA, idB, snapshot.snapshotId]).size).toBe(3);
    // A small file: one shard each.
    const oneShard = (fileId: string) => ({
      count: 1,
      shards: [{ key: datasetShard.key({ dataset: 'deaths', fileId, shard: 0 }), rows: 1 }],
    });
    expect(store.calls.put).toEqual([
      `staged/dataset-files/deaths/${idA}/0000.arrow`,
      datasetFile.key({ dataset: 'deaths', fileId: idA }),
      `staged/dataset-files/deaths/${idB}/0000.arrow`,
      datasetFile.key({ dataset: 'deaths', fileId: idB }),
      `staged/datasets/deaths/${snapshot.snapshotId}.json`,
    ]);
    const written = JSON.parse(
      Buffer.from(
        store.get(datasetSnapshot.key({ dataset: 'deaths', snapshotId: snapshot.snapshotId })) ?? [],
      ).toString(),
    );
    expect(DatasetSnapshotSchema.parse(written)).toEqual(snapshot);
    expect(snapshot).toEqual({
      dataset: 'deaths',
      snapshotId: snapshot.snapshotId,
      stagedAt: '2026-10-28T08:00:00.000Z',
      sources: [
        {
          key: 'partners/deaths/a.csv',
          etag: expect.any(String),
          size: expect.any(Number),
          rows: 1,
          skipped: 0,
          shards: oneShard(idA),
        },
        {
          key: 'partners/deaths/b.csv',
          etag: expect.any(String),
          size: expect.any(Number),
          rows: 1,
          skipped: 1,
          shards: oneShard(idB),
        },
      ],
      rows: 2,
      skippedRows: 1,
      skippedSamples: [
        { key: 'partners/deaths/b.csv', line: 2, reason: expect.stringContaining('date_of_death') },
      ],
      dateRange: { from: '2026-10-03', to: '2026-10-04' },
    });
  });

  it('reads only the changed file again: an unchanged file keeps its staging in the next snapshot', async () => {
    // Prepare
    const store = deathsStore();
    const first = await stageDataset('deaths', { store, now });
    const opened = store.calls.open.length;

    // Act
    store.set('partners/deaths/b.csv', 'id_number,name,date_of_death\n442000193001011246,乙,2026-10-05\n');
    const second = await stageDataset('deaths', { store, now });

    // Assess
    expect(second.snapshotId).not.toBe(first.snapshotId);
    expect(store.calls.open.slice(opened)).toEqual(['partners/deaths/b.csv']);
    expect(second.sources[0]).toEqual(first.sources[0]);
    expect(second.sources[1]?.shards).not.toEqual(first.sources[1]?.shards);
    expect(second).toMatchObject({
      rows: 2,
      skippedRows: 0,
      dateRange: { from: '2026-10-03', to: '2026-10-05' },
    });
  });

  it('is idempotent: the same sources give the same snapshot without reading a file again', async () => {
    // Prepare
    const store = deathsStore();
    const first = await stageDataset('deaths', { store, now });
    const opens = store.calls.open.length;
    const puts = store.calls.put.length;

    // Act
    const second = await stageDataset('deaths', { store, now: () => '2026-11-01T00:00:00.000Z' });

    // Assess
    expect(second).toEqual(first);
    expect(store.calls.open).toHaveLength(opens);
    expect(store.calls.put).toHaveLength(puts);
  });

  it('gives a new snapshot id when a file changes, is added or removed', async () => {
    // Prepare
    const store = deathsStore();
    const ids = [(await stageDataset('deaths', { store, now })).snapshotId];

    // Act
    store.set('partners/deaths/b.csv', 'id_number,name,date_of_death\n442000193001011246,乙,2026-10-05\n');
    ids.push((await stageDataset('deaths', { store, now })).snapshotId);
    store.set('partners/deaths/c.csv', 'id_number,date_of_death\n');
    ids.push((await stageDataset('deaths', { store, now })).snapshotId);
    store.delete('partners/deaths/c.csv');
    ids.push((await stageDataset('deaths', { store, now })).snapshotId);

    // Assess
    expect(new Set(ids.slice(0, 3)).size).toBe(3);
    expect(ids[3]).toBe(ids[1]);
  });

  it('stages a snapshot once when its files arrive together and each starts a staging', async () => {
    // Prepare
    const store = deathsStore();
    const other = deathsStore();
    const located = Object.assign(deathsStore(), { location: 's3://shared' });
    const sameBucket = Object.assign(deathsStore(), { location: 's3://shared' });

    // Act
    const snapshots = await Promise.all([
      stageDataset('deaths', { store, now }),
      stageDataset('deaths', { store, now }),
      stageDataset('deaths', { store: other, now }),
      stageDataset('deaths', { store: located, now }),
      stageDataset('deaths', { store: sameBucket, now }),
    ]);
    const later = await stageDataset('deaths', { store, now });

    // Assess
    expect(new Set(snapshots.map((s) => s.snapshotId)).size).toBe(1);
    expect(snapshots[1]).toEqual(snapshots[0]);
    expect(store.calls.open).toEqual(['partners/deaths/a.csv', 'partners/deaths/b.csv']);
    // Each file's shard and staging, then the snapshot.
    expect(store.calls.put).toHaveLength(5);
    // Another store without a location is other storage: staged there too.
    expect(other.calls.put).toHaveLength(5);
    // Two stores naming the same location share the work (whichever started first wrote).
    expect(located.calls.put.length + sameBucket.calls.put.length).toBe(5);
    expect(later).toEqual(snapshots[0]);
    expect(store.calls.open).toHaveLength(2);
  });

  it('keeps the snapshot id when only ignored files change', async () => {
    // Prepare
    const store = deathsStore();
    const before = await stageDataset('deaths', { store, now });

    // Act
    store.set('partners/deaths/.draft.csv', 'x').set('partners/deaths/notes.xlsx', 'x');
    const after = await stageDataset('deaths', { store, now });

    // Assess
    expect(after.snapshotId).toBe(before.snapshotId);
  });

  it("writes the snapshot again from the files' stagings when its JSON is unreadable, and stages a file again when its staging is", async () => {
    // Prepare
    const store = deathsStore();
    const first = await stageDataset('deaths', { store, now });
    const [a] = await listDatasetSources('deaths', store);
    store.set(datasetSnapshot.key({ dataset: 'deaths', snapshotId: first.snapshotId }), '{"truncated');

    // Act
    const second = await stageDataset('deaths', { store, now });
    const opensAfterSecond = [...store.calls.open];
    store
      .set(datasetSnapshot.key({ dataset: 'deaths', snapshotId: first.snapshotId }), '{"truncated')
      .set(
        datasetFile.key({ dataset: 'deaths', fileId: datasetFileId('deaths', a as NonNullable<typeof a>) }),
        '[]',
      );
    const third = await stageDataset('deaths', { store, now });

    // Assess
    expect(second).toEqual(first);
    expect(opensAfterSecond.filter((k) => k === 'partners/deaths/a.csv')).toHaveLength(1);
    expect(third).toEqual(first);
    expect(store.calls.open.filter((k) => k === 'partners/deaths/a.csv')).toHaveLength(2);
    expect(store.calls.open.filter((k) => k === 'partners/deaths/b.csv')).toHaveLength(1);
  });

  it('gives each dataset its own snapshot id for the same listing', async () => {
    // Act
    const ids = await Promise.all(
      DATASET_NAMES.filter((n) => DATASETS[n].source.kind === 'folder').map(
        async (n) => (await stageDataset(n, { store: new MemoryObjectStore(), now })).snapshotId,
      ),
    );

    // Assess
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('staged Arrow files', () => {
  it('have the explicit schema of their dataset, with source and line for evidence', async () => {
    // Prepare
    const store = deathsStore().set(
      'partners/social-insurance/s.csv',
      'id_number,month,contribution_base,pension_amount\nA1,2026-10,99999999.99,\n',
    );

    // Act
    const deaths = await stageDataset('deaths', { store, now });
    const insurance = await stageDataset('social-insurance', { store, now });

    // Assess
    const tables = deaths.sources.map((source) =>
      tableFromIPC(store.get(source.shards.shards[0]?.key as string) as Uint8Array),
    );
    const table = tables[0] as NonNullable<(typeof tables)[0]>;
    expect(table.schema.fields.map((f) => f.name)).toEqual(
      DATASETS.deaths.arrow.schema.fields.map((f) => f.name),
    );
    expect(table.schema.fields.map((f) => f.name)).toEqual([
      'source',
      'line',
      'id_number',
      'name',
      'date_of_death',
    ]);
    expect(String(table.schema.fields[4]?.type)).toBe('Date32<DAY>');
    expect(table.schema.fields.map(String)).toEqual(DATASETS.deaths.arrow.schema.fields.map(String));
    expect(tables.flatMap((t) => t.toArray().map((r) => [r.source, r.line, r.id_number, r.name]))).toEqual([
      ['partners/deaths/a.csv', 1, '442000193001011245', '甲'],
      ['partners/deaths/b.csv', 1, '442000193001011246', '乙'],
    ]);
    const si = tableFromIPC(store.get(insurance.sources[0]?.shards.shards[0]?.key as string) as Uint8Array);
    expect(String(si.schema.fields.find((f) => f.name === 'contribution_base_fen')?.type)).toBe('Int64');
    expect(si.getChild('contribution_base_fen')?.get(0)).toBe(9_999_999_999n);
    expect(si.getChild('pension_amount_fen')?.get(0)).toBeNull();
  });

  it('hold many record batches and read back in order', async () => {
    // Prepare: more rows than one record batch (65,536).
    const lines = ['id_number,date_of_death'];
    for (let i = 0; i < 70_000; i++) lines.push(`ID${i},2026-01-${String(1 + (i % 28)).padStart(2, '0')}`);
    const store = new MemoryObjectStore(1 << 16).set('partners/deaths/big.csv', lines.join('\n'));

    // Act
    const snapshot = await stageDataset('deaths', { store, now });
    const records = await loadDataset(snapshot, { store });

    // Assess
    expect(records).toHaveLength(70_000);
    expect(records[69_999]).toEqual({
      idNumber: 'ID69999',
      date: '2026-01-28',
      kind: 'death',
      source: 'partners/deaths/big.csv',
    });
    expect(records.every((r, i) => r.idNumber === `ID${i}`)).toBe(true);
  });

  it('shards the rows by person, each shard in source order, and reads them back in staging order', async () => {
    // Prepare: two files; about 100 rows per shard (at least 32 bytes a row) makes 32 shards a file.
    const lines = (from: number) => [
      'id_number,date_of_death',
      ...Array.from(
        { length: 3_000 },
        (_, i) => `ID${from + i},2026-01-${String(1 + (i % 28)).padStart(2, '0')}`,
      ),
    ];
    const store = new MemoryObjectStore()
      .set('partners/deaths/a.csv', lines(0).join('\n'))
      .set('partners/deaths/b.csv', lines(3_000).join('\n'));

    // Act
    const snapshot = await stageDataset('deaths', { store, now, rowsPerShard: 100 });
    const records = await loadDataset(snapshot, { store });
    const ofPartition = await loadDataset(
      snapshot,
      { store },
      { partition: { partition: 5, partitions: 16 } },
    );
    const ofFinePartition = await loadDataset(
      snapshot,
      { store },
      { partition: { partition: 77, partitions: 128 } },
    );

    // Assess
    expect(snapshot.sources.map((s) => s.shards.count)).toEqual([32, 32]);
    for (const [file, { shards }] of snapshot.sources.entries()) {
      expect(shards.shards.reduce((n, s) => n + s.rows, 0)).toBe(3_000);
      expect(shards.shards.every((s) => s.rows > 0 && s.rows < 200)).toBe(true);
      for (const [shard, { key }] of shards.shards.entries()) {
        const ids = tableFromIPC(store.get(key) as Uint8Array)
          .toArray()
          .map((r) => [r.source, r.line, r.id_number]);
        expect(
          ids.every(
            ([source, , id]) => source === snapshot.sources[file]?.key && partitionOf(id, 32) === shard,
          ),
        ).toBe(true);
        const inOrder = [...ids].sort((x, y) => x[1] - y[1]);
        expect(ids).toEqual(inOrder);
      }
    }
    expect(records.map((r) => r.idNumber)).toEqual(Array.from({ length: 6_000 }, (_, i) => `ID${i}`));
    const expected = (partitions: number, partition: number) =>
      records.filter((r) => partitionOf(r.idNumber, partitions) === partition);
    expect(ofPartition).toEqual(expected(16, 5));
    expect(ofFinePartition).toEqual(expected(128, 77));
    expect(ofFinePartition.length).toBeGreaterThan(0);
  });
});

describe('writing a staged file', () => {
  it("writes its shards three at a time, not each after the last one's PUT, and lists them in shard order", async () => {
    // Prepare: 32 shards, each PUT answered 5 ms later
    const lines = [
      'id_number,date_of_death',
      ...Array.from({ length: 3_000 }, (_, i) => `ID${i},2026-01-${String(1 + (i % 28)).padStart(2, '0')}`),
    ];
    let inFlight = 0;
    let most = 0;
    const order: string[] = [];
    class SlowShardStore extends MemoryObjectStore {
      override async put(key: string, body: Uint8Array | string): Promise<void> {
        if (!key.endsWith('.arrow')) return super.put(key, body);
        order.push(key);
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return super.put(key, body);
      }
    }
    const store = new SlowShardStore().set('partners/deaths/a.csv', lines.join('\n'));

    // Act
    const snapshot = await stageDataset('deaths', { store, now, rowsPerShard: 100 });

    // Assess
    const { shards } = snapshot.sources[0]?.shards ?? { shards: [] };
    const fileId = datasetFileId('deaths', snapshot.sources[0] as { key: string; etag: string });
    expect(shards.map((s) => s.key)).toEqual(
      Array.from({ length: 32 }, (_, shard) => datasetShard.key({ dataset: 'deaths', fileId, shard })),
    );
    expect(most).toBe(3);
    expect(order).toEqual(shards.map((s) => s.key));
    for (const { key, rows } of shards) expect(tableFromIPC(store.get(key) as Uint8Array).numRows).toBe(rows);
  });
});

describe('listDatasetSources', () => {
  it('finds a single-file dataset by its exact key only', async () => {
    // Prepare
    const store = new MemoryObjectStore()
      .set('reference/registry.csv.bak', 'x')
      .set('reference/towns.csv', 'x')
      .set('reference/registry.csv', 'x');

    // Act
    const sources = await listDatasetSources('registry', store);

    // Assess
    expect(sources.map((s) => s.key)).toEqual(['reference/registry.csv']);
  });
});

describe('datasetOfKey', () => {
  it.each([
    ['reference/registry.csv', 'registry'],
    ['registers/staff-relatives.csv', 'staff-relatives'],
    ['registers/proxy-accounts.csv', 'proxy-accounts'],
    ['partners/deaths/2026-10.csv', 'deaths'],
    ['partners/deaths/2026-10.CSV', 'deaths'],
    ['partners/cremations/zs.csv', 'cremations'],
    ['partners/business/a.csv', 'business'],
    ['partners/social-insurance/2026-10.csv', 'social-insurance'],
    ['reference/towns.csv', undefined],
    ['reference/registry.csv.bak', undefined],
    ['partners/deaths/.tmp.csv', undefined],
    ['partners/deaths/readme.txt', undefined],
    ['partners/deaths/old/2025.csv', undefined],
    ['partners/deaths/', undefined],
    ['partners/deaths/.csv', undefined],
    ['partners/other/a.csv', undefined],
    ['staged/datasets/deaths/0123456789abcdef.json', undefined],
    ['incoming/2026-10/shiqi/roster.csv', undefined],
  ])('%s → %s', (key, name) => {
    // Act & Assess
    expect(datasetOfKey(key)).toBe(name);
  });
});
