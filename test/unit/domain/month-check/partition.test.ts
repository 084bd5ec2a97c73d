import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isPowerOfTwo,
  partitionIndexes,
  partitionOf,
  partitionOfBytes,
  partsFor,
  shardsOfPartition,
} from '#domain/month-check/partition.ts';
import { idBornOn } from '../fixtures.ts';

/** IDs as a month's roster holds them: one area, birth dates over decades, running sequence numbers. */
function rosterIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const year = 1930 + (i % 90);
    const day = String(1 + (Math.floor(i / 90) % 28)).padStart(2, '0');
    return idBornOn(`${year}01${day}`, String(Math.floor(i / 2520) % 1000).padStart(3, '0'));
  });
}

describe('partitionOf', () => {
  it('puts everyone in partition 0 of 1', () => {
    // Act
    const result = partitionOf('44200019800101123X', 1);

    // Assess
    expect(result).toBe(0);
  });

  it('is pinned: a change of hash would split people across a running month', () => {
    // Prepare
    const ids = ['44200019800101123X', '110105194912310021', '442000197505054561'];

    // Act
    const result = ids.map((id) => partitionOf(id, 1_000_003));

    // Assess
    // FNV-1a + fmix32 computed independently (Python, 32-bit arithmetic).
    expect(result).toEqual([507967, 590407, 679646]);
  });

  it('stays in range for any ID and partition count', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 18, maxLength: 18 }),
        fc.integer({ min: 1, max: 10_000 }),
        (id, n) => {
          // Act
          const p = partitionOf(id, n);

          // Assess
          expect(Number.isInteger(p) && p >= 0 && p < n).toBe(true);
        },
      ),
    );
  });

  it.each([2, 7, 16, 64])('spreads 100k roster IDs over %i partitions as evenly as chance would', (n) => {
    // Prepare
    const ids = rosterIds(100_000);
    const counts = new Array<number>(n).fill(0);

    // Act
    for (const id of ids) {
      const p = partitionOf(id, n);
      counts[p] = (counts[p] ?? 0) + 1;
    }

    // Assess
    // A uniform hash stays within 5 standard deviations (√expected) in every partition.
    const expected = ids.length / n;
    for (const count of counts) expect(Math.abs(count - expected)).toBeLessThan(5 * Math.sqrt(expected));
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects %s partitions', (n) => {
    // Act
    const act = () => partitionOf('44200019800101123X', n);

    // Assess
    expect(act).toThrow(RangeError);
  });
});

describe('partitionIndexes', () => {
  it('lists 0 to count − 1', () => {
    // Act
    const result = partitionIndexes(4);

    // Assess
    expect(result).toEqual([0, 1, 2, 3]);
  });

  it.each([0, 2.5])('rejects a count of %s', (count) => {
    // Act
    const act = () => partitionIndexes(count);

    // Assess
    expect(act).toThrow(RangeError);
  });
});

describe('partitionOfBytes', () => {
  it('gives the partition of the text the UTF-8 bytes hold, ASCII or not', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.stringMatching(/^\d{17}[\dX]$/), fc.string({ unit: 'grapheme', maxLength: 25 })),
        fc.integer({ min: 1, max: 10_000 }),
        (id, n) => {
          // Prepare
          const bytes = new Uint8Array(Buffer.from(`ab${id}c`, 'utf8'));

          // Act
          const p = partitionOfBytes(bytes, 2, bytes.length - 1, n);

          // Assess
          expect(p).toBe(partitionOf(id, n));
        },
      ),
    );
  });

  it('rejects a partition count that is not a positive integer', () => {
    // Act, Assess
    expect(() => partitionOfBytes(new Uint8Array(0), 0, 0, 0)).toThrow(RangeError);
  });
});

describe('partsFor', () => {
  it.each([
    [0, 250_000, 1],
    [1, 250_000, 1],
    [250_000, 250_000, 1],
    [250_001, 250_000, 2],
    [600_000, 250_000, 4],
    [1_000_000, 250_000, 4],
    [1_000_001, 250_000, 8],
    [7, 3, 4],
  ])('gives %i rows at most %i per part in %i parts', (rows, perPart, expected) => {
    // Act
    const parts = partsFor(rows, perPart);

    // Assess
    expect(parts).toBe(expected);
  });

  it('is the smallest power of two with at most rowsPerPart rows per part', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000_000 }), fc.integer({ min: 1, max: 1_000_000 }), (rows, perPart) => {
        const parts = partsFor(rows, perPart);
        expect(isPowerOfTwo(parts)).toBe(true);
        expect(parts * perPart).toBeGreaterThanOrEqual(rows);
        if (parts > 1) expect((parts / 2) * perPart).toBeLessThan(rows);
      }),
    );
  });

  it.each([
    [10, 0],
    [10, 1.5],
    [-1, 10],
  ])('rejects %s rows at %s per part', (rows, perPart) => {
    // Act
    const attempt = () => partsFor(rows, perPart);

    // Assess
    expect(attempt).toThrow(RangeError);
  });
});

describe('shardsOfPartition', () => {
  const powerOfTwo = fc.integer({ min: 0, max: 9 }).map((k) => 2 ** k);
  const id = fc.oneof(
    fc.stringMatching(/^\d{17}[\dX]$/),
    fc.string({ maxLength: 20 }),
    fc.string({ unit: 'binary', maxLength: 8 }),
  );

  it('reads each person of a run partition from the shards staging put them in, and no one else', () => {
    fc.assert(
      fc.property(fc.array(id, { maxLength: 60 }), powerOfTwo, powerOfTwo, (ids, shards, partitions) => {
        // Staging sends each ID to its shard; the run's partition r reads the shards it is given
        // (filtered when they hold other partitions too).
        const shardOf = ids.map((i) => partitionOf(i, shards));
        for (let r = 0; r < partitions; r++) {
          const chosen = shardsOfPartition(r, partitions, shards);
          const read = ids.filter(
            (i, k) =>
              chosen.shards.includes(shardOf[k] as number) &&
              (!chosen.filter || partitionOf(i, partitions) === r),
          );
          expect(read).toEqual(ids.filter((i) => partitionOf(i, partitions) === r));
        }
      }),
    );
  });

  it('gives every shard to exactly one partition when there are at least as many shards', () => {
    fc.assert(
      fc.property(powerOfTwo, powerOfTwo, (a, b) => {
        const [partitions, shards] = a <= b ? [a, b] : [b, a];
        const all = partitionIndexes(partitions).flatMap(
          (r) => shardsOfPartition(r, partitions, shards).shards,
        );
        expect(all.sort((x, y) => x - y)).toEqual(partitionIndexes(shards));
      }),
    );
  });

  it('filters only a shard that holds several partitions', () => {
    // Act
    const more = shardsOfPartition(1, 2, 8);
    const same = shardsOfPartition(3, 4, 4);
    const fewer = shardsOfPartition(5, 8, 2);

    // Assess
    expect(more).toEqual({ shards: [1, 3, 5, 7], filter: false });
    expect(same).toEqual({ shards: [3], filter: false });
    expect(fewer).toEqual({ shards: [1], filter: true });
  });

  it.each([
    [0, 3, 4],
    [0, 4, 6],
    [4, 4, 4],
    [-1, 4, 4],
  ])('rejects partition %i of %i with %i shards', (partition, partitions, shards) => {
    // Act
    const attempt = () => shardsOfPartition(partition, partitions, shards);

    // Assess
    expect(attempt).toThrow(RangeError);
  });
});
