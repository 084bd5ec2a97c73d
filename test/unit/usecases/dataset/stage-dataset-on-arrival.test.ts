import { describe, expect, it } from 'vitest';
import type { StoredObject } from '#usecases/ports.ts';
import { StagingSuperseded, stageDataset } from '#usecases/stage-dataset.ts';
import { laterSource, stageDatasetOnArrival } from '#usecases/stage-dataset-on-arrival.ts';
import { MemoryAuditTrail } from '../../../../bench/memory-audit-trail.ts';
import { MemoryObjectStore } from './memory-object-store.ts';

/** A memory bucket whose listing says when each object was written, as S3's does. */
class TimedObjectStore extends MemoryObjectStore {
  private readonly written = new Map<string, string>();
  /** Called as a key is opened for reading (before its first byte). */
  onOpen: (key: string) => void = () => undefined;

  override async open(key: string, version?: Parameters<MemoryObjectStore['open']>[1]) {
    this.onOpen(key);
    return super.open(key, version);
  }

  setAt(key: string, body: string, lastModified: string): this {
    this.set(key, body);
    this.written.set(key, lastModified);
    return this;
  }

  override async list(prefix: string): Promise<StoredObject[]> {
    return (await super.list(prefix)).map((o) => ({ ...o, lastModified: this.written.get(o.key) }));
  }
}

const now = () => '2026-10-28T08:00:00.000Z';
const HEADER = 'id_number,month,employer,contribution_base,pension_amount\n';
const row = (month: string) => `440103200608302705,${month},某厂,9000.00,\n`;
const file = (key: string, lastModified?: string): StoredObject => ({
  key,
  size: 1,
  etag: key,
  lastModified,
});

describe('laterSource', () => {
  it('names the last file written, when written after (or in the same second under a later key)', () => {
    const sources = [
      file('partners/deaths/a.csv', '2026-10-01T08:00:00.000Z'),
      file('partners/deaths/b.csv', '2026-10-01T08:00:00.000Z'),
      file('partners/deaths/c.csv', '2026-10-01T08:00:01.000Z'),
    ];

    expect(laterSource(sources, 'partners/deaths/a.csv')?.key).toBe('partners/deaths/c.csv');
    expect(laterSource(sources, 'partners/deaths/b.csv')?.key).toBe('partners/deaths/c.csv');
    expect(laterSource(sources, 'partners/deaths/c.csv')).toBeUndefined();
  });

  it('names none when the file is not listed or the store gives no times', () => {
    const timed = [file('partners/deaths/a.csv', '2026-10-01T08:00:00.000Z')];
    const untimed = [file('partners/deaths/a.csv'), file('partners/deaths/b.csv')];

    expect(laterSource(timed, 'partners/deaths/gone.csv')).toBeUndefined();
    expect(laterSource(untimed, 'partners/deaths/a.csv')).toBeUndefined();
  });
});

