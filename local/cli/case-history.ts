import { documentClient, s3Client } from '#adapters/clients.ts';
import { DynamoAuditLedger } from '#adapters/dynamo-audit-ledger.ts';
import { DynamoCaseStore } from '#adapters/dynamo-case-store.ts';
import { S3ObjectStore } from '#adapters/s3-object-store.ts';
import type { DemoCaseHistory } from '#demo/case-history.ts';
import { findingsToArrow } from '#formats/findings-arrow.ts';
import { findingsArrow } from '#schemas/bucket-layout.ts';
import { ENV } from '#schemas/tables.ts';
import { ChainedAuditTrail } from '#usecases/audit-chain.ts';
import { openMonthCases } from '#usecases/open-month-cases.ts';
import { recordCaseOutcome } from '#usecases/town-cases.ts';

const DAY_MS = 86_400_000;

/** What the history left in the case table. */
export interface SeededCaseHistory {
  readonly month: string;
  readonly opened: number;
  readonly closed: number;
}

/**
 * Gives the demonstration city its month before in the case table, as the pipeline and the town
 * officers would have left it: the month before's `findings.arrow` is written where its month run
 * writes it, its cases are opened by OpenMonthCases on a clock set `openedDaysAgo` days back, and
 * each officer's outcome is recorded by the desk's own use case (validated, conditional on the
 * version, audited) on the day she recorded it. The cases left open are overdue by now.
 */
export async function seedCaseHistory(
  history: DemoCaseHistory,
  input: { bucket: string; now: Date },
): Promise<SeededCaseHistory> {
  const cases = new DynamoCaseStore(documentClient(), process.env[ENV.caseTable] ?? '');
  const audit = new ChainedAuditTrail(
    new DynamoAuditLedger(documentClient(), process.env[ENV.auditTable] ?? ''),
  );
  const store = new S3ObjectStore(s3Client(), input.bucket);
  const openedAt = new Date(input.now.getTime() - history.openedDaysAgo * DAY_MS);
  const key = findingsArrow.key({ month: history.month });
  await store.put(
    key,
    findingsToArrow(history.cases.map((c) => c.finding)),
    'application/vnd.apache.arrow.file',
  );
  const result = await openMonthCases(
    { month: history.month, bucket: input.bucket, runId: 'demo-history', findingsArrowKey: key },
    { store, cases, audit, now: () => openedAt.toISOString() },
  );
  const opened = await cases.listMonth(history.month);
  let closed = 0;
  for (const { finding, officer } of history.cases) {
    if (officer === undefined) continue;
    const c = opened.find((o) => o.code === finding.code && o.idNumber === finding.idNumber);
    if (c === undefined)
      throw new Error(`the history's ${finding.code} case of ${finding.batch} was not opened`);
    const at = new Date(openedAt.getTime() + officer.afterDays * DAY_MS).toISOString();
    const saved = await recordCaseOutcome(
      {
        month: history.month,
        town: c.town,
        caseId: c.caseId,
        officer: `${c.town}@towns.example.gov.cn (${c.town})`,
        input: officer.outcome,
        expectedVersion: c.version,
      },
      { cases, audit, now: () => at },
    );
    if (saved.status !== 'saved')
      throw new Error(`the history's ${finding.code} case of ${c.town} was not recorded: ${saved.status}`);
    closed++;
  }
  return { month: history.month, opened: result.opened, closed };
}
