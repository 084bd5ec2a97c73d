import { maskIdsInText } from '#domain/id-number.ts';
import { anomaliesCsv, anomaliesJson, monthPage } from '#schemas/bucket-layout.ts';
import type { Contacts } from '#schemas/contacts.ts';
import type { AnomalyRow } from '#schemas/metrics.ts';
import type { OverdueSummary } from '#schemas/overdue-cases.ts';
import { overdueSummary, trailingCases, trailingOverdue } from './month-cases-view.ts';
import type { CaseStore, Notifier, ObjectStore } from './ports.ts';

/**
 * The overdue cases of the trailing months, listed from the case table: what WriteMonthPage passes
 * on when it ran first (see {@link notifyBureau}).
 */
async function listOverdue(
  month: string,
  deps: { store: ObjectStore; cases: CaseStore; now: () => string },
): Promise<OverdueSummary> {
  const overdue = await trailingOverdue(await trailingCases(month, deps.cases), deps);
  return overdueSummary(overdue.cases, overdue.days);
}

/** The overdue-case lines of the notice: the count per town, the oldest listed (IDs masked already). */
function overdueLines({ days, count, perTown, oldest }: OverdueSummary): string[] {
  if (count === 0)
    return [`逾期案件（超过 ${days} 天未办结）：无 / Overdue cases (open over ${days} days): none`];
  return [
    `逾期案件（超过 ${days} 天未办结）：${count} 件 / Overdue cases (open over ${days} days): ${count}`,
    ...perTown.map(({ town, count: n }) => `- ${town}: ${n}`),
    ...oldest.map((c) => `  ${c.month} ${c.town} ${c.code} ${c.maskedId} ${c.ageDays} 天 / days`),
    ...(count > oldest.length ? [`  … ${count - oldest.length} more`] : []),
  ];
}

/**
 * Tells the bureau what the month watch found: the towns and categories flagged, each with the
 * metric and its explanation (towns in the order of the watch, each town's categories after its
 * totals), or that nothing was flagged (and why, when there is no history yet); and the overdue
 * cases — those WriteMonthPage found for the page (`input.overdue`), so that the notice and the page
 * count the same cases, else listed from the case table (`deps.cases`).
 */
export async function notifyBureau(
  input: { month: string; overdue?: OverdueSummary | undefined },
  deps: {
    store: ObjectStore;
    notifier: Notifier;
    contacts: Pick<Contacts, 'bureau'>;
    /** The case table: with it, the notice lists the overdue cases (issue 11, item 6). */
    cases?: CaseStore;
    now?: () => string;
  },
): Promise<{ month: string; flagged: number; recipients: number; overdue?: number }> {
  const { month } = input;
  const bytes = await deps.store.readBytes(anomaliesJson.key({ month }));
  const anomalies = bytes
    ? (JSON.parse(Buffer.from(bytes).toString('utf8')) as { rows: AnomalyRow[]; note?: string })
    : { rows: [] as AnomalyRow[], note: 'no anomalies.json was written / 未生成异常检测结果' };
  const flagged = anomalies.rows.filter((r) => r.flagged);
  const lines = flagged.map(
    (r) => `- ${r.town} ${r.category ?? '全部类别 / all categories'} ${r.metric}: ${r.explanation}`,
  );
  const overdue =
    input.overdue ??
    (deps.cases
      ? await listOverdue(month, {
          store: deps.store,
          cases: deps.cases,
          now: deps.now ?? (() => new Date().toISOString()),
        })
      : undefined);
  await deps.notifier.send({
    to: deps.contacts.bureau,
    subject: `[payguard] ${input.month} 镇街指标监测 / town indicators: ${flagged.length} 项异常 / flagged`,
    text: maskIdsInText(
      [
        `${input.month} 月镇街指标监测结果 / Town indicators for ${input.month}:`,
        '',
        ...(flagged.length > 0 ? lines : ['未发现异常波动。 / No abnormal swing was flagged.']),
        ...(anomalies.note ? ['', anomalies.note] : []),
        ...(overdue ? ['', ...overdueLines(overdue)] : []),
        '',
        `详见 / Details: ${anomaliesCsv.key({ month })}, ${monthPage.key({ month })}`,
      ].join('\n'),
    ),
  });
  return {
    month: input.month,
    flagged: flagged.length,
    recipients: deps.contacts.bureau.length,
    ...(overdue ? { overdue: overdue.count } : {}),
  };
}
