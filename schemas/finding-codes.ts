import { z } from 'zod';

/** Severity of a finding: BLOCK holds the payment, REVIEW goes to a case worker. */
export const SeveritySchema = z.enum(['BLOCK', 'REVIEW']);
export type Severity = z.infer<typeof SeveritySchema>;

/** File-level findings (contract 3.1), in the order they are tried. */
export const FILE_FINDING_CODES = [
  'UNREADABLE_FILE',
  'MISSING_COLUMNS',
  'EMPTY_FILE',
  'TOTAL_MISMATCH',
] as const;
export type FileFindingCode = (typeof FILE_FINDING_CODES)[number];

/** Row validation findings (contract 3.2). */
export const ROW_FINDING_CODES = [
  'INVALID_ID',
  'MISSING_FIELD',
  'INVALID_NAME',
  'INVALID_AMOUNT',
  'UNKNOWN_CATEGORY',
  'UNKNOWN_TOWN',
  'INVALID_ACCOUNT',
  'WRONG_MONTH',
] as const;
export type RowFindingCode = (typeof ROW_FINDING_CODES)[number];

/** Checks on valid rows (contract 3.3) with their severities. */
export const CHECK_SEVERITIES = {
  NOT_IN_REGISTRY: 'BLOCK',
  INACTIVE_IN_REGISTRY: 'BLOCK',
  AMOUNT_MISMATCH: 'BLOCK',
  TOWN_MISMATCH: 'BLOCK',
  ACCOUNT_MISMATCH: 'BLOCK',
  NAME_MISMATCH: 'REVIEW',
  DECEASED: 'BLOCK',
  DIED_IN_MONTH: 'REVIEW',
  DUPLICATE_PAYMENT: 'BLOCK',
  EXCLUSIVE_CATEGORIES: 'BLOCK',
  SHARED_ACCOUNT: 'REVIEW',
  UNFILED_PROXY_ACCOUNT: 'REVIEW',
  UNFILED_STAFF_RELATIVE: 'REVIEW',
  BUSINESS_OWNER: 'REVIEW',
  EMPLOYED: 'REVIEW',
  PENSION_INCOME: 'REVIEW',
  MISSING_PAYMENT: 'REVIEW',
} as const satisfies Record<string, Severity>;
export type CheckFindingCode = keyof typeof CHECK_SEVERITIES;

export type FindingCode = FileFindingCode | RowFindingCode | CheckFindingCode;

/** Every finding code in contract order: file level (3.1), row validation (3.2), checks (3.3). */
export const FINDING_CODE_ORDER = [
  ...FILE_FINDING_CODES,
  ...ROW_FINDING_CODES,
  ...(Object.keys(CHECK_SEVERITIES) as CheckFindingCode[]),
] as const satisfies readonly FindingCode[];

export const FindingCodeSchema = z.enum(FINDING_CODE_ORDER);

/** The contract's severity of every code. */
export function severityOf(code: FindingCode): Severity {
  return code in CHECK_SEVERITIES ? CHECK_SEVERITIES[code as CheckFindingCode] : 'BLOCK';
}
