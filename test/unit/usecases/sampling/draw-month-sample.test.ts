import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { csvLine } from '#formats/csv-writer.ts';
import { findingsToArrow } from '#formats/findings-arrow.ts';
import { StagedRosterWriter } from '#formats/staged-roster-writer.ts';
import {
  findingsArrow,
  monthSummary,
  runManifest,
  sampleCsv,
  sampleJson,
  stagedRoster,
} from '#schemas/bucket-layout.ts';
import type { Finding } from '#schemas/finding.ts';
import { DrawMonthSampleResultSchema, SAMPLE_CSV_COLUMNS } from '#schemas/sample.ts';
import { drawMonthSample, type SampleRecord } from '#usecases/draw-month-sample.ts';
import { MemoryAuditTrail } from '../../../../bench/memory-audit-trail.ts';
import { MemoryObjectStore } from '../dataset/memory-object-store.ts';

const MONTH = '2026-10';
const RUN_ID = '0123456789abcdef';
const TOWNS = ['shiqi', 'dongqu'];
const input = { month: MONTH, bucket: 'payguard-data' };
const id = (n: number) => `44200019600101${String(n).padStart(4, '0')}`;

/** A staged roster: `households` households of `town`, two payees each (rows 2h-1 and 2h). */
function roster(town: string, households: number): Uint8Array {
  const writer = new StagedRosterWriter(TOWNS);
  for (let row = 1; row <= households * 2; row++) {
    writer.add({
      row,
      idNumber: id(row),
      name: '张三',
      householdId: `${town.toUpperCase()}-${String(Math.ceil(row / 2)).padStart(3, '0')}`,
      category: 'DIBAO',
      amountFen: 118_000,
      town,
      accountNumber: `62220202000000${String(row).padStart(5, '0')}`,
      accountHolderId: '',
      remark: '',
    });
  }
  return writer.toIpcFile();
}

const finding = (
  batch: string,
  row: number,
  code: Finding['code'],
  severity: Finding['severity'],
): Finding => ({
  month: MONTH,
  batch,
  row,
  idNumber: id(row),
  category: 'DIBAO',
  code,
  severity,
  detail: '',
});

function manifest(runId: string) {
  const batch = (name: string, status: string) => ({
    batch: name,
    status,
    key: `uploads/${MONTH}/${name}.csv`,
    uploadId: `u-${name}`,
    ...(status === 'ACCEPTED'
      ? { stagedKey: stagedRoster.key({ month: MONTH, batch: name, uploadId: 'u' }) }
      : {}),
    validRows: 0,
    validAmountFen: 0,
  });
  return {
    month: MONTH,
    runId,
    batches: [batch('shiqi', 'ACCEPTED'), batch('dongqu', 'ACCEPTED'), batch('x', 'REJECTED')],
  };
}

function bucket(runId = RUN_ID): MemoryObjectStore {
  return new MemoryObjectStore()
    .set(monthSummary.key({ month: MONTH }), JSON.stringify({ month: MONTH, runId }))
    .set(runManifest.key({ month: MONTH, runId: runId }), JSON.stringify(manifest(runId)))
    .set(stagedRoster.key({ month: MONTH, batch: 'shiqi', uploadId: 'u' }), roster('shiqi', 60))
    .set(stagedRoster.key({ month: MONTH, batch: 'dongqu', uploadId: 'u' }), roster('dongqu', 2))
    .set(
      findingsArrow.key({ month: MONTH }),
      findingsToArrow([
        finding('shiqi', 4, 'SHARED_ACCOUNT', 'REVIEW'),
        finding('shiqi', 3, 'DIED_IN_MONTH', 'REVIEW'),
        finding('shiqi', 3, 'SHARED_ACCOUNT', 'REVIEW'),
        finding('dongqu', 1, 'DECEASED', 'BLOCK'),
      ]),
    );
}

function deps(store: MemoryObjectStore, seeds: string[] = ['random-1', 'random-2']) {
  const audit = new MemoryAuditTrail();
  let drawn = 0;
  return {
    store,
    audit,
    now: () => '2026-10-28T09:00:00.000Z',
    randomSeed: () => seeds[drawn++] ?? 'exhausted',
    seedsDrawn: () => drawn,
  };
}

