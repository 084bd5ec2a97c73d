/**
 * Generator of a demonstration city's data directory in the contract's bucket layout (section 1):
 * `reference/towns.csv`, `reference/registry.csv`, one payout roster per town under
 * `incoming/{month}/{town}/`, and the register and partner files of contract 2.3 (`registers/`,
 * `partners/`), with planted problems whose expected findings are counted in the manifest: the
 * file and row problems of contract 3.1–3.2, and every check of 3.3 (`plant-checks.ts`), counted
 * exactly by an oracle of the contract (`oracle.ts`).
 *
 * Deterministic: the same options (seed included) give byte-identical files and the same
 * modification times. Everything is derived from a seeded PRNG, never from the clock.
 *
 * The XLSX roster is written by a small built-in SpreadsheetML writer (shared strings, styles,
 * two worksheets) zipped with fflate: exceljs needs about a second to load and write one town's
 * sheet and does not write byte-identical archives, which the demonstration cannot afford.
 */
import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import iconv from 'iconv-lite';
import { partnerFile, registryFile, rosterUpload, townsFile } from '#schemas/bucket-layout.ts';
import type { CategoryCode } from '#schemas/categories.ts';
import { FILE_FINDING_CODES, ROW_FINDING_CODES } from '#schemas/finding-codes.ts';
import { ROSTER_COLUMNS } from '#schemas/roster-columns.ts';
import {
  type Column,
  type Entry,
  elderlyFen,
  entryFor,
  type IdCell,
  IdSet,
  type MakeContext,
  newPerson,
  type Person,
  type Profile,
  pickFreeRow,
  type Rec,
  type Role,
  type Row,
  renamePerson,
  rowsOfPerson,
  rowValues,
  type TownPlan,
} from './model.ts';
import {
  amountFen,
  DATASET_COLUMNS,
  expectChecks,
  type OracleRegistryRow,
  type OracleRow,
  oracleRow,
  PARTNER_DATASETS,
  readPartnerTables,
  townDirectory,
} from './oracle.ts';
import {
  addMonths,
  ageAt,
  birthDateBefore,
  type DemoTown,
  demoTowns,
  idCheckChar,
  isValidId,
  makeId,
  Rng,
  splitYm,
  subSeed,
  surnameOf,
  Weighted,
  wrongCheckChar,
  yuanFixed,
  yuanNatural,
} from './people.ts';
import { type PartnerFile, plantChecks } from './plant-checks.ts';

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

/** A roster row planted with one or more validation problems (contract 3.2). */
export interface PlantedRow {
  key: string;
  /** Row number as the contract counts it (record after the header; XLSX: sheet row − 1). */
  row: number;
  codes: string[];
  what: string;
}

/** A valid but tricky row or record: it must produce no validation finding. */
export interface EdgeRow {
  key: string;
  row: number;
  what: string;
}

export interface DemoManifest {
  month: string;
  towns: { code: string; name: string; population: number }[];
  files: { key: string; note: string }[];
  /** Expected count per file-level and row-level finding code (contract 3.1–3.2); every code listed. */
  planted: Record<string, number>;
  /** Where the row-level problems are. */
  plantedRows: PlantedRow[];
  /** Valid rows and blank records that stress parsing; they must not produce a validation finding. */
  edgeRows: EdgeRow[];
  /**
   * The exact number of findings of each check on valid rows (contract 3.3, default thresholds)
   * that a correct run of the month produces on this data; every code listed.
   */
  expectedChecks: Record<string, number>;
  /**
   * The valid rows with a 3.3 finding (their codes, sorted) and the rows planted as look-alikes
   * that must get none (codes empty), with what was planted. Other rows get no 3.3 finding.
   */
  checkRows: CheckRow[];
  /** Partner rows whose date or amount cannot be parsed (skipped), per partner dataset. */
  skippedPartnerRows: Record<string, number>;
}

/** A row of the checks on valid rows (contract 3.3). */
export interface CheckRow {
  key: string;
  row: number;
  codes: string[];
  what: string;
}

const DEFAULT_SEED = 20261;
const DEFAULT_PAYEES = 3000;
const MIN_ROWS = 40;

const FILE_CODES = FILE_FINDING_CODES;
const ROW_CODES = ROW_FINDING_CODES;

