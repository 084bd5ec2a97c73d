import { Bool, DateDay, Dictionary, Field, Int8, Int32, Int64, Schema, Uint32, Utf8 } from 'apache-arrow';

/**
 * How the staged datasets (`staged/datasets/{dataset}/{snapshotId}.arrow`) are stored: one Arrow
 * IPC file per snapshot holding every staged row of every source file. A dataset's layout is
 * derived from its columns (see `defineDataset`); this file says how each kind of value is kept.
 *
 * Every file starts with the evidence columns:
 * - `source`: the bucket key of the file the row came from (dictionary of the snapshot's keys);
 * - `line`: its record number after the header (contract section 2).
 *
 * Then the dataset's columns, named as in the contract, holding the row schema's output:
 * - text: `Utf8`, `''` when empty; a nullable `Utf8` stores an empty value as null (`valid_from`,
 *   `valid_to`: null = open);
 * - amounts: `Int64` integer fen, the column name suffixed `_fen`; nullable where the value may
 *   be empty (social insurance);
 * - dates: `DateDay` (days since 1970-01-01); months: `Utf8` `YYYY-MM`;
 * - flags: `Bool`;
 * - codes (category, registry status): `Int8` dictionaries of the codes, in their fixed order.
 */

/** How one column's value is staged, and so what it reads back as (see {@link StagedValue}). */
export type StagedType =
  | { readonly kind: 'text'; readonly nullable: boolean }
  | { readonly kind: 'fen'; readonly nullable: boolean }
  | { readonly kind: 'date' }
  | { readonly kind: 'bool' }
  | { readonly kind: 'codes'; readonly codes: readonly string[] };

/** The value a staged column holds: what the row schema outputs and what reading gives back. */
export type StagedValue<T extends StagedType> = T extends { kind: 'text' }
  ? string
  : T extends { kind: 'fen'; nullable: false }
    ? number
    : T extends { kind: 'fen' }
      ? number | undefined
      : T extends { kind: 'date' }
        ? string
        : T extends { kind: 'bool' }
          ? boolean
          : T extends { kind: 'codes'; codes: readonly (infer C)[] }
            ? C
            : never;

/** One staged column: its Arrow field, and the row schema output key it is filled from. */
export interface StagedColumn {
  readonly field: Field;
  readonly rowKey: string;
  readonly staged: StagedType;
  /** The fixed values of a dictionary column (the `source` dictionary is the snapshot's keys). */
  readonly dictionary?: readonly string[];
}

export interface DatasetArrowLayout {
  readonly schema: Schema;
  /** The columns after `source` and `line`, in schema order. */
  readonly columns: readonly StagedColumn[];
}

/** Dictionary id of `source`; the code columns take the next ones, in column order. */
const SOURCE_DICTIONARY_ID = 0;

export const SOURCE_TYPE = new Dictionary(new Utf8(), new Int32(), SOURCE_DICTIONARY_ID);

const EVIDENCE_FIELDS = [new Field('source', SOURCE_TYPE, false), new Field('line', new Uint32(), false)];

/**
 * The layout of a dataset whose columns, in contract order, are staged as `columns` says.
 * @example datasetArrowLayout([['id_number', { kind: 'text', nullable: false }]])
 */
export function datasetArrowLayout(columns: readonly (readonly [string, StagedType])[]): DatasetArrowLayout {
  let dictionaryId = SOURCE_DICTIONARY_ID;
  const staged = columns.map(([rowKey, type]): StagedColumn => {
    switch (type.kind) {
      case 'text':
        return { field: new Field(rowKey, new Utf8(), type.nullable), rowKey, staged: type };
      case 'fen':
        return { field: new Field(`${rowKey}_fen`, new Int64(), type.nullable), rowKey, staged: type };
      case 'date':
        return { field: new Field(rowKey, new DateDay(), false), rowKey, staged: type };
      case 'bool':
        return { field: new Field(rowKey, new Bool(), false), rowKey, staged: type };
      default: {
        // Code columns: each its own dictionary.
        dictionaryId++;
        const dictionary = new Dictionary(new Utf8(), new Int8(), dictionaryId);
        return { field: new Field(rowKey, dictionary, false), rowKey, staged: type, dictionary: type.codes };
      }
    }
  });
  return { schema: new Schema([...EVIDENCE_FIELDS, ...staged.map((c) => c.field)]), columns: staged };
}
