import fc from 'fast-check';
import { unzipSync, zipSync } from 'fflate';

/**
 * One change to a file's bytes. Places are fractions of the length (0 ≤ at < 1), so a mutation
 * means something whatever the length the earlier ones left.
 */
export type Mutation =
  | { readonly kind: 'flip'; readonly at: number; readonly mask: number }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'duplicate-line'; readonly at: number }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: readonly number[] };

/** Where the mutations of an XLSX case apply: the zip bytes, or one part inside, re-zipped. */
export type XlsxTarget = 'zip' | 'sheet' | 'shared-strings';

/** What a case does to its seed. */
export interface CaseSpec {
  /** Index of the seed in the seed list. */
  readonly seed: number;
  readonly target: 'bytes' | XlsxTarget;
  readonly mutations: readonly Mutation[];
}

const bytesOf = (text: string) => [...Buffer.from(text, 'utf8')];

/** What offices' files and broken transfers put in a roster: quotes, separators, line ends, NUL, BOMs. */
export const INSERTIONS: readonly (readonly number[])[] = [
  bytesOf('"'),
  bytesOf(','),
  bytesOf('\n'),
  bytesOf('\r\n'),
  bytesOf('\r'),
  [0x00],
  [0xef, 0xbb, 0xbf], // UTF-8 BOM
  [0xff, 0xfe], // UTF-16 LE BOM
  [0x84, 0x31, 0x95, 0x33], // GB18030 BOM
  bytesOf('""'),
  bytesOf('",'),
  bytesOf(',"'),
  bytesOf('<'),
  bytesOf('&'),
  bytesOf('</c>'),
  bytesOf('=SUM(1)'),
  [0xc3], // a lone UTF-8 lead byte
  [0x81], // a lone GB18030 lead byte
];

// Unbiased: fast-check's small-value bias would put nearly every mutation at the start of the file.
const place = fc.noBias(fc.integer({ min: 0, max: 2 ** 24 - 1 })).map((n) => n / 2 ** 24);

/** One mutation of the kinds the issue lists. */
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: place, mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: place, length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: place }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: place,
    bytes: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...INSERTIONS) },
      { weight: 1, arbitrary: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }) },
    ),
  }),
);

/**
 * A case over a seed list: which seed — a format first, the roster formats alike (the UTF-8
 * rosters outnumber the others twenty to one), then a seed of it — and one to five mutations of it (or of
 * a part of an XLSX).
 */
export function caseSpec(seedFormats: readonly string[]): fc.Arbitrary<CaseSpec> {
  // Bytes that are no roster at all are rejected at once: one case in sixteen is enough of them.
  const formats = [...new Set(seedFormats)].map((format) => ({
    weight: format === 'binary' ? 1 : 5,
    arbitrary: fc.constant(format),
  }));
  const seedIndex = fc
    .oneof(...formats)
    .chain((format) => fc.constantFrom(...seedFormats.flatMap((f, i) => (f === format ? [i] : []))));
  return fc
    .record({
      seed: seedIndex,
      xlsxTarget: fc.constantFrom<XlsxTarget>('zip', 'sheet', 'sheet', 'shared-strings'),
      mutations: fc.array(mutation, { minLength: 1, maxLength: 5 }),
    })
    .map(({ seed, xlsxTarget, mutations }) => ({
      seed,
      target: seedFormats[seed] === 'xlsx' ? xlsxTarget : 'bytes',
      mutations,
    }));
}

const indexAt = (at: number, length: number) => Math.min(length, Math.floor(at * (length + 1)));

/** The bytes after one mutation. */
export function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  const i = indexAt(m.at, bytes.length);
  switch (m.kind) {
    case 'flip': {
      if (bytes.length === 0) return bytes;
      const out = bytes.slice();
      const j = Math.min(i, bytes.length - 1);
      out[j] = (out[j] ?? 0) ^ m.mask;
      return out;
    }
    case 'delete':
      return concat(bytes.subarray(0, i), bytes.subarray(Math.min(bytes.length, i + m.length)));
    case 'insert':
      return concat(bytes.subarray(0, i), Uint8Array.from(m.bytes), bytes.subarray(i));
    case 'duplicate-line': {
      // The line (LF-terminated, or the last one) holding byte i, written twice.
      // (lastIndexOf with a negative start would search from the end.)
      const start = i === 0 ? 0 : bytes.lastIndexOf(0x0a, i - 1) + 1;
      const lf = bytes.indexOf(0x0a, i);
      const end = lf < 0 ? bytes.length : lf + 1;
      const line = bytes.subarray(start, end);
      const separator = lf < 0 ? Uint8Array.of(0x0a) : new Uint8Array(0);
      return concat(bytes.subarray(0, end), separator, line, bytes.subarray(end));
    }
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const PART: Record<Exclude<XlsxTarget, 'zip'>, RegExp> = {
  sheet: /^xl\/worksheets\/sheet1\.xml$/,
  'shared-strings': /^xl\/sharedStrings\.xml$/,
};

/**
 * The file a case uploads: the seed with every mutation applied, to its bytes or, for an XLSX part,
 * to that part, the package then zipped again (deflated, as Excel writes it). A seed whose part
 * cannot be found (or whose zip does not open) is mutated as bytes.
 */
export function applyCase(seed: Uint8Array, spec: CaseSpec): Uint8Array {
  const all = (bytes: Uint8Array) => spec.mutations.reduce(mutate, bytes);
  if (spec.target === 'bytes' || spec.target === 'zip') return all(seed);
  const pattern = PART[spec.target];
  const parts = unzipSync(seed);
  const name = Object.keys(parts).find((n) => pattern.test(n));
  const part = name === undefined ? undefined : parts[name];
  if (name === undefined || part === undefined) return all(seed);
  parts[name] = new Uint8Array(all(part));
  return zipSync(parts, { level: 6 });
}
