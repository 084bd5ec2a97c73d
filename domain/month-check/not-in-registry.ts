import { REGISTRY } from '#schemas/datasets/registry.ts';
import { categoryNames } from './category-groups.ts';
import { bilingual, cite } from './finding-detail.ts';
import type { Person } from './person.ts';
import type { PayeeRow } from './records.ts';

/**
 * `NOT_IN_REGISTRY` (contract 3.3): the registry has no row for the row's (`id_number`,
 * `category`); the other registry checks are then skipped. The detail names the categories the
 * registry does hold for the person, if any: a roster with the wrong category is the usual cause.
 * @returns the detail, or `undefined` when the registry has the row.
 * @example '救助对象库无此人低保（DIBAO）记录；库中有特困（TEKUN）（reference/registry.csv） / no registry row for this ID in DIBAO; registry has TEKUN (reference/registry.csv)'
 */
export function notInRegistry(row: PayeeRow, person: Person): string | undefined {
  if (person.registryRow(row.category) !== undefined) return undefined;
  const category = categoryNames(row.category);
  const held = [...new Set((person.records('registry') ?? []).map((entry) => entry.category))].map(
    categoryNames,
  );
  const source = cite(REGISTRY.source.key);
  const zhHeld = held.length > 0 ? `；库中有${held.map((c) => c.zh).join('、')}` : '';
  const enHeld = held.length > 0 ? `; registry has ${held.map((c) => c.en).join(', ')}` : '';
  return bilingual(
    `救助对象库无此人${category.zh}记录${zhHeld}${source.zh}`,
    `no registry row for this ID in ${category.en}${enHeld}${source.en}`,
  );
}
