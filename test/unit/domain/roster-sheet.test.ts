import { describe, expect, it } from 'vitest';
import { type RecordPlace, RosterSheet } from '#domain/roster-sheet.ts';
import { CHINESE_HEADER, ENGLISH_HEADER, rosterRow } from '../../support/roster-builder.ts';

/** Places every record, numbered from 0, and returns the places. */
function placeAll(sheet: RosterSheet, records: string[][]): RecordPlace[] {
  return records.map((fields, position) => sheet.place([...fields], position));
}

const blank = (width: number) => Array.from({ length: width }, () => '');

describe('RosterSheet', () => {
  it('takes the first record for the header when it names every required column', () => {
    // Prepare
    const sheet = new RosterSheet();

    // Act
    const places = placeAll(sheet, [ENGLISH_HEADER, rosterRow(), rosterRow({}, 2)]);

    // Assess
    expect(places).toEqual(['header', 'data', 'data']);
    expect(sheet.header?.position).toBe(0);
    expect(sheet.header?.indexOf.amount).toBe(4);
    expect(sheet.headerProblem).toBeUndefined();
  });

  it('ignores a title, a unit line and blank lines above the header, and ends the data at a 合计 line', () => {
    // Prepare: as a town office keeps its 花名册
    const sheet = new RosterSheet();
    const title = ['三乡镇2026年10月救助资金发放花名册', '', '', ''];
    const unit = ['', '', '', '', '', '', '', '', '', '单位：元'];
    const total = ['合计', '', '', '', '2360.00'];

    // Act
    const places = placeAll(sheet, [
      title,
      unit,
      blank(10),
      CHINESE_HEADER,
      rosterRow(),
      blank(10),
      rosterRow({}, 2),
      total,
      ['制表人：张三', '', '审核人：李四'],
      rosterRow({}, 3),
    ]);

    // Assess
    expect(places).toEqual([
      'above-header',
      'above-header',
      'above-header',
      'header',
      'data',
      'data',
      'data',
      'total',
      'after-total',
      'after-total',
    ]);
    expect(sheet.header?.position).toBe(3);
    expect(sheet.total).toEqual({ position: 7, label: '合计', stated: '2360.00' });
  });

  it('takes the first record of the first ten that names every column, so a header in record 10 counts and one in 11 does not', () => {
    // Prepare
    const titles = Array.from({ length: 9 }, (_, i) => [`标题 ${i + 1}`]);
    const within = new RosterSheet();
    const beyond = new RosterSheet();

    // Act
    const placesWithin = placeAll(within, [...titles, ENGLISH_HEADER, rosterRow()]);
    const placesBeyond = placeAll(beyond, [...titles, ['标题 10'], ENGLISH_HEADER, rosterRow()]);

    // Assess
    expect(placesWithin.slice(9)).toEqual(['header', 'data']);
    expect(within.header?.position).toBe(9);
    expect(placesBeyond.slice(10)).toEqual(['no-header', 'no-header']);
    expect(beyond.header).toBeUndefined();
    expect(beyond.headerProblem).toEqual({
      missing: ['id_number', 'name', 'household_id', 'category', 'amount', 'month', 'town', 'account_number'],
    });
  });

  it('names the columns missing from the record that came closest to a header, and where it was', () => {
    // Prepare: a title, then a header without town and account
    const sheet = new RosterSheet();
    const header = ENGLISH_HEADER.filter((c) => c !== 'town' && c !== 'account_number');

    // Act
    placeAll(sheet, [['title'], ['id_number', 'name'], header, ['', '', ''], rosterRow()]);

    // Assess
    expect(sheet.header).toBeUndefined();
    expect(sheet.headerProblem).toEqual({ missing: ['town', 'account_number'], position: 2 });
  });

  it('has nothing missing in a file without any record, which is then empty', () => {
    // Act & Assess
    expect(new RosterSheet().headerProblem).toEqual({ missing: [] });
  });

  it.each([
    [['合计', '', '', '', '100.00'], '合计'],
    [['', ' 总计 ', '', '', '100.00'], '总计'],
    [['\u3000小计', ''], '小计'],
    [['TOTAL'], 'TOTAL'],
    [['Total', 'x'], 'Total'],
    [['', '', '', '', '', '', '', '', '', '合计'], '合计'],
  ])('takes %j for the total line', (fields, label) => {
    // Prepare
    const sheet = new RosterSheet();
    sheet.place([...ENGLISH_HEADER], 0);

    // Act
    const place = sheet.place([...fields], 1);

    // Assess
    expect(place).toBe('total');
    expect(sheet.total?.label).toBe(label);
  });

  it.each([
    [['442000196001010011', '合计']],
    [['合计：', '', '', '', '100.00']],
    [['合 计', '', '', '', '100.00']],
    [['totals']],
    [['1', '', '', '', '', '', '', '', '', '合计']],
  ])(
    'does not take %j for the total line: only a first non-empty field of exactly those words ends the data',
    (fields) => {
      // Prepare
      const sheet = new RosterSheet();
      sheet.place([...ENGLISH_HEADER], 0);

      // Act & Assess
      expect(sheet.place([...fields], 1)).toBe('data');
      expect(sheet.total).toBeUndefined();
    },
  );

  it('reads the total line amount from the amount column, cleaned, as the reader shows it', () => {
    // Prepare
    const plain = new RosterSheet();
    const spreadsheet = new RosterSheet({
      totalAmountText: (text) => (text === '1800.3000000000002' ? '1800.3' : text),
    });
    const noAmount = new RosterSheet();
    const runaway = new RosterSheet();
    for (const sheet of [plain, spreadsheet, noAmount, runaway]) sheet.place([...ENGLISH_HEADER], 0);

    // Act
    plain.place(['合计', '', '', '', ' 85,632.50\u3000'], 1);
    spreadsheet.place(['合计', '', '', '', '1800.3000000000002'], 1);
    noAmount.place(['合计'], 1);
    runaway.place(['合计', '', '', '', '1'.repeat(100)], 1);

    // Assess
    expect(plain.total?.stated).toBe('85,632.50');
    expect(spreadsheet.total?.stated).toBe('1800.3');
    expect(noAmount.total?.stated).toBe('');
    expect(runaway.total?.stated).toBe(`${'1'.repeat(40)}…`);
  });

  it('reads the date a month cell shows as its month, and leaves other date cells as stored', () => {
    // Prepare
    const sheet = new RosterSheet();
    sheet.place([...ENGLISH_HEADER], 0);
    const fields = rosterRow({ month: '46296', remark: '46300' });
    const dates: (string | undefined)[] = [];
    dates[5] = '2026-10-01';
    dates[9] = '2026-10-05';

    // Act
    sheet.place(fields, 1, dates);

    // Assess
    expect(fields[5]).toBe('2026-10');
    expect(fields[9]).toBe('46300');
  });
});
