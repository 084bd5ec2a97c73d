/**
 * A simulated city for the month-watch bench: 23 towns over two years, their people entering and
 * leaving each category every month, and planted events whose months and towns are known. It shares
 * nothing with the detector but the shape of a metrics row (contract 2.3): its own random numbers,
 * its own caseload model, its own sums.
 *
 * The model, per town:
 * - each person holds a primary category (one of the eight that last) and sometimes a second one
 *   (a DIBAO or TEKUN recipient with a disability or elderly allowance);
 * - every month each person leaves with the town's turnover rate (1–3 %), and new people enter
 *   each category at the same rate of its target size (so the caseload is a stock that drifts
 *   slowly around its target: a few entries and exits a month);
 * - temporary aid (TEMPORARY) is paid once to people drawn anew each month, more in winter;
 * - amounts per category from realistic ranges; in one month (`RAISE_MONTH`) the city raises the
 *   DIBAO standard (every DIBAO top-up +80 yuan) and the TEKUN support (+8 %) for everyone.
 *
 * Planted events (from the 7th month on; at most one per town and month):
 * - `jump`: the town pays +15 % to +60 % more people in every lasting category (new people with the
 *   category's usual amounts; they stay);
 * - `shift`: 10–30 % of a category's people move to another category (DIBAO → DIBAO_EDGE, TEKUN →
 *   DIBAO, DIBAO_EDGE → DIBAO): the town's total count stays flat;
 * - `nobody`: the town's roster is missing this month: it pays no one (and everyone again the month
 *   after).
 */

/** A metrics row as contract 2.3 lays it out; `category` absent on the all-categories row. */
export interface SimulatedRow {
  readonly month: string;
  readonly town: string;
  readonly category?: string;
  readonly recipients: number;
  readonly totalAmountFen: number;
  readonly population: number;
}

/** One planted event. `moved` counts the people concerned per category (before → after). */
export interface PlantedEvent {
  readonly month: string;
  readonly town: string;
  readonly kind: 'jump' | 'shift' | 'nobody';
  /** Jump: the relative rise (0.15 = +15 %). Shift: the share of the source category moved. */
  readonly size: number;
  /** The town's all-categories recipients the month before. */
  readonly townBefore: number;
  /** The town's all-categories recipients this month (as paid). */
  readonly townAfter: number;
  /** Per category concerned: recipients the month before and this month. */
  readonly categories: readonly { category: string; before: number; after: number }[];
}

/** A simulated city: its metrics rows month by month, and what was planted. */
export interface SimulatedCity {
  readonly months: readonly string[];
  readonly towns: readonly { code: string; population: number }[];
  /** Rows per month, in month order: one all-categories row per town, then its category rows. */
  readonly rowsByMonth: ReadonlyMap<string, readonly SimulatedRow[]>;
  readonly events: readonly PlantedEvent[];
  /** The month of the city-wide raise. */
  readonly raiseMonth: string;
}

export const TOWN_COUNT = 23;
export const SIMULATED_MONTHS = 24;
/** The first month (0-based index) with planted events: six quiet months come first. */
export const FIRST_EVENT_MONTH = 6;
/** The month (0-based index) of the city-wide raise. */
export const RAISE_MONTH = 14;
const FIRST_MONTH = '2025-01';
/** Events per month. */
const EVENTS_PER_MONTH = 2;

/** The lasting categories, with their share of a town's people and their amounts (yuan). */
const LASTING: readonly { code: string; share: number; amount: (r: Random) => number }[] = [
  { code: 'DIBAO', share: 0.4, amount: (r) => r.between(300, 1100) },
  { code: 'TEKUN', share: 0.06, amount: (r) => r.between(1500, 1800) },
  { code: 'DIBAO_EDGE', share: 0.12, amount: (r) => r.between(200, 500) },
  { code: 'HARDSHIP', share: 0.05, amount: (r) => r.between(300, 800) },
  { code: 'ELDERLY', share: 0.2, amount: (r) => [100, 200, 500][r.int(3)] as number },
  { code: 'CHILD', share: 0.03, amount: (r) => r.between(1800, 2100) },
  { code: 'DISABILITY_LIVING', share: 0.09, amount: () => 180 },
  { code: 'DISABILITY_CARE', share: 0.05, amount: () => 240 },
];
/** Temporary aid: people paid once this month, per 100 lasting recipients, by calendar month. */
const TEMPORARY_PER_100 = [6, 6, 3, 3, 2.5, 2.5, 2, 2, 2.5, 3, 3.5, 5];
const SECOND_CATEGORY = ['DISABILITY_LIVING', 'DISABILITY_CARE', 'ELDERLY'] as const;

interface Person {
  readonly id: number;
  primary: string;
  primaryFen: number;
  readonly second: { category: string; fen: number } | undefined;
}

