import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReleaseTotalsTally } from '#domain/release/release-totals.ts';
import { csvLine } from '#formats/csv-writer.ts';
import { releaseCsv } from '#formats/release-csv.ts';
import { releaseCandidate, releaseFile, releaseTotals } from '#schemas/bucket-layout.ts';
import type { ReleasedPayment } from '#schemas/closeout.ts';
import { monthReleaseTotals } from '#usecases/release-totals.ts';
import { MemoryObjectStore } from './dataset/memory-object-store.ts';

const MONTH = '2026-10';

/** A payment of a release, its ID numbers, categories and towns drawn from those given. */
const paymentArbOf = (codes: {
  idNumber: fc.Arbitrary<string>;
  category: fc.Arbitrary<string>;
  town: fc.Arbitrary<string>;
}) =>
  fc.record({
    batch: fc.constantFrom('shiqi', 'dongqu'),
    row: fc.integer({ min: 1, max: 500 }),
    idNumber: codes.idNumber,
    name: fc.constant('张三'),
    accountNumber: fc.constant('6222020200112233441'),
    amountFen: fc.integer({ min: 0, max: 500_000 }),
    category: codes.category,
    town: codes.town,
  });

const paymentArb = paymentArbOf({
  idNumber: fc.constantFrom('44200019800101123X', '442000198001011245', '442000198001011261'),
  category: fc.constantFrom('DIBAO', 'TEKUN', 'ELDERLY'),
  town: fc.constantFrom('SHIQI', 'DONGQU', '-X'),
});

/** The groups as a reader would add them up by hand. */
function byHand(payments: readonly Omit<ReleasedPayment, 'paymentRef'>[], of: 'town' | 'category') {
  const codes = [...new Set(payments.map((p) => p[of]))].sort();
  return codes.map((code) => {
    const group = payments.filter((p) => p[of] === code);
    return {
      code,
      rows: group.length,
      amountFen: group.reduce((sum, p) => sum + p.amountFen, 0),
      recipients: new Set(group.map((p) => p.idNumber)).size,
    };
  });
}

/** Each town's categories as a reader would add them up by hand, by town then category. */
function byTownCategoryByHand(payments: readonly Omit<ReleasedPayment, 'paymentRef'>[]) {
  return [...new Set(payments.map((p) => p.town))].sort().flatMap((town) =>
    byHand(
      payments.filter((p) => p.town === town),
      'category',
    ).map(({ code, ...group }) => ({ town, category: code, ...group })),
  );
}

describe('ReleaseTotalsTally.addWritten', () => {
  it('adds payments up as release.csv reads them back, whatever their codes hold', async () => {
    const messy = fc.constantFrom('SHIQI', ' SHIQI', 'SHIQI\u3000', '-X', '=1+2', "'=1", 'a,"b"', '石岐', '');
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(
          paymentArbOf({
            idNumber: fc.constantFrom('44200019800101123X', ' 44200019800101123X', '442000198001011245'),
            category: messy,
            town: messy,
          }),
          { selector: (p) => `${p.batch}#${p.row}`, maxLength: 30 },
        ),
        async (payments) => {
          // Prepare
          const file = releaseCsv(MONTH, payments);
          const sha256 = createHash('sha256').update(file).digest('hex');
          const store = new MemoryObjectStore(64).set(releaseFile.key({ month: MONTH }), file);
          const tally = new ReleaseTotalsTally();

          // Act
          for (const payment of payments) tally.addWritten(payment);

          // Assess
          expect(tally.totals(MONTH, sha256)).toEqual(await monthReleaseTotals(store, MONTH));
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('monthReleaseTotals', () => {
  it('adds up release.csv per town and per category when the release wrote no totals', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(paymentArb, { selector: (p) => `${p.batch}#${p.row}`, maxLength: 40 }),
        fc.integer({ min: 5, max: 200 }),
        async (payments, chunk) => {
          // Prepare
          const file = releaseCsv(MONTH, payments);
          const store = new MemoryObjectStore(chunk).set(releaseFile.key({ month: MONTH }), file);

          // Act
          const totals = await monthReleaseTotals(store, MONTH);

          // Assess
          expect(totals).toEqual({
            month: MONTH,
            releaseSha256: createHash('sha256').update(file).digest('hex'),
            rows: payments.length,
            amountFen: payments.reduce((sum, p) => sum + p.amountFen, 0),
            byTown: byHand(payments, 'town'),
            byCategory: byHand(payments, 'category'),
            byTownCategory: byTownCategoryByHand(payments),
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reads release-totals.json without reading release.csv again', async () => {
    // Prepare
    const written = {
      month: MONTH,
      releaseSha256: 'a'.repeat(64),
      rows: 1,
      amountFen: 52_000,
      byTown: [{ code: 'SHIQI', rows: 1, amountFen: 52_000, recipients: 1 }],
      byCategory: [{ code: 'DIBAO', rows: 1, amountFen: 52_000, recipients: 1 }],
    };
    const store = new MemoryObjectStore()
      .set(releaseFile.key({ month: MONTH }), 'not read')
      .set(releaseTotals.key({ month: MONTH }), JSON.stringify(written));

    // Act
    const totals = await monthReleaseTotals(store, MONTH);

    // Assess
    expect(totals).toEqual(written);
    expect(store.calls.open).toEqual([]);
    expect(store.calls.readBytes).toEqual([releaseTotals.key({ month: MONTH })]);
  });

  it('adds up the release candidate before approval, and has nothing for a month with neither', async () => {
    // Prepare
    const candidate =
      csvLine([
        'payment_ref',
        'batch',
        'row',
        'id_number',
        'name',
        'account_number',
        'amount',
        'category',
        'town',
      ]) +
      csvLine([
        '2026-10-shiqi-000001',
        'shiqi',
        1,
        '44200019800101123X',
        '张三',
        '6222',
        '520.00',
        'DIBAO',
        'SHIQI',
      ]);
    const store = new MemoryObjectStore().set(releaseCandidate.key({ month: MONTH }), candidate);

    // Act
    const before = await monthReleaseTotals(store, MONTH);
    const other = await monthReleaseTotals(store, '2026-09');

    // Assess
    expect(before).toMatchObject({ rows: 1, amountFen: 52_000, byTown: [{ code: 'SHIQI', recipients: 1 }] });
    expect(other).toBeUndefined();
  });
});
