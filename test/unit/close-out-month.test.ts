import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { csvLine } from '#formats/csv-writer.ts';
import { closeoutCsv, closeoutJson, monthSummary, reissueCsv, releaseFile } from '#schemas/bucket-layout.ts';
import { CloseoutResultSchema, RELEASE_CSV_COLUMNS } from '#schemas/closeout.ts';
import { closeOutMonth, ReleaseNotFoundError } from '#usecases/close-out-month.ts';
import { MemoryAuditTrail } from '../../bench/memory-audit-trail.ts';
import { MemoryObjectStore } from './usecases/dataset/memory-object-store.ts';

const MONTH = '2026-10';
const ACCOUNT_1 = '6222020200112233441';
const ACCOUNT_2 = '6222020200112233442';
const ACCOUNT_3 = '6222020200112233443';
const ACCOUNT_4 = '6222020200112233444';
const REF_1 = '2026-10-shiqi-000001';
const REF_2 = '2026-10-shiqi-000002';
const REF_3 = '2026-10-shiqi-000003';
const REF_4 = '2026-10-dongqu-000012';
const A = 'bank-returns/2026-10/a.csv';
const B = 'bank-returns/2026-10/b.csv';
const C = 'bank-returns/2026-10/c.csv';
const input = { month: MONTH, bucket: 'payguard-data' };

const RELEASE =
  csvLine(RELEASE_CSV_COLUMNS) +
  csvLine([REF_1, 'shiqi', 1, '44200019800101123X', '张三', ACCOUNT_1, '520.00', 'DIBAO', 'SHIQI']) +
  csvLine([REF_2, 'shiqi', 2, '442000198001011245', '李四', ACCOUNT_2, '650.00', 'TEKUN', 'SHIQI']) +
  csvLine([REF_3, 'shiqi', 3, '442000198001011261', '王五, 小', ACCOUNT_3, '300.00', 'ELDERLY', 'SHIQI']) +
  csvLine([REF_4, 'dongqu', 12, '442000198001011288', '赵六', ACCOUNT_4, '1200.50', 'CHILD', 'DONGQU']);

/** The bank's GB18030 file: the Chinese reason comes late, so the UTF-8 read fails after records were yielded. */
const BANK_A = iconv.encode(
  [
    'payment_ref,account_number,amount,status,reason,value_date',
    `${REF_1},${ACCOUNT_1},520.00,SUCCESS,,2026-10-25`,
    ',,,,,',
    `${REF_3},${ACCOUNT_3},300,success,,2026-10-25`,
    `${REF_2},${ACCOUNT_2},650.00,FAILED,账户已销户,2026-10-25`,
    '',
  ].join('\r\n'),
  'gb18030',
);

/** Header in another order and case, the duplicate of REF_1 across files, REF_4 paid. */
const BANK_B = [' STATUS ', 'Payment_Ref', 'Amount', 'ACCOUNT_NUMBER']
  .join(',')
  .concat('\n', `SUCCESS,${REF_4},1200.5,${ACCOUNT_4}\n`, `SUCCESS,${REF_1},520.00,${ACCOUNT_1}\n`);

const SUMMARY = {
  month: MONTH,
  runId: '0123456789abcdef',
  totals: { validRows: 4, validAmount: '2670.50' },
  approval: { decision: 'APPROVED' },
  closeout: null,
  batches: [{ batch: 'shiqi' }],
};

function bucket(): MemoryObjectStore {
  return (
    new MemoryObjectStore(16)
      .set(releaseFile.key({ month: MONTH }), RELEASE)
      .set(monthSummary.key({ month: MONTH }), `${JSON.stringify(SUMMARY, null, 2)}\n`)
      .set(A, BANK_A)
      .set(B, BANK_B)
      // Not bank return files of the month: ignored.
      .set('bank-returns/2026-10/.partial.csv', 'garbage"')
      .set('bank-returns/2026-10/old/x.csv', 'garbage"')
      .set('bank-returns/2026-10/notes.txt', 'garbage"')
      .set('bank-returns/2026-11/a.csv', 'garbage"')
  );
}

