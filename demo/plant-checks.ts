/**
 * Planting of the checks on valid rows (contract 3.3) in the demonstration month: roster and
 * registry differences, duplicate and exclusive payments, shared and proxy accounts, and the
 * register and partner files of contract 2.3 (staff relatives, proxy accounts, deaths, cremations,
 * business registrations, social insurance) with the records that raise — or look as if they
 * should raise but must not — each finding.
 *
 * Every planted row carries a `check` note; the exact expected findings are not counted here but
 * by the oracle (`oracle.ts`) over what is finally written, so that an interaction between two
 * plants can never make the manifest wrong.
 */
import { partnerFile, registerFile } from '#schemas/bucket-layout.ts';
import type { CategoryCode } from '#schemas/categories.ts';
import {
  ACCOUNT_PREFIXES,
  amountValue,
  categoryValue,
  type Entry,
  entryFor,
  type IdSet,
  type MakeContext,
  newAccount,
  newPerson,
  type Person,
  pickFreeRow,
  type Role,
  type Row,
  rowValues,
  type TownPlan,
  townValue,
} from './model.ts';
import type { DatasetName } from './oracle.ts';
import {
  addMonths,
  ageAt,
  chineseName,
  civilFromDays,
  type DemoTown,
  daysFromCivil,
  type Rng,
  splitYm,
  yuanFixed,
  yuanNatural,
} from './people.ts';

/** A register or partner file to write. */
export interface PartnerFile {
  key: string;
  dataset: DatasetName;
  header: string[];
  rows: string[][];
  encoding: 'utf8' | 'utf8-bom' | 'gb18030';
  eol: '\n' | '\r\n';
  note: string;
}

export interface CheckPlants {
  /** Registry rows added for the plants (a second category of a person). */
  registry: Entry[];
  files: PartnerFile[];
}

export interface CheckContext {
  plans: TownPlan[];
  month: string;
  rng: Rng;
  ids: IdSet;
  accounts: Set<number>;
  /** Registry rows of people on no roster. */
  extras: readonly Entry[];
}

const ACCEPTED: readonly Role[] = ['csv', 'gb18030', 'xlsx', 'reupload'];
const MEANS: readonly CategoryCode[] = ['DIBAO', 'TEKUN', 'DIBAO_EDGE', 'HARDSHIP'];
const NON_MEANS: readonly CategoryCode[] = [
  'TEMPORARY',
  'ELDERLY',
  'CHILD',
  'DISABILITY_LIVING',
  'DISABILITY_CARE',
];

type PersonTest = (rows: readonly Row[]) => boolean;

/** The person has one roster row, in one of `categories` (any category when omitted). */
const single =
  (...categories: CategoryCode[]): PersonTest =>
  (rows) =>
    rows.length === 1 &&
    (categories.length === 0 || categories.includes(rows[0]?.entry.category as CategoryCode));

/** The person's rows are exactly these categories. */
const exactly =
  (...categories: CategoryCode[]): PersonTest =>
  (rows) =>
    rows.length === categories.length && categories.every((c) => rows.some((r) => r.entry.category === c));

/** At least one means-tested and one other row. */
const mixed: PersonTest = (rows) =>
  rows.some((r) => MEANS.includes(r.entry.category)) &&
  rows.some((r) => NON_MEANS.includes(r.entry.category));

/** The ID as written is the registry's (no lower-case x): a holder ID compares without doubt. */
const plainId: PersonTest = (rows) => rows.every((r) => r.values.id_number.trim() === r.entry.person.id);

const both =
  (...tests: PersonTest[]): PersonTest =>
  (rows) =>
    tests.every((t) => t(rows));

const TRADITIONAL: Record<string, string> = {
  陈: '陳',
  黄: '黃',
  刘: '劉',
  张: '張',
  吴: '吳',
  郑: '鄭',
  冯: '馮',
  谭: '譚',
  罗: '羅',
  钟: '鍾',
  苏: '蘇',
  卢: '盧',
  杨: '楊',
};
const HOMOPHONES: Record<string, string> = {
  伟: '玮',
  明: '铭',
  华: '桦',
  平: '萍',
  杰: '洁',
  辉: '晖',
  芳: '方',
  玲: '苓',
  英: '瑛',
  珍: '贞',
  敏: '闵',
  兰: '岚',
  梅: '媚',
  强: '蔷',
  国: '帼',
  荣: '蓉',
  娟: '鹃',
  欣: '昕',
  琪: '祺',
};
const RELATIONS = ['配偶', '父亲', '母亲', '子女', '兄弟姐妹', '儿媳', '女婿', '岳母'] as const;
const FUNERAL_HOMES = ['中山市殡仪馆', '中山市小榄殡仪服务站', '中山市坦洲殡仪服务站'] as const;
const EMPLOYERS = [
  '中山市华艺灯饰照明股份有限公司',
  '中山市明阳电器有限公司',
  '中山市小榄镇人民政府',
  '中山市通伟电器有限公司',
  '中山市华帝燃具股份有限公司',
  '中山市古镇灯饰城物业管理有限公司',
  '中山大学附属第一医院中山分院',
  '中山市汇宇物流有限公司',
  '中山市美居家具制造有限公司',
  '灵活就业人员',
] as const;
const TRADES = [
  '五金加工厂',
  '灯饰店',
  '餐饮店',
  '服装店',
  '贸易有限公司',
  '电器有限公司',
  '物流有限公司',
  '装饰工程部',
];
const ROLES = ['法定代表人', '股东', '经营者', '监事'] as const;
const OFFICE_SUFFIX = '派出所';

/** `what`, or for a row of a category that is not means-tested, why it gets no finding. */
const meansNote = (row: Row, what: string) =>
  MEANS.includes(row.entry.category)
    ? what
    : `${what} (this ${row.entry.category} row is not means-tested: no finding)`;

/** Fisher–Yates with the given PRNG. */
function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}

