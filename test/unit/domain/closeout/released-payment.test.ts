import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArrayFields } from '#domain/closeout/record-fields.ts';
import { releasedPaymentOf, releasedRefOf, releasedTermsOf } from '#domain/closeout/released-payment.ts';
import { RELEASE_CSV_COLUMNS, type ReleaseCsvColumn } from '#schemas/closeout.ts';

const indexOf = Object.fromEntries(RELEASE_CSV_COLUMNS.map((c, i) => [c, i])) as Record<
  ReleaseCsvColumn,
  number
>;

/** A value of a release record: good ones, padded ones, empty, and bad amounts and rows. */
const valueArb = fc.constantFrom(
  '',
  ' ',
  '\u3000',
  '2026-10-shiqi-000001',
  " '-x ",
  '1',
  '0',
  '01',
  '12',
  '355.00',
  '355.001',
  '-1.00',
  'abc',
  '张三',
  '6222000000000000001',
);

describe('releasedTermsOf', () => {
  it('reads the terms releasedPaymentOf reads, with the same problems and blank records', () => {
    fc.assert(
      fc.property(fc.array(valueArb, { minLength: 0, maxLength: 10 }), (fields) => {
        // Act
        const record = new ArrayFields().of(fields);
        const payment = releasedPaymentOf(record, indexOf);
        const terms = releasedTermsOf(record, indexOf);
        const ref = releasedRefOf(record, indexOf);

        // Assess
        if (payment === undefined || 'problem' in payment) expect(terms).toEqual(payment);
        else {
          const { paymentRef, row, accountNumber, amountFen } = payment;
          expect(terms).toEqual({ paymentRef, row, accountNumber, amountFen });
        }
        expect(ref === undefined).toBe(payment === undefined);
        if (payment !== undefined && !('problem' in payment)) expect(ref).toBe(payment.paymentRef);
        // A blank record is one whose every field is empty after cleaning.
        expect(payment === undefined).toBe(fields.every((f) => f.trim() === '' || f === '\u3000'));
      }),
      { numRuns: 500 },
    );
  });
});
