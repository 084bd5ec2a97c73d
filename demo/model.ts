/**
 * The model of the demonstration data shared by the generator's parts: people, registry entries,
 * roster rows and town plans, and the helpers that make them. Like `people.ts` it does not
 * import `domain/`: the generator must not share code with the pipeline it exercises.
 */
import { CATEGORIES, type CategoryCode } from '#schemas/categories.ts';
import type { RosterColumn } from '#schemas/roster-columns.ts';
import {
  addMonths,
  birthDateBefore,
  chineseName,
  type DemoTown,
  makeId,
  type Rng,
  yuanFixed,
  yuanNatural,
} from './people.ts';

export type Status = 'ACTIVE' | 'SUSPENDED' | 'TERMINATED';

export interface Person {
  id: string;
  name: string;
  female: boolean;
  birth: string;
  account: string;
  household: string;
}

export interface Entry {
  person: Person;
  category: CategoryCode;
  /** Preferred Chinese label when the roster writes labels. */
  label: string;
  fen: number;
  status: Status;
  validFrom: string;
  validTo: string;
  town: DemoTown;
}

export type Column = RosterColumn;

export type Values = Record<Column, string>;

export type IdCell = 'lossy-plain' | 'lossy-exponent' | 'exact';

export interface Row {
  kind: 'row';
  entry: Entry;
  values: Values;
  plant?: { codes: string[]; what: string };
  edge?: string;
  /** A planted or deliberately harmless case of the checks on valid rows (contract 3.3). */
  check?: string;
  /** XLSX only: the ID is a number cell. */
  idCell?: IdCell;
}

export interface Blank {
  kind: 'blank';
  style: 'empty' | 'commas';
}

export type Rec = Row | Blank;

export type Role = 'csv' | 'gb18030' | 'xlsx' | 'missingColumns' | 'junk' | 'reupload';

export interface TownPlan {
  index: number;
  town: DemoTown;
  role: Role;
  rng: Rng;
  entries: Entry[];
  recs: Rec[];
  profile: Profile;
  dotfile: boolean;
}

export interface Profile {
  header: 'en' | 'en-caps' | 'zh' | 'zh-alt';
  bom: boolean;
  eol: '\r\n' | '\n';
  serial: boolean;
  phone: boolean;
  holder: boolean;
  remark: boolean;
  reorder: boolean;
  quoteAll: boolean;
  townStyle: 'code' | 'name' | 'mix' | 'upper';
  catStyle: 'code' | 'label' | 'mix';
  amountStyle: 'fixed' | 'natural' | 'mix';
  padded: boolean;
  /** A title and unit line above the header, a 合计 line and the lines to sign below the rows. */
  sheetTitle: boolean;
  fileName: string;
}

export const CATEGORY_BY_CODE = new Map(CATEGORIES.map((c) => [c.code, c]));
export const ACCOUNT_PREFIXES = ['622202', '622848', '621700', '623595', '622700', '621483'] as const;

export interface MakeContext {
  rng: Rng;
  town: DemoTown;
  index: number;
  month: string;
  ids: IdSet;
  accounts: Set<number>;
}

/**
 * Keys of the IDs in use: the 13 digits after `4420` (area suffix, birth date, sequence) as a
 * number, which is exact (< 2^53) and much cheaper to hash than the string.
 */
export class IdSet {
  private readonly keys = new Set<number>();

  private static key(id: string): number {
    return Number(id.slice(4, 17));
  }

  has(id: string): boolean {
    return this.keys.has(IdSet.key(id));
  }

  /** `Number(areaSuffix + birth) * 1000 + sequence`, the key of an ID being built. */
  hasKey(key: number): boolean {
    return this.keys.has(key);
  }

  add(id: string): void {
    this.keys.add(IdSet.key(id));
  }

  delete(id: string): void {
    this.keys.delete(IdSet.key(id));
  }
}

export function newId(ctx: MakeContext, birth: string, female: boolean): string {
  const area = ctx.rng.chance(0.7) ? '442000' : `4420${String((ctx.index % 23) + 1).padStart(2, '0')}`;
  const prefix = Number(area.slice(4) + birth) * 1000;
  for (;;) {
    const sequence = ctx.rng.int(0, 499) * 2 + (female ? 0 : 1);
    if (!ctx.ids.hasKey(prefix + sequence)) {
      const id = makeId(area, birth, sequence);
      ctx.ids.add(id);
      return id;
    }
  }
}

export function newAccount(ctx: MakeContext): string {
  for (;;) {
    const prefix = ctx.rng.int(0, ACCOUNT_PREFIXES.length - 1);
    const serial = ctx.rng.int(0, 999999) * 10000000 + ctx.rng.int(0, 9999999);
    const key = prefix * 1e13 + serial;
    if (!ctx.accounts.has(key)) {
      ctx.accounts.add(key);
      return `${ACCOUNT_PREFIXES[prefix]}${String(serial).padStart(13, '0')}`;
    }
  }
}

