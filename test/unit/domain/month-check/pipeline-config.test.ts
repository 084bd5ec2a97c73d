import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PIPELINE_CONFIG,
  PipelineConfigError,
  parsePipelineConfig,
} from '#domain/month-check/pipeline-config.ts';

function configError(text: string): PipelineConfigError {
  try {
    parsePipelineConfig(text);
  } catch (error) {
    if (error instanceof PipelineConfigError) return error;
    throw error;
  }
  throw new Error(`expected a PipelineConfigError for ${text}`);
}

describe('parsePipelineConfig', () => {
  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['white space and a BOM', '\uFEFF \n'],
    ['an empty object', '{}'],
  ])('gives the defaults when the file is %s', (_, text) => {
    // Act
    const config = parsePipelineConfig(text);

    // Assess
    expect(config).toEqual({
      employedContributionBaseFen: 230_000,
      pensionIncomeFen: 150_000,
      expectedBatches: undefined,
      fourEyesThresholdFen: 50_000_000,
      approvalLinkHours: 72,
      caseOverdueDays: 15,
    });
    expect(config).toEqual(DEFAULT_PIPELINE_CONFIG);
  });

  it('overrides the defaults with the keys given, yuan to fen', () => {
    // Prepare
    const text =
      '{"employedContributionBase": 2500, "pensionIncome": 1600.5, "expectedBatches": ["shiqi", "dq-02"], "fourEyesThreshold": 100000.5, "approvalLinkHours": 24, "caseOverdueDays": 10}';

    // Act
    const config = parsePipelineConfig(text);

    // Assess
    expect(config).toEqual({
      employedContributionBaseFen: 250_000,
      pensionIncomeFen: 160_050,
      expectedBatches: ['shiqi', 'dq-02'],
      fourEyesThresholdFen: 10_000_050,
      approvalLinkHours: 24,
      caseOverdueDays: 10,
    });
  });

  it.each([
    ['1234.56', 123_456],
    ['0.29', 29],
    ['2300.10', 230_010],
    ['4.35', 435],
    ['0', 0],
    ['1e3', 100_000],
  ])('converts %s yuan to exactly %i fen, without float arithmetic', (yuan, fen) => {
    // Act
    const config = parsePipelineConfig(`{"pensionIncome": ${yuan}}`);

    // Assess
    expect(config.pensionIncomeFen).toBe(fen);
  });

  it('keeps the other defaults and ignores keys it does not know', () => {
    // Act
    const config = parsePipelineConfig('{"pensionIncome": 1000, "anomalyThreshold": 3}');

    // Assess
    expect(config.employedContributionBaseFen).toBe(230_000);
    expect(config.expectedBatches).toBeUndefined();
  });

  it('drops repeated batches, keeping the order written; [] expects no batch', () => {
    // Act
    const repeated = parsePipelineConfig('{"expectedBatches": ["b", "a", "b"]}');
    const none = parsePipelineConfig('{"expectedBatches": []}');

    // Assess
    expect([repeated.expectedBatches, none.expectedBatches]).toEqual([['b', 'a'], []]);
  });

  it.each([
    ['invalid JSON', '{"pensionIncome": }', 'is not valid JSON'],
    ['an array', '[1]', 'must be a JSON object'],
    ['a number', '2300', 'must be a JSON object'],
    ['null', 'null', 'must be a JSON object'],
    ['a string amount', '{"pensionIncome": "1500"}', 'pensionIncome must be a non-negative number of yuan'],
    [
      'a null amount',
      '{"employedContributionBase": null}',
      'employedContributionBase must be a non-negative number of yuan',
    ],
    [
      '3 decimals',
      '{"pensionIncome": 1500.001}',
      'pensionIncome is 1500.001, it must be a non-negative number of yuan',
    ],
    ['a negative amount', '{"pensionIncome": -1}', 'pensionIncome is -1'],
    ['an amount too large for fen', '{"pensionIncome": 1e20}', 'pensionIncome is 100000000000000000000'],
    ['a tiny amount in exponent form', '{"pensionIncome": 1e-7}', 'pensionIncome is 1e-7'],
    [
      'an upper-case batch',
      '{"expectedBatches": ["Shiqi"]}',
      'expectedBatches[0] is "Shiqi", it must be a batch folder name',
    ],
    [
      'a batch with a space',
      '{"expectedBatches": ["ok", "a b"]}',
      'expectedBatches[1] is "a b", it must be a batch folder name',
    ],
    ['a batch list that is a string', '{"expectedBatches": "shiqi"}', 'expectedBatches must be an array'],
  ])('rejects %s, saying what to do', (_, text, message) => {
    // Act
    const error = configError(text);

    // Assess
    expect(error.name).toBe('PipelineConfigError');
    expect(error.message).toContain('config/pipeline.json');
    expect(error.message).toContain(message);
    expect(error.message).toMatch(/correct|delete|remove/);
  });
});

describe('release gate settings', () => {
  it.each([
    ['{"fourEyesThreshold": -1}', 'fourEyesThreshold'],
    ['{"fourEyesThreshold": 1.234}', 'fourEyesThreshold'],
    ['{"approvalLinkHours": 0}', 'approvalLinkHours'],
    ['{"approvalLinkHours": 169}', 'approvalLinkHours'],
    ['{"approvalLinkHours": 1.5}', 'approvalLinkHours'],
  ])('rejects %s, naming the key', (text, key) => {
    expect(() => parsePipelineConfig(text)).toThrow(key);
  });
});
