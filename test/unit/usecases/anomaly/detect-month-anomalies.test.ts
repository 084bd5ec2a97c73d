import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { csvLine } from '#formats/csv-writer.ts';
import { metricsCsv } from '#formats/metrics-csv.ts';
import { monthMetrics } from '#schemas/bucket-layout.ts';
import { RELEASE_CSV_COLUMNS } from '#schemas/closeout.ts';
import { ANOMALIES_CSV_COLUMNS, type TownMonthMetrics } from '#schemas/metrics.ts';
import { ReferenceDataError } from '#schemas/reference-data-error.ts';
import { computeMonthMetrics } from '#usecases/compute-month-metrics.ts';
import {
  type AnomaliesReport,
  detectMonthAnomalies,
  MetricsNotFoundError,
} from '#usecases/detect-month-anomalies.ts';
import { InvalidTaskInputError } from '#usecases/errors.ts';
import { MemoryAuditTrail } from '../../../../bench/memory-audit-trail.ts';
import {
  calmTowns,
  HISTORY_MONTHS,
  MID_TOWN,
  MONTH,
  TOWNS,
  withRecipients,
} from '../../domain/anomaly/calm-towns.ts';
import { MemoryObjectStore } from '../dataset/memory-object-store.ts';

const NOW = '2026-10-28T09:00:00.000Z';
const input = { month: MONTH, bucket: 'payguard-data' };
const text = (store: MemoryObjectStore, key: string) => Buffer.from(store.get(key) ?? []).toString('utf8');
const json = <T>(store: MemoryObjectStore, key: string) => JSON.parse(text(store, key)) as T;

/** Six months of calm history for the twenty towns, and the month with the mid-sized town up 25 %. */
function bucket(): MemoryObjectStore {
  const { history, current } = calmTowns(7);
  const mid = current.find((r) => r.town === MID_TOWN.code) as TownMonthMetrics;
  const store = new MemoryObjectStore(256);
  for (const month of HISTORY_MONTHS)
    store.set(monthMetrics.key({ month: month }), metricsCsv(history.filter((r) => r.month === month)));
  store.set(
    monthMetrics.key({ month: MONTH }),
    metricsCsv(withRecipients(current, MID_TOWN.code, Math.round(mid.recipients * 1.25))),
  );
  // Not history files of the month: never read (their content would stop the job).
  for (const key of [
    'metrics/notes.txt',
    'metrics/2026-11.csv',
    'metrics/old/2026-09.csv',
    'metrics/2026-10-draft.csv',
    'metrics/2024-01.csv',
  ]) {
    store.set(key, 'broken"');
  }
  return store;
}

