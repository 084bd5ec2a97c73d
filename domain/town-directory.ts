import { townsFile } from '#schemas/bucket-layout.ts';
import { cleanValue } from '#schemas/clean-value.ts';
import { quoteValue } from '#schemas/quote-value.ts';
import { ReferenceDataError } from '#schemas/reference-data-error.ts';

/** A town of `reference/towns.csv` (contract 2.3). */
export interface Town {
  /** Canonical code, as written in towns.csv. */
  code: string;
  /** Chinese name. */
  name: string;
  /** Resident population. */
  population: number;
}

/** The key of the town reference file, as its findings name it. */
const TOWNS_FILE = townsFile.key();

const TOWN_COLUMNS = ['code', 'name', 'population'] as const;

/**
 * Looks towns up the way a roster names them (contract 2, 2.1): by code, case-insensitively,
 * or by Chinese name, exactly as written in towns.csv. Built once per run; lookups allocate
 * nothing for a code or name written as in towns.csv.
 */
export class TownDirectory {
  /** The towns it was built from, in file order. */
  readonly towns: readonly Town[];
  readonly #byExact = new Map<string, string>();
  readonly #byLowerCode = new Map<string, string>();

  /**
   * When two towns share a code (case-insensitively) or a name, the first wins;
   * {@link parseTowns} rejects such files, so this only matters for hand-made lists.
   * Empty codes and names are not indexed.
   */
  constructor(towns: readonly Town[]) {
    this.towns = towns;
    for (const town of towns) {
      if (town.code === '') continue;
      const lower = town.code.toLowerCase();
      if (!this.#byLowerCode.has(lower)) this.#byLowerCode.set(lower, town.code);
    }
    // Exact codes before names, so a name never shadows a code.
    for (const town of towns) {
      if (town.code !== '' && !this.#byExact.has(town.code)) {
        this.#byExact.set(town.code, this.#byLowerCode.get(town.code.toLowerCase()) ?? town.code);
      }
    }
    for (const town of towns) {
      if (town.code !== '' && town.name !== '' && !this.#byExact.has(town.name)) {
        this.#byExact.set(town.name, town.code);
      }
    }
  }

  /**
   * The canonical town code for a roster value: a code in any letter case, or a Chinese name as
   * written in towns.csv.
   * @returns the code as written in towns.csv, or `undefined` when no town matches.
   * @example directory.resolve('SHIQI') // 'shiqi'; directory.resolve('石岐街道') // 'shiqi'
   */
  resolve(value: string): string | undefined {
    return this.#byExact.get(value) ?? this.#byLowerCode.get(value.toLowerCase());
  }
}

/**
 * Reads the records of `reference/towns.csv` (columns `code`, `name`, `population`; header
 * names match case-insensitively after trimming; extra columns are ignored; every value is
 * cleaned). Records with an empty code are skipped (blank lines, notes under the table).
 * A row repeated exactly is kept once.
 * @param header the header record.
 * @param records the records after the header; record *k* (0-based) is row *k* + 1.
 * @throws ReferenceDataError naming the file and
 *   - the column, when `code`, `name` or `population` is absent;
 *   - the row, when a population is not a non-negative integer of ASCII digits, or when a code
 *     (case-insensitively) or a name is given to two different towns — a roster value could
 *     then not be resolved to one town.
 */
export function parseTowns(header: readonly string[], records: readonly (readonly string[])[]): Town[] {
  const index = columnIndexes(header);
  const towns: Town[] = [];
  const byCode = new Map<string, { town: Town; row: number }>();
  const byName = new Map<string, { town: Town; row: number }>();
  records.forEach((record, k) => {
    const row = k + 1;
    const code = cleanValue(record[index.code]);
    if (code === '') return;
    const name = cleanValue(record[index.name]);
    const population = parsePopulation(cleanValue(record[index.population]), row);
    const town: Town = { code, name, population };
    const sameCode = byCode.get(code.toLowerCase());
    if (sameCode !== undefined) {
      const t = sameCode.town;
      if (t.code === code && t.name === name && t.population === population) return;
      throw conflict(`代码 ${quoteValue(code)}`, `code ${quoteValue(code)}`, sameCode.row, row);
    }
    const sameName = name === '' ? undefined : byName.get(name);
    if (sameName !== undefined) {
      throw conflict(`名称 ${quoteValue(name)}`, `name ${quoteValue(name)}`, sameName.row, row);
    }
    byCode.set(code.toLowerCase(), { town, row });
    if (name !== '') byName.set(name, { town, row });
    towns.push(town);
  });
  return towns;
}

function columnIndexes(header: readonly string[]): Record<(typeof TOWN_COLUMNS)[number], number> {
  const names = header.map((h) => cleanValue(h.replace(/^\uFEFF/, '')).toLowerCase());
  const found = { code: -1, name: -1, population: -1 };
  for (const column of TOWN_COLUMNS) {
    found[column] = names.indexOf(column);
    if (found[column] < 0) {
      throw new ReferenceDataError(
        `${TOWNS_FILE} 缺少列 ${column} / ${TOWNS_FILE} lacks column "${column}"`,
        {
          file: TOWNS_FILE,
          column,
        },
      );
    }
  }
  return found;
}

function parsePopulation(value: string, row: number): number {
  if (/^\d{1,15}$/.test(value)) return Number(value);
  throw new ReferenceDataError(
    `${TOWNS_FILE} 第 ${row} 行人口 ${quoteValue(value)} 不是非负整数 / ${TOWNS_FILE} row ${row}: population ${quoteValue(value)} is not a non-negative integer`,
    { file: TOWNS_FILE, column: 'population', row },
  );
}

function conflict(zh: string, en: string, firstRow: number, row: number): ReferenceDataError {
  return new ReferenceDataError(
    `${TOWNS_FILE} 第 ${firstRow} 行与第 ${row} 行的${zh}重复 / ${TOWNS_FILE} rows ${firstRow} and ${row} give ${en} to different towns`,
    { file: TOWNS_FILE, row },
  );
}
