import { bilingual, cite } from './finding-detail.ts';
import type { PayeeRow, RegistryRow } from './records.ts';

/**
 * `TOWN_MISMATCH` (contract 3.3): the roster's town (as a code) differs from the registry's.
 * Town codes match case-insensitively (contract 2), so the registry's `SHIQI` is the roster's
 * `shiqi`; the registry is not resolved against `reference/towns.csv`, so a registry that names
 * the town by its Chinese name differs.
 * @returns the detail, or `undefined` when the towns are the same.
 * @example '救助对象库镇街 dq02，名册镇街 shiqi（reference/registry.csv 第 17 行） / registry town dq02, roster shiqi (reference/registry.csv line 17)'
 */
export function townMismatch(row: PayeeRow, entry: RegistryRow): string | undefined {
  if (row.town === entry.town || row.town.toLowerCase() === entry.town.toLowerCase()) return undefined;
  const source = cite(entry.source, entry.line);
  return bilingual(
    `救助对象库镇街 ${entry.town}，名册镇街 ${row.town}${source.zh}`,
    `registry town ${entry.town}, roster ${row.town}${source.en}`,
  );
}