class Planter {
  readonly accepted: TownPlan[];
  readonly withHolder: TownPlan[];
  readonly rejected: TownPlan | undefined;
  readonly registry: Entry[] = [];
  private readonly byPerson = new Map<Person, Row[]>();
  private readonly planOf = new Map<Row, TownPlan>();
  private readonly households = new Map<string, Person[]>();
  private readonly touched = new Set<Person>();
  private turn = 0;

  constructor(
    readonly plans: TownPlan[],
    readonly month: string,
    readonly rng: Rng,
    readonly ids: IdSet,
    readonly accounts: Set<number>,
  ) {
    for (const plan of plans) for (const rec of plan.recs) if (rec.kind === 'row') this.index(rec, plan);
    this.accepted = shuffled(
      plans.filter((p) => ACCEPTED.includes(p.role)),
      rng,
    );
    this.withHolder = this.accepted.filter((p) => p.profile.holder);
    this.rejected = plans.find((p) => p.role === 'missingColumns');
  }

  private index(row: Row, plan: TownPlan): void {
    const rows = this.byPerson.get(row.entry.person);
    if (rows) rows.push(row);
    else this.byPerson.set(row.entry.person, [row]);
    this.planOf.set(row, plan);
  }

  /** The town plan holding `row`. */
  hostOf(row: Row): TownPlan {
    const plan = this.planOf.get(row);
    if (!plan) throw new Error('row of no town');
    return plan;
  }

  /** Whether nothing is planted on the person yet. */
  isFree(person: Person): boolean {
    return !this.touched.has(person) && this.rowsOf(person).every((x) => !x.plant && !x.edge && !x.check);
  }

  /** Another free person of the household of `row` whose rows pass `test`, if any. */
  mateOf(row: Row, test: PersonTest): Person | undefined {
    if (this.households.size === 0)
      for (const person of this.byPerson.keys()) {
        const members = this.households.get(person.household);
        if (members) members.push(person);
        else this.households.set(person.household, [person]);
      }
    return this.households
      .get(row.entry.person.household)
      ?.find((m) => m !== row.entry.person && this.isFree(m) && test(this.rowsOf(m)));
  }

  /** Takes `person` (nothing else is planted on them). */
  claim(person: Person): void {
    this.touched.add(person);
  }

  rowsOf(person: Person): Row[] {
    return this.byPerson.get(person) ?? [];
  }

  /** The next accepted town in turn (from `list`). */
  host(list: readonly TownPlan[] = this.accepted): TownPlan | undefined {
    return list.length > 0 ? list[this.turn++ % list.length] : undefined;
  }

  /** Another accepted town than `plan`, if there is one (else `plan`). */
  other(plan: TownPlan): TownPlan {
    const at = this.accepted.indexOf(plan);
    for (let k = 1; k < this.accepted.length; k++) {
      const candidate = this.accepted[(at + k) % this.accepted.length];
      if (candidate && candidate !== plan) return candidate;
    }
    return plan;
  }

  ctx(plan: TownPlan): MakeContext {
    return {
      rng: this.rng,
      town: plan.town,
      index: plan.index,
      month: this.month,
      ids: this.ids,
      accounts: this.accounts,
    };
  }

  /**
   * A row of a person nobody has planted anything on, in `plan` first and then in the other
   * accepted towns, whose roster rows (all of them) pass `test`. The person is then taken.
   */
  take(
    plan: TownPlan | undefined,
    test: PersonTest = () => true,
    also: (row: Row) => boolean = () => true,
  ): Row | undefined {
    const order = plan ? [plan, ...this.accepted.filter((p) => p !== plan)] : this.accepted;
    for (const host of order) {
      const row = pickFreeRow(host, this.rng, (r) => {
        const person = r.entry.person;
        return this.isFree(person) && also(r) && test(this.rowsOf(person));
      });
      if (row) {
        this.touched.add(row.entry.person);
        return row;
      }
    }
    return undefined;
  }

  note(row: Row, what: string): void {
    row.check = row.check ? `${row.check}; ${what}` : what;
  }

  /** A new roster row for `entry` in `plan`, at a random place; `town` overrides the town written. */
  addRow(plan: TownPlan, entry: Entry, what: string, town?: DemoTown, values?: Row['values']): Row {
    const row: Row = {
      kind: 'row',
      entry,
      values: values ?? rowValues(entry, this.month, plan.profile, this.rng),
    };
    if (town) row.values.town = townValue(plan.profile, town, this.rng);
    plan.recs.splice(this.rng.int(1, plan.recs.length), 0, row);
    this.index(row, plan);
    this.touched.add(entry.person);
    this.note(row, what);
    return row;
  }

  /** Someone on no roster and in no registry (a relative, a stranger in a partner file). */
  stranger(minAge: number, maxAge: number): Person {
    const plan = this.plans[this.rng.int(0, this.plans.length - 1)] ?? this.plans[0];
    if (!plan) throw new Error('no town');
    return newPerson(this.ctx(plan), '', minAge, maxAge);
  }

  /** An unused account number that differs from `account` in one digit (a typing error). */
  mistyped(account: string): string {
    const prefix = ACCOUNT_PREFIXES.indexOf(account.slice(0, 6) as (typeof ACCOUNT_PREFIXES)[number]);
    for (let at = account.length - 1; at >= 8; at--) {
      const digit = Number(account.charAt(at));
      const candidate = `${account.slice(0, at)}${(digit + 1) % 10}${account.slice(at + 1)}`;
      const key = prefix * 1e13 + Number(candidate.slice(6));
      if (prefix >= 0 && !this.accounts.has(key)) {
        this.accounts.add(key);
        return candidate;
      }
    }
    const plan = this.accepted[0] ?? this.plans[0];
    if (!plan) throw new Error('no town');
    return newAccount(this.ctx(plan));
  }
}

// ---------------------------------------------------------------------------------------------
// Dates

