import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { anomaliesCsv, metricsCsv, parseMetricsCsv } from '#formats/metrics-csv.ts';
import type { AnomalyRow, TownMonthMetrics } from '#schemas/metrics.ts';
import { ReferenceDataError } from '#schemas/reference-data-error.ts';

const KEY = 'metrics/2026-09.csv';
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

async function referenceErrorOf(act: () => Promise<unknown>): Promise<ReferenceDataError> {
  try {
    await act();
  } catch (error) {
    if (error instanceof ReferenceDataError) return error;
    throw error;
  }
  throw new Error('expected a ReferenceDataError');
}

describe('metricsCsv', () => {
  it('guards a town code a spreadsheet would run, and reads it back as the code', async () => {
    // Prepare
    const rows: TownMonthMetrics[] = [
      { month: '2026-09', town: '-x', recipients: 2, totalAmountFen: 117_000, population: 71000 },
    ];

    // Act
    const csv = metricsCsv(rows);
    const back = await parseMetricsCsv(utf8(csv), KEY);

    // Assess
    expect(csv).toContain("\r\n2026-09,'-x,2,1170.00,71000\r\n");
    expect(back.rows).toEqual(rows);
  });

  it('writes the header and one CRLF line per row, the total in yuan with 2 decimals', () => {
    // Prepare
    const rows: TownMonthMetrics[] = [
      { month: '2026-09', town: 'shiqi', recipients: 2, totalAmountFen: 117_000, population: 71000 },
      { month: '2026-09', town: 'DQ02', recipients: 0, totalAmountFen: 0, population: 0 },
      {
        month: '2026-09',
        town: 'big',
        recipients: 80_000,
        totalAmountFen: 6_632_000_005,
        population: 3_000_000,
      },
    ];

    // Act
    const csv = metricsCsv(rows);

    // Assess
    expect(csv).toBe(
      'month,town,recipients,total_amount,population\r\n' +
        '2026-09,shiqi,2,1170.00,71000\r\n' +
        '2026-09,DQ02,0,0.00,0\r\n' +
        '2026-09,big,80000,66320000.05,3000000\r\n',
    );
  });
});

