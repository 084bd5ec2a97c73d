import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { contractKeys } from './contract/bucket-keys.ts';
import { paymentRefOf } from './contract/payment-ref.ts';
import { yuan } from './contract/yuan.ts';
import type { ReleaseModel } from './release-model.ts';

const HEADER = 'payment_ref,account_number,amount,status,reason,value_date';
const REASONS = [
  '账户已销户 / account closed',
  '账户冻结 / account frozen',
  '户名不符 / name does not match',
];

/** What the bank file holds, for the bench's report. */
export interface BankReturnStats {
  readonly files: number;
  readonly lines: number;
  /** Payments the generator expects released (its release model). */
  readonly expectedPayments: number;
  readonly expectedAmountFen: number;
}

/**
 * Writes the bank's return files of the month (contract 2.3 `bank-returns/{month}/`) for the
 * payments the generator's release model expects released, before any run: nearly every payment
 * paid, and at rates of 0.01–0.3 % the situations of contract 3.4 — failed, paid another amount or
 * to another account (or both), not returned, returned twice (the second time in the later file),
 * garbled (a status that is neither, an amount that does not parse, an empty amount or
 * `payment_ref`), and lines for payments that were held or never on a roster. Amounts are written
 * as banks do: 2 decimals, sometimes none; statuses sometimes in lower case.
 *
 * @param order the batch indices in release order (batch code order).
 * @returns counts of what was written.
 */
export async function writeBankReturns(options: {
  dir: string;
  month: string;
  batches: readonly string[];
  order: readonly number[];
  model: ReleaseModel;
  accountOf: (person: number) => string;
  rnd: () => number;
}): Promise<BankReturnStats> {
  const { dir, month, batches, model, accountOf, rnd } = options;
  await mkdir(dirname(join(dir, contractKeys.bankReturn(month, 'returns-1.csv'))), { recursive: true });
  const first = new BankFile(join(dir, contractKeys.bankReturn(month, 'returns-1.csv')));
  const second = new BankFile(join(dir, contractKeys.bankReturn(month, 'returns-2.csv')));
  const valueDate = `${month}-25`;
  const line = (ref: string, account: string, amount: string, status: string, reason = '') =>
    `${ref},${account},${amount},${status},${reason},${valueDate}`;
  const amountText = (fen: number) => (fen % 100 === 0 && rnd() < 0.2 ? String(fen / 100) : yuan(fen));
  const otherAccount = (account: string) =>
    `${account.slice(0, -4)}${account.endsWith('9999') ? '0000' : '9999'}`;

  let expectedPayments = 0;
  let expectedAmountFen = 0;
  for (const p of model.rows(options.order, true)) {
    expectedPayments++;
    expectedAmountFen += p.amountFen;
    const ref = paymentRefOf(month, batches[p.batch] as string, p.row);
    const account = accountOf(p.person);
    const paid = amountText(p.amountFen);
    const u = rnd();
    if (u < 0.003) first.add(line(ref, account, paid, 'FAILED', REASONS[Math.floor(rnd() * 3)]));
    else if (u < 0.0035) first.add(line(ref, account, yuan(Math.max(0, p.amountFen - 1000)), 'SUCCESS'));
    else if (u < 0.004) first.add(line(ref, otherAccount(account), paid, 'SUCCESS'));
    else if (u < 0.0041) first.add(line(ref, otherAccount(account), yuan(p.amountFen + 500), 'SUCCESS'));
    else if (u < 0.0046) {
      // not returned
    } else if (u < 0.0048) {
      first.add(line(ref, account, paid, 'SUCCESS'));
      second.add(line(ref, account, paid, 'SUCCESS', '重复回盘 / sent twice'));
    } else if (u < 0.0049) first.add(line(ref, account, paid, 'PENDING', '处理中 / in progress'));
    else if (u < 0.00495) first.add(line(ref, account, `"${paid.slice(0, 1)},${paid.slice(1)}"`, 'SUCCESS'));
    else if (u < 0.005) first.add(line(ref, account, '', 'FAILED', REASONS[0]));
    else first.add(line(ref, account, paid, rnd() < 0.01 ? 'success' : 'SUCCESS'));
    await first.flushIfFull();
    await second.flushIfFull();
  }
  // Payments the bank says it paid although they were held, or never on any roster.
  for (const p of model.rows(options.order, false)) {
    if (rnd() >= 0.002) continue;
    const ref = paymentRefOf(month, batches[p.batch] as string, p.row);
    second.add(line(ref, accountOf(p.person), yuan(p.amountFen), 'SUCCESS'));
  }
  second.add(line(paymentRefOf(month, 'unknown', 999_999), '6222020000000000000', '500.00', 'SUCCESS'));
  second.add(line('', '6222020000000000001', '500.00', 'SUCCESS'));
  await first.close();
  await second.close();
  return { files: 2, lines: first.lines + second.lines, expectedPayments, expectedAmountFen };
}

/** A bank return file written in 1 MiB pieces (CRLF, as banks' exports are). */
class BankFile {
  lines = 0;
  private buffer = `${HEADER}\r\n`;
  private readonly out;

  constructor(path: string) {
    this.out = createWriteStream(path);
  }

  add(line: string): void {
    this.buffer += `${line}\r\n`;
    this.lines++;
  }

  async flushIfFull(): Promise<void> {
    if (this.buffer.length < 1 << 20) return;
    if (!this.out.write(this.buffer)) await once(this.out, 'drain');
    this.buffer = '';
  }

  async close(): Promise<void> {
    this.out.end(this.buffer);
    await once(this.out, 'finish');
  }
}
