/**
 * How a workbook counts its dates (`xl/workbook.xml`, `<workbookPr>`):
 * - `1900`: Excel's default. Serial 1 is 1900-01-01 and, as Lotus 1-2-3 did, 1900 is taken for a
 *   leap year: serial 60 is the fictitious 1900-02-29 and serial 61 is 1900-03-01.
 * - `1900-strict`: the 1900 system without the fictitious day (`dateCompatibility="0"`): serial 0
 *   is 1899-12-30, every serial is that many days later.
 * - `1904`: the old Macintosh system (`date1904="1"`): serial 0 is 1904-01-01.
 */
export type DateSystem = '1900' | '1900-strict' | '1904';

const DAY_MS = 86_400_000;
/** 1899-12-30, the day before serial 1 once the fictitious 1900-02-29 is counted. */
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);
/** The last day Excel shows, 9999-12-31, as a serial of each system. */
const MAX_SERIAL_1900 = 2_958_465;
const MAX_SERIAL_1904 = MAX_SERIAL_1900 - 1462;
/** The serial Excel shows as 1900-02-29, a day that never was. */
const FICTITIOUS_LEAP_DAY = 60;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The calendar date, `YYYY-MM-DD`, that Excel shows for the stored number of a date cell, in the
 * workbook's date system; the time of day is dropped. Serials are read as Excel does, so the
 * 1900 system keeps its quirks: 0 shows as `1900-01-00` and 60 as `1900-02-29`.
 * @param stored the cell's stored text (`<v>`), e.g. `46296`, `46296.5`, `4.6296E4`.
 * @returns the date, or `undefined` when the text is no number or no date Excel can show
 *   (negative, or after 9999-12-31).
 * @example excelSerialDate('46296', '1900') // '2026-10-01'
 * @example excelSerialDate('44834', '1904') // '2026-10-01'
 */
export function excelSerialDate(stored: string, system: DateSystem): string | undefined {
  if (!NUMBER.test(stored)) return undefined;
  const serial = Number(stored);
  // The time of day, rounded to the millisecond as Excel shows it: 0.99999999999 is the next day.
  const day = Math.floor(Math.round(serial * DAY_MS) / DAY_MS);
  if (!Number.isFinite(day) || day < 0) return undefined;
  if (system === '1904') return day > MAX_SERIAL_1904 ? undefined : isoDate(EPOCH_1904 + day * DAY_MS);
  if (day > MAX_SERIAL_1900) return undefined;
  if (system === '1900-strict') return isoDate(EPOCH_1900 + day * DAY_MS);
  if (day === 0) return '1900-01-00';
  if (day === FICTITIOUS_LEAP_DAY) return '1900-02-29';
  // Before the fictitious day every serial is one day later than in the strict count.
  return isoDate(EPOCH_1900 + (day < FICTITIOUS_LEAP_DAY ? day + 1 : day) * DAY_MS);
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
