import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type MonthPageInput, renderMonthPage } from '#views/month-page.ts';
import { groupInEights, reportCount, reportMeasure, reportYuan } from '#views/report-format.ts';

const UNMASKED_ID = '44200019800101123X';
const ID_LIKE = /\d{17}[\dXx]/;
const SHA = '0123456789012345678901234567890123456789012345678901234567890123';
const TEST_IDS = [
  'report-state',
  'released-amount',
  'held-amount',
  'town-table',
  'findings-by-code',
  'findings-chart',
  'growth-chart',
  'trend-chart',
  'flagged-anomalies',
  'sample-summary',
  'closeout-summary',
] as const;
const FLAGGED_EXPLANATION =
  '受助人数环比增长 18.0%，高于预期上限 4.0% / recipients grew 18.0%, above the expected 4.0%';

type Anomalies = NonNullable<MonthPageInput['anomalies']>;
type Town = MonthPageInput['towns'][number];

const TOWNS: readonly { code: string; name: string; population: number; recipients: readonly number[] }[] = [
  {
    code: 'shiqi',
    name: '石岐街道',
    population: 180_000,
    recipients: [1200, 1210, 1205, 1215, 1220, 1218, 1225],
  },
  { code: 'dongqu', name: '东区街道', population: 150_000, recipients: [900, 905, 910, 908, 912, 915, 1080] },
  { code: 'xiqu', name: '西区街道', population: 120_000, recipients: [700, 698, 702, 705, 703, 706, 707] },
];
const HISTORY_MONTHS = ['2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09'];

function town(code: string, overrides: Partial<Town> = {}): Town {
  const t = TOWNS.find((x) => x.code === code);
  if (t === undefined) throw new Error(code);
  return {
    code: t.code,
    name: t.name,
    population: t.population,
    recipients: t.recipients[6] ?? 0,
    releasedRows: (t.recipients[6] ?? 0) - 3,
    releasedAmountFen: ((t.recipients[6] ?? 0) - 3) * 105_000,
    heldRows: 3,
    heldAmountFen: 315_000,
    sampleVisits: 12,
    sampleReplacements: 4,
    flaggedMetrics: code === 'dongqu' ? ['recipients_growth'] : [],
    ...overrides,
  };
}

function anomalies(overrides: Partial<Anomalies> = {}): Anomalies {
  return {
    historyMonths: 6,
    threshold: 3,
    rows: TOWNS.map((t) => ({
      town: t.code,
      metric: 'recipients_growth',
      value: t.code === 'dongqu' ? 0.18 : 0.004,
      baseline: 0.003,
      expectedLow: -0.02,
      expectedHigh: 0.04,
      score: t.code === 'dongqu' ? 8.5 : 0.2,
      flagged: t.code === 'dongqu',
      explanation: t.code === 'dongqu' ? FLAGGED_EXPLANATION : '在预期区间内 / within the expected band',
    })),
    history: TOWNS.flatMap((t) =>
      HISTORY_MONTHS.map((month, i) => ({
        month,
        town: t.code,
        recipients: t.recipients[i] ?? 0,
        totalAmountFen: (t.recipients[i] ?? 0) * 105_000,
        population: t.population,
      })),
    ),
    ...overrides,
  };
}

function input(overrides: Partial<MonthPageInput> = {}): MonthPageInput {
  return {
    month: '2026-10',
    generatedAt: '2026-11-05 09:30 (UTC+8)',
    state: 'OPEN',
    totals: {
      validRows: 3012,
      validAmountFen: 316_260_000,
      heldRows: 9,
      heldAmountFen: 945_000,
      invalidRows: 17,
      batches: 3,
      rejectedBatches: 0,
      missingBatches: ['gangkou'],
    },
    towns: TOWNS.map((t) => town(t.code)),
    findingsByCode: [
      { code: 'DECEASED', severity: 'BLOCK', count: 4 },
      { code: 'DUPLICATE_PAYMENT', severity: 'BLOCK', count: 5 },
      { code: 'EMPLOYED', severity: 'REVIEW', count: 11 },
    ],
    approval: {
      status: 'APPROVED',
      requiredApprovals: 2,
      approvers: [
        { name: '李审批', at: '2026-10-26 10:00' },
        { name: '王复核', at: '2026-10-26 15:20' },
      ],
    },
    release: { rows: 3003, amountFen: 315_315_000, sha256: SHA, releasedAt: '2026-10-26 16:00' },
    closeout: {
      state: 'OPEN',
      countsByCode: { PAID: 2991, PAYMENT_FAILED: 10, NOT_RETURNED: 2 },
      paidAmountFen: 314_055_000,
      failedAmountFen: 1_050_000,
    },
    anomalies: anomalies(),
    sample: { seed: '2026-10-payguard', visits: 36, replacements: 12 },
    ...overrides,
  };
}

