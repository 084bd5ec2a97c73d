import { describe, expect, it } from 'vitest';
import { requiredApprovals } from '#domain/release/approvals-required.ts';
import { deceasedRecheck } from '#domain/release/deceased-recheck.ts';
import { releaseRows, rowKey } from '#domain/release/release-rows.ts';
import { payee } from './payee.ts';

describe('requiredApprovals', () => {
  it('needs two approvers at or above the threshold, one below', () => {
    expect(requiredApprovals(49_999_999, 50_000_000)).toBe(1);
    expect(requiredApprovals(50_000_000, 50_000_000)).toBe(2);
    expect(requiredApprovals(0, 0)).toBe(2);
  });
});

describe('releaseRows', () => {
  it('keeps every row not held, in the order given', () => {
    const rows = [payee('a', 1), payee('a', 2), payee('b', 1)];
    expect(releaseRows(rows, new Set([rowKey('a', 1)])).map((r) => rowKey(r.batch, r.row))).toEqual([
      'a#2',
      'b#1',
    ]);
  });
});

describe('deceasedRecheck', () => {
  const dead = (date: string) => ({
    idNumber: '44200019600101001X',
    date,
    kind: 'death' as const,
    source: 'partners/deaths/x.csv',
  });
  const cremated = (date: string) => ({
    idNumber: '44200019600101001X',
    date,
    kind: 'cremation' as const,
    source: 'partners/cremations/x.csv',
  });

  it('finds a payee now recorded dead before the month, by the earliest of both sources', () => {
    const found = deceasedRecheck('2026-10', [payee('a', 1)], {
      deaths: [dead('2026-10-05')],
      cremations: [cremated('2026-09-30')],
    });
    expect(found).toEqual([expect.objectContaining({ batch: 'a', row: 1 })]);
  });

  it('ignores a death inside the month (REVIEW, the release does not change) and other people', () => {
    const deaths = (date: string) => ({ deaths: [dead(date)], cremations: [] });
    expect(deceasedRecheck('2026-10', [payee('a', 1)], deaths('2026-10-01'))).toEqual([]);
    expect(
      deceasedRecheck('2026-10', [payee('a', 1, { idNumber: '442000196001010029' })], deaths('2026-01-01')),
    ).toEqual([]);
  });
});
