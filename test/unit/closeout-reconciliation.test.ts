import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveBankReturnHeader, returnLineOf } from '#domain/closeout/bank-return-header.ts';
import type { CloseoutRow } from '#domain/closeout/closeout-row.ts';
import { reconcileCloseout } from '#domain/closeout/reconcile-closeout.ts';
import type { ReturnLine } from '#domain/closeout/return-line.ts';
import type { ReleasedPayment } from '#schemas/closeout.ts';

const A = 'bank-returns/2026-10/a.csv';
const B = 'bank-returns/2026-10/b.csv';
const ACCOUNT = '6222020200112233445';
const OTHER_ACCOUNT = '6228480000998877001';

/** A released payment of batch `shiqi`, row `n`, 520.00 yuan to {@link ACCOUNT} unless overridden. */
function payment(n: number, overrides: Partial<ReleasedPayment> = {}): ReleasedPayment {
  return {
    paymentRef: `2026-10-shiqi-${String(n).padStart(6, '0')}`,
    batch: 'shiqi',
    row: n,
    idNumber: '44200019800101123X',
    name: '张三',
    accountNumber: ACCOUNT,
    amountFen: 52_000,
    category: 'DIBAO',
    town: 'SHIQI',
    ...overrides,
  };
}

/** A return line paying `p` exactly, unless overridden. */
function line(
  source: string,
  row: number,
  p: ReleasedPayment,
  overrides: Partial<ReturnLine> = {},
): ReturnLine {
  return {
    source,
    row,
    paymentRef: p.paymentRef,
    accountNumber: p.accountNumber,
    amount: (p.amountFen / 100).toFixed(2),
    status: 'SUCCESS',
    reason: '',
    valueDate: '2026-10-25',
    ...overrides,
  };
}

const codes = (rows: readonly CloseoutRow[]) => rows.map((r) => [r.paymentRef, r.code]);

describe('reconcileCloseout: every code on planted data', () => {
  it('judges each released payment and each return line as contract 3.4 rules', () => {
    // Prepare
    const [paid, failed, short, elsewhere, silent, invalid] = [1, 2, 3, 4, 5, 6].map((n) => payment(n)) as [
      ReleasedPayment,
      ReleasedPayment,
      ReleasedPayment,
      ReleasedPayment,
      ReleasedPayment,
      ReleasedPayment,
    ];
    const stranger = payment(99);
    const lines = [
      line(A, 1, paid),
      line(A, 2, failed, { status: 'FAILED', reason: '账户已销户', valueDate: '' }),
      line(A, 3, short, { amount: '500' }),
      line(A, 4, elsewhere, { accountNumber: OTHER_ACCOUNT }),
      line(A, 5, invalid, { status: 'PENDING' }),
      line(A, 6, stranger, { amount: '88.8' }),
      line(A, 7, paid, { amount: '520.00' }),
    ];

    // Act
    const result = reconcileCloseout([paid, failed, short, elsewhere, silent, invalid], lines);

    // Assess
    expect(result.rows).toEqual([
      {
        paymentRef: paid.paymentRef,
        code: 'PAID',
        releasedAmountFen: 52_000,
        paidAmountFen: 52_000,
        detail: `${A} row 1: paid, value date 2026-10-25`,
        line: { source: A, row: 1 },
      },
      {
        paymentRef: paid.paymentRef,
        code: 'DUPLICATE_RETURN',
        releasedAmountFen: 52_000,
        paidAmountFen: 52_000,
        detail: `${A} row 7: payment_ref already returned at ${A} row 1`,
        line: { source: A, row: 7 },
      },
      {
        paymentRef: failed.paymentRef,
        code: 'PAYMENT_FAILED',
        releasedAmountFen: 52_000,
        detail: `${A} row 2: bank reason "账户已销户"`,
        line: { source: A, row: 2 },
      },
      {
        paymentRef: short.paymentRef,
        code: 'PAID_AMOUNT_MISMATCH',
        releasedAmountFen: 52_000,
        paidAmountFen: 50_000,
        detail: `${A} row 3: paid 500.00, released 520.00`,
        line: { source: A, row: 3 },
      },
      {
        paymentRef: elsewhere.paymentRef,
        code: 'PAID_ACCOUNT_MISMATCH',
        releasedAmountFen: 52_000,
        paidAmountFen: 52_000,
        detail: `${A} row 4: paid to account ****7001, released to account ****3445`,
        line: { source: A, row: 4 },
      },
      {
        paymentRef: silent.paymentRef,
        code: 'NOT_RETURNED',
        releasedAmountFen: 52_000,
        detail: 'no bank return line for this payment',
      },
      {
        paymentRef: invalid.paymentRef,
        code: 'INVALID_RETURN',
        releasedAmountFen: 52_000,
        detail: `${A} row 5: status "PENDING" is neither SUCCESS nor FAILED`,
        line: { source: A, row: 5 },
      },
      {
        paymentRef: stranger.paymentRef,
        code: 'UNEXPECTED_RETURN',
        paidAmountFen: 8_880,
        detail: `${A} row 6: payment_ref is not in this month's release (bank status SUCCESS)`,
        line: { source: A, row: 6 },
      },
    ]);
    expect(result.countsByCode).toEqual({
      PAID: 1,
      PAYMENT_FAILED: 1,
      PAID_AMOUNT_MISMATCH: 1,
      PAID_ACCOUNT_MISMATCH: 1,
      NOT_RETURNED: 1,
      UNEXPECTED_RETURN: 1,
      DUPLICATE_RETURN: 1,
      INVALID_RETURN: 1,
    });
    expect(result.reissue).toEqual([{ ...failed, reason: '账户已销户' }]);
    expect(result.closed).toBe(false);
    expect(result.totals).toEqual({
      releasedPayments: 6,
      releasedAmountFen: 312_000,
      paidAmountFen: 52_000 + 50_000 + 52_000,
      failedAmountFen: 52_000,
      notReturned: 1,
    });
  });

  it('masks both accounts of an account mismatch, and says when they differ before the last 4 digits', () => {
    // Prepare
    const p = payment(1);
    const typo = `${ACCOUNT.slice(0, 5)}9${ACCOUNT.slice(6)}`;

    // Act
    const result = reconcileCloseout([p], [line(A, 1, p, { accountNumber: typo })]);

    // Assess
    expect(result.rows.map((r) => r.detail)).toEqual([
      `${A} row 1: paid to account ****3445 (19 characters), released to account ****3445 (19 characters), different before the last 4 digits`,
    ]);
    expect(result.rows[0]?.detail).not.toContain(ACCOUNT);
  });

  it('names a failed payment without a reason as such, and keeps the empty reason on the re-issue list', () => {
    // Prepare
    const p = payment(1);

    // Act
    const result = reconcileCloseout([p], [line(A, 1, p, { status: 'FAILED', reason: '  ' })]);

    // Assess
    expect(result.rows[0]?.detail).toBe(`${A} row 1: payment failed, no bank reason given`);
    expect(result.reissue).toEqual([{ ...p, reason: '' }]);
  });
});

