/**
 * A payment's `payment_ref` of contract 4: `{month}-{batch}-{row, zero-padded to at least 6 digits}`.
 * @example paymentRefOf('2026-10', 'shiqi', 12) // '2026-10-shiqi-000012'
 */
export function paymentRefOf(month: string, batch: string, row: number): string {
  return `${month}-${batch}-${String(row).padStart(6, '0')}`;
}
