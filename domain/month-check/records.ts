import type { CategoryCode } from '#schemas/categories.ts';
import type { DatasetRecord, DatasetRecordLists } from '#schemas/datasets.ts';

/**
 * The records the month check works on, after staging and loading (contract 2.1, 2.3): the payees,
 * and the records of each dataset, which its descriptor (`schemas/datasets/*.ts`) defines.
 * Money is integer fen; months are `YYYY-MM`; dates are `YYYY-MM-DD`. `source` is the bucket key
 * of the file a record came from: findings cite it as evidence.
 */

/** A valid roster row of the month (rows of accepted files without a validation finding). */
export interface PayeeRow {
  readonly batch: string;
  readonly row: number;
  /** Upper-cased, 18 characters. */
  readonly idNumber: string;
  readonly name: string;
  readonly householdId: string;
  readonly category: CategoryCode;
  readonly amountFen: number;
  /** Town code. */
  readonly town: string;
  readonly accountNumber: string;
  /** Empty when absent. */
  readonly accountHolderId: string;
}

/** A row of `reference/registry.csv` (see `schemas/datasets/registry.ts`). */
export type RegistryRow = DatasetRecord<'registry'>;

/** A death (police household registry) or cremation (funeral home) record. */
export type DeathRecord = DatasetRecord<'deaths'> | DatasetRecord<'cremations'>;

/** A business registration of `partners/business/`. */
export type BusinessRecord = DatasetRecord<'business'>;

/** A contribution or pension record of `partners/social-insurance/`. */
export type SocialInsuranceRecord = DatasetRecord<'social-insurance'>;

/** A row of `registers/staff-relatives.csv`. */
export type StaffRelativeRecord = DatasetRecord<'staff-relatives'>;

/** A row of `registers/proxy-accounts.csv`. */
export type ProxyAccountRecord = DatasetRecord<'proxy-accounts'>;

/** Thresholds of contract 2.3 / 3.3, in fen. */
export interface MonthCheckConfig {
  readonly month: string;
  /** Default 2300.00 yuan. */
  readonly employedContributionBaseFen: number;
  /** Default 1500.00 yuan. */
  readonly pensionIncomeFen: number;
}

/**
 * Everything one evaluation of the contract 3.3 rules needs. A partition holds every payee and
 * registry record of the people whose `idNumber` hashes to it and the partner and register
 * records of those of them paid this month; `sharedAccounts` is computed over ALL valid rows of
 * the month beforehand, because an account shared by two households crosses people.
 */
export interface MonthCheckInput {
  readonly config: MonthCheckConfig;
  readonly payees: readonly PayeeRow[];
  /** The records of every dataset, by dataset name. */
  readonly datasets: DatasetRecordLists;
  /** account number → the distinct household ids using it, for accounts used by two or more households. */
  readonly sharedAccounts: ReadonlyMap<string, readonly string[]>;
}
