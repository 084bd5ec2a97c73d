import { cleanValue } from '#schemas/clean-value.ts';
import { parseRosterAmount, parseRosterTotal } from '#schemas/money.ts';
import type { RosterColumn } from '#schemas/roster-columns.ts';

/**
 * A roster's total line (contract 2): the record whose first non-empty field is `合计`, `总计`,
 * `小计` or `total`; it ends the data rows.
 */
export interface TotalLine {
  /** 1-based line (CSV record) or sheet row (XLSX) of the total line, as the officer sees it. */
  readonly line: number;
  /** Its first non-empty field, as written (cleaned): `合计`, `Total` … */
  readonly label: string;
  /** Its cleaned `amount` field; `''` when it states no amount (then nothing is checked). */
  readonly stated: string;
  /** The sum of the `amount` of the data rows above it whose amount is valid (2.1), integer fen. */
  readonly validAmountsFen: number;
}

/** What a total line's amount says against the valid amounts above it. */
export type TotalCheck =
  | { readonly kind: 'unstated' }
  | { readonly kind: 'equal'; readonly statedFen: number }
  | { readonly kind: 'different'; readonly statedFen: number; readonly differenceFen: number }
  | { readonly kind: 'unreadable'; readonly reason: string };

const TOTAL_LABELS = new Set(['合计', '总计', '小计', 'total']);

/**
 * The total-line label of a record: its first non-empty field (cleaned) when that is `合计`, `总计`,
 * `小计` or `total` in any case, else `undefined`. Only the first non-empty field counts: a remark
 * saying `合计` further right does not end the data. Cheap on a data row: one field is looked at.
 * @example totalLabel(['', ' 合计 ', '', '85632.50']) // '合计'
 */
export function totalLabel(fields: readonly string[]): string | undefined {
  for (const field of fields) {
    const value = cleanValue(field);
    if (value === '') continue;
    if (value.length === 2) return TOTAL_LABELS.has(value) ? value : undefined;
    return value.length === 5 && TOTAL_LABELS.has(value.toLowerCase()) ? value : undefined;
  }
  return undefined;
}

/**
 * The fen of a data row's amount when it is valid (contract 2.1: what counts towards the total,
 * whatever other findings the row has), else 0.
 */
export function validAmountFen(
  fields: readonly string[],
  indexOf: Partial<Record<RosterColumn, number>>,
): number {
  const at = indexOf.amount;
  if (at === undefined) return 0;
  const parsed = parseRosterAmount(cleanValue(fields[at]));
  return parsed.ok ? parsed.fen : 0;
}

/**
 * Checks a total line's amount (contract 2): it must be a plain decimal with at most 2 decimals
 * (no thousands separator) equal to the valid amounts above it; an empty amount is not checked.
 * @example checkTotal({ line: 40, label: '合计', stated: '85632.5', validAmountsFen: 8563250 })
 * // { kind: 'equal', statedFen: 8563250 }
 */
export function checkTotal(total: TotalLine): TotalCheck {
  if (total.stated === '') return { kind: 'unstated' };
  const parsed = parseRosterTotal(total.stated);
  if (!parsed.ok) return { kind: 'unreadable', reason: parsed.reason };
  return parsed.fen === total.validAmountsFen
    ? { kind: 'equal', statedFen: parsed.fen }
    : { kind: 'different', statedFen: parsed.fen, differenceFen: parsed.fen - total.validAmountsFen };
}
