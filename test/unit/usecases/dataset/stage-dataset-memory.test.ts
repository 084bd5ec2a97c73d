import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '#usecases/load-dataset.ts';
import { stageDataset } from '#usecases/stage-dataset.ts';
import { validId } from '../../../support/roster-builder.ts';
import { MemoryObjectStore } from './memory-object-store.ts';

/**
 * Staging gives the memory of what it is done with back at once (`freeBuffer`) instead of leaving
 * it to V8's full collections: each chunk of the file once its rows are staged, each shard's file
 * once it is written. What it writes is intact.
 */

const now = () => '2026-10-28T08:00:00.000Z';

/** A bucket that records the chunks it gives out and the bodies it is given. */
class RecordingStore extends MemoryObjectStore {
  readonly chunks: Uint8Array[] = [];
  readonly bodies: Uint8Array[] = [];

  override async open(key: string): Promise<AsyncIterable<Uint8Array>> {
    const chunks = await super.open(key);
    const given = this.chunks;
    return (async function* () {
      for await (const chunk of chunks) {
        given.push(chunk);
        yield chunk;
      }
    })();
  }

  override async put(key: string, body: Uint8Array | string): Promise<void> {
    await super.put(key, body);
    if (typeof body !== 'string' && key.endsWith('.arrow')) this.bodies.push(body);
  }
}

/** The rows of {@link deathsFile}, as `id_number,date_of_death`. */
function rowsOf(rows: number): string[] {
  return Array.from(
    { length: rows },
    (_, i) =>
      `${validId(`1960${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}`, i % 999)},2026-09-${String(1 + (i % 28)).padStart(2, '0')}`,
  );
}

/** A deaths file of {@link rowsOf} (a name between the two columns). */
function deathsFile(rows: number): string {
  const lines = rowsOf(rows).map((row, i) => row.replace(',', `,某某${i},`));
  return `id_number,name,date_of_death\n${lines.join('\n')}\n`;
}

describe('stageDataset and memory', () => {
  it.each([
    ['holding its batches', undefined],
    ['spilling them to scratch', 1],
  ])(
    'frees each chunk read and each shard file written, %s, and stages every row',
    async (_, spillAtBytes) => {
      // Prepare: ~200 KB in chunks of 8 KiB (each over what freeBuffer leaves to the collector)
      const store = new RecordingStore(8192).set('partners/deaths/a.csv', deathsFile(5_000));

      // Act
      const snapshot = await stageDataset('deaths', {
        store,
        now,
        rowsPerShard: 1_000,
        spillAtBytes,
        batchRows: 256,
      });

      // Assess
      expect(snapshot.rows).toBe(5_000);
      expect(store.chunks.length).toBeGreaterThan(20);
      expect(store.chunks.filter((c) => c.byteLength > 0)).toEqual([]);
      expect(store.bodies.length).toBeGreaterThan(1);
      expect(store.bodies.filter((b) => b.byteLength > 0)).toEqual([]);
      const shards = snapshot.sources.flatMap((s) => s.shards.shards);
      let staged = 0;
      for (const { key, rows } of shards) {
        const table = tableFromIPC(store.get(key) as Uint8Array);
        expect(table.numRows).toBe(rows);
        staged += rows;
      }
      expect(staged).toBe(5_000);
      const records = await loadDataset(snapshot, { store });
      expect(records.map((r) => `${r.idNumber},${r.date}`).sort()).toEqual(rowsOf(5_000).sort());
    },
  );
});