describe('reconcileCloseout: line order', () => {
  it('judges the first line by file name then row number, whatever order the lines come in', () => {
    // Prepare
    const p = payment(1);
    const q = payment(2);
    const lines = [
      line(B, 1, p, { status: 'FAILED', reason: '户名不符' }),
      line(A, 10, q, { status: 'FAILED', reason: '晚' }),
      line(A, 9, p),
      line(A, 2, q),
    ];

    // Act
    const result = reconcileCloseout([p, q], lines);

    // Assess
    expect(result.rows.map((r) => [r.paymentRef, r.code, r.line?.source, r.line?.row])).toEqual([
      [p.paymentRef, 'PAID', A, 9],
      [p.paymentRef, 'DUPLICATE_RETURN', B, 1],
      [q.paymentRef, 'PAID', A, 2],
      [q.paymentRef, 'DUPLICATE_RETURN', A, 10],
    ]);
    expect(result.reissue).toEqual([]);
  });

  it('lists released payments in release order, then lines of never-released refs in line order', () => {
    // Prepare
    const second = payment(2);
    const first = payment(7);
    const x = payment(50);
    const y = payment(40);
    const lines = [
      line(B, 1, x),
      line(A, 3, y, { status: 'FAILED', reason: '' }),
      line(A, 1, first),
      line(A, 2, x),
      line(B, 2, second),
    ];

    // Act
    const result = reconcileCloseout([second, first], lines);

    // Assess
    expect(codes(result.rows)).toEqual([
      [second.paymentRef, 'PAID'],
      [first.paymentRef, 'PAID'],
      [x.paymentRef, 'UNEXPECTED_RETURN'],
      [y.paymentRef, 'UNEXPECTED_RETURN'],
      [x.paymentRef, 'DUPLICATE_RETURN'],
    ]);
    expect(result.rows[4]).toEqual({
      paymentRef: x.paymentRef,
      code: 'DUPLICATE_RETURN',
      paidAmountFen: 52_000,
      detail: `${B} row 1: payment_ref already returned at ${A} row 2`,
      line: { source: B, row: 1 },
    });
    expect(result.rows[3]?.detail).toBe(
      `${A} row 3: payment_ref is not in this month's release (bank status FAILED)`,
    );
    expect(result.rows[3]?.paidAmountFen).toBeUndefined();
  });
});

