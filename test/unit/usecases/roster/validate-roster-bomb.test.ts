import { beforeAll, describe, expect, it } from 'vitest';
import { rosterUpload, townsFile } from '#schemas/bucket-layout.ts';
import type { UploadIdentity, ValidationOutcome } from '#usecases/ports.ts';
import { validateRoster } from '#usecases/validate-roster.ts';
import type { ValidationReport } from '#usecases/validation-report.ts';
import { xlsxBomb } from '../../../fixtures/formats/xlsx-bomb.ts';
import { badCheckId, ENGLISH_HEADER, rosterRow, validId } from '../../../support/roster-builder.ts';
import { MemoryObjectStore } from '../dataset/memory-object-store.ts';

/**
 * The roster bomb of issue 10 item 2 at its real size, through the real reader and the real check:
 * an XLSX of 1–2 MB holding a million alike rows (it took the process to 3.5 GB and `Invalid string
 * length` before). The month around such files is in test/e2e/roster-bomb.test.ts, with smaller
 * bombs: there the other towns' outputs are compared, here every one of the million rows is read
 * and checked under the production limits (`XLSX_LIMITS`, Excel's row limit) with the heap bounded.
 */

const MONTH = '2026-10';
const BOMB_ROWS = 1_000_000;
/** What checking one roster may take of the heap whatever it holds (it died at 3.5 GB before). */
const HEAP_BOUND = 1.5 * 1024 ** 3;
/** Reads as S3 streams them: chunks of 64 KiB. */
const CHUNK = 64 * 1024;

/**
 * The in-memory bucket, except that a findings file (millions of lines here) is counted as it
 * streams instead of being held: only its line count is kept.
 */
class CountingStore extends MemoryObjectStore {
  readonly lines = new Map<string, number>();

  override async putStream(key: string, body: AsyncIterable<Uint8Array | string>): Promise<void> {
    let lines = 0;
    for await (const piece of body) {
      const bytes =
        typeof piece === 'string'
          ? Buffer.from(piece, 'utf8')
          : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
      for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) lines++;
    }
    this.lines.set(key, lines);
    this.set(key, '');
  }
}

interface Checked {
  readonly bytes: number;
  readonly outcome: ValidationOutcome;
  readonly report: ValidationReport;
  readonly findingLines: number | undefined;
  readonly staged: boolean;
  readonly peakHeap: number;
}

/** Builds a million-row bomb of `row` in `town`, uploads it and checks it, sampling the heap. */
async function checkBomb(town: string, row: string[]): Promise<Checked> {
  const bomb = await xlsxBomb({ rows: BOMB_ROWS, header: ENGLISH_HEADER, row });
  const store = new CountingStore(CHUNK).set(
    townsFile.key(),
    `code,name,population\n${town},${town},10000\n`,
  );
  const key = rosterUpload.key({ month: MONTH, batch: town, file: 'roster.xlsx' });
  store.set(key, bomb);
  const upload: UploadIdentity = {
    bucket: 'b',
    key,
    version: 'v1',
    month: MONTH,
    batch: town,
    fileName: 'roster.xlsx',
    size: bomb.length,
    order: '1',
    uploadId: 'u1',
  };
  let peakHeap = 0;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 50);
  let outcome: ValidationOutcome;
  try {
    outcome = await validateRoster(upload, { store, now: () => '2026-10-18T09:00:00.000Z' });
  } finally {
    clearInterval(sampler);
  }
  const report = JSON.parse(
    Buffer.from(store.get(outcome.reportKey) as Uint8Array).toString(),
  ) as ValidationReport;
  return {
    bytes: bomb.length,
    outcome,
    report,
    findingLines: outcome.findingsKey === undefined ? undefined : store.lines.get(outcome.findingsKey),
    staged: outcome.stagedKey !== undefined && (store.get(outcome.stagedKey)?.length ?? 0) > 0,
    peakHeap,
  };
}

let valid: Checked;
let invalid: Checked;

beforeAll(async () => {
  valid = await checkBomb(
    'bombvalid',
    rosterRow({
      town: 'bombvalid',
      amount: '198.00',
      id_number: validId('19600101', 999),
      account_number: '6222020299999999999',
    }),
  );
  invalid = await checkBomb(
    'bombinvalid',
    rosterRow({
      town: 'bombinvalid',
      amount: '1,98',
      id_number: badCheckId('19600101', 999),
      account_number: '6222020299999999999',
    }),
  );
}, 600_000);

describe('a roster bomb of a million rows', () => {
  it('is a file of 1–2 MB', () => {
    for (const { bytes } of [valid, invalid]) {
      expect(bytes).toBeGreaterThan(1_000_000);
      expect(bytes).toBeLessThan(2_000_000);
    }
  });

  it('is read to its last row and every valid-looking row is checked and staged', () => {
    expect(valid.outcome).toMatchObject({
      status: 'ACCEPTED',
      records: BOMB_ROWS,
      validRows: BOMB_ROWS,
      invalidRows: 0,
      findings: 0,
      validAmountFen: BOMB_ROWS * 19_800,
      encoding: 'xlsx',
    });
    expect(valid.staged).toBe(true);
    expect(valid.findingLines).toBe(0);
  });

  it('has every bad row found, each of its findings streamed to the findings file', () => {
    expect(invalid.outcome).toMatchObject({
      status: 'ACCEPTED',
      records: BOMB_ROWS,
      validRows: 0,
      invalidRows: BOMB_ROWS,
      findings: 2 * BOMB_ROWS,
    });
    expect(invalid.report.findingsByCode).toEqual({ INVALID_ID: BOMB_ROWS, INVALID_AMOUNT: BOMB_ROWS });
    expect(invalid.findingLines).toBe(2 * BOMB_ROWS);
  });

  it('is checked with the heap bounded', () => {
    for (const { peakHeap } of [valid, invalid]) {
      expect(peakHeap).toBeGreaterThan(0);
      expect(peakHeap).toBeLessThan(HEAP_BOUND);
    }
  });
});
