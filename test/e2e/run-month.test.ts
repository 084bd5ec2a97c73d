import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMonth } from '#local/cli/run-month.ts';
import { pipelineConfig } from '#schemas/bucket-layout.ts';
import { DATASETS } from '#schemas/datasets.ts';
import { badCheckId, csv, ENGLISH_HEADER, rosterRow, TOWNS_CSV, validId } from '../support/roster-builder.ts';

const MONTH = '2026-10';
let root: string;
let dataDir: string;

async function put(key: string, body: string | Uint8Array, mtime?: Date): Promise<void> {
  const path = join(dataDir, key);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, body);
  if (mtime) await utimes(path, mtime, mtime);
}

/** Parses findings.csv (no quoted newlines in these fixtures) into comparable tuples. */
function tuples(text: string): string[][] {
  const lines = text.trim().split(/\r\n/);
  return lines.slice(1).map((line) => {
    const fields = line.match(/("([^"]|"")*"|[^,]*)(,|$)/g)?.map((f) => f.replace(/,$/, '')) ?? [];
    return fields.slice(0, 7);
  });
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'payguard-run-'));
  dataDir = join(root, 'data');
  await put('reference/towns.csv', TOWNS_CSV);
  // The bureau expects dongqu, whose file is rejected: the month never starts itself while the
  // files arrive (without this, the 2026-09 upload below makes shiqi expected, and the month would
  // start as soon as shiqi is accepted, racing the later uploads), so runMonth starts the one run.
  await put(pipelineConfig.key(), JSON.stringify({ expectedBatches: ['shiqi', 'nanqu', 'dongqu'] }));
  // The registry approves exactly the month's valid rows, so contract 3.3 adds no finding here.
  await put(
    'reference/registry.csv',
    csv(
      DATASETS.registry.columnNames,
      [1, 30].map((seq) => {
        const r = rosterRow({}, seq);
        return [r[0], r[1], r[2], 'DIBAO', '1180.00', 'ACTIVE', 'shiqi', r[7], '', ''] as string[];
      }),
    ),
  );
  await put(
    `incoming/${MONTH}/shiqi/roster.csv`,
    csv(ENGLISH_HEADER, [
      rosterRow({}, 1),
      rosterRow({ id_number: badCheckId('19600101', 2) }, 2),
      rosterRow({ name: '', amount: '' }, 3),
      rosterRow({ name: '名'.repeat(51) }, 4),
      rosterRow({ amount: '0.001' }, 5),
      rosterRow({ category: 'WELFARE' }, 6),
      rosterRow({ town: 'atlantis' }, 7),
      rosterRow({ account_number: '12345' }, 8),
      rosterRow({ month: '2026-09' }, 9),
      ['', '', '', '', '', '', '', '', '', ''],
      rosterRow({ amount: '-5', town: 'nowhere', id_number: '442000196001010' }, 11),
    ]),
  );
  await put(
    `incoming/${MONTH}/dongqu/roster.csv`,
    csv(ENGLISH_HEADER.slice(0, 7), [rosterRow({}, 20).slice(0, 7)]),
  );
  await put(`incoming/${MONTH}/junk/roster.csv`, new Uint8Array([0xff, 0xfe, 0x00, 0x81, 0xff, 0x00, 0x41]));
  await put(`incoming/${MONTH}/header-only/roster.csv`, `${ENGLISH_HEADER.join(',')}\n`);
  await put(`incoming/${MONTH}/zero/roster.csv`, '');
  await put(
    `incoming/${MONTH}/nanqu/b.csv`,
    csv(ENGLISH_HEADER, [rosterRow({ amount: 'x' }, 30)]),
    new Date('2026-10-20T08:00:00Z'),
  );
  await put(
    `incoming/${MONTH}/nanqu/a.csv`,
    csv(ENGLISH_HEADER, [rosterRow({}, 30)]),
    new Date('2026-10-21T08:00:00Z'),
  );
  await put(`incoming/${MONTH}/nanqu/.~lock.a.csv#`, 'lock file');
  await put(`incoming/${MONTH}/Bad_Folder/roster.csv`, csv(ENGLISH_HEADER, [rosterRow({ amount: 'x' }, 40)]));
  await put(
    `incoming/2026-09/shiqi/roster.csv`,
    csv(ENGLISH_HEADER, [rosterRow({ amount: 'x' }, 50, '2026-09')]),
  );
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('runMonth', () => {
  it('writes exactly the file- and row-level findings of contract 3.1-3.2 of the current files', async () => {
    // Act
    const out = join(root, 'out');
    const result = await runMonth({ dataDir, month: MONTH, outDir: out, approve: 'auto' });
    // Assess
    const findings = tuples(await readFile(join(out, 'findings.csv'), 'utf8'));
    const shiqi = (row: number, id: string, category: string, code: string) => [
      MONTH,
      'shiqi',
      String(row),
      id,
      category,
      code,
      'BLOCK',
    ];
    expect(findings).toEqual([
      [MONTH, 'dongqu', '', '', '', 'MISSING_COLUMNS', 'BLOCK'],
      [MONTH, 'header-only', '', '', '', 'EMPTY_FILE', 'BLOCK'],
      [MONTH, 'junk', '', '', '', 'UNREADABLE_FILE', 'BLOCK'],
      shiqi(2, badCheckId('19600101', 2), 'DIBAO', 'INVALID_ID'),
      shiqi(3, validId('19600101', 3), 'DIBAO', 'MISSING_FIELD'),
      shiqi(4, validId('19600101', 4), 'DIBAO', 'INVALID_NAME'),
      shiqi(5, validId('19600101', 5), 'DIBAO', 'INVALID_AMOUNT'),
      shiqi(6, validId('19600101', 6), '', 'UNKNOWN_CATEGORY'),
      shiqi(7, validId('19600101', 7), 'DIBAO', 'UNKNOWN_TOWN'),
      shiqi(8, validId('19600101', 8), 'DIBAO', 'INVALID_ACCOUNT'),
      shiqi(9, validId('19600101', 9), 'DIBAO', 'WRONG_MONTH'),
      shiqi(11, '442000196001010', 'DIBAO', 'INVALID_ID'),
      shiqi(11, '442000196001010', 'DIBAO', 'INVALID_AMOUNT'),
      shiqi(11, '442000196001010', 'DIBAO', 'UNKNOWN_TOWN'),
      [MONTH, 'zero', '', '', '', 'EMPTY_FILE', 'BLOCK'],
    ]);
    const text = await readFile(join(out, 'findings.csv'), 'utf8');
    expect(text).toContain('incoming/2026-10/junk/roster.csv');
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
    expect(summary.checks.ran.join(' ')).toContain('3.2');
    expect(summary.checks.notRun).toEqual([]);
    expect(summary.approval).toEqual(expect.objectContaining({ status: 'APPROVED', requiredApprovals: 1 }));
    expect(summary.release).toEqual(expect.objectContaining({ rows: 2 }));
    expect(summary.totals).toEqual(
      expect.objectContaining({ acceptedBatches: 2, rejectedBatches: 4, validRows: 2 }),
    );
    expect(summary.batches.find((b: { batch: string }) => b.batch === 'nanqu').file).toBe(
      `incoming/${MONTH}/nanqu/a.csv`,
    );
    expect(result.files).toContain(join(out, 'validation', 'shiqi.txt'));
  });
});