describe('reconcileCloseout: the closed rule', () => {
  it('closes a month whose every payment is PAID or PAYMENT_FAILED and nothing else came back', () => {
    // Prepare
    const p = payment(1);
    const q = payment(2);

    // Act
    const result = reconcileCloseout(
      [p, q],
      [line(A, 1, p), line(A, 2, q, { status: 'failed', reason: 'x' })],
    );

    // Assess
    expect(result.closed).toBe(true);
    expect(codes(result.rows)).toEqual([
      [p.paymentRef, 'PAID'],
      [q.paymentRef, 'PAYMENT_FAILED'],
    ]);
  });

  it('closes a release without payments when the bank returned nothing', () => {
    // Act
    const result = reconcileCloseout([], []);

    // Assess
    expect(result).toMatchObject({ closed: true, rows: [], reissue: [] });
    expect(result.totals).toEqual({
      releasedPayments: 0,
      releasedAmountFen: 0,
      paidAmountFen: 0,
      failedAmountFen: 0,
      notReturned: 0,
    });
  });

  it.each([
    ['a payment not returned', [payment(1)], [] as ReturnLine[]],
    ['an unexpected line', [], [line(A, 1, payment(9))]],
    ['a duplicate line', [payment(1)], [line(A, 1, payment(1)), line(A, 2, payment(1))]],
    ['an invalid line', [payment(1)], [line(A, 1, payment(1)), line(A, 2, payment(2), { paymentRef: '' })]],
    ['an amount mismatch', [payment(1)], [line(A, 1, payment(1), { amount: '1' })]],
    ['an account mismatch', [payment(1)], [line(A, 1, payment(1), { accountNumber: OTHER_ACCOUNT })]],
  ])('keeps the month open with %s', (_, released, lines) => {
    // Act
    const result = reconcileCloseout(released, lines);

    // Assess
    expect(result.closed).toBe(false);
  });
});

