import { describe, expect, it } from 'vitest';
import { townSeries, trailingHistory, trailingWindow } from '#domain/anomaly/town-history.ts';
import type { TownMonthMetrics } from '#schemas/metrics.ts';

const row = (month: string, town = 'shiqi', recipients = 100): TownMonthMetrics => ({
  month,
  town,
  recipients,
  totalAmountFen: recipients * 80_000,
  population: 10_000,
});

describe('trailingWindow', () => {
  it('lists the calendar months before the month, most recent first, across a year end', () => {
    // Act
    const months = trailingWindow('2026-02', 3);

    // Assess
    expect(months).toEqual(['2026-01', '2025-12', '2025-11']);
  });
});

describe('trailingHistory', () => {
  it('keeps the rows of the window, oldest first, and drops older, current and later months', () => {
    // Prepare
    const history = [row('2026-09'), row('2025-01'), row('2026-07'), row('2026-10'), row('2026-11')];

    // Act
    const rows = trailingHistory('2026-10', history, 12);

    // Assess
    expect(rows.map((r) => r.month)).toEqual(['2026-07', '2026-09']);
  });
});

describe('townSeries', () => {
  it("gives each town its window, oldest first, and last month's row even outside the window", () => {
    // Prepare
    const history = [row('2026-08', 'SHIQI', 90), row('2026-09', 'shiqi', 95), row('2026-09', 'dq02', 10)];

    // Act
    const [series] = townSeries([row('2026-10')], history, 1);

    // Assess
    expect(series?.window.map((r) => r.recipients)).toEqual([95]);
    expect(series?.previous?.recipients).toBe(95);
    expect(series?.atMonth('2026-08')?.recipients).toBe(90);
  });

  it('keeps the first row when a month repeats a town', () => {
    // Prepare
    const history = [row('2026-09', 'shiqi', 95), row('2026-09', 'SHIQI', 10)];

    // Act
    const [series] = townSeries([row('2026-10')], history, 12);

    // Assess
    expect(series?.window.map((r) => r.recipients)).toEqual([95]);
  });
});
