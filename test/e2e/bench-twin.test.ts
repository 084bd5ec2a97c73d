import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMonth } from '#local/cli/run-month.ts';
import { DUCKDB_OUTPUTS, duckdbMonth } from '../../bench/duckdb-month.ts';
import { BENCH_MONTH, type BenchMonthStats, writeBenchMonth } from '../../bench/month-generator.ts';
import { compareOutputs } from '../../bench/output-agreement.ts';

// The end-to-end bench's promise at a size the suite can afford: payguard's run and the bench's
// DuckDB twin, both over the bench's generated month, write the same findings, release and
// close-out — with the month split into several partitions.

let root: string;
let bucket: string;
let stats: BenchMonthStats;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'payguard-bench-twin-'));
  bucket = join(root, 'bucket');
  stats = await writeBenchMonth(bucket, 3_000, {
    bankReturns: true,
    markerPath: join(root, 'generated.json'),
  });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Both write `findings.csv`, `release.csv` and `closeout.csv` under these names. */
const outputs = (dir: string) => ({
  findings: join(dir, DUCKDB_OUTPUTS.findings),
  release: join(dir, DUCKDB_OUTPUTS.release),
  closeout: join(dir, DUCKDB_OUTPUTS.closeout),
});

describe("the end-to-end bench's DuckDB twin", () => {
  it('writes the findings, release and close-out of a run over the same bucket', {
    timeout: 180_000,
  }, async () => {
    // Prepare
    const payguardOut = join(root, 'payguard');
    const duckdbOut = join(root, 'duckdb');
    await mkdir(duckdbOut, { recursive: true });

    // Act
    const run = await runMonth({
      dataDir: bucket,
      month: BENCH_MONTH,
      outDir: payguardOut,
      approve: 'auto',
      sampleSeed: 'bench',
      partitionRows: 1_000,
    });
    const twin = await duckdbMonth({ dir: bucket, month: BENCH_MONTH, outDir: duckdbOut, threads: 1 });
    const agreement = await compareOutputs(outputs(payguardOut), outputs(duckdbOut));

    // Assess
    expect(run.state).toBe('OPEN');
    expect((run.summary as { config?: { partitions?: number } }).config?.partitions).toBeGreaterThan(1);
    expect(agreement.findings).toMatchObject({ same: true });
    expect(agreement.release).toMatchObject({ same: true, rows: twin.released });
    expect(agreement.closeout).toMatchObject({ same: true, rows: twin.closeoutRows });
    expect(agreement.release.rows).toBe(stats.bank?.expectedPayments);
  });
});
