/**
 * Generator of a demonstration city's data directory in the contract's bucket layout (section 1):
 * `reference/towns.csv`, `reference/registry.csv`, one payout roster per town under
 * `incoming/{month}/{town}/`, and the register and partner files of contract 2.3 (`registers/`,
 * `partners/`), with planted problems whose expected findings are counted in the manifest: the
 * file and row problems of contract 3.1–3.2 (`planters/file-findings.ts`,
 * `planters/roster-row-validation/`), and every check of 3.3 (`planters/month-check/`), counted
 * exactly by an oracle of the contract (`oracle.ts`).
 *
 * Deterministic: the same options (seed included) give byte-identical files and the same
 * modification times. Everything is derived from a seeded PRNG, never from the clock.
 */
import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { partnerFile, registryFile, rosterUpload, townsFile } from '#schemas/bucket-layout.ts';
import { FILE_FINDING_CODES, ROW_FINDING_CODES } from '#schemas/finding-codes.ts';
import { partnerBytes, registryCsv, townsCsv } from './dataset-files.ts';
import { assignRoles, profileFor } from './file-profiles.ts';
import { makeEntries } from './households.ts';
import {
  byKeyAndRow,
  type DemoCorrection,
  type DemoManifest,
  type EdgeRow,
  expectedChecks,
  type PlantedRow,
  rowsOfRoster,
  type WrittenRoster,
} from './manifest.ts';
import { type Entry, IdSet, type Rec, rowValues, type TownPlan } from './model.ts';
import { PARTNER_DATASETS } from './oracle.ts';
import { demoTowns, Rng, splitYm, subSeed } from './people.ts';
import { offRosterRecipients } from './planters/month-check/missing-payment.ts';
import { plantChecks } from './planters/month-check/plant-checks.ts';
import { addBlankRecords } from './planters/roster-row-validation/blank-records.ts';
import { addEdgeRows } from './planters/roster-row-validation/edge-rows.ts';
import { plantFormulaNames, plantRowProblems } from './planters/roster-row-validation/plant-row-problems.ts';
import { csvText, encodeUtf8 } from './roster-csv.ts';
import { writeRosterUploads } from './roster-uploads.ts';

export interface DemoOptions {
  /**
   * Target directory (the bucket's initial content). `incoming/{month}/` and the partner folders
   * (`partners/deaths/`, `partners/cremations/`, `partners/business/`, `partners/social-insurance/`)
   * in it are replaced.
   */
  dir: string;
  /** Payment month, `YYYY-MM`. */
  month: string;
  /** Number of towns (batch folders), default 23. */
  towns?: number;
  /** Roster rows per town, default 3000; each town varies ±30% (at least 40). */
  payeesPerTown?: number;
  /** PRNG seed, default 20261. */
  seed?: number;
}

const DEFAULT_SEED = 20261;
const DEFAULT_PAYEES = 3000;
const MIN_ROWS = 40;

/**
 * Writes a demonstration month into `opts.dir` and describes it.
 * Replaces `incoming/{month}/`, the reference and register files and the partner folders in `dir`
 * (see {@link DemoOptions.dir}); nothing else there is touched.
 * @throws RangeError when `month` is not `YYYY-MM` or `towns` is not a positive integer.
 */
