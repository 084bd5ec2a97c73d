import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { contractKeys } from './contract/bucket-keys.ts';
import { monthBefore, monthEnd } from './contract/calendar.ts';
import { CONTRACT_CATEGORIES } from './contract/categories.ts';
import { CHECK_CODES } from './contract/check-codes.ts';
import { CONTRACT_THRESHOLDS } from './contract/thresholds.ts';
import { yuan } from './contract/yuan.ts';

/**
 * The benches' baseline: the month of the data contract as plain DuckDB SQL over the same bucket
 * directory payguard runs on — a twin written from the contract alone (it imports nothing of the
 * pipeline), in four phases:
 *
 * - `staging`: the CSV rosters, registry, registers and partner folders read (`read_csv`) and typed
 *   into tables, skipping the rows staging skips (a date, month or amount that does not parse);
 * - `checks`: the rules of contract 3.3, written to `findings.csv` as `month, batch, row, id_number,
 *   category, code, severity` (no `detail` text);
 * - `release`: `release.csv` of contract 4 (every valid row without a BLOCK finding, batch then row,
 *   amounts with 2 decimals, CRLF lines) — byte for byte what payguard writes;
 * - `close-out`: the bank return files of the month judged by contract 3.4, written to
 *   `closeout.csv` as `payment_ref, code, released_amount, paid_amount` in payguard's row order (no
 *   `detail` text).
 *
 * Written for the bench's generated data: UTF-8 CSV only, values without padding (ASCII `trim`),
 * every folder has files, each batch has one roster with only valid rows, the registry has one row
 * per (id_number, category), no blank records, no `config/pipeline.json`.
 */

/** The phases, in the order they run. */
export const DUCKDB_PHASES = ['staging', 'checks', 'release', 'close-out'] as const;
export type DuckDbPhase = (typeof DUCKDB_PHASES)[number];

/** Output files of the twin, in `outDir`. */
export const DUCKDB_OUTPUTS = {
  findings: 'findings.csv',
  release: 'release.csv',
  closeout: 'closeout.csv',
} as const;

export interface DuckDbMonthOptions {
  /** The bucket directory (contract section 1 layout). */
  readonly dir: string;
  readonly month: string;
  /** Where the outputs go (see {@link DUCKDB_OUTPUTS}). */
  readonly outDir: string;
  readonly threads: number;
  /** @default - the contract's 2300.00 yuan */
  readonly employedContributionBaseFen?: number;
  /** @default - the contract's 1500.00 yuan */
  readonly pensionIncomeFen?: number;
}

const sq = (s: string) => `'${s.replaceAll("'", "''")}'`;
const AMOUNT = `'[0-9]+(\\.[0-9]{1,2})?'`;
const MONTH = `'[0-9]{4}-(0[1-9]|1[0-2])'`;
const DATE = `'[0-9]{4}-[0-9]{2}-[0-9]{2}'`;

/** Options of `read_csv` for every file: RFC 4180, header, every column text. */
const CSV = `header = true, delim = ',', quote = '"', escape = '"', all_varchar = true, null_padding = true, strict_mode = false, union_by_name = true`;
/** Options of every `COPY … TO`: header, CRLF lines (as payguard's CSV outputs). */
const CSV_OUT = `HEADER, DELIMITER ',', NEW_LINE '\\r\\n'`;