export function newPerson(
  ctx: MakeContext,
  household: string,
  minAge: number,
  maxAge: number,
  surname?: string,
  female?: boolean,
): Person {
  const isFemale = female ?? ctx.rng.chance(0.5);
  const days = ctx.rng.int(Math.ceil(minAge * 365.25) + 1, Math.floor((maxAge + 1) * 365.25) - 1);
  const birth = birthDateBefore(ctx.month, days);
  return {
    id: newId(ctx, birth, isFemale),
    name: chineseName(ctx.rng, isFemale, surname),
    female: isFemale,
    birth,
    account: newAccount(ctx),
    household,
  };
}

export function entryFor(
  ctx: MakeContext,
  person: Person,
  category: CategoryCode,
  fen: number,
  label?: string,
): Entry {
  const { rng, month } = ctx;
  const def = CATEGORY_BY_CODE.get(category);
  const temporary = category === 'TEMPORARY';
  return {
    person,
    category,
    label: label ?? rng.pick(def?.labels ?? [category]),
    fen,
    status: 'ACTIVE',
    validFrom: temporary ? month : rng.chance(0.03) ? '' : addMonths(month, -rng.int(0, 96)),
    validTo: temporary ? month : rng.chance(0.85) ? '' : addMonths(month, rng.int(0, 18)),
    town: ctx.town,
  };
}

export function elderlyFen(age: number): number {
  return age >= 100 ? 50000 : age >= 90 ? 20000 : 10000;
}

export const REMARKS = [
  '',
  '',
  '',
  '正常发放',
  '新纳入',
  '调标',
  '补发',
  '复核通过',
  '待年审',
  '代领',
] as const;

export function rowValues(entry: Entry, month: string, p: Profile, rng: Rng): Values {
  const { person } = entry;
  let id = person.id;
  if (id.endsWith('X') && rng.chance(0.3)) id = `${id.slice(0, 17)}x`;
  const pad = (v: string, chance: number, padding: string) =>
    (p.padded && rng.chance(chance) ? padding : '') + v + (p.padded && rng.chance(chance) ? padding : '');
  const category = categoryValue(p, entry.category, entry.label, rng);
  const amount = amountValue(p, entry.fen, rng);
  const town = townValue(p, entry.town, rng);
  return {
    id_number: pad(id, 0.01, ' '),
    name: pad(person.name, 0.02, rng.chance(0.5) ? '\u3000' : ' '),
    household_id: person.household,
    category,
    amount,
    month,
    town,
    account_number: pad(person.account, 0.02, ' '),
    account_holder_id: p.holder && rng.chance(0.015) ? id : '',
    remark: p.remark ? rng.pick(REMARKS) : '',
  };
}

/** A category as the roster of profile `p` writes it: code, lower-case code or Chinese label. */
export function categoryValue(p: Profile, category: CategoryCode, label: string, rng: Rng): string {
  const catCode = p.catStyle === 'code' || (p.catStyle === 'mix' && rng.chance(0.5));
  return catCode ? (p.catStyle === 'mix' && rng.chance(0.1) ? category.toLowerCase() : category) : label;
}

/** An amount in fen as the roster of profile `p` writes it (`1180.00` or `1180`). */
export function amountValue(p: Profile, fen: number, rng: Rng): string {
  const fixed = p.amountStyle === 'fixed' || (p.amountStyle === 'mix' && rng.chance(0.5));
  return fixed ? yuanFixed(fen) : yuanNatural(fen);
}

/** A town as the roster of profile `p` writes it: code, upper-case code or Chinese name. */
export function townValue(p: Profile, town: DemoTown, rng: Rng): string {
  return p.townStyle === 'code'
    ? town.code
    : p.townStyle === 'name'
      ? town.name
      : p.townStyle === 'upper'
        ? town.code.toUpperCase()
        : rng.chance(0.5)
          ? town.code
          : town.name;
}

/** A random row that carries no planted problem or edge case yet and passes `accept`, if any. */
export function pickFreeRow(
  plan: TownPlan,
  rng: Rng,
  accept: (row: Row) => boolean = () => true,
): Row | undefined {
  const free = (rec: Rec | undefined): rec is Row =>
    rec !== undefined &&
    rec.kind === 'row' &&
    !rec.plant &&
    !rec.edge &&
    !rec.check &&
    !rec.values.remark.includes('\n') &&
    accept(rec);
  // Random probes first (cheap on big rosters), then a scan so that small rosters cannot loop forever.
  for (let probe = 0; probe < 64; probe++) {
    const rec = plan.recs[rng.int(0, plan.recs.length - 1)];
    if (free(rec)) return rec;
  }
  const candidates = plan.recs.filter(free);
  return candidates.length > 0 ? rng.pick(candidates) : undefined;
}

/** Every roster row of the person on `row` (a person may have rows in several categories). */
export function rowsOfPerson(plan: TownPlan, row: Row): Row[] {
  return plan.recs.filter((r): r is Row => r.kind === 'row' && r.entry.person === row.entry.person);
}

/** Renames the person on `row`, in the registry and on all their rows. */
export function renamePerson(plan: TownPlan, row: Row, name: string): void {
  row.entry.person.name = name;
  for (const r of rowsOfPerson(plan, row)) r.values.name = name;
}