describe('detectMonthAnomalies', () => {
  it('writes anomalies.csv and anomalies.json and records ANOMALIES_DETECTED with the CSV hash', async () => {
    // Prepare
    const store = bucket();
    const audit = new MemoryAuditTrail();

    // Act
    const result = await detectMonthAnomalies(input, { store, audit, now: () => NOW });

    // Assess
    const csv = text(store, 'reports/2026-10/anomalies.csv');
    const report = json<AnomaliesReport>(store, 'reports/2026-10/anomalies.json');
    const flagged = report.rows.filter((r) => r.flagged);
    expect(result).toEqual({
      month: MONTH,
      anomaliesKey: 'reports/2026-10/anomalies.csv',
      anomaliesJsonKey: 'reports/2026-10/anomalies.json',
      flagged: flagged.length,
      historyMonths: 6,
    });
    expect(flagged.map((r) => r.town)).toEqual(flagged.map(() => MID_TOWN.code));
    expect(flagged.map((r) => r.metric)).toContain('recipients_growth');
    expect(csv.split('\r\n')[0]).toBe(ANOMALIES_CSV_COLUMNS.join(','));
    expect(csv.split('\r\n')).toHaveLength(1 + TOWNS.length * 4 + 1);
    expect(csv).toContain(`2026-10,${MID_TOWN.code},recipients_growth,0.2`);
    expect(report).toMatchObject({
      month: MONTH,
      generatedAt: NOW,
      historyMonths: 6,
      threshold: 3.5,
      minHistoryMonths: 3,
      trailingMonths: 12,
      skippedRows: [],
    });
    expect(report).not.toHaveProperty('note');
    expect(report.rows).toHaveLength(TOWNS.length * 4);
    expect(report.history).toHaveLength(HISTORY_MONTHS.length * TOWNS.length);
    expect([...new Set(report.history.map((r) => r.month))]).toEqual([...HISTORY_MONTHS]);
    expect(audit.entries).toEqual([
      {
        month: MONTH,
        action: 'ANOMALIES_DETECTED',
        actor: 'payguard:anomaly-job',
        at: NOW,
        contentSha256: createHash('sha256').update(csv).digest('hex'),
        subject: 'reports/2026-10/anomalies.csv',
        details: { flagged: flagged.length, historyMonths: 6, flaggedTowns: [MID_TOWN.code] },
      },
    ]);
  });

  it('reads only the metrics files of the trailing window and the month before it', async () => {
    // Prepare
    const store = bucket();

    // Act
    await detectMonthAnomalies(input, { store, audit: new MemoryAuditTrail(), now: () => NOW });

    // Assess
    expect(store.calls.readBytes.sort()).toEqual(
      [...HISTORY_MONTHS.map((m) => monthMetrics.key({ month: m })), 'metrics/2026-10.csv'].sort(),
    );
  });

  it('takes options from its caller and records them', async () => {
    // Prepare
    const store = bucket();

    // Act
    const result = await detectMonthAnomalies(input, {
      store,
      audit: new MemoryAuditTrail(),
      now: () => NOW,
      options: { minHistoryMonths: 7, threshold: undefined },
    });

    // Assess
    expect(result.flagged).toBe(0);
    expect(result.note).toContain('(7 needed)');
    expect(json<AnomaliesReport>(store, 'reports/2026-10/anomalies.json')).toMatchObject({
      minHistoryMonths: 7,
      threshold: 3.5,
    });
  });

  it('lists skipped rows of the metrics files in anomalies.json', async () => {
    // Prepare
    const store = bucket();
    const september = text(store, 'metrics/2026-09.csv');
    store.set('metrics/2026-09.csv', `${september}2026-09,extra,many,1.00,10\r\n`);

    // Act
    await detectMonthAnomalies(input, { store, audit: new MemoryAuditTrail(), now: () => NOW });

    // Assess
    expect(json<AnomaliesReport>(store, 'reports/2026-10/anomalies.json').skippedRows).toEqual([
      {
        file: 'metrics/2026-09.csv',
        row: TOWNS.length + 1,
        problem: '受助人数 "many" 不是非负整数 / recipients "many" is not a non-negative integer',
      },
    ]);
  });

  it('computes a first month end to end: nothing flagged, the note says there is no history yet', async () => {
    // Prepare: one payment in shiqi, none in dq02.
    const release =
      csvLine(RELEASE_CSV_COLUMNS) +
      csvLine([
        '2026-10-shiqi-000001',
        'shiqi',
        1,
        '44200019800101123X',
        '张三',
        '6222020200112233441',
        '520.00',
        'DIBAO',
        'shiqi',
      ]);
    const store = new MemoryObjectStore()
      .set('reference/towns.csv', 'code,name,population\nshiqi,石岐街道,71000\ndq02,东区街道,52000\n')
      .set('reports/2026-10/release.csv', release);
    const audit = new MemoryAuditTrail();

    // Act
    await computeMonthMetrics(input, { store, now: () => NOW });
    const result = await detectMonthAnomalies(input, { store, audit, now: () => NOW });

    // Assess
    const note =
      '2026-10 之前尚无历史数据，暂不能标记异常 / no history before 2026-10: nothing can be flagged yet';
    expect(result).toMatchObject({ flagged: 0, historyMonths: 0, note });
    const report = json<AnomaliesReport>(store, 'reports/2026-10/anomalies.json');
    expect(report.note).toBe(note);
    expect(report.history).toEqual([]);
    expect(report.rows.every((r) => r.explanation.includes('not enough history yet'))).toBe(true);
    expect(text(store, 'reports/2026-10/anomalies.csv')).toContain(
      '2026-10,shiqi,average_amount,520.00,,,false,,,,"人均发放 520.00 元，此前无数据可比，历史数据不足（需 3 个月，现有 0 个月），暂不标记 / average 520.00 yuan per recipient, with no earlier figures to compare with: not enough history yet (0 of 3 months), not flagged"\r\n',
    );
    expect(text(store, 'reports/2026-10/anomalies.csv')).toContain(
      '2026-10,shiqi,average_amount,520.00,,,false,DIBAO,,,"低保（DIBAO）补差水平（人均发放）520.00 元，此前无数据可比，历史数据不足（需 3 个月，现有 0 个月），暂不标记 / DIBAO top-up level 520.00 yuan per recipient, with no earlier figures to compare with: not enough history yet (0 of 3 months), not flagged"\r\n',
    );
    expect(audit.entries[0]?.details).toEqual({ flagged: 0, historyMonths: 0, flaggedTowns: [] });
  });

  it("stops when the month's metrics are missing, writing nothing", async () => {
    // Prepare
    const store = bucket();
    store.delete('metrics/2026-10.csv');

    // Act
    const act = detectMonthAnomalies(input, { store, audit: new MemoryAuditTrail(), now: () => NOW });

    // Assess
    await expect(act).rejects.toBeInstanceOf(MetricsNotFoundError);
    await expect(act).rejects.toMatchObject({ name: 'MetricsNotFoundError' });
    expect(store.keys().some((k) => k.startsWith('reports/'))).toBe(false);
  });

  it('stops on a history file lacking a column, naming it, and on a bad month', async () => {
    // Prepare
    const store = bucket().set('metrics/2026-08.csv', 'month,town,recipients,population\n');

    // Act
    const actColumn = detectMonthAnomalies(input, { store, audit: new MemoryAuditTrail(), now: () => NOW });
    const actMonth = detectMonthAnomalies(
      { ...input, month: '2026-10 ' },
      { store, audit: new MemoryAuditTrail(), now: () => NOW },
    );

    // Assess
    await expect(actColumn).rejects.toBeInstanceOf(ReferenceDataError);
    await expect(actColumn).rejects.toMatchObject({ file: 'metrics/2026-08.csv', column: 'total_amount' });
    await expect(actMonth).rejects.toBeInstanceOf(InvalidTaskInputError);
  });
});
