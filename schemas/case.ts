import { z } from 'zod';
import { SeveritySchema } from './finding-codes.ts';
import { MonthSchema } from './month.ts';

/**
 * Cases (issue 11): every finding of contract 3.2 and 3.3 and every drawn home visit, followed to
 * its outcome by the town office. One home for the case's forms: kinds, statuses, the outcome
 * vocabulary, the money found and recovered (integer fen, written through `schemas/money.ts`).
 */

/** A case follows a finding (contract 3.2 / 3.3) or a home visit of the month's sample. */
export const CaseKindSchema = z.enum(['FINDING', 'VISIT']);
export type CaseKind = z.infer<typeof CaseKindSchema>;

export const CaseStatusSchema = z.enum(['OPEN', 'CLOSED']);
export type CaseStatus = z.infer<typeof CaseStatusSchema>;

/** The `code` of a visit case in `cases.csv` and on the desk (a finding case carries its finding code). */
export const VISIT_CASE_CODE = 'HOME_VISIT';

/** Outcomes an officer records for a REVIEW finding. */
export const REVIEW_OUTCOMES = ['CONFIRMED_IN_ORDER', 'PROBLEM_CONFIRMED', 'DATA_ERROR_CORRECTED'] as const;
/** Outcomes an officer records for a BLOCK finding. */
export const BLOCK_OUTCOMES = ['CORRECTED_RESUBMITTED', 'STOPPED'] as const;
/** Results of a home visit. */
export const VISIT_OUTCOMES = ['MATCHES_FILE', 'DISCREPANCY', 'NOT_FOUND'] as const;
/**
 * Not recorded by anyone: a REVIEW finding whose (code, id_number, category) an officer confirmed
 * in order in an earlier month on the same evidence is closed with this outcome when it is found
 * again, naming that month and officer (the memory across months).
 */
export const CLEARED_EARLIER = 'CLEARED_EARLIER';
/**
 * Not recorded by anyone: an open finding case the newer check of its month no longer finds (a
 * corrected roster replaced the rejected one, the registry moved on) is closed with this outcome
 * by that month run, naming it. Never set on a case an officer closed; a later run that finds the
 * case again opens it again.
 */
export const WITHDRAWN = 'WITHDRAWN';

export const OFFICER_OUTCOMES = [...REVIEW_OUTCOMES, ...BLOCK_OUTCOMES, ...VISIT_OUTCOMES] as const;
/** Outcomes the system records, never an officer: they count in no rule's precision. */
export const SYSTEM_OUTCOMES = [CLEARED_EARLIER, WITHDRAWN] as const;
export const CaseOutcomeCodeSchema = z.enum([...OFFICER_OUTCOMES, ...SYSTEM_OUTCOMES]);
export type CaseOutcomeCode = z.infer<typeof CaseOutcomeCodeSchema>;

/** What happens to a payment whose problem is confirmed. */
export const ProblemActionSchema = z.enum(['STOP_NEXT_MONTH', 'CORRECTED']);
export type ProblemAction = z.infer<typeof ProblemActionSchema>;

/**
 * Why the money went wrong, in the three families the US Do Not Pay adjudication reports use:
 * documentation or administrative error; eligibility that could not be established; verification
 * not done although the data existed (income, assets, work).
 */
export const RootCauseSchema = z.enum(['DOCUMENTATION', 'ELIGIBILITY', 'VERIFICATION']);
export type RootCause = z.infer<typeof RootCauseSchema>;

/** What a home visit found different from the file: a small fixed list, so towns can be compared. */
export const DiscrepancyKindSchema = z.enum([
  'HOUSEHOLD_MEMBERS',
  'INCOME',
  'ASSETS',
  'RESIDENCE',
  'CARD_HELD_BY_OTHERS',
]);
export type DiscrepancyKind = z.infer<typeof DiscrepancyKindSchema>;

