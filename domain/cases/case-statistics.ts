import { type CaseLine, type CaseMoney, SYSTEM_OUTCOMES, WITHDRAWN } from '#schemas/case.ts';
import { isOverdue } from './case-age.ts';

/** A town's progress (issue 11, item 6). */
export interface TownCaseStatus {
  readonly town: string;
  readonly open: number;
  readonly overdue: number;
  /** Closed by an officer (or cleared earlier): withdrawn cases are not in it. */
  readonly closed: number;
  /** Withdrawn by a newer check of the month: never the town's to work. */
  readonly withdrawn: number;
  /** Age in days of the town's oldest open case (0 with none open). */
  readonly oldestOpenDays: number;
}

/** Outcomes of one finding code, and the rule's precision over its closed REVIEW cases. */
export interface CodeOutcomes {
  readonly code: string;
  readonly cases: number;
  readonly open: number;
  readonly outcomes: Readonly<Record<string, number>>;
  /** REVIEW cases closed by an officer this month (cleared earlier and withdrawn not counted). */
  readonly reviewClosed: number;
  readonly problemsConfirmed: number;
  /** problemsConfirmed / reviewClosed; `undefined` before any REVIEW case is closed. */
  readonly precision: number | undefined;
}

/** One month of the bureau's view. */
export interface MonthCaseStatistics {
  readonly month: string;
  readonly cases: number;
  readonly open: number;
  readonly overdue: number;
  /** Closed as withdrawn by a newer check of the month (in no precision, never overdue). */
  readonly withdrawn: number;
  readonly towns: readonly TownCaseStatus[];
  readonly codes: readonly CodeOutcomes[];
  /** Money found and recovered over the month's closed cases, in fen. */
  readonly money: CaseMoney;
  readonly precision: number | undefined;
}

const SYSTEM: ReadonlySet<string | undefined> = new Set(SYSTEM_OUTCOMES);
/** An outcome no officer recorded (cleared earlier, withdrawn): it says nothing of a rule's precision. */
const isSystemOutcome = (outcome: string | undefined) => SYSTEM.has(outcome);

const ZERO: CaseMoney = { overpaidFen: 0, underpaidFen: 0, wronglyPaidFen: 0, recoveredFen: 0 };

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The bureau's view of one month's cases: per town open, overdue (open longer than
 * `overdueDays`), closed and withdrawn cases; per finding code the outcomes and the rule's precision — of the
 * REVIEW cases officers closed, the share confirmed as problems; money found and recovered.
 */
export function caseStatistics(
  month: string,
  cases: readonly CaseLine[],
  now: string,
  overdueDays: number,
): MonthCaseStatistics {
  const towns = new Map<
    string,
    { open: number; overdue: number; closed: number; withdrawn: number; oldest: number }
  >();
  const codes = new Map<
    string,
    { cases: number; open: number; outcomes: Record<string, number>; reviewClosed: number; problems: number }
  >();
  const money = { ...ZERO };
  let open = 0;
  let overdue = 0;
  let withdrawn = 0;
  for (const c of cases) {
    const t = towns.get(c.town) ?? { open: 0, overdue: 0, closed: 0, withdrawn: 0, oldest: 0 };
    towns.set(c.town, t);
    const k = codes.get(c.code) ?? { cases: 0, open: 0, outcomes: {}, reviewClosed: 0, problems: 0 };
    codes.set(c.code, k);
    k.cases++;
    if (c.status === 'OPEN') {
      open++;
      t.open++;
      k.open++;
      const late = isOverdue(c, now, overdueDays);
      if (late) {
        overdue++;
        t.overdue++;
      }
      t.oldest = Math.max(t.oldest, Math.floor((Date.parse(now) - Date.parse(c.openedAt)) / 86_400_000));
      continue;
    }
    if (c.outcome === WITHDRAWN) {
      withdrawn++;
      t.withdrawn++;
    } else t.closed++;
    if (c.outcome !== undefined) k.outcomes[c.outcome] = (k.outcomes[c.outcome] ?? 0) + 1;
    if (c.severity === 'REVIEW' && c.kind === 'FINDING' && !isSystemOutcome(c.outcome)) {
      k.reviewClosed++;
      if (c.outcome === 'PROBLEM_CONFIRMED') k.problems++;
    }
    money.overpaidFen += c.money.overpaidFen;
    money.underpaidFen += c.money.underpaidFen;
    money.wronglyPaidFen += c.money.wronglyPaidFen;
    money.recoveredFen += c.money.recoveredFen;
  }
  const codeList = [...codes.entries()]
    .sort(([a], [b]) => byText(a, b))
    .map(([code, k]) => ({
      code,
      cases: k.cases,
      open: k.open,
      outcomes: k.outcomes,
      reviewClosed: k.reviewClosed,
      problemsConfirmed: k.problems,
      precision: k.reviewClosed === 0 ? undefined : k.problems / k.reviewClosed,
    }));
  const reviewClosed = codeList.reduce((n, c) => n + c.reviewClosed, 0);
  const problems = codeList.reduce((n, c) => n + c.problemsConfirmed, 0);
  return {
    month,
    cases: cases.length,
    open,
    overdue,
    withdrawn,
    towns: [...towns.entries()]
      .sort(([a], [b]) => byText(a, b))
      .map(([town, t]) => ({
        town,
        open: t.open,
        overdue: t.overdue,
        closed: t.closed,
        withdrawn: t.withdrawn,
        oldestOpenDays: Math.max(0, t.oldest),
      })),
    codes: codeList,
    money,
    precision: reviewClosed === 0 ? undefined : problems / reviewClosed,
  };
}
