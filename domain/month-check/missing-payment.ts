import { formatFen } from '#schemas/money.ts';
import { categoryNames } from './category-groups.ts';
import type { CheckContext } from './check-context.ts';
import { bilingual, cite } from './finding-detail.ts';
import { isPayableInMonth } from './inactive-in-registry.ts';
import type { Person } from './person.ts';
import type { RegistryRow } from './records.ts';

/**
 * `MISSING_PAYMENT` (contract 3.3, REVIEW): a registry row that is `ACTIVE` and valid in the
 * month has no valid roster row with its (`id_number`, `category`) — whether the person has no
 * row at all, only rows that failed validation, or rows of another category. Raised also for a
 * person with a death record: the case worker closing the case wants to know.
 * @param person the person's valid rows this month; `undefined` when they have none.
 * @returns the detail, or `undefined` when the row is paid or not payable this month.
 * @example '救助对象库核定 低保（DIBAO）1180.00，镇街 shiqi，本月无有效发放行（reference/registry.csv 第 17 行） / registry approves DIBAO 1180.00 in town shiqi, no valid roster row this month (reference/registry.csv line 17)'
 */
export function missingPayment(
  entry: RegistryRow,
  person: Person | undefined,
  ctx: CheckContext,
): string | undefined {
  if (!isPayableInMonth(entry, ctx.month)) return undefined;
  if (person !== undefined && person.rowsIn(entry.category).length > 0) return undefined;
  const category = categoryNames(entry.category);
  const amount = formatFen(entry.approvedAmountFen);
  const source = cite(entry.source, entry.line);
  return bilingual(
    `救助对象库核定 ${category.zh}${amount}，镇街 ${entry.town}，本月无有效发放行${source.zh}`,
    `registry approves ${category.en} ${amount} in town ${entry.town}, no valid roster row this month${source.en}`,
  );
}

/**
 * The registry row's town named in a `MISSING_PAYMENT` detail written by {@link missingPayment}
 * (its English half: `… in town {town}, no valid roster row …`): the town whose office the case
 * goes to, since the finding has no roster row and so no batch.
 * @returns the town code, or `undefined` for a detail not written by {@link missingPayment}.
 */
export function missingPaymentTown(detail: string): string | undefined {
  return / in town (.+?), no valid roster row this month/.exec(detail)?.[1];
}
