import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { documentClient } from '#adapters/clients.ts';
import { DynamoApprovalStore } from '#adapters/dynamo-approval-store.ts';
import { DynamoAuditLedger } from '#adapters/dynamo-audit-ledger.ts';
import { decideApproval, openApproval } from '#local/cli/approval-browser.ts';
import { runAsFunction } from '#local/stand-ins/function-context.ts';
import { DELIVER_DECISIONS_MODULE } from '#pipelines/standalone-functions.ts';
import { releaseFile } from '#schemas/bucket-layout.ts';
import { MONTH, monthRuns, seedMonth, sentLinks, untilWaiting } from '../support/gate-fixture.ts';
import { type IngestHarness, startIngestHarness } from '../support/local-harness.ts';

let h: IngestHarness;

const audit = () => new DynamoAuditLedger(documentClient(), process.env.AUDIT_TABLE_NAME ?? '').list(MONTH);
const approvals = () => new DynamoApprovalStore(documentClient(), process.env.STATE_TABLE_NAME ?? '');
const actions = async () => (await audit()).map((e) => e.action);

async function currentRequest() {
  const store = approvals();
  const id = await store.currentRequestId(MONTH);
  return id ? store.getRequest(MONTH, id) : undefined;
}

/** Runs the scheduled sweep as its Lambda would run: the handler module, as its function. */
async function sweep(): Promise<Record<string, number>> {
  const { handler } = (await import('#functions/deliver-decisions.ts')) as {
    handler: (event: unknown, context: unknown) => Promise<Record<string, number>>;
  };
  return runAsFunction(DELIVER_DECISIONS_MODULE, () =>
    handler({}, { functionName: `payguard-${DELIVER_DECISIONS_MODULE}`, awsRequestId: 'sweep' }),
  );
}

/** A Step Functions outage longer than every attempt of one request (each SDK call retries too). */
const OUTAGE = 1_000;

beforeEach(async () => {
  h = await startIngestHarness();
});

afterEach(async () => {
  await h.stop();
});

describe('delivering a stored decision', () => {
  it('delivers it at once when SendTaskSuccess fails once', async () => {
    // Prepare
    await seedMonth(h, { rows: 2, fourEyesThreshold: 1_000_000 });
    await untilWaiting(h, 'RequestApproval');
    const [li] = sentLinks(h);
    h.services.stepFunctions.failNext('SendTaskSuccess', 1);

    // Act
    const decided = await decideApproval(li.link, await openApproval(li.link), 'APPROVE');
    await untilWaiting(h, 'AwaitBankReturns');

    // Assess
    expect(decided.kind).toBe('RECORDED_APPROVED');
    expect((await currentRequest())?.delivery).toEqual(expect.objectContaining({ status: 'DELIVERED' }));
    expect(await h.get(releaseFile.key({ month: MONTH }))).toBeDefined();
  });

  it('keeps a decision that could not be delivered, and delivers it on the next visit of a link', async () => {
    // Prepare
    await seedMonth(h, { rows: 2, fourEyesThreshold: 1_000_000 });
    const wait = await untilWaiting(h, 'RequestApproval');
    const [li, zhao] = sentLinks(h);
    h.services.stepFunctions.failNext('SendTaskSuccess', OUTAGE);

    // Act: the decision is stored while Step Functions is down …
    const decided = await decideApproval(li.link, await openApproval(li.link), 'APPROVE');
    const during = await currentRequest();
    const stillWaiting = h.workflows.waitingAt(wait.executionArn)?.token === wait.token;
    h.services.stepFunctions.failNext('SendTaskSuccess', 0);
    // … and delivered when someone next opens a link of the request, even one no longer usable.
    const visit = await openApproval(zhao.link);
    await untilWaiting(h, 'AwaitBankReturns');

    // Assess
    expect(decided.kind).toBe('RECORDED_APPROVED');
    expect(stillWaiting).toBe(true);
    expect(during).toEqual(
      expect.objectContaining({
        status: 'APPROVED',
        delivery: expect.objectContaining({ status: 'PENDING', attempts: 4 }),
      }),
    );
    expect(during?.delivery?.lastError).toMatch(/InternalFailure|TransientStorageError/);
    expect(visit.status).toBe(409);
    expect((await currentRequest())?.delivery).toEqual(
      expect.objectContaining({ status: 'DELIVERED', attempts: 5 }),
    );
    expect(await actions()).toEqual(
      expect.arrayContaining(['APPROVAL_DELIVERY_DEFERRED', 'APPROVAL_DELIVERED', 'MONTH_RELEASED']),
    );
  });

  it('has the sweep deliver a rejection nobody visits again, and forget it once delivered', async () => {
    // Prepare
    await seedMonth(h, { rows: 2, fourEyesThreshold: 1_000_000 });
    await untilWaiting(h, 'RequestApproval');
    const [li] = sentLinks(h);
    h.services.stepFunctions.failNext('SendTaskSuccess', OUTAGE);
    await decideApproval(li.link, await openApproval(li.link), 'REJECT', '金额待核实');
    const waitingRun = monthRuns(h).at(-1);

    // Act
    const duringOutage = await sweep();
    h.services.stepFunctions.failNext('SendTaskSuccess', 0);
    const afterOutage = await sweep();
    await waitingRun?.result;
    const nextSweep = await sweep();

    // Assess
    expect(duringOutage).toEqual(expect.objectContaining({ checked: 1, deferred: 1, delivered: 0 }));
    expect(afterOutage).toEqual(expect.objectContaining({ checked: 1, delivered: 1 }));
    expect(nextSweep).toEqual(expect.objectContaining({ checked: 0 }));
    expect(await actions()).toEqual(expect.arrayContaining(['APPROVAL_DELIVERED', 'MONTH_HELD']));
    expect((await currentRequest())?.delivery?.status).toBe('DELIVERED');
  });

  it('records a step that is gone (timed out) instead of retrying it forever', async () => {
    // Prepare: the decision is stored during an outage, then the waiting step times out
    await seedMonth(h, { rows: 2, fourEyesThreshold: 1_000_000 });
    const wait = await untilWaiting(h, 'RequestApproval');
    const [li] = sentLinks(h);
    h.services.stepFunctions.failNext('SendTaskSuccess', OUTAGE);
    await decideApproval(li.link, await openApproval(li.link), 'APPROVE');
    h.services.stepFunctions.failNext('SendTaskSuccess', 0);
    h.services.broker.fail(wait.token, 'States.Timeout', 'Task timed out');
    await monthRuns(h).at(-1)?.result;

    // Act
    const swept = await sweep();

    // Assess
    expect(swept).toEqual(expect.objectContaining({ checked: 1, stepGone: 1 }));
    expect((await currentRequest())?.delivery?.status).toBe('STEP_GONE');
    const gone = (await audit()).find((e) => e.action === 'APPROVAL_STEP_GONE');
    expect(gone?.details).toEqual(
      expect.objectContaining({ decision: 'APPROVED', by: 'payguard:deliver-decisions' }),
    );
    expect(await h.get(releaseFile.key({ month: MONTH }))).toBeUndefined();
    expect(await actions()).toContain('MONTH_HELD');
  });
});
