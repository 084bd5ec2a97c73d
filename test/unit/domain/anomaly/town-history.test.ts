import { describe, expect, it } from 'vitest';
import { trailingHistory, trailingWindow, watchedUnits } from '#domain/anomaly/town-history.ts';
import type { CategoryCode } from '#schemas/categories.ts';
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

describe('watchedUnits', () => {
  const category = (
    month: string,
    cat: CategoryCode,
    recipients: number,
    town = 'shiqi',
  ): TownMonthMetrics => ({
    ...row(month, town, recipients),
    category: cat,
  });

  it('gives each town its all-categories unit, then the categories it pays, in table 2.2 order', () => {
    // Prepare
    const current = [row('2026-10'), category('2026-10', 'ELDERLY', 40), category('2026-10', 'DIBAO', 60)];

    // Act
    const units = watchedUnits(current, []);

    // Assess
    expect(units.map((u) => [u.town, u.category])).toEqual([
      ['shiqi', undefined],
      ['shiqi', 'DIBAO'],
      ['shiqi', 'ELDERLY'],
    ]);
  });

  it('matches history case-insensitively, and keeps the first row when a month repeats a town', () => {
    // Prepare
    const history = [row('2026-09', 'SHIQI', 95), row('2026-09', 'shiqi', 10), row('2026-08', 'dq02', 10)];

    // Act
    const [unit] = watchedUnits([row('2026-10')], history);

    // Assess
    expect(unit?.at('2026-09')?.recipients).toBe(95);
    expect(unit?.at('2026-08')).toBeUndefined();
  });

  it('reads a category the town did not pay in a month with categories as zero, and keeps judging one that stopped', () => {
    // Prepare: CHILD paid in September, not in October
    const history = [row('2026-09'), category('2026-09', 'DIBAO', 60), category('2026-09', 'CHILD', 5)];
    const current = [row('2026-10'), category('2026-10', 'DIBAO', 66)];

    // Act
    const units = watchedUnits(current, history);

    // Assess
    const child = units.find((u) => u.category === 'CHILD');
    expect(child?.at('2026-10')).toMatchObject({ recipients: 0, totalAmountFen: 0, population: 10_000 });
    expect(child?.at('2026-09')?.recipients).toBe(5);
  });

  it('knows nothing of a category in a month written without categories', () => {
    // Prepare: an old file for September (town totals only)
    const current = [row('2026-10'), category('2026-10', 'DIBAO', 66)];

    // Act
    const [, dibao] = watchedUnits(current, [row('2026-09')]);

    // Assess
    expect(dibao?.at('2026-09')).toBeUndefined();
    expect(dibao?.at('2026-10')?.recipients).toBe(66);
  });

  it('reads every category of a town that paid nobody as zero', () => {
    // Prepare
    const history = [row('2026-09'), category('2026-09', 'DIBAO', 60)];
    const current = [row('2026-10', 'shiqi', 0)];

    // Act
    const units = watchedUnits(current, history);

    // Assess
    expect(units.map((u) => u.category)).toEqual([undefined, 'DIBAO']);
    expect(units[1]?.at('2026-10')?.recipients).toBe(0);
  });
});
