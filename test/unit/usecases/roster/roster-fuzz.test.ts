import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { runIngestCase } from '../../../fuzz/ingest-case.ts';
import { applyCase, caseSpec } from '../../../fuzz/roster-mutations.ts';
import { type RosterSeed, rosterSeeds, type SeedSet } from '../../../fuzz/roster-seeds.ts';

/** A case longer than this is a hang (`npm run fuzz` counts them the same way). */
const CASE_TIMEOUT_MS = 5_000;

let set: SeedSet;
beforeAll(async () => {
  set = await rosterSeeds();
});

const seedOf = (index: number) => set.seeds[index] as RosterSeed;

describe('ValidateRoster over mutated real rosters (issue 10 item 10; `npm run fuzz` runs 10,000)', () => {
  it('has seeds of every format the towns upload', () => {
    const formats = new Set(set.seeds.map((s) => s.format));
    expect([...formats].sort()).toEqual(['binary', 'gb18030', 'utf-8', 'xlsx']);
  });

  it('the seeds of one generated month are ingested alike at every chunk size', async () => {
    const first = set.seeds.filter((s) => s.key.startsWith(set.seeds[0]?.key.split('/')[0] ?? ''));
    for (const seed of first) {
      const result = await runIngestCase(set.towns, set.month, seed.fileName, seed.bytes);
      expect(result.problems, seed.key).toEqual([]);
      expect(result.status, seed.key).not.toBe('CRASH');
    }
  });

  it('300 mutations: no error escapes, the same outcome at every chunk size, records = valid + invalid, accepted ⇒ staged, rejected ⇒ untouched and reported', async () => {
    const statuses = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(caseSpec(set.seeds.map((s) => s.format)), async (spec) => {
        const seed = seedOf(spec.seed);
        const result = await runIngestCase(set.towns, set.month, seed.fileName, applyCase(seed.bytes, spec));
        statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
        expect(result.problems, seed.key).toEqual([]);
      }),
      { numRuns: 300, seed: 20_261_010, timeout: CASE_TIMEOUT_MS },
    );
    // The mutations reach both outcomes, not only the reader's error path.
    expect(statuses.get('ACCEPTED')).toBeGreaterThan(30);
    expect(statuses.get('REJECTED')).toBeGreaterThan(30);
  }, 300_000);

  it('an unreadable file counts no records and names no header, whatever the chunk size (shrunk from a fuzz case)', async () => {
    // Before: read 1 byte at a time, the records before the bad bytes were counted and the header
    // named; read in 64 KiB, the decoding error came first and none were.
    const index = set.seeds.findIndex(
      (s) => s.key === 'seed-1913/incoming/2026-10/shaxi/2026年10月沙溪镇救助金发放名册.csv',
    );
    const seed = set.seeds[index] as RosterSeed;
    const body = applyCase(seed.bytes, {
      seed: index,
      target: 'bytes',
      mutations: [
        { kind: 'delete', at: 0.37007051706314087, length: 58 },
        { kind: 'delete', at: 0.3067891597747803, length: 63 },
        { kind: 'insert', at: 0.00039255619049072266, bytes: [10] },
        { kind: 'delete', at: 0.47308677434921265, length: 3 },
      ],
    });
    const result = await runIngestCase(set.towns, set.month, seed.fileName, body);
    expect(result).toMatchObject({ status: 'REJECTED', fileFinding: 'UNREADABLE_FILE' });
    expect(result.problems).toEqual([]);
  });

  it('a quoting error before a byte that is not UTF-8 gives the same reason and the whole-file SHA-256 at every chunk size (issue 10 item 6)', async () => {
    const header = 'id_number,name,household_id,category,amount,month,town,account_number\n';
    const body = Buffer.concat([Buffer.from(`${header}"x"y,a,b,c,d,e,f,g\n`), Buffer.from([0xff, 0x0a])]);
    const result = await runIngestCase(set.towns, set.month, 'roster.csv', new Uint8Array(body));
    expect(result.problems).toEqual([]);
  });
});