/** The element carrying a data-testid, as far as its closing tag. */
function testIdElement(page: string, testId: string, tag: string): string {
  const match = new RegExp(`<${tag}[^>]*data-testid="${testId}"[\\s\\S]*?</${tag}>`).exec(page);
  if (match === null) throw new Error(`no <${tag} data-testid="${testId}">`);
  return match[0];
}

/** Text of the element carrying a data-testid (its first text run). */
function testIdText(page: string, testId: string): string | undefined {
  return new RegExp(`data-testid="${testId}"[^>]*>([^<]*)<`).exec(page)?.[1];
}

describe('report numbers', () => {
  it.each([
    [0.12345, '0.123'],
    [-0.0001, '0.000'],
    [-1234.56, '-1,234.6'],
    [42.5, '42.50'],
    [1.5e12, '1.50e+12'],
    [Number.NaN, '—'],
    [Number.NEGATIVE_INFINITY, '—'],
  ])('writes the measure %d as %s', (value, shown) => {
    // Act & Assess
    expect(reportMeasure(value)).toBe(shown);
  });

  it('writes amounts with 2 decimals and counts grouped, and odd ones as a dash', () => {
    // Act & Assess
    expect(reportYuan(123_456_789)).toBe('1,234,567.89');
    expect(reportYuan(0.5)).toBe('—');
    expect(reportCount(12_345)).toBe('12,345');
    expect(reportCount(1.5)).toBe('1.50');
  });

  it('splits a hash into groups of 8', () => {
    // Act & Assess
    expect(groupInEights(SHA.slice(0, 20))).toBe('01234567 89012345 6789');
  });
});

