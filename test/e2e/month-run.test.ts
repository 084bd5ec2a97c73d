import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partitionOf } from '#domain/month-check/partition.ts';
import { RunError, runMonth } from '#local/cli/run-month.ts';
import type { TaskInterceptor } from '#local/engine/workflow-engine.ts';
import { DATASETS } from '#schemas/datasets.ts';
import { csv, ENGLISH_HEADER, rosterRow, TOWNS_CSV, validId } from '../support/roster-builder.ts';

const MONTH = '2026-10';
const id = (seq: number) => validId('19600101', seq);
const account = (seq: number) => `62220202${String(seq).padStart(11, '0')}`;
let root: string;

const REGISTRY_HEADER = DATASETS.registry.columnNames;

function registryRow(seq: number, over: Partial<Record<string, string>> = {}): string[] {
  const row: Record<string, string> = {
    id_number: id(seq),
    name: `张${seq}`,
    household_id: `H${String(seq).padStart(4, '0')}`,
    category: 'DIBAO',
    approved_amount: '1180.00',
    status: 'ACTIVE',
    town: 'shiqi',
    account_number: account(seq),
    valid_from: '2020-01',
    valid_to: '',
    ...over,
  };
  return REGISTRY_HEADER.map((c) => row[c] ?? '');
}

/** A month where each check of contract 3.3 is planted once (people 1–19; see the expected list). */
async function writeMonth(dir: string, extra: Record<string, string> = {}): Promise<void> {
  const files: Record<string, string> = {
    'reference/towns.csv': TOWNS_CSV,
    'config/pipeline.json': JSON.stringify({ expectedBatches: ['shiqi', 'dongqu'] }),
    'reference/registry.csv': csv(REGISTRY_HEADER, [
      ...[1, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 15, 16, 17, 18, 19].map((seq) =>
        registryRow(
          seq,
          seq === 4
            ? { approved_amount: '1000.00' }
            : seq === 5
              ? { town: 'dongqu' }
              : seq === 6
                ? { account_number: account(999) }
                : seq === 7
                  ? { name: '李七' }
                  : seq === 12 || seq === 13
                    ? { account_number: account(1213) }
                    : {},
        ),
      ),
      registryRow(3, { status: 'SUSPENDED' }),
      registryRow(11, { category: 'DIBAO' }),
      registryRow(11, { category: 'TEKUN' }),
      registryRow(11, { category: 'ELDERLY', approved_amount: '200.00' }),
      registryRow(20, { status: 'TERMINATED' }),
      registryRow(21, { valid_to: '2026-09' }),
    ]),
    [`incoming/${MONTH}/shiqi/roster.csv`]: csv(ENGLISH_HEADER, [
      ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((seq) => rosterRow({}, seq)),
      rosterRow({ account_number: account(1213) }, 12),
      rosterRow({ account_number: account(1213) }, 13),
      rosterRow({ account_holder_id: id(90) }, 14),
      ...[15, 16, 17, 18].map((seq) => rosterRow({}, seq)),
    ]),
    [`incoming/${MONTH}/dongqu/roster.csv`]: csv(ENGLISH_HEADER, [
      rosterRow({}, 10),
      rosterRow({ category: 'TEKUN' }, 11),
      rosterRow({ category: 'ELDERLY', amount: '200.00' }, 11),
    ]),
    'registers/proxy-accounts.csv': `account_number,payee_id_number,holder_id_number,filed_date\n${account(1213)},${id(13)},${id(91)},2025-01-02\n`,
    'registers/staff-relatives.csv': `staff_id,staff_name,relative_id_number,relation,filed,filed_date\nS1,王工,${id(15)},spouse,N,\nS2,李工,${id(1)},child,y,2024-03-01\n`,
    'partners/deaths/2026-10.csv': `id_number,name,date_of_death\n${id(8)},张8,2026-09-30\n${id(9)},张9,2026-10-01\n${id(77)},某人,2026-10-02\n${id(78)},某人,not-a-date\n`,
    'partners/cremations/fh1.csv': `id_number,name,cremation_date,funeral_home\n${id(9)},张9,2026-10-05,第一殡仪馆\n`,
    'partners/business/2026.csv': `id_number,company_name,credit_code,role,status\n${id(16)},张记小卖部,91442000MA00000001,owner,ACTIVE\n${id(1)},旧店,91442000MA00000002,owner,CANCELLED\n${id(11)},某公司,91442000MA00000003,legal_representative,REVOKED\n`,
    'partners/social-insurance/2026-10.csv': `id_number,month,employer,contribution_base,pension_amount\n${id(17)},2026-09,某工厂,2300.00,\n${id(18)},2026-10,,,1500.00\n${id(1)},2026-08,某工厂,5000.00,\n${id(4)},2026-10,某工厂,2299.99,1499.99\n${id(5)},2026-10,某工厂,abc,\n`,
    ...extra,
  };
  for (const [key, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, key)), { recursive: true });
    await writeFile(join(dir, key), text);
  }
}

