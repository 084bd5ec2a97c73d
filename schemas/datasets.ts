import { z } from 'zod';
import { cleanValue } from '#domain/clean-value.ts';
import { isMonth } from '#domain/month.ts';
import { quoteValue } from '#domain/quote-value.ts';
import { partnerFile, registerFile, registryFile } from './bucket-layout.ts';
import { type CategoryCode, resolveCategory } from './categories.ts';
import { isCalendarDate, normalizeIdNumber, parseYuanToFen } from './dataset-values.ts';

/**
 * The reference, register and partner datasets of contract 2.3 that the month check reads
 * (the towns, the metrics and the bank returns have their own readers).
 *
 * A dataset is one file (`reference/registry.csv`, the two registers) or one partner folder
 * (every `.csv` file directly in it is read; a folder is one dataset, contract section 1).
 * Header names are the contract's English column names, matched case-insensitively after
 * trimming; extra columns are ignored. Each row is checked by the dataset's zod row schema, whose
 * input is the record's raw field texts keyed by column name (`undefined` for an absent optional
 * column) and whose output is the cleaned row: values trimmed (section 2), ID numbers upper-cased,
 * dates `YYYY-MM-DD` real calendar dates, months `YYYY-MM`, amounts yuan → integer fen.
 */

export const DATASET_NAMES = [
  'registry',
  'staff-relatives',
  'proxy-accounts',
  'deaths',
  'cremations',
  'business',
  'social-insurance',
] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

export const REGISTRY_STATUSES = ['ACTIVE', 'SUSPENDED', 'TERMINATED'] as const;
export type RegistryStatusCode = (typeof REGISTRY_STATUSES)[number];

/** Where a dataset's files are: one key, or every `.csv` file directly under a folder prefix. */
export type DatasetSource =
  | { readonly kind: 'file'; readonly key: string }
  | { readonly kind: 'folder'; readonly prefix: string };

export interface DatasetColumn {
  /** Contract column name (2.3). */
  readonly name: string;
  /**
   * A column the rules need: a file without it stops the month run (contract 2.3). Columns that
   * are only evidence (names, employer, filed dates …) may be absent; their values are then empty.
   */
  readonly required: boolean;
}

export interface DatasetDefinition<N extends DatasetName = DatasetName, S extends z.ZodType = z.ZodType> {
  readonly name: N;
  readonly source: DatasetSource;
  /**
   * For a single-file dataset: whether its absence stops the month run (`required`: the registry)
   * or just means no records (`optional`: the registers). A partner folder that is absent or
   * empty is always just empty.
   */
  readonly presence: 'required' | 'optional';
  /** Every contract column, required ones first. The row schema's keys are exactly these names. */
  readonly columns: readonly DatasetColumn[];
  readonly rowSchema: S;
  /** The output key of the date or month whose range the snapshot reports, if any. */
  readonly rangeKey?: string & keyof z.output<S>;
}

// ---------------------------------------------------------------------------------------------
// Field schemas. Messages are bilingual (Chinese / English), name the column and, except for ID
// numbers (sensitive), quote the value. They become the skip reasons of the snapshot.

type Ctx = z.core.$RefinementCtx<string | undefined>;

function fail(ctx: Ctx, input: string, message: string): never {
  ctx.issues.push({ code: 'custom', message, input });
  return z.NEVER;
}

const empty = (column: string) => `${column} 为空 / ${column} is empty`;

/** Any text, cleaned; `''` when empty or absent. */
const text = () => z.string().optional().transform(cleanValue);

/** Non-empty text, cleaned. */
const requiredText = (column: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const value = cleanValue(raw);
      return value === '' ? fail(ctx, value, empty(column)) : value;
    });

/** A non-empty ID number, cleaned and upper-cased (see `normalizeIdNumber`). */
const idNumber = (column: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const value = cleanValue(raw);
      return value === '' ? fail(ctx, value, empty(column)) : normalizeIdNumber(value);
    });

/** An ID number that may be empty, cleaned and upper-cased. */
const optionalIdNumber = () =>
  z
    .string()
    .optional()
    .transform((raw) => normalizeIdNumber(cleanValue(raw)));

/** A `YYYY-MM-DD` real calendar date. */
const date = (column: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const value = cleanValue(raw);
      if (isCalendarDate(value)) return value;
      return fail(
        ctx,
        value,
        value === ''
          ? empty(column)
          : `${column} ${quoteValue(value)} 不是有效日期 YYYY-MM-DD / ${column} ${quoteValue(value)} is not a real YYYY-MM-DD date`,
      );
    });

