/**
 * Measures the CSV reader on a generated 10-column roster (1M rows, ~110 MB, 64 KiB chunks):
 * the hand-rolled CsvParser against csv-parse on the same decoded text, plus decoding alone and the
 * whole byte → record path. Run: `npx tsx bench/csv-parser.bench.ts [rows]`.
 * With `--stream` it writes the file to a temp dir and streams it through `readRecords` from disk,
 * reporting the peak RSS of that path alone.
 */

import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parser } from 'csv-parse';
import { CsvParser } from '../formats/csv-parser.ts';
import { csvRecords } from '../formats/csv-records.ts';
import { readRecords } from '../formats/roster-file.ts';

const CHUNK_BYTES = 64 * 1024;
const args = process.argv.slice(2);
const streamMode = args.includes('--stream');
const rows = Number(args.find((a) => /^\d+$/.test(a)) ?? 1_000_000);

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂';
const TOWNS = ['石岐街道', '东区街道', '西区街道', '南区街道', '五桂山街道', '小榄镇', '古镇镇'];
const CATEGORIES = ['DIBAO', 'TEKUN', 'TEMPORARY', 'ELDERLY', '低保'];

function* csvLines(count: number): Generator<string> {
  let seed = 42;
  const next = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed;
  };
  const digits = (n: number): string => {
    let s = '';
    while (s.length < n) s += String(next() % 1_000_000_000).padStart(9, '0');
    return s.slice(0, n);
  };
  yield 'id_number,name,household_id,category,amount,month,town,account_number,account_holder_id,remark\r\n';
  for (let i = 0; i < count; i++) {
    const name =
      SURNAMES.charAt(next() % SURNAMES.length) +
      GIVEN.charAt(next() % GIVEN.length) +
      (next() % 2 ? GIVEN.charAt(next() % GIVEN.length) : '');
    const remark = i % 20 === 0 ? '"复核,""重点""户"' : i % 7 === 0 ? '无' : '';
    yield `4420001950${digits(7)}X,${name},H${digits(8)},${CATEGORIES[next() % CATEGORIES.length]},${
      300 + (next() % 2000)
    }.50,2026-10,${TOWNS[next() % TOWNS.length]},${digits(19)},,${remark}\r\n`;
  }
}

function* byteChunks(count: number): Generator<Uint8Array> {
  const encoder = new TextEncoder();
  let pending: string[] = [];
  let pendingLength = 0;
  for (const line of csvLines(count)) {
    pending.push(line);
    pendingLength += line.length;
    if (pendingLength * 1.5 >= CHUNK_BYTES) {
      const bytes = encoder.encode(pending.join(''));
      // Cut at fixed byte sizes so chunks split lines and multi-byte characters, as a stream would.
      for (let i = 0; i < bytes.length; i += CHUNK_BYTES) yield bytes.subarray(i, i + CHUNK_BYTES);
      pending = [];
      pendingLength = 0;
    }
  }
  if (pending.length > 0) yield encoder.encode(pending.join(''));
}

async function* iterate<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

function report(label: string, records: number, ms: number): void {
  const rate = Math.round(records / (ms / 1000));
  console.log(
    `${label.padEnd(44)} ${String(records).padStart(9)} records ${ms.toFixed(0).padStart(6)} ms ${rate.toLocaleString('en-US').padStart(11)} rows/s`,
  );
}

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

async function timed(label: string, run: () => Promise<number> | number): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  const start = performance.now();
  const records = await run();
  report(label, records, performance.now() - start);
}

async function inMemory(): Promise<void> {
  const bytes = [...byteChunks(rows)];
  const totalBytes = bytes.reduce((sum, b) => sum + b.length, 0);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const texts = bytes.map((b) => decoder.decode(b, { stream: true }));
  console.log(
    `data: ${rows} rows + header, 10 columns, ${mib(totalBytes)}, ${bytes.length} chunks of 64 KiB`,
  );

  for (let round = 1; round <= 2; round++) {
    console.log(`round ${round}`);
    await timed('TextDecoder utf-8 alone (bytes → strings)', () => {
      const d = new TextDecoder('utf-8', { fatal: true });
      let chars = 0;
      for (const b of bytes) chars += d.decode(b, { stream: true }).length;
      return chars > 0 ? rows + 1 : 0;
    });
    await timed('CsvParser (hand-rolled) on decoded strings', () => {
      const parser = new CsvParser();
      let count = 0;
      for (const t of texts) count += parser.push(t).length;
      return count + parser.end().length;
    });
    await timed('csv-parse 7 on the same decoded strings', () => csvParse(texts));
    await timed('csvRecords (decode + parse, async batches)', async () => {
      let count = 0;
      for await (const batch of csvRecords(iterate(bytes), 'utf-8')) count += batch.length;
      return count;
    });
  }
  console.log(
    `peak RSS (process, incl. the ${mib(totalBytes)} of data held twice): ${mib(process.resourceUsage().maxRSS * 1024)}`,
  );
}

function csvParse(texts: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const parser = new Parser({ relax_quotes: false, relax_column_count: true, skip_empty_lines: false });
    let count = 0;
    parser.on('readable', () => {
      while (parser.read() !== null) count++;
    });
    parser.on('error', reject);
    parser.on('end', () => resolve(count));
    for (const t of texts) parser.write(t);
    parser.end();
  });
}

async function streamed(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'csv-bench-'));
  const file = join(dir, 'roster.csv');
  try {
    const out = createWriteStream(file);
    for (const chunk of byteChunks(rows)) if (!out.write(chunk)) await once(out, 'drain');
    out.end();
    await once(out, 'close');
    const { size } = await stat(file);
    const baseline = process.resourceUsage().maxRSS * 1024;
    await timed(`readRecords from disk (${mib(size)})`, async () => {
      let count = 0;
      for await (const batch of readRecords(async () => createReadStream(file), file, size)) {
        if (typeof batch !== 'symbol') count += batch.length;
      }
      return count;
    });
    console.log(`peak RSS: ${mib(process.resourceUsage().maxRSS * 1024)} (before reading: ${mib(baseline)})`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await (streamMode ? streamed() : inMemory());
