import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { findingsArrowFile, findingsToArrow } from '#formats/findings-arrow.ts';
import { streamFindingRows } from '#formats/findings-arrow-reader.ts';
import { findingLines, readFindingLines } from '#formats/findings-lines.ts';
import type { Finding } from '#schemas/finding.ts';
import { everyBytes, streamOf } from '../../fixtures/formats/byte-streams.ts';

const findings: Finding[] = Array.from({ length: 70_000 }, (_, i) => ({
  month: '2026-10',
  batch: i % 2 === 0 ? 'shiqi' : 'dongqu',
  ...(i % 5 === 0 ? {} : { row: i + 1, idNumber: '442000196001010028', category: 'DIBAO' }),
  code: i % 3 === 0 ? 'INVALID_ID' : 'NOT_IN_REGISTRY',
  severity: 'BLOCK',
  detail: `第 ${i} 行 / row ${i} "quoted", with a line\nbreak`,
}));

async function bytesOf(pieces: AsyncIterable<Uint8Array | string>): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  for await (const piece of pieces) parts.push(Buffer.from(piece));
  return new Uint8Array(Buffer.concat(parts));
}

async function* each<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

describe('findings as streams', () => {
  it('reads back the findings lines it wrote, however the bytes are cut (Chinese split too)', async () => {
    // Prepare
    const bytes = await bytesOf(findingLines(findings));

    // Act
    const read: Finding[] = [];
    for await (const f of readFindingLines(streamOf(bytes, everyBytes(bytes.length, 4097)))) read.push(f);

    // Assess
    expect(read).toEqual(findings);
  });

  it('writes findings.arrow batch by batch with the content of the one-piece file, and reads it as a stream', async () => {
    // Prepare
    const streamed = await bytesOf(findingsArrowFile(each(findings)));
    const whole = findingsToArrow(findings);

    // Act
    const table = tableFromIPC(streamed);
    const rows = [];
    for await (const batch of streamFindingRows(streamOf(streamed, everyBytes(streamed.length, 1000)))) {
      rows.push(...batch);
    }
    const empty = tableFromIPC(await bytesOf(findingsArrowFile(each([]))));

    // Assess
    expect(table.batches.length).toBe(2);
    expect(table.toArray().map((r) => r.toJSON())).toEqual(
      tableFromIPC(whole)
        .toArray()
        .map((r) => r.toJSON()),
    );
    expect(rows).toEqual(
      findings.map((f) => ({ batch: f.batch, row: f.row, code: f.code, severity: f.severity })),
    );
    expect(empty.numRows).toBe(0);
  });
});
