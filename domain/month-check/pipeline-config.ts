import { z } from 'zod';
import { pipelineConfig } from '#schemas/bucket-layout.ts';
import { DEFAULT_CASE_OVERDUE_DAYS } from '#schemas/case.ts';
import { configYuanToFen } from '#schemas/money.ts';

/** The key of the pipeline configuration in the bucket (contract 1), as its errors name it. */
const PIPELINE_CONFIG_FILE = pipelineConfig.key();

/** The month run's settings after `config/pipeline.json` overrode the defaults (contract 2.3). */
export interface PipelineConfig {
  /** `employedContributionBase` in fen; `EMPLOYED` when a contribution base reaches it. @default 230000 (2300.00 yuan) */
  readonly employedContributionBaseFen: number;
  /** `pensionIncome` in fen; `PENSION_INCOME` when a pension reaches it. @default 150000 (1500.00 yuan) */
  readonly pensionIncomeFen: number;
  /**
   * The batches (department folders) expected to upload a roster each month, without
   * duplicates, in the order written.
   * @default undefined — the batches that uploaded the month before (none in a first month).
   */
  readonly expectedBatches: readonly string[] | undefined;
  /**
   * `fourEyesThreshold` in fen: a release whose total reaches it needs two different approvers.
   * @default 50000000 (500000.00 yuan)
   */
  readonly fourEyesThresholdFen: number;
  /** `approvalLinkHours`: how long an approval link stays valid. @default 72 */
  readonly approvalLinkHours: number;
  /** `caseOverdueDays`: days after opening beyond which an open case is overdue. @default 15 */
  readonly caseOverdueDays: number;
}

/** The settings when `config/pipeline.json` is absent or overrides nothing. */
export const DEFAULT_PIPELINE_CONFIG: PipelineConfig = Object.freeze({
  employedContributionBaseFen: 230_000,
  pensionIncomeFen: 150_000,
  expectedBatches: undefined,
  fourEyesThresholdFen: 50_000_000,
  approvalLinkHours: 72,
  caseOverdueDays: DEFAULT_CASE_OVERDUE_DAYS,
});

/**
 * `config/pipeline.json` cannot be used. It stops the month run: thresholds nobody meant would
 * decide payments. The message says what is wrong and how to fix it; the class name is the
 * Step Functions error name.
 */
export class PipelineConfigError extends Error {
  override readonly name = 'PipelineConfigError';
}

const YUAN = 'a non-negative number of yuan with at most 2 decimals, e.g. 2300.00';
const BATCH_NAME = /^[a-z0-9-]+$/;

/**
 * The file's shape. Unknown keys are ignored (other jobs of the pipeline may keep their own
 * settings in the same file).
 *
 * @example { "employedContributionBase": 2500.00, "pensionIncome": 1600, "expectedBatches": ["shiqi", "dq02"] }
 */
const PipelineConfigFileSchema = z.object({
  employedContributionBase: z.number({ error: `must be ${YUAN}` }).optional(),
  pensionIncome: z.number({ error: `must be ${YUAN}` }).optional(),
  expectedBatches: z
    .array(
      z.string({ error: 'must be a batch folder name (a string)' }).regex(BATCH_NAME, {
        error: (issue) =>
          `is ${JSON.stringify(issue.input)}, it must be a batch folder name of lower-case letters, digits and "-" ([a-z0-9-]+)`,
      }),
      { error: 'must be an array of batch folder names, e.g. ["shiqi", "dq02"]' },
    )
    .optional(),
  fourEyesThreshold: z.number({ error: `must be ${YUAN}` }).optional(),
  approvalLinkHours: z
    .number({ error: 'must be a whole number of hours from 1 to 168' })
    .int({ error: 'must be a whole number of hours from 1 to 168' })
    .min(1, { error: 'must be a whole number of hours from 1 to 168' })
    .max(168, { error: 'must be a whole number of hours from 1 to 168' })
    .optional(),
  caseOverdueDays: z
    .number({ error: 'must be a whole number of days from 1 to 365' })
    .int({ error: 'must be a whole number of days from 1 to 365' })
    .min(1, { error: 'must be a whole number of days from 1 to 365' })
    .max(365, { error: 'must be a whole number of days from 1 to 365' })
    .optional(),
});

