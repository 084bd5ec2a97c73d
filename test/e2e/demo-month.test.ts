import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoManifest, generateDemoMonth } from '#local/demo-data.ts';
import { runMonth } from '#local/run-month.ts';
import { CHECK_SEVERITIES } from '#schemas/finding-codes.ts';

const MONTH = '2026-10';
let root: string;
let manifest: DemoManifest;
let summary: { findingsByCode: Record<string, number>; datasets: Record<string, { skippedRows: number }> };

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'payguard-demo-'));
  manifest = await generateDemoMonth({ dir: join(root, 'data'), month: MONTH });
  await runMonth({ dataDir: join(root, 'data'), month: MONTH, outDir: join(root, 'out'), approve: 'auto' });
  summary = JSON.parse(await readFile(join(root, 'out', 'summary.json'), 'utf8'));
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the demonstration month', () => {
  it('finds exactly the planted file- and row-level problems (contract 3.1-3.2)', () => {
    for (const [code, count] of Object.entries(manifest.planted)) {
      expect(summary.findingsByCode[code] ?? 0, code).toBe(count);
    }
  });

  it('plants every check of contract 3.3 and finds exactly the expected number of each', () => {
    for (const code of Object.keys(CHECK_SEVERITIES)) {
      expect(manifest.expectedChecks[code], code).toBeGreaterThan(0);
      expect(summary.findingsByCode[code] ?? 0, code).toBe(manifest.expectedChecks[code]);
    }
  });

  it('counts the partner rows it skipped', () => {
    for (const [dataset, skipped] of Object.entries(manifest.skippedPartnerRows)) {
      expect(summary.datasets[dataset]?.skippedRows, dataset).toBe(skipped);
    }
  });
});
