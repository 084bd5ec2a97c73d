import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { excelSerialDate } from '#formats/excel-dates.ts';

describe('excelSerialDate', () => {
  it.each([
    ['1', '1900-01-01'],
    ['59', '1900-02-28'],
    // Excel's (and Lotus 1-2-3's) leap day that never was, then the real calendar again.
    ['60', '1900-02-29'],
    ['61', '1900-03-01'],
    ['0', '1900-01-00'],
    ['25569', '1970-01-01'],
    ['46296', '2026-10-01'],
    ['46326', '2026-10-31'],
    ['46296.75', '2026-10-01'],
    ['4.6296E4', '2026-10-01'],
    // A time a hair before midnight is shown as the next day, as Excel rounds it.
    ['46295.999999999996', '2026-10-01'],
    ['2958465', '9999-12-31'],
  ])('reads serial %s of the 1900 system as %s', (serial, date) => {
    // Act & Assess
    expect(excelSerialDate(serial, '1900')).toBe(date);
  });

  it.each([
    ['0', '1904-01-01'],
    ['1', '1904-01-02'],
    ['44834', '2026-10-01'],
    ['2957003', '9999-12-31'],
  ])('reads serial %s of the 1904 system as %s', (serial, date) => {
    // Act & Assess
    expect(excelSerialDate(serial, '1904')).toBe(date);
  });

  it('counts the 1900 system without the fictitious leap day when the workbook says so', () => {
    // Act & Assess
    expect(excelSerialDate('60', '1900-strict')).toBe('1900-02-28');
    expect(excelSerialDate('1', '1900-strict')).toBe('1899-12-31');
    expect(excelSerialDate('46296', '1900-strict')).toBe('2026-10-01');
  });

  it.each([
    ['-1', '1900'],
    ['2958466', '1900'],
    ['2957004', '1904'],
    ['', '1900'],
    ['abc', '1900'],
    ['1,5', '1900'],
    ['Infinity', '1900'],
    ['NaN', '1904'],
  ] as const)('shows no date for %s (%s system)', (serial, system) => {
    // Act & Assess
    expect(excelSerialDate(serial, system)).toBeUndefined();
  });

  it('gives consecutive days for consecutive serials, the same day in both systems 1462 apart', () => {
    fc.assert(
      fc.property(fc.integer({ min: 61, max: 2_958_464 }), (serial) => {
        // Act
        const day = excelSerialDate(String(serial), '1900') as string;
        const next = excelSerialDate(String(serial + 1), '1900') as string;

        // Assess
        expect(Date.parse(next) - Date.parse(day)).toBe(86_400_000);
        if (serial >= 1462) expect(excelSerialDate(String(serial - 1462), '1904')).toBe(day);
      }),
    );
  });
});