interface Town {
  readonly code: string;
  readonly population: number;
  readonly turnover: number;
  /** Target size of each lasting category. */
  readonly target: Map<string, number>;
  people: Person[];
}

/** Simulates one city from `seed` (same seed, same city). */
export function simulateCity(seed: number): SimulatedCity {
  const random = new Random(seed);
  const months = Array.from({ length: SIMULATED_MONTHS }, (_, i) => addMonths(FIRST_MONTH, i));
  let nextId = 1;
  const amounts = new Map<string, (r: Random) => number>([
    ...LASTING.map((c) => [c.code, c.amount] as const),
    ['TEMPORARY', (r: Random) => Math.round(r.between(5, 30)) * 100],
  ]);
  const dibaoRaise = { fen: 0 };
  const tekunFactor = { value: 1 };
  const newAmount = (category: string) => {
    const base = Math.round((amounts.get(category) as (r: Random) => number)(random) * 100);
    if (category === 'DIBAO') return base + dibaoRaise.fen;
    if (category === 'TEKUN') return Math.round(base * tekunFactor.value);
    return base;
  };
  const newPerson = (category: string): Person => {
    const second =
      (category === 'DIBAO' || category === 'TEKUN') && random.next() < 0.15
        ? SECOND_CATEGORY[random.int(SECOND_CATEGORY.length)]
        : undefined;
    return {
      id: nextId++,
      primary: category,
      primaryFen: newAmount(category),
      second: second === undefined ? undefined : { category: second, fen: newAmount(second) },
    };
  };

  const sized: Town[] = Array.from({ length: TOWN_COUNT }, (_, i) => {
    const size = Math.round(60 * (6000 / 60) ** (i / (TOWN_COUNT - 1)));
    const target = new Map(
      LASTING.map((c) => [c.code, Math.max(1, size * c.share * random.between(0.6, 1.4))]),
    );
    const code = `town${String(i + 1).padStart(2, '0')}`;
    const town: Town = {
      code,
      population: Math.round(size / random.between(0.01, 0.04)),
      turnover: random.between(0.01, 0.03),
      target,
      people: [],
    };
    for (const [category, n] of target) {
      for (let k = 0; k < Math.round(n); k++) town.people.push(newPerson(category));
    }
    return town;
  });
  // Shuffled, so that the files do not list the towns by size.
  const towns = random.pick(sized, sized.length);

  const rowsByMonth = new Map<string, SimulatedRow[]>();
  const events: PlantedEvent[] = [];
  let previous = new Map<string, { all: number; byCategory: Map<string, number> }>();
  months.forEach((month, index) => {
    if (index === RAISE_MONTH) {
      dibaoRaise.fen = 8000;
      tekunFactor.value = 1.08;
      for (const town of towns) {
        for (const p of town.people) {
          if (p.primary === 'DIBAO') p.primaryFen += 8000;
          if (p.primary === 'TEKUN') p.primaryFen = Math.round(p.primaryFen * 1.08);
        }
      }
    }
    if (index > 0) for (const town of towns) turnOver(town, random, newPerson);
    const planted = new Map<string, { kind: PlantedEvent['kind']; size: number; concerned: string[] }>();
    if (index >= FIRST_EVENT_MONTH) {
      // Not in a town that had one last month: each event is judged against a month of its own.
      const lastMonth = new Set(events.filter((e) => e.month === months[index - 1]).map((e) => e.town));
      for (const town of random.pick(
        towns.filter((t) => !lastMonth.has(t.code)),
        EVENTS_PER_MONTH,
      )) {
        planted.set(town.code, plant(town, random, newPerson, newAmount));
      }
    }
    const rows: SimulatedRow[] = [];
    const now = new Map<string, { all: number; byCategory: Map<string, number> }>();
    for (const town of towns) {
      const event = planted.get(town.code);
      const temporary = random.poisson(
        (town.people.length * (TEMPORARY_PER_100[Number(month.slice(5)) - 1] as number)) / 100,
      );
      const paid = event?.kind === 'nobody' ? [] : town.people;
      const temps = event?.kind === 'nobody' ? 0 : temporary;
      const sums = sumsOf(paid, temps, () => newAmount('TEMPORARY'));
      now.set(town.code, { all: sums.all.recipients, byCategory: sums.byCategoryCount });
      rows.push({
        month,
        town: town.code,
        recipients: sums.all.recipients,
        totalAmountFen: sums.all.fen,
        population: town.population,
      });
      for (const [category, s] of sums.byCategory) {
        rows.push({ month, town: town.code, category, ...s, population: town.population });
      }
      if (event !== undefined) {
        const before = previous.get(town.code);
        events.push({
          month,
          town: town.code,
          kind: event.kind,
          size: event.size,
          townBefore: before?.all ?? 0,
          townAfter: sums.all.recipients,
          categories: event.concerned.map((category) => ({
            category,
            before: before?.byCategory.get(category) ?? 0,
            after: sums.byCategoryCount.get(category) ?? 0,
          })),
        });
      }
    }
    previous = now;
    rowsByMonth.set(month, rows);
  });
  return {
    months,
    towns: towns.map((t) => ({ code: t.code, population: t.population })),
    rowsByMonth,
    events,
    raiseMonth: months[RAISE_MONTH] as string,
  };
}

