/**
 * The finding codes of contract 3.3 with their severity, in the contract's order (the order
 * `findings.csv` lists a row's findings in), as the bench spells them.
 */
export const CHECK_CODES: readonly (readonly [code: string, severity: 'BLOCK' | 'REVIEW'])[] = [
  ['NOT_IN_REGISTRY', 'BLOCK'],
  ['INACTIVE_IN_REGISTRY', 'BLOCK'],
  ['AMOUNT_MISMATCH', 'BLOCK'],
  ['TOWN_MISMATCH', 'BLOCK'],
  ['ACCOUNT_MISMATCH', 'BLOCK'],
  ['NAME_MISMATCH', 'REVIEW'],
  ['DECEASED', 'BLOCK'],
  ['DIED_IN_MONTH', 'REVIEW'],
  ['DUPLICATE_PAYMENT', 'BLOCK'],
  ['EXCLUSIVE_CATEGORIES', 'BLOCK'],
  ['SHARED_ACCOUNT', 'REVIEW'],
  ['UNFILED_PROXY_ACCOUNT', 'REVIEW'],
  ['UNFILED_STAFF_RELATIVE', 'REVIEW'],
  ['BUSINESS_OWNER', 'REVIEW'],
  ['EMPLOYED', 'REVIEW'],
  ['PENSION_INCOME', 'REVIEW'],
  ['MISSING_PAYMENT', 'REVIEW'],
];
