import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { partnerFile, registerFile, registryFile, rosterUpload, townsFile } from '#schemas/bucket-layout.ts';
import { CATEGORIES } from '#schemas/categories.ts';
import { CHECK_SEVERITIES } from '#schemas/finding-codes.ts';
import { formatFen } from '#schemas/money.ts';
import { lastDayOfMonth, previousMonth } from '#schemas/month.ts';

/**
 * The baseline of the month-check bench: the rules of contract 3.3 as DuckDB SQL over the same
 * CSV inputs payguard stages (rosters, registry, registers, partner folders), writing the finding
 * set — `month, batch, row, id_number, category, code, severity`, without the detail text — as
 * CSV. It reads the raw CSV files (`read_csv`), applies the staging rules the bench data needs
 * (codes and labels, upper-cased IDs, rows skipped when a date, month or amount does not parse)
 * and joins. Written for the bench's generated data: values carry no padding (only ASCII `trim`),
 * every folder has files, each batch has one roster with only valid rows, the registry has one
 * row per (id_number, category).
 */

const sq = (s: string) => `'${s.replaceAll("'", "''")}'`;
const AMOUNT = `'[0-9]+(\\.[0-9]{1,2})?'`;
const MONTH = `'[0-9]{4}-(0[1-9]|1[0-2])'`;
const DATE = `'[0-9]{4}-[0-9]{2}-[0-9]{2}'`;

/** Options of `read_csv` for every file: RFC 4180, header, every column text. */
const CSV = `header = true, delim = ',', quote = '"', escape = '"', all_varchar = true, null_padding = true, strict_mode = false, union_by_name = true`;

export interface DuckDbMonthCheckOptions {
  readonly dir: string;
  readonly month: string;
  readonly outPath: string;
  readonly threads: number;
  readonly employedContributionBaseFen: number;
  readonly pensionIncomeFen: number;
}

