/**
 * What the demonstration month says about itself: the files written, the problems planted and
 * where, and the exact findings of contract 3.3 a correct run produces, counted by the oracle over
 * what was written (`oracle.ts`).
 */
import type { Entry, TownPlan } from './model.ts';
import {
  expectChecks,
  type OracleRegistryRow,
  type OracleRow,
  oracleRow,
  readPartnerTables,
  townDirectory,
} from './oracle.ts';
import type { DemoTown } from './people.ts';
import type { PartnerFile } from './planters/month-check/partner-files.ts';

/** A roster row planted with one or more validation problems (contract 3.2). */
export interface PlantedRow {
  key: string;
  /** Row number as the contract counts it (record after the header; XLSX: sheet row − the header's). */
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
  /**
   * The corrected roster the office of the town rejected for a missing column uploads again from
   * its desk (the demonstration's officer does, before the approvers decide), and what the month
   * counts once it is accepted; absent when no town was rejected for a missing column.
   */
  correction?: DemoCorrection;
}

/** A rejected town's roster with its file-level defect fixed, and the month's counts with it accepted. */
export interface DemoCorrection {
  town: string;
  fileName: string;
  body: Uint8Array;
  /** {@link DemoManifest.planted} once the correction replaces the rejected upload. */
  planted: Record<string, number>;
  /** {@link DemoManifest.expectedChecks} once the correction is accepted. */
  expectedChecks: Record<string, number>;
}

/** A row of the checks on valid rows (contract 3.3). */
export interface CheckRow {
  key: string;
  row: number;
  codes: string[];
  what: string;
}

/** A roster upload and the town plan it was written from. */
export interface WrittenRoster {
  plan: TownPlan;
  key: string;
}

/** The planted problem rows and the edge rows and blank records of an accepted roster. */
export function rowsOfRoster({ plan, key }: WrittenRoster): {
  plantedRows: PlantedRow[];
  edgeRows: EdgeRow[];
} {
  const plantedRows: PlantedRow[] = [];
  const edgeRows: EdgeRow[] = [];
  plan.recs.forEach((rec, i) => {
    if (rec.kind === 'blank') {
      const what =
        plan.role === 'xlsx'
          ? 'empty sheet row'
          : rec.style === 'empty'
            ? 'blank record (empty line)'
            : 'blank record (separators only)';
      edgeRows.push({ key, row: i + 1, what });
    } else {
      if (rec.plant) plantedRows.push({ key, row: i + 1, codes: rec.plant.codes, what: rec.plant.what });
      if (rec.edge) edgeRows.push({ key, row: i + 1, what: rec.edge });
    }
  });
  return { plantedRows, edgeRows };
}

/**
 * The exact findings of contract 3.3 (default thresholds) on what was written: `accepted` are the
 * rosters that count, `rejected` the rejected ones whose rows carry look-alike notes.
 */
export function expectedChecks(
  month: string,
  towns: readonly DemoTown[],
  accepted: readonly WrittenRoster[],
  rejected: readonly WrittenRoster[],
  registry: readonly Entry[],
  files: readonly PartnerFile[],
): Pick<DemoManifest, 'expectedChecks' | 'checkRows' | 'skippedPartnerRows'> {
  const validRows: OracleRow[] = [];
  const townCodes = townDirectory(towns);
  for (const { plan, key } of accepted)
    plan.recs.forEach((rec, i) => {
      if (rec.kind === 'row' && !rec.plant) validRows.push(oracleRow(key, i + 1, rec.values, townCodes));
    });
  const facts = readPartnerTables(files);
  const expected = expectChecks(month, validRows, registry.map(oracleRegistryRow), facts);
  const notes = new Map<string, { key: string; row: number; what: string }>();
  for (const { plan, key } of [...accepted, ...rejected])
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
  checkRows.sort(byKeyAndRow);
  return { expectedChecks: expected.counts, checkRows, skippedPartnerRows: { ...facts.skipped } };
}

/** Manifest order: by file key, then row. */
export const byKeyAndRow = (a: { key: string; row: number }, b: { key: string; row: number }) =>
  a.key < b.key ? -1 : a.key > b.key ? 1 : a.row - b.row;

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
