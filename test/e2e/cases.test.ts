import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoAuditLedger } from '#adapters/dynamo-audit-ledger.ts';
import type { DynamoCaseStore } from '#adapters/dynamo-case-store.ts';
import { findingsToArrow } from '#formats/findings-arrow.ts';
import { runMonth } from '#local/cli/run-month.ts';
import type { LocalStack } from '#local/stand-ins/local-stack.ts';
import { startLocalStack } from '#local/stand-ins/local-stack.ts';
import { CASE_LINE_FIELDS, type CaseRecord } from '#schemas/case.ts';
import { DATASETS } from '#schemas/datasets.ts';
import type { Finding } from '#schemas/finding.ts';
import { ChainedAuditTrail } from '#usecases/audit-chain.ts';
import { exportOpenCasesWorkbook, importCaseOutcomesWorkbook } from '#usecases/case-workbook.ts';
import { openMonthCases } from '#usecases/open-month-cases.ts';
import { recordCaseOutcome } from '#usecases/town-cases.ts';
import { caseLineOf } from '../support/case-line.ts';
import { csv, ENGLISH_HEADER, rosterRow, TOWNS_CSV, validId } from '../support/roster-builder.ts';

const MONTH = '2026-10';
const FILE_LEVEL = new Set(['UNREADABLE_FILE', 'MISSING_COLUMNS', 'EMPTY_FILE', 'TOTAL_MISMATCH']);

/** Records of a CSV output of these fixtures (no quoted line breaks), header first. */
function records(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trim().split(/\r\n/);
  const split = (line: string) =>
    (line.match(/("([^"]|"")*"|[^,]*)(,|$)/g) ?? [])
      .map((f) => f.replace(/,$/, ''))
      .map((f) => (f.startsWith('"') ? f.slice(1, -1).replaceAll('""', '"') : f));
  const names = split(header ?? '');
  return lines.map((line) => Object.fromEntries(split(line).map((v, i) => [names[i], v])));
}

describe('cases of a run (npm start -- run)', () => {
  let root: string;
  let out: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'payguard-cases-'));
    const data = join(root, 'data');
    const put = async (key: string, body: string) => {
      await mkdir(dirname(join(data, key)), { recursive: true });
      await writeFile(join(data, key), body);
    };
    const registry = (seq: number, town: string, overrides: { name?: string; amount?: string } = {}) => {
      const r = rosterRow({ town }, seq);
      return [
        r[0],
        overrides.name ?? r[1],
        r[2],
        'DIBAO',
        overrides.amount ?? '1180.00',
        'ACTIVE',
        town,
        r[7],
        '',
        '',
      ] as string[];
    };
    await put('reference/towns.csv', TOWNS_CSV);
    await put(
      'reference/registry.csv',
      csv(DATASETS.registry.columnNames, [
        ...[1, 2, 5].map((s) => registry(s, 'shiqi')),
        registry(3, 'shiqi', { name: '李四' }),
        registry(4, 'shiqi', { amount: '1000.00' }),
        registry(7, 'dongqu'),
        registry(10, 'dongqu'),
      ]),
    );
    await put(
      `incoming/${MONTH}/shiqi/roster.csv`,
      csv(ENGLISH_HEADER, [
        rosterRow({}, 1),
        rosterRow({}, 2),
        rosterRow({}, 3),
        rosterRow({}, 4),
        rosterRow({}, 5),
        rosterRow({ household_id: 'H0099' }, 5),
        rosterRow({ amount: 'x' }, 6),
      ]),
    );
    await put(
      `incoming/${MONTH}/dongqu/roster.csv`,
      csv(ENGLISH_HEADER, [rosterRow({ town: 'dongqu' }, 10)]),
    );
    out = join(root, 'out');
    await runMonth({ dataDir: data, month: MONTH, outDir: out, approve: 'auto' });
  }, 300_000);

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('opens exactly one case per finding of contract 3.2 and 3.3 and one per drawn visit, all open', async () => {
    // Act
    const findings = records(await readFile(join(out, 'findings.csv'), 'utf8'));
    const sample = records(await readFile(join(out, 'sample.csv'), 'utf8'));
    const cases = records(await readFile(join(out, 'cases.csv'), 'utf8'));

    // Assess
    const key = (r: Record<string, string>) => `${r.code}|${r.id_number}|${r.category}`;
    const expected = findings
      .filter((f) => !FILE_LEVEL.has(f.code ?? ''))
      .map(key)
      .sort();
    expect(expected).toEqual(expect.arrayContaining(['NAME_MISMATCH|' + validId('19600101', 3) + '|DIBAO']));
    expect(findings.map((f) => f.code)).toEqual(
      expect.arrayContaining(['INVALID_AMOUNT', 'AMOUNT_MISMATCH', 'DUPLICATE_PAYMENT', 'MISSING_PAYMENT']),
    );
    expect(
      cases
        .filter((c) => c.kind === 'FINDING')
        .map(key)
        .sort(),
    ).toEqual(expected);
    const visits = sample.filter((s) => / VISIT: /.test(s.reason ?? ''));
    expect(visits.length).toBeGreaterThan(0);
    expect(sample.length).toBeGreaterThan(visits.length);
    expect(
      cases
        .filter((c) => c.kind === 'VISIT')
        .map((c) => `${c.town}|${c.id_number}`)
        .sort(),
    ).toEqual(visits.map((v) => `${v.town}|${v.id_number}`).sort());
    expect(new Set(cases.map((c) => c.status))).toEqual(new Set(['OPEN']));
    expect(cases.find((c) => c.code === 'MISSING_PAYMENT')?.town).toBe('dongqu');
    expect(cases.filter((c) => c.code === 'DUPLICATE_PAYMENT')).toHaveLength(2);
    expect(cases[0]).toEqual(expect.objectContaining({ overpaid: '0.00', recovered: '0.00', closed_at: '' }));
    const page = await readFile(join(out, 'report.html'), 'utf8');
    expect(page).toContain('data-testid="case-summary"');
    expect(page).toContain('data-testid="case-precision-chart"');
  });
});

