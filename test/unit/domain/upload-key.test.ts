import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRosterKey } from '#domain/upload-key.ts';
import { rosterUpload } from '#schemas/bucket-layout.ts';

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

  it("accepts exactly the keys of the layout's roster family whose file is not hidden", () => {
    const segment = fc.oneof(
      fc.constantFrom('2026-10', '2026-13', 'shiqi', 'Shi_Qi', '.DS_Store', '', 'a.csv', 'x/y'),
      fc.string({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(fc.constantFrom('incoming', 'reports'), segment, segment, segment, (root, a, b, c) => {
        const key = `${root}/${a}/${b}/${c}`;
        const parsed = parseRosterKey(key);
        const family = rosterUpload.parse(key);
        const counts = family !== undefined && !family.file.startsWith('.');
        expect('ignored' in parsed, key).toBe(!counts);
        if (counts)
          expect(parsed).toEqual({ month: family.month, batch: family.batch, fileName: family.file });
      }),
      { numRuns: 500 },
    );
  });
});
