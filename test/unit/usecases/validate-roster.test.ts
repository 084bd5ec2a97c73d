import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { UploadIdentity } from '#usecases/ports.ts';
import { validateRoster } from '#usecases/validate-roster.ts';
import type { ValidationReport } from '#usecases/validation-report.ts';
import { utf8 } from '../../fixtures/formats/byte-streams.ts';
import { csv, ENGLISH_HEADER, rosterRow, TOWNS_CSV } from '../../support/roster-builder.ts';
import { MemoryObjectStore } from './dataset/memory-object-store.ts';

const MONTH = '2026-10';
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function uploadOf(fileName: string, size: number): UploadIdentity {
  return {
    bucket: 'payguard-data',
    key: `incoming/${MONTH}/shiqi/${fileName}`,
    version: 'v1',
    month: MONTH,
    batch: 'shiqi',
    fileName,
    size,
    order: `2026-10-28T01:02:03.000Z|${fileName}`,
    uploadId: '0123456789abcdef',
  };
}

/** Validates `bytes` read in chunks of `chunkSize`; the outcome and the machine-readable report. */
async function validate(fileName: string, bytes: Uint8Array, chunkSize: number) {
  const upload = uploadOf(fileName, bytes.length);
  const store = new MemoryObjectStore(chunkSize).set('reference/towns.csv', TOWNS_CSV).set(upload.key, bytes);
  const outcome = await validateRoster(upload, { store, now: () => '2026-10-28T02:00:00Z' });
  const report = JSON.parse(
    Buffer.from(store.get(outcome.reportKey) ?? []).toString('utf8'),
  ) as ValidationReport;
  return { outcome, report };
}

const CHUNK_SIZES = [1, 3, 64, 4096];

describe('validateRoster', () => {
  it('rejects a damaged CSV with the SHA-256 of the whole file and one reason, whatever the read chunk size', async () => {
    // Prepare: text after a closing quote on row 2, bytes neither UTF-8 nor GB18030 further on.
    const bytes = new Uint8Array([
      ...utf8(csv(ENGLISH_HEADER, [rosterRow({}, 1)])),
      ...utf8('442000196001010028,"张"三\n'),
      ...utf8(csv(ENGLISH_HEADER, [rosterRow({}, 3)])),
      0xff,
      ...utf8('\n'),
    ]);

    // Act
    const runs = [];
    for (const size of CHUNK_SIZES) runs.push(await validate('roster.csv', bytes, size));

    // Assess
    for (const { outcome, report } of runs) {
      expect(outcome).toMatchObject({ status: 'REJECTED', fileFinding: 'UNREADABLE_FILE' });
      expect(outcome.sourceSha256).toBe(sha256(bytes));
      expect(report.findings.map((f) => f.detail)).toEqual(runs[0]?.report.findings.map((f) => f.detail));
    }
    expect(runs[0]?.report.findings[0]?.detail).toContain('neither valid UTF-8 nor valid GB18030');
  });

  it('streams every finding to the upload findings file and lists the first 1,000 in the reports, counting the rest per code', async () => {
    // Prepare: 1,200 rows with an amount not a plain decimal, then one with a wrong month too.
    const rows = Array.from({ length: 1200 }, (_, i) => rosterRow({ amount: '1,180' }, (i % 900) + 1));
    rows.push(rosterRow({ amount: '1,180', month: '2026-09' }, 901));
    const bytes = utf8(csv(ENGLISH_HEADER, rows));
    const upload = uploadOf('roster.csv', bytes.length);
    const store = new MemoryObjectStore(4096).set('reference/towns.csv', TOWNS_CSV).set(upload.key, bytes);

    // Act
    const outcome = await validateRoster(upload, { store, now: () => '2026-10-28T02:00:00Z' });
    const text = (key: string | undefined) => Buffer.from(store.get(key ?? '') ?? []).toString('utf8');
    const report = JSON.parse(text(outcome.reportKey)) as ValidationReport;
    const lines = text(outcome.findingsKey).trimEnd().split('\n');
    const readable = text(outcome.readableReportKey);

    // Assess
    expect(outcome).toMatchObject({ status: 'ACCEPTED', invalidRows: 1201, findings: 1202 });
    expect(lines).toHaveLength(1202);
    expect(JSON.parse(lines.at(-1) ?? '')).toMatchObject({ row: 1201, code: 'WRONG_MONTH' });
    expect(report.findings).toHaveLength(1000);
    expect(report.findingsByCode).toEqual({ INVALID_AMOUNT: 1201, WRONG_MONTH: 1 });
    expect(readable).toContain('问题清单 Findings (1202):');
    expect(readable.match(/^- 第 \d+ 行/gm)).toHaveLength(1000);
    expect(readable).toContain('the first 1000 are listed, 202 more are not');
    expect(readable).toContain('- 金额无效 INVALID_AMOUNT: 1201');
    expect(readable).toContain(`every finding is in ${outcome.findingsKey}`);
  });

  it('gives an accepted GB18030 roster, read twice, and a file of another type the SHA-256 of the whole file', async () => {
    // Prepare
    const gb18030 = iconv.encode(csv(ENGLISH_HEADER, [rosterRow({ name: '张三' }, 1)]), 'gb18030');
    const pdf = utf8('%PDF-1.7 not a roster\n'.repeat(50));

    // Act
    const accepted = await validate('roster.csv', gb18030, 7);
    const other = await validate('roster.pdf', pdf, 16);

    // Assess
    expect(accepted.outcome).toMatchObject({ status: 'ACCEPTED', encoding: 'gb18030', validRows: 1 });
    expect(accepted.outcome.sourceSha256).toBe(sha256(gb18030));
    expect(other.outcome).toMatchObject({ status: 'REJECTED', fileFinding: 'UNREADABLE_FILE' });
    expect(other.outcome.sourceSha256).toBe(sha256(pdf));
  });
});