function turnOver(town: Town, random: Random, newPerson: (category: string) => Person): void {
  town.people = town.people.filter(() => random.next() >= town.turnover);
  for (const [category, target] of town.target) {
    const entering = random.poisson(town.turnover * target);
    for (let k = 0; k < entering; k++) town.people.push(newPerson(category));
  }
}

function plant(
  town: Town,
  random: Random,
  newPerson: (category: string) => Person,
  newAmount: (category: string) => number,
): { kind: PlantedEvent['kind']; size: number; concerned: string[] } {
  const roll = random.next();
  if (roll < 0.45) {
    const size = [0.15, 0.2, 0.3, 0.4, 0.6][random.int(5)] as number;
    const counts = countsOf(town.people);
    for (const [category, n] of counts) {
      const added = Math.round(n * size);
      for (let k = 0; k < added; k++) town.people.push(newPerson(category));
      // The town's target follows: the new people stay, as a real caseload would.
      town.target.set(category, (town.target.get(category) ?? 0) * (1 + size));
    }
    return { kind: 'jump', size, concerned: [...counts.keys()] };
  }
  if (roll < 0.8) {
    const [from, to] = [
      ['DIBAO', 'DIBAO_EDGE'],
      ['TEKUN', 'DIBAO'],
      ['DIBAO_EDGE', 'DIBAO'],
    ][random.int(3)] as [string, string];
    const size = random.between(0.1, 0.3);
    const sources = town.people.filter((p) => p.primary === from);
    const moved = random.pick(sources, Math.round(sources.length * size));
    for (const p of moved) {
      p.primary = to;
      p.primaryFen = newAmount(to);
    }
    return { kind: 'shift', size, concerned: [from, to] };
  }
  return { kind: 'nobody', size: -1, concerned: [] };
}

function countsOf(people: readonly Person[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of people) counts.set(p.primary, (counts.get(p.primary) ?? 0) + 1);
  return counts;
}

/** The month's sums: distinct people overall, and per category (people holding it, what they got). */
function sumsOf(people: readonly Person[], temporary: number, temporaryFen: () => number) {
  const byCategory = new Map<string, { recipients: number; totalAmountFen: number }>();
  const add = (category: string, fen: number) => {
    const s = byCategory.get(category) ?? { recipients: 0, totalAmountFen: 0 };
    s.recipients += 1;
    s.totalAmountFen += fen;
    byCategory.set(category, s);
  };
  let fen = 0;
  for (const p of people) {
    add(p.primary, p.primaryFen);
    fen += p.primaryFen;
    if (p.second !== undefined) {
      add(p.second.category, p.second.fen);
      fen += p.second.fen;
    }
  }
  for (let k = 0; k < temporary; k++) {
    const amount = temporaryFen();
    add('TEMPORARY', amount);
    fen += amount;
  }
  const ordered = new Map(
    [...LASTING.map((c) => c.code), 'TEMPORARY']
      .filter((c) => byCategory.has(c))
      .map((c) => [c, byCategory.get(c) as { recipients: number; totalAmountFen: number }]),
  );
  return {
    all: { recipients: people.length + temporary, fen },
    byCategory: ordered,
    byCategoryCount: new Map([...ordered].map(([c, s]) => [c, s.recipients])),
  };
}

/** `YYYY-MM` plus `n` months. */
function addMonths(month: string, n: number): string {
  const total = Number(month.slice(0, 4)) * 12 + Number(month.slice(5)) - 1 + n;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}

/** mulberry32 with the few draws the model needs. */
class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  between(low: number, high: number): number {
    return low + (high - low) * this.next();
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** Poisson: Knuth's product for small means, the normal approximation above 30. */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) {
      const u = 1 - this.next();
      const v = this.next();
      const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
      return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal));
    }
    const limit = Math.exp(-mean);
    let k = 0;
    let product = this.next();
    while (product > limit) {
      k++;
      product *= this.next();
    }
    return k;
  }
  /** `count` distinct items drawn at random. */
  pick<T>(items: readonly T[], count: number): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy.slice(0, Math.max(0, Math.min(count, copy.length)));
  }
}
