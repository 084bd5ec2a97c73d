/**
 * The defaults of contract 3.3's income checks, in fen, as the bench spells them: `EMPLOYED` from
 * a contribution base of 2300.00 yuan, `PENSION_INCOME` from a pension of 1500.00 yuan
 * (`config/pipeline.json` may override both; the bench's months have none).
 */
export const CONTRACT_THRESHOLDS = {
  employedContributionBaseFen: 230_000,
  pensionIncomeFen: 150_000,
} as const;
