import { createReadStream } from 'node:fs';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoMonth } from '#demo/generate-month.ts';
import { type RunMonthResult, runMonth } from '#local/cli/run-month.ts';
import type { TaskInterceptor } from '#local/engine/workflow-engine.ts';
import type { SentMail } from '#local/stand-ins/ses-outbox-endpoint.ts';
import { xlsxBomb } from '../fixtures/formats/xlsx-bomb.ts';
import { badCheckId, csv, ENGLISH_HEADER, rosterRow, validId } from '../support/roster-builder.ts';

/**
 * One roster cannot take down the month (issue 10 item 2), on the embedded stack: a small
 * demonstration month is run without and with four added towns sending rosters that cannot be
 * checked as usual, and the other towns' outputs are compared.
 *
 * The bombs here are alike-row XLSX files of {@link BOMB_ROWS} rows: enough for thousands of
 * findings of one town through every step of the month, yet a month of seconds. The bomb at the
 * issue's real size (1–2 MB, a million rows) goes through the real reader and the real check, under
 * the production limits and with the heap bounded, in
 * test/unit/usecases/roster/validate-roster-bomb.test.ts: a month around two of them held 4M
 * findings and took minutes (WriteMonthFindings, OpenMonthCases and the month page scale with them).
 */

const MONTH = '2026-10';
/** Rows of each bomb (the million-row one is checked in the use-case test, see above). */
const BOMB_ROWS = 1_000;
/** Four towns added to the demonstration's, each sending a roster that cannot be checked as usual. */
const VALID_BOMB = 'bombvalid';
const INVALID_BOMB = 'bombinvalid';
const OUT_OF_MEMORY = 'oomtown';
const TIMED_OUT = 'slowtown';
const ADDED = [VALID_BOMB, INVALID_BOMB, OUT_OF_MEMORY, TIMED_OUT];
/** What the month may take of the heap whatever one roster holds (it died at 3.5 GB before). */
const HEAP_BOUND = 1.5 * 1024 ** 3;

let root: string;
let clean: RunMonthResult;
let bombed: RunMonthResult;
let bombBytes: { valid: number; invalid: number };
/** Bytes of one data row of the bombs' sheet XML (the least: one cell's markup per column). */
let sheetRowBytes = 0;
let peakHeap = 0;

/** A bomb row: an ID and an account no demonstration payee has, in the bomb's own town. */
function bombRow(town: string, valid: boolean): string[] {
  return rosterRow({
    town,
    amount: valid ? '198.00' : '1,98',
    id_number: valid ? validId('19600101', 999) : badCheckId('19600101', 999),
    account_number: '6222020299999999999',
  });
}

/**
 * How a check dies: in Lambda, a function out of memory is reported as `Runtime.ExitError`; here,
 * in-process, the handler throws what V8 throws when a string outgrows memory. A timeout is the
 * Task's `States.Timeout`.
 */
const DEATHS: Readonly<Record<string, () => Error>> = {
  [OUT_OF_MEMORY]: () => new RangeError('Invalid string length'),
  [TIMED_OUT]: () => Object.assign(new Error('Task timed out after 900 seconds'), { name: 'States.Timeout' }),
};

const interceptors: Record<string, TaskInterceptor> = {
  ValidateRoster: async (invoke, payload) => {
    const death = DEATHS[(payload as { upload?: { batch?: string } }).upload?.batch ?? ''];
    if (death) throw death();
    return invoke(payload);
  },
};

/**
 * The findings.csv lines (after the header) of the batches other than the added towns, and how
 * many lines each added town has: read line by line, as the file of millions of lines is too
 * large to hold as one string.
 */
async function findingsOf(result: RunMonthResult): Promise<{ others: string[]; added: Map<string, number> }> {
  const others: string[] = [];
  const added = new Map<string, number>();
  let header = true;
  const input = createReadStream(join(result.outDir, 'findings.csv'));
  for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    if (header || line === '') {
      header = false;
      continue;
    }
    const batch = line.split(',', 2)[1] ?? '';
    if (ADDED.includes(batch)) added.set(batch, (added.get(batch) ?? 0) + 1);
    else others.push(line);
  }
  return { others, added };
}