const EXPECTED = [
  ['dongqu', '1', id(10), 'DIBAO', 'DUPLICATE_PAYMENT', 'BLOCK'],
  ['dongqu', '2', id(11), 'TEKUN', 'EXCLUSIVE_CATEGORIES', 'BLOCK'],
  ['shiqi', '2', id(2), 'DIBAO', 'NOT_IN_REGISTRY', 'BLOCK'],
  ['shiqi', '3', id(3), 'DIBAO', 'INACTIVE_IN_REGISTRY', 'BLOCK'],
  ['shiqi', '4', id(4), 'DIBAO', 'AMOUNT_MISMATCH', 'BLOCK'],
  ['shiqi', '5', id(5), 'DIBAO', 'TOWN_MISMATCH', 'BLOCK'],
  ['shiqi', '6', id(6), 'DIBAO', 'ACCOUNT_MISMATCH', 'BLOCK'],
  ['shiqi', '7', id(7), 'DIBAO', 'NAME_MISMATCH', 'REVIEW'],
  ['shiqi', '8', id(8), 'DIBAO', 'DECEASED', 'BLOCK'],
  ['shiqi', '9', id(9), 'DIBAO', 'DIED_IN_MONTH', 'REVIEW'],
  ['shiqi', '10', id(10), 'DIBAO', 'DUPLICATE_PAYMENT', 'BLOCK'],
  ['shiqi', '11', id(11), 'DIBAO', 'EXCLUSIVE_CATEGORIES', 'BLOCK'],
  ['shiqi', '12', id(12), 'DIBAO', 'SHARED_ACCOUNT', 'REVIEW'],
  ['shiqi', '14', id(14), 'DIBAO', 'UNFILED_PROXY_ACCOUNT', 'REVIEW'],
  ['shiqi', '15', id(15), 'DIBAO', 'UNFILED_STAFF_RELATIVE', 'REVIEW'],
  ['shiqi', '16', id(16), 'DIBAO', 'BUSINESS_OWNER', 'REVIEW'],
  ['shiqi', '17', id(17), 'DIBAO', 'EMPLOYED', 'REVIEW'],
  ['shiqi', '18', id(18), 'DIBAO', 'PENSION_INCOME', 'REVIEW'],
  ['', '', id(19), 'DIBAO', 'MISSING_PAYMENT', 'REVIEW'],
];

