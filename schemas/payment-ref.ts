/**
 * The payment reference of a roster row (contract 4): `{month}-{batch}-{row, zero-padded to at
 * least 6 digits}`. Stable across re-runs, so a release sent twice never pays twice.
 * @example paymentRef('2026-10', 'shiqi', 12) // '2026-10-shiqi-000012'
 */
export function paymentRef(month: string, batch: string, row: number): string {
  return `${month}-${batch}-${String(row).padStart(6, '0')}`;
}
