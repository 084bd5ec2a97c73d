import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { generateDemoMonth } from '#demo/generate-month.ts';
import { fileKind } from '#formats/roster-file.ts';
import { rosterUpload, townsFile } from '#schemas/bucket-layout.ts';

/** How a seed roster is written: the three forms towns upload (contract 2), or bytes that are none. */
export type SeedFormat = 'utf-8' | 'gb18030' | 'xlsx' | 'binary';

/** One real roster file, as the demonstration generator writes it: the start of every fuzz case. */
export interface RosterSeed {
  /** The upload's key in the demonstration bucket, for the reader of a failure. */
  readonly key: string;
  readonly fileName: string;
  readonly format: SeedFormat;
  readonly bytes: Uint8Array;
}

/** The seed rosters and the towns directory they were written against. */
export interface SeedSet {
  readonly month: string;
  readonly towns: Uint8Array;
  readonly seeds: readonly RosterSeed[];
}

/** The demonstration month the seeds come from; small towns (40 rows, the generator's floor) keep cases fast. */
export const SEED_MONTH = '2026-10';
const GENERATOR_SEEDS = [20261, 7, 1913] as const;
const TOWNS = 23;
const PAYEES_PER_TOWN = 30;

const decodes = (encoding: string, bytes: Uint8Array) => {
  try {
    new TextDecoder(encoding, { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
};

/**
 * Generates small demonstration months (one per generator seed, the same towns each time) and keeps
 * every CSV and XLSX roster upload of them, the junk file included (it is what a town may send
 * too). Deterministic: the same seeds every call, in key order.
 */
export async function rosterSeeds(): Promise<SeedSet> {
  const seeds: RosterSeed[] = [];
  let towns: Uint8Array | undefined;
  const folder = await mkdtemp(join(tmpdir(), 'payguard-fuzz-seeds-'));
  try {
    for (const seed of GENERATOR_SEEDS) {
      const dir = join(folder, String(seed));
      await generateDemoMonth({ dir, month: SEED_MONTH, towns: TOWNS, payeesPerTown: PAYEES_PER_TOWN, seed });
      towns ??= new Uint8Array(await readFile(join(dir, ...townsFile.key().split('/'))));
      const incoming = join(dir, ...rosterUpload.folder({ month: SEED_MONTH }).split('/'));
      const files = (await readdir(incoming, { recursive: true, withFileTypes: true }))
        .filter((f) => f.isFile() && fileKind(f.name) !== undefined)
        .map((f) => join(f.parentPath, f.name))
        .sort();
      for (const path of files) {
        const bytes = new Uint8Array(await readFile(path));
        const fileName = path.slice(path.lastIndexOf(sep) + 1);
        const format: SeedFormat =
          fileKind(fileName) === 'xlsx'
            ? 'xlsx'
            : decodes('utf-8', bytes)
              ? 'utf-8'
              : decodes('gb18030', bytes) && !bytes.includes(0)
                ? 'gb18030'
                : 'binary';
        const key = `seed-${seed}/${relative(dir, path).split(sep).join('/')}`;
        seeds.push({ key, fileName, format, bytes });
      }
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  if (towns === undefined) throw new Error('the demonstration generator wrote no towns file');
  return { month: SEED_MONTH, towns, seeds };
}
