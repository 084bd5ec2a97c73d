import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { seededRandom } from '#domain/sampling/seeded-random.ts';
import { monthMetrics, registryFile } from '#schemas/bucket-layout.ts';
import { METRICS_CSV_COLUMNS, type TownMonthMetrics } from '#schemas/metrics.ts';
import { addMonths, fenOfYuanFixed, yuanFixed } from './people.ts';
import { csvRecord } from './roster-csv.ts';

/** How many months of indicators the demonstration city has before its month. */
export const DEMO_HISTORY_MONTHS = 6;

/** The town whose recipients the history puts ~25% lower, so the month shows it jumping. */
export const DEMO_JUMP_TOWN = 'xiaolan';

/**
 * Seeds `metrics/{month}.csv` for the six months before the demonstration month (contract 1:
 * "history may be seeded"): each town's active registry recipients and approved amounts, with a
 * small seeded month-to-month wobble, except the jump town, which had ~25% fewer recipients —
 * so the month watch has a history to compare with and one town to flag.
 * @returns the keys written.
 */
export async function seedDemoMetricsHistory(
  dir: string,
  month: string,
  towns: readonly { code: string; population: number }[],
): Promise<string[]> {
  const registry = await readFile(join(dir, registryFile.key()), 'utf8');
  const [header, ...lines] = registry.split(/\r?\n/).filter((l) => l !== '');
  const columns = (header ?? '').split(',');
  const col = (name: string) => columns.indexOf(name);
  const perTown = new Map<string, { ids: Set<string>; amountFen: number }>();
  for (const line of lines) {
    const fields = line.split(',');
    if (fields[col('status')] !== 'ACTIVE') continue;
    const town = fields[col('town')] ?? '';
    const t = perTown.get(town) ?? { ids: new Set<string>(), amountFen: 0 };
    t.ids.add(fields[col('id_number')] ?? '');
    t.amountFen += fenOfYuanFixed(fields[col('approved_amount')] ?? '') ?? 0;
    perTown.set(town, t);
  }
  const random = seededRandom(`payguard demo metrics ${month}`);
  const keys: string[] = [];
  let m = month;
  for (let back = 1; back <= DEMO_HISTORY_MONTHS; back++) {
    m = addMonths(m, -1);
    const rows: TownMonthMetrics[] = towns.map((town) => {
      const t = perTown.get(town.code);
      const base = t?.ids.size ?? 0;
      const average = base > 0 ? (t?.amountFen ?? 0) / base : 0;
      const scale =
        (town.code === DEMO_JUMP_TOWN ? 0.8 : 1) * (1 - 0.004 * back + (random.next() - 0.5) * 0.01);
      const recipients = Math.max(0, Math.round(base * scale));
      return {
        month: m,
        town: town.code,
        recipients,
        totalAmountFen: Math.round(recipients * average),
        population: town.population,
      };
    });
    const key = monthMetrics.key({ month: m });
    await mkdir(join(dir, monthMetrics.folder()), { recursive: true });
    await writeFile(join(dir, key), indicatorsCsv(rows));
    keys.push(key);
  }
  return keys.reverse();
}

/** `metrics/{month}.csv` as contract 2.3 lays it out, written here, not by the parser's own module. */
function indicatorsCsv(rows: readonly TownMonthMetrics[]): string {
  return (
    csvRecord(METRICS_CSV_COLUMNS) +
    rows
      .map((r) => csvRecord([r.month, r.town, r.recipients, yuanFixed(r.totalAmountFen), r.population]))
      .join('')
  );
}