/** `YYYY-MM-DD` of the day `offset` days after the first day of `month`. */
function dayOf(month: string, offset: number): string {
  const { year, month: m } = splitYm(month);
  const d = civilFromDays(daysFromCivil(year, m, 1) + offset);
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
}

function daysIn(month: string): number {
  const { year, month: m } = splitYm(month);
  return daysFromCivil(m === 12 ? year + 1 : year, m === 12 ? 1 : m + 1, 1) - daysFromCivil(year, m, 1);
}

// ---------------------------------------------------------------------------------------------
// Planting

/**
 * Plants the cases of contract 3.3 into the town plans (after the validation problems and edge
 * rows, which it leaves alone) and builds the register and partner files.
 */
export function plantChecks(c: CheckContext): CheckPlants {
  const { month, rng } = c;
  const p = new Planter(c.plans, month, rng, c.ids, c.accounts);
  const prev = addMonths(month, -1);
  const prev2 = addMonths(month, -2);
  const staff: string[][] = [];
  const proxy: string[][] = [];
  const deathsNow: string[][] = [];
  const deathsBefore: string[][] = [];
  const cremations: string[][] = [];
  const business: string[][] = [];
  const insuranceNow: string[][] = [];
  const insuranceBefore: string[][] = [];
  const insuranceEarlier: string[][] = [];
  const filedDate = () => dayOf(month, -rng.int(40, 900));
  const office = (plan: TownPlan) => `${plan.town.name.replace(/(街道|镇|开发区)$/, '')}${OFFICE_SUFFIX}`;
  const relationOf = (person: Person) =>
    ageAt(person.birth, month) < 18 ? rng.pick(['子女', '孙子女']) : rng.pick(RELATIONS);
  const money = (fen: number) => (rng.chance(0.8) ? yuanFixed(fen) : yuanNatural(fen));

  registryChecks(p);
  duplicateChecks(p);
  accountChecks(p, proxy, filedDate);

  // --- Deaths and cremations ----------------------------------------------------------------
  const death = (into: string[][], person: Person, date: string, plan?: TownPlan) =>
    into.push(
      into === deathsBefore
        ? [person.id, person.name, date, plan ? office(plan) : `石岐${OFFICE_SUFFIX}`]
        : [person.id, person.name, date],
    );
  const cremation = (person: Person, date: string) =>
    cremations.push([person.id, person.name, date, rng.pick(FUNERAL_HOMES)]);
  {
    const a = p.take(p.host(), both(exactly('DIBAO', 'ELDERLY')));
    if (a) {
      const date = dayOf(month, -20);
      death(deathsBefore, a.entry.person, date, p.hostOf(a));
      death(deathsNow, a.entry.person, date);
      for (const r of p.rowsOf(a.entry.person))
        p.note(r, `died ${date} (last month), in both death files: every row of the person is DECEASED`);
    }
    const b = p.take(p.host(), single('ELDERLY'));
    if (b) {
      const date = dayOf(month, -9);
      cremation(b.entry.person, date);
      p.note(b, `only a cremation record (${date}, before the month): DECEASED`);
    }
    const cc = p.take(p.host(), single());
    if (cc) {
      const died = dayOf(month, 5);
      const cremated = dayOf(month, -1);
      death(deathsNow, cc.entry.person, died);
      cremation(cc.entry.person, cremated);
      p.note(
        cc,
        `death record says ${died} but the cremation was ${cremated}: the earliest date (before the month) counts, DECEASED`,
      );
    }
    const d = p.take(p.host(), single());
    if (d) {
      const date = dayOf(month, -1);
      death(deathsNow, d.entry.person, date);
      p.note(d, `died ${date}, the last day of the previous month, registered late: DECEASED`);
    }
    const e = p.take(p.host(), single());
    if (e) {
      const date = dayOf(month, 0);
      death(deathsNow, e.entry.person, date);
      p.note(e, `died ${date}, the first day of the month: DIED_IN_MONTH`);
    }
    const f = p.take(p.host(), single());
    if (f) {
      const died = dayOf(month, 14);
      death(deathsNow, f.entry.person, died);
      cremation(f.entry.person, dayOf(month, 17));
      p.note(f, `died ${died}, cremated three days later: DIED_IN_MONTH`);
    }
    const g = p.take(p.host(), single());
    if (g) {
      const date = dayOf(month, daysIn(month));
      death(deathsNow, g.entry.person, date);
      p.note(g, `death record dated ${date}, the day after the month: no finding`);
    }
    const h = p.take(p.host(), single());
    if (h) {
      const date = `${month.slice(0, 4)}-02-30`;
      death(deathsNow, h.entry.person, date);
      p.note(h, `death record with the impossible date ${date}: skipped, no finding`);
    }
    const i = p.take(p.host(), single());
    if (i) {
      cremations.push([i.entry.person.id, i.entry.person.name, 'unknown', rng.pick(FUNERAL_HOMES)]);
      p.note(i, 'cremation record dated "unknown": skipped, no finding');
    }
    // Noise: people on no roster.
    for (let k = 0; k < 160; k++) {
      const s = p.stranger(55, 100);
      const date = dayOf(prev, rng.int(0, daysIn(prev) - 1));
      death(deathsBefore, s, date, rng.pick(c.plans));
      if (rng.chance(0.5)) cremation(s, dayOf(prev, rng.int(0, daysIn(prev) + 3)));
    }
    for (let k = 0; k < 160; k++) {
      const s = p.stranger(55, 100);
      const day = rng.int(-6, Math.min(17, daysIn(month) - 5));
      death(deathsNow, s, dayOf(month, day));
      if (rng.chance(0.6)) cremation(s, dayOf(month, day + rng.int(2, 5)));
    }
    for (let k = 0; k < 20; k++) cremation(p.stranger(60, 100), dayOf(month, rng.int(-20, 15)));
    // Registry recipients who are on no roster (suspended after the death).
    for (const extra of c.extras.filter((x) => x.status === 'SUSPENDED').slice(0, 3))
      death(deathsBefore, extra.person, dayOf(prev, rng.int(0, 20)), rng.pick(c.plans));
  }

  // --- Staff relatives ----------------------------------------------------------------------
  {
    const staffMember = () =>
      [`ZS${String(rng.int(1000, 9999))}`, chineseName(rng, rng.chance(0.5))] as const;
    const relative = (person: Person, filed: string, date: string, who = staffMember()) =>
      staff.push([who[0], who[1], person.id, relationOf(person), filed, date]);
    const a = p.take(p.host(), single());
    if (a) {
      relative(a.entry.person, 'Y', filedDate());
      p.note(a, 'staff relative, filed Y: no finding');
    }
    const b = p.take(p.host(), single());
    if (b) {
      relative(b.entry.person, 'y', filedDate());
      p.note(b, 'staff relative, filed y (lower case): no finding');
    }
    const cc = p.take(p.host(), (rows) => rows.length === 2);
    if (cc) {
      relative(cc.entry.person, 'N', '');
      for (const r of p.rowsOf(cc.entry.person))
        p.note(r, 'staff relative, filed N: UNFILED_STAFF_RELATIVE on each of the two rows');
    }
    const d = p.take(p.host(), single());
    if (d) {
      relative(d.entry.person, '', '');
      p.note(d, 'staff relative, filed empty: UNFILED_STAFF_RELATIVE');
    }
    const e = p.take(p.host(), single());
    if (e) {
      relative(e.entry.person, 'Y', filedDate());
      relative(e.entry.person, 'N', '');
      p.note(
        e,
        'relative of two staff members, filed by one (Y) and not by the other (N): UNFILED_STAFF_RELATIVE',
      );
    }
    for (let k = 0; k < 24; k++) {
      const s = p.stranger(18, 90);
      const filed = rng.pick(['Y', 'Y', 'y', 'N', '']);
      relative(s, filed, filed.toUpperCase() === 'Y' ? filedDate() : '');
    }
    // Sorted by staff ID, as the bureau's export is.
    staff.sort((x, y) => ((x[0] ?? '') < (y[0] ?? '') ? -1 : (x[0] ?? '') > (y[0] ?? '') ? 1 : 0));
  }

  // --- Business registrations ---------------------------------------------------------------
  {
    const company = (owner: Person) => {
      const place = rng.pick(c.plans).town.name.replace(/(街道|镇|开发区)$/, '');
      return `中山市${place}${owner.name.slice(-1)}${rng.pick(['记', '氏', '发', '盛', '兴'])}${rng.pick(TRADES)}`;
    };
    const creditCode = () => {
      const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
      let code = rng.chance(0.6) ? '92442000' : '91442000';
      while (code.length < 18) code += chars.charAt(rng.int(0, chars.length - 1));
      return code;
    };
    const record = (owner: Person, status: string, role: string = rng.pick(ROLES)) =>
      business.push([company(owner), creditCode(), owner.id, role, status]);
    const plants: [PersonTest, string[], string][] = [
      [single('DIBAO'), ['ACTIVE'], 'DIBAO payee owns an ACTIVE business: BUSINESS_OWNER'],
      [
        single('DIBAO_EDGE'),
        ['Active'],
        'DIBAO_EDGE payee with an ACTIVE business written "Active" (codes match case-insensitively): BUSINESS_OWNER',
      ],
      [
        mixed,
        ['ACTIVE'],
        'ACTIVE business owner with a means-tested and another row: BUSINESS_OWNER on the means-tested row only',
      ],
      [
        single('HARDSHIP', 'DIBAO'),
        ['CANCELLED', 'ACTIVE'],
        'a CANCELLED and an ACTIVE business: BUSINESS_OWNER',
      ],
      [single('DIBAO'), ['CANCELLED'], 'business CANCELLED: no finding'],
      [single('TEKUN', 'DIBAO'), ['REVOKED'], 'business licence REVOKED: no finding'],
      [single('ELDERLY'), ['ACTIVE'], 'ACTIVE business of an ELDERLY payee (not means-tested): no finding'],
    ];
    for (const [test, statuses, what] of plants) {
      const row = p.take(p.host(), test);
      if (!row) continue;
      for (const status of statuses)
        record(row.entry.person, status, status === 'ACTIVE' ? '法定代表人' : undefined);
      for (const r of p.rowsOf(row.entry.person)) p.note(r, meansNote(r, what));
    }
    for (let k = 0; k < 800; k++) {
      const s = p.stranger(22, 70);
      record(s, rng.chance(0.7) ? 'ACTIVE' : rng.chance(0.7) ? 'CANCELLED' : 'REVOKED');
    }
    const foreign = p.stranger(30, 60);
    business.push(['Zhongshan Hengyuan Trading Co., Ltd.', creditCode(), foreign.id, '法定代表人', 'ACTIVE']);
  }

  // --- Social insurance ---------------------------------------------------------------------
  {
    const row = (
      into: string[][],
      person: Person,
      m: string,
      baseFen: number,
      pensionFen: number,
      employer?: string,
    ) =>
      into.push([
        person.id,
        m,
        employer ?? (baseFen > 0 ? rng.pick(EMPLOYERS) : '中山市社会保险基金管理局'),
        money(baseFen),
        money(pensionFen),
      ]);
    const plants: [PersonTest, (person: Person) => void, string][] = [
      [
        single('DIBAO'),
        (x) => {
          row(insuranceNow, x, month, 320000, 0);
          row(insuranceBefore, x, prev, 320000, 0);
        },
        'contribution base 3200.00 this month and last month: EMPLOYED (once)',
      ],
      [
        single('DIBAO_EDGE', 'DIBAO'),
        (x) => row(insuranceBefore, x, prev, 230000, 0),
        'contribution base exactly 2300.00 last month: EMPLOYED',
      ],
      [
        single('DIBAO'),
        (x) => row(insuranceNow, x, month, 229999, 0),
        'contribution base 2299.99: no finding',
      ],
      [
        single('HARDSHIP', 'DIBAO'),
        (x) => row(insuranceNow, x, prev2, 410000, 0),
        `contribution base 4100.00 for ${prev2} (two months before, back-dated in this month's file): no finding`,
      ],
      [
        single('ELDERLY'),
        (x) => row(insuranceNow, x, month, 500000, 0),
        'contribution base 5000.00 of an ELDERLY payee (not means-tested): no finding',
      ],
      [
        single('TEKUN', 'DIBAO'),
        (x) => row(insuranceNow, x, month, 0, 150000),
        'pension exactly 1500.00: PENSION_INCOME',
      ],
      [
        single('DIBAO'),
        (x) => row(insuranceBefore, x, prev, 0, 182050),
        'pension 1820.50 last month: PENSION_INCOME',
      ],
      [single('DIBAO'), (x) => row(insuranceNow, x, month, 0, 149999), 'pension 1499.99: no finding'],
      [
        single('DIBAO_EDGE', 'DIBAO'),
        (x) => row(insuranceNow, x, month, 260000, 160000),
        'contribution base 2600.00 and pension 1600.00 on one record: EMPLOYED and PENSION_INCOME',
      ],
      [
        mixed,
        (x) => row(insuranceNow, x, month, 0, 210000),
        'pension 2100.00: PENSION_INCOME on the means-tested row only',
      ],
      [
        single('DIBAO'),
        (x) => insuranceNow.push([x.id, month, rng.pick(EMPLOYERS), '#VALUE!', '0.00']),
        'social-insurance record with contribution base "#VALUE!": skipped, no finding',
      ],
    ];
    for (const [test, apply, what] of plants) {
      const r = p.take(p.host(), test);
      if (!r) continue;
      apply(r.entry.person);
      for (const x of p.rowsOf(r.entry.person)) p.note(x, meansNote(x, what));
    }
    // Payees with records that stay under the thresholds or do not count.
    for (let k = 0; k < 30; k++) {
      const r = p.take(p.host(), single(...MEANS));
      if (!r) break;
      const now = rng.chance(0.5);
      row(
        now ? insuranceNow : insuranceBefore,
        r.entry.person,
        now ? month : prev,
        rng.int(190000, 229999),
        0,
        '灵活就业人员',
      );
      if (rng.chance(0.3)) row(insuranceEarlier, r.entry.person, prev2, rng.int(230000, 600000), 0);
      p.note(r, 'contribution base under 2300.00 (flexible employment): no finding');
    }
    for (let k = 0; k < 60; k++) {
      const r = p.take(p.host(), (rows) =>
        rows.every((x) => x.entry.category === 'ELDERLY' || x.entry.category === 'DISABILITY_LIVING'),
      );
      if (!r) break;
      const pension = rng.int(150000, 450000);
      row(insuranceNow, r.entry.person, month, 0, pension);
      row(insuranceBefore, r.entry.person, prev, 0, pension);
      for (const x of p.rowsOf(r.entry.person))
        p.note(x, 'pension over 1500.00 on a non-means-tested allowance: no finding');
    }
    // Strangers: employees and pensioners.
    for (let k = 0; k < 1400; k++) {
      const s = p.stranger(18, 85);
      const retired = rng.chance(0.25);
      const base = retired ? 0 : rng.int(23, 150) * 10000 + rng.pick([0, 0, 5000, rng.int(0, 9999)]);
      const pension = retired ? rng.int(120000, 600000) : 0;
      const employer = retired ? '中山市社会保险基金管理局' : rng.pick(EMPLOYERS);
      if (rng.chance(0.9)) row(insuranceNow, s, month, base, pension, employer);
      if (rng.chance(0.9)) row(insuranceBefore, s, prev, base, pension, employer);
      if (rng.chance(0.5)) row(insuranceEarlier, s, prev2, base, pension, employer);
    }
  }

  // --- Proxy register noise: filed proxies of recipients on no roster ----------------------
  for (const extra of c.extras.slice(0, 5))
    proxy.push([extra.person.account, extra.person.id, p.stranger(25, 60).id, filedDate()]);

  clearAmbiguousHolders(c.plans);
  // As the agencies export them: deaths and cremations by date, the other datasets in no order.
  const byColumn = (at: number) => (x: string[], y: string[]) =>
    (x[at] ?? '') < (y[at] ?? '') ? -1 : (x[at] ?? '') > (y[at] ?? '') ? 1 : 0;
  for (const rows of [deathsBefore, deathsNow, cremations]) rows.sort(byColumn(2));
  for (const rows of [business, insuranceNow, insuranceBefore, insuranceEarlier, proxy])
    rows.splice(0, rows.length, ...shuffled(rows, rng));

  const files: PartnerFile[] = [
    {
      key: registerFile.key({ register: 'staff-relatives' }),
      dataset: 'staff-relatives',
      header: ['staff_id', 'staff_name', 'relative_id_number', 'relation', 'filed', 'filed_date'],
      rows: staff,
      encoding: 'utf8',
      eol: '\n',
      note: `${staff.length} rows: filed Y and y, unfiled N and empty, one relative filed by one staff member and not by another`,
    },
    {
      key: registerFile.key({ register: 'proxy-accounts' }),
      dataset: 'proxy-accounts',
      header: ['account_number', 'payee_id_number', 'holder_id_number', 'filed_date'],
      rows: proxy,
      encoding: 'utf8',
      eol: '\r\n',
      note: `${proxy.length} filed proxy cases (one exempts a payee of a shared account, one is for a payee's previous card)`,
    },
    {
      key: partnerFile.key({ dataset: 'deaths', file: `${prev}.csv` }),
      dataset: 'deaths',
      header: ['id_number', 'name', 'date_of_death', 'registry_office'],
      rows: deathsBefore,
      encoding: 'gb18030',
      eol: '\r\n',
      note: `GB18030, CRLF, an extra column registry_office; ${deathsBefore.length} deaths of ${prev}`,
    },
    {
      key: partnerFile.key({ dataset: 'deaths', file: `${month}.csv` }),
      dataset: 'deaths',
      header: ['id_number', 'name', 'date_of_death'],
      rows: deathsNow,
      encoding: 'utf8',
      eol: '\n',
      note: `${deathsNow.length} deaths, late registrations of ${prev} included; one impossible date (skipped)`,
    },
    {
      key: partnerFile.key({ dataset: 'cremations', file: `${month}.csv` }),
      dataset: 'cremations',
      header: ['ID_NUMBER', 'NAME', 'CREMATION_DATE', 'FUNERAL_HOME'],
      rows: cremations,
      encoding: 'utf8',
      eol: '\n',
      note: `upper-case headers; ${cremations.length} cremations of ${prev} and ${month}; one dated "unknown" (skipped)`,
    },
    {
      key: partnerFile.key({ dataset: 'business', file: `${month}.csv` }),
      dataset: 'business',
      header: ['company_name', 'credit_code', 'id_number', 'role', 'status'],
      rows: business,
      encoding: 'utf8-bom',
      eol: '\r\n',
      note: `UTF-8 with BOM, CRLF, columns in another order; ${business.length} registrations (ACTIVE, CANCELLED, REVOKED)`,
    },
    {
      key: partnerFile.key({ dataset: 'social-insurance', file: `${prev2}.csv` }),
      dataset: 'social-insurance',
      header: ['id_number', 'month', 'employer', 'contribution_base', 'pension_amount'],
      rows: insuranceEarlier,
      encoding: 'utf8',
      eol: '\n',
      note: `${insuranceEarlier.length} records of ${prev2} (too early to count)`,
    },
    {
      key: partnerFile.key({ dataset: 'social-insurance', file: `${prev}.csv` }),
      dataset: 'social-insurance',
      header: ['id_number', 'month', 'employer', 'contribution_base', 'pension_amount'],
      rows: insuranceBefore,
      encoding: 'utf8',
      eol: '\n',
      note: `${insuranceBefore.length} records of ${prev}`,
    },
    {
      key: partnerFile.key({ dataset: 'social-insurance', file: `${month}.csv` }),
      dataset: 'social-insurance',
      header: ['id_number', 'employer', 'month', 'pension_amount', 'contribution_base'],
      rows: insuranceNow.map(([id, m, employer, base, pension]) => [
        id ?? '',
        employer ?? '',
        m ?? '',
        pension ?? '',
        base ?? '',
      ]),
      encoding: 'utf8',
      eol: '\n',
      note: `columns in another order; ${insuranceNow.length} records (one back-dated to ${prev2}, one amount "#VALUE!" skipped)`,
    },
  ];
  return { registry: p.registry, files };
}

