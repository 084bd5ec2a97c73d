import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateBankReturns } from '#demo/bank-returns.ts';
import { generateDemoMonth } from '#demo/generate-month.ts';
import type { DemoManifest } from '#demo/manifest.ts';
import { DEMO_JUMP_TOWN, seedDemoMetricsHistory } from '#demo/metrics-history.ts';
import { type RunMonthResult, runMonth } from '#local/cli/run-month.ts';
import { CLOSEOUT_CODES } from '#schemas/closeout.ts';
import { CHECK_SEVERITIES } from '#schemas/finding-codes.ts';

const MONTH = '2026-10';
let root: string;
let manifest: DemoManifest;
let result: RunMonthResult;
/** The counts once sanjiao's corrected roster, uploaded from its desk, replaced the rejected one. */
let counts: { planted: Record<string, number>; expectedChecks: Record<string, number> };
let summary: { findingsByCode: Record<string, number>; datasets: Record<string, { skippedRows: number }> };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'payguard-demo-'));
  manifest = await generateDemoMonth({ dir: join(root, 'data'), month: MONTH });
  if (manifest.correction === undefined)
    throw new Error('the demonstration rejects no town for a missing column');
  counts = manifest.correction;
  await seedDemoMetricsHistory(join(root, 'data'), MONTH, manifest.towns);
  result = await runMonth({
    dataDir: join(root, 'data'),
    month: MONTH,
    outDir: join(root, 'out'),
    approve: 'auto',
    playDesk: true,
    correctedRosters: manifest.correction ? [manifest.correction] : [],
    simulateBank: (release) => simulateBankReturns(MONTH, release),
  });
  summary = JSON.parse(await readFile(join(root, 'out', 'summary.json'), 'utf8'));
}, 180_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the demonstration month', () => {
  it('finds exactly the planted file- and row-level problems (contract 3.1-3.2)', () => {
    for (const [code, count] of Object.entries(counts.planted)) {
      expect(summary.findingsByCode[code] ?? 0, code).toBe(count);
    }
  });

  it('reads the rosters kept as offices keep them: the header below a title, months as dates, the 合计 checked', async () => {
    // Prepare
    const report = (batch: string) => readFile(join(root, 'out', 'validation', `${batch}.txt`), 'utf8');
    const total =
      /合计行 Total line: (工作表)?第 \d+ 行 (sheet row|line) \d+：合计 stated ([\d,]+\.\d\d)；有效金额之和 valid amounts sum to ([\d,]+\.\d\d) ✓/;

    // Act
    const gbk = await report('huangpu');
    const xlsx = await report('guzhen');

    // Assess
    expect(gbk).toContain(
      '表头 Header: 第 3 行 line 3（其上 2 行为标题，已忽略 / the 2 lines above it ignored）',
    );
    expect(xlsx).toContain(
      '表头 Header: 工作表第 2 行 sheet row 2（其上 1 行为标题，已忽略 / the 1 sheet row above it ignored）',
    );
    for (const text of [gbk, xlsx]) {
      const [, , , stated, summed] = total.exec(text) ?? [];
      expect(stated).toBeDefined();
      expect(stated).toBe(summed);
      expect(text).toContain('结果 Result: 已接收 ACCEPTED');
    }
    expect(summary.findingsByCode.TOTAL_MISMATCH ?? 0).toBe(0);
  });

  it('plants every check of contract 3.3 and finds exactly the expected number of each', () => {
    for (const code of Object.keys(CHECK_SEVERITIES)) {
      expect(counts.expectedChecks[code], code).toBeGreaterThan(0);
      expect(summary.findingsByCode[code] ?? 0, code).toBe(counts.expectedChecks[code]);
    }
  });

  it('counts the partner rows it skipped', () => {
    for (const [dataset, skipped] of Object.entries(manifest.skippedPartnerRows)) {
      expect(summary.datasets[dataset]?.skippedRows, dataset).toBe(skipped);
    }
  });

  it('takes the corrected roster sanjiao uploads from its desk before the approvers decide', async () => {
    const sanjiao = result.ingests.filter((i) => i.key.startsWith(`incoming/${MONTH}/sanjiao/`));
    expect(sanjiao.map((i) => i.status)).toEqual(['REJECTED', 'ACCEPTED']);
    expect(sanjiao[1]?.key).toMatch(/\/desk-\d{8}T\d{6}Z-[\w-]{6}-sanjiao-2026-10\.csv$/);
    expect((manifest.planted.MISSING_COLUMNS ?? 0) - (counts.planted.MISSING_COLUMNS ?? 0)).toBe(1);
    const audit = await readFile(join(root, 'out', 'audit.jsonl'), 'utf8');
    expect(audit).toContain('"APPROVAL_SUPERSEDED"');
    expect(await readFile(join(root, 'out', 'validation', 'sanjiao.txt'), 'utf8')).toContain(
      '结果 Result: 已接收 ACCEPTED',
    );
  });

  it('is approved by two approvers, released, and closed out against the simulated bank with every code', async () => {
    const closeout = await readFile(join(root, 'out', 'closeout.csv'), 'utf8');
    const codes = new Set(
      closeout
        .trim()
        .split('\r\n')
        .slice(1)
        .map((line) => line.split(',')[1]),
    );
    expect([...codes].sort()).toEqual([...CLOSEOUT_CODES].sort());
    expect(result.state).toBe('OPEN');
    expect(result.summary.approval).toEqual(
      expect.objectContaining({ status: 'APPROVED', requiredApprovals: 2 }),
    );
  });

  it('flags the town whose recipients jumped against six months of history, and the town paid nothing', () => {
    const flagged = new Set(result.anomalies?.rows.filter((r) => r.flagged).map((r) => r.town));
    expect(result.anomalies?.historyMonths).toBe(6);
    expect(flagged).toEqual(new Set([DEMO_JUMP_TOWN, 'shenwan']));
  });

  it('writes the home-visit sample and the month page', async () => {
    const sample = await readFile(join(root, 'out', 'sample.csv'), 'utf8');
    expect(sample.split('\r\n')[0]).toBe('month,town,household_id,id_number,reason');
    const report = await readFile(join(root, 'out', 'report.html'), 'utf8');
    expect(report).toContain('data-testid="growth-chart"');
    expect(report).not.toMatch(/\d{17}[\dX]/);
  });
});
