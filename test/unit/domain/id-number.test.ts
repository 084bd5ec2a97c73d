import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkIdNumber,
  EARLIEST_BIRTH_YEAR,
  idCheckCharacter,
  idNumberProblem,
  maskIdNumber,
} from '#domain/id-number.ts';
import { idBornOn, referenceCheckCharacter, withWrongCheck } from './fixtures.ts';

const MONTH = '2026-10';

function reasonOf(value: string, month = MONTH): string {
  const result = checkIdNumber(value, month);
  if (result.ok) throw new Error(`expected ${value} to be invalid`);
  return result.reason;
}

describe('idCheckCharacter', () => {
  it.each([
    ['11010519491231002', 'X'],
    ['44052418800101001', '4'],
  ])('computes the MOD 11-2 check character of the standard example %s: %s', (first17, check) => {
    // Act
    const result = idCheckCharacter(first17);

    // Assess
    expect(result).toBe(check);
  });

  it.each([
    '1101051949123100',
    '110105194912310021',
    '1101051949123100x',
    '１１０１０５１９４９１２３１００２',
  ])('throws a RangeError for %j, which is not 17 ASCII digits', (first17) => {
    // Act & Assess
    expect(() => idCheckCharacter(first17)).toThrow(RangeError);
  });

  it('agrees with the table of weights for any 17 digits', () => {
    // Act & Assess
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}$/), (first17) => {
        expect(idCheckCharacter(first17)).toBe(referenceCheckCharacter(first17));
      }),
    );
  });
});