describe('renderMonthPage', () => {
  it('carries every stable data-testid', () => {
    // Act
    const page = renderMonthPage(input());

    // Assess
    for (const testId of TEST_IDS) expect(page).toContain(`data-testid="${testId}"`);
  });

  it('shows the state, the released and held amounts with 2 decimals and the generation time', () => {
    // Act
    const page = renderMonthPage(input());

    // Assess
    expect(testIdText(page, 'report-state')).toBe('结账未完成 / OPEN');
    expect(testIdText(page, 'released-amount')).toBe('3,153,150.00');
    expect(testIdText(page, 'held-amount')).toBe('9,450.00');
    expect(page).toContain('2026-11-05 09:30 (UTC+8)');
    expect(page).toContain('李审批');
  });

  it('shows each town with its figures and highlights the flagged one', () => {
    // Act
    const table = testIdElement(renderMonthPage(input()), 'town-table', 'table');

    // Assess
    expect(table).toContain('石岐街道');
    expect(table).toContain('180,000');
    expect(table).toContain('1,130,850.00');
    expect(table).toContain('3,153,150.00');
    expect(table).toContain('(+4)');
    expect(table).toMatch(/<tr class="flagged">\s*<td>东区街道/);
    expect(table.match(/class="flagged"/g)).toHaveLength(1);
  });

  it('lists findings by code with Chinese labels, BLOCK first, and draws them as bars', () => {
    // Act
    const page = renderMonthPage(input());

    // Assess
    const table = testIdElement(page, 'findings-by-code', 'table');
    expect(table.indexOf('DUPLICATE_PAYMENT')).toBeLessThan(table.indexOf('EMPLOYED'));
    expect(table).toContain('重复发放');
    const chart = testIdElement(page, 'findings-chart', 'figure');
    expect(chart).toContain('<svg');
    expect(chart.match(/<rect /g)).toHaveLength(3);
    expect(chart).toContain('<title>');
    expect(chart).toContain('已死亡');
  });

  it('draws the growth band chart, the trend lines and the flagged row with its explanation', () => {
    // Act
    const page = renderMonthPage(input());

    // Assess
    const growth = testIdElement(page, 'growth-chart', 'figure');
    expect(growth).toContain('<circle');
    expect(growth.indexOf('东区街道')).toBeLessThan(growth.indexOf('石岐街道'));
    expect(growth).toContain('#b91c1c');
    const trend = testIdElement(page, 'trend-chart', 'figure');
    expect(trend.match(/<svg/g)).toHaveLength(3);
    expect(trend.match(/<polyline/g)).toHaveLength(3);
    expect(trend).toContain('2026-04');
    expect(trend).toContain('2026-10');
    const flagged = testIdElement(page, 'flagged-anomalies', 'table');
    expect(flagged).toContain(FLAGGED_EXPLANATION);
    expect(flagged).not.toContain('西区街道');
  });

  it('shows the sample, the close-out counts by code and the release hash in groups', () => {
    // Act
    const page = renderMonthPage(input());

    // Assess
    const sample = testIdElement(page, 'sample-summary', 'section');
    expect(sample).toContain('2026-10-payguard');
    expect(sample).toContain('36');
    const closeout = testIdElement(page, 'closeout-summary', 'section');
    expect(closeout).toContain('OPEN');
    expect(closeout).toContain('银行未回盘');
    expect(closeout).toContain('2,991');
    expect(closeout).toContain('10,500.00');
    expect(page).toContain('01234567 89012345');
  });

  it('flags an approval made from the device of an earlier one, in the card and the approval table', () => {
    // Prepare
    const approval = {
      status: 'APPROVED',
      requiredApprovals: 2,
      approvers: [
        { name: '李审批', at: '2026-10-26 10:00' },
        { name: '王复核', at: '2026-10-26 15:20', sameDeviceAs: ['李审批'] },
      ],
    };

    // Act
    const flagged = renderMonthPage(input({ approval }));
    const plain = renderMonthPage(input());

    // Assess
    const table = testIdElement(flagged, 'approvers', 'table');
    expect(table).toContain(
      '王复核 <strong class="flag" data-testid="same-device-flag">与 李审批 同一设备 / same device as 李审批</strong>',
    );
    expect(flagged.match(/data-testid="same-device-flag"/g)).toHaveLength(2);
    expect(plain).not.toContain('same-device-flag');
  });

  it('is self-contained: no script, no URL, no ID-like run even from an 18-digit hash', () => {
    // Act
    const page = renderMonthPage(input());

    // Assess
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/https?:\/\//);
    expect(page).not.toMatch(ID_LIKE);
  });

  it('masks an ID number that reached a name, an explanation or a seed by mistake', () => {
    // Arrange
    const base = anomalies();
    const [first, ...rest] = base.rows;
    if (first === undefined) throw new Error('no rows');
    const page = renderMonthPage(
      input({
        towns: [town('shiqi', { name: `石岐 ${UNMASKED_ID}` }), town('dongqu')],
        approval: {
          status: 'REJECTED',
          requiredApprovals: 1,
          approvers: [],
          reason: `身份证 ${UNMASKED_ID}`,
        },
        anomalies: { ...base, rows: [{ ...first, explanation: UNMASKED_ID }, ...rest] },
        sample: { seed: `${UNMASKED_ID}99`, visits: 1, replacements: 0 },
        closeout: {
          state: 'CLOSED',
          countsByCode: { [UNMASKED_ID]: 1 },
          paidAmountFen: 0,
          failedAmountFen: 0,
        },
      }),
    );

    // Assess
    expect(page).not.toMatch(ID_LIKE);
    expect(page).toContain('442000********123X');
  });

  it('escapes markup in town names and other texts', () => {
    // Act
    const page = renderMonthPage(
      input({ towns: [town('shiqi', { name: '<script>alert(1)</script>' })], generatedAt: '<b>x</b>' }),
    );

    // Assess
    expect(page).not.toMatch(/<script/i);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('&lt;b&gt;x&lt;/b&gt;');
  });

  it('says "not yet" for every section without data', () => {
    // Act
    const page = renderMonthPage(
      input({
        state: 'CHECKED',
        approval: null,
        release: null,
        closeout: null,
        anomalies: null,
        sample: null,
      }),
    );

    // Assess
    expect(testIdText(page, 'report-state')).toBe('已核查 / CHECKED');
    expect(testIdText(page, 'released-amount')).toBe('尚未发放 / not yet');
    expect(testIdElement(page, 'closeout-summary', 'section')).toContain('尚未结账');
    expect(testIdElement(page, 'sample-summary', 'section')).toContain('尚未抽样');
    expect(page).toContain('尚未提交审批');
    expect(page).toContain('异常检测尚未运行');
    expect(page).toContain('尚未发放 / not released yet');
    expect(page).not.toContain('data-testid="growth-chart"');
  });

  it('shows the note instead of charts when there is no history', () => {
    // Act
    const withNote = renderMonthPage(
      input({
        anomalies: anomalies({ historyMonths: 0, history: [], note: '历史数据不足 / too little history' }),
      }),
    );
    const withoutNote = renderMonthPage(input({ anomalies: anomalies({ historyMonths: 0, history: [] }) }));

    // Assess
    expect(withNote).toContain('历史数据不足 / too little history');
    expect(withoutNote).toContain('尚无足够历史数据');
    for (const page of [withNote, withoutNote]) {
      expect(page).not.toContain('data-testid="growth-chart"');
      expect(page).not.toContain('data-testid="trend-chart"');
    }
  });

  it('renders any numbers without throwing and without NaN, Infinity or an ID-like run', () => {
    const measure = fc.oneof(fc.double(), fc.constantFrom(0, -0, -1, 1e300, Number.NaN));
    const maybe = fc.option(measure, { nil: null });
    const count = fc.oneof(fc.integer(), fc.constantFrom(0, Number.MAX_SAFE_INTEGER, 1.5, Number.NaN));
    const fen = fc.oneof(fc.maxSafeInteger(), fc.double());
    // Texts from a few characters (no letters, so none spells NaN), long enough to form ID-like runs.
    const text = fc.string({ unit: fc.constantFrom('1', '9', 'X', '<', '张', ' '), maxLength: 30 });
    const townArb = fc.record({
      code: fc.constantFrom('shiqi', 'dongqu', 'xiqu'),
      name: text,
      population: count,
      recipients: count,
      releasedRows: count,
      releasedAmountFen: fen,
      heldRows: count,
      heldAmountFen: fen,
      sampleVisits: count,
      sampleReplacements: count,
      flaggedMetrics: fc.array(text, { maxLength: 2 }),
    });
    const rowArb = fc.record({
      town: fc.constantFrom('shiqi', 'dongqu', 'xiqu', 'other'),
      metric: fc.constantFrom('recipients_growth', 'amount_per_recipient'),
      value: measure,
      baseline: maybe,
      expectedLow: maybe,
      expectedHigh: maybe,
      score: maybe,
      flagged: fc.boolean(),
      explanation: text,
    });
    const historyArb = fc.record({
      month: fc.constantFrom(...HISTORY_MONTHS),
      town: fc.constantFrom('shiqi', 'dongqu', 'xiqu'),
      recipients: count,
      totalAmountFen: fen,
      population: count,
    });
    const anomaliesArb = fc.record({
      historyMonths: fc.integer({ min: -1, max: 24 }),
      threshold: measure,
      rows: fc.array(rowArb, { maxLength: 8 }),
      history: fc.array(historyArb, { maxLength: 20 }),
    });
    fc.assert(
      fc.property(
        fc.array(townArb, { maxLength: 4 }),
        fc.option(anomaliesArb, { nil: null }),
        fc.array(fc.record({ code: text, severity: fc.constantFrom('BLOCK', 'REVIEW'), count }), {
          maxLength: 4,
        }),
        fen,
        fc.dictionary(text, count, { maxKeys: 3 }),
        (towns, anomalyResult, findingsByCode, amountFen, countsByCode) => {
          // Arrange
          const report = input({
            towns,
            anomalies: anomalyResult,
            findingsByCode,
            release: { rows: 1, amountFen, sha256: SHA, releasedAt: '2026-10-26' },
            closeout: { state: 'OPEN', countsByCode, paidAmountFen: amountFen, failedAmountFen: amountFen },
          });

          // Act
          const page = renderMonthPage(report);

          // Assess
          expect(page).not.toMatch(/NaN|Infinity/);
          expect(page).not.toMatch(ID_LIKE);
        },
      ),
      { numRuns: 300 },
    );
  });
});
