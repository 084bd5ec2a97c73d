import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PayeeRow } from '#domain/month-check/records.ts';
import { requiredApprovals } from '#domain/release/approvals-required.ts';
import { deceasedRecheck } from '#domain/release/deceased-recheck.ts';
import { paymentRef } from '#domain/release/payment-ref.ts';
import { releaseCsv, releaseRows, rowKey } from '#domain/release/release-file.ts';

const payee = (batch: string, row: number, overrides: Partial<PayeeRow> = {}): PayeeRow => ({
  batch,
  row,
  idNumber: '44200019600101001X',
  name: '张三',
  householdId: 'H1',
  category: 'DIBAO',
  amountFen: 118_000,
  town: 'shiqi',
  accountNumber: '6222020200000000001',
  accountHolderId: '',
  ...overrides,
});

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

describe('requiredApprovals', () => {
  it('needs two approvers at or above the threshold, one below', () => {
    expect(requiredApprovals(49_999_999, 50_000_000)).toBe(1);
    expect(requiredApprovals(50_000_000, 50_000_000)).toBe(2);
    expect(requiredApprovals(0, 0)).toBe(2);
  });
});

describe('release file', () => {
  it('releases every row not held, in order, as contract section 4 writes it', () => {
    // Prepare
    const rows = [payee('a', 1), payee('a', 2, { name: '李"四', amountFen: 5 }), payee('b', 1)];

    // Act
    const released = releaseRows(rows, new Set([rowKey('a', 1)]));
    const text = releaseCsv('2026-10', released);

    // Assess
    expect(text).toBe(
      'payment_ref,batch,row,id_number,name,account_number,amount,category,town\r\n' +
        '2026-10-a-000002,a,2,44200019600101001X,"李""四",6222020200000000001,0.05,DIBAO,shiqi\r\n' +
        '2026-10-b-000001,b,1,44200019600101001X,张三,6222020200000000001,1180.00,DIBAO,shiqi\r\n',
    );
  });

  it('gives the same bytes for the same rows (what an approval is bound to)', () => {
    const rows = [payee('a', 1), payee('a', 2)];
    expect(releaseCsv('2026-10', rows)).toBe(releaseCsv('2026-10', [...rows]));
  });
});

describe('deceasedRecheck', () => {
  const dead = (date: string) => ({
    idNumber: '44200019600101001X',
    date,
    kind: 'death' as const,
    source: 'partners/deaths/x.csv',
  });
  const cremated = (date: string) => ({
    idNumber: '44200019600101001X',
    date,
    kind: 'cremation' as const,
    source: 'partners/cremations/x.csv',
  });

  it('finds a payee now recorded dead before the month, by the earliest of both sources', () => {
    const found = deceasedRecheck('2026-10', [payee('a', 1)], {
      deaths: [dead('2026-10-05')],
      cremations: [cremated('2026-09-30')],
    });
    expect(found).toEqual([expect.objectContaining({ batch: 'a', row: 1 })]);
  });

  it('ignores a death inside the month (REVIEW, the release does not change) and other people', () => {
    const deaths = (date: string) => ({ deaths: [dead(date)], cremations: [] });
    expect(deceasedRecheck('2026-10', [payee('a', 1)], deaths('2026-10-01'))).toEqual([]);
    expect(
      deceasedRecheck('2026-10', [payee('a', 1, { idNumber: '442000196001010029' })], deaths('2026-01-01')),
    ).toEqual([]);
  });
});
