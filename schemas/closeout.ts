import { z } from 'zod';
import { MonthSchema } from './month.ts';

/**
 * The close-out codes of contract 3.4, in contract order. Every row of `closeout.csv` has one.
 * `PAID` and `PAYMENT_FAILED` are the two settled outcomes; every other code keeps the month open.
 */
export const CLOSEOUT_CODES = [
  'PAID',
  'PAYMENT_FAILED',
  'PAID_AMOUNT_MISMATCH',
  'PAID_ACCOUNT_MISMATCH',
  'NOT_RETURNED',
  'UNEXPECTED_RETURN',
  'DUPLICATE_RETURN',
  'INVALID_RETURN',
] as const;
export type CloseoutCode = (typeof CLOSEOUT_CODES)[number];
export const CloseoutCodeSchema = z.enum(CLOSEOUT_CODES);

/** Chinese name of every close-out code, for reports read by people. */
export const CLOSEOUT_LABELS_ZH: Record<CloseoutCode, string> = {
  PAID: '已支付',
  PAYMENT_FAILED: '支付失败',
  PAID_AMOUNT_MISMATCH: '支付金额不符',
  PAID_ACCOUNT_MISMATCH: '支付账号不符',
  NOT_RETURNED: '银行未回盘',
  UNEXPECTED_RETURN: '回盘流水号不在发放清单中',
  DUPLICATE_RETURN: '重复回盘',
  INVALID_RETURN: '回盘记录无效',
};

/** Columns of `closeout.csv` (contract section 4). */
export const CLOSEOUT_CSV_COLUMNS = [
  'payment_ref',
  'code',
  'released_amount',
  'paid_amount',
  'detail',
] as const;

/** Columns of `release.csv` (contract section 4): one line per released payment. */
export const RELEASE_CSV_COLUMNS = [
  'payment_ref',
  'batch',
  'row',
  'id_number',
  'name',
  'account_number',
  'amount',
  'category',
  'town',
] as const;
export type ReleaseCsvColumn = (typeof RELEASE_CSV_COLUMNS)[number];

/**
 * One payment of the month's release (a line of `release.csv`, contract section 4), in release
 * order. `amountFen` is integer fen; `category` and `town` are codes.
 */
export interface ReleasedPayment {
  readonly paymentRef: string;
  readonly batch: string;
  readonly row: number;
  readonly idNumber: string;
  readonly name: string;
  readonly accountNumber: string;
  readonly amountFen: number;
  readonly category: string;
  readonly town: string;
}

/**
 * Columns of `reissue.csv`: the released payments the bank returned as `FAILED`, as released,
 * with the bank's `reason`.
 */
export const REISSUE_CSV_COLUMNS = [...RELEASE_CSV_COLUMNS, 'reason'] as const;

/** Columns of a bank return file (contract 2.3), required ones first. */
export const BANK_RETURN_COLUMNS = [
  'payment_ref',
  'account_number',
  'amount',
  'status',
  'reason',
  'value_date',
] as const;
export type BankReturnColumn = (typeof BANK_RETURN_COLUMNS)[number];

/** The bank return columns the close-out rules need: a file without one of them is not judged. */
export const REQUIRED_BANK_RETURN_COLUMNS = [
  'payment_ref',
  'account_number',
  'amount',
  'status',
] as const satisfies readonly BankReturnColumn[];

/** The statuses a bank return line may have (contract 2.3), matched case-insensitively. */
export const BANK_RETURN_STATUSES = ['SUCCESS', 'FAILED'] as const;
export type BankReturnStatus = (typeof BANK_RETURN_STATUSES)[number];

/**
 * Input of CloseOut.
 * @example { month: '2026-10', bucket: 'payguard-data' }
 */
export const CloseOutMonthInputSchema = z.object({
  month: MonthSchema,
  bucket: z.string().min(1),
});
export type CloseOutMonthInput = z.infer<typeof CloseOutMonthInputSchema>;

/** One bank return file read by the close-out, as listed. */
export const CloseoutSourceSchema = z.object({ key: z.string(), etag: z.string() });

/**
 * Output of CloseOut (a Step Functions task result): whether the month is closed, where the
 * reports are, and the number of `closeout.csv` rows per code (every code, zeros included).
 */
export const CloseoutResultSchema = z.object({
  month: MonthSchema,
  closed: z.boolean(),
  closeoutKey: z.string(),
  reissueKey: z.string(),
  closeoutJsonKey: z.string(),
  countsByCode: z.record(CloseoutCodeSchema, z.number().int().nonnegative()),
  sources: z.array(CloseoutSourceSchema),
});
export type CloseoutResult = z.infer<typeof CloseoutResultSchema>;
