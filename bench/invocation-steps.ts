import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findingsArrow, runManifest } from '#schemas/bucket-layout.ts';
import type { PartitionResult, PreparedMonthRun } from '#schemas/month-run.ts';
import type { PreparedRelease } from '#schemas/release.ts';
import type { ApprovalRequest, ApprovalStore } from '#usecases/approval-ports.ts';
import { closeOutMonth } from '#usecases/close-out-month.ts';
import { computeMonthMetrics } from '#usecases/compute-month-metrics.ts';
import { detectMonthAnomalies } from '#usecases/detect-month-anomalies.ts';
import { drawMonthSample } from '#usecases/draw-month-sample.ts';
import { notifyBureau } from '#usecases/notify-bureau.ts';
import { openMonthCases } from '#usecases/open-month-cases.ts';
import type { CaseStore } from '#usecases/ports.ts';
import { prepareRelease } from '#usecases/prepare-release.ts';
import { releaseMonth } from '#usecases/release-month.ts';
import { writeMonthFindings } from '#usecases/write-month-findings.ts';
import { writeMonthPage } from '#usecases/write-month-page.ts';
import { MemoryCaseStore } from '../test/unit/usecases/cases/memory-case-store.ts';
import { FileObjectStore } from './file-object-store.ts';
import { MemoryApprovalStore } from './memory-approval-store.ts';
import { MemoryAuditTrail } from './memory-audit-trail.ts';
import { MemoryRunStateStore } from './memory-run-state.ts';
import { BENCH_MONTH } from './month-generator.ts';

const now = () => new Date().toISOString();
const month = BENCH_MONTH;
const bucket = 'bench';

const saved = async <T>(dir: string, name: string): Promise<T> =>
  JSON.parse(await readFile(join(dir, '.bench', name), 'utf8')) as T;
const save = (dir: string, name: string, value: unknown) =>
  writeFile(join(dir, '.bench', name), JSON.stringify(value));
const deps = (dir: string) => ({ store: new FileObjectStore(dir), audit: new MemoryAuditTrail(), now });
// Cases are kept in memory within one step: each step that reads them starts with none.
const caseStore = () => new MemoryCaseStore() as unknown as CaseStore;

/**
 * The month run's and month watch's steps after the partitions are checked, each run alone over
 * a bench directory whose earlier steps ran (`invocation-memory.ts`), reading what those left
 * under `.bench/` and leaving what the next one needs.
 */
export const afterCheckSteps = {
  async findings(dir: string) {
    const prepared = await saved<PreparedMonthRun>(dir, 'prepared.json');
    const partitionResults: PartitionResult[] = [];
    for (const p of prepared.partitions) partitionResults.push(await saved(dir, `partition-${p}.json`));
    const result = await writeMonthFindings({ ...prepared, partitionResults }, deps(dir));
    await save(dir, 'findings.json', result);
    return result;
  },
  async cases(dir: string) {
    const prepared = await saved<PreparedMonthRun>(dir, 'prepared.json');
    return openMonthCases(
      { month, bucket, runId: prepared.runId, findingsArrowKey: findingsArrow.key({ month }) },
      { ...deps(dir), cases: caseStore() },
    );
  },
  async 'prepare-release'(dir: string) {
    const prepared = await saved<PreparedMonthRun>(dir, 'prepared.json');
    const release = await prepareRelease(
      {
        month,
        bucket,
        runId: prepared.runId,
        manifestKey: runManifest.key({ month, runId: prepared.runId }),
        findingsArrowKey: findingsArrow.key({ month }),
      },
      deps(dir),
    );
    await save(dir, 'release.json', release);
    return release;
  },
  async release(dir: string) {
    const prepared = await saved<PreparedRelease>(dir, 'release.json');
    const signatures = ['bench-a', 'bench-b'].map((approverId) => ({
      approverId,
      approverName: approverId,
      at: now(),
      sourceIp: '127.0.0.1',
    }));
    const request: ApprovalRequest = {
      month,
      requestId: 'bench-request',
      runId: prepared.runId,
      taskToken: 'bench',
      contentSha256: prepared.contentSha256,
      candidateKey: prepared.candidateKey,
      viewKey: prepared.viewKey,
      rows: prepared.rows,
      amountFen: prepared.amountFen,
      requiredApprovals: prepared.requiredApprovals,
      approvers: signatures.map((a) => ({ id: a.approverId, name: a.approverName })),
      status: 'APPROVED',
      requestedAt: now(),
      expiresAt: now(),
      approvals: Object.fromEntries(signatures.map((a) => [a.approverId, a])),
    };
    const approvals = new MemoryApprovalStore([request]) as unknown as ApprovalStore;
    return releaseMonth(
      {
        ...prepared,
        approval: {
          decision: 'APPROVED',
          requestId: request.requestId,
          contentSha256: prepared.contentSha256,
          approvals: signatures,
        },
      },
      { ...deps(dir), approvals, state: await benchState(dir) },
    );
  },
  'close-out': (dir: string) => closeOutMonth({ month, bucket }, deps(dir)),
  async metrics(dir: string) {
    const metrics = await computeMonthMetrics({ month, bucket }, deps(dir));
    const anomalies = await detectMonthAnomalies({ month, bucket }, deps(dir));
    return { metrics, anomalies };
  },
  sample: (dir: string) =>
    drawMonthSample({ month, bucket, seed: 'bench' }, { ...deps(dir), randomSeed: () => 'bench' }),
  page: (dir: string) => writeMonthPage({ month }, { ...deps(dir), cases: caseStore() }),
  notify: (dir: string) =>
    notifyBureau(
      { month },
      {
        ...deps(dir),
        cases: caseStore(),
        contacts: { bureau: ['bureau@example.org'] },
        notifier: { send: async (n) => console.log(n.subject) },
      },
    ),
};

const benchState = async (dir: string) => new MemoryRunStateStore(await saved(dir, 'batches.json'));
