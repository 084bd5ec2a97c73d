import { z } from 'zod';
import { FindingCodeSchema, SeveritySchema } from './finding-codes.ts';

/**
 * One line of `findings.csv` (contract section 4).
 *
 * @example
 * { month: '2026-10', batch: 'shiqi', row: 12, idNumber: '44200019800101123X', category: 'DIBAO',
 *   code: 'INVALID_AMOUNT', severity: 'BLOCK', detail: 'amount "1,200" is not a plain decimal' }
 */
export const FindingSchema = z.object({
  month: z.string().regex(/^\d{4}-\d{2}$/),
  /** Empty for MISSING_PAYMENT. */
  batch: z.string(),
  /** 1-based record number after the header; absent for file-level findings and MISSING_PAYMENT. */
  row: z.number().int().positive().optional(),
  /** Absent for file-level findings. */
  idNumber: z.string().optional(),
  /** The row's category code where it is known. */
  category: z.string().optional(),
  code: FindingCodeSchema,
  severity: SeveritySchema,
  detail: z.string(),
});
export type Finding = z.infer<typeof FindingSchema>;

export const FINDINGS_CSV_COLUMNS = [
  'month',
  'batch',
  'row',
  'id_number',
  'category',
  'code',
  'severity',
  'detail',
] as const;