const notMonth = (column: string, value: string) =>
  `${column} ${quoteValue(value)} 不是有效月份 YYYY-MM / ${column} ${quoteValue(value)} is not a YYYY-MM month`;

/** A `YYYY-MM` month. */
const month = (column: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const value = cleanValue(raw);
      if (isMonth(value)) return value;
      return fail(ctx, value, value === '' ? empty(column) : notMonth(column, value));
    });

/** A `YYYY-MM` month, or `''` (an open bound). */
const optionalMonth = (column: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const value = cleanValue(raw);
      return value === '' || isMonth(value) ? value : fail(ctx, value, notMonth(column, value));
    });

const notAmount = (column: string, value: string) =>
  `${column} ${quoteValue(value)} 不是不超过两位小数的非负金额 / ${column} ${quoteValue(value)} is not a non-negative amount with at most 2 decimals`;

/** A non-negative amount in yuan, as integer fen (see `parseYuanToFen`). */
const amountFen = (column: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const value = cleanValue(raw);
      const fen = parseYuanToFen(value);
      if (fen !== undefined) return fen;
      return fail(ctx, value, value === '' ? empty(column) : notAmount(column, value));
    });

/** A non-negative amount in yuan as integer fen, or `undefined` when empty. */
const optionalAmountFen = (column: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx): number | undefined => {
      const value = cleanValue(raw);
      if (value === '') return undefined;
      const fen = parseYuanToFen(value);
      return fen !== undefined ? fen : fail(ctx, value, notAmount(column, value));
    });

/** A category code or Chinese label (contract 2.2), as its code. */
const category = (column: string) =>
  z
    .string()
    .optional()
    .transform((raw, ctx): CategoryCode => {
      const value = cleanValue(raw);
      const code = resolveCategory(value);
      if (code !== undefined) return code;
      return fail(
        ctx,
        value,
        value === ''
          ? empty(column)
          : `${column} ${quoteValue(value)} 不是救助类别 / ${column} ${quoteValue(value)} is not a category`,
      );
    });

/** A code of `codes`, matched case-insensitively, as written in `codes`. */
const code = <const C extends readonly string[]>(column: string, codes: C) =>
  z
    .string()
    .optional()
    .transform((raw, ctx): C[number] => {
      const value = cleanValue(raw);
      const upper = value.toUpperCase();
      if ((codes as readonly string[]).includes(upper)) return upper;
      return fail(
        ctx,
        value,
        value === ''
          ? empty(column)
          : `${column} ${quoteValue(value)} 不是 ${codes.join('/')} 之一 / ${column} ${quoteValue(value)} is not one of ${codes.join(', ')}`,
      );
    });

/** Text upper-cased (a code compared case-insensitively, unknown values kept). */
const upperText = () =>
  z
    .string()
    .optional()
    .transform((raw) => cleanValue(raw).toUpperCase());

/** `filed`: `Y` or `y` is filed; anything else, empty included, is not (contract 2.3). */
const filedFlag = () =>
  z
    .string()
    .optional()
    .transform((raw) => {
      const value = cleanValue(raw);
      return value === 'Y' || value === 'y';
    });

// ---------------------------------------------------------------------------------------------
// Row schemas.

/**
 * `reference/registry.csv`, the case system's snapshot (system of record). Every column is
 * required. A row is skipped (and counted, with its reason) when its ID is empty, its category
 * names no category, its status is not `ACTIVE`/`SUSPENDED`/`TERMINATED` (case-insensitive), its
 * `approved_amount` is not an amount, or `valid_from`/`valid_to` is neither a month nor empty.
 * A skipped registry row is reported in the snapshot, and its (id, category) then has no registry
 * row, so a payment for it is `NOT_IN_REGISTRY` (BLOCK): the safe direction.
 */
export const RegistryRowSchema = z.object({
  id_number: idNumber('id_number'),
  name: text(),
  household_id: text(),
  category: category('category'),
  approved_amount: amountFen('approved_amount'),
  status: code('status', REGISTRY_STATUSES),
  /** A town code, as written. */
  town: text(),
  account_number: text(),
  valid_from: optionalMonth('valid_from'),
  valid_to: optionalMonth('valid_to'),
});

/**
 * `registers/staff-relatives.csv`. A row without `relative_id_number` is skipped. `filed_date`
 * is evidence only (the rules read `filed`), kept as written.
 */
export const StaffRelativeRowSchema = z.object({
  staff_id: text(),
  staff_name: text(),
  relative_id_number: idNumber('relative_id_number'),
  relation: text(),
  filed: filedFlag(),
  filed_date: text(),
});

