import { z } from 'zod';
import { type DatasetArrowLayout, datasetArrowLayout, type StagedValue } from './dataset-arrow.ts';
import type { FieldKind } from './dataset-fields.ts';
import { type FieldReader, fieldReader } from './field-reader.ts';

/**
 * What describes a reference, register or partner dataset of contract 2.3, once: where its files
 * are, its columns (header names, whether the rules need them, the kind of value), whom a row is
 * about, and how a staged row becomes the record the month check works on. Everything else — the
 * zod row schema, the staged Arrow layout, the header rule — is derived from that here, so a new
 * partner dataset is one descriptor file (`schemas/datasets/*.ts`) plus the rule that reads it.
 */

/** Where a dataset's files are: one key, or every `.csv` file directly under a folder prefix. */
export type DatasetSource =
  | { readonly kind: 'file'; readonly key: string }
  | { readonly kind: 'folder'; readonly prefix: string };

/** One column of a dataset. */
export interface ColumnSpec<K extends FieldKind = FieldKind> {
  /** What the column holds: how a field is read and staged. */
  readonly kind: K;
  /**
   * A column the rules need: a file without it stops the month run (contract 2.3). Columns that
   * are only evidence (names, employer, filed dates …) may be absent; their values are then empty.
   * @default false
   */
  readonly required?: boolean;
  /**
   * Header names that stand for the column besides its contract (English) name, matched the same
   * way (contract 2: case-insensitively after trimming).
   * @default none — contract 2.3 names no aliases for these files.
   */
  readonly aliases?: readonly string[];
}

/** A dataset's columns by contract name, in contract order (the order of the staged file). */
export type ColumnSpecs = { readonly [column: string]: ColumnSpec };

type ValueOf<S extends ColumnSpec> = StagedValue<S['kind']['staged']>;

/** A row as the dataset's row schema outputs it, keyed by column name. */
export type DatasetRow<C extends ColumnSpecs> = { [K in keyof C]: ValueOf<C[K]> };

/**
 * One staged record batch read column by column: a getter per column, answering per row with the
 * value the row schema gave it, and the evidence columns `source` (the file's key) and `line`.
 * A getter decodes its column when first asked for: take the getters once per batch.
 */
export type StagedColumns<C extends ColumnSpecs> = {
  readonly [K in keyof C]: (i: number) => ValueOf<C[K]>;
} & {
  readonly source: (i: number) => string;
  readonly line: (i: number) => number;
};

/** The columns holding text, which can name a person. */
type TextColumn<C extends ColumnSpecs> = {
  [K in keyof C]: ValueOf<C[K]> extends string ? K : never;
}[keyof C] &
  string;

/** What a dataset's descriptor file writes. */
export interface DatasetSpec<
  N extends string,
  C extends ColumnSpecs,
  R extends object,
  S extends DatasetSource = DatasetSource,
> {
  readonly name: N;
  readonly source: S;
  /**
   * For a single-file dataset: whether its absence stops the month run (`required`: the registry)
   * or just means no records (`optional`: the registers). A partner folder that is absent or
   * empty is always just empty.
   * @default 'optional'
   */
  readonly presence?: 'required' | 'optional';
  readonly columns: C;
  /**
   * The column holding the ID number of the person a row is about: a row goes to that person's
   * partition of the month run, and a filtered load keeps it by that ID.
   */
  readonly person: TextColumn<C>;
  /**
   * Whether the rows of people not paid this month are still checked (the registry: a registry
   * row without payment is `MISSING_PAYMENT`). Otherwise they can raise nothing and are left out
   * of the month run's partitions.
   * @default false
   */
  readonly checksUnpaid?: boolean;
  /** The column of the date or month whose range a snapshot reports, if any. */
  readonly rangeKey?: keyof C & string;
  /**
   * The record of a staged row (what the month check rules read), given the batch's column
   * getters: take the getters first, once per batch, then return the per-row builder.
   */
  readonly record: (columns: StagedColumns<C>) => (i: number) => R;
  /** The ID number of the person a record is about: the {@link person} column's value. */
  readonly personOf: (record: Readonly<R>) => string;
}

/**
 * A dataset's descriptor as code that serves every dataset alike reads it (staging, loading,
 * partitioning): its spec and what is derived from it, without the dataset's own types.
 */
export interface DatasetDescriptor {
  readonly name: string;
  readonly source: DatasetSource;
  readonly presence: 'required' | 'optional';
  readonly columns: ColumnSpecs;
  /** Every column name, in contract order. */
  readonly columnNames: readonly string[];
  readonly person: string;
  readonly checksUnpaid?: boolean;
  readonly rangeKey?: string;
  /**
   * The row schema: input the record's raw field texts keyed by column name (`undefined` for an
   * absent optional column), output the cleaned row (contract 2, 2.3).
   */
  readonly rowSchema: z.ZodType<
    Readonly<Record<string, unknown>>,
    Readonly<Record<string, string | undefined>>
  >;
  /**
   * A reader per column, in column order, derived from the row schema's field schemas (see
   * `field-reader.ts`): a row is accepted, with these values, exactly when every reader accepts
   * its field, as the row schema would.
   */
  readonly fieldReaders: readonly FieldReader[];
  /** The Arrow layout of the staged snapshot. */
  readonly arrow: DatasetArrowLayout;
  readonly record: (columns: never) => (i: number) => object;
  readonly personOf: (record: never) => string;
}

/** A dataset's descriptor with the dataset's own types: what {@link defineDataset} returns. */
export type DefinedDataset<
  N extends string,
  C extends ColumnSpecs,
  R extends object,
  S extends DatasetSource = DatasetSource,
> = DatasetSpec<N, C, R, S> & {
  readonly presence: 'required' | 'optional';
  readonly columnNames: readonly (keyof C & string)[];
  readonly rowSchema: z.ZodType<DatasetRow<C>, Readonly<Record<string, string | undefined>>>;
  readonly fieldReaders: readonly FieldReader[];
  readonly arrow: DatasetArrowLayout;
};

/** The record type a descriptor maps its staged rows to. */
export type RecordOf<D> = D extends { readonly record: (columns: never) => (i: number) => infer R }
  ? Readonly<R>
  : never;

/**
 * Completes a dataset's spec with its row schema, the fast readers derived from the same field
 * schemas and its staged layout, all in column order.
 * @example defineDataset({ name: 'deaths', source: { kind: 'folder', prefix: 'partners/deaths/' }, columns: { id_number: { kind: idNumber, required: true } }, person: 'id_number', record: ({ id_number }) => (i) => ({ idNumber: id_number(i) }), personOf: (r) => r.idNumber })
 */
export function defineDataset<
  const N extends string,
  const C extends ColumnSpecs,
  R extends object,
  const S extends DatasetSource,
>(spec: DatasetSpec<N, C, R, S>): DefinedDataset<N, C, R, S> {
  const columnNames = Object.keys(spec.columns) as (keyof C & string)[];
  const specOf = (name: string) => spec.columns[name] as ColumnSpec;
  const fieldSchemas = columnNames.map((name) => specOf(name).kind.schema(name));
  return {
    ...spec,
    presence: spec.presence ?? 'optional',
    columnNames,
    rowSchema: z.object(
      Object.fromEntries(columnNames.map((name, c) => [name, fieldSchemas[c] as z.ZodType])),
    ) as unknown as DefinedDataset<N, C, R, S>['rowSchema'],
    fieldReaders: fieldSchemas.map((schema) => fieldReader(schema)),
    arrow: datasetArrowLayout(columnNames.map((name) => [name, specOf(name).kind.staged] as const)),
  };
}
