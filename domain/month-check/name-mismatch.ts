import { cleanValue } from '#schemas/clean-value.ts';
import { bilingual, cite } from './finding-detail.ts';
import type { PayeeRow, RegistryRow } from './records.ts';

/**
 * `NAME_MISMATCH` (contract 3.3, REVIEW): the roster `name` differs from the registry's after
 * trimming both (the white space of contract 2). Otherwise exact: no case folding, no
 * traditional/simplified or full-width folding — those are for a case worker to judge.
 * @returns the detail, or `undefined` when the names are the same.
 * @example '救助对象库姓名 张三，名册姓名 张叁（reference/registry.csv 第 17 行） / registry name 张三, roster 张叁 (reference/registry.csv line 17)'
 */
export function nameMismatch(row: PayeeRow, entry: RegistryRow): string | undefined {
  if (row.name === entry.name) return undefined;
  const registered = cleanValue(entry.name);
  const paid = cleanValue(row.name);
  if (registered === paid) return undefined;
  const source = cite(entry.source, entry.line);
  return bilingual(
    `救助对象库姓名 ${registered}，名册姓名 ${paid}${source.zh}`,
    `registry name ${registered}, roster ${paid}${source.en}`,
  );
}