/**
 * `registers/proxy-accounts.csv`. A row without `account_number` or `payee_id_number` is skipped
 * (it can exempt no payment). `filed_date` is evidence only, kept as written.
 */
export const ProxyAccountRowSchema = z.object({
  account_number: requiredText('account_number'),
  payee_id_number: idNumber('payee_id_number'),
  holder_id_number: optionalIdNumber(),
  filed_date: text(),
});

/** `partners/deaths/*.csv`. A row whose `date_of_death` is not a date, or without ID, is skipped. */
export const DeathRowSchema = z.object({
  id_number: idNumber('id_number'),
  name: text(),
  date_of_death: date('date_of_death'),
});

/** `partners/cremations/*.csv`. A row whose `cremation_date` is not a date, or without ID, is skipped. */
export const CremationRowSchema = z.object({
  id_number: idNumber('id_number'),
  name: text(),
  cremation_date: date('cremation_date'),
  funeral_home: text(),
});

/**
 * `partners/business/*.csv`. `status` is upper-cased; a value other than `ACTIVE`, `CANCELLED`,
 * `REVOKED` is kept as written (it is simply not `ACTIVE`). A row without ID is skipped.
 */
export const BusinessRowSchema = z.object({
  id_number: idNumber('id_number'),
  company_name: text(),
  credit_code: text(),
  role: text(),
  status: upperText(),
});

/**
 * `partners/social-insurance/*.csv`. A row is skipped when its `month` is not `YYYY-MM`, when
 * `contribution_base` or `pension_amount` is set but not an amount, or without ID. An empty amount
 * is `undefined` (no contribution, no pension that month).
 */
export const SocialInsuranceRowSchema = z.object({
  id_number: idNumber('id_number'),
  month: month('month'),
  employer: text(),
  contribution_base: optionalAmountFen('contribution_base'),
  pension_amount: optionalAmountFen('pension_amount'),
});

export type RegistryStagedRow = z.output<typeof RegistryRowSchema>;
export type StaffRelativeStagedRow = z.output<typeof StaffRelativeRowSchema>;
export type ProxyAccountStagedRow = z.output<typeof ProxyAccountRowSchema>;
export type DeathStagedRow = z.output<typeof DeathRowSchema>;
export type CremationStagedRow = z.output<typeof CremationRowSchema>;
export type BusinessStagedRow = z.output<typeof BusinessRowSchema>;
export type SocialInsuranceStagedRow = z.output<typeof SocialInsuranceRowSchema>;

// ---------------------------------------------------------------------------------------------
// Definitions.

const columns = (required: readonly string[], optional: readonly string[] = []): DatasetColumn[] => [
  ...required.map((name) => ({ name, required: true })),
  ...optional.map((name) => ({ name, required: false })),
];

function define<N extends DatasetName, S extends z.ZodObject>(
  definition: DatasetDefinition<N, S> & { readonly rowSchema: S },
): DatasetDefinition<N, S> {
  const keys = Object.keys(definition.rowSchema.shape).sort();
  const names = definition.columns.map((c) => c.name).sort();
  if (keys.join() !== names.join())
    throw new Error(`dataset ${definition.name}: columns and row schema differ`);
  return definition;
}

export const DATASETS = {
  registry: define({
    name: 'registry',
    source: { kind: 'file', key: registryFile.key() },
    presence: 'required',
    columns: columns([
      'id_number',
      'name',
      'household_id',
      'category',
      'approved_amount',
      'status',
      'town',
      'account_number',
      'valid_from',
      'valid_to',
    ]),
    rowSchema: RegistryRowSchema,
  }),
  'staff-relatives': define({
    name: 'staff-relatives',
    source: { kind: 'file', key: registerFile.key({ register: 'staff-relatives' }) },
    presence: 'optional',
    columns: columns(['relative_id_number', 'filed'], ['staff_id', 'staff_name', 'relation', 'filed_date']),
    rowSchema: StaffRelativeRowSchema,
  }),
  'proxy-accounts': define({
    name: 'proxy-accounts',
    source: { kind: 'file', key: registerFile.key({ register: 'proxy-accounts' }) },
    presence: 'optional',
    columns: columns(['account_number', 'payee_id_number'], ['holder_id_number', 'filed_date']),
    rowSchema: ProxyAccountRowSchema,
  }),
  deaths: define({
    name: 'deaths',
    source: { kind: 'folder', prefix: partnerFile.folder({ dataset: 'deaths' }) },
    presence: 'optional',
    columns: columns(['id_number', 'date_of_death'], ['name']),
    rowSchema: DeathRowSchema,
    rangeKey: 'date_of_death',
  }),
  cremations: define({
    name: 'cremations',
    source: { kind: 'folder', prefix: partnerFile.folder({ dataset: 'cremations' }) },
    presence: 'optional',
    columns: columns(['id_number', 'cremation_date'], ['name', 'funeral_home']),
    rowSchema: CremationRowSchema,
    rangeKey: 'cremation_date',
  }),
  business: define({
    name: 'business',
    source: { kind: 'folder', prefix: partnerFile.folder({ dataset: 'business' }) },
    presence: 'optional',
    columns: columns(['id_number', 'status'], ['company_name', 'credit_code', 'role']),
    rowSchema: BusinessRowSchema,
  }),
  'social-insurance': define({
    name: 'social-insurance',
    source: { kind: 'folder', prefix: partnerFile.folder({ dataset: 'social-insurance' }) },
    presence: 'optional',
    columns: columns(['id_number', 'month', 'contribution_base', 'pension_amount'], ['employer']),
    rowSchema: SocialInsuranceRowSchema,
    rangeKey: 'month',
  }),
} as const satisfies { readonly [N in DatasetName]: DatasetDefinition<N> };