/** Chinese and English names of every value an officer chooses, for forms, the workbook and reports. */
export const CASE_VALUE_LABELS: Readonly<Record<string, { zh: string; en: string }>> = {
  CONFIRMED_IN_ORDER: { zh: '核实无误', en: 'confirmed in order' },
  PROBLEM_CONFIRMED: { zh: '确认存在问题', en: 'problem confirmed' },
  DATA_ERROR_CORRECTED: { zh: '数据错误已更正', en: 'data error corrected' },
  CORRECTED_RESUBMITTED: { zh: '已更正并重新报送', en: 'corrected and resubmitted' },
  STOPPED: { zh: '已停发', en: 'stopped' },
  MATCHES_FILE: { zh: '情况与档案相符', en: 'circumstances match the file' },
  DISCREPANCY: { zh: '情况与档案不符', en: 'discrepancy' },
  NOT_FOUND: { zh: '未找到', en: 'not found' },
  CLEARED_EARLIER: { zh: '此前已核实无误', en: 'cleared earlier' },
  WITHDRAWN: { zh: '复核后不再成立', en: 'withdrawn: no longer found by the newer check of the month' },
  STOP_NEXT_MONTH: { zh: '下月起停发', en: 'stop from next month' },
  CORRECTED: { zh: '已更正', en: 'corrected' },
  DOCUMENTATION: { zh: '资料或操作差错', en: 'documentation / administrative error' },
  ELIGIBILITY: { zh: '资格无法确认', en: 'eligibility could not be established' },
  VERIFICATION: { zh: '未核查已有数据', en: 'verification not done' },
  HOUSEHOLD_MEMBERS: { zh: '家庭成员不符', en: 'household members differ' },
  INCOME: { zh: '收入不符', en: 'income differs' },
  ASSETS: { zh: '财产不符', en: 'assets differ' },
  RESIDENCE: { zh: '不在申报地居住', en: 'does not live at the declared address' },
  CARD_HELD_BY_OTHERS: { zh: '存折或银行卡由他人持有', en: 'card or passbook held by someone else' },
};

/** A non-negative amount of fen (money found or recovered). */
const FenSchema = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

/**
 * Money an outcome records, in integer fen: over-paid (多发), under-paid (漏发), paid wrongly (错发),
 * and recovered. Absent fields are 0.
 */
export const CaseMoneySchema = z.object({
  overpaidFen: FenSchema.default(0),
  underpaidFen: FenSchema.default(0),
  wronglyPaidFen: FenSchema.default(0),
  recoveredFen: FenSchema.default(0),
});
export type CaseMoney = z.infer<typeof CaseMoneySchema>;

/** The money fields in `cases.csv` and workbook column order. */
export const CASE_MONEY_FIELDS = ['overpaidFen', 'underpaidFen', 'wronglyPaidFen', 'recoveredFen'] as const;

const note = z.string().trim().max(500);
/** A visit date, `YYYY-MM-DD`. */
export const VisitDateSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/);

/**
 * What an officer records for a case, by outcome. A note is required where the outcome is only
 * believable with one (confirmed in order); money where the outcome can involve money.
 * @example { outcome: 'PROBLEM_CONFIRMED', action: 'STOP_NEXT_MONTH', rootCause: 'VERIFICATION', money: { overpaidFen: 118000 } }
 */
export const CaseOutcomeInputSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('CONFIRMED_IN_ORDER'), note: note.min(1) }),
  z.object({
    outcome: z.literal('PROBLEM_CONFIRMED'),
    action: ProblemActionSchema,
    rootCause: RootCauseSchema,
    note: note.optional(),
    money: CaseMoneySchema.optional(),
  }),
  z.object({
    outcome: z.literal('DATA_ERROR_CORRECTED'),
    note: note.optional(),
    money: CaseMoneySchema.optional(),
  }),
  z.object({
    outcome: z.literal('CORRECTED_RESUBMITTED'),
    note: note.optional(),
    money: CaseMoneySchema.optional(),
  }),
  z.object({ outcome: z.literal('STOPPED'), note: note.optional(), money: CaseMoneySchema.optional() }),
  z.object({ outcome: z.literal('MATCHES_FILE'), visitDate: VisitDateSchema, note: note.optional() }),
  z.object({
    outcome: z.literal('DISCREPANCY'),
    visitDate: VisitDateSchema,
    discrepancy: DiscrepancyKindSchema,
    note: note.optional(),
    money: CaseMoneySchema.optional(),
  }),
  z.object({ outcome: z.literal('NOT_FOUND'), visitDate: VisitDateSchema, note: note.optional() }),
]);
export type CaseOutcomeInput = z.infer<typeof CaseOutcomeInputSchema>;

/** Who cleared a (code, id_number, category) on which evidence: the memory across months. */
export const ClearanceSchema = z.object({
  code: z.string(),
  idNumber: z.string(),
  category: z.string(),
  evidenceFingerprint: z.string(),
  month: MonthSchema,
  caseId: z.string(),
  officer: z.string(),
  at: z.string(),
});
export type Clearance = z.infer<typeof ClearanceSchema>;