/**
 * Reads `config/pipeline.json` (contract 2.3): a JSON object whose optional keys
 * `employedContributionBase` and `pensionIncome` (numbers, yuan) and `expectedBatches` (batch
 * folder names `[a-z0-9-]+`) override {@link DEFAULT_PIPELINE_CONFIG}; so do the release gate's
 * `fourEyesThreshold` (yuan) and `approvalLinkHours` (1–168), which the contract leaves to us.
 *
 * - Absent (`undefined`), empty or white-space-only text (a leading BOM allowed) overrides nothing.
 * - Yuan become exact fen as `configYuanToFen` reads them: a negative value, one with more than 2
 *   decimals, or one too large for exact fen is rejected; 0 is accepted.
 * - `null` is not a number: to use a default, remove the key.
 * - `expectedBatches` keeps the order written, without duplicates; `[]` expects no batch.
 * - Unknown keys are ignored.
 * @throws PipelineConfigError for text that is not JSON, not a JSON object, or a bad value.
 * @example parsePipelineConfig('{"pensionIncome": 1600.5}')
 * // { employedContributionBaseFen: 230000, pensionIncomeFen: 160050, expectedBatches: undefined }
 */
export function parsePipelineConfig(text: string | undefined): PipelineConfig {
  const body = text?.replace(/^\uFEFF/, '').trim() ?? '';
  if (body === '') return DEFAULT_PIPELINE_CONFIG;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new PipelineConfigError(
      `${PIPELINE_CONFIG_FILE} is not valid JSON (${(error as Error).message}); correct it, or delete the file to use the defaults`,
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new PipelineConfigError(
      `${PIPELINE_CONFIG_FILE} must be a JSON object such as {"employedContributionBase": 2300.00}, not ${describe(json)}; correct it, or delete the file to use the defaults`,
    );
  }
  const parsed = PipelineConfigFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${keyPath(issue.path)} ${issue.message}`);
    throw new PipelineConfigError(
      `${PIPELINE_CONFIG_FILE}: ${problems.join('; ')}; correct the value, or remove the key to use the default`,
    );
  }
  const file = parsed.data;
  return {
    employedContributionBaseFen:
      file.employedContributionBase === undefined
        ? DEFAULT_PIPELINE_CONFIG.employedContributionBaseFen
        : yuanToFen('employedContributionBase', file.employedContributionBase),
    pensionIncomeFen:
      file.pensionIncome === undefined
        ? DEFAULT_PIPELINE_CONFIG.pensionIncomeFen
        : yuanToFen('pensionIncome', file.pensionIncome),
    expectedBatches: file.expectedBatches === undefined ? undefined : [...new Set(file.expectedBatches)],
    fourEyesThresholdFen:
      file.fourEyesThreshold === undefined
        ? DEFAULT_PIPELINE_CONFIG.fourEyesThresholdFen
        : yuanToFen('fourEyesThreshold', file.fourEyesThreshold),
    approvalLinkHours: file.approvalLinkHours ?? DEFAULT_PIPELINE_CONFIG.approvalLinkHours,
    caseOverdueDays: file.caseOverdueDays ?? DEFAULT_PIPELINE_CONFIG.caseOverdueDays,
  };
}

/** Exact fen of a JSON number of yuan (see `configYuanToFen`). */
function yuanToFen(key: string, yuan: number): number {
  const fen = configYuanToFen(yuan);
  if (fen === undefined) {
    throw new PipelineConfigError(
      `${PIPELINE_CONFIG_FILE}: ${key} is ${String(yuan)}, it must be ${YUAN}; correct the value, or remove the key to use the default`,
    );
  }
  return fen;
}

function keyPath(path: readonly PropertyKey[]): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
    .join('.')
    .replace(/\.\[/g, '[');
}

function describe(json: unknown): string {
  if (json === null) return 'null';
  if (Array.isArray(json)) return 'an array';
  return `a ${typeof json}`;
}