// ---------------------------------------------------------------------------------------------
// Entry point

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

  const planted: Record<string, number> = {};
  for (const code of [...FILE_CODES, ...ROW_CODES]) planted[code] = 0;
  const count = (codes: readonly string[]) => {
    for (const code of codes) planted[code] = (planted[code] ?? 0) + 1;
  };

  const special = new Rng(subSeed(seed, 7));
  addEdgeRows(plans, month, special, ids);
  plantRowProblems(plans, month, special, ids);
  addBlankRecords(plans, special);

  // Registry extras: people off the rosters (inactive, expired, future, and a few forgotten).
  const extras: Entry[] = [];
  for (const plan of plans) extras.push(...registryExtras(plan, month, ids, accounts));

  // The checks on valid rows (contract 3.3), and the register and partner files.
  const checks = plantChecks({ plans, month, rng: new Rng(subSeed(seed, 8)), ids, accounts, extras });

  // Write.
  const base = Date.UTC(splitYm(month).year, splitYm(month).month - 1, 18, 1, 0, 0) / 1000;
  /** The accepted roster of each batch (the one that counts) and its key. */
  const effective: { plan: TownPlan; key: string }[] = [];
  const rejectedFiles: { plan: TownPlan; key: string }[] = [];
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
    const upload = (file: string) => rosterUpload.key({ month, batch: plan.town.code, file });
    const t = base + plan.index * 1800;
    const key = upload(plan.profile.fileName);
    const rows = plan.recs.filter((r): r is Row => r.kind === 'row').length;
    const blanks = plan.recs.length - rows;
    const describe = (format: string) => {
      const problems = plan.recs.filter((r) => r.kind === 'row' && r.plant).length;
      return `${format}; ${rows} rows${blanks ? `, ${blanks} blank records` : ''}${problems ? `; ${problems} planted problem rows` : ''}`;
    };
    const collect = (fileKey: string) => {
      plan.recs.forEach((rec, i) => {
        if (rec.kind === 'blank') {
          const what =
            plan.role === 'xlsx'
              ? 'empty sheet row'
              : rec.style === 'empty'
                ? 'blank record (empty line)'
                : 'blank record (separators only)';
          edgeRows.push({ key: fileKey, row: i + 1, what });
        } else {
          if (rec.plant)
            plantedRows.push({ key: fileKey, row: i + 1, codes: rec.plant.codes, what: rec.plant.what });
          if (rec.edge) edgeRows.push({ key: fileKey, row: i + 1, what: rec.edge });
        }
      });
    };
    const accepted = () => {
      for (const rec of plan.recs) if (rec.kind === 'row' && rec.plant) count(rec.plant.codes);
      effective.push({ plan, key });
    };

    switch (plan.role) {
      case 'csv': {
        await put(
          key,
          encodeUtf8(csvText(plan), plan.profile.bom),
          t,
          describe(formatNote(plan.profile, 'UTF-8')),
        );
        accepted();
        collect(key);
        if (plan.dotfile)
          await put(upload('.DS_Store'), dsStore(), t + 60, 'macOS folder metadata (dotfile): ignored');
        break;
      }
      case 'gb18030': {
        await put(
          key,
          iconv.encode(csvText(plan), 'gb18030'),
          t,
          describe(formatNote(plan.profile, 'GB18030')),
        );
        accepted();
        collect(key);
        break;
      }
      case 'xlsx': {
        await put(
          key,
          xlsxRoster(plan, month),
          t,
          describe(
            'XLSX, Chinese headers, IDs as text cells except the noted number cells, second sheet of instructions',
          ),
        );
        accepted();
        collect(key);
        break;
      }
      case 'missingColumns': {
        await put(
          key,
          encodeUtf8(csvText(plan), plan.profile.bom),
          t,
          `no account_number column (开户人身份证号 is not an account column) → MISSING_COLUMNS; ${rows} rows not staged`,
        );
        count(['MISSING_COLUMNS']);
        rejectedFiles.push({ plan, key });
        break;
      }
      case 'junk': {
        await put(
          key,
          junkBytes(plan.rng),
          t,
          'random binary with 0xFF and NUL bytes, named .csv → UNREADABLE_FILE',
        );
        count(['UNREADABLE_FILE']);
        break;
      }
      case 'reupload': {
        const older = upload(`${month}-roster.csv`);
        const oldPlan: TownPlan = { ...plan, recs: staleCopy(plan.recs, addMonths(month, -1)) };
        await put(
          older,
          encodeUtf8(csvText(oldPlan), plan.profile.bom),
          t,
          `first upload (older mtime), every row still says ${addMonths(month, -1)}: superseded by the correction, must not count`,
        );
        await put(
          key,
          encodeUtf8(csvText(plan), plan.profile.bom),
          t + 7200,
          describe(
            `corrected re-upload (2 h later; its name sorts before the first upload's, mtime decides); ${formatNote(plan.profile, 'UTF-8')}`,
          ),
        );
        accepted();
        collect(key);
        break;
      }
    }
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

  // The exact findings of contract 3.3, from what was written.
  const validRows: OracleRow[] = [];
  const townCodes = townDirectory(towns);
  for (const { plan, key } of effective)
    plan.recs.forEach((rec, i) => {
      if (rec.kind === 'row' && !rec.plant) validRows.push(oracleRow(key, i + 1, rec.values, townCodes));
    });
  const facts = readPartnerTables(checks.files);
  const expected = expectChecks(month, validRows, registry.map(oracleRegistryRow), facts);
  const notes = new Map<string, { key: string; row: number; what: string }>();
  for (const { plan, key } of [...effective, ...rejectedFiles])
    plan.recs.forEach((rec, i) => {
      if (rec.kind === 'row' && rec.check) notes.set(`${key}#${i + 1}`, { key, row: i + 1, what: rec.check });
    });
  const checkRows: CheckRow[] = [...notes.values()].map(({ key, row, what }) => ({
    key,
    row,
    codes: [...(expected.byRow.get(`${key}#${row}`) ?? [])].sort(),
    what,
  }));
  for (const [at, codes] of expected.byRow) {
    if (notes.has(at)) continue;
    const cut = at.lastIndexOf('#');
    checkRows.push({
      key: at.slice(0, cut),
      row: Number(at.slice(cut + 1)),
      codes: [...codes].sort(),
      what: '',
    });
  }
  checkRows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.row - b.row));
  files.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  plantedRows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.row - b.row));
  edgeRows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.row - b.row));
  return {
    month,
    towns: towns.map((t) => ({ ...t })),
    files,
    planted,
    plantedRows,
    edgeRows,
    expectedChecks: expected.counts,
    checkRows,
    skippedPartnerRows: { ...facts.skipped },
  };
}

function oracleRegistryRow(e: Entry): OracleRegistryRow {
  return {
    id: e.person.id,
    name: e.person.name,
    category: e.category,
    fen: e.fen,
    status: e.status,
    town: e.town.code,
    account: e.person.account,
    validFrom: e.validFrom,
    validTo: e.validTo,
  };
}

