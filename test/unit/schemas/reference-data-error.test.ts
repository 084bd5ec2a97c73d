import { describe, expect, it } from 'vitest';
import { ReferenceDataError } from '#schemas/reference-data-error.ts';

describe('ReferenceDataError', () => {
  it('is a named Error that may carry only a message', () => {
    // Act
    const error = new ReferenceDataError('reference/towns.csv is missing');

    // Assess
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ReferenceDataError');
    expect(error.file).toBeUndefined();
    expect(String(error)).toBe('ReferenceDataError: reference/towns.csv is missing');
  });

  it('carries where the problem is', () => {
    // Act
    const error = new ReferenceDataError('bad population', {
      file: 'reference/towns.csv',
      column: 'population',
      row: 3,
    });

    // Assess
    expect(error).toMatchObject({ file: 'reference/towns.csv', column: 'population', row: 3 });
  });
});
