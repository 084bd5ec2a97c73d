import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalLinks, decideApproval, openApproval } from '#local/cli/approval-browser.ts';
import { runMonth } from '#local/cli/run-month.ts';
import { DATASETS } from '#schemas/datasets.ts';
import { csv, ENGLISH_HEADER, rosterRow, TOWNS_CSV } from '../support/roster-builder.ts';
import { UNMASKED_ID_NUMBER } from '../support/unmasked-id-number.ts';

const MONTH = '2026-10';
let root: string;
let dataDir: string;

async function put(key: string, body: string): Promise<void> {
  const path = join(dataDir, key);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, body);
}

const ref = (row: number) => `${MONTH}-shiqi-${String(row).padStart(6, '0')}`;

/** Runs the CLI (`npm start -- …`) and gives its exit code and output. */
const cli = (args: string[]) =>
  promisify(execFile)(
    process.execPath,
    ['--openssl-legacy-provider', 'node_modules/tsx/dist/cli.mjs', 'local/cli/main.ts', ...args],
    { cwd: join(import.meta.dirname, '..', '..') },
  ).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'payguard-closeout-'));
  dataDir = join(root, 'data');
  await put('reference/towns.csv', TOWNS_CSV);
  await put(
    'reference/registry.csv',
    csv(
      DATASETS.registry.columnNames,
      [1, 2, 3].map((seq) => {
        const r = rosterRow({}, seq);
        return [r[0], r[1], r[2], 'DIBAO', '1180.00', 'ACTIVE', 'shiqi', r[7], '', ''] as string[];
      }),
    ),
  );
  // Row 2's amount differs from the registry: AMOUNT_MISMATCH holds it out of the release.
  await put(
    `incoming/${MONTH}/shiqi/roster.csv`,
    csv(ENGLISH_HEADER, [rosterRow({}, 1), rosterRow({ amount: '1500.00' }, 2), rosterRow({}, 3)]),
  );
  await put('config/pipeline.json', JSON.stringify({ expectedBatches: ['shiqi'], fourEyesThreshold: 2000 }));
  await put(
    `bank-returns/${MONTH}/bank.csv`,
    csv(
      ['payment_ref', 'account_number', 'amount', 'status', 'reason', 'value_date'],
      [
        [ref(1), rosterRow({}, 1)[7] as string, '1180.00', 'SUCCESS', '', `${MONTH}-25`],
        [ref(3), rosterRow({}, 3)[7] as string, '1180.00', 'FAILED', '账户冻结', `${MONTH}-25`],
      ],
    ),
  );
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('run with bank returns in DIR', () => {
  let audited: Promise<string> | undefined;
  /** OUT of one auto-approved run, shared by the audit command's tests (which only read it). */
  const auditedRun = () => {
    const out = join(root, 'out-audit');
    audited ??= runMonth({ dataDir, month: MONTH, outDir: out, approve: 'auto' }).then(() => out);
    return audited;
  };

  it('approves as both approvers the gate needs, releases, and closes the month out in one invocation', async () => {
    // Act
    const out = join(root, 'out');
    const result = await runMonth({ dataDir, month: MONTH, outDir: out, approve: 'auto' });

    // Assess
    expect(result.state).toBe('CLOSED');
    const release = (await readFile(join(out, 'release.csv'), 'utf8')).trim().split('\r\n');
    expect(release).toEqual([
      'payment_ref,batch,row,id_number,name,account_number,amount,category,town',
      `${ref(1)},shiqi,1,${rosterRow({}, 1)[0]},张1,${rosterRow({}, 1)[7]},1180.00,DIBAO,shiqi`,
      `${ref(3)},shiqi,3,${rosterRow({}, 3)[0]},张3,${rosterRow({}, 3)[7]},1180.00,DIBAO,shiqi`,
    ]);
    const closeout = (await readFile(join(out, 'closeout.csv'), 'utf8')).trim().split('\r\n');
    expect(closeout[0]).toBe('payment_ref,code,released_amount,paid_amount,detail');
    expect(closeout.slice(1).map((l) => l.split(',').slice(0, 4).join(','))).toEqual([
      `${ref(1)},PAID,1180.00,1180.00`,
      `${ref(3)},PAYMENT_FAILED,1180.00,`,
    ]);
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8'));
    expect(summary.approval).toEqual(expect.objectContaining({ status: 'APPROVED', requiredApprovals: 2 }));
    expect(summary.approval.approvals.map((a: { approverId: string }) => a.approverId)).toEqual([
      'approver.li',
      'approver.zhao',
    ]);
    expect(summary.release).toEqual(expect.objectContaining({ rows: 2, totalAmount: '2360.00' }));
    expect(summary.closeout).toEqual(expect.objectContaining({ closed: true }));
    const manifest = JSON.parse(await readFile(join(out, 'release.manifest.json'), 'utf8'));
    expect(manifest.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(await readFile(join(out, 'reissue.csv'), 'utf8')).toContain('账户冻结');
  });

  it("with --approve manual prints each approver's link and waits until people decide", async () => {
    // Prepare: two people who click their links when the run prints them
    const out = join(root, 'out-manual');
    const decided: Promise<unknown>[] = [];
    const progress = (line: string) => {
      for (const link of approvalLinks(line)) {
        decided.push(openApproval(link).then((page) => decideApproval(link, page, 'APPROVE')));
      }
    };

    // Act
    const result = await runMonth({ dataDir, month: MONTH, outDir: out, approve: 'manual', progress });

    // Assess
    expect(decided).toHaveLength(2);
    const kinds = (await Promise.all(decided)).map((d) => (d as { kind?: string }).kind).sort();
    expect(kinds).toEqual(['RECORDED_APPROVED', 'WAITING_SECOND_APPROVER']);
    expect(result.state).toBe('CLOSED');
  });

  it('prints the audit trail of the run with the audit command', async () => {
    // Prepare
    const out = await auditedRun();

    // Act
    const { stdout } = await cli(['audit', '--out', out]);

    // Assess
    const lines = stdout.trim().split('\n');
    const actions = lines.slice(0, -1).map((l) => l.split(/\s+/)[1]);
    for (const action of [
      'FILE_ACCEPTED',
      'MONTH_RUN_STARTED',
      'MONTH_CHECKED',
      'APPROVAL_REQUESTED',
      'APPROVAL_DECIDED',
      'DECEASED_RECHECKED',
      'MONTH_RELEASED',
      'MONTH_CLOSED',
    ]) {
      expect(actions).toContain(action);
    }
    expect(lines.find((l) => l.includes('APPROVAL_DECIDED'))).toMatch(
      /approver\.(li|zhao).*sha256:[0-9a-f]{12}/,
    );
    expect(stdout).not.toMatch(UNMASKED_ID_NUMBER);
    expect(lines.at(-1)).toMatch(/^\d+ audit entries$/);
  });

  it('verifies the hash chain of audit.jsonl with audit --verify, naming an edited entry and a deleted one', async () => {
    // Prepare
    const out = await auditedRun();
    const lines = (await readFile(join(out, 'audit.jsonl'), 'utf8')).trimEnd().split('\n');
    const entries = lines.map((line) => JSON.parse(line) as { seq: number; action: string; at: string });
    const decided = entries.findIndex((e) => e.action === 'APPROVAL_DECIDED');
    const edited = join(root, 'out-edited');
    const deleted = join(root, 'out-deleted');
    await mkdir(edited);
    await mkdir(deleted);
    const forged = lines.map((line, i) =>
      i === decided ? line.replace(/"actor":"[^"]*"/, '"actor":"approver.nobody"') : line,
    );
    await writeFile(join(edited, 'audit.jsonl'), `${forged.join('\n')}\n`);
    await writeFile(join(deleted, 'audit.jsonl'), `${lines.filter((_, i) => i !== 3).join('\n')}\n`);

    // Act
    const intact = await cli(['audit', '--out', out, '--verify']);
    const afterEdit = await cli(['audit', '--out', edited, '--verify']);
    const afterDelete = await cli(['audit', '--out', deleted, '--verify']);

    // Assess
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(
      new RegExp(
        `^audit chain intact: ${lines.length} entries; ${MONTH} ends at entry ${lines.length} sha256:[0-9a-f]{64}\n$`,
      ),
    );
    const at = entries[decided];
    expect(afterEdit.code).toBe(1);
    expect(afterEdit.stderr).toBe(
      `payguard: audit chain broken at line ${decided + 1} (entry ${at?.seq} APPROVAL_DECIDED at ${at?.at}): ` +
        'its content does not match its sha256: it was changed after it was written\n',
    );
    const next = entries[4];
    expect(afterDelete.code).toBe(1);
    expect(afterDelete.stderr).toBe(
      `payguard: audit chain broken at line 4 (entry 5 ${next?.action} at ${next?.at}): entry 4 is missing before it\n`,
    );
  });
});