const text = (store: MemoryObjectStore, key: string) => Buffer.from(store.get(key) ?? []).toString('utf8');
const record = (store: MemoryObjectStore) =>
  JSON.parse(text(store, sampleJson.key({ month: MONTH }))) as SampleRecord;

describe('drawMonthSample', () => {
  it('draws per town and writes sample.csv, sample.json and a SAMPLE_DRAWN audit entry', async () => {
    // Prepare
    const store = bucket();
    const d = deps(store);
    // Act
    const result = await drawMonthSample(input, d);
    // Assess: shiqi has 60 households (3 visits, 1 replacement), dongqu 2 (both visited).
    expect(DrawMonthSampleResultSchema.parse(result)).toEqual({
      month: MONTH,
      sampleKey: sampleCsv.key({ month: MONTH }),
      sampleJsonKey: sampleJson.key({ month: MONTH }),
      seed: 'random-1',
      visits: 5,
      replacements: 1,
      reused: false,
    });
    const csv = text(store, result.sampleKey);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(SAMPLE_CSV_COLUMNS.join(','));
    expect(lines.at(-1)).toBe('');
    const rows = record(store).rows;
    expect(rows.map((r) => [r.town, r.kind, r.rank])).toEqual([
      ['dongqu', 'VISIT', 1],
      ['dongqu', 'VISIT', 2],
      ['shiqi', 'VISIT', 1],
      ['shiqi', 'VISIT', 2],
      ['shiqi', 'VISIT', 3],
      ['shiqi', 'REPLACEMENT', 4],
    ]);
    expect(csv).toBe(
      csvLine(SAMPLE_CSV_COLUMNS) +
        rows
          .map((r) =>
            csvLine([MONTH, r.town, r.householdId, r.idNumber, `${r.rank}. ${r.kind}: ${r.reason}`]),
          )
          .join(''),
    );
    // The first payee of a household, its ID whole; its findings of 3.3 in the reason.
    const dongqu1 = rows.find((r) => r.householdId === 'DONGQU-001');
    expect(dongqu1?.idNumber).toBe(id(1));
    expect(dongqu1?.reason).toContain('DECEASED');
    expect(rows.find((r) => r.householdId === 'DONGQU-002')?.reason).toBe('随机抽取 / random draw');
    expect(lines.some((l) => l.includes('4. REPLACEMENT: 备选 1'))).toBe(true);

    const json = record(store);
    expect(json).toMatchObject({
      month: MONTH,
      runId: RUN_ID,
      seed: 'random-1',
      options: { share: 0.02, minPerTown: 3, findingsWeight: 3, spareShare: 0.2 },
      drawnAt: '2026-10-28T09:00:00.000Z',
      perTown: [
        { town: 'dongqu', households: 2, visits: 2, replacements: 0 },
        { town: 'shiqi', households: 60, visits: 3, replacements: 1 },
      ],
    });
    const sha = createHash('sha256').update(csv).digest('hex');
    expect(json.csvSha256).toBe(sha);
    expect(d.audit.entries).toEqual([
      {
        month: MONTH,
        action: 'SAMPLE_DRAWN',
        actor: 'payguard:anomaly-job',
        at: '2026-10-28T09:00:00.000Z',
        contentSha256: sha,
        subject: sampleCsv.key({ month: MONTH }),
        details: {
          seed: 'random-1',
          options: { share: 0.02, minPerTown: 3, findingsWeight: 3, spareShare: 0.2 },
          runId: RUN_ID,
          visits: 5,
          replacements: 1,
        },
      },
    ]);
  });

  it('keeps the sample of the same run on a re-run: same seed, files unchanged, no audit entry', async () => {
    // Prepare
    const store = bucket();
    const d = deps(store);
    const first = await drawMonthSample(input, d);
    const csv = text(store, first.sampleKey);
    const json = text(store, first.sampleJsonKey);
    const puts = store.calls.put.length;
    // Act
    const again = await drawMonthSample(input, { ...d, now: () => '2026-10-29T09:00:00.000Z' });
    // Assess
    expect(again).toEqual({ ...first, reused: true });
    expect(store.calls.put).toHaveLength(puts);
    expect(text(store, first.sampleKey)).toBe(csv);
    expect(text(store, first.sampleJsonKey)).toBe(json);
    expect(d.seedsDrawn()).toBe(1);
    expect(d.audit.entries).toHaveLength(1);
  });

  it('redraws from an explicit seed, and the same seed and data give the same sample', async () => {
    // Prepare
    const store = bucket();
    const d = deps(store);
    await drawMonthSample(input, d);
    const randomRows = record(store).rows;
    // Act
    const explicit = await drawMonthSample({ ...input, seed: 'bureau 2026-10' }, d);
    const explicitCsv = text(store, explicit.sampleKey);
    const repeated = await drawMonthSample({ ...input, seed: 'bureau 2026-10' }, d);
    // Assess
    expect(explicit).toMatchObject({ seed: 'bureau 2026-10', reused: false });
    expect(record(store).seed).toBe('bureau 2026-10');
    expect(record(store).rows.filter((r) => r.town === 'shiqi')).not.toEqual(
      randomRows.filter((r) => r.town === 'shiqi'),
    );
    expect(repeated).toEqual(explicit);
    expect(text(store, repeated.sampleKey)).toBe(explicitCsv);
    expect(d.audit.entries.map((e) => e.details.seed)).toEqual([
      'random-1',
      'bureau 2026-10',
      'bureau 2026-10',
    ]);
    expect(d.seedsDrawn()).toBe(1);
  });

  it('draws a new random seed for a new run, and reuses the seed when the csv was lost', async () => {
    // Prepare
    const store = bucket();
    const d = deps(store);
    await drawMonthSample(input, d);
    const next = bucket('fedcba9876543210');
    next.set(sampleJson.key({ month: MONTH }), store.get(sampleJson.key({ month: MONTH })) as Uint8Array);
    next.set(sampleCsv.key({ month: MONTH }), store.get(sampleCsv.key({ month: MONTH })) as Uint8Array);
    // Act
    const newRun = await drawMonthSample(input, { ...d, store: next });
    const csv = text(store, sampleCsv.key({ month: MONTH }));
    store.delete(sampleCsv.key({ month: MONTH }));
    const lost = await drawMonthSample(input, d);
    // Assess
    expect(newRun).toMatchObject({ seed: 'random-2', reused: false });
    expect(record(next).runId).toBe('fedcba9876543210');
    expect(lost).toMatchObject({ seed: 'random-1', reused: false });
    expect(text(store, sampleCsv.key({ month: MONTH }))).toBe(csv);
    expect(d.audit.entries).toHaveLength(3);
  });

  it('takes options from its dependencies over the defaults, and refuses bad ones', async () => {
    // Prepare
    const store = bucket();
    const d = deps(store);
    // Act
    const result = await drawMonthSample(input, { ...d, options: { share: 0.5, spareShare: undefined } });
    // Assess
    expect(result).toMatchObject({ visits: 32, replacements: 6 });
    expect(record(store).options).toEqual({ share: 0.5, minPerTown: 3, findingsWeight: 3, spareShare: 0.2 });
    await expect(drawMonthSample({ ...input, seed: 's' }, { ...d, options: { share: 2 } })).rejects.toThrow(
      RangeError,
    );
  });

  it('fails when the month has no summary or no findings', async () => {
    // Prepare
    const noSummary = bucket();
    noSummary.delete(monthSummary.key({ month: MONTH }));
    const noFindings = bucket();
    noFindings.delete(findingsArrow.key({ month: MONTH }));
    // Act, Assess
    await expect(drawMonthSample(input, deps(noSummary))).rejects.toThrow(
      `${monthSummary.key({ month: MONTH })} is missing`,
    );
    await expect(drawMonthSample(input, deps(noFindings))).rejects.toThrow(
      `${findingsArrow.key({ month: MONTH })} is missing`,
    );
  });
});
