import type { Person } from '#demo/model.ts';
import { addMonths, yuanFixed, yuanNatural } from '#demo/people.ts';
import { meansNote, type PersonTest, single } from './person-tests.ts';
import type { Planter } from './planter.ts';

/** The employer a pensioner's record names. */
const PENSION_FUND = '中山市社会保险基金管理局';
/** Employers of the records with a contribution base. */
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

/** A social-insurance plant: who suits it, the records it writes, the note on their rows. */
export type IncomePlant = readonly [test: PersonTest, apply: (person: Person) => void, what: string];

/**
 * Writes one social-insurance record (contract 2.3: id_number, month, employer,
 * contribution_base, pension_amount) into `into`, one of the month files of `p.records`;
 * amounts mostly with two decimals, sometimes as an officer types them.
 */
export function insure(
  p: Planter,
  into: string[][],
  person: Person,
  m: string,
  baseFen: number,
  pensionFen: number,
  employer?: string,
): void {
  const { rng } = p;
  const money = (fen: number) => (rng.chance(0.8) ? yuanFixed(fen) : yuanNatural(fen));
  into.push([
    person.id,
    m,
    employer ?? (baseFen > 0 ? rng.pick(EMPLOYERS) : PENSION_FUND),
    money(baseFen),
    money(pensionFen),
  ]);
}

/**
 * Plants each of `plants` on a free person of the next accepted town, noting every row of the
 * person (a row that is not means-tested is noted as getting no finding).
 */
export function plantIncome(p: Planter, plants: readonly IncomePlant[]): void {
  for (const [test, apply, what] of plants) {
    const r = p.take(p.host(), test);
    if (!r) continue;
    apply(r.entry.person);
    for (const x of p.rowsOf(r.entry.person)) p.note(x, meansNote(x, what));
  }
}

/**
 * The record of the income evidence rule (`domain/month-check/income-evidence.ts`) that proves
 * nothing: a contribution base of `#VALUE!` is skipped when the file is read, so no finding.
 */
export function plantUnreadableIncome(p: Planter): void {
  const { month, rng } = p;
  const { insuranceNow } = p.records;
  plantIncome(p, [
    [
      single('DIBAO'),
      (x) => insuranceNow.push([x.id, month, rng.pick(EMPLOYERS), '#VALUE!', '0.00']),
      'social-insurance record with contribution base "#VALUE!": skipped, no finding',
    ],
  ]);
}

/** The social-insurance records of people on no roster: employees and pensioners. */
export function insureStrangers(p: Planter): void {
  const { month, rng } = p;
  const { insuranceNow, insuranceBefore, insuranceEarlier } = p.records;
  const prev = addMonths(month, -1);
  const prev2 = addMonths(month, -2);
  for (let k = 0; k < 1400; k++) {
    const s = p.stranger(18, 85);
    const retired = rng.chance(0.25);
    const base = retired ? 0 : rng.int(23, 150) * 10000 + rng.pick([0, 0, 5000, rng.int(0, 9999)]);
    const pension = retired ? rng.int(120000, 600000) : 0;
    const employer = retired ? PENSION_FUND : rng.pick(EMPLOYERS);
    if (rng.chance(0.9)) insure(p, insuranceNow, s, month, base, pension, employer);
    if (rng.chance(0.9)) insure(p, insuranceBefore, s, prev, base, pension, employer);
    if (rng.chance(0.5)) insure(p, insuranceEarlier, s, prev2, base, pension, employer);
  }
}