describe('parseMetricsCsv', () => {
  it('reads back what metricsCsv wrote', async () => {
    const row = fc.record({
      month: fc.constant('2026-09'),
      town: fc.stringMatching(/^[a-z][a-z0-9-]{0,11}$/),
      recipients: fc.nat({ max: 1_000_000 }),
      totalAmountFen: fc.nat({ max: Number.MAX_SAFE_INTEGER }),
      population: fc.nat({ max: 100_000_000 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(row, { selector: (r) => r.town, maxLength: 30 }), async (rows) => {
        // Act
        const parsed = await parseMetricsCsv(utf8(metricsCsv(rows)), KEY);

        // Assess
        expect(parsed).toEqual({ rows, problems: [] });
      }),
    );
  });

  it('reads a GB18030 file with a header in another order and case, extra columns and padding', async () => {
    // Prepare
    const text = [
      ' Town ,备注,TOTAL_AMOUNT,Month,population,RECIPIENTS',
      'shiqi,石岐街道,1170.5,2026-09,71000,　2　',
      '',
    ].join('\r\n');

    // Act
    const parsed = await parseMetricsCsv(new Uint8Array(iconv.encode(text, 'gb18030')), KEY);

    // Assess
    expect(parsed.rows).toEqual([
      { month: '2026-09', town: 'shiqi', recipients: 2, totalAmountFen: 117_050, population: 71000 },
    ]);
  });

  it('skips bad rows with their row number and a bilingual reason; blank rows keep their number', async () => {
    // Prepare
    const text = [
      'month,town,recipients,total_amount,population',
      '2026-09,shiqi,2,1170.00,71000',
      ',,,,',
      '2026-09,dq02,-1,1170.00,52000',
      '2026-09,,2,1,2',
      '2026-9,nanqu,2,1,2',
      '2026-08,xiqu,2,1,2',
      '2026-09,east,2,"1,200",2',
      '2026-09,SHIQI,3,10.00,71000',
      '2026-09,west,2,1.5,2.5',
    ].join('\n');

    // Act
    const parsed = await parseMetricsCsv(utf8(text), KEY);

    // Assess
    expect(parsed.rows.map((r) => r.town)).toEqual(['shiqi']);
    expect(parsed.problems).toEqual([
      { row: 3, problem: '受助人数 "-1" 不是非负整数 / recipients "-1" is not a non-negative integer' },
      { row: 4, problem: '镇街为空 / town is empty' },
      { row: 5, problem: '月份 "2026-9" 不是 YYYY-MM / month "2026-9" is not YYYY-MM' },
      {
        row: 6,
        problem: "月份 2026-08 与文件月份 2026-09 不符 / month 2026-08 is not the file's month 2026-09",
      },
      {
        row: 7,
        problem:
          '发放总额 "1,200" 不是最多两位小数的金额 / total_amount: amount "1,200" is not a plain decimal with at most 2 decimals',
      },
      { row: 8, problem: '镇街 "SHIQI" 重复 / town "SHIQI" repeats an earlier row' },
      { row: 9, problem: '常住人口 "2.5" 不是非负整数 / population "2.5" is not a non-negative integer' },
    ]);
  });

  it('joins every reason of a row', async () => {
    // Prepare
    const text = 'month,town,recipients,total_amount,population\n2026-09,x,a,b,c\n';

    // Act
    const parsed = await parseMetricsCsv(utf8(text), KEY);

    // Assess
    expect(parsed.problems).toEqual([
      {
        row: 1,
        problem:
          '受助人数 "a" 不是非负整数；常住人口 "c" 不是非负整数；发放总额 "b" 不是最多两位小数的金额 / recipients "a" is not a non-negative integer; population "c" is not a non-negative integer; total_amount: amount "b" is not a plain decimal with at most 2 decimals',
      },
    ]);
  });

  it('stops on a file lacking a column, naming the file and the column', async () => {
    // Prepare
    const text = 'month,town,recipients,population\n2026-09,shiqi,2,71000\n';

    // Act
    const error = await referenceErrorOf(() => parseMetricsCsv(utf8(text), KEY));

    // Assess
    expect(error.file).toBe(KEY);
    expect(error.column).toBe('total_amount');
    expect(error.message).toBe(
      'metrics/2026-09.csv 缺少列 total_amount / metrics/2026-09.csv lacks column(s) "total_amount"',
    );
  });

  it('stops on an empty or unreadable file, naming the file', async () => {
    // Act
    const empty = await referenceErrorOf(() => parseMetricsCsv(new Uint8Array(), KEY));
    const broken = await referenceErrorOf(() => parseMetricsCsv(utf8('month,town\n"2026-09,x\n'), KEY));

    // Assess
    expect(empty).toMatchObject({ file: KEY, column: 'month' });
    expect(broken.file).toBe(KEY);
    expect(broken.message).toMatch(/^metrics\/2026-09\.csv: /);
  });

  it('does not tie rows to a month when the file name holds none', async () => {
    // Prepare
    const text = 'month,town,recipients,total_amount,population\n2026-08,shiqi,2,1.00,10\n';

    // Act
    const parsed = await parseMetricsCsv(utf8(text), 'metrics/seed.csv');

    // Assess
    expect(parsed.rows).toHaveLength(1);
  });
});

describe('anomaliesCsv', () => {
  const base: AnomalyRow = {
    month: '2026-10',
    town: 'shiqi',
    metric: 'recipients_share',
    value: 0.0213,
    baseline: 0.02,
    expectedLow: 0.0185,
    expectedHigh: 0.0215,
    score: 3.2,
    flagged: false,
    explanation:
      '受助人数占常住人口 2.13%，在正常区间内，不标记 / recipients are 2.13% of the population, within the band',
  };

  it('writes the contract columns first, then the band and the explanation, quoted where needed', () => {
    // Act
    const csv = anomaliesCsv([base]);

    // Assess
    expect(csv).toBe(
      'month,town,metric,value,baseline,score,flagged,expected_low,expected_high,explanation\r\n' +
        '2026-10,shiqi,recipients_share,0.021300,0.020000,3.20,false,0.018500,0.021500,' +
        '"受助人数占常住人口 2.13%，在正常区间内，不标记 / recipients are 2.13% of the population, within the band"\r\n',
    );
  });

  it('writes growth with 4 decimals, amounts with 2, empty cells for null and never -0', () => {
    // Prepare
    const rows: AnomalyRow[] = [
      {
        ...base,
        metric: 'recipients_growth',
        value: -0.00001,
        baseline: null,
        expectedLow: null,
        expectedHigh: null,
        score: null,
        flagged: false,
        explanation: 'x',
      },
      {
        ...base,
        metric: 'average_amount',
        value: 812.5,
        baseline: 800,
        expectedLow: 744,
        expectedHigh: 856,
        score: -0.001,
        flagged: true,
        explanation: 'y',
      },
      {
        ...base,
        metric: 'total_amount',
        value: 123456789.01,
        baseline: 0,
        expectedLow: 0,
        expectedHigh: 0.01,
        score: 0,
        flagged: false,
        explanation: 'z',
      },
    ];

    // Act
    const lines = anomaliesCsv(rows).split('\r\n').slice(1, 4);

    // Assess
    expect(lines).toEqual([
      '2026-10,shiqi,recipients_growth,0.0000,,,false,,,x',
      '2026-10,shiqi,average_amount,812.50,800.00,0.00,true,744.00,856.00,y',
      '2026-10,shiqi,total_amount,123456789.01,0.00,0.00,false,0.00,0.01,z',
    ]);
  });
});