describe('reconcileCloseout: readings the project decided', () => {
  it('gives a SUCCESS line with another amount and another account both mismatch rows', () => {
    // Prepare
    const p = payment(1);

    // Act
    const result = reconcileCloseout([p], [line(A, 4, p, { amount: '500.5', accountNumber: OTHER_ACCOUNT })]);

    // Assess
    expect(result.rows).toEqual([
      {
        paymentRef: p.paymentRef,
        code: 'PAID_AMOUNT_MISMATCH',
        releasedAmountFen: 52_000,
        paidAmountFen: 50_050,
        detail: `${A} row 4: paid 500.50, released 520.00`,
        line: { source: A, row: 4 },
      },
      {
        paymentRef: p.paymentRef,
        code: 'PAID_ACCOUNT_MISMATCH',
        releasedAmountFen: 52_000,
        paidAmountFen: 50_050,
        detail: `${A} row 4: paid to account ****7001, released to account ****3445`,
        line: { source: A, row: 4 },
      },
    ]);
    expect(result.totals.paidAmountFen).toBe(50_050);
  });

  it('judges an invalid first line as INVALID_RETURN: later lines are duplicates, the payment is not NOT_RETURNED', () => {
    // Prepare
    const p = payment(1);
    const lines = [line(B, 1, p), line(A, 8, p, { amount: '520.001' })];

    // Act
    const result = reconcileCloseout([p], lines);

    // Assess
    expect(result.rows).toEqual([
      {
        paymentRef: p.paymentRef,
        code: 'INVALID_RETURN',
        releasedAmountFen: 52_000,
        detail: `${A} row 8: amount "520.001" is not a plain decimal with at most 2 decimals`,
        line: { source: A, row: 8 },
      },
      {
        paymentRef: p.paymentRef,
        code: 'DUPLICATE_RETURN',
        releasedAmountFen: 52_000,
        paidAmountFen: 52_000,
        detail: `${B} row 1: payment_ref already returned at ${A} row 8`,
        line: { source: B, row: 1 },
      },
    ]);
    expect(result.totals.paidAmountFen).toBe(0);
  });

  it('finds a FAILED line with an empty amount invalid', () => {
    // Prepare
    const p = payment(1);

    // Act
    const result = reconcileCloseout(
      [p],
      [line(A, 1, p, { status: 'FAILED', amount: ' ', reason: '账户冻结' })],
    );

    // Assess
    expect(result.rows).toEqual([
      expect.objectContaining({ code: 'INVALID_RETURN', detail: `${A} row 1: amount is empty` }),
    ]);
    expect(result.reissue).toEqual([]);
  });

  it('reads status case-insensitively after trimming, and compares accounts as trimmed strings', () => {
    // Prepare
    const [p, q] = [payment(1), payment(2, { accountNumber: ` ${ACCOUNT}\u3000` })];
    const lines = [
      line(A, 1, p, { status: ' success ', accountNumber: `${ACCOUNT} ` }),
      line(A, 2, q, { status: 'Failed', reason: ' 账户已销户 ' }),
    ];

    // Act
    const result = reconcileCloseout([p, q], lines);

    // Assess
    expect(codes(result.rows)).toEqual([
      [p.paymentRef, 'PAID'],
      [q.paymentRef, 'PAYMENT_FAILED'],
    ]);
    expect(result.reissue[0]?.reason).toBe('账户已销户');
  });

  it('gives an invalid line of a never-released ref INVALID_RETURN then UNEXPECTED_RETURN, without paid amount', () => {
    // Prepare
    const stranger = payment(77);

    // Act
    const result = reconcileCloseout([], [line(A, 3, stranger, { status: '', amount: '1e3' })]);

    // Assess
    expect(result.rows).toEqual([
      {
        paymentRef: stranger.paymentRef,
        code: 'INVALID_RETURN',
        detail: `${A} row 3: status is empty; amount "1e3" is not a plain decimal with at most 2 decimals`,
        line: { source: A, row: 3 },
      },
      {
        paymentRef: stranger.paymentRef,
        code: 'UNEXPECTED_RETURN',
        detail: `${A} row 3: payment_ref is not in this month's release`,
        line: { source: A, row: 3 },
      },
    ]);
  });

  it('gives each line with an empty payment_ref INVALID_RETURN alone: no ref to be unexpected or duplicated', () => {
    // Prepare
    const p = payment(1);

    // Act
    const result = reconcileCloseout(
      [p],
      [line(A, 1, p), line(A, 2, p, { paymentRef: ' ' }), line(A, 3, p, { paymentRef: '' })],
    );

    // Assess
    expect(codes(result.rows)).toEqual([
      [p.paymentRef, 'PAID'],
      ['', 'INVALID_RETURN'],
      ['', 'INVALID_RETURN'],
    ]);
    expect(result.rows[1]?.detail).toBe(`${A} row 2: payment_ref is empty`);
  });

  it('reads 0.00 and amounts over 100000.00 as amounts (mismatches), not as invalid lines', () => {
    // Prepare
    const [p, q] = [payment(1), payment(2)];

    // Act
    const result = reconcileCloseout(
      [p, q],
      [line(A, 1, p, { amount: '0.00' }), line(A, 2, q, { amount: '250000' })],
    );

    // Assess
    expect(result.rows.map((r) => [r.code, r.paidAmountFen])).toEqual([
      ['PAID_AMOUNT_MISMATCH', 0],
      ['PAID_AMOUNT_MISMATCH', 25_000_000],
    ]);
  });

  it('stops on a release that lists a payment_ref twice', () => {
    // Act
    const act = () => reconcileCloseout([payment(1), payment(1)], []);

    // Assess
    expect(act).toThrow(RangeError);
  });
});

describe('bank return header and lines', () => {
  it('matches header names case-insensitively after trimming and names the missing required columns', () => {
    // Act
    const header = resolveBankReturnHeader(['\ufeff Payment_Ref ', 'STATUS', 'extra', 'Reason']);

    // Assess
    expect(header.indexOf).toEqual({ payment_ref: 0, status: 1, reason: 3 });
    expect(header.missing).toEqual(['account_number', 'amount']);
  });

  it('skips blank records and leaves absent or missing fields empty', () => {
    // Prepare
    const header = resolveBankReturnHeader(['payment_ref', 'account_number', 'amount', 'status']);

    // Act
    const blank = returnLineOf(A, 3, [' ', '\u3000', ''], header);
    const short = returnLineOf(A, 4, ['2026-10-shiqi-000001', ACCOUNT], header);

    // Assess
    expect(blank).toBeUndefined();
    expect(short).toEqual({
      source: A,
      row: 4,
      paymentRef: '2026-10-shiqi-000001',
      accountNumber: ACCOUNT,
      amount: '',
      status: '',
      reason: '',
      valueDate: '',
    });
  });
});