/** NOT_IN_REGISTRY, INACTIVE_IN_REGISTRY and the mismatches of a row against its registry row. */
function registryChecks(p: Planter): void {
  const { month, rng } = p;
  {
    const plan = p.host();
    if (plan) {
      const person = newPerson(p.ctx(plan), `H${String(plan.index + 1).padStart(2, '0')}800001`, 30, 65);
      const entry = entryFor(p.ctx(plan), person, 'DIBAO', 118000);
      p.addRow(
        plan,
        entry,
        'payee added by the town office but never approved in the case system: NOT_IN_REGISTRY',
      );
    }
    const row = p.take(p.host(), single('DIBAO'));
    if (row) {
      row.values.category = categoryValue(p.hostOf(row).profile, 'DIBAO_EDGE', '低保边缘', rng);
      p.note(
        row,
        'roster says DIBAO_EDGE, the registry approves DIBAO: NOT_IN_REGISTRY (and the DIBAO approval goes unpaid: MISSING_PAYMENT)',
      );
    }
  }
  const registryEdits: [string, (e: Entry) => void][] = [
    [
      'registry status SUSPENDED (annual review pending), still on the roster: INACTIVE_IN_REGISTRY',
      (e) => {
        e.status = 'SUSPENDED';
      },
    ],
    [
      'registry TERMINATED two months ago: INACTIVE_IN_REGISTRY',
      (e) => {
        e.status = 'TERMINATED';
        e.validTo = addMonths(month, -2);
        e.validFrom = addMonths(month, -30);
      },
    ],
    [
      'registry ACTIVE but valid_to is last month (approval not renewed): INACTIVE_IN_REGISTRY',
      (e) => {
        e.validTo = addMonths(month, -1);
        e.validFrom = addMonths(month, -13);
      },
    ],
    [
      'registry ACTIVE from next month (paid a month early): INACTIVE_IN_REGISTRY',
      (e) => {
        e.validFrom = addMonths(month, 1);
        e.validTo = '';
      },
    ],
    [
      'registry valid_to is this month (last payment): no finding',
      (e) => {
        e.validTo = month;
        e.validFrom = addMonths(month, -11);
      },
    ],
    [
      'registry valid_from is this month (first payment): no finding',
      (e) => {
        e.validFrom = month;
        e.validTo = '';
      },
    ],
  ];
  for (const [what, edit] of registryEdits) {
    const row = p.take(p.host(), single('DIBAO', 'DIBAO_EDGE', 'TEKUN', 'ELDERLY', 'DISABILITY_LIVING'));
    if (!row) continue;
    edit(row.entry);
    p.note(row, what);
  }
  {
    const up = p.take(p.host(), single('DIBAO', 'TEKUN', 'DIBAO_EDGE'));
    if (up) {
      up.values.amount = amountValue(p.hostOf(up).profile, up.entry.fen + 2000, rng);
      p.note(up, 'roster amount 20.00 above the approved amount: AMOUNT_MISMATCH');
    }
    const cent = p.take(p.host(), single('DIBAO', 'TEKUN', 'DIBAO_EDGE', 'HARDSHIP'));
    if (cent) {
      cent.values.amount = yuanFixed(cent.entry.fen - 1);
      p.note(cent, 'roster amount 0.01 below the approved amount: AMOUNT_MISMATCH');
    }
    const same = p.take(p.host(), single(), (r) => r.entry.fen % 100 === 0);
    if (same) {
      same.values.amount = `${same.entry.fen / 100}.0`;
      p.note(
        same,
        `roster amount ${same.values.amount} equals the approved ${yuanFixed(same.entry.fen)}: no finding`,
      );
    }
  }
  for (let k = 0; k < 2; k++) {
    const row = p.take(p.host(), single());
    if (!row) continue;
    const towns = p.plans.map((x) => x.town).filter((t) => t !== row.entry.town);
    const moved = towns.length > 0 ? rng.pick(towns) : undefined;
    if (!moved) continue;
    row.entry.town = moved;
    p.note(
      row,
      `the registry has the case in ${moved.code} (moved; the case was not transferred): TOWN_MISMATCH`,
    );
  }
  {
    const card = p.take(p.host(), single());
    if (card) {
      card.values.account_number = newAccount(p.ctx(p.hostOf(card)));
      p.note(card, 'bank card replaced, the registry still has the old account: ACCOUNT_MISMATCH');
    }
    const typo = p.take(p.host(), single());
    if (typo) {
      typo.values.account_number = p.mistyped(typo.entry.person.account);
      p.note(typo, 'account with one digit mistyped: ACCOUNT_MISMATCH');
    }
  }
  {
    const trad = p.take(
      p.host(),
      single(),
      (r) =>
        TRADITIONAL[r.entry.person.name.charAt(0)] !== undefined &&
        TRADITIONAL[r.entry.person.name.charAt(0)] !== r.entry.person.name.charAt(0),
    );
    if (trad) {
      const name = trad.entry.person.name;
      trad.values.name = `${TRADITIONAL[name.charAt(0)]}${name.slice(1)}`;
      p.note(
        trad,
        `name ${trad.values.name} with the traditional form of the surname, the registry has ${name}: NAME_MISMATCH`,
      );
    }
    const homophone = p.take(p.host(), single(), (r) =>
      [...r.entry.person.name.slice(1)].some((ch) => HOMOPHONES[ch]),
    );
    if (homophone) {
      const name = homophone.entry.person.name;
      const at = [...name].findIndex((ch, i) => i > 0 && HOMOPHONES[ch]);
      const chars = [...name];
      chars[at] = HOMOPHONES[chars[at] ?? ''] ?? '';
      homophone.values.name = chars.join('');
      p.note(
        homophone,
        `name ${homophone.values.name}, a homophone of the registry's ${name}: NAME_MISMATCH`,
      );
    }
  }
}

