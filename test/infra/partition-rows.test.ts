import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PARTITION_ROWS,
  PARTITION_ROWS_CONTEXT_KEY,
  readPartitionRows,
} from '../../infra/partition-rows.ts';

describe('readPartitionRows', () => {
  it('defaults to 250000 rows', () => {
    // Prepare
    const app = new App();

    // Act
    const rows = readPartitionRows(app);

    // Assess
    expect(rows).toBe(DEFAULT_PARTITION_ROWS);
    expect(rows).toBe(250_000);
  });

  it.each([
    [100_000, 100_000],
    ['5000', 5000],
  ])('reads the payguard:partitionRows context %j', (value, expected) => {
    // Prepare
    const app = new App({ context: { [PARTITION_ROWS_CONTEXT_KEY]: value } });

    // Act
    const rows = readPartitionRows(app);

    // Assess
    expect(rows).toBe(expected);
  });

  it.each([0, -5, 1.5, '12k', '', '1e5', true])('refuses %j, naming the value and the fix', (value) => {
    // Prepare
    const app = new App({ context: { [PARTITION_ROWS_CONTEXT_KEY]: value } });

    // Act
    const read = () => readPartitionRows(app);

    // Assess
    expect(read).toThrow(
      `Context payguard:partitionRows=${JSON.stringify(value)} is not a row count; pass a positive whole number`,
    );
  });
});
