import type { CheckContext } from './check-context.ts';
import { bilingual, cite } from './finding-detail.ts';
import type { RegistryRow } from './records.ts';

/**
 * Whether the month lies in the registry row's [`valid_from`, `valid_to`]: both ends inclusive,
 * an empty end open. Months are `YYYY-MM`, so they compare as strings.
 */
export function isValidInMonth(entry: RegistryRow, month: string): boolean {
  return (
    (entry.validFrom === '' || entry.validFrom <= month) && (entry.validTo === '' || month <= entry.validTo)
  );
}

/** Whether a registry row is `ACTIVE` and valid in the month: it should be paid. */
export function isPayableInMonth(entry: RegistryRow, month: string): boolean {
  return entry.status === 'ACTIVE' && isValidInMonth(entry, month);
}

/**
 * `INACTIVE_IN_REGISTRY` (contract 3.3): the registry row's `status` is not `ACTIVE`, or the
 * month is outside [`valid_from`, `valid_to`]. The detail names each reason that applies.
 * @returns the detail, or `undefined` when the row is active and valid in the month.
 * @example '救助对象库状态 SUSPENDED（reference/registry.csv 第 17 行） / registry status SUSPENDED (reference/registry.csv line 17)'
 */
export function inactiveInRegistry(entry: RegistryRow, ctx: CheckContext): string | undefined {
  const active = entry.status === 'ACTIVE';
  const valid = isValidInMonth(entry, ctx.month);
  if (active && valid) return undefined;
  const zh: string[] = [];
  const en: string[] = [];
  if (!active) {
    zh.push(`状态 ${entry.status}`);
    en.push(`status ${entry.status}`);
  }
  if (!valid) {
    zh.push(`有效期 ${entry.validFrom || '不限'} 至 ${entry.validTo || '长期'}，不含 ${ctx.month}`);
    en.push(`valid ${entry.validFrom || 'open'} to ${entry.validTo || 'open'}, not ${ctx.month}`);
  }
  const source = cite(entry.source, entry.line);
  return bilingual(`救助对象库${zh.join('，')}${source.zh}`, `registry ${en.join(', ')}${source.en}`);
}
