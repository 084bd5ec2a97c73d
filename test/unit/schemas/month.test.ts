import { describe, expect, it } from 'vitest';
import {
  daysInMonth,
  isLeapYear,
  isMonth,
  lastDayOfMonth,
  previousMonth,
  splitMonth,
} from '#schemas/month.ts';

describe('month', () => {
  it.each(['2026-10', '2026-01', '2026-12', '1999-02'])('accepts %s as a month', (s) => {
    // Act
    const ok = isMonth(s);

    // Assess
    expect(ok).toBe(true);
  });

  it.each([
    '2026-9',
    '2026/10',
    '2026-13',
    '2026-00',
    ' 2026-10',
    '2026-10 ',
    '202610',
    '２０２６-10',
    '2026-1a',
    '',
  ])('rejects %j: months are YYYY-MM with 01-12', (s) => {
    // Act
    const ok = isMonth(s);

    // Assess
    expect(ok).toBe(false);
  });

  it.each([
    [2000, true],
    [2024, true],
    [1900, false],
    [2023, false],
    [2100, false],
    [1600, true],
  ])('knows %i is a leap year: %s (Gregorian rule)', (year, leap) => {
    // Act
    const result = isLeapYear(year);

    // Assess
    expect(result).toBe(leap);
  });

  it.each([
    [2024, 2, 29],
    [2023, 2, 28],
    [1900, 2, 28],
    [2000, 2, 29],
    [2026, 4, 30],
    [2026, 6, 30],
    [2026, 9, 30],
    [2026, 11, 30],
    [2026, 1, 31],
    [2026, 12, 31],
  ])('counts the days of %i-%i: %i', (year, month, days) => {
    // Act
    const result = daysInMonth(year, month);

    // Assess
    expect(result).toBe(days);
  });

  it.each([
    ['2024-02', '2024-02-29'],
    ['2023-02', '2023-02-28'],
    ['2026-10', '2026-10-31'],
    ['2026-11', '2026-11-30'],
  ])('gives the last day of %s as %s', (month, day) => {
    // Act
    const result = lastDayOfMonth(month);

    // Assess
    expect(result).toBe(day);
  });

  it.each([
    ['2026-10', '2026-09'],
    ['2026-01', '2025-12'],
    ['2000-03', '2000-02'],
    ['0001-01', '0000-12'],
  ])('gives the month before %s as %s', (month, before) => {
    // Act
    const result = previousMonth(month);

    // Assess
    expect(result).toBe(before);
  });

  it('splits a month into numbers', () => {
    // Act
    const parts = splitMonth('2026-09');

    // Assess
    expect(parts).toEqual({ year: 2026, monthNumber: 9 });
  });

  it.each(['2026-9', '2026-13', 'x'])('throws a RangeError for %j, which is not a month', (s) => {
    // Act & Assess
    expect(() => lastDayOfMonth(s)).toThrow(RangeError);
    expect(() => previousMonth(s)).toThrow(RangeError);
  });

  it('has no month before 0000-01', () => {
    // Act & Assess
    expect(() => previousMonth('0000-01')).toThrow(RangeError);
  });
});