/** DUPLICATE_PAYMENT and EXCLUSIVE_CATEGORIES, and look-alikes in a rejected file. */
function duplicateChecks(p: Planter): void {
  const { rng } = p;
  {
    const a = p.take(p.host(), single('DIBAO', 'DIBAO_EDGE'));
    if (a) {
      const home = p.hostOf(a);
      const away = p.other(home);
      p.note(a, `also on the roster of ${away.town.code} (moved, both towns pay): DUPLICATE_PAYMENT`);
      p.addRow(
        away,
        a.entry,
        `payee of ${home.town.code} also paid here: DUPLICATE_PAYMENT, and TOWN_MISMATCH (the registry has ${home.town.code})`,
        away.town,
      );
    }
    const b = p.take(p.host(), single());
    if (b) {
      const plan = p.hostOf(b);
      p.note(b, 'the same payment entered twice in this roster: DUPLICATE_PAYMENT');
      const copy = { ...b.values, remark: plan.profile.remark ? '补发' : '' };
      p.addRow(
        plan,
        b.entry,
        'second entry of the same payment (remark 补发): DUPLICATE_PAYMENT',
        undefined,
        copy,
      );
    }
  }
  {
    const a = p.take(p.host(), exactly('DIBAO', 'ELDERLY'));
    if (a) {
      const home = p.hostOf(a);
      const away = p.other(home);
      const entry = entryFor(p.ctx(away), a.entry.person, 'TEKUN', 177000);
      entry.validTo = '';
      p.registry.push(entry);
      for (const r of p.rowsOf(a.entry.person))
        p.note(
          r,
          r.entry.category === 'ELDERLY'
            ? `DIBAO here and TEKUN in ${away.town.code}: ELDERLY is not in the exclusive group, no finding`
            : `DIBAO here and TEKUN in ${away.town.code}: EXCLUSIVE_CATEGORIES`,
        );
      p.addRow(
        away,
        entry,
        `TEKUN here and DIBAO in ${home.town.code} (both approved in the registry): EXCLUSIVE_CATEGORIES`,
      );
    }
    const b = p.take(p.host(), single('DIBAO_EDGE'));
    if (b) {
      const plan = p.hostOf(b);
      const entry = entryFor(p.ctx(plan), b.entry.person, 'HARDSHIP', rng.int(30, 150) * 1000);
      entry.validTo = '';
      p.registry.push(entry);
      p.note(b, 'DIBAO_EDGE and HARDSHIP in this roster: EXCLUSIVE_CATEGORIES');
      p.addRow(plan, entry, 'HARDSHIP and DIBAO_EDGE in this roster: EXCLUSIVE_CATEGORIES');
    }
  }
  const rejected = p.rejected;
  if (rejected) {
    const where = `${rejected.town.code}'s rejected file (MISSING_COLUMNS)`;
    const a = p.take(p.host(), single());
    if (a) {
      p.note(a, `also on ${where}: no DUPLICATE_PAYMENT`);
      p.addRow(
        rejected,
        a.entry,
        'copy of a valid payee of another town in a rejected file: no finding',
        rejected.town,
      );
    }
    const b = p.take(p.host(), single('DIBAO'));
    if (b) {
      const entry = entryFor(p.ctx(rejected), b.entry.person, 'TEKUN', 177000);
      p.note(b, `TEKUN on ${where}: no EXCLUSIVE_CATEGORIES`);
      p.addRow(rejected, entry, 'TEKUN row of a DIBAO payee of another town in a rejected file: no finding');
    }
  }
}

