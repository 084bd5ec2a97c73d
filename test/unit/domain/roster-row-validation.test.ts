import { describe, expect, it } from 'vitest';
import { resolveRosterHeader } from '#domain/roster-header.ts';
import { type RowContext, type RowResult, validateRosterRecord } from '#domain/roster-row-validation.ts';
import { ROSTER_COLUMNS } from '#schemas/roster-columns.ts';
import { StagedRosterRowSchema } from '#schemas/staged-roster.ts';
import { idBornOn, townDirectory, withWrongCheck } from './fixtures.ts';

const HEADER = ROSTER_COLUMNS;
type Column = (typeof HEADER)[number];

const ID = idBornOn('19800101');

const context = (header: readonly string[] = HEADER, month = '2026-10'): RowContext => ({
  month,
  towns: townDirectory(),
  indexOf: resolveRosterHeader(header).indexOf,
});

/** A valid record in HEADER order, with some values replaced. */
function record(overrides: Partial<Record<Column, string>> = {}): string[] {
  const values: Record<Column, string> = {
    id_number: ID,
    name: '张三',
    household_id: 'H001',
    category: 'DIBAO',
    amount: '1180.00',
    month: '2026-10',
    town: 'shiqi',
    account_number: '6222020200001234567',
    account_holder_id: '',
    remark: '',
    ...overrides,
  };
  return HEADER.map((c) => values[c]);
}

function invalid(result: RowResult) {
  if (result.kind !== 'invalid') throw new Error(`expected an invalid row, got ${result.kind}`);
  return result;
}

function codes(result: RowResult): string[] {
  return invalid(result).findings.map((f) => f.code);
}

