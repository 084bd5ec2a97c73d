import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { registryFile } from '#schemas/bucket-layout.ts';
import type { CaseOutcomeInput } from '#schemas/case.ts';
import type { Finding } from '#schemas/finding.ts';
import { CHECK_SEVERITIES, type CheckFindingCode } from '#schemas/finding-codes.ts';
import { addMonths, fenOfYuanFixed } from './people.ts';

/** A finding of the month before, and what its town's officer recorded for it (none: still open). */
export interface HistoryCase {
  readonly finding: Finding;
  readonly officer?: {
    readonly outcome: CaseOutcomeInput;
    /** Days after the case was opened that she recorded it. */
    readonly afterDays: number;
  };
}

/** The cases of the month before the demonstration month, to open and work as the city did. */
export interface DemoCaseHistory {
  readonly month: string;
  /** Days before the demonstration's run that the month before's cases were opened. */
  readonly openedDaysAgo: number;
  readonly cases: readonly HistoryCase[];
}

/** How many towns had cases the month before, and how many each. */
const HISTORY_TOWNS = 4;
const CASES_PER_TOWN = 6;

/** The month before's checks, one per case of a town, in this order. */
const CODES: readonly CheckFindingCode[] = [
  'EMPLOYED',
  'ACCOUNT_MISMATCH',
  'PENSION_INCOME',
  'BUSINESS_OWNER',
  'NAME_MISMATCH',
  'UNFILED_PROXY_ACCOUNT',
];

/** What the month before's check said, bilingual, no ID number (as `findings.csv` writes it). */
function detailOf(code: CheckFindingCode, month: string): string {
  switch (code) {
    case 'EMPLOYED':
      return `${month} 社保缴费记录显示在职 / employed per the social-insurance contributions of ${month}`;
    case 'ACCOUNT_MISMATCH':
      return `名册账号与救助对象库不一致 / roster account differs from the registry's`;
    case 'PENSION_INCOME':
      return `${month} 领取养老金 / pension paid in ${month}`;
    case 'BUSINESS_OWNER':
      return `市场主体登记为经营者 / registered as a business owner`;
    case 'NAME_MISMATCH':
      return `名册姓名与救助对象库不一致 / roster name differs from the registry's`;
    default:
      return `代领账户未备案 / proxy account not filed`;
  }
}

/**
 * The demonstration city's cases of the month before its month (issue 11: the bureau's view shows
 * overdue cases and money month by month, so the city needs a past): a few registry recipients of
 * a few towns flagged by the month before's checks, opened `openedDaysAgo` (35) days before the
 * run. Half were worked by the town's officer within days — a problem confirmed with money paid
 * in excess (two months of the recipient's amount) and recovered, an account corrected after a
 * month's amount was paid wrongly and recovered, one confirmed in order — and half are still open,
 * so they are overdue now. Read from the demonstration's
 * registry (`reference/registry.csv`), so the IDs, categories and amounts are the city's.
 */
export async function demoCaseHistory(dir: string, month: string): Promise<DemoCaseHistory> {
  const before = addMonths(month, -1);
  const registry = await readFile(join(dir, registryFile.key()), 'utf8');
  const [header, ...lines] = registry.split(/\r?\n/).filter((l) => l !== '');
  const columns = (header ?? '').split(',');
  const col = (name: string) => columns.indexOf(name);
  const perTown = new Map<string, string[][]>();
  for (const line of lines) {
    const fields = line.split(',');
    if (fields[col('status')] !== 'ACTIVE') continue;
    const town = fields[col('town')] ?? '';
    const rows = perTown.get(town) ?? [];
    rows.push(fields);
    perTown.set(town, rows);
  }
  // Every fifth town, from the second: spread over the city, the same on every run.
  const towns = [...perTown.keys()]
    .sort()
    .filter((_, i) => i % 5 === 1)
    .slice(0, HISTORY_TOWNS);
  const cases: HistoryCase[] = [];
  for (const town of towns) {
    const active = perTown.get(town) ?? [];
    // Recipients spread over the town's registry rows.
    const picked = Array.from(
      { length: Math.min(CASES_PER_TOWN, active.length) },
      (_, i) => active[Math.floor(((i + 0.5) * active.length) / CASES_PER_TOWN)] ?? [],
    );
    for (const [i, fields] of picked.entries()) {
      const code = CODES[i % CODES.length] as CheckFindingCode;
      const finding: Finding = {
        month: before,
        batch: town,
        row: 2 + i * 37,
        idNumber: fields[col('id_number')] ?? '',
        category: fields[col('category')] ?? '',
        code,
        severity: CHECK_SEVERITIES[code],
        detail: detailOf(code, before),
      };
      const amountFen = fenOfYuanFixed(fields[col('approved_amount')] ?? '') ?? 0;
      cases.push({ finding, ...officerWork(i, amountFen) });
    }
  }
  return { month: before, openedDaysAgo: 35, cases };
}

/** What the officer of a town recorded for its `i`-th case of the month before. */
function officerWork(i: number, amountFen: number): Pick<HistoryCase, 'officer'> {
  const overpaidFen = 2 * amountFen;
  switch (i) {
    case 0:
      return {
        officer: {
          afterDays: 6,
          outcome: {
            outcome: 'PROBLEM_CONFIRMED',
            action: 'CORRECTED',
            rootCause: 'VERIFICATION',
            money: { overpaidFen, underpaidFen: 0, wronglyPaidFen: 0, recoveredFen: overpaidFen },
          },
        },
      };
    case 1:
      return {
        officer: {
          afterDays: 3,
          outcome: {
            outcome: 'CORRECTED_RESUBMITTED',
            note: '账号已更正 / account corrected',
            money: { overpaidFen: 0, underpaidFen: 0, wronglyPaidFen: amountFen, recoveredFen: amountFen },
          },
        },
      };
    case 2:
      return {
        officer: {
          afterDays: 9,
          outcome: {
            outcome: 'CONFIRMED_IN_ORDER',
            note: '已入户核实，退休金已计入收入 / pension already counted as income',
          },
        },
      };
    default:
      return {};
  }
}
