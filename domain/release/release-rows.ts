import type { PayeeRow } from '#domain/month-check/records.ts';

/** `batch#row`: how a held row is keyed. */
export const rowKey = (batch: string, row: number) => `${batch}#${row}`;

/**
 * The rows to release (contract 4: every valid row with no BLOCK finding), in the order given
 * (batch, then row).
 */
export function releaseRows(payees: readonly PayeeRow[], held: ReadonlySet<string>): PayeeRow[] {
  return payees.filter((p) => !held.has(rowKey(p.batch, p.row)));
}
