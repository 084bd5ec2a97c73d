/**
 * Building blocks of the demonstration data: a seeded PRNG, the demonstration city's towns,
 * Chinese names, resident ID numbers (GB 11643-1999) and small month/amount helpers.
 * Self-contained on purpose (no `domain/` imports): the generator must not share code with the
 * validator it is meant to exercise.
 */

/** A small seeded PRNG (mulberry32): same seed, same sequence, on every platform. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [lo, hi] (both inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  /** Picks by weight from a {@link Weighted} table. */
  weighted<T>(table: Weighted<T>): T {
    const r = this.next() * table.total;
    const { cumulative, values } = table;
    let i = 0;
    while (i < cumulative.length - 1 && r >= (cumulative[i] ?? 0)) i++;
    const value = values[i];
    if (value === undefined) throw new RangeError('weighted pick from an empty table');
    return value;
  }

  /** `count` distinct integers of [lo, hi], in random order. */
  distinct(count: number, lo: number, hi: number): number[] {
    const seen = new Set<number>();
    const span = hi - lo + 1;
    if (count > span) throw new RangeError(`cannot draw ${count} distinct values from ${span}`);
    while (seen.size < count) seen.add(this.int(lo, hi));
    return [...seen];
  }
}

/** A table of values with weights, for {@link Rng.weighted}. */
export class Weighted<T> {
  readonly values: readonly T[];
  readonly cumulative: readonly number[];
  readonly total: number;

  constructor(items: readonly (readonly [T, number])[]) {
    let total = 0;
    this.values = items.map(([value]) => value);
    this.cumulative = items.map(([, weight]) => {
      total += weight;
      return total;
    });
    this.total = total;
  }
}

