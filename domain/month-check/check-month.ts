import type { Finding } from '#schemas/finding.ts';
import { type CheckFindingCode, severityOf } from '#schemas/finding-codes.ts';
import { accountMismatch } from './account-mismatch.ts';
import { amountMismatch } from './amount-mismatch.ts';
import { businessOwner } from './business-owner.ts';
import { type CheckContext, checkContext } from './check-context.ts';
import { deathFinding } from './deceased.ts';
import { duplicatePayment } from './duplicate-payment.ts';
import { employed } from './employed.ts';
import { exclusiveCategories } from './exclusive-categories.ts';
import { inactiveInRegistry } from './inactive-in-registry.ts';
import { missingPayment } from './missing-payment.ts';
import { nameMismatch } from './name-mismatch.ts';
import { notInRegistry } from './not-in-registry.ts';
import { pensionIncome } from './pension-income.ts';
import { indexPeople, type Person } from './person.ts';
import type { MonthCheckInput, PayeeRow } from './records.ts';
import { sharedAccount } from './shared-account.ts';
import { townMismatch } from './town-mismatch.ts';
import { unfiledProxyAccount } from './unfiled-proxy-account.ts';
import { unfiledStaffRelative } from './unfiled-staff-relative.ts';

/**
 * Evaluates every check of contract 3.3 over the valid rows of the month, or over one partition
 * of them: a partition must hold every payee and registry record of its people and the partner
 * and register records of those of them paid this month (records of people not paid raise
 * nothing: they may be left out, and the proxy register may be whole or cut to the partition's
 * payees); `sharedAccounts` is a whole-month fact passed to every partition. Findings then do not
 * depend on the partitioning (the union over partitions is the result over everything).
 *
 * - Per row, in contract order: `NOT_IN_REGISTRY` (then `INACTIVE_IN_REGISTRY`,
 *   `AMOUNT_MISMATCH`, `TOWN_MISMATCH`, `ACCOUNT_MISMATCH`, `NAME_MISMATCH` are skipped, the
 *   partner and register checks are not), `DECEASED` or `DIED_IN_MONTH`, `DUPLICATE_PAYMENT`,
 *   `EXCLUSIVE_CATEGORIES`, `SHARED_ACCOUNT`, `UNFILED_PROXY_ACCOUNT`,
 *   `UNFILED_STAFF_RELATIVE`, `BUSINESS_OWNER`, `EMPLOYED`, `PENSION_INCOME`; each code at
 *   most once per row. Rows are assumed distinct by (`batch`, `row`), as staging makes them.
 * - Then `MISSING_PAYMENT` per registry row that is payable and unpaid, at most once per
 *   (`id_number`, `category`), with empty `batch` and no `row`.
 *
 * Findings come in input order (rows, then registry rows); sort with `compareFindings` for
 * `findings.csv`, or see {@link checkMonthFindings}. Linear: one index of people, records of people
 * not paid this month are dropped on the first look; nothing per row but Map lookups and short
 * scans of the person's own records.
 * @throws RangeError when `input.config.month` is not `YYYY-MM`.
 */
export function checkMonth(input: MonthCheckInput): Finding[] {
  return [...checkMonthFindings(input)];
}

/**
 * The findings of {@link checkMonth} one at a time, in the same order, so that a month whose rows
 * raise millions of them need not hold them all. A row's findings come in contract order, which
 * is `compareFindings` order: with payees in (`batch`, `row`) order, as staged rosters are read,
 * the row findings come sorted; the `MISSING_PAYMENT` findings follow, in registry order.
 * @throws RangeError when `input.config.month` is not `YYYY-MM`.
 */
export function* checkMonthFindings(input: MonthCheckInput): Generator<Finding> {
  const ctx = checkContext(input);
  const people = indexPeople(input);
  const findings: Finding[] = [];
  for (const row of input.payees) {
    const person = people.get(row.idNumber);
    if (person === undefined) continue;
    checkRow(row, person, ctx, findings);
    yield* findings;
    findings.length = 0;
  }
  const reported = new Set<string>();
  for (const entry of input.datasets.registry) {
    const detail = missingPayment(entry, people.get(entry.idNumber), ctx);
    if (detail === undefined) continue;
    const key = `${entry.idNumber}\t${entry.category}`;
    if (reported.has(key)) continue;
    reported.add(key);
    yield {
      month: ctx.month,
      batch: '',
      idNumber: entry.idNumber,
      category: entry.category,
      code: 'MISSING_PAYMENT',
      severity: severityOf('MISSING_PAYMENT'),
      detail,
    };
  }
}

function checkRow(row: PayeeRow, person: Person, ctx: CheckContext, out: Finding[]): void {
  const entry = person.registryRow(row.category);
  if (entry === undefined) add(out, ctx, row, 'NOT_IN_REGISTRY', notInRegistry(row, person));
  else {
    add(out, ctx, row, 'INACTIVE_IN_REGISTRY', inactiveInRegistry(entry, ctx));
    add(out, ctx, row, 'AMOUNT_MISMATCH', amountMismatch(row, entry));
    add(out, ctx, row, 'TOWN_MISMATCH', townMismatch(row, entry));
    add(out, ctx, row, 'ACCOUNT_MISMATCH', accountMismatch(row, entry));
    add(out, ctx, row, 'NAME_MISMATCH', nameMismatch(row, entry));
  }
  const death = deathFinding(person, ctx);
  if (death !== undefined) add(out, ctx, row, death.code, death.detail);
  add(out, ctx, row, 'DUPLICATE_PAYMENT', duplicatePayment(row, person));
  add(out, ctx, row, 'EXCLUSIVE_CATEGORIES', exclusiveCategories(row, person));
  add(out, ctx, row, 'SHARED_ACCOUNT', sharedAccount(row, ctx));
  add(out, ctx, row, 'UNFILED_PROXY_ACCOUNT', unfiledProxyAccount(row, ctx));
  add(out, ctx, row, 'UNFILED_STAFF_RELATIVE', unfiledStaffRelative(person));
  add(out, ctx, row, 'BUSINESS_OWNER', businessOwner(row, person));
  add(out, ctx, row, 'EMPLOYED', employed(row, person, ctx));
  add(out, ctx, row, 'PENSION_INCOME', pensionIncome(row, person, ctx));
}

function add(
  out: Finding[],
  ctx: CheckContext,
  row: PayeeRow,
  code: CheckFindingCode,
  detail: string | undefined,
): void {
  if (detail === undefined) return;
  out.push({
    month: ctx.month,
    batch: row.batch,
    row: row.row,
    idNumber: row.idNumber,
    category: row.category,
    code,
    severity: severityOf(code),
    detail,
  });
}
