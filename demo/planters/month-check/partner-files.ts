import type { DatasetName } from '#demo/oracle.ts';
import { addMonths, type Rng } from '#demo/people.ts';
import { partnerFile, registerFile } from '#schemas/bucket-layout.ts';
import type { PartnerRecords } from './partner-records.ts';
import { shuffled } from './planter.ts';

/** A register or partner file to write. */
export interface PartnerFile {
  key: string;
  dataset: DatasetName;
  header: string[];
  rows: string[][];
  encoding: 'utf8' | 'utf8-bom' | 'gb18030';
  eol: '\n' | '\r\n';
  note: string;
}

/**
 * The register and partner files of the records planted for `month`, in the layouts, encodings
 * and orders the bureau and the agencies export them in (which the checks must not depend on).
 */
export function partnerFiles(records: PartnerRecords, month: string, rng: Rng): PartnerFile[] {
  const prev = addMonths(month, -1);
  const prev2 = addMonths(month, -2);
  const {
    staff,
    proxy,
    deathsBefore,
    deathsNow,
    cremations,
    business,
    insuranceNow,
    insuranceBefore,
    insuranceEarlier,
  } = records;
  // As the agencies export them: staff relatives by staff ID, deaths and cremations by date, the
  // other datasets in no order.
  const byColumn = (at: number) => (x: string[], y: string[]) =>
    (x[at] ?? '') < (y[at] ?? '') ? -1 : (x[at] ?? '') > (y[at] ?? '') ? 1 : 0;
  staff.sort(byColumn(0));
  for (const rows of [deathsBefore, deathsNow, cremations]) rows.sort(byColumn(2));
  for (const rows of [business, insuranceNow, insuranceBefore, insuranceEarlier, proxy])
    rows.splice(0, rows.length, ...shuffled(rows, rng));

  return [
    {
      key: registerFile.key({ register: 'staff-relatives' }),
      dataset: 'staff-relatives',
      header: ['staff_id', 'staff_name', 'relative_id_number', 'relation', 'filed', 'filed_date'],
      rows: staff,
      encoding: 'utf8',
      eol: '\n',
      note: `${staff.length} rows: filed Y and y, unfiled N and empty, one relative filed by one staff member and not by another`,
    },
    {
      key: registerFile.key({ register: 'proxy-accounts' }),
      dataset: 'proxy-accounts',
      header: ['account_number', 'payee_id_number', 'holder_id_number', 'filed_date'],
      rows: proxy,
      encoding: 'utf8',
      eol: '\r\n',
      note: `${proxy.length} filed proxy cases (one exempts a payee of a shared account, one is for a payee's previous card)`,
    },
    {
      key: partnerFile.key({ dataset: 'deaths', file: `${prev}.csv` }),
      dataset: 'deaths',
      header: ['id_number', 'name', 'date_of_death', 'registry_office'],
      rows: deathsBefore,
      encoding: 'gb18030',
      eol: '\r\n',
      note: `GB18030, CRLF, an extra column registry_office; ${deathsBefore.length} deaths of ${prev}`,
    },
    {
      key: partnerFile.key({ dataset: 'deaths', file: `${month}.csv` }),
      dataset: 'deaths',
      header: ['id_number', 'name', 'date_of_death'],
      rows: deathsNow,
      encoding: 'utf8',
      eol: '\n',
      note: `${deathsNow.length} deaths, late registrations of ${prev} included; one impossible date (skipped)`,
    },
    {
      key: partnerFile.key({ dataset: 'cremations', file: `${month}.csv` }),
      dataset: 'cremations',
      header: ['ID_NUMBER', 'NAME', 'CREMATION_DATE', 'FUNERAL_HOME'],
      rows: cremations,
      encoding: 'utf8',
      eol: '\n',
      note: `upper-case headers; ${cremations.length} cremations of ${prev} and ${month}; one dated "unknown" (skipped)`,
    },
    {
      key: partnerFile.key({ dataset: 'business', file: `${month}.csv` }),
      dataset: 'business',
      header: ['company_name', 'credit_code', 'id_number', 'role', 'status'],
      rows: business,
      encoding: 'utf8-bom',
      eol: '\r\n',
      note: `UTF-8 with BOM, CRLF, columns in another order; ${business.length} registrations (ACTIVE, CANCELLED, REVOKED)`,
    },
    {
      key: partnerFile.key({ dataset: 'social-insurance', file: `${prev2}.csv` }),
      dataset: 'social-insurance',
      header: ['id_number', 'month', 'employer', 'contribution_base', 'pension_amount'],
      rows: insuranceEarlier,
      encoding: 'utf8',
      eol: '\n',
      note: `${insuranceEarlier.length} records of ${prev2} (too early to count)`,
    },
    {
      key: partnerFile.key({ dataset: 'social-insurance', file: `${prev}.csv` }),
      dataset: 'social-insurance',
      header: ['id_number', 'month', 'employer', 'contribution_base', 'pension_amount'],
      rows: insuranceBefore,
      encoding: 'utf8',
      eol: '\n',
      note: `${insuranceBefore.length} records of ${prev}`,
    },
    {
      key: partnerFile.key({ dataset: 'social-insurance', file: `${month}.csv` }),
      dataset: 'social-insurance',
      header: ['id_number', 'employer', 'month', 'pension_amount', 'contribution_base'],
      rows: insuranceNow.map(([id, m, employer, base, pension]) => [
        id ?? '',
        employer ?? '',
        m ?? '',
        pension ?? '',
        base ?? '',
      ]),
      encoding: 'utf8',
      eol: '\n',
      note: `columns in another order; ${insuranceNow.length} records (one back-dated to ${prev2}, one amount "#VALUE!" skipped)`,
    },
  ];
}