describe('the desk use cases on the case table', () => {
  let stack: LocalStack;
  let cases: DynamoCaseStore;
  let audit: ChainedAuditTrail;
  const now = () => '2026-11-05T08:00:00.000Z';

  const finding = (n: number, overrides: Partial<CaseRecord> = {}): CaseRecord => ({
    caseId: `F-${String(n).padStart(16, '0')}`,
    month: MONTH,
    town: 'shiqi',
    kind: 'FINDING',
    code: 'EMPLOYED',
    severity: 'REVIEW',
    idNumber: validId('19600101', n),
    category: 'DIBAO',
    batch: 'shiqi',
    row: n,
    detail: `detail ${n}`,
    evidenceFingerprint: 'f'.repeat(64),
    status: 'OPEN',
    money: { overpaidFen: 0, underpaidFen: 0, wronglyPaidFen: 0, recoveredFen: 0 },
    openedAt: '2026-11-01T08:00:00.000Z',
    version: 1,
    ...overrides,
  });

  beforeAll(async () => {
    stack = await startLocalStack();
    const { documentClient } = await import('#adapters/clients.ts');
    const { DynamoCaseStore } = await import('#adapters/dynamo-case-store.ts');
    const { DynamoAuditLedger } = await import('#adapters/dynamo-audit-ledger.ts');
    cases = new DynamoCaseStore(documentClient(), stack.caseTable);
    audit = new ChainedAuditTrail(
      new DynamoAuditLedger(documentClient(), stack.auditTable) as DynamoAuditLedger,
    );
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('opens only the cases not there yet, across many batch calls, keeping the ones there as they were', async () => {
    // Prepare: 260 cases in another month (more than two BatchGetItem calls of 100 keys), one worked.
    const month = '2026-07';
    const first = Array.from({ length: 260 }, (_, i) => finding(300 + i, { month }));
    expect((await cases.openAll(month, first)).size).toBe(260);
    const worked = { ...(first[7] as CaseRecord), status: 'CLOSED' as const, version: 2 };
    expect(await cases.save(worked, 1)).toBe('SAVED');
    const again = [
      ...first.map((r) => ({ ...r, detail: 'changed' })),
      ...Array.from({ length: 15 }, (_, i) => finding(600 + i, { month })),
      finding(600, { month }),
    ];

    // Act
    const opened = await cases.openAll(month, again);

    // Assess
    expect([...opened].sort()).toEqual(Array.from({ length: 15 }, (_, i) => finding(600 + i).caseId));
    const stored = await cases.listMonth(month);
    expect(stored).toHaveLength(275);
    expect(stored.filter((c) => c.detail === 'changed')).toEqual([]);
    expect(await cases.get(month, 'shiqi', worked.caseId)).toMatchObject({ status: 'CLOSED', version: 2 });
  });

  it("lists only the keys its cases could take: a month's visits open without reading its finding cases", async () => {
    // Prepare: finding cases of two towns; a store whose client records its queries.
    const month = '2026-06';
    await cases.openAll(month, [
      ...Array.from({ length: 40 }, (_, i) => finding(700 + i, { month })),
      ...Array.from({ length: 10 }, (_, i) => finding(800 + i, { month, town: 'dongqu' })),
    ]);
    const visit = (n: number, town: string): CaseRecord => {
      const {
        severity: _s,
        evidenceFingerprint: _f,
        ...record
      } = finding(n, {
        month,
        town,
        caseId: `V-${String(n).padStart(16, '0')}`,
        kind: 'VISIT',
        code: 'HOME_VISIT',
        householdId: `H${n}`,
      });
      return record;
    };
    const { documentClient } = await import('#adapters/clients.ts');
    const { DynamoCaseStore } = await import('#adapters/dynamo-case-store.ts');
    const client = documentClient();
    const prefixes: unknown[] = [];
    const recording = Object.create(client) as typeof client;
    recording.send = ((command: { input: { ExpressionAttributeValues?: Record<string, unknown> } }) => {
      const prefix = command.input.ExpressionAttributeValues?.[':prefix'];
      if (prefix !== undefined) prefixes.push(prefix);
      return client.send(command as never);
    }) as typeof client.send;
    const store = new DynamoCaseStore(recording, stack.caseTable);

    // Act
    const opened = await store.openAll(month, [visit(1, 'shiqi'), visit(2, 'shiqi'), visit(3, 'dongqu')]);
    const again = await store.openAll(month, [
      visit(1, 'shiqi'),
      visit(3, 'dongqu'),
      finding(700, { month }),
    ]);

    // Assess
    expect(opened.size).toBe(3);
    expect(again.size).toBe(0);
    expect(prefixes).toEqual([
      'TOWN#shiqi#CASE#V-',
      'TOWN#dongqu#CASE#V-',
      'TOWN#shiqi#CASE#V-',
      'TOWN#dongqu#CASE#V-',
      'TOWN#shiqi#CASE#F-',
    ]);
    expect(await store.listMonth(month)).toHaveLength(53);
  });

  it('opens nothing twice, and of two saves of one case the second gets a conflict, never a lost update', async () => {
    // Prepare
    const record = finding(1);
    expect([...(await cases.openAll(MONTH, [record]))]).toEqual([record.caseId]);
    const again = { ...record, detail: 'changed' };

    // Act
    const reopened = await cases.openAll(MONTH, [again]);
    const [first, second] = await Promise.all([
      recordCaseOutcome(
        {
          month: MONTH,
          town: 'shiqi',
          caseId: record.caseId,
          officer: 'li',
          input: { outcome: 'CONFIRMED_IN_ORDER', note: '在职为公益岗' },
          expectedVersion: 1,
        },
        { cases, audit, now },
      ),
      recordCaseOutcome(
        {
          month: MONTH,
          town: 'shiqi',
          caseId: record.caseId,
          officer: 'wang',
          input: { outcome: 'PROBLEM_CONFIRMED', action: 'STOP_NEXT_MONTH', rootCause: 'VERIFICATION' },
          expectedVersion: 1,
        },
        { cases, audit, now },
      ),
    ]);

    // Assess
    expect(reopened.size).toBe(0);
    expect([first.status, second.status].sort()).toEqual(['conflict', 'saved']);
    const stored = await cases.get(MONTH, 'shiqi', record.caseId);
    const winner = first.status === 'saved' ? 'li' : 'wang';
    expect(stored).toEqual(
      expect.objectContaining({ detail: 'detail 1', status: 'CLOSED', version: 2, closedBy: winner }),
    );
    const loser = first.status === 'conflict' ? first : second;
    expect(loser.status === 'conflict' && loser.reasons.join(' ')).toContain('changed by someone else');
    const entries = await audit.list(MONTH);
    expect(entries.filter((e) => e.action === 'CASE_OUTCOME_RECORDED').map((e) => e.actor)).toEqual([winner]);
  });

  it("withdraws on the case table what a newer run no longer finds, and an officer's concurrent save is never lost", async () => {
    // Prepare: run 1 of 2026-09 finds five employed recipients of shiqi; run 2 finds only the first
    const month = '2026-09';
    const { s3Client } = await import('#adapters/clients.ts');
    const { S3ObjectStore } = await import('#adapters/s3-object-store.ts');
    const store = new S3ObjectStore(s3Client(), stack.bucket);
    const key = `reports/${month}/findings.arrow`;
    const employed = (n: number): Finding => ({
      month,
      batch: 'shiqi',
      row: n + 1,
      idNumber: validId('19500101', n),
      category: 'DIBAO',
      code: 'EMPLOYED',
      severity: 'REVIEW',
      detail: `employed ${n}`,
    });
    const runOver = async (runId: string, findings: Finding[]) => {
      await store.put(key, findingsToArrow(findings), 'application/vnd.apache.arrow.file');
      return openMonthCases(
        { month, bucket: stack.bucket, runId, findingsArrowKey: key },
        { store, cases, audit, now },
      );
    };
    await runOver('run-1', [1, 2, 3, 4, 5].map(employed));
    const opened = await cases.listMonth(month);
    const idOf = (n: number) => opened.find((c) => c.idNumber === employed(n).idNumber)?.caseId ?? '';
    const officer = (n: number) =>
      recordCaseOutcome(
        {
          month,
          town: 'shiqi',
          caseId: idOf(n),
          officer: 'li',
          input: { outcome: 'CONFIRMED_IN_ORDER', note: '公益岗' },
          expectedVersion: 1,
        },
        { cases, audit, now },
      );
    await officer(2);

    // Act: the officer saves case 3 while run 2 withdraws
    const [run2, racing] = await Promise.all([runOver('run-2', [employed(1)]), officer(3)]);

    // Assess
    const after = new Map((await cases.listMonth(month)).map((c) => [c.idNumber, c]));
    const at = (n: number) => after.get(employed(n).idNumber ?? '');
    expect(at(1)).toMatchObject({ status: 'OPEN', version: 1 });
    expect(at(2)).toMatchObject({ outcome: 'CONFIRMED_IN_ORDER', closedBy: 'li' });
    for (const n of [4, 5])
      expect(at(n)).toMatchObject({ outcome: 'WITHDRAWN', closedBy: 'month-run:run-2' });
    if (racing.status === 'saved')
      expect(at(3)).toMatchObject({ outcome: 'CONFIRMED_IN_ORDER', closedBy: 'li' });
    else {
      expect(racing.status).toBe('conflict');
      expect(at(3)).toMatchObject({ outcome: 'WITHDRAWN' });
    }
    expect(run2.withdrawn).toBe(racing.status === 'saved' ? 2 : 3);

    // Act: run 3 finds case 4 again
    const run3 = await runOver('run-3', [employed(1), employed(4)]);

    // Assess
    expect(run3).toMatchObject({ withdrawn: 0, reopened: 1 });
    expect((await cases.get(month, 'shiqi', idOf(4)))?.status).toBe('OPEN');
  });

  it("never lets a town touch another town's case", async () => {
    // Prepare
    const record = finding(2);
    await cases.openAll(MONTH, [record]);

    // Act
    const result = await recordCaseOutcome(
      {
        month: MONTH,
        town: 'dongqu',
        caseId: record.caseId,
        officer: 'zhao',
        input: { outcome: 'DATA_ERROR_CORRECTED' },
        expectedVersion: 1,
      },
      { cases, audit, now },
    );

    // Assess
    expect(result).toEqual({ status: 'not-found' });
    expect((await cases.get(MONTH, 'shiqi', record.caseId))?.status).toBe('OPEN');
    expect(await cases.listTown(MONTH, 'dongqu')).toEqual([]);
  });

  it('imports a filled workbook row by row: a bad row applies nothing, the others are saved, and the report says why by row', async () => {
    // Prepare
    const town = 'xiaolan';
    await cases.openAll(MONTH, [
      finding(11, { town, severity: 'BLOCK', code: 'AMOUNT_MISMATCH' }),
      finding(12, { town }),
      finding(13, { town }),
    ]);
    await cases.openAll(MONTH, [finding(14, { town: 'shiqi' })]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await exportOpenCasesWorkbook({ month: MONTH, town }, { cases })) as never);
    const sheet = workbook.worksheets[0];
    if (sheet === undefined) throw new Error('no sheet');
    const header = (sheet.getRow(1).values as string[]).map((v) =>
      String(v ?? '')
        .split('/')
        .at(-1)
        ?.trim(),
    );
    const col = (key: string) => header.indexOf(key);
    const rowOf = (caseId: string) => {
      for (let r = 2; r <= sheet.rowCount; r++)
        if (sheet.getCell(r, col('case_id')).value === caseId) return r;
      throw new Error(`no row for ${caseId}`);
    };
    const fill = (caseId: string, values: Record<string, string>) => {
      const r = rowOf(caseId);
      for (const [k, v] of Object.entries(values)) sheet.getCell(r, col(k)).value = v;
      return r;
    };
    const good = fill(finding(11).caseId, { outcome: 'STOPPED', overpaid: '1180.00', recovered: '500' });
    const bad = fill(finding(12).caseId, { outcome: 'CONFIRMED_IN_ORDER', recovered: '1,000' });
    const other = sheet.addRow([]).number;
    sheet.getCell(other, col('case_id')).value = finding(14).caseId;
    sheet.getCell(other, col('version')).value = '1';
    sheet.getCell(other, col('outcome')).value = 'STOPPED';
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());

    // Act
    const report = await importCaseOutcomesWorkbook(
      { month: MONTH, town, officer: 'chen', bytes },
      { cases, audit, now },
    );

    // Assess
    expect(report).toEqual(expect.objectContaining({ applied: 1, refused: 2, skipped: 1 }));
    const byRow = new Map(report.rows.map((r) => [r.row, r]));
    expect(byRow.get(good)?.status).toBe('APPLIED');
    expect(byRow.get(bad)?.status).toBe('REFUSED');
    expect(byRow.get(bad)?.reasons.join(' ')).toContain('追回 / recovered');
    expect(byRow.get(other)?.reasons.join(' ')).toContain('not a case of your town');
    expect(await cases.get(MONTH, town, finding(11).caseId)).toEqual(
      expect.objectContaining({
        status: 'CLOSED',
        outcome: 'STOPPED',
        money: { overpaidFen: 118_000, underpaidFen: 0, wronglyPaidFen: 0, recoveredFen: 50_000 },
      }),
    );
    expect(await cases.get(MONTH, town, finding(12).caseId)).toEqual(
      expect.objectContaining({ status: 'OPEN', version: 1 }),
    );
    expect((await cases.get(MONTH, 'shiqi', finding(14).caseId))?.status).toBe('OPEN');
    const imported = (await audit.list(MONTH)).find((e) => e.action === 'CASE_OUTCOMES_IMPORTED');
    expect(imported).toEqual(expect.objectContaining({ actor: 'chen', contentSha256: report.fileSha256 }));
  });

  it("lists a month's cases of towns coded every way once each, in the order of their keys, without its replacements", async () => {
    // Prepare: towns coded with digits, capitals, lower case, Chinese, a '#' and edge letters of
    // each range the listing queries at once; 120 cases a town (pages of several calls), a
    // replacement household of one town, and a case of the month before.
    const month = '2026-03';
    const towns = [
      '0012',
      '9',
      'Abc',
      'Z',
      'a',
      'h',
      'hz',
      'i',
      'pz',
      'q',
      'qa',
      'zz',
      '石岐',
      '~',
      'a#b',
      '#',
    ];
    const opened = towns.flatMap((town) =>
      Array.from({ length: 120 }, (_, i) => finding(i + 1, { month, town, batch: town })),
    );
    await cases.openAll(month, opened);
    await cases.openAll('2026-02', [finding(1, { month: '2026-02', town: 'q' })]);
    await cases.putReplacements([
      { month, town: 'q', householdId: 'Hq1', idNumber: validId('19600101', 1), rank: 1, reason: 'spare' },
    ]);
    const keyOf = (c: CaseRecord) => `TOWN#${c.town}#CASE#${c.caseId}`;
    const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

    // Act
    const listed = await cases.listMonth(month);

    // Assess
    expect(listed).toHaveLength(opened.length);
    expect(listed.map(keyOf)).toEqual(opened.map(keyOf).sort(utf8Order));
    expect(new Set(listed.map((c) => c.town))).toEqual(new Set(towns));
    const sample = opened[5 * 120 + 7] as CaseRecord;
    expect(listed.find((c) => keyOf(c) === keyOf(sample))).toEqual(sample);
  });

  it("lists a month's cases as lines: every case, with exactly the fields the page and cases.csv read", async () => {
    // Prepare: 300 finding cases of two towns (several pages), one closed by an officer with money
    // and a note, one cleared earlier, a visit with its household, and a replacement household.
    const month = '2026-05';
    const opened = [
      ...Array.from({ length: 300 }, (_, i) => finding(i + 1, { month, town: i % 2 ? 'shiqi' : 'dongqu' })),
      finding(301, {
        month,
        status: 'CLOSED',
        outcome: 'CLEARED_EARLIER',
        clearedBy: {
          code: 'EMPLOYED',
          idNumber: validId('19600101', 301),
          category: 'DIBAO',
          evidenceFingerprint: 'f'.repeat(64),
          month: '2026-04',
          caseId: 'F-1',
          officer: 'li',
          at: '2026-04-20T08:00:00.000Z',
        },
        note: 'cleared in 2026-04',
        closedAt: '2026-11-02T08:00:00.000Z',
        closedBy: 'li',
      }),
      finding(302, { month, kind: 'VISIT', code: 'VISIT', householdId: 'H7', rank: 3, detail: 'drawn' }),
    ];
    const { severity: _s, evidenceFingerprint: _e, batch: _b, row: _r, ...visit } = opened[301] as CaseRecord;
    opened[301] = visit as CaseRecord;
    await cases.openAll(month, opened);
    const worked = {
      ...(opened[4] as CaseRecord),
      status: 'CLOSED' as const,
      outcome: 'PROBLEM_CONFIRMED' as const,
      money: { overpaidFen: 118_000, underpaidFen: 0, wronglyPaidFen: 0, recoveredFen: 50_000 },
      note: '已追回部分',
      closedAt: '2026-11-03T08:00:00.000Z',
      closedBy: 'wang',
      version: 2,
    };
    expect(await cases.save(worked, 1)).toBe('SAVED');
    await cases.putReplacements([
      { month, town: 'shiqi', householdId: 'H9', idNumber: validId('19600101', 9), rank: 1, reason: 'spare' },
    ]);
    const byId = (a: { caseId: string }, b: { caseId: string }) => (a.caseId < b.caseId ? -1 : 1);

    // Act
    const lines = await cases.listMonthLines(month);

    // Assess: the same cases as the whole listing, each with its line fields and nothing else.
    const whole = await cases.listMonth(month);
    expect(lines).toHaveLength(302);
    expect([...lines].sort(byId)).toEqual(whole.map(caseLineOf).sort(byId));
    expect(lines.find((c) => c.caseId === worked.caseId)).toEqual(caseLineOf(worked));
    expect(new Set(lines.flatMap((c) => Object.keys(c)))).toEqual(new Set(CASE_LINE_FIELDS));
  });

  it('keeps every replacement household across many batch calls, one item per town and rank', async () => {
    // Prepare: 70 ranks of two towns (six BatchWriteItem calls), rank 5 of banfu given twice
    const month = '2026-04';
    const spare = (town: string, rank: number, reason = 'spare') => ({
      month,
      town,
      householdId: `H${town}${rank}`,
      idNumber: validId('19600101', rank),
      rank,
      reason,
    });
    const given = ['banfu', 'sanxiang'].flatMap((town) =>
      Array.from({ length: 70 }, (_, i) => spare(town, i + 1)),
    );

    // Act
    await cases.putReplacements([...given, spare('banfu', 5, 'again')]);

    // Assess
    for (const town of ['banfu', 'sanxiang']) {
      const kept = (await cases.listReplacements(month, town)).sort((a, b) => a.rank - b.rank);
      expect(kept.map((r) => r.rank)).toEqual(Array.from({ length: 70 }, (_, i) => i + 1));
      expect(kept.every((r) => r.month === month && r.householdId === `H${town}${r.rank}`)).toBe(true);
    }
    expect((await cases.listReplacements(month, 'banfu')).find((r) => r.rank === 5)?.reason).toBe('again');
    expect(await cases.listMonth(month)).toEqual([]);
  });

  it('makes the next numbered replacement a due visit when a visit is not found, in order', async () => {
    // Prepare
    const town = 'dongqu';
    const visit = finding(21, {
      caseId: 'V-0000000000000021',
      town,
      kind: 'VISIT',
      code: 'HOME_VISIT',
      householdId: 'H0021',
      rank: 1,
    });
    const { severity: _s, evidenceFingerprint: _f, ...visitCase } = visit;
    await cases.openAll(MONTH, [visitCase]);
    await cases.putReplacements(
      [3, 2].map((rank) => ({
        month: MONTH,
        town,
        householdId: `H01${rank}`,
        idNumber: validId('19700101', rank),
        rank,
        reason: 'spare',
      })),
    );

    // Act
    const result = await recordCaseOutcome(
      {
        month: MONTH,
        town,
        caseId: visitCase.caseId,
        officer: 'zhao',
        input: { outcome: 'NOT_FOUND', visitDate: '2026-11-04' },
        expectedVersion: 1,
      },
      { cases, audit, now },
    );

    // Assess
    expect(result.status).toBe('saved');
    expect(result.status === 'saved' && result.dueVisit).toEqual(
      expect.objectContaining({ kind: 'VISIT', householdId: 'H012', rank: 2, status: 'OPEN' }),
    );
    const visits = (await cases.listTown(MONTH, town)).filter((c) => c.kind === 'VISIT');
    expect(visits.map((c) => c.householdId).sort()).toEqual(['H0021', 'H012']);
  });
});
