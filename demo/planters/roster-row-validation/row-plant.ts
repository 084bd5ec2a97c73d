import type { IdSet, Role, Row } from '#demo/model.ts';
import type { Rng } from '#demo/people.ts';

/** One planted validation problem (contract 3.2): the codes it raises and how a row gets it. */
export interface RowPlant {
  codes: string[];
  what: string;
  /** The roles of the towns whose roster it goes into (the first such town); any accepted roster when omitted. */
  roles?: Role[];
  /** Whether a free row suits the plant; any free row when omitted. */
  suits?: (row: Row, ids: IdSet) => boolean;
  apply: (row: Row, month: string, rng: Rng) => void;
}
