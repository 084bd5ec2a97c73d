import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paymentRef } from '#schemas/payment-ref.ts';

describe('paymentRef', () => {
  it('pads the row to at least 6 digits', () => {
    expect(paymentRef('2026-10', 'shiqi', 12)).toBe('2026-10-shiqi-000012');
    expect(paymentRef('2026-10', 'dq-02', 1_234_567)).toBe('2026-10-dq-02-1234567');
  });

  it('is the same for the same row and different for different rows (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2_000_000 }), fc.integer({ min: 1, max: 2_000_000 }), (a, b) => {
        expect(paymentRef('2026-10', 'b', a) === paymentRef('2026-10', 'b', b)).toBe(a === b);
      }),
    );
  });
});
