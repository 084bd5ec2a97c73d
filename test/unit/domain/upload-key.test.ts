import { describe, expect, it } from 'vitest';
import { parseRosterKey } from '#domain/upload-key.ts';

describe('parseRosterKey', () => {
  it('splits incoming/{month}/{batch}/{file}', () => {
    expect(parseRosterKey('incoming/2026-10/shiqi/名册.xlsx')).toEqual({
      month: '2026-10',
      batch: 'shiqi',
      fileName: '名册.xlsx',
    });
  });

  it.each([
    ['incoming/2026-10/shiqi/.DS_Store', 'hidden'],
    ['incoming/2026-10/ShiQi/roster.csv', 'batch folder'],
    ['incoming/2026-10/shi_qi/roster.csv', 'batch folder'],
    ['incoming/2026-13/shiqi/roster.csv', 'YYYY-MM'],
    ['incoming/2026-10/roster.csv', 'not of the form'],
    ['incoming/2026-10/shiqi/old/roster.csv', 'not of the form'],
    ['reference/towns.csv', 'not of the form'],
  ])('ignores %s', (key, reason) => {
    const parsed = parseRosterKey(key);
    expect(parsed).toHaveProperty('ignored');
    expect((parsed as { ignored: string }).ignored).toContain(reason);
  });
});