describe('validateRosterRecord', () => {
  it('stages a valid row with codes, integer fen and cleaned values', () => {
    // Prepare
    const fields = record({ amount: '1180.5', remark: ' 补发 ' });

    // Act
    const result = validateRosterRecord(fields, 7, context());

    // Assess
    expect(result).toEqual({
      kind: 'valid',
      row: {
        row: 7,
        idNumber: ID,
        name: '张三',
        householdId: 'H001',
        category: 'DIBAO',
        amountFen: 118050,
        town: 'shiqi',
        accountNumber: '6222020200001234567',
        accountHolderId: '',
        remark: '补发',
      },
    });
    if (result.kind === 'valid') expect(StagedRosterRowSchema.parse(result.row)).toEqual(result.row);
  });

  it('resolves Chinese category labels and town names to codes', () => {
    // Prepare
    const fields = record({ category: '特困人员救助供养', town: '东区街道' });

    // Act
    const result = validateRosterRecord(fields, 1, context());

    // Assess
    expect(result.kind === 'valid' && [result.row.category, result.row.town]).toEqual(['TEKUN', 'DQ02']);
  });

  it('matches category and town codes case-insensitively, staging the canonical codes', () => {
    // Prepare
    const fields = record({ category: 'dibao_edge', town: 'dq02' });

    // Act
    const result = validateRosterRecord(fields, 1, context());

    // Assess
    expect(result.kind === 'valid' && [result.row.category, result.row.town]).toEqual(['DIBAO_EDGE', 'DQ02']);
  });

  it('upper-cases a lower-case x in the ID and in the account holder ID', () => {
    // Prepare
    const fields = record({ id_number: '11010519491231002x', account_holder_id: '11010519491231002x' });

    // Act
    const result = validateRosterRecord(fields, 1, context());

    // Assess
    expect(result.kind === 'valid' && [result.row.idNumber, result.row.accountHolderId]).toEqual([
      '11010519491231002X',
      '11010519491231002X',
    ]);
  });

  it('cleans every value before judging it', () => {
    // Prepare
    const fields = record({
      id_number: `\u3000${ID} `,
      name: '\u00a0张三\u3000',
      category: ' 低保 ',
      amount: '\t1180.00 ',
      month: ' 2026-10\u3000',
      town: '石岐街道\u3000',
      account_number: ' 6222020200001234567 ',
    });

    // Act
    const result = validateRosterRecord(fields, 1, context());

    // Assess
    expect(result.kind).toBe('valid');
  });

  it.each([
    [['', '', '', '', '', '', '', '', '', '']],
    [[' ', '\u3000', '\t', '\u00a0', '', '', '', '', '', '']],
    [[]],
    [['']],
  ])('skips the blank record %j', (fields) => {
    // Act
    const result = validateRosterRecord(fields, 3, context());

    // Assess
    expect(result).toEqual({ kind: 'blank' });
  });

  it('treats a record with values only in unknown columns or beyond the header as blank: those are ignored', () => {
    // Prepare
    const header = ['序号', ...HEADER];
    const fields = ['17', '', '', '', '', '', '', '', '', '', '', 'extra'];

    // Act
    const result = validateRosterRecord(fields, 17, context(header));

    // Assess
    expect(result).toEqual({ kind: 'blank' });
  });

  it('does not treat a record with only a remark as blank', () => {
    // Act
    const result = validateRosterRecord(['', '', '', '', '', '', '', '', '', '已迁出'], 3, context());

    // Assess
    expect(codes(result)).toEqual(['MISSING_FIELD']);
  });

  it('gives one MISSING_FIELD naming every empty required field', () => {
    // Prepare
    const fields = record({ name: ' ', amount: '' });

    // Act
    const result = validateRosterRecord(fields, 1, context());

    // Assess
    expect(invalid(result).findings).toEqual([
      { code: 'MISSING_FIELD', detail: '缺少必填项：姓名、发放金额 / empty required field(s): name, amount' },
    ]);
  });

  it('treats the fields a short record lacks as empty', () => {
    // Prepare
    const fields = record().slice(0, 3);

    // Act
    const result = validateRosterRecord(fields, 1, context());

    // Assess
    expect(invalid(result).findings).toEqual([
      {
        code: 'MISSING_FIELD',
        detail:
          '缺少必填项：救助类别、发放金额、发放月份、镇街、收款账号 / empty required field(s): category, amount, month, town, account_number',
      },
    ]);
  });

  it('accepts a record that only lacks the optional trailing fields', () => {
    // Act
    const result = validateRosterRecord(record().slice(0, 8), 1, context());

    // Assess
    expect(result.kind === 'valid' && [result.row.accountHolderId, result.row.remark]).toEqual(['', '']);
  });

  it('accepts a header without the optional columns', () => {
    // Prepare
    const header = HEADER.slice(0, 8);

    // Act
    const result = validateRosterRecord(record().slice(0, 8), 1, context(header));

    // Assess
    expect(result.kind).toBe('valid');
  });

  it('counts a required column absent from the header as an empty field', () => {
    // Prepare
    const header = HEADER.filter((c) => c !== 'household_id');
    const fields = record().filter((_, i) => HEADER[i] !== 'household_id');

    // Act
    const result = validateRosterRecord(fields, 1, context(header));

    // Assess
    expect(invalid(result).findings).toEqual([
      { code: 'MISSING_FIELD', detail: '缺少必填项：户编号 / empty required field(s): household_id' },
    ]);
  });

  it('gives every applicable finding at once, in contract order', () => {
    // Prepare
    const fields = record({
      id_number: withWrongCheck(ID),
      household_id: '',
      name: '名'.repeat(51),
      amount: '1,200',
      category: '低保户',
      town: '西区',
      account_number: '6222-0202',
      month: '2026-9',
    });

    // Act
    const result = validateRosterRecord(fields, 4, context());

    // Assess
    expect(codes(result)).toEqual([
      'INVALID_ID',
      'MISSING_FIELD',
      'INVALID_NAME',
      'INVALID_AMOUNT',
      'UNKNOWN_CATEGORY',
      'UNKNOWN_TOWN',
      'INVALID_ACCOUNT',
      'WRONG_MONTH',
    ]);
    expect(invalid(result).findings).toEqual([
      {
        code: 'INVALID_ID',
        detail: expect.stringMatching(/^校验位应为 .，实为 . \/ check character should be ., is .$/),
      },
      { code: 'MISSING_FIELD', detail: '缺少必填项：户编号 / empty required field(s): household_id' },
      { code: 'INVALID_NAME', detail: '姓名超过 50 个字符（51 个） / name has 51 characters, more than 50' },
      {
        code: 'INVALID_AMOUNT',
        detail:
          '金额须为不超过两位小数的正数 / amount "1,200" is not a plain decimal with at most 2 decimals',
      },
      {
        code: 'UNKNOWN_CATEGORY',
        detail:
          '救助类别 "低保户" 不是有效的类别代码或名称 / category "低保户" is not a known category code or label',
      },
      {
        code: 'UNKNOWN_TOWN',
        detail: '镇街 "西区" 不在 reference/towns.csv 中 / town "西区" is not in reference/towns.csv',
      },
      {
        code: 'INVALID_ACCOUNT',
        detail:
          '收款账号须为 10–25 位数字，不得含其他字符 / account number must be 10 to 25 digits, nothing else',
      },
      {
        code: 'WRONG_MONTH',
        detail: '发放月份应为 2026-10，实为 "2026-9" / month should be 2026-10, is "2026-9"',
      },
    ]);
  });

  it('never puts the ID number, the name or the account number in a detail', () => {
    // Prepare
    const id = withWrongCheck(ID);
    const name = '欧阳'.repeat(30);
    const account = '62220202000012345678901234';
    const fields = record({ id_number: id, name, account_number: account, amount: '-1', month: '2026-11' });

    // Act
    const result = validateRosterRecord(fields, 1, context());

    // Assess
    const details = invalid(result)
      .findings.map((f) => f.detail)
      .join('\n');
    expect(details).not.toContain(id.slice(0, 17));
    expect(details).not.toContain(name.slice(0, 10));
    expect(details).not.toContain(account.slice(0, 10));
  });

  it('reports the cleaned, upper-cased ID as given and the category when it is known', () => {
    // Prepare
    const fields = record({ id_number: ' 1101051949123100x2 ', category: '低保', amount: '0' });

    // Act
    const result = invalid(validateRosterRecord(fields, 1, context()));

    // Assess
    expect(result.idNumber).toBe('1101051949123100X2');
    expect(result.category).toBe('DIBAO');
  });

  it('reports the valid ID and no category when the category is unknown', () => {
    // Prepare
    const fields = record({ id_number: '11010519491231002x', category: 'XX' });

    // Act
    const result = invalid(validateRosterRecord(fields, 1, context()));

    // Assess
    expect(result.idNumber).toBe('11010519491231002X');
    expect(result.category).toBeUndefined();
  });

  it('reports an empty ID as empty, with MISSING_FIELD and no INVALID_ID', () => {
    // Act
    const result = invalid(validateRosterRecord(record({ id_number: '' }), 1, context()));

    // Assess
    expect(result.idNumber).toBe('');
    expect(result.findings.map((f) => f.code)).toEqual(['MISSING_FIELD']);
  });

  it.each([
    ['a 15-digit ID', '440524800101001'],
    ['full-width digits', '１１０１０５１９４９１２３１００２Ｘ'],
    ['an exponent form', '4.40102199001011E+17'],
    ['a birth date after the payment month', idBornOn('20261101')],
    ['29 February 2023', idBornOn('20230229')],
  ])('gives INVALID_ID for %s', (_, id) => {
    // Act
    const result = validateRosterRecord(record({ id_number: id }), 1, context());

    // Assess
    expect(codes(result)).toEqual(['INVALID_ID']);
  });

  it('accepts a person born on the last day of the payment month', () => {
    // Act
    const result = validateRosterRecord(record({ id_number: idBornOn('20261031') }), 1, context());

    // Assess
    expect(result.kind).toBe('valid');
  });

  it('counts name length in code points: 50 characters outside the BMP are fine, 51 are not', () => {
    // Prepare
    const rare = '𠀀';

    // Act
    const fifty = validateRosterRecord(record({ name: rare.repeat(50) }), 1, context());
    const fiftyOne = validateRosterRecord(record({ name: rare.repeat(51) }), 1, context());
    const fiftyCjk = validateRosterRecord(record({ name: '名'.repeat(50) }), 1, context());

    // Assess
    expect(fifty.kind).toBe('valid');
    expect(fiftyCjk.kind).toBe('valid');
    expect(codes(fiftyOne)).toEqual(['INVALID_NAME']);
  });

  it.each([
    ['=HYPERLINK("http://x","y")', '='],
    ['@SUM(1)', '@'],
    ['+1+2', '+'],
    ['-1+2', '-'],
    ['-0.25', '-'],
    ['=张三', '='],
  ])('gives INVALID_NAME to the formula-like name %j, naming its first character only', (name, first) => {
    // Act
    const result = validateRosterRecord(record({ name }), 1, context());

    // Assess
    expect(invalid(result).findings).toEqual([
      {
        code: 'INVALID_NAME',
        detail: `姓名以 ${first} 开头，电子表格会当作公式 / name begins with ${first}, which a spreadsheet runs as a formula`,
      },
    ]);
    expect(invalid(result).findings[0]?.detail).not.toContain(name);
  });

  it.each([
    [' =1+2', '='],
    ['\u3000@SUM(1)', '@'],
    ['\t+1', '+'],
    ['\u00a0-1', '-'],
  ])(
    'judges the name %j after trimming, so the white space before a formula does not hide it',
    (name, first) => {
      // Act
      const result = validateRosterRecord(record({ name }), 1, context());

      // Assess
      expect(invalid(result).findings).toEqual([
        { code: 'INVALID_NAME', detail: expect.stringMatching(new RegExp(`^姓名以 \\${first} 开头`)) },
      ]);
    },
  );

  it.each([
    ['张\t三', 'U+0009'],
    ['张\n三', 'U+000A'],
    ['张\r\n三', 'U+000D'],
    ['张\u0000三', 'U+0000'],
    ['张\u001b三', 'U+001B'],
    ['张\u007f三', 'U+007F'],
    ['张\u0085三', 'U+0085'],
    ['张\u2028三', 'U+2028'],
  ])('gives INVALID_NAME to the name %j, which holds a control character', (name, code) => {
    // Act
    const result = validateRosterRecord(record({ name }), 1, context());

    // Assess
    expect(invalid(result).findings).toEqual([
      {
        code: 'INVALID_NAME',
        detail: `姓名含控制字符 ${code}（如制表符、换行） / name contains the control character ${code} (such as a tab or line break)`,
      },
    ]);
  });

  it.each(['张三', "O'Brien", '阿卜杜·热合曼', 'Anne-Marie', '张三=李四', '张 三', '张三\u200b'])(
    'accepts the name %j: no formula character first, no control character',
    (name) => {
      // Act
      const result = validateRosterRecord(record({ name }), 1, context());

      // Assess
      expect(result.kind).toBe('valid');
    },
  );

  it('keeps a tab or line break around a name out of it: trimmed white space, not a control character', () => {
    // Act
    const result = validateRosterRecord(record({ name: '\t张三\r\n' }), 1, context());

    // Assess
    expect(result).toEqual(
      expect.objectContaining({ kind: 'valid', row: expect.objectContaining({ name: '张三' }) }),
    );
  });

  it('names every problem of a name in one INVALID_NAME finding', () => {
    // Act
    const result = validateRosterRecord(
      record({ name: `=${'名'.repeat(24)}\n${'名'.repeat(25)}` }),
      1,
      context(),
    );

    // Assess
    expect(invalid(result).findings).toEqual([
      {
        code: 'INVALID_NAME',
        detail:
          '姓名超过 50 个字符（51 个）；姓名以 = 开头，电子表格会当作公式；姓名含控制字符 U+000A（如制表符、换行） / ' +
          'name has 51 characters, more than 50; name begins with =, which a spreadsheet runs as a formula; ' +
          'name contains the control character U+000A (such as a tab or line break)',
      },
    ]);
  });

  it.each(['0.001', '1e3', '-5', '1,200', '１２', '.5', '5.', '0', '0.00', '100000.01'])(
    'gives INVALID_AMOUNT for the amount %j',
    (amount) => {
      // Act
      const result = validateRosterRecord(record({ amount }), 1, context());

      // Assess
      expect(codes(result)).toEqual(['INVALID_AMOUNT']);
    },
  );

  it('accepts the largest amount, 100000.00', () => {
    // Act
    const result = validateRosterRecord(record({ amount: '100000.00' }), 1, context());

    // Assess
    expect(result.kind === 'valid' && result.row.amountFen).toBe(10_000_000);
  });

  it.each(['1234567890', '1234567890123456789012345'])(
    'accepts the account number %s (10 to 25 digits)',
    (account) => {
      // Act
      const result = validateRosterRecord(record({ account_number: account }), 1, context());

      // Assess
      expect(result.kind).toBe('valid');
    },
  );

  it.each([
    ['123456789', '收款账号须为 10–25 位数字，实为 9 位 / account number must be 10 to 25 digits, has 9'],
    [
      '12345678901234567890123456',
      '收款账号须为 10–25 位数字，实为 26 位 / account number must be 10 to 25 digits, has 26',
    ],
    [
      '6222 0202 0000 1234',
      '收款账号须为 10–25 位数字，不得含其他字符 / account number must be 10 to 25 digits, nothing else',
    ],
    [
      '６２２２０２０２００００１２３４',
      '收款账号须为 10–25 位数字，不得含其他字符 / account number must be 10 to 25 digits, nothing else',
    ],
    [
      '6.22202E+18',
      '收款账号须为 10–25 位数字，不得含其他字符 / account number must be 10 to 25 digits, nothing else',
    ],
  ])('gives INVALID_ACCOUNT for %j', (account, detail) => {
    // Act
    const result = validateRosterRecord(record({ account_number: account }), 1, context());

    // Assess
    expect(invalid(result).findings).toEqual([{ code: 'INVALID_ACCOUNT', detail }]);
  });

  it.each(['2026-9', '2026/10', '2026-11', '202610', '2026年10月', '10/2026'])(
    'gives WRONG_MONTH for %j: months are written YYYY-MM',
    (month) => {
      // Act
      const result = validateRosterRecord(record({ month }), 1, context());

      // Assess
      expect(codes(result)).toEqual(['WRONG_MONTH']);
    },
  );

  it('throws a RangeError when the context month is not YYYY-MM', () => {
    // Act & Assess
    expect(() => validateRosterRecord(record(), 1, context(HEADER, '2026-9'))).toThrow(RangeError);
  });

  it('reads columns where the header puts them, ignoring unknown and extra ones', () => {
    // Prepare
    const header = [
      '备注',
      '序号',
      '镇街',
      '收款账号',
      '发放月份',
      '发放金额',
      '救助类别',
      '户编号',
      '姓名',
      '身份证号',
    ];
    const fields = [
      '',
      '1',
      'shiqi',
      '6222020200001234567',
      '2026-10',
      '50',
      '高龄津贴',
      'H9',
      '李四',
      ID,
      'extra',
    ];

    // Act
    const result = validateRosterRecord(fields, 2, context(header));

    // Assess
    expect(result.kind === 'valid' && result.row).toMatchObject({
      idNumber: ID,
      name: '李四',
      householdId: 'H9',
      category: 'ELDERLY',
      amountFen: 5000,
      town: 'shiqi',
    });
  });
});
