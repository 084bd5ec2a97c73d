import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { documentClient } from '#adapters/clients.ts';
import { DynamoAuditLedger } from '#adapters/dynamo-audit-ledger.ts';
import { decideApproval, openApproval } from '#local/cli/approval-browser.ts';
import { closeoutCsv, monthSummary, reissueCsv, releaseFile, releaseTotals } from '#schemas/bucket-layout.ts';
import { MONTH, monthRuns, seedMonth, sentLinks, untilWaiting } from '../support/gate-fixture.ts';
import { type IngestHarness, startIngestHarness } from '../support/local-harness.ts';
import { csv } from '../support/roster-builder.ts';

let h: IngestHarness;

const BANK_HEADER = ['payment_ref', 'account_number', 'amount', 'status', 'reason', 'value_date'];
const account = (seq: number) => `62220202${String(seq).padStart(11, '0')}`;
const ref = (row: number) => `${MONTH}-shiqi-${String(row).padStart(6, '0')}`;
const text = async (key: string) => Buffer.from((await h.get(key)) ?? new Uint8Array()).toString('utf8');
const codes = (closeout: string) =>
  closeout
    .trim()
    .split('\r\n')
    .slice(1)
    .map((line) => line.split(',').slice(0, 2).join(' '));

async function releaseMonth(rows: number): Promise<void> {
  await seedMonth(h, { rows, fourEyesThreshold: 1_000_000 });
  await untilWaiting(h, 'RequestApproval');
  const [{ link }] = sentLinks(h);
  await decideApproval(link, await openApproval(link), 'APPROVE');
  await untilWaiting(h, 'AwaitBankReturns');
}

beforeEach(async () => {
  h = await startIngestHarness();
});

afterEach(async () => {
  await h.stop();
});

describe('close-out in the month-run workflow', () => {
  it('resumes when the bank file lands, stays open while a payment is missing, closes when it comes', async () => {
    // Prepare
    await releaseMonth(3);
    // The release was added up beside it, for the month page.
    const release = (await h.get(releaseFile.key({ month: MONTH }))) as Uint8Array;
    expect(JSON.parse(await text(releaseTotals.key({ month: MONTH })))).toMatchObject({
      month: MONTH,
      releaseSha256: createHash('sha256').update(release).digest('hex'),
      rows: 3,
      amountFen: 354_000,
      byTown: [{ rows: 3, amountFen: 354_000, recipients: 3 }],
    });

    // Act: the bank returns two payments, one failed …
    await h.put(
      `bank-returns/${MONTH}/a-first.csv`,
      csv(BANK_HEADER, [
        [ref(1), account(1), '1180.00', 'SUCCESS', '', `${MONTH}-25`],
        [ref(2), account(2), '1180.00', 'FAILED', '账户已销户', `${MONTH}-25`],
      ]),
    );
    await untilWaiting(h, 'AwaitBankReturns');
    const open = await text(closeoutCsv.key({ month: MONTH }));
    // … then the missing one in a second file.
    await h.put(
      `bank-returns/${MONTH}/b-second.csv`,
      csv(BANK_HEADER, [[ref(3), account(3), '1180.00', 'SUCCESS', '', `${MONTH}-26`]]),
    );
    const output = await monthRuns(h).at(-1)?.result;

    // Assess
    expect(codes(open)).toEqual([`${ref(1)} PAID`, `${ref(2)} PAYMENT_FAILED`, `${ref(3)} NOT_RETURNED`]);
    expect(output).toEqual(expect.objectContaining({ closeout: expect.anything() }));
    expect(codes(await text(closeoutCsv.key({ month: MONTH })))).toEqual([
      `${ref(1)} PAID`,
      `${ref(2)} PAYMENT_FAILED`,
      `${ref(3)} PAID`,
    ]);
    expect(await text(reissueCsv.key({ month: MONTH }))).toContain('账户已销户');
    const summary = JSON.parse(await text(monthSummary.key({ month: MONTH })));
    expect(summary.closeout).toEqual(expect.objectContaining({ closed: true, state: 'CLOSED' }));
    const trail = (
      await new DynamoAuditLedger(documentClient(), process.env.AUDIT_TABLE_NAME ?? '').list(MONTH)
    ).map((e) => e.action);
    expect(trail).toEqual(
      expect.arrayContaining(['MONTH_RELEASED', 'BANK_RETURN_RECEIVED', 'CLOSEOUT_OPEN', 'MONTH_CLOSED']),
    );
  });

  it('reports every kind of wrong return and keeps the month open', async () => {
    // Prepare
    await releaseMonth(4);

    // Act
    await h.put(
      `bank-returns/${MONTH}/returns.csv`,
      csv(BANK_HEADER, [
        [ref(1), account(1), '1170.00', 'SUCCESS', '', `${MONTH}-25`],
        [ref(2), '6222999900000000002', '1180.00', 'SUCCESS', '', `${MONTH}-25`],
        [ref(3), account(3), '1180.00', 'PENDING', '', `${MONTH}-25`],
        [ref(1), account(1), '1170.00', 'SUCCESS', '', `${MONTH}-26`],
        [`${MONTH}-shiqi-000099`, account(9), '1180.00', 'SUCCESS', '', `${MONTH}-25`],
      ]),
    );
    await untilWaiting(h, 'AwaitBankReturns');

    // Assess
    expect(codes(await text(closeoutCsv.key({ month: MONTH })))).toEqual([
      `${ref(1)} PAID_AMOUNT_MISMATCH`,
      `${ref(1)} DUPLICATE_RETURN`,
      `${ref(2)} PAID_ACCOUNT_MISMATCH`,
      `${ref(3)} INVALID_RETURN`,
      `${ref(4)} NOT_RETURNED`,
      `${MONTH}-shiqi-000099 UNEXPECTED_RETURN`,
    ]);
    const summary = JSON.parse(await text(monthSummary.key({ month: MONTH })));
    expect(summary.closeout).toEqual(expect.objectContaining({ closed: false, state: 'OPEN' }));
  });
});
