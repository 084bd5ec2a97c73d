import { describe, expect, it } from 'vitest';
import { datasetSnapshot } from '#schemas/bucket-layout.ts';
import { ReferenceDataError } from '#schemas/reference-data-error.ts';
import { stageDataset } from '#usecases/stage-dataset.ts';
import { stageDatasetOnArrival } from '#usecases/stage-dataset-on-arrival.ts';
import { MemoryAuditTrail } from '../../../../bench/memory-audit-trail.ts';
import { MemoryObjectStore } from './memory-object-store.ts';

const now = () => '2026-10-28T08:00:00.000Z';
const HEADER = 'id_number,month,employer,contribution_base,pension_amount\n';
const row = (month: string) => `440103200608302705,${month},某厂,9000.00,\n`;
const SI = ['2026-09-1', '2026-09-2', '2026-10'].map((name) => `partners/social-insurance/${name}.csv`);

/** Three files of a partner month, landed together. */
function insuranceStore(): MemoryObjectStore {
  return new MemoryObjectStore()
    .set(SI[0] as string, HEADER + row('2026-09'))
    .set(SI[1] as string, HEADER + row('2026-09'))
    .set(SI[2] as string, HEADER + row('2026-10'));
}

const arriveAt = (store: MemoryObjectStore, audit: MemoryAuditTrail) => (key: string) =>
  stageDatasetOnArrival({ key, time: '2026-10-05T02:00:04Z' }, { store, audit, now });

describe('stageDatasetOnArrival', () => {
  it('stages each arriving file on its own, and the last staged writes the snapshot of them all', async () => {
    // Prepare
    const store = insuranceStore();
    const audit = new MemoryAuditTrail();
    const arrive = arriveAt(store, audit);

    // Act
    const first = await arrive(SI[0] as string);
    const second = await arrive(SI[1] as string);
    const last = await arrive(SI[2] as string);

    // Assess
    expect(first).toEqual({ dataset: 'social-insurance', fileRows: 1, waitingFor: [SI[1], SI[2]] });
    expect(second).toEqual({ dataset: 'social-insurance', fileRows: 1, waitingFor: [SI[2]] });
    expect(last).toMatchObject({ dataset: 'social-insurance', rows: 3, skippedRows: 0, fileRows: 1 });
    expect([...store.calls.open].sort()).toEqual(SI);
    expect(audit.entries.map((e) => [e.action, e.subject])).toEqual([
      ['DATASET_FILE_STAGED', SI[0]],
      ['DATASET_FILE_STAGED', SI[1]],
      ['DATASET_FILE_STAGED', SI[2]],
      ['DATASET_STAGED', SI[2]],
    ]);
    expect(audit.entries[3]?.details.sources).toEqual(SI);
    // The month run finds the snapshot written: nothing is read again.
    const snapshot = await stageDataset('social-insurance', { store, now });
    expect(snapshot.snapshotId).toBe(last.snapshotId);
    expect(store.calls.open).toHaveLength(3);
  });

  it('reads each file once when the files arrive at once, and writes the snapshot', async () => {
    // Prepare
    const store = insuranceStore();
    const audit = new MemoryAuditTrail();

    // Act
    const results = await Promise.all(SI.map(arriveAt(store, audit)));

    // Assess
    expect([...store.calls.open].sort()).toEqual(SI);
    const staged = results.filter((r) => r.snapshotId !== undefined);
    expect(staged.length).toBeGreaterThanOrEqual(1);
    expect(staged[0]).toMatchObject({ rows: 3 });
    const key = datasetSnapshot.key({
      dataset: 'social-insurance',
      snapshotId: staged[0]?.snapshotId as string,
    });
    expect(store.get(key)).toBeDefined();
  });

  it('stages the dataset as it now is when the arrived file is gone already', async () => {
    // Prepare
    const store = new MemoryObjectStore().set(
      'partners/deaths/a.csv',
      'id_number,name,date_of_death\n440103200608302705,李,2026-09-01\n',
    );
    const audit = new MemoryAuditTrail();

    // Act
    const result = await arriveAt(store, audit)('partners/deaths/gone.csv');

    // Assess
    expect(result).toMatchObject({ dataset: 'deaths', rows: 1 });
    expect(audit.entries.map((e) => e.action)).toEqual(['DATASET_STAGED']);
  });

  it('leaves the snapshot unwritten when a file cannot be staged, and the month run names that file', async () => {
    // Prepare
    const store = insuranceStore().set(SI[1] as string, 'id_number,employer\n440103200608302705,某厂\n');
    const audit = new MemoryAuditTrail();
    const arrive = arriveAt(store, audit);

    // Act
    const broken = await arrive(SI[1] as string).catch((error: unknown) => error);
    const others = [await arrive(SI[0] as string), await arrive(SI[2] as string)];
    const run = await stageDataset('social-insurance', { store, now }).catch((error: unknown) => error);

    // Assess
    expect(broken).toBeInstanceOf(ReferenceDataError);
    expect(others).toEqual([
      { dataset: 'social-insurance', fileRows: 1, waitingFor: [SI[1], SI[2]] },
      { dataset: 'social-insurance', fileRows: 1, waitingFor: [SI[1]] },
    ]);
    expect(run).toBeInstanceOf(ReferenceDataError);
    expect((run as ReferenceDataError).message).toContain(SI[1]);
    expect(store.calls.put.filter((k) => /^staged\/datasets\/[^/]+\/[0-9a-f]+\.json$/.test(k))).toEqual([]);
  });
});
