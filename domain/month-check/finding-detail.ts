import type { PayeeRow } from './records.ts';

/**
 * Pieces of a finding's `detail`. A detail is bilingual, Chinese then English joined by ` / `,
 * cites its evidence (the file, and the line where the file has numbered records) and never
 * holds a whole ID number or account number.
 */

/** Joins the Chinese and English halves of a detail. */
export function bilingual(zh: string, en: string): string {
  return `${zh} / ${en}`;
}

/**
 * Where evidence comes from.
 * @example cite('reference/registry.csv', 17) // { zh: '（reference/registry.csv 第 17 行）', en: ' (reference/registry.csv line 17)' }
 */
export function cite(source: string, line?: number): { zh: string; en: string } {
  return line === undefined
    ? { zh: `（${source}）`, en: ` (${source})` }
    : { zh: `（${source} 第 ${line} 行）`, en: ` (${source} line ${line})` };
}

/**
 * A roster row, as the officer finds it.
 * @example rowNames({ batch: 'shiqi', row: 12, … }) // { zh: 'shiqi 第 12 行', en: 'shiqi row 12' }
 */
export function rowNames(row: PayeeRow): { zh: string; en: string } {
  return { zh: `${row.batch} 第 ${row.row} 行`, en: `${row.batch} row ${row.row}` };
}

/**
 * An account number reduced to its last 4 digits, enough to tell accounts apart on paper.
 * @example maskAccount('6222020200001234567') // '****4567'
 */
export function maskAccount(account: string): string {
  return `****${account.slice(-4)}`;
}