describe('payguard CLI', () => {
  const cli = (args: string[], env: Record<string, string> = {}) =>
    promisify(execFile)(
      process.execPath,
      ['--openssl-legacy-provider', 'node_modules/tsx/dist/cli.mjs', 'local/cli/main.ts', ...args],
      {
        cwd: join(import.meta.dirname, '..', '..'),
        env: { ...process.env, ...env },
      },
    ).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        stdout: e.stdout,
        stderr: e.stderr,
      }),
    );

  it('exits non-zero with one line for a missing data directory', async () => {
    // Act
    const r = await cli(['run', '--data', join(root, 'nope'), '--month', MONTH, '--out', join(root, 'o1')]);
    // Assess
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('does not exist');
  });

  it('exits non-zero with one line for a malformed month', async () => {
    // Act
    const r = await cli(['run', '--data', dataDir, '--month', '2026-13', '--out', join(root, 'o2')]);
    // Assess
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toBe('payguard: --month must be YYYY-MM, got "2026-13"');
  });

  it('runs a month in Lambda-like workers (PAYGUARD_WORKERS) and exits 0, printing the per-code table', async () => {
    // Act
    const r = await cli(
      ['run', '--data', dataDir, '--month', MONTH, '--out', join(root, 'o3'), '--approve', 'auto'],
      { PAYGUARD_WORKERS: '2' },
    );
    // Assess
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/INVALID_ID\s+BLOCK\s+2\n/);
    expect(r.stdout).toContain('handlers: in Lambda-like worker processes, up to 2 at once');
  }, 240_000);
});
