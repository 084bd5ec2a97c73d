import { seededRandom } from './seeded-random.ts';

/** A household that may be drawn for a home visit, within one town (the stratum). */
export interface SampleHousehold {
  readonly town: string;
  readonly householdId: string;
  /** the household's first payee (by batch, then row) */
  readonly idNumber: string;
  /** finding codes on the household's rows (BLOCK or REVIEW of contract 3.3), distinct, sorted */
  readonly findingCodes: readonly string[];
}

/** How the month's home visits are drawn. */
export interface SampleOptions {
  /** Any non-empty text; the same seed and data give the same sample. */
  readonly seed: string;
  /** share of each town's households to visit, 0 < share <= 1 */
  readonly share: number;
  /** Visits per town at least (all households when the town has fewer); an integer >= 0. */
  readonly minPerTown: number;
  /** weight of a household with findings relative to 1 (>= 1; 1 = no preference) */
  readonly findingsWeight: number;
  /** spare replacements per town, as a share of the visits (at least 1 when the town has households left) */
  readonly spareShare: number;
}

/** The bureau's defaults: 2 % of each town's households, at least 3, findings weigh 3, 20 % spares. */
export const DEFAULT_SAMPLE_OPTIONS: Omit<SampleOptions, 'seed'> = Object.freeze({
  share: 0.02,
  minPerTown: 3,
  findingsWeight: 3,
  spareShare: 0.2,
});

/** One drawn household: a visit, or a spare to visit instead of one that cannot be visited. */
export interface SampleRow {
  readonly town: string;
  readonly householdId: string;
  readonly idNumber: string;
  readonly kind: 'VISIT' | 'REPLACEMENT';
  /** 1-based order within the town: visits first, then replacements in the order to use them */
  readonly rank: number;
  readonly reason: string;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** `⌈share × n⌉`, the product first rounded to 12 significant digits (so 0.07 × 100 is 7, not 8). */
const ceilShare = (share: number, n: number) => Math.ceil(Number((share * n).toPrecision(12)));

/**
 * The seed of a town's own random stream: one town's households never change another town's draw.
 * It is the JSON text of `[seed, town]`, which no other (seed, town) pair shares.
 */
export const townStreamSeed = (seed: string, town: string): string => JSON.stringify([seed, town]);

/**
 * Checks the options.
 * @throws RangeError naming the option and the allowed range when one is out of range.
 */
export function validateSampleOptions(options: SampleOptions): void {
  const { seed, share, minPerTown, findingsWeight, spareShare } = options;
  if (typeof seed !== 'string' || seed.length === 0)
    throw new RangeError('sample seed must be non-empty text');
  if (!(Number.isFinite(share) && share > 0 && share <= 1)) {
    throw new RangeError(`sample share must be > 0 and <= 1, got ${share}`);
  }
  if (!(Number.isInteger(minPerTown) && minPerTown >= 0)) {
    throw new RangeError(`sample minPerTown must be an integer >= 0, got ${minPerTown}`);
  }
  if (!(Number.isFinite(findingsWeight) && findingsWeight >= 1)) {
    throw new RangeError(`sample findingsWeight must be a finite number >= 1, got ${findingsWeight}`);
  }
  if (!(Number.isFinite(spareShare) && spareShare >= 0)) {
    throw new RangeError(`sample spareShare must be a finite number >= 0, got ${spareShare}`);
  }
}

/**
 * The bilingual reason of a drawn household: how it was drawn (a visit, or replacement number
 * `replacement`), and the findings that weighted it (`findingCodes`: distinct, sorted).
 */
export function sampleReason(
  findingCodes: readonly string[],
  replacement: number | undefined,
  weight: number,
): string {
  const [zh, en] =
    replacement === undefined
      ? ['随机抽取', 'random draw']
      : [`备选 ${replacement}`, `replacement ${replacement}`];
  if (findingCodes.length === 0) return `${zh} / ${en}`;
  const codes = findingCodes.join(', ');
  return `${zh}（有核查发现，权重×${weight}：${codes}）/ ${en}, weighted ×${weight} for findings: ${codes}`;
}

/** A household's weight in the draw: `findingsWeight` with findings, else 1. */
export const drawWeight = (hasFindings: boolean, options: SampleOptions): number =>
  hasFindings ? options.findingsWeight : 1;

/**
 * A household's key in the weighted draw, from its number `u` of the town's stream (Efraimidis–
 * Spirakis: the largest keys u^(1/w) are a weighted sample without replacement; ln(u)/w orders
 * the same and does not lose precision). Keys are negative and finite (u is in (0, 1)).
 */
export const drawKey = (u: number, weight: number): number => Math.log(u) / weight;

/**
 * How many of a town's `n` households are visited, `min(n, max(minPerTown, ⌈share × n⌉))`, and
 * how many replacements follow, `max(1, ⌈spareShare × visits⌉)` (as many as are left, if fewer).
 */
export function townDrawSizes(n: number, options: SampleOptions): { visits: number; replacements: number } {
  const visits = Math.min(n, Math.max(options.minPerTown, ceilShare(options.share, n)));
  const left = n - visits;
  const replacements = left === 0 ? 0 : Math.min(left, Math.max(1, ceilShare(options.spareShare, visits)));
  return { visits, replacements };
}

/** The town's households sorted by household_id, each once. */
function sortedHouseholds(town: string, households: SampleHousehold[]): SampleHousehold[] {
  const sorted = [...households].sort((a, b) => compare(a.householdId, b.householdId));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]?.householdId === sorted[i - 1]?.householdId) {
      throw new RangeError(`household ${sorted[i]?.householdId} appears twice in town ${town}`);
    }
  }
  return sorted;
}

