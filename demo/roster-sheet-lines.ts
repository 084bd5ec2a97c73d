/**
 * A roster as town offices keep it (contract 2, "Roster sheets as offices keep them"): a title and
 * a unit line above the header, a 合计 line after the rows stating their total, and the lines to
 * sign below it. The GB18030 town's CSV and the XLSX town's workbook are kept so (profile
 * `sheetTitle`); the total is right, so both files are accepted, and their validation reports show
 * where the header was found and the total checked.
 */
import type { TownPlan } from './model.ts';
import { amountFen, clean } from './oracle.ts';
import { daysFromCivil, splitYm } from './people.ts';

/** The unit line under the title. */
export const UNIT_LINE = '单位：元';

/** The first field of the total line. */
export const TOTAL_LABEL = '合计';

/** Highest valid amount of one roster row, in fen (contract 2.1: 100000.00). */
const MAX_ROW_FEN = 10_000_000;

/** Serial of 1970-01-01 in Excel's 1900 date system. */
const SERIAL_1970 = 25_569;

/** The roster's title, e.g. `三乡镇2026年10月救助资金发放花名册`. */
export function rosterTitle(plan: TownPlan, month: string): string {
  const { year, month: m } = splitYm(month);
  return `${plan.town.name}${year}年${m}月救助资金发放花名册`;
}

/**
 * What the 合计 line states, in fen: the sum of the roster's amounts that are valid (contract 2.1:
 * a plain decimal above 0 and at most 100000.00, after trimming), whatever else is wrong with
 * their rows — the sum the office's spreadsheet makes of them.
 */
export function statedTotalFen(plan: TownPlan): number {
  let total = 0;
  for (const rec of plan.recs) {
    if (rec.kind !== 'row') continue;
    const fen = amountFen(clean(rec.values.amount));
    if (fen !== undefined && fen > 0 && fen <= MAX_ROW_FEN) total += fen;
  }
  return total;
}

/** The fields of the line to sign below the total: preparer, reviewer, date (the 18th of the month). */
export function signatureFields(month: string): string[] {
  const { year, month: m } = splitYm(month);
  return ['制表人：', '审核人：', '负责人：', `制表日期：${year}年${m}月18日`];
}

/**
 * The serial number Excel stores for the first day of a `YYYY-MM` month typed into a cell (1900
 * date system), or `undefined` when the text is no such month.
 * @example monthSerial('2026-10') // 46296
 */
export function monthSerial(month: string): number | undefined {
  const m = /^([0-9]{4})-(0[1-9]|1[0-2])$/.exec(month);
  return m ? daysFromCivil(Number(m[1]), Number(m[2]), 1) + SERIAL_1970 : undefined;
}
