import { fenOfYuanFixed, yuanFixed } from './people.ts';
import { csvRecord } from './roster-csv.ts';

/** What the simulated bank did with a few payments, so every close-out code shows up. */
export interface DemoBankPlan {
  readonly failed: number;
  readonly amountMismatch: number;
  readonly accountMismatch: number;
  readonly notReturned: number;
  readonly duplicated: number;
  readonly invalid: number;
  readonly unexpected: number;
}

export const DEMO_BANK_PLAN: DemoBankPlan = {
  failed: 3,
  amountMismatch: 1,
  accountMismatch: 1,
  notReturned: 1,
  duplicated: 1,
  invalid: 1,
  unexpected: 1,
};

const FAILURE_REASONS = [
  '账户已销户 / account closed',
  '账户冻结 / account frozen',
  '户名不符 / name does not match',
];

/**
 * The bank's return file for a demonstration release (contract 2.3 `bank-returns`): every
 * payment paid, except a planned few that failed, came back with another amount or account, are
 * missing, were returned twice or garbled, plus a line for a payment never released. Which
 * payments is decided by their position in the release, so the same release gives the same file.
 */
export function simulateBankReturns(
  month: string,
  releaseCsv: string,
  plan: DemoBankPlan = DEMO_BANK_PLAN,
): { name: string; body: string } {
  const lines = releaseCsv.split('\r\n').filter((line) => line !== '');
  const header = (lines[0] ?? '').split(',');
  const at = (name: string) => header.indexOf(name);
  const payments = lines.slice(1).map((line) => line.split(','));
  const valueDate = `${month}-25`;
  const out = [csvRecord(['payment_ref', 'account_number', 'amount', 'status', 'reason', 'value_date'])];
  // Spread the planned cases over the release with a fixed stride.
  const stride = Math.max(1, Math.floor(payments.length / 12));
  const role = new Map<number, keyof DemoBankPlan>();
  let slot = 1;
  for (const key of [
    'failed',
    'amountMismatch',
    'accountMismatch',
    'notReturned',
    'duplicated',
    'invalid',
  ] as const) {
    for (let i = 0; i < plan[key] && slot * stride < payments.length; i++, slot++)
      role.set(slot * stride, key);
  }
  payments.forEach((p, index) => {
    const ref = p[at('payment_ref')] ?? '';
    const account = p[at('account_number')] ?? '';
    const amount = p[at('amount')] ?? '';
    switch (role.get(index)) {
      case 'failed':
        out.push(
          csvRecord([
            ref,
            account,
            amount,
            'FAILED',
            FAILURE_REASONS[index % FAILURE_REASONS.length],
            valueDate,
          ]),
        );
        return;
      case 'amountMismatch': {
        // The bank paid 10.00 yuan less than released (never below 0.00).
        const released = fenOfYuanFixed(amount);
        const paid = released === undefined ? amount : yuanFixed(Math.max(0, released - 1000));
        out.push(csvRecord([ref, account, paid, 'SUCCESS', '', valueDate]));
        return;
      }
      case 'accountMismatch':
        out.push(csvRecord([ref, `${account.slice(0, -4)}9999`, amount, 'SUCCESS', '', valueDate]));
        return;
      case 'notReturned':
        return;
      case 'duplicated':
        out.push(csvRecord([ref, account, amount, 'SUCCESS', '', valueDate]));
        out.push(csvRecord([ref, account, amount, 'SUCCESS', '重复回盘 / sent twice', valueDate]));
        return;
      case 'invalid':
        out.push(csvRecord([ref, account, amount, 'PENDING', '处理中 / in progress', valueDate]));
        return;
      default:
        out.push(csvRecord([ref, account, amount, 'SUCCESS', '', valueDate]));
    }
  });
  for (let i = 0; i < plan.unexpected; i++) {
    out.push(
      csvRecord([
        `${month}-unknown-${String(999_999 - i).padStart(6, '0')}`,
        '6222020000000000000',
        '500.00',
        'SUCCESS',
        '',
        valueDate,
      ]),
    );
  }
  return { name: `bank-return-${month}.csv`, body: out.join('') };
}