/** The SQL script of the baseline, statement by statement. */
export function monthCheckSql(o: DuckDbMonthCheckOptions): string[] {
  const file = (key: string) => sq(join(o.dir, key));
  /** A partner folder's files, as a DuckDB glob. */
  const partnerFiles = (dataset: string) => `${partnerFile.folder({ dataset })}*.csv`;
  const month = sq(o.month);
  const previous = sq(previousMonth(o.month));
  const categoryKeys = CATEGORIES.flatMap((c) =>
    [c.code.toLowerCase(), ...c.labels].map(
      (key) => `(${sq(key)}, ${sq(c.code)}, ${c.meansTested}, ${c.exclusive})`,
    ),
  ).join(', ');
  const codes = Object.keys(CHECK_SEVERITIES);
  const severities = codes
    .map(
      (code, rank) =>
        `(${sq(code)}, ${sq(CHECK_SEVERITIES[code as keyof typeof CHECK_SEVERITIES])}, ${rank})`,
    )
    .join(', ');
  const employed = formatFen(o.employedContributionBaseFen);
  const pension = formatFen(o.pensionIncomeFen);
  return [
    `SET threads = ${o.threads}`,
    `SET preserve_insertion_order = true`,
    `CREATE TEMP TABLE category_keys AS SELECT * FROM (VALUES ${categoryKeys}) t(key, code, means_tested, exclusive)`,
    `CREATE TEMP TABLE severities AS SELECT * FROM (VALUES ${severities}) t(code, severity, rank)`,
    `CREATE TEMP TABLE town_keys AS
       SELECT lower(trim(code)) AS key, lower(trim(code)) AS code FROM read_csv(${file(townsFile.key())}, ${CSV})
       UNION ALL SELECT trim(name), lower(trim(code)) FROM read_csv(${file(townsFile.key())}, ${CSV})`,
    // Rosters: a CTAS keeps file order (preserve_insertion_order), so rowid gives the row number.
    `CREATE TEMP TABLE roster_raw AS
       SELECT * FROM read_csv(${file(`${rosterUpload.folder({ month: o.month })}*/*.csv`)}, ${CSV}, filename = true)`,
    `CREATE TEMP TABLE payees AS
       SELECT regexp_extract(r.filename, '/${rosterUpload.root}[^/]+/([^/]+)/[^/]+$', 1) AS batch,
              (r.rowid - min(r.rowid) OVER (PARTITION BY r.filename) + 1)::INTEGER AS row,
              upper(trim(r.id_number)) AS id, trim(r.name) AS name, trim(r.household_id) AS household,
              c.code AS category, c.means_tested, c.exclusive,
              CAST(trim(r.amount) AS DECIMAL(18, 2)) AS amount, t.code AS town,
              trim(r.account_number) AS account, upper(coalesce(trim(r.account_holder_id), '')) AS holder
       FROM roster_raw r
       JOIN category_keys c ON c.key = lower(trim(r.category))
       JOIN town_keys t ON t.key = lower(trim(r.town))`,
    `CREATE TEMP TABLE registry AS
       SELECT upper(trim(r.id_number)) AS id, coalesce(trim(r.name), '') AS name, c.code AS category,
              CAST(trim(r.approved_amount) AS DECIMAL(18, 2)) AS approved, upper(trim(r.status)) AS status,
              coalesce(trim(r.town), '') AS town, coalesce(trim(r.account_number), '') AS account,
              coalesce(trim(r.valid_from), '') AS valid_from, coalesce(trim(r.valid_to), '') AS valid_to
       FROM read_csv(${file(registryFile.key())}, ${CSV}) r
       JOIN category_keys c ON c.key = lower(trim(r.category))
       WHERE coalesce(trim(r.id_number), '') <> ''
         AND regexp_full_match(trim(r.approved_amount), ${AMOUNT})
         AND upper(trim(r.status)) IN ('ACTIVE', 'SUSPENDED', 'TERMINATED')
         AND (r.valid_from IS NULL OR regexp_full_match(trim(r.valid_from), ${MONTH}))
         AND (r.valid_to IS NULL OR regexp_full_match(trim(r.valid_to), ${MONTH}))`,
    `CREATE TEMP TABLE first_death AS
       SELECT id, min(d) AS first FROM (
         SELECT upper(trim(id_number)) AS id, trim(date_of_death) AS raw, TRY_CAST(trim(date_of_death) AS DATE) AS d
         FROM read_csv(${file(partnerFiles('deaths'))}, ${CSV})
         UNION ALL
         SELECT upper(trim(id_number)), trim(cremation_date), TRY_CAST(trim(cremation_date) AS DATE)
         FROM read_csv(${file(partnerFiles('cremations'))}, ${CSV})
       ) WHERE id <> '' AND d IS NOT NULL AND regexp_full_match(raw, ${DATE})
       GROUP BY id`,
    `CREATE TEMP TABLE active_business AS
       SELECT DISTINCT upper(trim(id_number)) AS id FROM read_csv(${file(partnerFiles('business'))}, ${CSV})
       WHERE coalesce(trim(id_number), '') <> '' AND upper(trim(status)) = 'ACTIVE'`,
    `CREATE TEMP TABLE income AS
       SELECT id, bool_or(base >= ${employed}) AS employed, bool_or(pension >= ${pension}) AS pension FROM (
         SELECT upper(trim(id_number)) AS id, trim(month) AS m,
                nullif(trim(contribution_base), '') AS base_text, nullif(trim(pension_amount), '') AS pension_text,
                CAST(base_text AS DECIMAL(18, 2)) AS base, CAST(pension_text AS DECIMAL(18, 2)) AS pension
         FROM (SELECT * FROM read_csv(${file(partnerFiles('social-insurance'))}, ${CSV})
               WHERE coalesce(trim(id_number), '') <> '' AND regexp_full_match(trim(month), ${MONTH})
                 AND (nullif(trim(contribution_base), '') IS NULL OR regexp_full_match(trim(contribution_base), ${AMOUNT}))
                 AND (nullif(trim(pension_amount), '') IS NULL OR regexp_full_match(trim(pension_amount), ${AMOUNT})))
       ) WHERE m IN (${month}, ${previous})
       GROUP BY id`,
    `CREATE TEMP TABLE unfiled_relatives AS
       SELECT DISTINCT upper(trim(relative_id_number)) AS id FROM read_csv(${file(registerFile.key({ register: 'staff-relatives' }))}, ${CSV})
       WHERE coalesce(trim(relative_id_number), '') <> '' AND coalesce(trim(filed), '') NOT IN ('Y', 'y')`,
    `CREATE TEMP TABLE proxy AS
       SELECT DISTINCT trim(account_number) AS account, upper(trim(payee_id_number)) AS id
       FROM read_csv(${file(registerFile.key({ register: 'proxy-accounts' }))}, ${CSV})
       WHERE coalesce(trim(account_number), '') <> '' AND coalesce(trim(payee_id_number), '') <> ''`,
    `CREATE TEMP TABLE shared AS
       SELECT account FROM payees GROUP BY account HAVING count(DISTINCT household) >= 2`,
    `CREATE TEMP TABLE exclusive_people AS
       SELECT id FROM payees WHERE exclusive GROUP BY id HAVING count(DISTINCT category) >= 2`,
    `CREATE TEMP TABLE checked AS
       SELECT p.*, r.id IS NOT NULL AS registered, r.status AS r_status, r.valid_from, r.valid_to,
              r.approved, r.town AS r_town, r.account AS r_account, r.name AS r_name,
              count(*) OVER (PARTITION BY p.id, p.category) AS same_category_rows,
              d.first AS first_death,
              p.id IN (SELECT id FROM exclusive_people) AS exclusive_person,
              EXISTS (SELECT 1 FROM proxy x WHERE x.account = p.account AND x.id = p.id) AS filed_proxy
       FROM payees p
       LEFT JOIN registry r ON r.id = p.id AND r.category = p.category
       LEFT JOIN first_death d ON d.id = p.id`,
    `CREATE TEMP TABLE findings AS
       SELECT batch, row, id, category, 'NOT_IN_REGISTRY' AS code FROM checked WHERE NOT registered
       UNION ALL SELECT batch, row, id, category, 'INACTIVE_IN_REGISTRY' FROM checked
         WHERE registered AND (r_status <> 'ACTIVE' OR (valid_from <> '' AND valid_from > ${month})
                               OR (valid_to <> '' AND valid_to < ${month}))
       UNION ALL SELECT batch, row, id, category, 'AMOUNT_MISMATCH' FROM checked WHERE registered AND amount <> approved
       UNION ALL SELECT batch, row, id, category, 'TOWN_MISMATCH' FROM checked WHERE registered AND town <> lower(r_town)
       UNION ALL SELECT batch, row, id, category, 'ACCOUNT_MISMATCH' FROM checked WHERE registered AND account <> r_account
       UNION ALL SELECT batch, row, id, category, 'NAME_MISMATCH' FROM checked WHERE registered AND name <> r_name
       UNION ALL SELECT batch, row, id, category,
           CASE WHEN first_death < DATE ${sq(`${o.month}-01`)} THEN 'DECEASED' ELSE 'DIED_IN_MONTH' END
         FROM checked WHERE first_death <= DATE ${sq(lastDayOfMonth(o.month))}
       UNION ALL SELECT batch, row, id, category, 'DUPLICATE_PAYMENT' FROM checked WHERE same_category_rows > 1
       UNION ALL SELECT batch, row, id, category, 'EXCLUSIVE_CATEGORIES' FROM checked WHERE exclusive AND exclusive_person
       UNION ALL SELECT batch, row, id, category, 'SHARED_ACCOUNT' FROM checked
         WHERE account IN (SELECT account FROM shared) AND NOT filed_proxy
       UNION ALL SELECT batch, row, id, category, 'UNFILED_PROXY_ACCOUNT' FROM checked
         WHERE holder <> '' AND holder <> id AND NOT filed_proxy
       UNION ALL SELECT batch, row, id, category, 'UNFILED_STAFF_RELATIVE' FROM checked
         WHERE id IN (SELECT id FROM unfiled_relatives)
       UNION ALL SELECT batch, row, id, category, 'BUSINESS_OWNER' FROM checked
         WHERE means_tested AND id IN (SELECT id FROM active_business)
       UNION ALL SELECT batch, row, id, category, 'EMPLOYED' FROM checked
         WHERE means_tested AND id IN (SELECT id FROM income WHERE employed)
       UNION ALL SELECT batch, row, id, category, 'PENSION_INCOME' FROM checked
         WHERE means_tested AND id IN (SELECT id FROM income WHERE pension)
       UNION ALL SELECT DISTINCT '', NULL, r.id, r.category, 'MISSING_PAYMENT' FROM registry r
         WHERE r.status = 'ACTIVE' AND (r.valid_from = '' OR r.valid_from <= ${month})
           AND (r.valid_to = '' OR r.valid_to >= ${month})
           AND NOT EXISTS (SELECT 1 FROM payees p WHERE p.id = r.id AND p.category = r.category)`,
    `COPY (
       SELECT ${month} AS month, f.batch, f.row, f.id AS id_number, f.category, f.code, s.severity
       FROM findings f JOIN severities s USING (code)
       ORDER BY f.batch = '', f.batch, f.row, f.id, s.rank, f.category
     ) TO ${sq(o.outPath)} (HEADER, DELIMITER ',')`,
  ];
}

/**
 * Runs the baseline: a fresh in-memory DuckDB with `threads` threads.
 * @returns the number of findings written.
 */
export async function duckdbMonthCheck(o: DuckDbMonthCheckOptions): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    for (const statement of monthCheckSql(o)) await connection.run(statement);
    const reader = await connection.runAndReadAll('SELECT count(*)::INTEGER AS n FROM findings');
    return Number(reader.getRowObjects()[0]?.n ?? 0);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
