import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BUCKET_LAYOUT,
  bankReturnFile,
  FILE_NAME_SEGMENT,
  ID_SEGMENT,
  type KeyFamily,
  type KeySegment,
  keyFamily,
  MONTH_SEGMENT,
  matchesPattern,
  monthMetrics,
  NAME_SEGMENT,
  PARTITION_SEGMENT,
  partnerFile,
  registerFile,
  registryFile,
  releaseFile,
  rosterIdShard,
  rosterUpload,
  stagedRoster,
  townsFile,
} from '#schemas/bucket-layout.ts';
import { isMonth } from '#schemas/month.ts';

type AnyFamily = KeyFamily<Record<string, unknown>>;

const month = fc
  .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 12 }))
  .map(([y, m]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`);
const withoutSlash = fc
  .string({ minLength: 1, maxLength: 24, unit: 'grapheme' })
  .filter((s) => !s.includes('/'));

/** Valid values of each segment. */
const VALUES = new Map<KeySegment<unknown>, fc.Arbitrary<unknown>>([
  [MONTH_SEGMENT, month],
  [NAME_SEGMENT, fc.stringMatching(/^[a-z0-9-]{1,16}$/)],
  [ID_SEGMENT, withoutSlash],
  [FILE_NAME_SEGMENT, withoutSlash],
  [PARTITION_SEGMENT, fc.nat({ max: 2_000_000 })],
]);

const FAMILIES = Object.entries(BUCKET_LAYOUT) as [string, AnyFamily][];

/** Valid parameters of a family. */
function paramsOf(family: AnyFamily): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(
    Object.fromEntries(
      Object.entries(family.segments).map(([name, segment]) => {
        const values = VALUES.get(segment as KeySegment<unknown>);
        if (values === undefined) throw new Error(`${family.template}: no test values for {${name}}`);
        return [name, values];
      }),
    ),
  );
}

const build = (family: AnyFamily, params: Record<string, unknown>) =>
  (family.key as (params?: Record<string, unknown>) => string)(params);

describe('the bucket layout', () => {
  it('spells the keys of contract 1 and of the outputs as the contract does', () => {
    // Prepare
    const m = { month: '2026-10' };

    // Act
    const keys = [
      rosterUpload.key({ ...m, batch: 'shiqi', file: '名册.xlsx' }),
      townsFile.key(),
      registryFile.key(),
      registerFile.key({ register: 'staff-relatives' }),
      registerFile.key({ register: 'proxy-accounts' }),
      partnerFile.key({ dataset: 'deaths', file: '2026-10.csv' }),
      bankReturnFile.key({ ...m, file: 'a.csv' }),
      monthMetrics.key(m),
      releaseFile.key(m),
      stagedRoster.key({ ...m, batch: 'shiqi', uploadId: '0123456789abcdef' }),
      rosterIdShard.key({ ...m, batch: 'shiqi', uploadId: 'u', shard: 7 }),
    ];

    // Assess
    expect(keys).toEqual([
      'incoming/2026-10/shiqi/名册.xlsx',
      'reference/towns.csv',
      'reference/registry.csv',
      'registers/staff-relatives.csv',
      'registers/proxy-accounts.csv',
      'partners/deaths/2026-10.csv',
      'bank-returns/2026-10/a.csv',
      'metrics/2026-10.csv',
      'reports/2026-10/release.csv',
      'staged/2026-10/shiqi/0123456789abcdef.arrow',
      'staged/rosters/2026-10/shiqi/u/by-id/0007.arrow',
    ]);
  });

  it('names each family in IAM by its template, a month as ????-??', () => {
    // Act
    const patterns = [releaseFile, rosterUpload, partnerFile, townsFile].map((f) => f.pattern);
    const scoped = partnerFile.where({ dataset: 'deaths' });

    // Assess
    expect(patterns).toEqual([
      'reports/????-??/release.csv',
      'incoming/????-??/*/*',
      'partners/*/*',
      'reference/towns.csv',
    ]);
    expect(scoped).toEqual({
      description: 'partners/deaths/{file}',
      pattern: 'partners/deaths/*',
      folderPattern: 'partners/deaths/',
    });
    expect(bankReturnFile.folderPattern).toBe('bank-returns/????-??/');
    expect(bankReturnFile.folder({ month: '2026-10' })).toBe('bank-returns/2026-10/');
    expect(registryFile.folder()).toBe('reference/');
    expect(townsFile.folderPattern).toBeUndefined();
  });

  it.each(FAMILIES)('%s: reads back every key it builds, and its IAM pattern covers it', (_, family) => {
    fc.assert(
      fc.property(paramsOf(family), (params) => {
        const key = build(family, params);
        expect(family.parse(key)).toEqual(params);
        expect(matchesPattern(family.pattern, key)).toBe(true);
        expect(key.startsWith(family.root)).toBe(true);
        const folderTemplate = (family as { folderTemplate?: string }).folderTemplate;
        if (folderTemplate !== undefined) {
          const folder = (family as unknown as { folder(p: unknown): string }).folder(params);
          expect(key.startsWith(folder)).toBe(true);
          expect(matchesPattern(family.folderPattern as string, folder)).toBe(true);
        }
      }),
    );
  });

  it('keeps the families apart: no key of one is read or matched by another', () => {
    fc.assert(
      fc.property(
        fc
          .constantFrom(...FAMILIES)
          .chain(([name, family]) =>
            paramsOf(family).map((params) => ({ name, key: build(family, params) })),
          ),
        ({ name, key }) => {
          for (const [other, family] of FAMILIES) {
            if (other === name) continue;
            expect(family.parse(key), `${key} read as ${other}`).toBeUndefined();
            expect(matchesPattern(family.pattern, key), `${key} matched by ${other}`).toBe(false);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('refuses to build a key from a value its segment may not be', () => {
    // Act
    const attempts = [
      () => releaseFile.key({ month: '2026-13' }),
      () => rosterUpload.key({ month: '2026-10', batch: 'Shi_Qi', file: 'a.csv' }),
      () => stagedRoster.key({ month: '2026-10', batch: 'shiqi', uploadId: '../x' }),
      () => rosterIdShard.key({ month: '2026-10', batch: 'shiqi', uploadId: 'u', shard: -1 }),
      () => rosterIdShard.key({ month: '2026-10', batch: 'shiqi', uploadId: 'u', shard: 1.5 }),
    ];

    // Assess
    for (const attempt of attempts) expect(attempt).toThrow(RangeError);
    expect(attempts[0]).toThrow('reports/{month}/release.csv: {month} must match');
  });

  it('reads back only keys it builds', () => {
    // Act
    const read = [
      rosterIdShard.parse('staged/rosters/2026-10/shiqi/u/by-id/00007.arrow'),
      releaseFile.parse('reports/2026-10/release.csv.bak'),
      stagedRoster.parse('staged/datasets/deaths/abc.arrow'),
      rosterUpload.parse('incoming/2026-10/shiqi/sub/a.csv'),
    ];

    // Assess
    expect(read).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('gives the raw segments of a key of the right shape, unchecked', () => {
    // Act
    const shapes = [
      rosterUpload.shapeOf('incoming/2026-13/Shi_Qi/.DS_Store'),
      rosterUpload.shapeOf('incoming/2026-10/shiqi/'),
      rosterUpload.shapeOf('incoming/2026-10/shiqi/old/a.csv'),
    ];

    // Assess
    expect(shapes).toEqual([
      { month: '2026-13', batch: 'Shi_Qi', file: '.DS_Store' },
      { month: '2026-10', batch: 'shiqi', file: '' },
      undefined,
    ]);
  });

  it('writes a month segment exactly where the contract sees a month', () => {
    fc.assert(
      fc.property(fc.oneof(month, fc.string({ minLength: 7, maxLength: 7 })), (text) => {
        const family = monthMetrics;
        expect(family.parse(`metrics/${text}.csv`) !== undefined).toBe(isMonth(text));
      }),
    );
  });

  it('refuses a template whose text would be an IAM wildcard, or that starts without a folder', () => {
    expect(() => keyFamily('reports/*.csv', {})).toThrow('IAM wildcards');
    expect(() => keyFamily('{month}/x.csv', { month: MONTH_SEGMENT })).toThrow('top-level folder');
    expect(() => keyFamily('reports/{month}/x.csv', { month: MONTH_SEGMENT }, 'other/')).toThrow('prefix');
  });
});

describe('matchesPattern', () => {
  it('matches as IAM does: * any text with /, ? one character, everything else literally and case-sensitively', () => {
    expect(matchesPattern('reports/*/release.csv', 'reports/2026-10/x/release.csv')).toBe(true);
    expect(matchesPattern('reports/????-??/release.csv', 'reports/2026-10/release.csv')).toBe(true);
    expect(matchesPattern('reports/????-??/release.csv', 'reports/2026-100/release.csv')).toBe(false);
    expect(matchesPattern('reports/????-??/release.csv', 'reports/2026-10/releaseXcsv')).toBe(false);
    expect(matchesPattern('reports/????-??/release.csv', 'Reports/2026-10/release.csv')).toBe(false);
    expect(matchesPattern('reference/', 'reference/towns.csv')).toBe(false);
    expect(matchesPattern('a(b)+', 'a(b)+')).toBe(true);
  });
});
