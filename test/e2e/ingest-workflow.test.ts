import { tableFromIPC } from 'apache-arrow';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoAuditLedger } from '#adapters/dynamo-audit-ledger.ts';
import type { DynamoRunStateStore } from '#adapters/dynamo-run-state.ts';
import type { LocalExecution } from '#local/engine/workflow-engine.ts';
import { stagedRoster } from '#schemas/bucket-layout.ts';
import { TransientStorageError } from '#usecases/errors.ts';
import type { ValidationReport } from '#usecases/validation-report.ts';
import { type IngestHarness, startIngestHarness } from '../support/local-harness.ts';
import {
  badCheckId,
  CHINESE_HEADER,
  csv,
  ENGLISH_HEADER,
  rosterRow,
  TOWNS_CSV,
  validId,
} from '../support/roster-builder.ts';

const MONTH = '2026-10';
let h: IngestHarness;
let state: DynamoRunStateStore;
let audit: DynamoAuditLedger;

/** Uploads a roster and waits for the ingest execution its event started. */
async function upload(key: string, body: string | Uint8Array): Promise<LocalExecution> {
  const before = h.bridge.executions.length;
  await h.put(key, body);
  await h.bridge.drain();
  const execution = h.bridge.executions
    .slice(before)
    .find(
      (e) =>
        e.workflow === 'ingest' &&
        (e.input as { detail: { object: { key: string } } }).detail.object.key === key,
    );
  if (!execution) throw new Error(`no execution started for ${key}`);
  return execution;
}

const states = (e: LocalExecution, type: string) =>
  e.events
    .filter((ev) => ev.type === type)
    .map((ev) => (ev as unknown as { state: { name: string } }).state.name);

async function batchState(batch: string) {
  return (await state.listBatches(MONTH)).find((b) => b.batch === batch);
}

async function reportOf(batch: string): Promise<ValidationReport> {
  const b = await batchState(batch);
  const bytes = await h.get(b?.outcome?.reportKey ?? 'missing');
  return JSON.parse(Buffer.from(bytes ?? new Uint8Array()).toString('utf8')) as ValidationReport;
}

beforeAll(async () => {
  h = await startIngestHarness();
  const { documentClient } = await import('#adapters/clients.ts');
  const { DynamoRunStateStore } = await import('#adapters/dynamo-run-state.ts');
  const { DynamoAuditLedger } = await import('#adapters/dynamo-audit-ledger.ts');
  state = new DynamoRunStateStore(documentClient(), h.stack.stateTable, 'test');
  audit = new DynamoAuditLedger(documentClient(), h.stack.auditTable);
  await h.put('reference/towns.csv', TOWNS_CSV);
  // September's uploads: with no expectedBatches configured, they are what October expects.
  for (const batch of ['shiqi', 'xiaolan', 'dongqu']) {
    const key = `incoming/2026-09/${batch}/roster.csv`;
    await state.registerUpload(
      {
        bucket: h.stack.bucket,
        key,
        version: '1',
        month: '2026-09',
        batch,
        fileName: 'roster.csv',
        size: 100,
        order: '2026-09-25T09:00:00.000Z roster.csv',
        uploadId: `2026-09-${batch}`,
      },
      '2026-09-25T09:00:00.000Z',
    );
  }
});

afterAll(async () => {
  await h?.stop();
});