/** The SQL of each phase, statement by statement. */
export function duckdbMonthSql(o: DuckDbMonthOptions): Record<DuckDbPhase, string[]> {
  const file = (key: string) => sq(join(o.dir, key));
  const out = (name: string) => sq(join(o.outDir, name));
  const partnerFiles = (dataset: string) => file(`${contractKeys.partnerFolder(dataset)}*.csv`);
  const month = sq(o.month);
  const previous = sq(monthBefore(o.month));
  const categoryKeys = CONTRACT_CATEGORIES.flatMap((c) =>
    [c.code.toLowerCase(), ...c.labels].map(
      (key) => `(${sq(key)}, ${sq(c.code)}, ${c.meansTested}, ${c.exclusive})`,
    ),
  ).join(', ');
  const severities = CHECK_CODES.map(
    ([code, severity], rank) => `(${sq(code)}, ${sq(severity)}, ${rank})`,
  ).join(', ');
  const employed = yuan(o.employedContributionBaseFen ?? CONTRACT_THRESHOLDS.employedContributionBaseFen);
  const pension = yuan(o.pensionIncomeFen ?? CONTRACT_THRESHOLDS.pensionIncomeFen);
  return {
    staging: [
      `SET threads = ${o.threads}`,
      `SET preserve_insertion_order = true`,
      `CREATE TEMP TABLE category_keys AS SELECT * FROM (VALUES ${categoryKeys}) t(key, code, means_tested, exclusive)`,
      `CREATE TEMP TABLE severities AS SELECT * FROM (VALUES ${severities}) t(code, severity, rank)`,
      `CREATE TEMP TABLE town_keys AS
         SELECT lower(trim(code)) AS key, lower(trim(code)) AS code FROM read_csv(${file(contractKeys.towns)}, ${CSV})
         UNION ALL SELECT trim(name), lower(trim(code)) FROM read_csv(${file(contractKeys.towns)}, ${CSV})`,
      // Rosters: a CTAS keeps file order (preserve_insertion_order), so rowid gives the row number.
      `CREATE TEMP TABLE roster_raw AS
         SELECT * FROM read_csv(${file(`${contractKeys.rosterFolder(o.month)}*/*.csv`)}, ${CSV}, filename = true)`,
      `CREATE TEMP TABLE payees AS
         SELECT regexp_extract(r.filename, '/incoming/[^/]+/([^/]+)/[^/]+$', 1) AS batch,
                (r.rowid - min(r.rowid) OVER (PARTITION BY r.filename) + 1)::INTEGER AS row,
                upper(trim(r.id_number)) AS id, trim(r.name) AS name, trim(r.household_id) AS household,
                c.code AS category, c.means_tested, c.exclusive,
                CAST(trim(r.amount) AS DECIMAL(18, 2)) AS amount, t.code AS town,
                trim(r.account_number) AS account, upper(coalesce(trim(r.account_holder_id), '')) AS holder
         FROM roster_raw r
         JOIN category_keys c ON c.key = lower(trim(r.category))
         JOIN town_keys t ON t.key = lower(trim(r.town))`,
      `DROP TABLE roster_raw`,
      `CREATE TEMP TABLE registry AS
         SELECT upper(trim(r.id_number)) AS id, coalesce(trim(r.name), '') AS name, c.code AS category,
                CAST(trim(r.approved_amount) AS DECIMAL(18, 2)) AS approved, upper(trim(r.status)) AS status,
                coalesce(trim(r.town), '') AS town, coalesce(trim(r.account_number), '') AS account,
                coalesce(trim(r.valid_from), '') AS valid_from, coalesce(trim(r.valid_to), '') AS valid_to
         FROM read_csv(${file(contractKeys.registry)}, ${CSV}) r
         JOIN category_keys c ON c.key = lower(trim(r.category))
         WHERE coalesce(trim(r.id_number), '') <> ''
           AND regexp_full_match(trim(r.approved_amount), ${AMOUNT})
           AND upper(trim(r.status)) IN ('ACTIVE', 'SUSPENDED', 'TERMINATED')
           AND (r.valid_from IS NULL OR regexp_full_match(trim(r.valid_from), ${MONTH}))
           AND (r.valid_to IS NULL OR regexp_full_match(trim(r.valid_to), ${MONTH}))`,
      ...(
        [
          ['deaths', 'date_of_death'],
          ['cremations', 'cremation_date'],
        ] as const
      ).map(
        ([dataset, column]) => `CREATE TEMP TABLE ${dataset} AS
         SELECT id, d FROM (
           SELECT upper(trim(id_number)) AS id, trim(${column}) AS raw, TRY_CAST(trim(${column}) AS DATE) AS d
           FROM read_csv(${partnerFiles(dataset)}, ${CSV})
         ) WHERE id <> '' AND d IS NOT NULL AND regexp_full_match(raw, ${DATE})`,
      ),
      `CREATE TEMP TABLE business AS
         SELECT upper(trim(id_number)) AS id, upper(trim(status)) AS status
         FROM read_csv(${partnerFiles('business')}, ${CSV})
         WHERE coalesce(trim(id_number), '') <> ''`,
      `CREATE TEMP TABLE insurance AS
         SELECT upper(trim(id_number)) AS id, trim(month) AS month,
                CAST(nullif(trim(contribution_base), '') AS DECIMAL(18, 2)) AS base,
                CAST(nullif(trim(pension_amount), '') AS DECIMAL(18, 2)) AS pension
         FROM read_csv(${partnerFiles('social-insurance')}, ${CSV})
         WHERE coalesce(trim(id_number), '') <> '' AND regexp_full_match(trim(month), ${MONTH})
           AND (nullif(trim(contribution_base), '') IS NULL OR regexp_full_match(trim(contribution_base), ${AMOUNT}))
           AND (nullif(trim(pension_amount), '') IS NULL OR regexp_full_match(trim(pension_amount), ${AMOUNT}))`,
      `CREATE TEMP TABLE staff_relatives AS
         SELECT upper(trim(relative_id_number)) AS id, coalesce(trim(filed), '') AS filed
         FROM read_csv(${file(contractKeys.register('staff-relatives'))}, ${CSV})
         WHERE coalesce(trim(relative_id_number), '') <> ''`,
      `CREATE TEMP TABLE proxy AS
         SELECT DISTINCT trim(account_number) AS account, upper(trim(payee_id_number)) AS id
         FROM read_csv(${file(contractKeys.register('proxy-accounts'))}, ${CSV})
         WHERE coalesce(trim(account_number), '') <> '' AND coalesce(trim(payee_id_number), '') <> ''`,
    ],
    checks: [
      `CREATE TEMP TABLE first_death AS
         SELECT id, min(d) AS first FROM (SELECT * FROM deaths UNION ALL SELECT * FROM cremations) GROUP BY id`,
      `CREATE TEMP TABLE active_business AS SELECT DISTINCT id FROM business WHERE status = 'ACTIVE'`,
      `CREATE TEMP TABLE income AS
         SELECT id, bool_or(base >= ${employed}) AS employed, bool_or(pension >= ${pension}) AS pension
         FROM insurance WHERE month IN (${month}, ${previous}) GROUP BY id`,
      `CREATE TEMP TABLE unfiled_relatives AS SELECT DISTINCT id FROM staff_relatives WHERE filed NOT IN ('Y', 'y')`,
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
           FROM checked WHERE first_death <= DATE ${sq(monthEnd(o.month))}
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
       ) TO ${out(DUCKDB_OUTPUTS.findings)} (${CSV_OUT})`,
    ],
    release: [
      `CREATE TEMP TABLE released AS
         SELECT row_number() OVER (ORDER BY batch, row) AS seq,
                printf('%s-%s-%06d', ${month}, batch, row) AS payment_ref,
                batch, row, id, name, account, amount, category, town
         FROM payees p
         WHERE NOT EXISTS (
           SELECT 1 FROM findings f JOIN severities s USING (code)
           WHERE s.severity = 'BLOCK' AND f.batch = p.batch AND f.row = p.row)`,
      `COPY (
         SELECT payment_ref, batch, row, id AS id_number, name, account AS account_number, amount, category, town
         FROM released ORDER BY seq
       ) TO ${out(DUCKDB_OUTPUTS.release)} (${CSV_OUT})`,
    ],
    'close-out': [
      // Lines in order of file name, then line number (contract 3.4).
      `CREATE TEMP TABLE bank_raw AS
         SELECT * FROM read_csv(${file(`${contractKeys.bankReturnsFolder(o.month)}*.csv`)}, ${CSV}, filename = true)`,
      `CREATE TEMP TABLE bank_lines AS
         SELECT seq, ref, status, account, readable,
                CASE WHEN amount_ok THEN CAST(amount_text AS DECIMAL(18, 2)) END AS amount,
                CASE WHEN ref = '' THEN 0 ELSE row_number() OVER (PARTITION BY ref ORDER BY seq) END AS nth
         FROM (
           SELECT row_number() OVER (ORDER BY filename, rowid) AS seq,
                  coalesce(trim(payment_ref), '') AS ref, upper(coalesce(trim(status), '')) AS status,
                  coalesce(trim(account_number), '') AS account, coalesce(trim(amount), '') AS amount_text,
                  regexp_full_match(coalesce(trim(amount), ''), ${AMOUNT}) AS amount_ok,
                  coalesce(trim(payment_ref), '') <> '' AND amount_ok
                    AND upper(coalesce(trim(status), '')) IN ('SUCCESS', 'FAILED') AS readable
           FROM bank_raw)`,
      `DROP TABLE bank_raw`,
      // Each row with its sort key: released payment (release order, else after them), its verdict
      // before its duplicates, line order, then AMOUNT before ACCOUNT and INVALID before UNEXPECTED.
      `CREATE TEMP TABLE closeout AS
         WITH first_lines AS (
           SELECT r.seq AS r_seq, r.payment_ref, r.amount AS released, r.account AS r_account,
                  b.seq AS l_seq, b.readable, b.status, b.amount AS paid, b.account AS paid_account
           FROM released r LEFT JOIN bank_lines b ON b.ref = r.payment_ref AND b.nth = 1
         ),
         unreleased AS (
           SELECT b.* FROM bank_lines b
           WHERE b.nth >= 1 AND NOT EXISTS (SELECT 1 FROM released r WHERE r.payment_ref = b.ref)
         )
         SELECT r_seq, 0 AS part, 0 AS l_seq, 0 AS rank, payment_ref, 'NOT_RETURNED' AS code, released, NULL AS paid
           FROM first_lines WHERE l_seq IS NULL
         UNION ALL SELECT r_seq, 0, l_seq, 0, payment_ref, 'INVALID_RETURN', released, NULL
           FROM first_lines WHERE l_seq IS NOT NULL AND NOT readable
         UNION ALL SELECT r_seq, 0, l_seq, 0, payment_ref, 'PAYMENT_FAILED', released, NULL
           FROM first_lines WHERE readable AND status = 'FAILED'
         UNION ALL SELECT r_seq, 0, l_seq, 0, payment_ref, 'PAID_AMOUNT_MISMATCH', released, paid
           FROM first_lines WHERE readable AND status = 'SUCCESS' AND paid <> released
         UNION ALL SELECT r_seq, 0, l_seq, 1, payment_ref, 'PAID_ACCOUNT_MISMATCH', released, paid
           FROM first_lines WHERE readable AND status = 'SUCCESS' AND paid_account <> r_account
         UNION ALL SELECT r_seq, 0, l_seq, 0, payment_ref, 'PAID', released, paid
           FROM first_lines WHERE readable AND status = 'SUCCESS' AND paid = released AND paid_account = r_account
         UNION ALL SELECT r.seq, CASE WHEN r.seq IS NULL THEN 0 ELSE 1 END, b.seq, 0, b.ref, 'DUPLICATE_RETURN',
                r.amount, CASE WHEN b.readable AND b.status = 'SUCCESS' THEN b.amount END
           FROM bank_lines b LEFT JOIN released r ON r.payment_ref = b.ref WHERE b.nth > 1
         UNION ALL SELECT NULL, 0, seq, 0, ref, 'INVALID_RETURN', NULL, NULL
           FROM unreleased WHERE nth = 1 AND NOT readable
         UNION ALL SELECT NULL, 0, seq, 1, ref, 'UNEXPECTED_RETURN', NULL,
                CASE WHEN readable AND status = 'SUCCESS' THEN amount END
           FROM unreleased WHERE nth = 1
         UNION ALL SELECT NULL, 0, seq, 0, '', 'INVALID_RETURN', NULL, NULL FROM bank_lines WHERE ref = ''`,
      `COPY (
         SELECT nullif(payment_ref, '') AS payment_ref, code, released AS released_amount, paid AS paid_amount
         FROM closeout
         ORDER BY r_seq NULLS LAST, part, l_seq, rank
       ) TO ${out(DUCKDB_OUTPUTS.closeout)} (${CSV_OUT})`,
    ],
  };
}

/** What a run of the twin did. */
export interface DuckDbMonthResult {
  /** Seconds per phase that ran. */
  readonly phases: Partial<Record<DuckDbPhase, number>>;
  readonly findings?: number;
  readonly released?: number;
  readonly closeoutRows?: number;
}

/**
 * Runs the twin's phases (all by default, always from `staging`) on a fresh in-memory DuckDB with
 * `threads` threads, timing each.
 */
export async function duckdbMonth(
  o: DuckDbMonthOptions,
  phases: readonly DuckDbPhase[] = DUCKDB_PHASES,
): Promise<DuckDbMonthResult> {
  const sql = duckdbMonthSql(o);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const count = async (table: string) => {
    const reader = await connection.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM ${table}`);
    return Number(reader.getRowObjects()[0]?.n ?? 0);
  };
  try {
    const seconds: Partial<Record<DuckDbPhase, number>> = {};
    for (const phase of phases) {
      const started = performance.now();
      for (const statement of sql[phase]) await connection.run(statement);
      seconds[phase] = (performance.now() - started) / 1000;
    }
    return {
      phases: seconds,
      ...(phases.includes('checks') ? { findings: await count('findings') } : {}),
      ...(phases.includes('release') ? { released: await count('released') } : {}),
      ...(phases.includes('close-out') ? { closeoutRows: await count('closeout') } : {}),
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
