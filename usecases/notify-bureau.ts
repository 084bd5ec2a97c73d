import { maskIdsInText } from '#domain/id-number.ts';
import { anomaliesCsv, anomaliesJson, monthPage } from '#schemas/bucket-layout.ts';
import type { Contacts } from '#schemas/contacts.ts';
import type { AnomalyRow } from '#schemas/metrics.ts';
import type { Notifier, ObjectStore } from './ports.ts';

/**
 * Tells the bureau what the month watch found: the towns and categories flagged, each with the
 * metric and its explanation (towns in the order of the watch, each town's categories after its
 * totals), or that nothing was flagged (and why, when there is no history yet).
 */
export async function notifyBureau(
  input: { month: string },
  deps: { store: ObjectStore; notifier: Notifier; contacts: Pick<Contacts, 'bureau'> },
): Promise<{ month: string; flagged: number; recipients: number }> {
  const { month } = input;
  const bytes = await deps.store.readBytes(anomaliesJson.key({ month }));
  const anomalies = bytes
    ? (JSON.parse(Buffer.from(bytes).toString('utf8')) as { rows: AnomalyRow[]; note?: string })
    : { rows: [] as AnomalyRow[], note: 'no anomalies.json was written / 未生成异常检测结果' };
  const flagged = anomalies.rows.filter((r) => r.flagged);
  const lines = flagged.map(
    (r) => `- ${r.town} ${r.category ?? '全部类别 / all categories'} ${r.metric}: ${r.explanation}`,
  );
  await deps.notifier.send({
    to: deps.contacts.bureau,
    subject: `[payguard] ${input.month} 镇街指标监测 / town indicators: ${flagged.length} 项异常 / flagged`,
    text: maskIdsInText(
      [
        `${input.month} 月镇街指标监测结果 / Town indicators for ${input.month}:`,
        '',
        ...(flagged.length > 0 ? lines : ['未发现异常波动。 / No abnormal swing was flagged.']),
        ...(anomalies.note ? ['', anomalies.note] : []),
        '',
        `详见 / Details: ${anomaliesCsv.key({ month })}, ${monthPage.key({ month })}`,
      ].join('\n'),
    ),
  });
  return { month: input.month, flagged: flagged.length, recipients: deps.contacts.bureau.length };
}
