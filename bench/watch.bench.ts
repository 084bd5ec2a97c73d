/**
 * `npm run bench -- watch`: how well the month watch finds what was planted in simulated cities
 * (`watch-city.ts`: 23 towns, two years of caseloads with turnover, seasonal temporary aid and a
 * city-wide raise), and how often it flags what was not. Prints detection rates per event, category
 * and size, and false flags per city-month.
 *
 * A flag is counted once per (town, category) and month, whatever the metrics flagged. It is true
 * when the town had an event that month and the category is one the event concerned (a jump or a
 * town paying nobody concerns all of them; a shift concerns its two categories, not the town's
 * all-categories row). A detector that writes no `category` column (one that judges town totals
 * only) is given the all-categories rows only.
 *
 *   tsx bench/watch.bench.ts [--cities 8] [--seed 1]
 */
import { parseArgs } from 'node:util';
import { detectAnomalies } from '#domain/anomaly/detect-anomalies.ts';
import { ANOMALIES_CSV_COLUMNS, type TownMonthMetrics } from '#schemas/metrics.ts';
import {
  FIRST_EVENT_MONTH,
  type PlantedEvent,
  SIMULATED_MONTHS,
  type SimulatedRow,
  simulateCity,
  TOWN_COUNT,
} from './watch-city.ts';

const { values } = parseArgs({
  options: { cities: { type: 'string', default: '8' }, seed: { type: 'string', default: '1' } },
  strict: false,
});
const cities = Number(values.cities);
const firstSeed = Number(values.seed);
/** The goal: events of at least this rise (or fall) and this many people. */
const GOAL_CHANGE = 0.15;
const GOAL_PEOPLE = 10;
const ALL = '';

const perCategory = (ANOMALIES_CSV_COLUMNS as readonly string[]).includes('category');
const SIZES = [
  [0, 100, '<100'],
  [100, 500, '100-499'],
  [500, 2000, '500-1999'],
  [2000, Number.POSITIVE_INFINITY, '>=2000'],
] as const;

/** Eligible and detected, per line of the table. */
class Tally {
  readonly lines = new Map<string, { eligible: number; detected: number }>();
  add(line: string, detected: boolean): void {
    const t = this.lines.get(line) ?? { eligible: 0, detected: 0 };
    t.eligible += 1;
    if (detected) t.detected += 1;
    this.lines.set(line, t);
  }
}

const tally = new Tally();
const falseFlagsPerMonth: number[] = [];
const falseFlagsRaiseMonth: number[] = [];
/** False flags per category (all categories: `all`). */
const falseByCategory = new Map<string, number>();
/** False flags in a town that had an event the month before (a level that stayed where it jumped). */
let falseFlagsAfterEvents = 0;
let totalRowsFlaggedOnShifts = 0;
let shifts = 0;
let flaggedRows = 0;
let judgedRows = 0;
const started = performance.now();

for (let c = 0; c < cities; c++) {
  const city = simulateCity(firstSeed + c);
  for (let index = FIRST_EVENT_MONTH; index < SIMULATED_MONTHS; index++) {
    const month = city.months[index] as string;
    const history = city.months
      .slice(Math.max(0, index - 13), index)
      .flatMap((m) => given(city.rowsByMonth.get(m)));
    const current = given(city.rowsByMonth.get(month));
    const { rows } = detectAnomalies(current as TownMonthMetrics[], history as TownMonthMetrics[]);
    judgedRows += rows.length;
    const flagged = new Set(
      rows
        .filter((r) => r.flagged)
        .map((r) => unit(r.town, (r as { category?: string | null }).category ?? ALL)),
    );
    flaggedRows += rows.filter((r) => r.flagged).length;
    const events = city.events.filter((e) => e.month === month);
    const truth = new Set<string>();
    for (const event of events) {
      score(event, flagged);
      if (event.kind === 'shift') {
        shifts += 1;
        if (flagged.has(unit(event.town, ALL))) totalRowsFlaggedOnShifts += 1;
        for (const k of event.categories) truth.add(unit(event.town, k.category));
      } else {
        for (const u of flagged) if (u.startsWith(`${event.town}|`)) truth.add(u);
      }
    }
    const falseFlags = [...flagged].filter((u) => !truth.has(u)).length;
    for (const u of [...flagged].filter((f) => !truth.has(f))) {
      const category = u.split('|')[1] || 'all';
      falseByCategory.set(category, (falseByCategory.get(category) ?? 0) + 1);
      if (process.env.WATCH_BENCH_DEBUG) {
        for (const r of rows.filter(
          (x) => x.flagged && unit(x.town, (x as { category?: string | null }).category ?? ALL) === u,
        )) {
          console.log(
            `false flag ${month} ${u} ${r.metric} ${r.value} ${r.baseline} ${r.score} ${r.explanation.split(' / ')[1]}`,
          );
        }
      }
    }
    const lastMonth = new Set(
      city.events.filter((e) => e.month === city.months[index - 1]).map((e) => `${e.town}|`),
    );
    falseFlagsAfterEvents += [...flagged].filter(
      (u) => !truth.has(u) && [...lastMonth].some((t) => u.startsWith(t)),
    ).length;
    falseFlagsPerMonth.push(falseFlags);
    if (month === city.raiseMonth) falseFlagsRaiseMonth.push(falseFlags);
  }
}