/** A register or partner file's bytes: RFC 4180 quoting where needed, in its encoding. */
function partnerBytes(f: PartnerFile): Uint8Array {
  const q = (v: string) => (needsQuotes.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const text = [f.header, ...f.rows].map((r) => r.map(q).join(',')).join(f.eol) + f.eol;
  if (f.encoding === 'gb18030') return iconv.encode(text, 'gb18030');
  return encodeUtf8(text, f.encoding === 'utf8-bom');
}

/** Re-exported for tests and tools: the contract's columns of the register and partner files. */
export { DATASET_COLUMNS };

// ---------------------------------------------------------------------------------------------
// Roles and file profiles

/** Preferred town (index in the city list) of each special role; falls back to the last free town. */
const ROLE_PREFERENCES: readonly (readonly [Role, number])[] = [
  ['xlsx', 9], // guzhen
  ['gb18030', 11], // huangpu
  ['reupload', 10], // tanzhou
  ['missingColumns', 15], // sanjiao
  ['junk', 20], // shenwan
];

function assignRoles(count: number): Role[] {
  const roles: Role[] = Array.from({ length: count }, () => 'csv');
  for (const [role, preferred] of ROLE_PREFERENCES) {
    let at = preferred < count && preferred > 0 && roles[preferred] === 'csv' ? preferred : -1;
    for (let i = count - 1; at < 0 && i >= 1; i--) if (roles[i] === 'csv') at = i;
    if (at > 0) roles[at] = role;
  }
  return roles;
}

function profileFor(index: number, role: Role, town: DemoTown, month: string): Profile {
  const headers = ['zh', 'en', 'zh-alt', 'en-caps'] as const;
  const profile: Profile = {
    header: headers[index % 4] ?? 'en',
    bom: index % 3 === 0,
    eol: index % 2 === 0 ? '\r\n' : '\n',
    serial: index % 4 === 0 || index % 5 === 2,
    phone: index % 6 === 1,
    holder: index % 3 !== 2,
    remark: index % 5 !== 4,
    reorder: index % 4 === 2,
    quoteAll: index % 7 === 5,
    townStyle: (['name', 'code', 'mix', 'upper'] as const)[index % 4] ?? 'code',
    catStyle: (['label', 'code', 'mix'] as const)[(index + 1) % 3] ?? 'code',
    amountStyle: (['fixed', 'natural', 'mix'] as const)[index % 3] ?? 'fixed',
    padded: index % 7 === 3,
    fileName: `${town.code}-${month}.csv`,
  };
  if (index % 6 === 5) profile.fileName = `${town.code}_${month.replace('-', '')}.CSV`;
  if (index === 17)
    profile.fileName = `${month.slice(0, 4)}年${Number(month.slice(5))}月${town.name}救助金发放名册.csv`;
  switch (role) {
    case 'gb18030':
      return {
        ...profile,
        header: 'zh',
        bom: false,
        eol: '\r\n',
        serial: true,
        quoteAll: false,
        townStyle: 'name',
        catStyle: 'label',
        amountStyle: 'fixed',
        fileName: `${town.code}-${month}-gbk.csv`,
      };
    case 'xlsx':
      return {
        ...profile,
        header: 'zh',
        serial: true,
        holder: true,
        remark: true,
        reorder: false,
        townStyle: 'mix',
        catStyle: 'mix',
        amountStyle: 'natural',
        fileName: `${town.code}-${month}.xlsx`,
      };
    case 'missingColumns':
      return { ...profile, header: 'en', holder: true, fileName: `${town.code}-${month}.csv` };
    case 'junk':
      return { ...profile, fileName: 'roster.csv' };
    case 'reupload':
      return { ...profile, header: 'zh', bom: true, eol: '\r\n', fileName: `${month}-roster-v2.csv` };
    default:
      return profile;
  }
}

function formatNote(p: Profile, encoding: string): string {
  const header = {
    en: 'English headers',
    'en-caps': 'English headers in mixed case with spaces',
    zh: 'Chinese headers',
    'zh-alt': 'alternative Chinese headers',
  }[p.header];
  return [
    `${encoding}${encoding === 'UTF-8' && p.bom ? ' with BOM' : ''}`,
    header,
    p.eol === '\r\n' ? 'CRLF' : 'LF',
    p.quoteAll ? 'every field quoted' : '',
    p.padded ? 'some values padded with spaces or U+3000' : '',
  ]
    .filter(Boolean)
    .join(', ');
}

const HOUSEHOLD_KINDS = new Weighted([
  ['means', 55],
  ['tekun', 8],
  ['elderly', 17],
  ['disability', 8],
  ['child', 4],
  ['temporary', 8],
] as const);
const MEANS_GROUPS = new Weighted<CategoryCode>([
  ['DIBAO', 70],
  ['DIBAO_EDGE', 20],
  ['HARDSHIP', 10],
]);
const HOUSEHOLD_SIZES = new Weighted([
  [1, 30],
  [2, 30],
  [3, 25],
  [4, 15],
] as const);

function makeEntries(ctx: MakeContext & { target: number }): Entry[] {
  const { rng, month, target } = ctx;
  const entries: Entry[] = [];
  let householdNo = 0;
  while (entries.length < target) {
    householdNo++;
    const household = `H${String(ctx.index + 1).padStart(2, '0')}${String(householdNo).padStart(6, '0')}`;
    const kind = rng.weighted(HOUSEHOLD_KINDS);
    switch (kind) {
      case 'means': {
        const group = rng.weighted(MEANS_GROUPS);
        const size = rng.weighted(HOUSEHOLD_SIZES);
        const fen =
          group === 'DIBAO'
            ? rng.chance(0.55)
              ? 118000
              : rng.chance(0.5)
                ? rng.int(30, 118) * 1000
                : rng.int(600, 2360) * 50
            : group === 'DIBAO_EDGE'
              ? rng.chance(0.5)
                ? 59000
                : rng.int(20, 59) * 1000
              : rng.int(30, 150) * 1000;
        const head = rng.chance(0.3) ? newPerson(ctx, household, 60, 92) : newPerson(ctx, household, 28, 70);
        const members = [head];
        const headAge = ageAt(head.birth, month);
        if (size >= 2)
          members.push(
            newPerson(
              ctx,
              household,
              Math.max(18, headAge - 6),
              Math.min(95, headAge + 4),
              undefined,
              !head.female,
            ),
          );
        for (let k = 2; k < size; k++) {
          members.push(
            headAge < 55 && rng.chance(0.8)
              ? newPerson(ctx, household, 0, 17, surnameOf(head.name))
              : newPerson(ctx, household, Math.min(headAge + 18, 80), 96, surnameOf(head.name)),
          );
        }
        for (const person of members) {
          entries.push(entryFor(ctx, person, group, fen));
          const age = ageAt(person.birth, month);
          if (age >= 80 && rng.chance(0.8)) entries.push(entryFor(ctx, person, 'ELDERLY', elderlyFen(age)));
          if (age >= 18 && rng.chance(0.08)) entries.push(entryFor(ctx, person, 'DISABILITY_LIVING', 19800));
          if (rng.chance(0.03))
            entries.push(entryFor(ctx, person, 'DISABILITY_CARE', rng.chance(0.6) ? 26400 : 19800));
          if (age < 18 && rng.chance(0.05)) entries.push(entryFor(ctx, person, 'CHILD', 190000, '困境儿童'));
        }
        break;
      }
      case 'tekun': {
        const disabled = rng.chance(0.2);
        const person = disabled ? newPerson(ctx, household, 18, 59) : newPerson(ctx, household, 60, 96);
        entries.push(entryFor(ctx, person, 'TEKUN', 177000));
        const age = ageAt(person.birth, month);
        if (age >= 80 && rng.chance(0.8)) entries.push(entryFor(ctx, person, 'ELDERLY', elderlyFen(age)));
        if (disabled) entries.push(entryFor(ctx, person, 'DISABILITY_CARE', 26400));
        break;
      }
      case 'elderly': {
        const first = newPerson(ctx, household, 80, 101);
        const members = [first];
        if (rng.chance(0.25)) members.push(newPerson(ctx, household, 80, 97, undefined, !first.female));
        for (const person of members)
          entries.push(entryFor(ctx, person, 'ELDERLY', elderlyFen(ageAt(person.birth, month))));
        break;
      }
      case 'disability': {
        const person = newPerson(ctx, household, 18, 75);
        const both = rng.chance(0.15);
        const care = both || rng.chance(0.3);
        if (both || !care) entries.push(entryFor(ctx, person, 'DISABILITY_LIVING', 19800));
        if (care) entries.push(entryFor(ctx, person, 'DISABILITY_CARE', rng.chance(0.6) ? 26400 : 19800));
        break;
      }
      case 'child': {
        const orphan = rng.chance(0.3);
        const first = newPerson(ctx, household, 0, 17);
        const members = [first];
        if (rng.chance(0.3)) members.push(newPerson(ctx, household, 0, 17, surnameOf(first.name)));
        for (const person of members) {
          entries.push(
            entryFor(ctx, person, 'CHILD', orphan ? 240000 : 190000, orphan ? '孤儿基本生活费' : '困境儿童'),
          );
        }
        break;
      }
      case 'temporary': {
        const person = newPerson(ctx, household, 20, 70);
        entries.push(entryFor(ctx, person, 'TEMPORARY', rng.int(5, 50) * 10000));
        break;
      }
    }
  }
  return entries;
}

/** Registry rows of people who are not on the roster: inactive, expired, starting later, forgotten. */
function registryExtras(plan: TownPlan, month: string, ids: IdSet, accounts: Set<number>): Entry[] {
  const rng = new Rng(subSeed(plan.rng.int(0, 0xffffffff), 3));
  const ctx: MakeContext = { rng, town: plan.town, index: plan.index, month, ids, accounts };
  const extras: Entry[] = [];
  const n = Math.max(2, Math.round(plan.entries.length * 0.02));
  for (let k = 0; k < n; k++) {
    const household = `H${String(plan.index + 1).padStart(2, '0')}${String(900000 + k).padStart(6, '0')}`;
    const category = rng.pick(['DIBAO', 'TEKUN', 'DIBAO_EDGE', 'DISABILITY_LIVING'] as const);
    const person = newPerson(ctx, household, category === 'TEKUN' ? 60 : 25, 90);
    const fen = { DIBAO: 118000, TEKUN: 177000, DIBAO_EDGE: 59000, DISABILITY_LIVING: 19800 }[category];
    const entry = entryFor(ctx, person, category, fen);
    const kind = k % 4;
    if (kind === 0) entry.status = 'SUSPENDED';
    else if (kind === 1) {
      // Terminated some months ago.
      entry.status = 'TERMINATED';
      entry.validTo = addMonths(month, -rng.int(1, 24));
      entry.validFrom = addMonths(entry.validTo, -rng.int(3, 60));
    } else if (kind === 2) {
      // Still ACTIVE in the case system, but the approval ran out.
      entry.validTo = addMonths(month, -rng.int(1, 12));
      entry.validFrom = addMonths(entry.validTo, -rng.int(3, 36));
    } else {
      // Approved from next month on.
      entry.validFrom = addMonths(month, 1);
      entry.validTo = '';
    }
    extras.push(entry);
  }
  if (plan.index % 4 === 3) {
    // Approved and active, but the town left them off the roster: MISSING_PAYMENT.
    const person = newPerson(
      ctx,
      `H${String(plan.index + 1).padStart(2, '0')}${String(999999).padStart(6, '0')}`,
      40,
      80,
    );
    const entry = entryFor(ctx, person, 'DIBAO', 118000);
    entry.validTo = '';
    extras.push(entry);
  }
  return extras;
}

// ---------------------------------------------------------------------------------------------
// Valid edge cases, planted problems, blank records

function addEdgeRows(plans: TownPlan[], month: string, rng: Rng, ids: IdSet): void {
  const csvTowns = plans.filter((p) => p.role === 'csv');
  const first = csvTowns[0];
  if (first) {
    const row = pickFreeRow(first, rng);
    if (row) {
      renamePerson(first, row, `${surnameOf(row.entry.person.name)}𠮷`);
      row.edge = 'name with a supplementary-plane character (𠮷, U+20BB7)';
    }
    const quoted = pickFreeRow(first, rng);
    if (quoted && first.profile.remark) {
      quoted.values.remark = '户主住院,\n下月复核"收入"情况';
      quoted.edge = 'remark with a comma, quotes and a line break inside quotes (one record over two lines)';
    }
  }
  const second = csvTowns[1] ?? first;
  if (second) {
    const row = pickFreeRow(second, rng);
    const parts = [
      '阿卜杜热合曼',
      '买买提',
      '艾尼瓦尔',
      '吐尔逊',
      '阿不都克力木',
      '热依木',
      '库尔班',
      '艾则孜',
      '阿依古丽',
      '热娜',
    ];
    let name = '';
    for (let i = 0; Array.from(name).length < 50; i++)
      name += (name ? '·' : '') + (parts[i % parts.length] ?? '');
    name = Array.from(name).slice(0, 50).join('');
    if (name.endsWith('·')) name = `${name.slice(0, -1)}热`;
    if (row) {
      renamePerson(second, row, name);
      row.edge = 'name of exactly 50 characters (the limit)';
    }
    const lower = pickFreeRow(second, rng, (r) => r.entry.person.id.endsWith('X'));
    if (lower) {
      lower.values.id_number = `${lower.entry.person.id.slice(0, 17)}x`;
      lower.edge = 'ID with a lower-case x check character (valid)';
    }
    const spaced = pickFreeRow(second, rng);
    if (spaced) {
      spaced.values.name = `\u00a0${spaced.entry.person.name}\u3000`;
      spaced.values.amount = ` ${spaced.values.amount} `;
      spaced.edge = 'name padded with U+00A0 and U+3000, amount padded with spaces';
    }
  }
  const gb = plans.find((p) => p.role === 'gb18030');
  if (gb) {
    const row = pickFreeRow(gb, rng);
    if (row) renamePerson(gb, row, '刘䶮');
    if (row) row.edge = 'name with 䶮 (U+4DAE, a four-byte GB18030 character outside GBK)';
  }
  const xlsx = plans.find((p) => p.role === 'xlsx');
  if (xlsx) {
    const row = pickFreeRow(xlsx, rng, (r) => !r.entry.person.id.endsWith('X'));
    if (!row) return;
    const id = exactNumberId(row.entry.person, month, rng, ids);
    row.entry.person.id = id;
    for (const r of rowsOfPerson(xlsx, row)) {
      r.values.id_number = id;
      r.values.account_holder_id = '';
    }
    row.idCell = 'exact';
    row.edge = `ID as a NUMBER cell that a double holds exactly (${id.slice(0, 6)}…): must be read as its digits and accepted`;
  }
}

/** An unused valid ID, without X, that survives a round trip through a double. */
function exactNumberId(person: Person, month: string, rng: Rng, ids: IdSet): string {
  for (let tries = 0; ; tries++) {
    const birth =
      tries < 5000
        ? birthDateBefore(
            month,
            Math.max(1, Math.round((ageAt(person.birth, month) + 0.5) * 365.25) + rng.int(-150, 150)),
          )
        : birthDateBefore(month, rng.int(9000, 25000));
    const id = makeId('442000', birth, rng.int(0, 99) * 10);
    if (id.endsWith('X') || ids.has(id) || String(Number(id)) !== id) continue;
    ids.delete(person.id);
    ids.add(id);
    person.birth = birth;
    return id;
  }
}

interface PlantSpec {
  codes: string[];
  what: string;
  roles?: Role[];
  apply: (row: Row, month: string, rng: Rng) => void;
}

function badCheck(row: Row, rng: Rng): string {
  const first17 = row.entry.person.id.slice(0, 17);
  return first17 + wrongCheckChar(first17, rng);
}

function longName(base: string, length: number): string {
  const filler = '户主因病致贫二零一九年纳入低保现住本镇民生路十二号之三联系电话见备注子女在外务工无固定收入';
  let text = `${base}（`;
  while (Array.from(text).length < length - 1) text += filler;
  return `${Array.from(text)
    .slice(0, length - 1)
    .join('')}）`;
}

const PLANTS: readonly PlantSpec[] = [
  {
    codes: ['INVALID_ID'],
    what: 'ID with a wrong check character',
    apply: (r, _m, rng) => {
      r.values.id_number = badCheck(r, rng);
    },
  },
  {
    codes: ['INVALID_ID'],
    what: 'ID with an impossible birth date (30 February), check character correct',
    apply: (r) => {
      const id = r.entry.person.id;
      r.values.id_number = makeId(id.slice(0, 6), `${id.slice(6, 10)}0230`, Number(id.slice(14, 17)));
    },
  },
  {
    codes: ['INVALID_ID'],
    what: 'old 15-digit ID',
    apply: (r) => {
      const id = r.entry.person.id;
      r.values.id_number = id.slice(0, 6) + id.slice(8, 17);
    },
  },
  {
    codes: ['INVALID_ID'],
    what: 'ID born after the payment month (check character correct)',
    apply: (r, month) => {
      const next = addMonths(month, 1).replace('-', '');
      r.values.id_number = makeId(
        r.entry.person.id.slice(0, 6),
        `${next}01`,
        Number(r.entry.person.id.slice(14, 17)),
      );
    },
  },
  {
    codes: ['INVALID_ID'],
    what: 'ID with a full-width digit (typed with a Chinese input method)',
    apply: (r) => {
      const id = r.entry.person.id;
      r.values.id_number = `${id.slice(0, 10)}${String.fromCharCode(0xff10 + Number(id.charAt(10)))}${id.slice(11)}`;
    },
  },
  {
    codes: ['MISSING_FIELD'],
    what: 'empty name',
    apply: (r) => {
      r.values.name = '';
    },
  },
  {
    codes: ['MISSING_FIELD'],
    what: 'name of ideographic spaces only (U+3000)',
    apply: (r) => {
      r.values.name = '\u3000\u3000';
    },
  },
  {
    codes: ['MISSING_FIELD'],
    what: 'empty household_id and account_number (one finding naming both)',
    apply: (r) => {
      r.values.household_id = '';
      r.values.account_number = '';
      r.values.account_holder_id = '';
    },
  },
  {
    codes: ['MISSING_FIELD'],
    what: 'empty amount',
    apply: (r) => {
      r.values.amount = '';
    },
  },
  {
    codes: ['MISSING_FIELD'],
    what: 'empty category',
    apply: (r) => {
      r.values.category = '';
    },
  },
  {
    codes: ['INVALID_NAME'],
    what: 'name of 51 characters (a note typed into the name)',
    apply: (r) => {
      r.values.name = longName(r.entry.person.name, 51);
    },
  },
  {
    codes: ['INVALID_NAME'],
    what: 'name of 64 characters',
    apply: (r) => {
      r.values.name = longName(r.entry.person.name, 64);
    },
  },
  {
    codes: ['INVALID_AMOUNT'],
    what: 'amount 1,200.00 (thousands separator)',
    apply: (r) => {
      r.values.amount = '1,200.00';
    },
  },
  {
    codes: ['INVALID_AMOUNT'],
    what: 'amount -5',
    apply: (r) => {
      r.values.amount = '-5';
    },
  },
  {
    codes: ['INVALID_AMOUNT'],
    what: 'amount 0.001 (three decimals)',
    apply: (r) => {
      r.values.amount = '0.001';
    },
  },
  {
    codes: ['INVALID_AMOUNT'],
    what: 'amount 0.00 (not > 0)',
    apply: (r) => {
      r.values.amount = '0.00';
    },
  },
  {
    codes: ['INVALID_AMOUNT'],
    what: 'amount 100000.01 (over the limit)',
    apply: (r) => {
      r.values.amount = '100000.01';
    },
  },
  {
    codes: ['INVALID_AMOUNT'],
    what: 'amount 1.18e3 (exponent)',
    apply: (r) => {
      r.values.amount = '1.18e3';
    },
  },
  {
    codes: ['UNKNOWN_CATEGORY'],
    what: 'category 五保 (the pre-2016 term)',
    apply: (r) => {
      r.values.category = '五保';
    },
  },
  {
    codes: ['UNKNOWN_CATEGORY'],
    what: 'category 低保户 (not a label as written)',
    apply: (r) => {
      r.values.category = '低保户';
    },
  },
  {
    codes: ['UNKNOWN_CATEGORY'],
    what: 'category MEDICAL',
    apply: (r) => {
      r.values.category = 'MEDICAL';
    },
  },
  {
    codes: ['UNKNOWN_TOWN'],
    what: 'town 石岐区 (not the name in towns.csv)',
    apply: (r) => {
      r.values.town = '石岐区';
    },
  },
  {
    codes: ['UNKNOWN_TOWN'],
    what: 'town zhongshan (the city, not a town)',
    apply: (r) => {
      r.values.town = 'zhongshan';
    },
  },
  {
    codes: ['UNKNOWN_TOWN'],
    what: 'town 小榄 (short name)',
    apply: (r) => {
      r.values.town = '小榄';
    },
  },
  {
    codes: ['INVALID_ACCOUNT'],
    what: 'account of 9 digits',
    apply: (r) => {
      r.values.account_number = r.entry.person.account.slice(0, 9);
    },
  },
  {
    codes: ['INVALID_ACCOUNT'],
    what: 'account with spaces between digit groups',
    apply: (r) => {
      r.values.account_number = r.entry.person.account.replace(/(\d{4})(?=\d)/g, '$1 ');
    },
  },
  {
    codes: ['INVALID_ACCOUNT'],
    what: 'account of 26 digits',
    apply: (r) => {
      r.values.account_number = `${r.entry.person.account}0000000`;
    },
  },
  {
    codes: ['INVALID_ACCOUNT'],
    what: 'account with the letter O for a zero',
    apply: (r) => {
      const account = r.entry.person.account;
      r.values.account_number = `${account.slice(0, 6)}O${account.slice(7)}`;
    },
  },
  {
    codes: ['WRONG_MONTH'],
    what: 'month of the previous month',
    apply: (r, m) => {
      r.values.month = addMonths(m, -1);
    },
  },
  {
    codes: ['WRONG_MONTH'],
    what: 'month written YYYY/MM',
    apply: (r, m) => {
      r.values.month = m.replace('-', '/');
    },
  },
  {
    codes: ['WRONG_MONTH'],
    what: 'month of the next month',
    apply: (r, m) => {
      r.values.month = addMonths(m, 1);
    },
  },
  {
    codes: ['INVALID_ID', 'MISSING_FIELD', 'INVALID_AMOUNT', 'UNKNOWN_TOWN', 'WRONG_MONTH'],
    what: 'several problems: wrong check character, empty account, amount -5, town zhongshan, previous month',
    apply: (r, m, rng) => {
      r.values.id_number = badCheck(r, rng);
      r.values.account_number = '';
      r.values.amount = '-5';
      r.values.town = 'zhongshan';
      r.values.month = addMonths(m, -1);
    },
  },
  {
    codes: ['INVALID_ID'],
    what: 'ID as a NUMBER cell that lost precision (written as the double’s digits)',
    roles: ['xlsx'],
    apply: (r) => {
      r.idCell = 'lossy-plain';
    },
  },
  {
    codes: ['INVALID_ID'],
    what: 'ID as a NUMBER cell in exponent form (as Excel stores a typed 18-digit number)',
    roles: ['xlsx'],
    apply: (r) => {
      r.idCell = 'lossy-exponent';
    },
  },
];

/** The stored text of a number cell holding `id` (see {@link IdCell}). */
function numberCellText(id: string, mode: IdCell): string {
  if (mode === 'exact') return id;
  const n = Number(id);
  return mode === 'lossy-plain' ? String(n) : n.toExponential().toUpperCase();
}

function plantRowProblems(plans: TownPlan[], month: string, rng: Rng, ids: IdSet): void {
  const hosts = plans.filter(
    (p) => p.role === 'csv' || p.role === 'gb18030' || p.role === 'xlsx' || p.role === 'reupload',
  );
  // Shuffle the hosts so that problems land in different kinds of files.
  for (let i = hosts.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const a = hosts[i];
    const b = hosts[j];
    if (a && b) {
      hosts[i] = b;
      hosts[j] = a;
    }
  }
  let next = 0;
  for (const spec of PLANTS) {
    const candidates = spec.roles ? plans.filter((p) => spec.roles?.includes(p.role)) : hosts;
    const host = candidates[spec.roles ? 0 : next++ % candidates.length];
    if (!host) continue;
    const lossy = spec.roles?.includes('xlsx') === true;
    const row = pickFreeRow(host, rng, (r) => {
      if (!lossy) return true;
      const id = r.entry.person.id;
      if (id.endsWith('X')) return false;
      // The stored text must be an invalid ID, or the row would not be INVALID_ID.
      const text = numberCellText(id, r.idCell === undefined ? 'lossy-plain' : r.idCell);
      return text !== id && !isValidId(text) && !ids.has(text);
    });
    if (!row) continue;
    spec.apply(row, month, rng);
    row.plant = { codes: [...spec.codes], what: spec.what };
  }
}

function addBlankRecords(plans: TownPlan[], rng: Rng): void {
  for (const plan of plans) {
    if (plan.role === 'junk' || (plan.index % 3 !== 1 && plan.role !== 'xlsx' && plan.role !== 'gb18030'))
      continue;
    const count = rng.int(1, 2);
    for (let k = 0; k < count; k++) {
      const at = rng.int(1, plan.recs.length - 1);
      plan.recs.splice(at, 0, { kind: 'blank', style: rng.chance(0.5) ? 'empty' : 'commas' });
    }
    if (plan.index % 6 === 1 && plan.role === 'csv') plan.recs.push({ kind: 'blank', style: 'empty' });
  }
}

/** The rows as they were before the correction: every row still carries `staleMonth`. */
function staleCopy(recs: readonly Rec[], staleMonth: string): Rec[] {
  return recs.map((rec) =>
    rec.kind === 'row'
      ? { kind: 'row', entry: rec.entry, values: { ...rec.values, month: staleMonth } }
      : rec,
  );
}

// ---------------------------------------------------------------------------------------------
// CSV

const HEADERS: Record<Profile['header'], Record<Column, string>> = {
  en: {
    id_number: 'id_number',
    name: 'name',
    household_id: 'household_id',
    category: 'category',
    amount: 'amount',
    month: 'month',
    town: 'town',
    account_number: 'account_number',
    account_holder_id: 'account_holder_id',
    remark: 'remark',
  },
  'en-caps': {
    id_number: ' ID_Number',
    name: 'Name ',
    household_id: 'Household_ID',
    category: 'CATEGORY',
    amount: 'Amount',
    month: 'Month',
    town: 'Town',
    account_number: 'Account_Number',
    account_holder_id: 'Account_Holder_Id',
    remark: 'Remark',
  },
  zh: {
    id_number: '身份证号',
    name: '姓名',
    household_id: '户编号',
    category: '救助类别',
    amount: '发放金额',
    month: '发放月份',
    town: '镇街',
    account_number: '收款账号',
    account_holder_id: '开户人身份证号',
    remark: '备注',
  },
  'zh-alt': {
    id_number: '公民身份号码',
    name: '姓名',
    household_id: '户号',
    category: '类别',
    amount: '金额',
    month: '月份',
    town: '镇街',
    account_number: '社保卡号',
    account_holder_id: '开户人身份证号',
    remark: '备注',
  },
};

interface OutColumn {
  header: string;
  value: (row: Row, rowNo: number) => string;
}

function columnsFor(plan: TownPlan): OutColumn[] {
  const p = plan.profile;
  const names = HEADERS[p.header];
  let order: Column[] = [...ROSTER_COLUMNS];
  if (p.reorder)
    order = [
      'name',
      'id_number',
      'town',
      'household_id',
      'category',
      'month',
      'amount',
      'account_number',
      'account_holder_id',
      'remark',
    ];
  order = order.filter(
    (c) =>
      (c !== 'account_holder_id' || p.holder) &&
      (c !== 'remark' || p.remark) &&
      (c !== 'account_number' || plan.role !== 'missingColumns'),
  );
  const columns: OutColumn[] = order.map((c) => ({ header: names[c], value: (row) => row.values[c] }));
  if (p.serial)
    columns.unshift({
      header: p.header.startsWith('en') ? 'No' : '序号',
      value: (_row, rowNo) => String(rowNo),
    });
  if (p.phone) {
    columns.splice(3, 0, {
      header: p.header.startsWith('en') ? 'phone' : '联系电话',
      value: (row) => `13${row.entry.person.account.slice(-9)}`,
    });
  }
  return columns;
}

const needsQuotes = /[",\r\n]/;

function csvText(plan: TownPlan): string {
  const columns = columnsFor(plan);
  const { eol, quoteAll } = plan.profile;
  const q = (v: string) => (quoteAll || needsQuotes.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  const lines: string[] = [columns.map((c) => q(c.header)).join(',')];
  let serial = 0;
  for (const rec of plan.recs) {
    if (rec.kind === 'blank') {
      lines.push(rec.style === 'empty' ? '' : ','.repeat(columns.length - 1));
      continue;
    }
    serial++;
    lines.push(columns.map((c) => q(c.value(rec, serial))).join(','));
  }
  return lines.join(eol) + eol;
}

function encodeUtf8(text: string, bom: boolean): Uint8Array {
  const body = Buffer.from(text, 'utf8');
  return bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
}

function townsCsv(towns: readonly DemoTown[]): string {
  return `code,name,population\n${towns.map((t) => `${t.code},${t.name},${t.population}`).join('\n')}\n`;
}

function registryCsv(entries: readonly Entry[]): string {
  const lines = [
    'id_number,name,household_id,category,approved_amount,status,town,account_number,valid_from,valid_to',
  ];
  for (const e of entries) {
    const p = e.person;
    lines.push(
      `${p.id},${p.name},${p.household},${e.category},${yuanFixed(e.fen)},${e.status},${e.town.code},${p.account},${e.validFrom},${e.validTo}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Binary files

function junkBytes(rng: Rng): Uint8Array {
  const bytes = new Uint8Array(6144);
  for (let i = 0; i < bytes.length; i++) bytes[i] = rng.int(0, 255);
  for (let i = 0; i < bytes.length; i += rng.int(20, 60)) bytes[i] = rng.chance(0.5) ? 0x00 : 0xff;
  bytes.set([0xff, 0xfe, 0x00, 0x00], 0);
  return bytes;
}

function dsStore(): Uint8Array {
  const bytes = new Uint8Array(1024);
  bytes.set([0x00, 0x00, 0x00, 0x01, 0x42, 0x75, 0x64, 0x31, 0x00, 0x00, 0x10, 0x00], 0);
  return bytes;
}

// ---------------------------------------------------------------------------------------------
// XLSX (SpreadsheetML, as Excel writes it: shared strings, a text style for the ID column)

type XCell = { t: 's'; text: string; style?: number } | { t: 'n'; raw: string; style?: number };

const xmlEscape = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

function columnLetter(i: number): string {
  return String.fromCharCode(65 + i);
}

class SharedStrings {
  private readonly index = new Map<string, number>();
  private readonly list: string[] = [];
  count = 0;

  ref(text: string): number {
    this.count++;
    let i = this.index.get(text);
    if (i === undefined) {
      i = this.list.length;
      this.index.set(text, i);
      this.list.push(text);
    }
    return i;
  }

  xml(): string {
    const items = this.list.map(
      (s) => `<si><t${/^\s|\s$/.test(s) ? ' xml:space="preserve"' : ''}>${xmlEscape(s)}</t></si>`,
    );
    return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${this.count}" uniqueCount="${this.list.length}">${items.join('')}</sst>`;
  }
}

function sheetXml(
  rows: readonly { r: number; cells: readonly (XCell | undefined)[] }[],
  sst: SharedStrings,
  width: number,
): string {
  const body: string[] = [];
  let last = 1;
  for (const { r, cells } of rows) {
    last = r;
    const cs: string[] = [];
    cells.forEach((cell, i) => {
      if (!cell) return;
      const ref = `${columnLetter(i)}${r}`;
      const s = cell.style ? ` s="${cell.style}"` : '';
      if (cell.t === 's') {
        if (cell.text !== '') cs.push(`<c r="${ref}"${s} t="s"><v>${sst.ref(cell.text)}</v></c>`);
      } else cs.push(`<c r="${ref}"${s}><v>${cell.raw}</v></c>`);
    });
    body.push(`<row r="${r}" spans="1:${width}">${cs.join('')}</row>`);
  }
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
    `<dimension ref="A1:${columnLetter(width - 1)}${last}"/>` +
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>' +
    '<sheetFormatPr defaultRowHeight="14.25"/>' +
    `<cols><col min="1" max="${width}" width="20" customWidth="1"/></cols>` +
    `<sheetData>${body.join('')}</sheetData>` +
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'
  );
}

function xlsxRoster(plan: TownPlan, month: string): Uint8Array {
  const columns = columnsFor(plan);
  const ID_STYLE = 1;
  const AMOUNT_STYLE = 2;
  const sst = new SharedStrings();
  const rows: { r: number; cells: (XCell | undefined)[] }[] = [
    { r: 1, cells: columns.map((c) => ({ t: 's', text: c.header })) },
  ];
  const headerIndex = (name: string) => columns.findIndex((c) => c.header === name);
  const idAt = headerIndex(HEADERS.zh.id_number);
  const amountAt = headerIndex(HEADERS.zh.amount);
  let serial = 0;
  plan.recs.forEach((rec, i) => {
    if (rec.kind === 'blank') return; // an empty sheet row: no <row> element
    serial++;
    const cells: (XCell | undefined)[] = columns.map((c, k) => {
      const v = c.value(rec, serial);
      if (k === 0 && plan.profile.serial) return { t: 'n', raw: v };
      return v === '' ? undefined : { t: 's', text: v };
    });
    if (rec.idCell) cells[idAt] = { t: 'n', raw: numberCellText(rec.entry.person.id, rec.idCell) };
    else if (cells[idAt]) cells[idAt] = { t: 's', text: rec.values.id_number, style: ID_STYLE };
    if (!rec.plant && /^\d+(\.\d{1,2})?$/.test(rec.values.amount) && plan.rng.chance(0.6)) {
      cells[amountAt] = { t: 'n', raw: yuanNatural(amountFen(rec.values.amount) ?? 0), style: AMOUNT_STYLE };
    }
    rows.push({ r: i + 2, cells });
  });
  const notes = [
    ['填表说明'],
    ['1. 身份证号请设置为文本格式，勿以数字录入。'],
    ['2. 发放金额以元为单位，保留两位小数。'],
    [`3. 发放月份填写 ${month}。`],
  ].map((cells, i) => ({ r: i + 1, cells: cells.map((text): XCell => ({ t: 's', text })) }));

  const sheet1 = sheetXml(rows, sst, columns.length);
  const sheet2 = sheetXml(notes, sst, 1);
  const { year, month: m } = splitYm(month);
  const stamp = `${month}-18T09:00:00Z`;
  const ct = 'application/vnd.openxmlformats-officedocument';
  const parts: Record<string, string> = {
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
      `<Override PartName="/xl/workbook.xml" ContentType="${ct}.spreadsheetml.sheet.main+xml"/>` +
      `<Override PartName="/xl/worksheets/sheet1.xml" ContentType="${ct}.spreadsheetml.worksheet+xml"/>` +
      `<Override PartName="/xl/worksheets/sheet2.xml" ContentType="${ct}.spreadsheetml.worksheet+xml"/>` +
      `<Override PartName="/xl/styles.xml" ContentType="${ct}.spreadsheetml.styles+xml"/>` +
      `<Override PartName="/xl/sharedStrings.xml" ContentType="${ct}.spreadsheetml.sharedStrings+xml"/>` +
      '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
      `<Override PartName="/docProps/app.xml" ContentType="${ct}.extended-properties+xml"/></Types>`,
    '_rels/.rels':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      `<Relationship Id="rId3" Type="${ct.replace('application/vnd.openxmlformats-officedocument', 'http://schemas.openxmlformats.org/officeDocument/2006')}/relationships/extended-properties" Target="docProps/app.xml"/>` +
      '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    'docProps/app.xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>Microsoft Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><AppVersion>16.0300</AppVersion></Properties>',
    'docProps/core.xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
      `<dc:creator>${xmlEscape(plan.town.name)}社会事务局</dc:creator><cp:lastModifiedBy>${xmlEscape(plan.town.name)}社会事务局</cp:lastModifiedBy>` +
      `<dcterms:created xsi:type="dcterms:W3CDTF">${stamp}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${stamp}</dcterms:modified></cp:coreProperties>`,
    'xl/workbook.xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
      '<bookViews><workbookView xWindow="0" yWindow="0" windowWidth="28800" windowHeight="12300"/></bookViews>' +
      `<sheets><sheet name="${year}年${m}月发放名册" sheetId="1" r:id="rId1"/><sheet name="填表说明" sheetId="2" r:id="rId2"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>' +
      '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/>' +
      '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>' +
      '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    'xl/styles.xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
      '<fonts count="1"><font><sz val="11"/><name val="宋体"/><family val="2"/><charset val="134"/></font></fonts>' +
      '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
      '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
      '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
      '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
      '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
      '<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>' +
      '<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles></styleSheet>',
    'xl/worksheets/sheet1.xml': sheet1,
    'xl/worksheets/sheet2.xml': sheet2,
    'xl/sharedStrings.xml': sst.xml(),
  };
  // Local-time components, so the DOS timestamps in the archive do not depend on the time zone.
  const mtime = new Date(year, m - 1, 18, 9, 0, 0);
  const zipInput: Record<string, [Uint8Array, { mtime: Date }]> = {};
  for (const [name, text] of Object.entries(parts)) zipInput[name] = [strToU8(text), { mtime }];
  return zipSync(zipInput, { level: 1 });
}

/** Re-exported for tests and tools: the generator's own MOD 11-2 check. */
export { idCheckChar, isValidId };
