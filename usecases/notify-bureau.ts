import { maskIdsInText } from '#domain/id-number.ts';
import { anomaliesCsv, anomaliesJson, monthPage } from '#schemas/bucket-layout.ts';
import type { Contacts } from '#schemas/contacts.ts';
import type { AnomalyRow } from '#schemas/metrics.ts';
import { allCases, caseOverdueDays, overdueCases, trailingCases } from './month-cases-view.ts';
import type { CaseStore, Notifier, ObjectStore } from './ports.ts';

/** At most this many overdue cases are listed one by one in the notice; the rest are counted per town. */
const OVERDUE_LINES = 50;

/**
 * The overdue-case lines of the notice: every open case of the trailing months older than
 * `caseOverdueDays`, counted per town, the oldest listed (IDs masked by the caller).
 */
async function overdueLines(
  month: string,
  deps: { store: ObjectStore; cases: CaseStore; now: () => string },
): Promise<{ count: number; lines: string[] }> {
  const days = await caseOverdueDays(deps.store);
  const overdue = overdueCases(allCases(await trailingCases(month, deps.cases)), deps.now(), days);
  if (overdue.length === 0) {
    return {
      count: 0,
      lines: [`逾期案件（超过 ${days} 天未办结）：无 / Overdue cases (open over ${days} days): none`],
    };
  }
  const perTown = new Map<string, number>();
  for (const c of overdue) perTown.set(c.town, (perTown.get(c.town) ?? 0) + 1);
  return {
    count: overdue.length,
    lines: [
      `逾期案件（超过 ${days} 天未办结）：${overdue.length} 件 / Overdue cases (open over ${days} days): ${overdue.length}`,
      ...[...perTown.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([town, n]) => `- ${town}: ${n}`),
      ...overdue
        .slice(0, OVERDUE_LINES)
        .map((c) => `  ${c.month} ${c.town} ${c.code} ${c.maskedId} ${c.ageDays} 天 / days (${c.caseId})`),
      ...(overdue.length > OVERDUE_LINES ? [`  … ${overdue.length - OVERDUE_LINES} more`] : []),
    ],
  };
}

/**
 * Tells the bureau what the month watch found: the towns and categories flagged, each with the
 * metric and its explanation (towns in the order of the watch, each town's categories after its
 * totals), or that nothing was flagged (and why, when there is no history yet).
 */
export async function notifyBureau(
  input: { month: string },
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
  const overdue = deps.cases
    ? await overdueLines(month, {
        store: deps.store,
        cases: deps.cases,
        now: deps.now ?? (() => new Date().toISOString()),
      })
    : undefined;
  await deps.notifier.send({
    to: deps.contacts.bureau,
    subject: `[payguard] ${input.month} 镇街指标监测 / town indicators: ${flagged.length} 项异常 / flagged`,
    text: maskIdsInText(
      [
        `${input.month} 月镇街指标监测结果 / Town indicators for ${input.month}:`,
        '',
        ...(flagged.length > 0 ? lines : ['未发现异常波动。 / No abnormal swing was flagged.']),
        ...(anomalies.note ? ['', anomalies.note] : []),
        ...(overdue ? ['', ...overdue.lines] : []),
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
