import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareFindings } from '#domain/month-check/compare-findings.ts';
import type { Finding } from '#schemas/finding.ts';
import { FINDING_CODE_ORDER } from '#schemas/finding-codes.ts';
import { mergeFindings } from '#usecases/merge-findings.ts';

const finding: fc.Arbitrary<Finding> = fc
  .record({
    batch: fc.constantFrom('', 'dongqu', 'shiqi', 'xiaolan'),
    row: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
    idNumber: fc.option(fc.constantFrom('442000196001010028', '44200019600101003X'), { nil: undefined }),
    code: fc.constantFrom(...FINDING_CODE_ORDER),
    detail: fc.constantFrom('', 'a', 'b'),
  })
  .map((f) => ({ month: '2026-10', category: 'DIBAO', severity: 'BLOCK', ...f }));

async function* streamOf(findings: readonly Finding[]): AsyncGenerator<Finding> {
  yield* findings;
}

async function collect(stream: AsyncIterable<Finding>): Promise<Finding[]> {
  const out: Finding[] = [];
  for await (const f of stream) out.push(f);
  return out;
}

describe('mergeFindings', () => {
  it('merges sorted streams into the order sorting all of them gives', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(finding, { maxLength: 30 }), { maxLength: 6 }), async (groups) => {
        // Prepare
        const sources = groups.map((g, i) => ({
          name: `s${i}`,
          findings: streamOf([...g].sort(compareFindings)),
        }));

        // Act
        const merged = await collect(mergeFindings(sources));

        // Assess
        expect(merged).toEqual(groups.flat().sort(compareFindings));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a stream that is not in findings order, naming it', async () => {
    // Prepare
    const base: Finding = {
      month: '2026-10',
      batch: 'shiqi',
      row: 2,
      code: 'INVALID_ID',
      severity: 'BLOCK',
      detail: '',
    };
    const sources = [
      {
        name: 'reports/2026-10/runs/r/partition-0000.ndjson',
        findings: streamOf([base, { ...base, row: 1 }]),
      },
    ];

    // Act, Assess
    await expect(collect(mergeFindings(sources))).rejects.toThrow(
      'reports/2026-10/runs/r/partition-0000.ndjson is not in findings order',
    );
  });
});
