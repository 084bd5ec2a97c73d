import type { Construct } from 'constructs';

/** Context key setting the rows per month-run partition (`cdk synth -c payguard:partitionRows=100000`). */
export const PARTITION_ROWS_CONTEXT_KEY = 'payguard:partitionRows';

/** Rows per partition when the context does not set them. */
export const DEFAULT_PARTITION_ROWS = 250_000;

/**
 * Reads the rows per month-run partition from the `payguard:partitionRows` context: a positive
 * whole number, given as a number (`cdk.json`) or as decimal digits (`-c` on the command line).
 *
 * @default 250000 when the context key is absent
 */
export function readPartitionRows(scope: Construct): number {
  const value: unknown = scope.node.tryGetContext(PARTITION_ROWS_CONTEXT_KEY) ?? DEFAULT_PARTITION_ROWS;
  const rows = typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value;
  if (typeof rows !== 'number' || !Number.isSafeInteger(rows) || rows < 1) {
    throw new Error(
      `Context ${PARTITION_ROWS_CONTEXT_KEY}=${JSON.stringify(value)} is not a row count; ` +
        `pass a positive whole number, e.g. -c ${PARTITION_ROWS_CONTEXT_KEY}=${DEFAULT_PARTITION_ROWS}`,
    );
  }
  return rows;
}
