import { describe, expect, it } from 'vitest';
import { MonthCompletenessSchema } from '#schemas/month-run.ts';
import { checkMonthComplete, monthRunName } from '#usecases/check-month-complete.ts';
import { loadMonthConfig } from '#usecases/load-month-config.ts';
import type { BatchState } from '#usecases/ports.ts';
import { MemoryRunStateStore } from '../../../bench/memory-run-state.ts';
import { MemoryObjectStore } from './dataset/memory-object-store.ts';

const TOWNS_CSV = 'code,name,population\r\nshiqi,石岐街道,71000\r\ndongqu,东区街道,52000\r\n';

const batch = (month: string, name: string, status: BatchState['status']): BatchState => ({
  month,
  batch: name,
  latestUploadId: `${month}-${name}`,
  latestKey: `incoming/${month}/${name}/roster.csv`,
  latestOrder: '1',
  status,
  updatedAt: `${month}-28T09:00:00.000Z`,
});

const input = { month: '2026-10', bucket: 'payguard-data' };

describe('loadMonthConfig', () => {
  it('expects the batches that uploaded the month before, whatever became of their files, never every town code', async () => {
    // Prepare
    const store = new MemoryObjectStore().set('reference/towns.csv', TOWNS_CSV);
    const state = new MemoryRunStateStore([
      batch('2026-09', 'zhongshan-shiqi', 'ACCEPTED'),
      batch('2026-09', 'dq02', 'REJECTED'),
      batch('2026-08', 'old', 'ACCEPTED'),
    ]);

    // Act
    const resolved = await loadMonthConfig('2026-10', { store, state });

    // Assess
    expect(resolved.expectedBatches).toEqual(['dq02', 'zhongshan-shiqi']);
    expect(resolved.expectedBatchesFrom).toBe(
      'uploads of 2026-09 (no expectedBatches in config/pipeline.json)',
    );
  });

  it('expects nothing in a first month, and says no expected batches are configured', async () => {
    // Act
    const resolved = await loadMonthConfig('2026-10', {
      store: new MemoryObjectStore().set('reference/towns.csv', TOWNS_CSV),
      state: new MemoryRunStateStore(),
    });

    // Assess
    expect(resolved.expectedBatches).toEqual([]);
    expect(resolved.expectedBatchesFrom).toBe(
      'none configured: no expectedBatches in config/pipeline.json and no uploads in 2026-09',
    );
  });

  it('takes expectedBatches of config/pipeline.json when it names them', async () => {
    // Prepare
    const store = new MemoryObjectStore().set('config/pipeline.json', '{"expectedBatches": ["shiqi"]}');
    const state = new MemoryRunStateStore([batch('2026-09', 'dq02', 'ACCEPTED')]);

    // Act
    const resolved = await loadMonthConfig('2026-10', { store, state });

    // Assess
    expect(resolved).toMatchObject({
      expectedBatches: ['shiqi'],
      expectedBatchesFrom: 'config/pipeline.json',
    });
  });
});

describe('checkMonthComplete', () => {
  it("is complete once every batch of last month's uploads has an accepted file", async () => {
    // Prepare
    const store = new MemoryObjectStore();
    const last = [batch('2026-09', 'shiqi', 'ACCEPTED'), batch('2026-09', 'dq02', 'ACCEPTED')];
    const partly = new MemoryRunStateStore([...last, batch('2026-10', 'shiqi', 'ACCEPTED')]);
    const fully = new MemoryRunStateStore([
      ...last,
      batch('2026-10', 'shiqi', 'ACCEPTED'),
      batch('2026-10', 'dq02', 'ACCEPTED'),
    ]);

    // Act
    const waiting = await checkMonthComplete(input, { store, state: partly });
    const complete = await checkMonthComplete(input, { store, state: fully });

    // Assess
    expect(waiting).toMatchObject({ complete: false, missing: ['dq02'] });
    expect(complete).toMatchObject({ complete: true, missing: [] });
  });

  it('never starts a first month by itself: nothing says it is all in', async () => {
    // Prepare
    const state = new MemoryRunStateStore([batch('2026-10', 'shiqi', 'ACCEPTED')]);

    // Act
    const result = await checkMonthComplete(input, { store: new MemoryObjectStore(), state });

    // Assess
    expect(result).toEqual({ ...input, complete: false, missing: [], runName: expect.any(String) });
  });
});

describe('monthRunName', () => {
  const table = [batch('2026-10', 'shiqi', 'ACCEPTED'), batch('2026-10', 'dq02', 'REJECTED')];

  it('names the same batch table the same, in whatever order it is listed', async () => {
    // Act
    const name = monthRunName('2026-10', table);
    const listed = await checkMonthComplete(input, {
      store: new MemoryObjectStore(),
      state: new MemoryRunStateStore([...table].reverse()),
    });

    // Assess
    expect(name).toMatch(/^2026-10-[0-9a-f]{24}$/);
    expect(monthRunName('2026-10', [...table].reverse())).toBe(name);
    expect(listed.runName).toBe(name);
    expect(MonthCompletenessSchema.parse(listed)).toEqual(listed);
  });

  it('names a new run for any change of the table: a newer upload, another status, another batch', () => {
    // Prepare
    const [shiqi, dq02] = table as [BatchState, BatchState];

    // Act
    const names = [
      monthRunName('2026-10', table),
      monthRunName('2026-10', [{ ...shiqi, latestUploadId: '2026-10-shiqi-2' }, dq02]),
      monthRunName('2026-10', [shiqi, { ...dq02, status: 'ACCEPTED' }]),
      monthRunName('2026-10', [...table, batch('2026-10', 'xiaolan', 'PENDING')]),
      monthRunName('2026-10', [shiqi]),
    ];

    // Assess
    expect(new Set(names).size).toBe(names.length);
  });
});
