/**
 * The demonstration generator's own oracle of the checks on valid rows (contract 3.3): plain maps
 * over the rows and records exactly as the generator writes them, read the way the contract says
 * (values trimmed, codes case-insensitive, partner rows with a date or amount that cannot be
 * parsed skipped). It gives the manifest's `expectedChecks`, so it must follow the contract to the
 * letter and share nothing with the pipeline (no `domain/` import).
 */
import { CATEGORIES } from '#schemas/categories.ts';
import { CHECK_SEVERITIES } from '#schemas/finding-codes.ts';
import { addMonths, civilFromDays, type DemoTown, daysFromCivil } from './people.ts';

/** Every code of contract 3.3, in the contract's order. */
export const CHECK_CODES = Object.keys(CHECK_SEVERITIES) as (keyof typeof CHECK_SEVERITIES)[];

/** The register and partner datasets of contract 2.3 the checks read. */
export type DatasetName =
  | 'staff-relatives'
  | 'proxy-accounts'
  | 'deaths'
  | 'cremations'
  | 'business'
  | 'social-insurance';

/** The partner datasets whose rows are skipped when a date or amount cannot be parsed. */
export const PARTNER_DATASETS = ['deaths', 'cremations', 'business', 'social-insurance'] as const;

/** The contract's columns of each dataset (2.3). */
export const DATASET_COLUMNS: Record<DatasetName, readonly string[]> = {
  'staff-relatives': ['staff_id', 'staff_name', 'relative_id_number', 'relation', 'filed', 'filed_date'],
  'proxy-accounts': ['account_number', 'payee_id_number', 'holder_id_number', 'filed_date'],
  deaths: ['id_number', 'name', 'date_of_death'],
  cremations: ['id_number', 'name', 'cremation_date', 'funeral_home'],
  business: ['id_number', 'company_name', 'credit_code', 'role', 'status'],
  'social-insurance': ['id_number', 'month', 'employer', 'contribution_base', 'pension_amount'],
};

/** A valid roster row, its values cleaned and resolved (category and town as codes, amount in fen). */
export interface OracleRow {
  key: string;
  row: number;
  id: string;
  name: string;
  household: string;
  category: string;
  fen: number;
  town: string;
  account: string;
  holder: string;
}

export interface OracleRegistryRow {
  id: string;
  name: string;
  category: string;
  fen: number;
  status: string;
  town: string;
  account: string;
  validFrom: string;
  validTo: string;
}

/** One register or partner file as written: header and records, values as text. */
export interface DatasetTable {
  dataset: DatasetName;
  header: readonly string[];
  rows: readonly (readonly string[])[];
}

/** What the checks need from the register and partner files. */
export interface PartnerFacts {
  /** IDs of staff relatives with at least one row not filed. */
  unfiledRelatives: Set<string>;
  /** `account|payee_id` of the proxy register. */
  proxies: Set<string>;
  /** Earliest date of death or cremation per ID. */
  earliestDeath: Map<string, string>;
  /** IDs with an ACTIVE business record. */
  activeBusiness: Set<string>;
  insurance: { id: string; month: string; baseFen: number; pensionFen: number }[];
  skipped: Record<(typeof PARTNER_DATASETS)[number], number>;
}

