import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateBankReturns } from '#demo/bank-returns.ts';
import { type DemoCaseHistory, demoCaseHistory } from '#demo/case-history.ts';
import { generateDemoMonth } from '#demo/generate-month.ts';
import type { DemoManifest } from '#demo/manifest.ts';
import { DEMO_JUMP_TOWN, seedDemoMetricsHistory } from '#demo/metrics-history.ts';
import { type RunMonthResult, runMonth } from '#local/cli/run-month.ts';
import { CLOSEOUT_CODES } from '#schemas/closeout.ts';
import { CHECK_SEVERITIES } from '#schemas/finding-codes.ts';
import { UNMASKED_ID_NUMBER } from '../support/unmasked-id-number.ts';

const MONTH = '2026-10';
let root: string;
let manifest: DemoManifest;
let result: RunMonthResult;
/** The counts once sanjiao's corrected roster, uploaded from its desk, replaced the rejected one. */
let counts: { planted: Record<string, number>; expectedChecks: Record<string, number> };
let history: DemoCaseHistory;
let summary: { findingsByCode: Record<string, number>; datasets: Record<string, { skippedRows: number }> };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'payguard-demo-'));
  manifest = await generateDemoMonth({ dir: join(root, 'data'), month: MONTH });
  if (manifest.correction === undefined)
    throw new Error('the demonstration rejects no town for a missing column');
  counts = manifest.correction;
  await seedDemoMetricsHistory(join(root, 'data'), MONTH, manifest.towns);
  history = await demoCaseHistory(join(root, 'data'), MONTH);
  result = await runMonth({
    dataDir: join(root, 'data'),
    month: MONTH,
    outDir: join(root, 'out'),
    approve: 'auto',
    playDesk: true,
    caseHistory: history,
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
    expect(report).not.toMatch(UNMASKED_ID_NUMBER);
  });

  it("withdraws the cases of sanjiao's rejected roster the newer check no longer finds; its desk lists only the current ones", async () => {
    // Prepare: cases.csv and findings.csv as the run left them
    const rows = async (file: string) =>
      (await readFile(join(root, 'out', file), 'utf8'))
        .trim()
        .split('\r\n')
        .slice(1)
        .map((line) => line.split(','));
    const current = new Set((await rows('findings.csv')).map((f) => [f[5], f[3], f[4]].join('|')));
    const sanjiao = (await rows('cases.csv')).filter((c) => c[1] === 'sanjiao' && c[2] === 'FINDING');
    const key = (c: string[]) => [c[3], c[4], c[5]].join('|');

    // Act
    const withdrawn = sanjiao.filter((c) => c[7] === 'WITHDRAWN');
    const kept = sanjiao.filter((c) => c[7] !== 'WITHDRAWN');

    // Assess: the first run's MISSING_PAYMENT of every sanjiao recipient, withdrawn by the second
    expect(withdrawn.length).toBeGreaterThan(2000);
    for (const c of withdrawn) {
      expect(c[6]).toBe('CLOSED');
      expect(c[14]).toMatch(/^month-run:/);
      expect(current.has(key(c)), key(c)).toBe(false);
    }
    expect(kept.length).toBeGreaterThan(0);
    for (const c of kept) expect(current.has(key(c)), key(c)).toBe(true);
    expect(result.desk?.corrected).toEqual([
      { town: 'sanjiao', findings: kept.length, visits: expect.any(Number), withdrawn: withdrawn.length },
    ]);
    const audit = await readFile(join(root, 'out', 'audit.jsonl'), 'utf8');
    expect(audit).toContain(`"action":"CASES_WITHDRAWN"`);
    // The officer's XLSX count is the desk's own: the rows its import recorded in the audit trail
    const imported = audit
      .split('\n')
      .filter((line) => line.includes('"action":"CASE_OUTCOMES_IMPORTED"'))
      .map((line) => JSON.parse(line) as { details: { applied: number } });
    expect(result.desk?.played.importedRows).toBeGreaterThan(0);
    expect(imported.map((e) => e.details.applied)).toEqual([result.desk?.played.importedRows]);
    expect(audit).toContain(`"count":${withdrawn.length}`);
  });

  it('shows the bureau precision, money month by month and the overdue cases of the month before', async () => {
    // Prepare
    const report = await readFile(join(root, 'out', 'report.html'), 'utf8');
    const open = history.cases.filter((c) => c.officer === undefined);
    const section = (testid: string) =>
      new RegExp(`data-testid="${testid}"[\\s\\S]*?</table>`).exec(report)?.[0] ?? '';

    // Act
    const overdueCount = /data-testid="overdue-count">([\d,]+)</.exec(report)?.[1];
    const overdueRows = [...section('overdue-cases').matchAll(/<tr class="flagged"><td>([\d-]+)<\/td>/g)].map(
      (m) => m[1],
    );

    // Assess: the month before's open cases, 35 days old, are overdue; its money is in the months
    expect(overdueCount).toBe(String(open.length));
    expect(overdueRows).toEqual(open.map(() => history.month));
    expect(section('case-months')).toContain(`<td>${history.month}</td>`);
    expect(report).toMatch(/data-testid="case-precision">\d+\.\d%/);
    expect(report).toMatch(/data-testid="money-found">[1-9]/);
    expect(report).not.toMatch(UNMASKED_ID_NUMBER);
  });

  it("tells the bureau of the overdue cases in the month watch's notice", async () => {
    // Prepare
    const outbox = join(root, 'out', 'outbox');
    const mails = await Promise.all(
      (await readdir(outbox))
        .filter((f) => f.endsWith('.json'))
        .map((f) => readFile(join(outbox, f), 'utf8')),
    );

    // Act
    const notice = mails.find((m) => m.includes('Overdue cases'));

    // Assess
    const open = history.cases.filter((c) => c.officer === undefined).length;
    expect(notice).toContain(`Overdue cases (open over 15 days): ${open}`);
    expect(notice).not.toMatch(UNMASKED_ID_NUMBER);
  });
});