describe('reconcileCloseout properties', () => {
  const released = fc
    .uniqueArray(fc.integer({ min: 1, max: 30 }), { maxLength: 12 })
    .map((rows) => rows.map((n) => payment(n, { amountFen: 10_000 + n })));
  const lineArb = fc.record({
    source: fc.constantFrom(A, B),
    ref: fc.oneof(
      fc.integer({ min: 1, max: 40 }).map((n) => payment(n).paymentRef),
      fc.constantFrom('', ' '),
    ),
    status: fc.constantFrom('SUCCESS', ' success', 'FAILED', 'Failed ', 'PENDING', ''),
    amount: fc.oneof(
      fc.integer({ min: 1, max: 40 }).map((n) => ((10_000 + n) / 100).toFixed(2)),
      fc.constantFrom('', '0.00', '1,000', '100.001'),
    ),
    account: fc.constantFrom(ACCOUNT, OTHER_ACCOUNT, ''),
  });
  const world = fc
    .record({ released, lines: fc.array(lineArb, { maxLength: 30 }) })
    .map(({ released, lines }) => ({
      released,
      // Row numbers are unique per file; the order passed in is shuffled by the generator's own order.
      lines: lines.map(
        (l, i): ReturnLine => ({
          source: l.source,
          row: 100 - i,
          paymentRef: l.ref,
          accountNumber: l.account,
          amount: l.amount,
          status: l.status,
          reason: '',
          valueDate: '',
        }),
      ),
    }));

  it('gives every released payment one verdict (two for the double mismatch) and accounts for every line once', () => {
    fc.assert(
      fc.property(world, ({ released, lines }) => {
        const result = reconcileCloseout(released, lines);
        const releasedRefs = new Set(released.map((p) => p.paymentRef));

        for (const p of released) {
          const verdicts = result.rows
            .filter((r) => r.paymentRef === p.paymentRef && r.code !== 'DUPLICATE_RETURN')
            .map((r) => r.code);
          expect(
            verdicts.length === 1 ||
              (verdicts.length === 2 &&
                verdicts[0] === 'PAID_AMOUNT_MISMATCH' &&
                verdicts[1] === 'PAID_ACCOUNT_MISMATCH'),
          ).toBe(true);
        }

        // Every line is the subject of exactly one judgement: a verdict, a duplicate, an unexpected
        // (with its invalid row) or an invalid line without ref.
        const byLine = new Map<string, string[]>();
        for (const r of result.rows) {
          if (r.line === undefined) {
            expect(r.code).toBe('NOT_RETURNED');
            continue;
          }
          const key = `${r.line.source}#${r.line.row}`;
          byLine.set(key, [...(byLine.get(key) ?? []), r.code]);
        }
        expect([...byLine.keys()].sort()).toEqual(lines.map((l) => `${l.source}#${l.row}`).sort());
        for (const [key, lineCodes] of byLine) {
          const l = lines.find((x) => `${x.source}#${x.row}` === key) as ReturnLine;
          const ref = l.paymentRef.trim();
          if (ref === '') expect(lineCodes).toEqual(['INVALID_RETURN']);
          else if (!releasedRefs.has(ref) && !lineCodes.includes('DUPLICATE_RETURN')) {
            expect([['UNEXPECTED_RETURN'], ['INVALID_RETURN', 'UNEXPECTED_RETURN']]).toContainEqual(
              lineCodes,
            );
          } else if (lineCodes.includes('DUPLICATE_RETURN')) expect(lineCodes).toEqual(['DUPLICATE_RETURN']);
        }

        // Exactly the first line of each non-empty ref escapes DUPLICATE_RETURN.
        const refs = lines.map((l) => l.paymentRef.trim()).filter((r) => r !== '');
        expect(result.countsByCode.DUPLICATE_RETURN).toBe(refs.length - new Set(refs).size);
        const rowCount = Object.values(result.countsByCode).reduce((a, b) => a + b, 0);
        expect(rowCount).toBe(result.rows.length);
      }),
    );
  });

  it('closes the month exactly when every verdict is PAID or PAYMENT_FAILED and no other row exists', () => {
    fc.assert(
      fc.property(world, ({ released, lines }) => {
        const result = reconcileCloseout(released, lines);
        const settled = released.every((p) =>
          result.rows.some(
            (r) => r.paymentRef === p.paymentRef && (r.code === 'PAID' || r.code === 'PAYMENT_FAILED'),
          ),
        );
        const extra = result.rows.some((r) =>
          ['UNEXPECTED_RETURN', 'DUPLICATE_RETURN', 'INVALID_RETURN'].includes(r.code),
        );
        expect(result.closed).toBe(settled && !extra);
        expect(result.reissue.length).toBe(result.countsByCode.PAYMENT_FAILED);
      }),
    );
  });
});
