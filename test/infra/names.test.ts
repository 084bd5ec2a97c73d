import { describe, expect, it } from 'vitest';
import { pascalCase } from '../../infra/names.ts';

describe('pascalCase', () => {
  it.each([
    ['register-upload', 'RegisterUpload'],
    ['ingest', 'Ingest'],
    ['month-run', 'MonthRun'],
    ['dataset-ingest', 'DatasetIngest'],
  ])('turns %s into %s', (kebab, expected) => {
    // Prepare
    const input = kebab;

    // Act
    const result = pascalCase(input);

    // Assess
    expect(result).toBe(expected);
  });

  it('refuses a name that is not kebab-case', () => {
    // Prepare
    const input = 'Register_Upload';

    // Act
    const convert = () => pascalCase(input);

    // Assess
    expect(convert).toThrow('"Register_Upload" is not a kebab-case name');
  });
});