describe('ingest workflow', () => {
  it('accepts a UTF-8 roster, stages its valid rows as Arrow and reports the invalid ones', async () => {
    // Prepare
    const rows = [
      rosterRow({}, 1),
      rosterRow({ amount: '650.5', category: '低保' }, 2),
      rosterRow({ id_number: badCheckId('19600101', 3), amount: '1,200' }, 3),
      ['', '', '', '', '', '', '', '', '', ''],
      rosterRow({ town: '东区街道', id_number: validId('19451231', 4).toLowerCase() }, 5),
    ];
    // Act
    const execution = await upload(
      `incoming/${MONTH}/shiqi/roster.csv`,
      `\uFEFF${csv(ENGLISH_HEADER, rows)}`,
    );
    // Assess
    expect(await execution.result).toEqual(expect.objectContaining({ status: 'ACCEPTED', current: true }));
    expect(states(execution, 'StateEntered')).toEqual([
      'RegisterUpload',
      'ChooseAction',
      'ValidateRoster',
      'RecordOutcome',
      'CheckMonthComplete',
      'MonthComplete',
      'IngestDone',
    ]);
    const batch = await batchState('shiqi');
    expect(batch?.status).toBe('ACCEPTED');
    expect(batch?.outcome?.validRows).toBe(3);
    const staged = tableFromIPC(await h.get(batch?.outcome?.stagedKey ?? ''));
    expect(staged.numRows).toBe(3);
    expect(staged.getChild('row')?.toArray()).toEqual(new Uint32Array([1, 2, 5]));
    expect([...(staged.getChild('amount_fen')?.toArray() ?? [])]).toEqual([118000, 65050, 118000]);
    expect(staged.getChild('town')?.get(2)).toBe('dongqu');
    expect(staged.getChild('id_number')?.get(2)).toBe(validId('19451231', 4));
    const report = await reportOf('shiqi');
    expect(report.findings.map((f) => [f.row, f.code])).toEqual([
      [3, 'INVALID_ID'],
      [3, 'INVALID_AMOUNT'],
    ]);
    const readable = Buffer.from(
      (await h.get(batch?.outcome?.readableReportKey ?? '')) ?? new Uint8Array(),
    ).toString();
    expect(readable).toContain('第 3 行 row 3');
    expect(readable).not.toContain(badCheckId('19600101', 3));
  });

  it('reads a GB18030 roster with Chinese headers', async () => {
    // Prepare
    const rows = [rosterRow({ category: '特困人员救助供养', town: '小榄镇', name: '黄小榄' }, 11)];
    const bytes = iconv.encode(csv(CHINESE_HEADER, rows), 'gb18030');
    // Act
    const execution = await upload(`incoming/${MONTH}/xiaolan/名册.csv`, bytes);
    // Assess
    expect(await execution.result).toEqual(expect.objectContaining({ status: 'ACCEPTED' }));
    const batch = await batchState('xiaolan');
    expect(batch?.outcome?.encoding).toBe('gb18030');
    const staged = tableFromIPC(await h.get(batch?.outcome?.stagedKey ?? ''));
    expect(staged.getChild('name')?.get(0)).toBe('黄小榄');
    expect(staged.getChild('category')?.get(0)).toBe('TEKUN');
  });

  it('reads the first sheet of an XLSX roster, rejecting an ID stored as a rounded number', async () => {
    // Prepare
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('名册');
    workbook.addWorksheet('说明').addRow(['not the roster']);
    sheet.addRow(CHINESE_HEADER);
    sheet.addRow(rosterRow({}, 21));
    const numeric = rosterRow({}, 22) as (string | number)[];
    numeric[0] = Number(`${validId('19600101', 22).slice(0, 17)}0`); // a double cannot hold 18 digits
    numeric[4] = 980;
    sheet.addRow(numeric);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    // Act
    const execution = await upload(`incoming/${MONTH}/dongqu/roster.XLSX`, bytes);
    // Assess
    expect(await execution.result).toEqual(expect.objectContaining({ status: 'ACCEPTED' }));
    const report = await reportOf('dongqu');
    expect(report.outcome.validRows).toBe(1);
    // dongqu was the last of September's three batches to be accepted: the month run starts by itself.
    expect(states(execution, 'StateEntered')).toContain('StartMonthRun');
    expect(h.bridge.executions.some((e) => e.workflow === 'month-run')).toBe(true);
    expect(report.findings.map((f) => [f.row, f.code])).toEqual([[2, 'INVALID_ID']]);
  });

  it('rejects a file that lacks a column, stages nothing and leaves the original in place', async () => {
    // Prepare
    const header = ENGLISH_HEADER.filter((c) => c !== 'account_number' && c !== 'town');
    const text = csv(header, [rosterRow({}, 31).slice(0, 8)]);
    const key = `incoming/${MONTH}/rejected-town/roster.csv`;
    // Act
    const execution = await upload(key, text);
    // Assess
    expect(await execution.result).toEqual(expect.objectContaining({ status: 'REJECTED' }));
    const batch = await batchState('rejected-town');
    expect(batch?.status).toBe('REJECTED');
    expect(batch?.outcome?.stagedKey).toBeUndefined();
    expect(
      await h.get(
        stagedRoster.key({ month: MONTH, batch: 'rejected-town', uploadId: String(batch?.latestUploadId) }),
      ),
    ).toBeUndefined();
    const report = await reportOf('rejected-town');
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]?.code).toBe('MISSING_COLUMNS');
    expect(report.findings[0]?.detail).toContain('town');
    expect(report.findings[0]?.detail).toContain('account_number');
    expect(Buffer.from((await h.get(key)) ?? new Uint8Array()).toString()).toBe(text);
  });

  it('retries a validation that failed with a transient storage error, then accepts', async () => {
    // Prepare
    let calls = 0;
    h.interceptors.ValidateRoster = async (invoke, payload) => {
      calls++;
      if (calls === 1) throw new TransientStorageError('SlowDown: please reduce your request rate');
      return invoke(payload);
    };
    // Act
    const execution = await upload(
      `incoming/${MONTH}/retry-town/roster.csv`,
      csv(ENGLISH_HEADER, [rosterRow({}, 41)]),
    );
    h.interceptors.ValidateRoster = undefined;
    // Assess
    expect(await execution.result).toEqual(expect.objectContaining({ status: 'ACCEPTED' }));
    expect(states(execution, 'StateRetried')).toEqual(['ValidateRoster']);
    expect(calls).toBe(2);
  });

  it('records the failure and fails the execution when the upload vanished before validation', async () => {
    // Prepare
    h.interceptors.ValidateRoster = async (invoke, payload) => {
      const { DeleteObjectCommand } = await import('@aws-sdk/client-s3');
      const { upload: u } = payload as { upload: { key: string } };
      await h.s3.send(new DeleteObjectCommand({ Bucket: h.stack.bucket, Key: u.key }));
      return invoke(payload);
    };
    // Act
    const execution = await upload(
      `incoming/${MONTH}/vanish-town/roster.csv`,
      csv(ENGLISH_HEADER, [rosterRow({}, 51)]),
    );
    h.interceptors.ValidateRoster = undefined;
    // Assess
    await expect(execution.result).rejects.toThrow();
    expect(states(execution, 'StateCaught')).toEqual(['ValidateRoster']);
    expect(states(execution, 'StateEntered')).toContain('RecordFailure');
    const batch = await batchState('vanish-town');
    expect(batch?.status).toBe('FAILED');
    expect(batch?.failure).toContain('UploadVanishedError');
  });

  it.each([
    ['Runtime.ExitError', 'RequestId: 1 Error: Runtime exited with error: signal: killed', 'out of memory'],
    ['States.Timeout', 'Task timed out after 900 seconds', 'took longer than allowed'],
  ])(
    'records a check that ended in %s as FAILED and tells the town and the bureau',
    async (name, cause, meaning) => {
      // Prepare: the function dies as Lambda reports it (a Lambda out of memory, a Task timeout).
      const key = `incoming/${MONTH}/xiaolan/${name}.csv`;
      h.interceptors.ValidateRoster = async () => {
        throw Object.assign(new Error(cause), { name });
      };
      const mailsBefore = h.services.ses.sent().length;

      // Act
      const execution = await upload(key, csv(ENGLISH_HEADER, [rosterRow({ town: 'xiaolan' }, 95)]));
      h.interceptors.ValidateRoster = undefined;

      // Assess
      await expect(execution.result).rejects.toThrow();
      expect(states(execution, 'StateCaught')).toEqual(['ValidateRoster']);
      expect(states(execution, 'StateEntered')).toContain('RecordFailure');
      const batch = await batchState('xiaolan');
      expect(batch?.status).toBe('FAILED');
      expect(batch?.failure).toContain(meaning);
      expect(batch?.failure).toContain(name);
      const mails = h.services.ses.sent().slice(mailsBefore);
      expect(mails.flatMap((m) => m.to).sort()).toEqual([
        'ops@mzj.example.gov.cn',
        'xiaolan@towns.example.gov.cn',
      ]);
      expect(mails[0]?.text).toContain(key);
      expect(mails[0]?.text).toContain(meaning);
    },
  );

  it('reads a roster at the version registered: one overwritten at the same key is not read as the new content', async () => {
    // Prepare: between registration and validation the town uploads other content to the same key.
    const key = `incoming/${MONTH}/overwrite-town/roster.csv`;
    const first = csv(ENGLISH_HEADER, [rosterRow({}, 91)]);
    const second = csv(ENGLISH_HEADER, [rosterRow({}, 91), rosterRow({}, 92)]);
    let overwritten = false;
    h.interceptors.ValidateRoster = async (invoke, payload) => {
      const { upload: u } = payload as { upload: { key: string } };
      if (u.key === key && !overwritten) {
        overwritten = true;
        await h.put(key, second);
      }
      return invoke(payload);
    };

    // Act
    const execution = await upload(key, first);
    h.interceptors.ValidateRoster = undefined;

    // Assess
    await expect(execution.result).rejects.toThrow();
    expect(states(execution, 'StateCaught')).toEqual(['ValidateRoster']);
    const failed = (await audit.list(MONTH)).find((e) => e.action === 'FILE_FAILED' && e.subject === key);
    expect(String(failed?.details.reason)).toContain('no longer holds the upload registered');
    const batch = await batchState('overwrite-town');
    expect(batch?.status).toBe('ACCEPTED');
    expect(batch?.outcome?.validRows).toBe(2);
    expect(batch?.latestUploadId).not.toBe(failed?.details.uploadId);
  });

  it('lets a newer upload supersede the older one of the same batch and keeps both files', async () => {
    // Prepare
    const older = csv(ENGLISH_HEADER, [rosterRow({ amount: '1,180' }, 61)]);
    const newer = csv(ENGLISH_HEADER, [rosterRow({}, 61), rosterRow({}, 62)]);
    // Act
    await upload(`incoming/${MONTH}/nanqu/a-first.csv`, older);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await upload(`incoming/${MONTH}/nanqu/0-second.csv`, newer);
    // Assess
    const batch = await batchState('nanqu');
    expect(batch?.latestKey).toBe(`incoming/${MONTH}/nanqu/0-second.csv`);
    expect(batch?.status).toBe('ACCEPTED');
    expect(batch?.outcome?.validRows).toBe(2);
    expect(await h.get(`incoming/${MONTH}/nanqu/a-first.csv`)).toBeDefined();
  });

  it('ignores a duplicated event: nothing changes', async () => {
    // Prepare
    const first = await upload(
      `incoming/${MONTH}/dup-town/roster.csv`,
      csv(ENGLISH_HEADER, [rosterRow({}, 71)]),
    );
    await first.result;
    const batchBefore = await batchState('dup-town');
    const auditBefore = (await audit.list(MONTH)).length;
    // Act
    const again = h.bridge.deliver(first.input as Parameters<typeof h.bridge.deliver>[0]) as LocalExecution;
    // Assess
    expect(await again.result).toEqual(expect.objectContaining({ action: 'DUPLICATE' }));
    expect(states(again, 'StateEntered')).toEqual(['RegisterUpload', 'ChooseAction', 'NothingToDo']);
    expect(await batchState('dup-town')).toEqual(batchBefore);
    expect((await audit.list(MONTH)).length).toBe(auditBefore);
  });

  it('ignores hidden files and batch folders outside [a-z0-9-]+', async () => {
    // Act
    const hidden = await upload(`incoming/${MONTH}/shiqi/.DS_Store`, 'junk');
    const upper = await upload(
      `incoming/${MONTH}/ShiQi/roster.csv`,
      csv(ENGLISH_HEADER, [rosterRow({}, 81)]),
    );
    // Assess
    expect(await hidden.result).toEqual(expect.objectContaining({ action: 'IGNORE' }));
    expect(await upper.result).toEqual(expect.objectContaining({ action: 'IGNORE' }));
    expect(await batchState('ShiQi')).toBeUndefined();
  });

  it('audits every accepted and rejected file with its content hash', async () => {
    // Act
    const entries = await audit.list(MONTH);
    // Assess
    const accepted = entries.filter((e) => e.action === 'FILE_ACCEPTED');
    expect(accepted.length).toBeGreaterThanOrEqual(4);
    for (const e of accepted) expect(e.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(entries.some((e) => e.action === 'FILE_REJECTED' && e.subject.includes('rejected-town'))).toBe(
      true,
    );
  });
});