/** The cleaned row of a dataset, as its row schema outputs it and as it is staged. */
export type StagedRow<N extends DatasetName> = z.output<(typeof DATASETS)[N]['rowSchema']>;

/** Whether a file name is read as part of a partner folder: `.csv` (any case), not starting with `.`. */
export function isDatasetFileName(fileName: string): boolean {
  return fileName.length > 4 && !fileName.startsWith('.') && fileName.slice(-4).toLowerCase() === '.csv';
}

/**
 * The dataset a bucket key belongs to, or `undefined`: the exact key of a single-file dataset, or
 * a `.csv` file (any case, name not starting with `.`) directly in a partner folder. Files of a
 * partner folder that are not read (sub-folders, other extensions, dot files) belong to none:
 * they cannot change the dataset.
 * @example datasetOfKey('partners/deaths/2026-10.csv') // 'deaths'
 */
export function datasetOfKey(key: string): DatasetName | undefined {
  for (const name of DATASET_NAMES) {
    const source = DATASETS[name].source;
    if (source.kind === 'file') {
      if (key === source.key) return name;
      continue;
    }
    if (!key.startsWith(source.prefix)) continue;
    const fileName = key.slice(source.prefix.length);
    return !fileName.includes('/') && isDatasetFileName(fileName) ? name : undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Snapshot.

/** One source file of a snapshot: as listed, with what was read from it. */
export const DatasetSourceSchema = z.object({
  key: z.string(),
  etag: z.string(),
  size: z.number().int().nonnegative(),
  /** Rows staged. */
  rows: z.number().int().nonnegative(),
  /** Rows skipped because a value could not be parsed (blank records are not counted). */
  skipped: z.number().int().nonnegative(),
});

/** The first skipped rows, as evidence. `line` is the record number after the header (section 2). */
export const SkippedSampleSchema = z.object({
  key: z.string(),
  line: z.number().int().positive(),
  reason: z.string(),
});

/** Most skipped rows kept as samples in a snapshot. */
export const MAX_SKIPPED_SAMPLES = 100;

/**
 * One staging of a dataset (`staged/datasets/{dataset}/{snapshotId}.json`). The snapshot id is
 * derived from the sorted (key, ETag) list of its sources, so the same files give the same
 * snapshot. `missing` is set (and there is no staged file) when a single-file dataset's file is
 * absent: for the registry the month run must stop, for a register it means no records.
 */
export const DatasetSnapshotSchema = z.object({
  dataset: z.enum(DATASET_NAMES),
  snapshotId: z.string().regex(/^[0-9a-f]{16}$/),
  stagedAt: z.string(),
  sources: z.array(DatasetSourceSchema),
  rows: z.number().int().nonnegative(),
  skippedRows: z.number().int().nonnegative(),
  skippedSamples: z.array(SkippedSampleSchema).max(MAX_SKIPPED_SAMPLES),
  /** Earliest and latest date (or month) of the staged rows, for date-bearing datasets with rows. */
  dateRange: z.object({ from: z.string(), to: z.string() }).optional(),
  /** The Arrow IPC file of the staged rows; absent when `missing`. */
  stagedKey: z.string().optional(),
  missing: z.literal(true).optional(),
});

export type DatasetSnapshot<N extends DatasetName = DatasetName> = Omit<
  z.output<typeof DatasetSnapshotSchema>,
  'dataset'
> & { readonly dataset: N };