const text = (store: MemoryObjectStore, key: string) => Buffer.from(store.get(key) ?? []).toString('utf8');
const json = (store: MemoryObjectStore, key: string) => JSON.parse(text(store, key));
const clock = (at: string) => () => at;

describe('closeOutMonth', () => {
  it('closes a month out against a GB18030 file and a second file holding a duplicate, in file name order', async () => {
    // Prepare
    const store = bucket();
    const audit = new MemoryAuditTrail();

    // Act
    const result = await closeOutMonth(input, { store, audit, now: clock('2026-11-02T08:00:00.000Z') });

    // Assess
    expect(text(store, closeoutCsv.key({ month: MONTH }))).toBe(
      [
        'payment_ref,code,released_amount,paid_amount,detail',
        `${REF_1},PAID,520.00,520.00,"${A} row 1: paid, value date 2026-10-25"`,
        `${REF_1},DUPLICATE_RETURN,520.00,520.00,${B} row 2: payment_ref already returned at ${A} row 1`,
        `${REF_2},PAYMENT_FAILED,650.00,,"${A} row 4: bank reason ""账户已销户"""`,
        `${REF_3},PAID,300.00,300.00,"${A} row 3: paid, value date 2026-10-25"`,
        `${REF_4},PAID,1200.50,1200.50,${B} row 1: paid`,
        '',
      ].join('\r\n'),
    );
    expect(text(store, reissueCsv.key({ month: MONTH }))).toBe(
      [
        'payment_ref,batch,row,id_number,name,account_number,amount,category,town,reason',
        `${REF_2},shiqi,2,442000198001011245,李四,${ACCOUNT_2},650.00,TEKUN,SHIQI,账户已销户`,
        '',
      ].join('\r\n'),
    );
    expect(result).toEqual({
      month: MONTH,
      closed: false,
      closeoutKey: closeoutCsv.key({ month: MONTH }),
      reissueKey: reissueCsv.key({ month: MONTH }),
      closeoutJsonKey: closeoutJson.key({ month: MONTH }),
      countsByCode: {
        PAID: 3,
        PAYMENT_FAILED: 1,
        PAID_AMOUNT_MISMATCH: 0,
        PAID_ACCOUNT_MISMATCH: 0,
        NOT_RETURNED: 0,
        UNEXPECTED_RETURN: 0,
        DUPLICATE_RETURN: 1,
        INVALID_RETURN: 0,
      },
      sources: [
        { key: A, etag: expect.any(String) },
        { key: B, etag: expect.any(String) },
      ],
    });
    expect(CloseoutResultSchema.parse(JSON.parse(JSON.stringify(result)))).toEqual(result);
    // a.csv is not UTF-8: read again as GB18030 after the first records were discarded.
    expect(store.calls.open.filter((key) => key === A)).toHaveLength(2);
  });

  it('writes closeout.json, sets the closeout of summary.json and appends the audit entry', async () => {
    // Prepare
    const store = bucket();
    const audit = new MemoryAuditTrail();

    // Act
    await closeOutMonth(input, { store, audit, now: clock('2026-11-02T08:00:00.000Z') });

    // Assess
    const written = text(store, closeoutCsv.key({ month: MONTH }));
    const sha = createHash('sha256').update(written).digest('hex');
    const report = json(store, closeoutJson.key({ month: MONTH }));
    expect(report).toEqual({
      month: MONTH,
      closed: false,
      state: 'OPEN',
      checkedAt: '2026-11-02T08:00:00.000Z',
      sources: [
        { key: A, etag: expect.any(String), rows: 3 },
        { key: B, etag: expect.any(String), rows: 2 },
      ],
      fileProblems: [],
      countsByCode: expect.objectContaining({ PAID: 3, PAYMENT_FAILED: 1, DUPLICATE_RETURN: 1 }),
      releasedPayments: 4,
      releasedAmount: '2670.50',
      paidAmount: '2020.50',
      failedAmount: '650.00',
      notReturned: 0,
      closeoutSha256: sha,
    });
    const summary = json(store, monthSummary.key({ month: MONTH }));
    expect(summary).toEqual({ ...SUMMARY, closeout: report });
    expect(Object.keys(summary)).toEqual(Object.keys(SUMMARY));
    expect(audit.entries).toEqual([
      {
        month: MONTH,
        action: 'CLOSEOUT_OPEN',
        actor: 'payguard:close-out',
        at: '2026-11-02T08:00:00.000Z',
        contentSha256: sha,
        subject: closeoutCsv.key({ month: MONTH }),
        details: {
          countsByCode: report.countsByCode,
          sources: report.sources.map((s: { key: string; etag: string }) => ({ key: s.key, etag: s.etag })),
          fileProblems: 0,
        },
      },
    ]);
  });

  it('closes the month when every payment is paid or failed and every file could be judged', async () => {
    // Prepare
    const store = bucket().set(B, BANK_B.split('\n').slice(0, 2).join('\n'));
    const audit = new MemoryAuditTrail();

    // Act
    const result = await closeOutMonth(input, { store, audit, now: clock('2026-11-02T08:00:00.000Z') });

    // Assess
    expect(result.closed).toBe(true);
    expect(json(store, closeoutJson.key({ month: MONTH }))).toMatchObject({ closed: true, state: 'CLOSED' });
    expect(audit.entries.map((e) => e.action)).toEqual(['MONTH_CLOSED']);
  });

  it('keeps the month open on a file lacking a column or unreadable, whose lines are not judged', async () => {
    // Prepare
    const store = bucket()
      .set(B, BANK_B.split('\n').slice(0, 2).join('\n'))
      .set(C, `payment_ref,Account_Number,amount\n${REF_1},${ACCOUNT_1},1.00\n`)
      .set('bank-returns/2026-10/D.CSV', `payment_ref,account_number,amount,status\n"${REF_1},x\n`);
    const audit = new MemoryAuditTrail();

    // Act
    const result = await closeOutMonth(input, { store, audit, now: clock('2026-11-02T08:00:00.000Z') });

    // Assess
    const report = json(store, closeoutJson.key({ month: MONTH }));
    expect(result.closed).toBe(false);
    expect(result.countsByCode).toMatchObject({ PAID: 3, PAYMENT_FAILED: 1, DUPLICATE_RETURN: 0 });
    expect(report.state).toBe('OPEN');
    expect(report.sources.map((s: { key: string; rows: number }) => [s.key, s.rows])).toEqual([
      ['bank-returns/2026-10/D.CSV', 0],
      [A, 3],
      [B, 1],
      [C, 0],
    ]);
    expect(report.fileProblems).toEqual([
      {
        key: 'bank-returns/2026-10/D.CSV',
        problem: expect.stringMatching(
          /^文件 bank-returns\/2026-10\/D\.CSV 无法读取 \/ file bank-returns\/2026-10\/D\.CSV cannot be read: /,
        ),
      },
      {
        key: C,
        problem: `文件 ${C} 缺少必需列：status / file ${C} lacks required column(s): status`,
      },
    ]);
    expect(audit.entries[0]).toMatchObject({ action: 'CLOSEOUT_OPEN', details: { fileProblems: 2 } });
  });

  it('marks every payment NOT_RETURNED before the bank has returned anything', async () => {
    // Prepare
    const store = new MemoryObjectStore().set(releaseFile.key({ month: MONTH }), RELEASE);

    // Act
    const result = await closeOutMonth(input, {
      store,
      audit: new MemoryAuditTrail(),
      now: clock('2026-11-02T08:00:00.000Z'),
    });

    // Assess
    expect(result).toMatchObject({ closed: false, sources: [], countsByCode: { NOT_RETURNED: 4 } });
    expect(text(store, reissueCsv.key({ month: MONTH }))).toBe(
      'payment_ref,batch,row,id_number,name,account_number,amount,category,town,reason\r\n',
    );
    expect(store.get(monthSummary.key({ month: MONTH }))).toBeUndefined();
    expect(json(store, closeoutJson.key({ month: MONTH }))).toMatchObject({
      notReturned: 4,
      paidAmount: '0.00',
    });
  });

  it('closes a release without payments when no bank file came back', async () => {
    // Prepare
    const store = new MemoryObjectStore().set(
      releaseFile.key({ month: MONTH }),
      csvLine(RELEASE_CSV_COLUMNS),
    );

    // Act
    const result = await closeOutMonth(input, {
      store,
      audit: new MemoryAuditTrail(),
      now: clock('2026-11-02T08:00:00.000Z'),
    });

    // Assess
    expect(result.closed).toBe(true);
    expect(text(store, closeoutCsv.key({ month: MONTH }))).toBe(
      'payment_ref,code,released_amount,paid_amount,detail\r\n',
    );
  });

  it('writes identical files when run again over the same inputs, later', async () => {
    // Prepare
    const store = bucket();
    const audit = new MemoryAuditTrail();
    const keys = [closeoutCsv, reissueCsv, closeoutJson, monthSummary].map((family) =>
      family.key({ month: MONTH }),
    );
    const first = await closeOutMonth(input, { store, audit, now: clock('2026-11-02T08:00:00.000Z') });
    const written = keys.map((key) => text(store, key));

    // Act
    const second = await closeOutMonth(input, { store, audit, now: clock('2026-11-03T09:30:00.000Z') });

    // Assess
    expect(second).toEqual(first);
    expect(keys.map((key) => text(store, key))).toEqual(written);
    expect(audit.entries.map((e) => [e.action, e.at, e.contentSha256])).toEqual([
      ['CLOSEOUT_OPEN', '2026-11-02T08:00:00.000Z', audit.entries[0]?.contentSha256],
      ['CLOSEOUT_OPEN', '2026-11-03T09:30:00.000Z', audit.entries[0]?.contentSha256],
    ]);
  });

  it('checks again, with a new checkedAt, when a bank file changed', async () => {
    // Prepare
    const store = bucket();
    const audit = new MemoryAuditTrail();
    await closeOutMonth(input, { store, audit, now: clock('2026-11-02T08:00:00.000Z') });
    store.set(B, BANK_B.split('\n').slice(0, 2).join('\n'));

    // Act
    const result = await closeOutMonth(input, { store, audit, now: clock('2026-11-03T09:30:00.000Z') });

    // Assess
    expect(result.closed).toBe(true);
    expect(json(store, closeoutJson.key({ month: MONTH })).checkedAt).toBe('2026-11-03T09:30:00.000Z');
    expect(json(store, monthSummary.key({ month: MONTH })).closeout.state).toBe('CLOSED');
  });

  it('stops with ReleaseNotFoundError when the month was not released', async () => {
    // Prepare
    const store = new MemoryObjectStore().set(A, BANK_A);

    // Act
    const run = closeOutMonth(input, { store, audit: new MemoryAuditTrail(), now: clock('x') });

    // Assess
    await expect(run).rejects.toBeInstanceOf(ReleaseNotFoundError);
    await expect(run).rejects.toMatchObject({ name: 'ReleaseNotFoundError' });
    expect(store.calls.put).toEqual([]);
  });

  it('reads a release its byte reader refuses (a quote in a name, late in the file) as text, with the same outputs', async () => {
    // Prepare: the same month, once with a plain release and once with a name the CSV writer
    // quotes with `""`, on the failed payment's line (so it shows in reissue.csv).
    const quotedName = '王五 "小"';
    const withQuote = RELEASE.replace(
      csvLine([REF_2, 'shiqi', 2, '442000198001011245', '李四', ACCOUNT_2, '650.00', 'TEKUN', 'SHIQI']),
      csvLine([REF_2, 'shiqi', 2, '442000198001011245', quotedName, ACCOUNT_2, '650.00', 'TEKUN', 'SHIQI']),
    );
    expect(withQuote).toContain('"王五 ""小"""');
    const plain = bucket();
    const quoted = bucket().set(releaseFile.key({ month: MONTH }), withQuote);

    // Act
    await closeOutMonth(input, { store: plain, audit: new MemoryAuditTrail(), now: clock('x') });
    await closeOutMonth(input, { store: quoted, audit: new MemoryAuditTrail(), now: clock('x') });

    // Assess
    const releaseKey = releaseFile.key({ month: MONTH });
    // Read from its bytes, then once more for the refs; the quoted one a third time, as text.
    expect(plain.calls.open.filter((k) => k === releaseKey)).toHaveLength(2);
    expect(quoted.calls.open.filter((k) => k === releaseKey)).toHaveLength(3);
    expect(text(quoted, closeoutCsv.key({ month: MONTH }))).toBe(
      text(plain, closeoutCsv.key({ month: MONTH })),
    );
    expect(text(quoted, reissueCsv.key({ month: MONTH }))).toBe(
      text(plain, reissueCsv.key({ month: MONTH })).replace('李四', '"王五 ""小"""'),
    );
  });

  it('stops when the release changed between its two reads, even into a file its byte reader refuses', async () => {
    // Prepare: the second open of the release sees a name the CSV writer quoted with `""`.
    const releaseKey = releaseFile.key({ month: MONTH });
    const changed = RELEASE.replace(
      csvLine([REF_2, 'shiqi', 2, '442000198001011245', '李四', ACCOUNT_2, '650.00', 'TEKUN', 'SHIQI']),
      csvLine([REF_2, 'shiqi', 2, '442000198001011245', '李 "四"', ACCOUNT_2, '650.00', 'TEKUN', 'SHIQI']),
    );
    const store = bucket();
    const open = store.open.bind(store);
    let opened = 0;
    store.open = async (key, version) => {
      if (key === releaseKey && ++opened === 2) store.set(releaseKey, changed);
      return open(key, version);
    };

    // Act
    const run = closeOutMonth(input, { store, audit: new MemoryAuditTrail(), now: clock('x') });

    // Assess
    await expect(run).rejects.toThrow(`${releaseKey} changed while closing out`);
  });

  it('closes out a city-sized month: 200,000 payments in one bank file', async () => {
    // Prepare
    const rows = 200_000;
    const ref = (i: number) => `2026-10-city-${String(i).padStart(6, '0')}`;
    const account = (i: number) => `62220202${String(i).padStart(11, '0')}`;
    const release = [csvLine(RELEASE_CSV_COLUMNS)];
    const bank = ['payment_ref,account_number,amount,status,reason,value_date\r\n'];
    for (let i = 1; i <= rows; i++) {
      release.push(
        csvLine([ref(i), 'city', i, '44200019800101123X', '张三', account(i), '520.00', 'DIBAO', 'SHIQI']),
      );
      bank.push(`${ref(i)},${account(i)},520.00,SUCCESS,,2026-10-25\r\n`);
    }
    const store = new MemoryObjectStore()
      .set(releaseFile.key({ month: MONTH }), release.join(''))
      .set(A, bank.join(''));

    // Act
    const result = await closeOutMonth(input, { store, audit: new MemoryAuditTrail(), now: clock('x') });

    // Assess
    expect(result.closed).toBe(true);
    expect(result.countsByCode.PAID).toBe(rows);
  });
});
