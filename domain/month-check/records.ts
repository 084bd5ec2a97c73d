import type { CategoryCode } from '#schemas/categories.ts';

/**
 * The records the month check works on, after staging and loading (contract 2.1, 2.3).
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

export type RegistryStatus = 'ACTIVE' | 'SUSPENDED' | 'TERMINATED';

/** A row of `reference/registry.csv`; at most one per (idNumber, category). */
export interface RegistryRow {
  readonly idNumber: string;
  readonly name: string;
  readonly householdId: string;
  readonly category: CategoryCode;
  readonly approvedAmountFen: number;
  readonly status: RegistryStatus;
  readonly town: string;
  readonly accountNumber: string;
  /** Empty = open start. */
  readonly validFrom: string;
  /** Empty = open end. */
  readonly validTo: string;
  readonly source: string;
  /** 1-based record number in its file. */
  readonly line: number;
}

/** A death (police household registry) or cremation (funeral home) record. */
export interface DeathRecord {
  readonly idNumber: string;
  readonly date: string;
  readonly kind: 'death' | 'cremation';
  readonly source: string;
}

export interface BusinessRecord {
  readonly idNumber: string;
  readonly companyName: string;
  readonly creditCode: string;
  readonly role: string;
  readonly status: 'ACTIVE' | 'CANCELLED' | 'REVOKED' | string;
  readonly source: string;
}

export interface SocialInsuranceRecord {
  readonly idNumber: string;
  readonly month: string;
  readonly employer: string;
  /** Undefined when the file's value is empty. */
  readonly contributionBaseFen: number | undefined;
  readonly pensionAmountFen: number | undefined;
  readonly source: string;
}

/** A row of `registers/staff-relatives.csv`. */
export interface StaffRelativeRecord {
  readonly staffId: string;
  readonly staffName: string;
  readonly relativeIdNumber: string;
  readonly relation: string;
  /** `filed` is `Y` or `y`. */
  readonly filed: boolean;
  readonly source: string;
}

/** A row of `registers/proxy-accounts.csv`. */
export interface ProxyAccountRecord {
  readonly accountNumber: string;
  readonly payeeIdNumber: string;
  readonly holderIdNumber: string;
  readonly filedDate: string;
  readonly source: string;
}

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
  readonly registry: readonly RegistryRow[];
  readonly deaths: readonly DeathRecord[];
  readonly business: readonly BusinessRecord[];
  readonly socialInsurance: readonly SocialInsuranceRecord[];
  readonly staffRelatives: readonly StaffRelativeRecord[];
  readonly proxyAccounts: readonly ProxyAccountRecord[];
  /** account number → the distinct household ids using it, for accounts used by two or more households. */
  readonly sharedAccounts: ReadonlyMap<string, readonly string[]>;
}
