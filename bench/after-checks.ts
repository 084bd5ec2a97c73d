import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simulateBankReturns } from '#demo/bank-returns.ts';
import {
  bankReturnFile,
  findingsArrow,
  monthSummary,
  releaseFile,
  runManifest,
} from '#schemas/bucket-layout.ts';
import { closeOutMonth } from '#usecases/close-out-month.ts';
import { computeMonthMetrics } from '#usecases/compute-month-metrics.ts';
import { detectMonthAnomalies } from '#usecases/detect-month-anomalies.ts';
import { drawMonthSample } from '#usecases/draw-month-sample.ts';
import { prepareRelease } from '#usecases/prepare-release.ts';
import { writeMonthPage } from '#usecases/write-month-page.ts';
import { FileObjectStore } from './file-object-store.ts';
import { MemoryAuditTrail } from './memory-audit-trail.ts';
import { BENCH_MONTH } from './month-generator.ts';

/** What happens to a checked month after its checks, timed per step. */
export interface AfterChecks {
  readonly seconds: number;
  readonly phases: Record<string, number>;
  readonly releasedRows: number;
  readonly maxRssMb: number;
}

/**
 * The steps after the month check of a checked bench month, by payguard's use cases over the
 * directory store: the release candidate and approval view, the release file (the release step
 * itself is a conditional write and a copy), the close-out against a bank file returning every
 * payment (a few failed, wrong or missing, as the demo's bank does), the month's indicators and
 * anomalies, the home-visit sample, and report.html.
 */
export async function afterChecks(dir: string): Promise<AfterChecks> {
  const store = new FileObjectStore(dir);
  const audit = new MemoryAuditTrail();
  const now = () => new Date().toISOString();
  const summary = JSON.parse(await readFile(join(dir, monthSummary.key({ month: BENCH_MONTH })), 'utf8')) as {
    runId: string;
  };
  const phases: Record<string, number> = {};
  const started = performance.now();
  let t = performance.now();
  const lap = (name: string) => {
    phases[name] = (performance.now() - t) / 1000;
    t = performance.now();
  };
  const prepared = await prepareRelease(
    {
      month: BENCH_MONTH,
      bucket: 'bench',
      runId: summary.runId,
      manifestKey: runManifest.key({ month: BENCH_MONTH, runId: summary.runId }),
      findingsArrowKey: findingsArrow.key({ month: BENCH_MONTH }),
    },
    { store, now },
  );
  lap('release candidate');
  const candidate = (await store.readBytes(prepared.candidateKey)) as Uint8Array;
  await store.put(releaseFile.key({ month: BENCH_MONTH }), candidate);
  const bank = simulateBankReturns(BENCH_MONTH, Buffer.from(candidate).toString('utf8'));
  await store.put(bankReturnFile.key({ month: BENCH_MONTH, file: bank.name }), bank.body);
  lap('release + bank file');
  await closeOutMonth({ month: BENCH_MONTH, bucket: 'bench' }, { store, audit, now });
  lap('close-out');
  await computeMonthMetrics({ month: BENCH_MONTH, bucket: 'bench' }, { store, now });
  await detectMonthAnomalies({ month: BENCH_MONTH, bucket: 'bench' }, { store, audit, now });
  lap('indicators + anomalies');
  await drawMonthSample(
    { month: BENCH_MONTH, bucket: 'bench', seed: 'bench' },
    { store, audit, now, randomSeed: () => 'bench' },
  );
  lap('sample');
  await writeMonthPage({ month: BENCH_MONTH }, { store, audit, now });
  lap('report.html');
  return {
    seconds: (performance.now() - started) / 1000,
    phases,
    releasedRows: prepared.rows,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
}
