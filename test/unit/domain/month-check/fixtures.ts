import type {
  BusinessRecord,
  MonthCheckInput,
  PayeeRow,
  ProxyAccountRecord,
  RegistryRow,
  SocialInsuranceRecord,
  StaffRelativeRecord,
} from '#domain/month-check/records.ts';
import { sharedAccounts } from '#domain/month-check/shared-accounts.ts';
import type { DatasetDescriptor } from '#schemas/dataset-descriptor.ts';
import type { DatasetName, DatasetRecord, DatasetRecordLists } from '#schemas/datasets.ts';
import { DATASET_NAMES, DATASETS } from '#schemas/datasets.ts';
import type { Finding } from '#schemas/finding.ts';
import { idBornOn } from '../fixtures.ts';

export const MONTH = '2026-10';

/** Valid IDs of different people. */
export const ID_A = idBornOn('19800101', '123');
export const ID_B = idBornOn('19750505', '456');
export const ID_C = idBornOn('19601231', '789');

export const ACCOUNT_A = '6222020200001234567';
export const ACCOUNT_B = '6222020200009876543';

/** A valid roster row of person A in `shiqi`, DIBAO 1180.00. */
export function payee(overrides: Partial<PayeeRow> = {}): PayeeRow {
  return {
    batch: 'shiqi',
    row: 1,
    idNumber: ID_A,
    name: '张三',
    householdId: 'H001',
    category: 'DIBAO',
    amountFen: 118_000,
    town: 'shiqi',
    accountNumber: ACCOUNT_A,
    accountHolderId: '',
    ...overrides,
  };
}

/** The registry row that matches `row` exactly: ACTIVE, valid from 2025-01, open end. */
export function registryFor(row: PayeeRow, overrides: Partial<RegistryRow> = {}): RegistryRow {
  return {
    idNumber: row.idNumber,
    name: row.name,
    householdId: row.householdId,
    category: row.category,
    approvedAmountFen: row.amountFen,
    status: 'ACTIVE',
    town: row.town,
    accountNumber: row.accountNumber,
    validFrom: '2025-01',
    validTo: '',
    source: 'reference/registry.csv',
    line: 17,
    ...overrides,
  };
}

export function death(overrides: Partial<DatasetRecord<'deaths'>> = {}): DatasetRecord<'deaths'> {
  return {
    idNumber: ID_A,
    date: '2026-09-14',
    kind: 'death',
    source: 'partners/deaths/2026-10.csv',
    ...overrides,
  };
}

export function cremation(overrides: Partial<DatasetRecord<'cremations'>> = {}): DatasetRecord<'cremations'> {
  return {
    idNumber: ID_A,
    date: '2026-09-16',
    kind: 'cremation',
    source: 'partners/cremations/home-1.csv',
    ...overrides,
  };
}

export function business(overrides: Partial<BusinessRecord> = {}): BusinessRecord {
  return {
    idNumber: ID_A,
    companyName: '某某商行',
    creditCode: '91442000MA51234567',
    role: '法定代表人',
    status: 'ACTIVE',
    source: 'partners/business/2026.csv',
    ...overrides,
  };
}

export function socialInsurance(overrides: Partial<SocialInsuranceRecord> = {}): SocialInsuranceRecord {
  return {
    idNumber: ID_A,
    month: MONTH,
    employer: '某某厂',
    contributionBaseFen: undefined,
    pensionAmountFen: undefined,
    source: 'partners/social-insurance/2026-10.csv',
    ...overrides,
  };
}

export function staffRelative(overrides: Partial<StaffRelativeRecord> = {}): StaffRelativeRecord {
  return {
    staffId: 'S001',
    staffName: '王五',
    relativeIdNumber: ID_A,
    relation: '配偶',
    filed: false,
    source: 'registers/staff-relatives.csv',
    ...overrides,
  };
}

export function proxyAccount(overrides: Partial<ProxyAccountRecord> = {}): ProxyAccountRecord {
  return {
    accountNumber: ACCOUNT_A,
    payeeIdNumber: ID_A,
    holderIdNumber: ID_B,
    filedDate: '2025-03-01',
    source: 'registers/proxy-accounts.csv',
    ...overrides,
  };
}

/** A month-check input's parts, each dataset's records under the dataset's name. */
export type MonthInputParts = Partial<Omit<MonthCheckInput, 'datasets'>> & Partial<DatasetRecordLists>;

/**
 * A month-check input with the given records, the rest empty; default thresholds 2300.00 and
 * 1500.00; `sharedAccounts` computed from the payees unless given.
 */
export function monthInput(parts: MonthInputParts = {}): MonthCheckInput {
  const payees = parts.payees ?? [];
  return {
    config: parts.config ?? { month: MONTH, employedContributionBaseFen: 230_000, pensionIncomeFen: 150_000 },
    payees,
    datasets: Object.fromEntries(
      DATASET_NAMES.map((name) => [name, parts[name] ?? []]),
    ) as unknown as DatasetRecordLists,
    sharedAccounts: parts.sharedAccounts ?? sharedAccounts(payees),
  };
}

/** Payees each with its matching registry row, plus the other records given. */
export function registeredInput(payees: readonly PayeeRow[], parts: MonthInputParts = {}): MonthCheckInput {
  return monthInput({ registry: payees.map((p) => registryFor(p)), ...parts, payees });
}

/** `input` with `datasets[name]` replaced. */
export function withRecords<N extends DatasetName>(
  input: MonthCheckInput,
  name: N,
  records: readonly DatasetRecord<N>[],
): MonthCheckInput {
  return { ...input, datasets: { ...input.datasets, [name]: records } };
}

/**
 * `input` with only the dataset records whose person (the descriptor's `personOf`) `keep`
 * accepts, in the datasets named (all by default).
 */
export function keepPeople(
  input: MonthCheckInput,
  keep: (idNumber: string) => boolean,
  names: readonly DatasetName[] = DATASET_NAMES,
): MonthCheckInput {
  const datasets = { ...input.datasets } as Record<DatasetName, readonly object[]>;
  for (const name of names) {
    const { personOf }: DatasetDescriptor = DATASETS[name];
    datasets[name] = input.datasets[name].filter((record) => keep(personOf(record as never)));
  }
  return { ...input, datasets: datasets as unknown as DatasetRecordLists };
}

/** The findings of one code. */
export function withCode(findings: readonly Finding[], code: string): Finding[] {
  return findings.filter((f) => f.code === code);
}

/** `batch:row:code` of every finding, for compact assertions. */
export function keys(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.batch}:${f.row ?? ''}:${f.code}`);
}
