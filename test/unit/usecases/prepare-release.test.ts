import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findingsToArrow } from '#formats/findings-arrow.ts';
import { StagedRosterWriter } from '#formats/staged-roster-writer.ts';
import { findingsArrow, runManifest, stagedRoster, townsFile } from '#schemas/bucket-layout.ts';
import { CATEGORY_CODES } from '#schemas/categories.ts';
import type { Finding } from '#schemas/finding.ts';
import { prepareRelease } from '#usecases/prepare-release.ts';
import { MemoryObjectStore } from './dataset/memory-object-store.ts';
import { prepareReleaseReference } from './prepare-release-reference.ts';

const MONTH = '2026-10';
const RUN_ID = '0123456789abcdef';
const TOWNS = ['shiqi', 'dongqu', 'nanqu'];
const BATCHES = ['shiqi', 'dongqu', 'a-extra'];
const CODES: readonly [Finding['code'], Finding['severity']][] = [
  ['DECEASED', 'BLOCK'],
  ['EMPLOYED', 'BLOCK'],
  ['SHARED_ACCOUNT', 'REVIEW'],
  ['DIED_IN_MONTH', 'REVIEW'],
  ['INVALID_AMOUNT', 'BLOCK'],
  ['MISSING_PAYMENT', 'BLOCK'],
];
const id = (n: number) => `44200019600101${String(n).padStart(4, '0')}`;

interface Row {
  readonly town: string;
  readonly category: (typeof CATEGORY_CODES)[number];
  readonly amountFen: number;
  readonly household: number;
}

/** A bucket with the month's staged rosters (`rows` of each batch), its findings and its manifest. */
function bucket(rosters: readonly (readonly Row[])[], findings: readonly Finding[], rejected: boolean) {
  const store = new MemoryObjectStore(97).set(
    townsFile.key(),
    'code,name,population\r\nshiqi,石岐街道,180000\r\ndongqu,东区街道,150000\r\nnanqu,南区街道,90000\r\n',
  );
  const batches = BATCHES.map((batch, b) => {
    const stagedKey = stagedRoster.key({ month: MONTH, batch, uploadId: `u${b}` });
    const writer = new StagedRosterWriter(TOWNS);
    (rosters[b] ?? []).forEach((r, i) => {
      writer.add({
        row: i + 2,
        idNumber: id(b * 1000 + i),
        name: `张${i}`,
        householdId: `H${r.household}`,
        category: r.category,
        amountFen: r.amountFen,
        town: r.town,
        accountNumber: `62220202000000${String(i).padStart(5, '0')}`,
        accountHolderId: '',
        remark: '',
      });
    });
    store.set(stagedKey, writer.toIpcFile());
    const status = rejected && b === 2 ? 'REJECTED' : 'ACCEPTED';
    return {
      batch,
      status,
      key: `incoming/${MONTH}/${batch}/${batch}.csv`,
      uploadId: `u${b}`,
      ...(status === 'ACCEPTED' ? { stagedKey } : {}),
    };
  });
  store.set(
    runManifest.key({ month: MONTH, runId: RUN_ID }),
    JSON.stringify({ month: MONTH, runId: RUN_ID, batches, missingBatches: ['xiqu'], datasets: {} }),
  );
  store.set(findingsArrow.key({ month: MONTH }), findingsToArrow(findings));
  return store;
}

const input = {
  month: MONTH,
  bucket: 'payguard-data',
  runId: RUN_ID,
  manifestKey: runManifest.key({ month: MONTH, runId: RUN_ID }),
  findingsArrowKey: findingsArrow.key({ month: MONTH }),
};
const now = () => '2026-10-28T09:00:00.000Z';

describe('prepareRelease', () => {
  it('writes, record batch by record batch, the very bytes and view the whole-month computation wrote', async () => {
    const row = fc.record({
      town: fc.constantFrom(...TOWNS),
      category: fc.constantFrom(...CATEGORY_CODES),
      amountFen: fc.integer({ min: 0, max: 5_000_000 }),
      household: fc.integer({ min: 1, max: 30 }),
    });
    const finding = fc.record({
      batch: fc.constantFrom(...BATCHES),
      row: fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
      code: fc.constantFrom(...CODES),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(row, { maxLength: 400, size: 'max' }), { minLength: 3, maxLength: 3 }),
        fc.array(finding, { maxLength: 500, size: 'max' }),
        fc.boolean(),
        fc.boolean(),
        async (rosters, drawn, rejected, shiqiHeld) => {
          // Half the time every row of shiqi is held too: more held rows than the page lists.
          const refs = shiqiHeld
            ? [
                ...drawn,
                ...(rosters[0] ?? []).map((_, i) => ({
                  batch: 'shiqi',
                  row: i + 2,
                  code: ['DECEASED', 'BLOCK'] as (typeof CODES)[number],
                })),
              ]
            : drawn;
          // Prepare: findings in findings.csv order (batch, then row), as the month's file holds them.
          const findings = refs
            .map(
              ({ batch, row, code: [code, severity] }): Finding => ({
                month: MONTH,
                batch,
                ...(row === undefined ? {} : { row }),
                idNumber: row === undefined ? '' : id(BATCHES.indexOf(batch) * 1000 + row - 2),
                category: 'DIBAO',
                code,
                severity,
                detail: '',
              }),
            )
            .sort((a, b) => (a.batch === b.batch ? (a.row ?? 0) - (b.row ?? 0) : a.batch < b.batch ? -1 : 1));
          const streamed = bucket(rosters, findings, rejected);
          const whole = bucket(rosters, findings, rejected);

          // Act
          const result = await prepareRelease(input, { store: streamed, now });
          const expected = await prepareReleaseReference(input, { store: whole, now });

          // Assess: every object written, byte for byte, and the result.
          expect(result).toEqual(expected);
          expect(streamed.keys()).toEqual(whole.keys());
          for (const key of whole.keys()) {
            expect(Buffer.from(streamed.get(key) ?? []).toString('utf8'), key).toBe(
              Buffer.from(whole.get(key) ?? []).toString('utf8'),
            );
          }
        },
      ),
      // A failure is reported as found: shrinking months of hundreds of rows takes minutes.
      { numRuns: 40, endOnFailure: true },
    );
  });
});