async function sentMails(result: RunMonthResult): Promise<SentMail[]> {
  const outbox = join(result.outDir, 'outbox');
  const names = (await readdir(outbox)).filter((n) => n.endsWith('.json')).sort();
  return Promise.all(names.map(async (n) => JSON.parse(await readFile(join(outbox, n), 'utf8')) as SentMail));
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'payguard-bomb-'));
  const data = join(root, 'data');
  await generateDemoMonth({ dir: data, month: MONTH, towns: 6, payeesPerTown: 40 });
  await appendFile(
    join(data, 'reference', 'towns.csv'),
    ADDED.map((town) => `${town},${town},10000\n`).join(''),
  );
  clean = await runMonth({ dataDir: data, month: MONTH, outDir: join(root, 'clean'), approve: 'auto' });

  // Prepare the bombs: alike rows, a valid-looking one (accepted) and one with a bad amount.
  const header = [...ENGLISH_HEADER];
  const valid = await xlsxBomb({ rows: BOMB_ROWS, header, row: bombRow(VALID_BOMB, true) });
  const invalid = await xlsxBomb({ rows: BOMB_ROWS, header, row: bombRow(INVALID_BOMB, false) });
  bombBytes = { valid: valid.length, invalid: invalid.length };
  sheetRowBytes = header.length * '<c t="inlineStr"><is><t></t></is></c>'.length;
  const put = async (town: string, name: string, body: string | Uint8Array) => {
    await mkdir(join(data, 'incoming', MONTH, town), { recursive: true });
    await writeFile(join(data, 'incoming', MONTH, town, name), body);
  };
  await put(VALID_BOMB, 'roster.xlsx', valid);
  await put(INVALID_BOMB, 'roster.xlsx', invalid);
  for (const town of [OUT_OF_MEMORY, TIMED_OUT]) {
    await put(town, 'roster.csv', csv(ENGLISH_HEADER, [rosterRow({ town }, 901)]));
  }

  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 50);
  try {
    bombed = await runMonth({
      dataDir: data,
      month: MONTH,
      outDir: join(root, 'bombed'),
      approve: 'auto',
      interceptors,
    });
  } finally {
    clearInterval(sampler);
  }
}, 300_000);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

describe('one roster cannot take down the month', () => {
  it('builds bombs: files of alike rows, a small fraction of the sheet they inflate to', () => {
    for (const size of Object.values(bombBytes)) {
      expect(size).toBeGreaterThan(0);
      expect(size * 50).toBeLessThan(BOMB_ROWS * sheetRowBytes);
    }
  });

  it("leaves the other towns' month as it is without the bombs: the same findings and a release", async () => {
    // Act
    const { others } = await findingsOf(bombed);

    // Assess
    expect(bombed.state).toBe(clean.state);
    expect(['RELEASED', 'CLOSED']).toContain(bombed.state);
    expect(others).toEqual((await findingsOf(clean)).others);
    expect(others.length).toBeGreaterThan(0);
    const release = await readFile(join(bombed.outDir, 'release.csv'), 'utf8');
    expect(release).toBe(await readFile(join(clean.outDir, 'release.csv'), 'utf8'));
  });

  it('checks every row of both bombs, holds the valid-looking ones and rejects the file of bad rows', async () => {
    // Act
    const summary = bombed.summary as {
      batches: {
        batch: string;
        status: string;
        dataRows?: number;
        validRows: number;
        validRowsHeld: number;
        findingsByCode: Record<string, number>;
      }[];
    };
    const batch = (town: string) => summary.batches.find((b) => b.batch === town);

    // Assess
    expect(batch(VALID_BOMB)).toEqual(
      expect.objectContaining({ status: 'ACCEPTED', dataRows: BOMB_ROWS, validRows: BOMB_ROWS }),
    );
    expect(batch(VALID_BOMB)?.validRowsHeld).toBe(BOMB_ROWS);
    expect(batch(INVALID_BOMB)).toEqual(expect.objectContaining({ dataRows: BOMB_ROWS, validRows: 0 }));
    // Every row of the valid-looking bomb is NOT_IN_REGISTRY and a DUPLICATE_PAYMENT of the others;
    // every row of the other has an INVALID_ID and an INVALID_AMOUNT: all of them in findings.csv.
    const { added } = await findingsOf(bombed);
    expect(batch(VALID_BOMB)?.findingsByCode).toEqual(
      expect.objectContaining({ NOT_IN_REGISTRY: BOMB_ROWS, DUPLICATE_PAYMENT: BOMB_ROWS }),
    );
    expect(batch(INVALID_BOMB)?.findingsByCode).toEqual({ INVALID_ID: BOMB_ROWS, INVALID_AMOUNT: BOMB_ROWS });
    const total = (town: string) =>
      Object.values(batch(town)?.findingsByCode ?? {}).reduce((a, b) => a + b, 0);
    expect(added.get(VALID_BOMB)).toBe(total(VALID_BOMB));
    expect(added.get(INVALID_BOMB)).toBe(2 * BOMB_ROWS);
  });

  it('records a check that ran out of memory or timed out as FAILED and tells its town', async () => {
    // Act
    const summary = bombed.summary as { batches: { batch: string; status: string; failure?: string }[] };
    const mails = await sentMails(bombed);

    // Assess
    for (const [town, meaning] of [
      [OUT_OF_MEMORY, 'RangeError: Invalid string length'],
      [TIMED_OUT, 'took longer than allowed'],
    ] as const) {
      expect(summary.batches.find((b) => b.batch === town)).toEqual(
        expect.objectContaining({ status: 'FAILED', failure: expect.stringContaining(meaning) }),
      );
      const told = mails.filter((m) => m.to.includes(`${town}@towns.example.gov.cn`));
      expect(told).toHaveLength(1);
      expect(told[0]?.text).toContain(`incoming/${MONTH}/${town}/roster.csv`);
      expect(bombed.ingests.find((i) => i.key.includes(`/${town}/`))).toEqual(
        expect.objectContaining({ status: 'FAILED', recorded: true }),
      );
    }
  });

  it('keeps the heap bounded whatever the rosters hold', () => {
    expect(peakHeap).toBeGreaterThan(0);
    expect(peakHeap).toBeLessThan(HEAP_BOUND);
  });
});
