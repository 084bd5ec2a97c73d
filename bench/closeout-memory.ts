import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { simulateBankReturns } from '#demo/bank-returns.ts';
import { releaseCsv } from '#formats/release-csv.ts';
import { bankReturnFile, releaseFile } from '#schemas/bucket-layout.ts';
import { closeOutMonth } from '#usecases/close-out-month.ts';
import { FileObjectStore } from './file-object-store.ts';
import { MemoryAuditTrail } from './memory-audit-trail.ts';
import { BENCH_MONTH } from './month-generator.ts';

/**
 * The close-out step alone, to measure its time and memory at a given size, e.g.
 *
 * ```sh
 * npx tsx bench/closeout-memory.ts setup /tmp/co 1000000   # release.csv + the bank's file
 * /usr/bin/time -v node --max-old-space-size=256 --import tsx bench/closeout-memory.ts run /tmp/co
 * ```
 *
 * `setup` writes a release of `payees` payments in 100 batches and the bank file the demonstration
 * bank returns for it (nearly all paid; a few failed, wrong, missing, duplicated, garbled and
 * unknown). `run` closes the month out over that directory and prints its seconds and heap.
 */
async function main(): Promise<void> {
  const [command, dir, size] = process.argv.slice(2);
  if (dir === undefined || (command !== 'setup' && command !== 'run')) {
    throw new Error('usage: closeout-memory.ts setup DIR PAYEES | run DIR');
  }
  if (command === 'setup') {
    await setup(dir, Number(size ?? 1_000_000));
    return;
  }
  const store = new FileObjectStore(dir);
  const started = performance.now();
  const result = await closeOutMonth(
    { month: BENCH_MONTH, bucket: 'bench' },
    { store, audit: new MemoryAuditTrail(), now: () => new Date().toISOString() },
  );
  const seconds = (performance.now() - started) / 1000;
  const usage = process.resourceUsage();
  console.log(
    JSON.stringify({
      seconds: Number(seconds.toFixed(2)),
      maxRssMb: Math.round(usage.maxRSS / 1024),
      heapUsedMb: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
      countsByCode: result.countsByCode,
    }),
  );
}

async function setup(dir: string, payees: number): Promise<void> {
  const batches = 100;
  const perBatch = Math.ceil(payees / batches);
  const rows = [];
  for (let k = 0; k < payees; k++) {
    const batch = `town${String(Math.floor(k / perBatch)).padStart(3, '0')}`;
    rows.push({
      batch,
      row: (k % perBatch) + 1,
      idNumber: `4420001990${String(k).padStart(7, '0')}X`,
      name: `收款人${k}`,
      accountNumber: `6222${String(k * 7919).padStart(15, '0')}`,
      amountFen: 30_000 + (k % 5000) * 10,
      category: k % 3 === 0 ? 'DIBAO' : 'TEKUN',
      town: batch,
    });
  }
  const release = releaseCsv(BENCH_MONTH, rows);
  const bank = simulateBankReturns(BENCH_MONTH, release);
  for (const [key, body] of [
    [releaseFile.key({ month: BENCH_MONTH }), release],
    [bankReturnFile.key({ month: BENCH_MONTH, file: bank.name }), bank.body],
  ] as const) {
    await mkdir(dirname(join(dir, key)), { recursive: true });
    await writeFile(join(dir, key), body);
  }
}

await main();