export interface Thresholds {
  employedFen: number;
  pensionFen: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { employedFen: 230000, pensionFen: 150000 };

const WHITE = /^[ \t\n\r\f\v\u3000\u00a0]+|[ \t\n\r\f\v\u3000\u00a0]+$/g;

const isWhite = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0x3000 || c === 0xa0;

/** Contract 2: ASCII white space, U+3000 and U+00A0 trimmed. */
export function clean(value: string | undefined): string {
  if (!value) return '';
  return isWhite(value.charCodeAt(0)) || isWhite(value.charCodeAt(value.length - 1))
    ? value.replace(WHITE, '')
    : value;
}

/** A plain decimal amount in fen (digits, optionally `.` and 1–2 digits), else undefined. */
export function amountFen(value: string): number | undefined {
  const m = /^([0-9]+)(?:\.([0-9]{1,2}))?$/.exec(value);
  return m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : undefined;
}

/** Whether `value` is a real calendar date `YYYY-MM-DD`. */
export function isDate(value: string): boolean {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && civilFromDays(daysFromCivil(y, mo, d)) === `${m[1]}${m[2]}${m[3]}`;
}

const isMonth = (value: string) => /^[0-9]{4}-(0[1-9]|1[0-2])$/.test(value);

/** Reads the register and partner tables (several tables of one dataset are one dataset). */
export function readPartnerTables(tables: readonly DatasetTable[]): PartnerFacts {
  const facts: PartnerFacts = {
    unfiledRelatives: new Set(),
    proxies: new Set(),
    earliestDeath: new Map(),
    activeBusiness: new Set(),
    insurance: [],
    skipped: { deaths: 0, cremations: 0, business: 0, 'social-insurance': 0 },
  };
  const death = (id: string, date: string) => {
    const known = facts.earliestDeath.get(id);
    if (known === undefined || date < known) facts.earliestDeath.set(id, date);
  };
  for (const table of tables) {
    const header = table.header.map((h) => clean(h).toLowerCase());
    const at = new Map(header.map((h, i) => [h, i]));
    for (const record of table.rows) {
      const get = (column: string) => clean(record[at.get(column) ?? -1]);
      const id = get(table.dataset === 'staff-relatives' ? 'relative_id_number' : 'id_number').toUpperCase();
      switch (table.dataset) {
        case 'staff-relatives':
          if (get('filed') !== 'Y' && get('filed') !== 'y') facts.unfiledRelatives.add(id);
          break;
        case 'proxy-accounts':
          facts.proxies.add(`${get('account_number')}|${get('payee_id_number').toUpperCase()}`);
          break;
        case 'deaths':
          if (isDate(get('date_of_death'))) death(id, get('date_of_death'));
          else facts.skipped.deaths++;
          break;
        case 'cremations':
          if (isDate(get('cremation_date'))) death(id, get('cremation_date'));
          else facts.skipped.cremations++;
          break;
        case 'business':
          if (get('status').toUpperCase() === 'ACTIVE') facts.activeBusiness.add(id);
          break;
        case 'social-insurance': {
          const baseFen = amountFen(get('contribution_base'));
          const pensionFen = amountFen(get('pension_amount'));
          if (baseFen === undefined || pensionFen === undefined || !isMonth(get('month')))
            facts.skipped['social-insurance']++;
          else facts.insurance.push({ id, month: get('month'), baseFen, pensionFen });
          break;
        }
      }
    }
  }
  return facts;
}

const CATEGORY_CODES = new Map(CATEGORIES.map((c) => [c.code.toLowerCase(), c.code as string]));
const CATEGORY_LABELS = new Map(CATEGORIES.flatMap((c) => c.labels.map((l) => [l, c.code as string])));
const MEANS_TESTED = new Set(CATEGORIES.filter((c) => c.meansTested).map((c) => c.code as string));
const EXCLUSIVE = new Set(CATEGORIES.filter((c) => c.exclusive).map((c) => c.code as string));

/** An ID as matched: a lower-case x upper-cased (allocates only when there is one). */
const upper = (id: string) => (id.includes('x') ? id.toUpperCase() : id);

/** Town code by code (lower case) and by Chinese name, for {@link oracleRow}. */
export function townDirectory(towns: readonly DemoTown[]): Map<string, string> {
  return new Map(towns.flatMap((t) => [[t.code, t.code] as const, [t.name, t.code] as const]));
}

/**
 * A valid roster row's values as the checks read them.
 * @throws Error when the category, amount or town does not resolve (the row is not valid).
 */
export function oracleRow(
  key: string,
  row: number,
  values: Record<string, string>,
  towns: ReadonlyMap<string, string>,
): OracleRow {
  const town = clean(values.town);
  const townCode = towns.get(town) ?? towns.get(town.toLowerCase());
  const category = clean(values.category);
  const categoryCode = CATEGORY_LABELS.get(category) ?? CATEGORY_CODES.get(category.toLowerCase());
  const fen = amountFen(clean(values.amount));
  if (townCode === undefined || categoryCode === undefined || fen === undefined)
    throw new Error(`${key}#${row} is not a valid row`);
  return {
    key,
    row,
    id: upper(clean(values.id_number)),
    name: clean(values.name),
    household: clean(values.household_id),
    category: categoryCode,
    fen,
    town: townCode,
    account: clean(values.account_number),
    holder: upper(clean(values.account_holder_id)),
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * The findings of contract 3.3 on `rows` (every valid row of the month): the count per code
 * (every code listed) and the codes per row (`key#row`, rows with at least one finding).
 */
export function expectChecks(
  month: string,
  rows: readonly OracleRow[],
  registry: readonly OracleRegistryRow[],
  facts: PartnerFacts,
  thresholds: Thresholds = DEFAULT_THRESHOLDS,
): { counts: Record<string, number>; byRow: Map<string, string[]> } {
  const counts: Record<string, number> = Object.fromEntries(CHECK_CODES.map((c) => [c, 0]));
  const byRow = new Map<string, string[]>();
  const add = (r: OracleRow, code: string) => {
    const at = `${r.key}#${r.row}`;
    const codes = byRow.get(at) ?? [];
    if (codes.includes(code)) return;
    codes.push(code);
    byRow.set(at, codes);
    counts[code] = (counts[code] ?? 0) + 1;
  };
  const inWindow = (r: OracleRegistryRow) =>
    (r.validFrom === '' || r.validFrom <= month) && (r.validTo === '' || month <= r.validTo);
  // Grouped by ID (a person has few rows): no composite keys to build and hash.
  const registryOf = groupBy(registry, (e) => e.id);
  const rowsOf = groupBy(rows, (r) => r.id);
  const firstHousehold = new Map<string, string>();
  const shared = new Set<string>();
  for (const r of rows) {
    const household = firstHousehold.get(r.account);
    if (household === undefined) firstHousehold.set(r.account, r.household);
    else if (household !== r.household) shared.add(r.account);
  }
  const previous = addMonths(month, -1);
  const employed = new Set<string>();
  const pensioned = new Set<string>();
  for (const s of facts.insurance) {
    if (s.month !== month && s.month !== previous) continue;
    if (s.baseFen >= thresholds.employedFen) employed.add(s.id);
    if (s.pensionFen >= thresholds.pensionFen) pensioned.add(s.id);
  }
  const first = `${month}-01`;
  const next = `${addMonths(month, 1)}-01`;

  for (const r of rows) {
    const same = rowsOf.get(r.id) ?? [];
    const entry = registryOf.get(r.id)?.find((e) => e.category === r.category);
    if (!entry) add(r, 'NOT_IN_REGISTRY');
    else {
      if (entry.status.toUpperCase() !== 'ACTIVE' || !inWindow(entry)) add(r, 'INACTIVE_IN_REGISTRY');
      if (r.fen !== entry.fen) add(r, 'AMOUNT_MISMATCH');
      if (r.town !== entry.town.toLowerCase()) add(r, 'TOWN_MISMATCH');
      if (r.account !== entry.account) add(r, 'ACCOUNT_MISMATCH');
      if (r.name !== entry.name) add(r, 'NAME_MISMATCH');
    }
    const died = facts.earliestDeath.get(r.id);
    if (died !== undefined && died < first) add(r, 'DECEASED');
    else if (died !== undefined && died < next) add(r, 'DIED_IN_MONTH');
    if (same.some((o) => o !== r && o.category === r.category)) add(r, 'DUPLICATE_PAYMENT');
    if (EXCLUSIVE.has(r.category) && same.some((o) => EXCLUSIVE.has(o.category) && o.category !== r.category))
      add(r, 'EXCLUSIVE_CATEGORIES');
    if (shared.has(r.account) && !facts.proxies.has(`${r.account}|${r.id}`)) add(r, 'SHARED_ACCOUNT');
    if (r.holder !== '' && r.holder !== r.id && !facts.proxies.has(`${r.account}|${r.id}`))
      add(r, 'UNFILED_PROXY_ACCOUNT');
    if (facts.unfiledRelatives.has(r.id)) add(r, 'UNFILED_STAFF_RELATIVE');
    if (MEANS_TESTED.has(r.category)) {
      if (facts.activeBusiness.has(r.id)) add(r, 'BUSINESS_OWNER');
      if (employed.has(r.id)) add(r, 'EMPLOYED');
      if (pensioned.has(r.id)) add(r, 'PENSION_INCOME');
    }
  }
  counts.MISSING_PAYMENT = registry.filter(
    (e) =>
      e.status.toUpperCase() === 'ACTIVE' &&
      inWindow(e) &&
      !rowsOf.get(e.id)?.some((r) => r.category === e.category),
  ).length;
  return { counts, byRow };
}