/**
 * One case as stored. `version` counts saves (1 when opened): a save names the version it read
 * and is refused when another save came first.
 */
export const CaseRecordSchema = z.object({
  caseId: z.string(),
  month: MonthSchema,
  /** The town office the case is assigned to (a town code, the batch folder of its roster). */
  town: z.string(),
  kind: CaseKindSchema,
  /** The finding code, or {@link VISIT_CASE_CODE}. */
  code: z.string(),
  /** The finding's severity; absent for visits. */
  severity: SeveritySchema.optional(),
  idNumber: z.string(),
  category: z.string(),
  /** The roster row a finding was raised on (absent for MISSING_PAYMENT and visits). */
  batch: z.string().optional(),
  row: z.number().int().positive().optional(),
  /** The household of a visit. */
  householdId: z.string().optional(),
  /** A visit's rank in its town's sample (visits first, replacements after, as drawn). */
  rank: z.number().int().positive().optional(),
  /** The finding's detail (bilingual, IDs masked), or the reason the household was drawn. */
  detail: z.string(),
  /** SHA-256 of a REVIEW finding's evidence (see `domain/cases/evidence-fingerprint.ts`). */
  evidenceFingerprint: z.string().optional(),
  status: CaseStatusSchema,
  outcome: CaseOutcomeCodeSchema.optional(),
  /** What the officer recorded, as validated. */
  recorded: CaseOutcomeInputSchema.optional(),
  money: CaseMoneySchema,
  note: z.string().optional(),
  /** For {@link CLEARED_EARLIER}: the earlier clearance. */
  clearedBy: ClearanceSchema.optional(),
  openedAt: z.string(),
  closedAt: z.string().optional(),
  closedBy: z.string().optional(),
  version: z.number().int().positive(),
});
export type CaseRecord = z.infer<typeof CaseRecordSchema>;

/**
 * What the month page, `cases.csv` and the bureau's overdue notice read of a case: the case table
 * lists the month for them with only these attributes (a projection), not the finding's detail,
 * evidence and what an officer recorded, which none of them shows.
 */
export const CASE_LINE_FIELDS = [
  'caseId',
  'month',
  'town',
  'kind',
  'code',
  'severity',
  'idNumber',
  'category',
  'status',
  'outcome',
  'money',
  'openedAt',
  'closedAt',
  'closedBy',
] as const satisfies readonly (keyof CaseRecord)[];
/** A case as the month's overviews read it: {@link CASE_LINE_FIELDS}. */
export type CaseLine = Pick<CaseRecord, (typeof CASE_LINE_FIELDS)[number]>;

/** A replacement household of a town's sample, waiting until a visit is NOT_FOUND. */
export const PendingReplacementSchema = z.object({
  month: MonthSchema,
  town: z.string(),
  householdId: z.string(),
  idNumber: z.string(),
  rank: z.number().int().positive(),
  reason: z.string(),
});
export type PendingReplacement = z.infer<typeof PendingReplacementSchema>;

/** Columns of `cases.csv` (issue 11): one row per case. */
export const CASES_CSV_COLUMNS = [
  'month',
  'town',
  'kind',
  'code',
  'id_number',
  'category',
  'status',
  'outcome',
  'overpaid',
  'underpaid',
  'wrongly_paid',
  'recovered',
  'opened_at',
  'closed_at',
  'closed_by',
] as const;

/** Days after opening beyond which an open case is overdue (`caseOverdueDays`). @default 15 */
export const DEFAULT_CASE_OVERDUE_DAYS = 15;

/** Input of OpenMonthCases (month run, after WriteMonthFindings). */
export const OpenMonthCasesInputSchema = z.object({
  month: MonthSchema,
  bucket: z.string().min(1),
  runId: z.string().min(1),
  findingsArrowKey: z.string().min(1),
});
export type OpenMonthCasesInput = z.infer<typeof OpenMonthCasesInputSchema>;

/** Input of OpenVisitCases (month watch, after DrawSample) and of WriteCaseOutputs. */
export const MonthCasesInputSchema = z.object({
  month: MonthSchema,
  bucket: z.string().min(1),
});
export type MonthCasesInput = z.infer<typeof MonthCasesInputSchema>;