export async function generateDemoMonth(opts: DemoOptions): Promise<DemoManifest> {
  const { dir, month } = opts;
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new RangeError(`month must be YYYY-MM, got "${month}"`);
  const townCount = opts.towns ?? 23;
  if (!Number.isInteger(townCount) || townCount < 1) throw new RangeError(`towns must be a positive integer`);
  const payees = Math.max(1, Math.round(opts.payeesPerTown ?? DEFAULT_PAYEES));
  const seed = (opts.seed ?? DEFAULT_SEED) >>> 0;

  const towns = demoTowns(townCount);
  const ids = new IdSet();
  const accounts = new Set<number>();
  const roles = assignRoles(townCount);
  const dotfileAt = roles[1] === 'csv' ? 1 : 0;

  const plans: TownPlan[] = towns.map((town, index) => {
    const rng = new Rng(subSeed(seed, 1000 + index));
    const role = roles[index] ?? 'csv';
    const target = Math.max(MIN_ROWS, Math.round(payees * (0.7 + 0.6 * rng.next())));
    const entries = makeEntries({ rng, town, index, month, target, ids, accounts });
    const profile = profileFor(index, role, town, month);
    const recs: Rec[] = entries.map((entry) => ({
      kind: 'row',
      entry,
      values: rowValues(entry, month, profile, rng),
    }));
    return { index, town, role, rng, entries, recs, profile, dotfile: index === dotfileAt };
  });

  const special = new Rng(subSeed(seed, 7));
  addEdgeRows(plans, month, special, ids);
  plantRowProblems(plans, month, special, ids);
  addBlankRecords(plans, special);

  const extras: Entry[] = [];
  for (const plan of plans) extras.push(...offRosterRecipients(plan, month, ids, accounts));

  const checks = plantChecks({ plans, month, rng: new Rng(subSeed(seed, 8)), ids, accounts, extras });
  plantFormulaNames(plans, month, new Rng(subSeed(seed, 9)));

  // Write.
  const base = Date.UTC(splitYm(month).year, splitYm(month).month - 1, 18, 1, 0, 0) / 1000;
  const planted: Record<string, number> = {};
  for (const code of [...FILE_FINDING_CODES, ...ROW_FINDING_CODES]) planted[code] = 0;
  const count = (codes: readonly string[]) => {
    for (const code of codes) planted[code] = (planted[code] ?? 0) + 1;
  };
  /** The accepted roster of each batch (the one that counts) and its key. */
  const accepted: WrittenRoster[] = [];
  const rejected: WrittenRoster[] = [];
  const files: { key: string; note: string }[] = [];
  const plantedRows: PlantedRow[] = [];
  const edgeRows: EdgeRow[] = [];
  await rm(join(dir, rosterUpload.folder({ month })), { recursive: true, force: true });
  for (const dataset of PARTNER_DATASETS)
    await rm(join(dir, partnerFile.folder({ dataset })), { recursive: true, force: true });

  const put = async (key: string, body: string | Uint8Array, mtime: number, note: string) => {
    const path = join(dir, ...key.split('/'));
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, body);
    await utimes(path, mtime, mtime);
    files.push({ key, note });
  };

  for (const plan of plans) {
    const { key, outcome } = await writeRosterUploads(plan, month, base + plan.index * 1800, put);
    if (outcome === 'accepted') {
      for (const rec of plan.recs) if (rec.kind === 'row' && rec.plant) count(rec.plant.codes);
      accepted.push({ plan, key });
      const rows = rowsOfRoster({ plan, key });
      plantedRows.push(...rows.plantedRows);
      edgeRows.push(...rows.edgeRows);
    } else if (outcome === 'missingColumns') {
      count(['MISSING_COLUMNS']);
      rejected.push({ plan, key });
    } else count(['UNREADABLE_FILE']);
  }

  const refTime = base - 5 * 86400;
  await put(townsFile.key(), townsCsv(towns), refTime, `${towns.length} towns`);
  const registry = [...plans.flatMap((p) => p.entries), ...extras, ...checks.registry];
  await put(
    registryFile.key(),
    registryCsv(registry),
    refTime,
    `${registry.length} approved recipients (categories as codes)`,
  );
  for (const f of checks.files) await put(f.key, partnerBytes(f), refTime + 3 * 86400, f.note);

  files.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  plantedRows.sort(byKeyAndRow);
  edgeRows.sort(byKeyAndRow);
  const fixable = rejected[0];
  const correction: DemoCorrection | undefined = fixable && {
    ...correctedRoster(fixable.plan, month, planted),
    expectedChecks: expectedChecks(
      month,
      towns,
      [...accepted, { plan: { ...fixable.plan, role: 'csv' }, key: fixable.key }],
      rejected.slice(1),
      registry,
      checks.files,
    ).expectedChecks,
  };
  return {
    month,
    towns: towns.map((t) => ({ ...t })),
    files,
    planted,
    plantedRows,
    edgeRows,
    ...expectedChecks(month, towns, accepted, rejected, registry, checks.files),
    ...(correction ? { correction } : {}),
  };
}

/**
 * The roster of a town rejected for a missing column as its office corrects it: the same rows,
 * planted row problems included, with every column; the month's file- and row-level counts once it
 * replaces the rejected upload (its MISSING_COLUMNS gone, its planted rows counted).
 */
function correctedRoster(
  plan: TownPlan,
  month: string,
  planted: Readonly<Record<string, number>>,
): Omit<DemoCorrection, 'expectedChecks'> {
  const counts: Record<string, number> = { ...planted, MISSING_COLUMNS: (planted.MISSING_COLUMNS ?? 0) - 1 };
  for (const rec of plan.recs)
    if (rec.kind === 'row' && rec.plant)
      for (const code of rec.plant.codes) counts[code] = (counts[code] ?? 0) + 1;
  return {
    town: plan.town.code,
    fileName: plan.profile.fileName,
    body: encodeUtf8(csvText({ ...plan, role: 'csv' }, month), plan.profile.bom),
    planted: counts,
  };
}
