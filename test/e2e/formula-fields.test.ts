import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMonth } from '#local/cli/run-month.ts';
import { DATASETS } from '#schemas/datasets.ts';
import { csv, ENGLISH_HEADER, rosterRow, TOWNS_CSV, validId } from '../support/roster-builder.ts';

const MONTH = '2026-10';
const ref = (row: number) => `${MONTH}-shiqi-${String(row).padStart(6, '0')}`;
/** Names a spreadsheet would run (contract 2.1: INVALID_NAME), by roster row. */
const FORMULA_NAMES: Record<number, string> = {
  2: '=HYPERLINK("http://x","y")',
  3: '@SUM(1)',
  4: '+1+2',
  5: '-1+2',
  6: '张\t六',
};
const BANK_REASON = "=cmd|' /C calc'!A0";
const BORN_30_FEBRUARY = validId('19800230', 9);
let root: string;
let dataDir: string;

async function put(key: string, body: string): Promise<void> {
  const path = join(dataDir, key);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, body);
}

/** The records of a CSV output as an RFC 4180 reader (a spreadsheet's import) gives them. */
async function records(file: string): Promise<string[][]> {
  return parse(await readFile(file, 'utf8'), { bom: true, relax_column_count: true }) as string[][];
}

const nameOf = (row: number) => FORMULA_NAMES[row] ?? `张${row}`;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'payguard-formula-'));
  dataDir = join(root, 'data');
  const rows = [1, 2, 3, 4, 5, 6, 7, 8];
  await put('reference/towns.csv', TOWNS_CSV);
  // The registry approves every row as typed, formula names included: only validation stops them.
  await put(
    'reference/registry.csv',
    csv(
      DATASETS.registry.columnNames,
      rows.map((seq) => {
        const r = rosterRow({ name: nameOf(seq) }, seq);
        return [r[0], r[1], r[2], 'DIBAO', '1180.00', 'ACTIVE', 'shiqi', r[7], '', ''] as string[];
      }),
    ),
  );
  // Row 7's ID is typed as a formula; row 9's has a right check character and no 30 February.
  await put(
    `incoming/${MONTH}/shiqi/roster.csv`,
    csv(ENGLISH_HEADER, [
      ...rows.map((seq) => rosterRow(seq === 7 ? { id_number: '=1+2' } : { name: nameOf(seq) }, seq)),
      rosterRow({ id_number: BORN_30_FEBRUARY }, 9),
    ]),
  );
  await put(
    'config/pipeline.json',
    JSON.stringify({ expectedBatches: ['shiqi'], fourEyesThreshold: 1_000_000 }),
  );
  await put(
    `bank-returns/${MONTH}/bank.csv`,
    csv(
      ['payment_ref', 'account_number', 'amount', 'status', 'reason', 'value_date'],
      [
        [ref(1), rosterRow({}, 1)[7] as string, '1180.00', 'SUCCESS', '', `${MONTH}-25`],
        [ref(8), rosterRow({}, 8)[7] as string, '1180.00', 'FAILED', BANK_REASON, `${MONTH}-25`],
        ['=cmd', '6222020200000000099', '5.00', 'SUCCESS', '', `${MONTH}-25`],
        ['@SUM(1)', '6222020200000000098', '5.00', 'FAILED', '+1+2', `${MONTH}-25`],
      ],
    ),
  );
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a month whose roster and bank file hold spreadsheet formulas', () => {
  it('refuses formula names, keeps them out of the release, writes no CSV field a spreadsheet would run, and shows no birth date beside a masked ID', async () => {
    // Act
    const out = join(root, 'out');
    await runMonth({ dataDir, month: MONTH, outDir: out, approve: 'auto' });

    // Assess: the names are INVALID_NAME, the ID typed as a formula is guarded in findings.csv
    const findings = (await records(join(out, 'findings.csv'))).slice(1);
    const blocked = findings.filter((f) => f[1] === 'shiqi').map((f) => [f[2], f[3], f[5]]);
    expect(blocked).toEqual([
      ...[2, 3, 4, 5, 6].map((row) => [String(row), validId('19600101', row), 'INVALID_NAME']),
      ['7', "'=1+2", 'INVALID_ID'],
      ['9', BORN_30_FEBRUARY, 'INVALID_ID'],
    ]);

    // The town's report shows the masked ID, never beside the birth date that would rebuild it
    const report = await readFile(join(out, 'validation', 'shiqi.txt'), 'utf8');
    const line = report.split('\n').find((l) => l.includes('row 9')) ?? '';
    expect(line).toContain('[442000********0091]');
    expect(line).toContain('birth date (characters 7–14) is not a real date');
    expect(line).not.toMatch(/1980\D{0,3}02\D{0,3}30/);

    // Only the rows with plain names reach the bank
    const release = await records(join(out, 'release.csv'));
    expect(release.slice(1).map((r) => [r[0], r[4]])).toEqual([
      [ref(1), '张1'],
      [ref(8), '张8'],
    ]);

    // The bank's payment_ref and reason come back guarded
    const closeout = (await records(join(out, 'closeout.csv'))).slice(1);
    expect(closeout.map((r) => [r[0], r[1]])).toEqual(
      expect.arrayContaining([
        ["'=cmd", 'UNEXPECTED_RETURN'],
        ["'@SUM(1)", 'UNEXPECTED_RETURN'],
        [ref(8), 'PAYMENT_FAILED'],
      ]),
    );
    const reissue = (await records(join(out, 'reissue.csv'))).slice(1);
    expect(reissue.map((r) => [r[0], r.at(-1)])).toEqual([[ref(8), `'${BANK_REASON}`]]);

    // And no field of any CSV output starts a formula (contract 4)
    const outputs = (await readdir(out)).filter((f) => f.endsWith('.csv'));
    expect(outputs).toEqual(
      expect.arrayContaining([
        'findings.csv',
        'release.csv',
        'closeout.csv',
        'reissue.csv',
        'anomalies.csv',
        'sample.csv',
        `metrics-${MONTH}.csv`,
      ]),
    );
    for (const file of outputs) {
      for (const record of await records(join(out, file))) {
        for (const field of record) {
          expect(/^[=+\-@\t\r]/.test(field) && !/^[+-]?\d+(\.\d+)?$/.test(field), `${file}: ${field}`).toBe(
            false,
          );
        }
      }
    }
  });
});
