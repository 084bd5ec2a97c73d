import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DATASET_NAMES, DATASETS } from '#schemas/datasets.ts';
import { bytesOf, file, stage } from '../../../support/staging-files.ts';

/**
 * Staging from a file's bytes (`CsvByteRows` and the byte readers) against staging from its text
 * records (`readRecords` and the zod-derived field readers), on generated files: the same
 * snapshot, the same staged bytes, the same error.
 */

describe('stageDataset from bytes', () => {
  it.each(DATASET_NAMES)(
    'stages %s files as the text reader does, byte for byte',
    async (name) => {
      let fromBytes = 0;
      let opened = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(file(name), { minLength: 1, maxLength: DATASETS[name].source.kind === 'file' ? 1 : 3 }),
          fc.constantFrom(1, 3, 7, 64, 4096),
          async (files, chunk) => {
            // Prepare
            const bytes = files.map(bytesOf);

            // Act
            const viaBytes = await stage(name, bytes, chunk, 'bytes');
            const viaRecords = await stage(name, bytes, chunk, 'records');

            // Assess
            expect(viaBytes.outcome).toEqual(viaRecords.outcome);
            expect(viaBytes.staged).toEqual(viaRecords.staged);
            // A file read from its bytes is opened once; one the byte reader leaves is opened again.
            const opens = viaBytes.store.calls.open;
            for (const key of new Set(opens)) {
              opened++;
              if (opens.filter((k) => k === key).length === 1 && files.length > 0) fromBytes++;
            }
          },
        ),
        { numRuns: 150 },
      );
      // Many files are read from their bytes: the comparison is not only the text reader's with itself.
      // (A quarter to a third of generated registry files take the byte path, its many fields giving
      // the text path more chances; an eighth is far enough below that to fail only when the byte
      // path is gone, not one seed in ten.)
      expect(fromBytes).toBeGreaterThan(opened / 8);
    },
    120_000,
  );

  it('reads the plain quoted field, CRLF, BOM and a last line without line break from bytes', async () => {
    // Prepare
    const text =
      '\ufeffid_number,month,employer,contribution_base,pension_amount\r\n' +
      '440103200608302705,2026-09,"某某,厂",9000.00,\r\n' +
      '44010320060830270x,2026-09,某某,"1,000",\r\n' +
      '\r\n' +
      '440103200608302706,2026-10,"多\n行",,12.5';
    const bytes = [new Uint8Array(Buffer.from(text, 'utf8'))];

    // Act
    const viaBytes = await stage('social-insurance', bytes, 5, 'bytes');
    const viaRecords = await stage('social-insurance', bytes, 5, 'records');

    // Assess
    expect(viaBytes.store.calls.open).toEqual(['partners/social-insurance/f0.csv']);
    expect(viaBytes.outcome).toEqual(viaRecords.outcome);
    expect(viaBytes.staged).toEqual(viaRecords.staged);
    expect(viaBytes.outcome).toMatchObject({
      rows: 2,
      skippedRows: 1,
      skippedSamples: [{ line: 2 }],
      dateRange: { from: '2026-09', to: '2026-10' },
    });
  });
});