describe('stageDatasetOnArrival', () => {
  it('defers the arrivals of files written before the last, which stages them all once', async () => {
    // Prepare: three files of a partner month land together.
    const store = new TimedObjectStore()
      .setAt('partners/social-insurance/2026-09-1.csv', HEADER + row('2026-09'), '2026-10-05T02:00:00.000Z')
      .setAt('partners/social-insurance/2026-09-2.csv', HEADER + row('2026-09'), '2026-10-05T02:00:00.000Z')
      .setAt('partners/social-insurance/2026-10.csv', HEADER + row('2026-10'), '2026-10-05T02:00:03.000Z');
    const audit = new MemoryAuditTrail();
    const arrive = (key: string) =>
      stageDatasetOnArrival({ key, time: '2026-10-05T02:00:04Z' }, { store, audit, now });

    // Act
    const first = await arrive('partners/social-insurance/2026-09-1.csv');
    const second = await arrive('partners/social-insurance/2026-09-2.csv');
    const staged = () => store.calls.put.filter((k) => k.startsWith('staged/'));
    const beforeLast = staged();
    const last = await arrive('partners/social-insurance/2026-10.csv');

    // Assess
    expect(first).toEqual({
      dataset: 'social-insurance',
      deferredTo: 'partners/social-insurance/2026-10.csv',
    });
    expect(second).toEqual({
      dataset: 'social-insurance',
      deferredTo: 'partners/social-insurance/2026-10.csv',
    });
    expect(beforeLast).toEqual([]);
    expect(last).toMatchObject({ dataset: 'social-insurance', rows: 3, skippedRows: 0 });
    expect(audit.entries.map((e) => [e.action, e.subject])).toEqual([
      ['DATASET_STAGING_DEFERRED', 'partners/social-insurance/2026-09-1.csv'],
      ['DATASET_STAGING_DEFERRED', 'partners/social-insurance/2026-09-2.csv'],
      ['DATASET_STAGED', 'partners/social-insurance/2026-10.csv'],
    ]);
    expect(audit.entries[2]?.details.sources).toHaveLength(3);
  });

  it('stages at once where the store gives no times', async () => {
    // Prepare
    const store = new MemoryObjectStore()
      .set('partners/deaths/a.csv', 'id_number,name,date_of_death\n440103200608302705,李,2026-09-01\n')
      .set('partners/deaths/b.csv', 'id_number,name,date_of_death\n');
    const audit = new MemoryAuditTrail();

    // Act
    const result = await stageDatasetOnArrival(
      { key: 'partners/deaths/a.csv', time: '2026-10-05T02:00:04Z' },
      { store, audit, now },
    );

    // Assess
    expect(result).toMatchObject({ dataset: 'deaths', rows: 1 });
    expect(audit.entries.map((e) => e.action)).toEqual(['DATASET_STAGED']);
  });

  it('abandons its staging when a later file of the dataset is written meanwhile, writing nothing', async () => {
    // Prepare: the last of two files so far; a third lands while the first is read.
    const store = new TimedObjectStore()
      .setAt('partners/social-insurance/2026-09-1.csv', HEADER + row('2026-09'), '2026-10-05T02:00:00.000Z')
      .setAt('partners/social-insurance/2026-09-2.csv', HEADER + row('2026-09'), '2026-10-05T02:00:01.000Z');
    store.onOpen = (key) => {
      if (key.endsWith('2026-09-1.csv'))
        store.setAt(
          'partners/social-insurance/2026-10.csv',
          HEADER + row('2026-10'),
          '2026-10-05T02:00:09.000Z',
        );
    };
    const audit = new MemoryAuditTrail();

    // Act
    const result = await stageDatasetOnArrival(
      { key: 'partners/social-insurance/2026-09-2.csv', time: '2026-10-05T02:00:02Z' },
      { store, audit, now },
    );

    // Assess
    expect(result).toEqual({
      dataset: 'social-insurance',
      deferredTo: 'partners/social-insurance/2026-10.csv',
    });
    expect(store.calls.put.filter((k) => k.startsWith('staged/'))).toEqual([]);
    expect(audit.entries.map((e) => [e.action, e.details.whileStaging])).toEqual([
      ['DATASET_STAGING_DEFERRED', true],
    ]);
  });

  it('leaves a staging of the same snapshot that joined an abandoned one to stage it itself', async () => {
    // Prepare
    const store = new MemoryObjectStore()
      .set('partners/deaths/a.csv', 'id_number,name,date_of_death\n440103200608302705,李,2026-09-01\n')
      .set('partners/deaths/b.csv', 'id_number,name,date_of_death\n440103200608302713,王,2026-09-02\n');

    // Act: the first gives up before its second file; the second, started meanwhile, joined it.
    const abandoned = stageDataset('deaths', { store, now, stillWanted: async () => false });
    const joined = stageDataset('deaths', { store, now });
    const outcomes = await Promise.allSettled([abandoned, joined]);

    // Assess
    expect(outcomes[0]).toMatchObject({ status: 'rejected', reason: expect.any(StagingSuperseded) });
    expect(outcomes[1]).toMatchObject({ status: 'fulfilled', value: { dataset: 'deaths', rows: 2 } });
  });
});
