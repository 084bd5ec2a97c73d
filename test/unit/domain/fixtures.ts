import { TownDirectory } from '#domain/town-directory.ts';

/** GB 11643-1999 weights, written out as the standard lists them (independent of the unit under test). */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** Reference MOD 11-2 check character, table-driven. */
export function referenceCheckCharacter(first17: string): string {
  const sum = [...first17].reduce((s, d, i) => s + Number(d) * (WEIGHTS[i] ?? 0), 0);
  return '10X98765432'.charAt(sum % 11);
}

/** A valid ID for a birth date `YYYYMMDD` (area code 442000, sequence `seq`). */
export function idBornOn(birth: string, seq = '123'): string {
  const first17 = `442000${birth}${seq}`;
  return first17 + referenceCheckCharacter(first17);
}

/** An ID of that birth date with a wrong check character. */
export function withWrongCheck(id: string): string {
  const right = id.charAt(17);
  return id.slice(0, 17) + (right === '5' ? '6' : '5');
}

export const TOWNS = [
  { code: 'shiqi', name: '石岐街道', population: 150_000 },
  { code: 'DQ02', name: '东区街道', population: 120_000 },
];

export const townDirectory = (): TownDirectory => new TownDirectory(TOWNS);