function given(rows: readonly SimulatedRow[] | undefined): readonly SimulatedRow[] {
  return (rows ?? []).filter((r) => perCategory || r.category === undefined);
}

function unit(town: string, category: string): string {
  return `${town}|${category}`;
}

function sizeOf(people: number): string {
  return (SIZES.find(([low, high]) => people >= low && people < high) as (typeof SIZES)[number])[2];
}

function score(event: PlantedEvent, flagged: ReadonlySet<string>): void {
  const townFlagged = flagged.has(unit(event.town, ALL));
  const moved = Math.abs(event.townAfter - event.townBefore);
  if (event.kind === 'jump' || event.kind === 'nobody') {
    if (moved < GOAL_PEOPLE) return;
    const name = event.kind === 'jump' ? 'whole-town jump' : 'town paying nobody';
    tally.add(`${name}|all categories|${sizeOf(event.townBefore)}`, townFlagged);
    if (event.kind === 'nobody') return;
  }
  for (const k of event.categories) {
    const change = k.before > 0 ? k.after / k.before - 1 : Number.POSITIVE_INFINITY;
    const people = Math.abs(k.after - k.before);
    const planted = event.kind === 'jump' ? event.size : Math.abs(change);
    if (people < GOAL_PEOPLE || planted < GOAL_CHANGE) continue;
    const name =
      event.kind === 'jump' ? 'jump, per category' : k.after < k.before ? 'shift, out of' : 'shift, into';
    tally.add(`${name}|${k.category}|${sizeOf(k.before)}`, flagged.has(unit(event.town, k.category)));
  }
}

const percent = (n: number, d: number) => (d === 0 ? '     -' : `${((100 * n) / d).toFixed(1).padStart(5)}%`);
const sum = (lines: (readonly [string, { eligible: number; detected: number }])[]) =>
  lines.reduce((t, [, v]) => ({ eligible: t.eligible + v.eligible, detected: t.detected + v.detected }), {
    eligible: 0,
    detected: 0,
  });
const grouped = (key: (parts: string[]) => string) => {
  const groups = new Map<string, (readonly [string, { eligible: number; detected: number }])[]>();
  for (const entry of tally.lines) {
    const k = key(entry[0].split('|'));
    groups.set(k, [...(groups.get(k) ?? []), entry]);
  }
  return [...groups].sort(([a], [b]) => a.localeCompare(b));
};
const line = (label: string, t: { eligible: number; detected: number }) =>
  `  ${label.padEnd(44)} ${String(t.eligible).padStart(6)} ${String(t.detected).padStart(8)}  ${percent(t.detected, t.eligible)}`;

const months = falseFlagsPerMonth.length;
const total = sum([...tally.lines]);
const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
console.log(
  `month watch bench: ${cities} simulated cities x ${SIMULATED_MONTHS} months, ${TOWN_COUNT} towns each; ` +
    `judged months ${FIRST_EVENT_MONTH + 1}-${SIMULATED_MONTHS} (${months} city-months); ` +
    `detector ${perCategory ? 'per category' : 'town totals only'}`,
);
console.log(`events of >= ${GOAL_CHANGE * 100}% and >= ${GOAL_PEOPLE} people`);
console.log(`  ${'event | category'.padEnd(44)} ${'events'.padStart(6)} ${'detected'.padStart(8)}    rate`);
for (const [name, entries] of grouped((p) => `${p[0]}|${p[1]}`)) {
  console.log(line(name.replace('|', ' | '), sum(entries)));
}
console.log('by size of what moved (recipients the month before)');
for (const [size, entries] of grouped((p) => p[2] as string).sort(
  ([a], [b]) => SIZES.findIndex((s) => s[2] === a) - SIZES.findIndex((s) => s[2] === b),
)) {
  console.log(line(size, sum(entries)));
}
console.log(line('all events', total));
console.log(
  `false flags per city-month: mean ${mean(falseFlagsPerMonth).toFixed(2)}, max ${Math.max(...falseFlagsPerMonth)}, ` +
    `months without any ${percent(falseFlagsPerMonth.filter((n) => n === 0).length, months).trim()}; ` +
    `in the month of the city-wide raise: mean ${mean(falseFlagsRaiseMonth).toFixed(2)}; ` +
    `${falseFlagsAfterEvents} of ${falseFlagsPerMonth.reduce((a, b) => a + b, 0)} in a town the month after its event`,
);
console.log(
  `false flags by category: ${[...falseByCategory]
    .sort((a, b) => b[1] - a[1])
    .map(([c, n]) => `${c} ${n}`)
    .join(', ')}`,
);
console.log(
  `category shifts whose town total was flagged: ${totalRowsFlaggedOnShifts} of ${shifts}; ` +
    `flagged rows ${flaggedRows} of ${judgedRows}; ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
console.log(
  `goal (>= 95% detected, <= 1 false flag per city-month): ${
    total.detected >= 0.95 * total.eligible && mean(falseFlagsPerMonth) <= 1 ? 'met' : 'NOT met'
  }`,
);