describe('checkIdNumber', () => {
  it('accepts a valid ID and returns it unchanged', () => {
    // Prepare
    const id = idBornOn('19800101');

    // Act
    const result = checkIdNumber(id, MONTH);

    // Assess
    expect(result).toEqual({ ok: true, id });
  });

  it('accepts the check character X', () => {
    // Act
    const result = checkIdNumber('11010519491231002X', MONTH);

    // Assess
    expect(result).toEqual({ ok: true, id: '11010519491231002X' });
  });

  it('accepts a lower-case x and upper-cases it', () => {
    // Act
    const result = checkIdNumber('11010519491231002x', MONTH);

    // Assess
    expect(result).toEqual({ ok: true, id: '11010519491231002X' });
  });

  it('rejects a wrong check character, saying which one is right, without repeating the ID', () => {
    // Prepare
    const id = '110105194912310025';

    // Act
    const reason = reasonOf(id);

    // Assess
    expect(reason).toBe('校验位应为 X，实为 5 / check character should be X, is 5');
    expect(reason).not.toContain(id);
  });

  it.each([
    ['20000229', true],
    ['19000229', false],
    ['20240229', true],
    ['20230229', false],
    ['20230430', true],
    ['20230431', false],
    ['20231301', false],
    ['20230001', false],
    ['20230100', false],
    ['20231231', true],
    ['20230132', false],
  ])('judges the birth date %s a real Gregorian date: %s', (birth, ok) => {
    // Prepare
    const id = idBornOn(birth);

    // Act
    const result = checkIdNumber(id, MONTH);

    // Assess
    expect(result.ok).toBe(ok);
    if (!result.ok) {
      expect(result.reason).toBe(
        '出生日期（第 7–14 位）不是有效日期 / birth date (characters 7–14) is not a real date',
      );
    }
  });

  it('accepts a birth date on the last day of the payment month', () => {
    // Prepare
    const id = idBornOn('20261031');

    // Act
    const result = checkIdNumber(id, '2026-10');

    // Assess
    expect(result.ok).toBe(true);
  });

  it('accepts a birth on 29 February when the payment month is that February', () => {
    // Act
    const result = checkIdNumber(idBornOn('20240229'), '2024-02');

    // Assess
    expect(result.ok).toBe(true);
  });

  it('rejects a birth date after the last day of the payment month', () => {
    // Prepare
    const id = idBornOn('20261101');

    // Act
    const reason = reasonOf(id, '2026-10');

    // Assess
    expect(reason).toBe(
      '出生日期（第 7–14 位）晚于发放月份 2026-10 / birth date (characters 7–14) is after the payment month 2026-10',
    );
  });

  it(`rejects a birth year before ${EARLIEST_BIRTH_YEAR}, accepts ${EARLIEST_BIRTH_YEAR}`, () => {
    // Act
    const before = checkIdNumber(idBornOn('18791231'), MONTH);
    const first = checkIdNumber(idBornOn('18800101'), MONTH);

    // Assess
    expect(before).toEqual({
      ok: false,
      reason: '出生日期（第 7–14 位）早于 1880 年 / birth date (characters 7–14) is before 1880',
    });
    expect(first.ok).toBe(true);
  });

  it('names both problems when the check character and the birth date are wrong', () => {
    // Prepare
    const id = withWrongCheck(idBornOn('20230229'));

    // Act
    const reason = reasonOf(id);

    // Assess
    expect(reason).toMatch(
      /^校验位应为 .，实为 .；出生日期（第 7–14 位）不是有效日期 \/ check character should be ., is .; birth date \(characters 7–14\) is not a real date$/,
    );
  });

  it('rejects a 15-digit old-format ID: the contract requires 18 characters', () => {
    // Act
    const reason = reasonOf('440524800101001');

    // Assess
    expect(reason).toBe(
      '15 位旧身份证号不受理，须为 18 位 / 15-digit old-format ID not accepted, must be 18 characters',
    );
  });

  it('rejects full-width digits: they are not the ASCII digits of the standard', () => {
    // Prepare
    const fullWidth = '１１０１０５１９４９１２３１００２Ｘ';

    // Act
    const reason = reasonOf(fullWidth);

    // Assess
    expect(reason).toBe(
      '身份证号含全角字符，须为半角数字和 X / ID number has full-width characters, must be ASCII digits and X',
    );
  });

  it.each(['4.40102199001011E+17', '4.40102199001011e+17', '4.4010219900101E17'])(
    'rejects the exponent form %s of an XLSX number as precision lost',
    (value) => {
      // Act
      const reason = reasonOf(value);

      // Assess
      expect(reason).toContain('科学计数法');
      expect(reason).toContain('exponent form');
    },
  );

  it.each([
    ['11010519491231002', 17],
    ['11010519491231002X1', 19],
    [' 11010519491231002X', 19],
    ['', 0],
  ])('rejects %j for its length %i', (value, length) => {
    // Act
    const reason = reasonOf(value);

    // Assess
    expect(reason).toBe(
      `身份证号应为 18 位，实为 ${length} 位 / ID number must be 18 characters, is ${length}`,
    );
  });

  it.each(['1101051949123100XX', '11010519491231002Y', '11010519491231-02X', '11010519491231002 '])(
    'rejects %j: 17 digits then a digit or X',
    (value) => {
      // Act
      const reason = reasonOf(value);

      // Assess
      expect(reason).toBe(
        '身份证号须为 17 位数字加数字或 X / ID number must be 17 digits followed by a digit or X',
      );
    },
  );

  it('throws a RangeError when the payment month is not YYYY-MM', () => {
    // Act & Assess
    expect(() => checkIdNumber('11010519491231002X', '2026-9')).toThrow(RangeError);
  });

  it('tells the reason without allocating a result through idNumberProblem', () => {
    // Act
    const valid = idNumberProblem('11010519491231002x', MONTH);
    const invalid = idNumberProblem('110105194912310025', MONTH);

    // Assess
    expect(valid).toBeUndefined();
    expect(invalid).toBe(reasonOf('110105194912310025'));
  });

  it('accepts exactly the computed check character for any 17 digits with a valid birth date', () => {
    // Prepare
    const first17 = fc
      .tuple(
        fc.stringMatching(/^\d{6}$/),
        fc.date({
          min: new Date('1880-01-01T00:00:00Z'),
          max: new Date('2026-10-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.stringMatching(/^\d{3}$/),
      )
      .map(([area, date, seq]) => `${area}${date.toISOString().slice(0, 10).replaceAll('-', '')}${seq}`);

    // Act & Assess
    fc.assert(
      fc.property(first17, (digits) => {
        const right = referenceCheckCharacter(digits);
        expect(checkIdNumber(digits + right, MONTH)).toEqual({ ok: true, id: digits + right });
        for (const other of '0123456789X'.replace(right, '')) {
          expect(checkIdNumber(digits + other, MONTH).ok).toBe(false);
        }
      }),
    );
  });

  it('never repeats the birth date in its reason: beside the masked ID it would rebuild the ID', () => {
    // Prepare: any 17 digits, many with an impossible, too early or too late birth date
    const ids = fc
      .tuple(
        fc.stringMatching(/^\d{6}$/),
        fc.oneof(
          fc.stringMatching(/^\d{8}$/),
          fc.stringMatching(/^(18[0-7]\d|20[23]\d)(0[1-9]|1[0-2])[0-3]\d$/),
        ),
        fc.stringMatching(/^\d{3}[\dX]$/),
      )
      .map(([area, birth, tail]) => `${area}${birth}${tail}`);

    // Act & Assess
    fc.assert(
      fc.property(ids, (id) => {
        const result = checkIdNumber(id, MONTH);
        if (result.ok) return;
        const [y, m, d] = [id.slice(6, 10), id.slice(10, 12), id.slice(12, 14)];
        expect(result.reason).not.toMatch(new RegExp(`${y}\\D{0,3}${m}\\D{0,3}${d}`));
        expect(result.reason).not.toContain(id.slice(0, 17));
      }),
    );
  });

  it('never repeats the ID in its reason', () => {
    // Act & Assess
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}[\dXx]$/), (id) => {
        const result = checkIdNumber(id, MONTH);
        if (!result.ok) expect(result.reason).not.toContain(id.slice(0, 17));
      }),
    );
  });
});

describe('maskIdNumber', () => {
  it('keeps the first 6 and last 4 characters of an 18-character ID', () => {
    // Act
    const masked = maskIdNumber('44200019800101123X');

    // Assess
    expect(masked).toBe('442000********123X');
  });

  it('masks a 15-character value the same way', () => {
    // Act
    const masked = maskIdNumber('440524800101001');

    // Assess
    expect(masked).toBe('440524*****1001');
  });

  it.each([
    ['', ''],
    ['1234', '****'],
    ['1234567890', '**********'],
    ['12345678901234', '**************'],
  ])('masks %j, shorter than 15 characters, entirely', (value, masked) => {
    // Act
    const result = maskIdNumber(value);

    // Assess
    expect(result).toBe(masked);
  });

  it('counts code points, not UTF-16 units', () => {
    // Act
    const masked = maskIdNumber('𠀀𠀀𠀀𠀀𠀀𠀀12345678ABCD');

    // Assess
    expect(masked).toBe('𠀀𠀀𠀀𠀀𠀀𠀀********ABCD');
  });
});
