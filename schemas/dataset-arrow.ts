import {
  Bool,
  type DataType,
  DateDay,
  Dictionary,
  Field,
  Int8,
  Int32,
  Int64,
  Schema,
  Uint32,
  Utf8,
} from 'apache-arrow';
import { CATEGORY_CODES } from './categories.ts';
import { type DatasetName, REGISTRY_STATUSES } from './datasets.ts';

/**
 * Arrow schemas of the staged datasets (`staged/datasets/{dataset}/{snapshotId}.arrow`), one IPC
 * file per snapshot holding every staged row of every source file.
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
 * - category and registry status: `Int8` dictionaries of their codes, in the order of
 *   {@link CATEGORY_CODES} and {@link REGISTRY_STATUSES}.
 */

/** One staged column: its Arrow field, and the row schema output key it is filled from. */
export interface StagedColumn {
  readonly field: Field;
  readonly rowKey: string;
  /** The fixed values of a dictionary column (the `source` dictionary is the snapshot's keys). */
  readonly dictionary?: readonly string[];
}

export interface DatasetArrowLayout {
  readonly schema: Schema;
  /** The columns after `source` and `line`, in schema order. */
  readonly columns: readonly StagedColumn[];
}

/** Dictionary ids: unique within a schema. */
const SOURCE_DICTIONARY_ID = 0;
const CATEGORY_DICTIONARY_ID = 1;
const STATUS_DICTIONARY_ID = 2;

export const SOURCE_TYPE = new Dictionary(new Utf8(), new Int32(), SOURCE_DICTIONARY_ID);
export const DATASET_CATEGORY_TYPE = new Dictionary(new Utf8(), new Int8(), CATEGORY_DICTIONARY_ID);
export const REGISTRY_STATUS_TYPE = new Dictionary(new Utf8(), new Int8(), STATUS_DICTIONARY_ID);

const EVIDENCE_FIELDS = [new Field('source', SOURCE_TYPE, false), new Field('line', new Uint32(), false)];

function column(
  name: string,
  type: DataType,
  options: { nullable?: boolean; rowKey?: string } = {},
): StagedColumn {
  return { field: new Field(name, type, options.nullable ?? false), rowKey: options.rowKey ?? name };
}

const text = (name: string) => column(name, new Utf8());
const fen = (rowKey: string, nullable = false) => column(`${rowKey}_fen`, new Int64(), { nullable, rowKey });

function layout(columns: readonly StagedColumn[]): DatasetArrowLayout {
  return { schema: new Schema([...EVIDENCE_FIELDS, ...columns.map((c) => c.field)]), columns };
}

export const REGISTRY_ARROW = layout([
  text('id_number'),
  text('name'),
  text('household_id'),
  { ...column('category', DATASET_CATEGORY_TYPE), dictionary: CATEGORY_CODES },
  fen('approved_amount'),
  { ...column('status', REGISTRY_STATUS_TYPE), dictionary: REGISTRY_STATUSES },
  text('town'),
  text('account_number'),
  column('valid_from', new Utf8(), { nullable: true }),
  column('valid_to', new Utf8(), { nullable: true }),
]);

export const STAFF_RELATIVES_ARROW = layout([
  text('staff_id'),
  text('staff_name'),
  text('relative_id_number'),
  text('relation'),
  column('filed', new Bool()),
  text('filed_date'),
]);

export const PROXY_ACCOUNTS_ARROW = layout([
  text('account_number'),
  text('payee_id_number'),
  text('holder_id_number'),
  text('filed_date'),
]);

export const DEATHS_ARROW = layout([text('id_number'), text('name'), column('date_of_death', new DateDay())]);

export const CREMATIONS_ARROW = layout([
  text('id_number'),
  text('name'),
  column('cremation_date', new DateDay()),
  text('funeral_home'),
]);

export const BUSINESS_ARROW = layout([
  text('id_number'),
  text('company_name'),
  text('credit_code'),
  text('role'),
  text('status'),
]);

export const SOCIAL_INSURANCE_ARROW = layout([
  text('id_number'),
  text('month'),
  text('employer'),
  fen('contribution_base', true),
  fen('pension_amount', true),
]);

export const DATASET_ARROW: { readonly [N in DatasetName]: DatasetArrowLayout } = {
  registry: REGISTRY_ARROW,
  'staff-relatives': STAFF_RELATIVES_ARROW,
  'proxy-accounts': PROXY_ACCOUNTS_ARROW,
  deaths: DEATHS_ARROW,
  cremations: CREMATIONS_ARROW,
  business: BUSINESS_ARROW,
  'social-insurance': SOCIAL_INSURANCE_ARROW,
};
