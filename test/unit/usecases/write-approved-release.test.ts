import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { releaseCsv } from '#formats/release-csv.ts';
import { releaseFile, runReleaseCandidate } from '#schemas/bucket-layout.ts';
import { writeApprovedRelease } from '#usecases/release-month.ts';
import { MemoryObjectStore } from './dataset/memory-object-store.ts';

const MONTH = '2026-10';
const FROM = runReleaseCandidate.key({ month: MONTH, runId: 'r1' });
const KEY = releaseFile.key({ month: MONTH });

const payment = (row: number, amountFen: number) => ({
  batch: 'shiqi',
  row,
  idNumber: '44200019800101123X',
  name: '张三',
  accountNumber: '6222020200112233441',
  amountFen,
  category: 'DIBAO',
  town: 'SHIQI',
});
const APPROVED = releaseCsv(MONTH, [payment(1, 50_000), payment(2, 60_000)]);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A bucket whose candidate is replaced by `other` just before it is copied. */
class SwappedCandidate extends MemoryObjectStore {
  constructor(private readonly other: string) {
    super(32);
  }
  override async copy(from: string, to: string): Promise<void> {
    this.set(from, this.other);
    return super.copy(from, to);
  }
}

describe('writeApprovedRelease', () => {
  it('copies the approved candidate to release.csv and adds it up', async () => {
    // Prepare
    const store = new MemoryObjectStore(32).set(FROM, APPROVED);

    // Act
    const totals = await writeApprovedRelease(store, MONTH, FROM, KEY, sha256(APPROVED));

    // Assess
    expect(Buffer.from(store.get(KEY) ?? []).toString()).toBe(APPROVED);
    expect(store.calls.copy).toEqual([`${FROM} -> ${KEY}`]);
    expect(totals.releaseSha256).toBe(sha256(APPROVED));
    expect(totals.byTown).toEqual([{ code: 'SHIQI', rows: 2, amountFen: 110_000, recipients: 1 }]);
  });

  it('takes the totals PrepareRelease wrote when they are those of the approved bytes, else adds the release up', async () => {
    // Prepare: totals told apart from the file's own (which count 2 rows).
    const store = new MemoryObjectStore(32).set(FROM, APPROVED);
    const added = {
      month: MONTH,
      releaseSha256: sha256(APPROVED),
      rows: 7,
      amountFen: 1,
      byTown: [],
      byCategory: [],
    };
    const stale = { ...added, releaseSha256: sha256('another candidate') };

    // Act
    const taken = await writeApprovedRelease(store, MONTH, FROM, KEY, sha256(APPROVED), added);
    const readsWhenTaken = store.calls.open.length;
    const addedUp = await writeApprovedRelease(store, MONTH, FROM, KEY, sha256(APPROVED), stale);

    // Assess
    expect(taken).toEqual(added);
    expect(addedUp.rows).toBe(2);
    expect(addedUp.byTown).toEqual([{ code: 'SHIQI', rows: 2, amountFen: 110_000, recipients: 1 }]);
    // Taken: release.csv read twice (before the copy and after it, to prove it); added up: once more.
    expect(readsWhenTaken).toBe(2);
    expect(store.calls.open.length - readsWhenTaken).toBe(2);
  });

  it('reads release.csv once when it holds the approved bytes already and the totals are given', async () => {
    // Prepare
    const store = new MemoryObjectStore(32).set(FROM, APPROVED).set(KEY, APPROVED);
    const added = {
      month: MONTH,
      releaseSha256: sha256(APPROVED),
      rows: 2,
      amountFen: 1,
      byTown: [],
      byCategory: [],
    };

    // Act
    const totals = await writeApprovedRelease(store, MONTH, FROM, KEY, sha256(APPROVED), added);

    // Assess
    expect(totals).toEqual(added);
    expect(store.calls.copy).toEqual([]);
    expect(store.calls.open).toEqual([KEY]);
  });

  it('does not write release.csv again when it holds the approved bytes (a re-run after a crash)', async () => {
    // Prepare
    const store = new MemoryObjectStore(32).set(FROM, APPROVED).set(KEY, APPROVED);

    // Act
    await writeApprovedRelease(store, MONTH, FROM, KEY, sha256(APPROVED));

    // Assess
    expect(store.calls.copy).toEqual([]);
  });

  it('fails when the candidate changed after it was checked: release.csv is not what was approved', async () => {
    // Prepare
    const other = releaseCsv(MONTH, [payment(1, 50_000), payment(2, 6_000_000)]);
    const store = new SwappedCandidate(other).set(FROM, APPROVED);

    // Act
    const written = writeApprovedRelease(store, MONTH, FROM, KEY, sha256(APPROVED));

    // Assess
    await expect(written).rejects.toThrow(
      `${FROM} changed while it was released: ${KEY} holds ${sha256(other)}, not ${sha256(APPROVED)}`,
    );
  });

  it('fails so too when it would take the totals PrepareRelease wrote', async () => {
    // Prepare
    const other = releaseCsv(MONTH, [payment(1, 50_000), payment(2, 6_000_000)]);
    const store = new SwappedCandidate(other).set(FROM, APPROVED);
    const added = {
      month: MONTH,
      releaseSha256: sha256(APPROVED),
      rows: 2,
      amountFen: 110_000,
      byTown: [],
      byCategory: [],
    };

    // Act
    const written = writeApprovedRelease(store, MONTH, FROM, KEY, sha256(APPROVED), added);

    // Assess
    await expect(written).rejects.toThrow(
      `${FROM} changed while it was released: ${KEY} holds ${sha256(other)}, not ${sha256(APPROVED)}`,
    );
  });
});