/** SHARED_ACCOUNT and UNFILED_PROXY_ACCOUNT, with the proxy register. */
function accountChecks(p: Planter, proxy: string[][], filedDate: () => string): void {
  const holderHost = () => p.host(p.withHolder.length > 0 ? p.withHolder : p.accepted);
  {
    // A pair: the neighbour's proxy is filed, the card owner's own row is not.
    const x = p.take(holderHost(), both(single(), plainId), (r) => p.hostOf(r).profile.holder);
    const plan = x ? p.hostOf(x) : undefined;
    const y = plan
      ? p.take(
          plan,
          both(single('ELDERLY'), plainId),
          (r) => r.entry.person.household !== x?.entry.person.household,
        )
      : undefined;
    if (x && y) {
      const owner = x.entry.person;
      y.entry.person.account = owner.account;
      y.values.account_number = owner.account;
      const yPlan = p.hostOf(y);
      if (yPlan.profile.holder) y.values.account_holder_id = owner.id;
      proxy.push([owner.account, y.entry.person.id, owner.id, filedDate()]);
      p.note(
        x,
        `account also receives the allowance of ${y.entry.person.household} (another household), whose proxy is filed: SHARED_ACCOUNT on this row only`,
      );
      p.note(
        y,
        `paid to the account of ${owner.household} (a neighbour), filed in the proxy register: exempt, no finding`,
      );
    }
  }
  {
    // Three households on one account, over two towns, nothing filed.
    const z1 = p.take(p.host(), both(single(), plainId));
    if (z1) {
      const home = p.hostOf(z1);
      const owner = z1.entry.person;
      const z2 = p.take(home, both(single(), plainId), (r) => r.entry.person.household !== owner.household);
      const z3 = p.take(
        p.other(home),
        single(),
        (r) =>
          r.entry.person.household !== owner.household &&
          r.entry.person.household !== z2?.entry.person.household,
      );
      p.note(z1, 'account also on the rows of two other households: SHARED_ACCOUNT');
      for (const z of [z2, z3]) {
        if (!z) continue;
        z.values.account_number = owner.account;
        p.note(
          z,
          `paid to the account of ${owner.household} (another household), not filed: SHARED_ACCOUNT and ACCOUNT_MISMATCH`,
        );
      }
      if (z2 && p.hostOf(z2).profile.holder) {
        z2.values.account_holder_id = owner.id;
        p.note(z2, 'account holder set to the owner, not filed: UNFILED_PROXY_ACCOUNT');
      }
    }
  }
  {
    // An invalid row on the account of a valid row of another household.
    const planted = p.plans
      .filter((x) => ACCEPTED.includes(x.role))
      .flatMap((x) => x.recs)
      .find(
        (r): r is Row =>
          r.kind === 'row' &&
          r.plant !== undefined &&
          r.plant.codes.every((code) =>
            ['INVALID_NAME', 'WRONG_MONTH', 'UNKNOWN_CATEGORY', 'INVALID_AMOUNT'].includes(code),
          ) &&
          /^\s*\d{10,25}\s*$/.test(r.values.account_number),
      );
    const v = planted
      ? p.take(p.host(), single(), (r) => r.entry.person.household !== planted.entry.person.household)
      : undefined;
    if (planted && v) {
      planted.values.account_number = v.entry.person.account;
      planted.check =
        'invalid row carrying the account of another household: not a valid row, no SHARED_ACCOUNT';
      p.note(v, 'its account is also on an invalid row of another household: no finding');
    }
  }
  {
    // Two members of one household share an account.
    const a = p.take(p.host(), single(), (r) => p.mateOf(r, single()) !== undefined);
    const mate = a ? p.mateOf(a, single()) : undefined;
    const mateRow = mate ? p.rowsOf(mate)[0] : undefined;
    if (a && mate && mateRow) {
      p.claim(mate);
      mate.account = a.entry.person.account;
      mateRow.values.account_number = a.entry.person.account;
      p.note(a, 'account shared with a member of the same household: no finding');
      p.note(
        mateRow,
        'account shared with a member of the same household (also in the registry): no finding',
      );
    }
  }
  {
    const relative = () => p.stranger(20, 60).id;
    const unfiled = (what: string) => {
      const row = p.take(holderHost(), both(single(), plainId), (r) => p.hostOf(r).profile.holder);
      if (!row) return undefined;
      row.values.account_holder_id = relative();
      p.note(row, what);
      return row;
    };
    unfiled('card held by a relative (account_holder_id set), not filed: UNFILED_PROXY_ACCOUNT');
    unfiled('card held by a relative (account_holder_id set), not filed: UNFILED_PROXY_ACCOUNT');
    const filed = unfiled('card held by a relative, filed in the proxy register: no finding');
    if (filed) {
      proxy.push([
        filed.entry.person.account,
        filed.entry.person.id,
        filed.values.account_holder_id,
        filedDate(),
      ]);
    }
    const old = unfiled(
      'card held by a relative; the proxy is filed for the previous card only: UNFILED_PROXY_ACCOUNT',
    );
    if (old) {
      const plan = p.hostOf(old);
      proxy.push([newAccount(p.ctx(plan)), old.entry.person.id, old.values.account_holder_id, filedDate()]);
    }
  }
}

/**
 * Clears `account_holder_id` where the ID is written with a lower-case x: whether `…x` and `…X`
 * "differ" is not a question the demonstration should ask.
 */
function clearAmbiguousHolders(plans: readonly TownPlan[]): void {
  for (const plan of plans)
    for (const rec of plan.recs)
      if (
        rec.kind === 'row' &&
        rec.values.account_holder_id !== '' &&
        /x/.test(rec.values.id_number + rec.values.account_holder_id)
      )
        rec.values.account_holder_id = '';
}