/** Derives an independent 32-bit seed for a sub-stream (town, role, …) from the main seed. */
export function subSeed(seed: number, stream: number): number {
  let h = (seed ^ Math.imul(stream + 0x9e3779b9, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Towns

export interface DemoTown {
  readonly code: string;
  readonly name: string;
  readonly population: number;
}

/**
 * The 23 towns and sub-districts of a Guangdong prefecture-level city without counties
 * (modelled on Zhongshan: 8 sub-districts 街道 and 15 towns 镇). Populations are rounded.
 */
export const CITY_TOWNS: readonly DemoTown[] = [
  { code: 'shiqi', name: '石岐街道', population: 180000 },
  { code: 'dongqu', name: '东区街道', population: 150000 },
  { code: 'xiqu', name: '西区街道', population: 160000 },
  { code: 'nanqu', name: '南区街道', population: 90000 },
  { code: 'wuguishan', name: '五桂山街道', population: 60000 },
  { code: 'huoju', name: '火炬开发区', population: 300000 },
  { code: 'minzhong', name: '民众街道', population: 150000 },
  { code: 'nanlang', name: '南朗街道', population: 160000 },
  { code: 'xiaolan', name: '小榄镇', population: 320000 },
  { code: 'guzhen', name: '古镇镇', population: 220000 },
  { code: 'tanzhou', name: '坦洲镇', population: 190000 },
  { code: 'huangpu', name: '黄圃镇', population: 130000 },
  { code: 'sanxiang', name: '三乡镇', population: 200000 },
  { code: 'dongfeng', name: '东凤镇', population: 180000 },
  { code: 'henglan', name: '横栏镇', population: 170000 },
  { code: 'sanjiao', name: '三角镇', population: 140000 },
  { code: 'nantou', name: '南头镇', population: 130000 },
  { code: 'shaxi', name: '沙溪镇', population: 150000 },
  { code: 'banfu', name: '板芙镇', population: 70000 },
  { code: 'dachong', name: '大涌镇', population: 80000 },
  { code: 'shenwan', name: '神湾镇', population: 50000 },
  { code: 'gangkou', name: '港口镇', population: 110000 },
  { code: 'fusha', name: '阜沙镇', population: 60000 },
];

/** The first `count` towns; beyond 23, synthetic new districts `xinqu-24`, 新区24街道, …. */
export function demoTowns(count: number): DemoTown[] {
  const towns = CITY_TOWNS.slice(0, count);
  for (let n = towns.length + 1; n <= count; n++) {
    towns.push({ code: `xinqu-${n}`, name: `新区${n}街道`, population: 50000 + ((n * 7919) % 30) * 10000 });
  }
  return towns;
}

// ---------------------------------------------------------------------------------------------
// Names

/** Common surnames in the Pearl River Delta, roughly weighted; a few compound surnames. */
const SURNAMES = new Weighted<string>([
  ['陈', 14],
  ['梁', 9],
  ['黄', 9],
  ['李', 8],
  ['何', 6],
  ['林', 6],
  ['张', 6],
  ['刘', 5],
  ['吴', 5],
  ['郭', 3],
  ['杨', 3],
  ['冯', 3],
  ['谭', 3],
  ['区', 2],
  ['罗', 3],
  ['周', 2],
  ['郑', 3],
  ['麦', 2],
  ['苏', 2],
  ['卢', 2],
  ['钟', 2],
  ['彭', 1],
  ['曾', 2],
  ['余', 2],
  ['萧', 1],
  ['古', 1],
  ['阮', 1],
  ['欧阳', 1],
  ['司徒', 1],
  ['简', 1],
  ['缪', 1],
]);
const GIVEN_MALE = '伟强志明国华建平文杰俊辉永德家锦荣耀振兴宏达浩然子轩嘉豪卓贤炳坤添福伯炽树根'.split('');
const GIVEN_FEMALE = '丽芳秀英美玲淑珍慧敏婉仪嘉欣咏琪凤霞翠兰月娥桂娟少芬惠玉洁雪梅晓彤紫莹'.split('');

/** A Chinese name; `surname` keeps a household's family name. */
export function chineseName(rng: Rng, female: boolean, surname?: string): string {
  const family = surname ?? rng.weighted(SURNAMES);
  const pool = female ? GIVEN_FEMALE : GIVEN_MALE;
  const given = rng.chance(0.25) ? rng.pick(pool) : rng.pick(pool) + rng.pick(pool);
  return family + given;
}

export function surnameOf(name: string): string {
  return name.startsWith('欧阳') || name.startsWith('司徒') ? name.slice(0, 2) : name.slice(0, 1);
}

// ---------------------------------------------------------------------------------------------
// Resident ID numbers (GB 11643-1999)

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK = '10X98765432';

/** The MOD 11-2 check character of 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK.charAt(sum % 11);
}

/** A full 18-character ID for an area code, a birth date `YYYYMMDD` and a 3-digit sequence. */
export function makeId(area: string, birth: string, sequence: number): string {
  const first17 = `${area}${birth}${String(sequence).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}

/** True when `id` is 18 characters with a correct check character and a real birth date. */
export function isValidId(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  if (idCheckChar(id.slice(0, 17)) !== id.charAt(17)) return false;
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  return m >= 1 && m <= 12 && d >= 1 && civilFromDays(daysFromCivil(y, m, d)) === id.slice(6, 14);
}

/** A check character different from the right one (a typing error in the last position). */
export function wrongCheckChar(first17: string, rng: Rng): string {
  const right = idCheckChar(first17);
  const others = '0123456789X'.replace(right, '').split('');
  return rng.pick(others);
}

// ---------------------------------------------------------------------------------------------
// Months, dates, money

export function splitYm(month: string): { year: number; month: number } {
  return { year: Number(month.slice(0, 4)), month: Number(month.slice(5, 7)) };
}

/** `YYYY-MM` shifted by `delta` months. */
export function addMonths(month: string, delta: number): string {
  const { year, month: m } = splitYm(month);
  const index = year * 12 + (m - 1) + delta;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** `YYYYMMDD` of a day number (days since 1970-01-01); integer arithmetic only. */
export function civilFromDays(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}${m < 10 ? '0' : ''}${m}${d < 10 ? '0' : ''}${d}`;
}

/** `YYYYMMDD` of the date `daysBefore` days before the first day of `month`. */
export function birthDateBefore(month: string, daysBefore: number): string {
  const { year, month: m } = splitYm(month);
  return civilFromDays(daysFromCivil(year, m, 1) - daysBefore);
}

/** Age in whole years on the first day of `month` of someone born `YYYYMMDD`. */
export function ageAt(birth: string, month: string): number {
  const { year, month: m } = splitYm(month);
  const by = Number(birth.slice(0, 4));
  const bm = Number(birth.slice(4, 6));
  const bd = Number(birth.slice(6, 8));
  return year - by - (bm > m || (bm === m && bd > 1) ? 1 : 0);
}

/** Fen as yuan with exactly 2 decimals (`1180.00`). */
export function yuanFixed(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/**
 * Fen of a yuan amount written with exactly 2 decimals (`1180.00`), the form {@link yuanFixed} and
 * the pipeline's outputs write; `undefined` for any other text. The demonstration reads the files it
 * wrote and the release it is given with this, not with the pipeline's money parser it exercises.
 */
export function fenOfYuanFixed(text: string): number | undefined {
  const match = /^(\d+)\.(\d{2})$/.exec(text);
  return match ? Number(match[1]) * 100 + Number(match[2]) : undefined;
}

/** Fen as an officer types it: no trailing zeros (`1180`, `300.5`, `820.25`). */
export function yuanNatural(fen: number): string {
  if (fen % 100 === 0) return String(fen / 100);
  if (fen % 10 === 0) return `${Math.floor(fen / 100)}.${(fen % 100) / 10}`;
  return yuanFixed(fen);
}
