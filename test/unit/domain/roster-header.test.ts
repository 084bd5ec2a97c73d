import { describe, expect, it } from 'vitest';
import { resolveRosterHeader } from '#domain/roster-header.ts';
import { ROSTER_COLUMNS } from '#schemas/roster-columns.ts';

const ENGLISH = [...ROSTER_COLUMNS];

describe('resolveRosterHeader', () => {
  it('finds every column by its English name', () => {
    // Act
    const { indexOf, missing } = resolveRosterHeader(ENGLISH);

    // Assess
    expect(indexOf).toEqual(Object.fromEntries(ENGLISH.map((c, i) => [c, i])));
    expect(missing).toEqual([]);
  });

  it.each([
    [
      [
        '身份证号',
        '姓名',
        '户编号',
        '救助类别',
        '发放金额',
        '发放月份',
        '镇街',
        '收款账号',
        '开户人身份证号',
        '备注',
      ],
    ],
    [['公民身份号码', '姓名', '户号', '类别', '金额', '月份', '镇街', '账号', '开户人身份证号', '备注']],
    [['公民身份号码', '姓名', '户号', '类别', '金额', '月份', '镇街', '社保卡号', '开户人身份证号', '备注']],
  ])('finds every column by its Chinese aliases %j', (header) => {
    // Act
    const { indexOf, missing } = resolveRosterHeader(header);

    // Assess
    expect(indexOf).toEqual(Object.fromEntries(ENGLISH.map((c, i) => [c, i])));
    expect(missing).toEqual([]);
  });

  it('matches case-insensitively after trimming ASCII white space, U+3000 and U+00A0', () => {
    // Prepare
    const header = [
      ' ID_Number ',
      '\u3000Name\u3000',
      '\tHOUSEHOLD_ID',
      'Category\u00a0',
      'AMOUNT',
      ' 发放月份\u3000',
      '镇街 ',
      'Account_Number',
    ];

    // Act
    const { indexOf, missing } = resolveRosterHeader(header);

    // Assess
    expect(indexOf).toEqual({
      id_number: 0,
      name: 1,
      household_id: 2,
      category: 3,
      amount: 4,
      month: 5,
      town: 6,
      account_number: 7,
    });
    expect(missing).toEqual([]);
  });

  it('tolerates a stray byte-order mark on the first name', () => {
    // Act
    const { indexOf } = resolveRosterHeader(['\ufeff身份证号', '姓名']);

    // Assess
    expect(indexOf).toEqual({ id_number: 0, name: 1 });
  });

  it('ignores unknown columns and keeps the positions of the known ones', () => {
    // Prepare
    const header = ['序号', '身份证号', '性别', '姓名', 'id number', ''];

    // Act
    const { indexOf } = resolveRosterHeader(header);

    // Assess
    expect(indexOf).toEqual({ id_number: 1, name: 3 });
  });

  it('takes the first of a column that appears twice', () => {
    // Prepare
    const header = ['姓名', 'id_number', 'NAME', '身份证号', '公民身份号码'];

    // Act
    const { indexOf } = resolveRosterHeader(header);

    // Assess
    expect(indexOf).toEqual({ name: 0, id_number: 1 });
  });

  it('lists every absent required column in contract order, not the optional ones', () => {
    // Prepare
    const header = ['remark', 'town', 'name', 'account_holder_id'];

    // Act
    const { missing } = resolveRosterHeader(header);

    // Assess
    expect(missing).toEqual(['id_number', 'household_id', 'category', 'amount', 'month', 'account_number']);
  });

  it('reports all eight required columns missing for a blank header', () => {
    // Act
    const { indexOf, missing } = resolveRosterHeader(['']);

    // Assess
    expect(indexOf).toEqual({});
    expect(missing).toEqual(ENGLISH.slice(0, 8));
  });
});