/** findings.csv rows as [batch, row, id_number, category, code, severity] (no quoted newlines here). */
function tuples(text: string): string[][] {
  return text
    .trim()
    .split(/\r\n/)
    .slice(1)
    .map((line) =>
      (line.match(/("([^"]|"")*"|[^,]*)(,|$)/g) ?? []).map((f) => f.replace(/,$/, '')).slice(1, 7),
    );
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'payguard-month-'));
  await writeMonth(join(root, 'data'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('month run', () => {
  it('reports exactly the findings of contract 3.3, with evidence, on a month where each is planted', async () => {
    // Act
    const out = join(root, 'out');
    await runMonth({ dataDir: join(root, 'data'), month: MONTH, outDir: out, approve: 'auto' });
    // Assess
    const text = await readFile(join(out, 'findings.csv'), 'utf8');
    expect(tuples(text)).toEqual(EXPECTED);
    expect(text).toContain('2026-09-30');
    expect(text).toContain('partners/deaths/2026-10.csv');
    expect(text).toContain('1000.00');
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
    expect(summary.checks.ran.join(' ')).toContain('3.3');
    expect(summary.datasets.deaths.skippedRows).toBe(1);
    expect(summary.datasets['social-insurance'].skippedRows).toBe(1);
    expect(summary.findingsByCode.MISSING_PAYMENT).toBe(1);
    const arrow = tableFromIPC(await readFile(join(out, 'findings.arrow')));
    expect(arrow.numRows).toBe(EXPECTED.length);
  });

  it('gives the same findings whatever the number of partitions', async () => {
    // Act
    const one = join(root, 'one');
    const many = join(root, 'many');
    await runMonth({
      dataDir: join(root, 'data'),
      month: MONTH,
      outDir: one,
      approve: 'auto',
      partitionRows: 1_000_000,
    });
    await runMonth({
      dataDir: join(root, 'data'),
      month: MONTH,
      outDir: many,
      approve: 'auto',
      partitionRows: 3,
    });
    // Assess
    expect(await readFile(join(many, 'findings.csv'), 'utf8')).toBe(
      await readFile(join(one, 'findings.csv'), 'utf8'),
    );
    expect(JSON.parse(await readFile(join(many, 'summary.json'), 'utf8')).config.partitions).toBeGreaterThan(
      5,
    );
  });

  it('finds the accounts shared across batches and partitions the same with one partition and with many', async () => {
    // Prepare: accounts 0–7 each pay a shiqi household and another dongqu household; account 8 pays
    // one household in both batches (not shared)
    const shared = (k: number) => `622299990000000000${k}`;
    const data = join(root, 'shared-data');
    await writeMonth(data, {
      [`incoming/${MONTH}/shiqi/roster.csv`]: csv(ENGLISH_HEADER, [
        ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 15, 16, 17, 18].map((seq) => rosterRow({}, seq)),
        ...[0, 1, 2, 3, 4, 5, 6, 7].map((k) => rosterRow({ account_number: shared(k) }, 30 + k)),
        rosterRow({ account_number: shared(8), household_id: 'H-BOTH' }, 38),
      ]),
      [`incoming/${MONTH}/dongqu/roster.csv`]: csv(ENGLISH_HEADER, [
        rosterRow({}, 10),
        ...[0, 1, 2, 3, 4, 5, 6, 7].map((k) => rosterRow({ account_number: shared(k) }, 40 + k)),
        rosterRow({ account_number: shared(8), household_id: 'H-BOTH' }, 48),
      ]),
    });
    const one = join(root, 'shared-one');
    const many = join(root, 'shared-many');

    // Act
    await runMonth({ dataDir: data, month: MONTH, outDir: one, approve: 'auto', partitionRows: 1_000_000 });
    await runMonth({ dataDir: data, month: MONTH, outDir: many, approve: 'auto', partitionRows: 3 });

    // Assess
    const findings = await readFile(join(many, 'findings.csv'), 'utf8');
    expect(findings).toBe(await readFile(join(one, 'findings.csv'), 'utf8'));
    const flagged = tuples(findings)
      .filter((t) => t[4] === 'SHARED_ACCOUNT')
      .map((t) => `${t[0]}:${t[2]}`)
      .sort();
    const expected = [0, 1, 2, 3, 4, 5, 6, 7].flatMap((k) => [`shiqi:${id(30 + k)}`, `dongqu:${id(40 + k)}`]);
    expect(flagged).toEqual(expected.sort());
    const partitions = JSON.parse(await readFile(join(many, 'summary.json'), 'utf8')).config.partitions;
    expect(partitions).toBeGreaterThan(5);
    // The pairs' people are checked by different partitions, their accounts found by different
    // account partitions: the pass crosses both.
    const k = [0, 1, 2, 3, 4, 5, 6, 7];
    expect(k.some((i) => partitionOf(id(30 + i), partitions) !== partitionOf(id(40 + i), partitions))).toBe(
      true,
    );
    expect(new Set(k.map((i) => partitionOf(shared(i), partitions))).size).toBeGreaterThan(1);
  });

  it('stops with the real cause when one partition fails: the distributed Map tolerates no failed partition', async () => {
    // Prepare: the check of partition 1 finds reference data it cannot use
    const failPartition: TaskInterceptor = async (invoke, payload) => {
      if ((payload as { partition: number }).partition !== 1) return invoke(payload);
      throw Object.assign(new Error('partners/deaths/2026-10.csv: a record the check cannot use'), {
        name: 'ReferenceDataError',
      });
    };

    // Act
    const run = runMonth({
      dataDir: join(root, 'data'),
      month: MONTH,
      outDir: join(root, 'partition-failed'),
      approve: 'auto',
      partitionRows: 3,
      interceptors: { CheckPartition: failPartition },
    });

    // Assess: recorded with the partition's own error (from the map run's FAILED results), not
    // States.ExceedToleratedFailureThreshold
    await expect(run).rejects.toBeInstanceOf(RunError);
    await expect(run).rejects.toThrow(
      'the month run stopped: ReferenceDataError: partners/deaths/2026-10.csv: a record the check cannot use',
    );
  });

  it('stops with the real cause when one account partition of the shared-account pass fails', async () => {
    // Prepare: the pass over account partition 1 finds a shard gone
    const failPartition: TaskInterceptor = async (invoke, payload) => {
      if ((payload as { partition: number }).partition !== 1) return invoke(payload);
      throw new Error('account shard staged/rosters/x/by-account/0001.arrow of batch shiqi is missing');
    };

    // Act
    const run = runMonth({
      dataDir: join(root, 'data'),
      month: MONTH,
      outDir: join(root, 'account-partition-failed'),
      approve: 'auto',
      partitionRows: 3,
      interceptors: { FindPartitionSharedAccounts: failPartition },
    });

    // Assess: the item's own error, from the pass's map-run FAILED results
    await expect(run).rejects.toBeInstanceOf(RunError);
    await expect(run).rejects.toThrow(
      'the month run stopped: Error: account shard staged/rosters/x/by-account/0001.arrow of batch shiqi is missing',
    );
  });

  it('stops with an error naming the file and the column when a partner file lacks a column', async () => {
    // Prepare
    const data = join(root, 'bad');
    await writeMonth(data, { 'partners/deaths/broken.csv': 'id_number,name\n440000,某\n' });
    // Act
    const run = runMonth({ dataDir: data, month: MONTH, outDir: join(root, 'bad-out'), approve: 'auto' });
    // Assess
    await expect(run).rejects.toBeInstanceOf(RunError);
    await expect(run).rejects.toThrow(/partners\/deaths\/broken\.csv.*date_of_death/);
  });
});
