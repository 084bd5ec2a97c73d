import { describe, expect, it } from 'vitest';
import { builtInDateTimeFormat, isDateFormat } from '#formats/number-formats.ts';

describe('isDateFormat', () => {
  it.each([
    'yyyy-mm',
    'yyyy-mm-dd',
    'mmm-yy',
    'm/d/yyyy',
    'd-mmm',
    'mmmm',
    'yyyy"年"m"月"',
    'yyyy"年"m"月"d"日"',
    '[$-804]yyyy"年"m"月";@',
    '[$-F800]dddd, mmmm dd, yyyy',
    'yyyy/m/d h:mm',
    'YYYY-MM',
    'e"年"m"月"',
    '[DBNum1][$-804]yyyy"年"m"月"',
  ])('takes %s for a date format', (code) => {
    // Act & Assess
    expect(isDateFormat(code)).toBe(true);
  });

  it.each([
    'General',
    '0',
    '0.00',
    '#,##0.00',
    '#,##0.00 "元"',
    '"yyyy"0',
    '\\d0',
    '0.00E+00',
    '##0.0e-0',
    '[Red]0.00;[Blue]-0.00',
    '@',
    'h:mm',
    'h:mm:ss AM/PM',
    'hh:mm',
    'mm:ss',
    '[h]:mm:ss',
    '[mm]:ss',
    'mmss.0',
    'h"时"mm"分"',
    '上午/下午h"时"mm"分"ss"秒"',
    '_(* #,##0.00_);_(* (#,##0.00);_(* "-"??_);_(@_)',
  ])('does not take %s for a date format', (code) => {
    // Act & Assess
    expect(isDateFormat(code)).toBe(false);
  });

  it('classes the built-in date formats as dates and the built-in times as no dates', () => {
    // Prepare
    const dates = [14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 36, 50, 51, 52, 53, 54, 57, 58];
    const times = [18, 19, 20, 21, 32, 33, 34, 35, 45, 46, 47, 55, 56];

    // Act & Assess
    for (const id of dates) expect(isDateFormat(builtInDateTimeFormat(id) ?? ''), String(id)).toBe(true);
    for (const id of times) expect(isDateFormat(builtInDateTimeFormat(id) ?? ''), String(id)).toBe(false);
    for (const id of [0, 1, 2, 4, 9, 11, 37, 49, 164]) expect(builtInDateTimeFormat(id)).toBeUndefined();
  });
});