/** One town's visits, then its replacements in the order to use them. */
function drawTown(town: string, households: SampleHousehold[], options: SampleOptions): SampleRow[] {
  const random = seededRandom(townStreamSeed(options.seed, town));
  const weightOf = (h: SampleHousehold) => drawWeight(h.findingCodes.length > 0, options);
  // Ties of keys (practically never) go to the lower household_id.
  const keyed = sortedHouseholds(town, households).map((household) => ({
    household,
    key: drawKey(random.next(), weightOf(household)),
  }));
  keyed.sort((a, b) => b.key - a.key || compare(a.household.householdId, b.household.householdId));

  const { visits, replacements } = townDrawSizes(keyed.length, options);
  // The keys after the visits' continue the same weighted draw without replacement from the rest.
  return keyed.slice(0, visits + replacements).map(({ household }, i) => {
    const replacement = i < visits ? undefined : i - visits + 1;
    return {
      town,
      householdId: household.householdId,
      idNumber: household.idNumber,
      kind: replacement === undefined ? 'VISIT' : 'REPLACEMENT',
      rank: i + 1,
      reason: sampleReason(household.findingCodes, replacement, weightOf(household)),
    };
  });
}

/**
 * Draws the month's home visits, stratified per town (towns in code order). In each town,
 * `min(households, max(minPerTown, ⌈share × households⌉))` households are drawn at random without
 * replacement, a household with findings weighing `findingsWeight` against 1, then
 * `max(1, ⌈spareShare × visits⌉)` replacements (as many as are left, if fewer) the same way from
 * the rest. Each town draws from its own stream (seed + town) over its households sorted by
 * household_id, so the input order does not matter and one town's data never changes another
 * town's draw: the same seed and data give the same sample.
 * @throws RangeError when an option is out of range or a household appears twice in a town.
 */
export function drawSample(households: readonly SampleHousehold[], options: SampleOptions): SampleRow[] {
  validateSampleOptions(options);
  const byTown = new Map<string, SampleHousehold[]>();
  for (const h of households) {
    const town = byTown.get(h.town);
    if (town) town.push(h);
    else byTown.set(h.town, [h]);
  }
  return [...byTown.keys()].sort(compare).flatMap((town) => drawTown(town, byTown.get(town) ?? [], options));
}
