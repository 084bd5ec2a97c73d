import { createHash } from 'node:crypto';
import type { FindingCode } from '#schemas/finding-codes.ts';

/** Codes whose evidence is a monthly record (social insurance): its month is not the evidence. */
const MONTHLY_RECORD_CODES: ReadonlySet<FindingCode> = new Set(['EMPLOYED', 'PENSION_INCOME']);

/** Citations of a detail (`finding-detail.ts` `cite`): which file, which line — not what it says. */
const ZH_CITATION = /（[^（）]*\.(?:csv|json|xlsx)(?: 第 \d+ 行)?）/g;
const EN_CITATION = / \([^()]*\.(?:csv|json|xlsx)(?: line \d+)?\)/g;
/** A record month (`2026-09`), not a date (`2026-09-14`). */
const RECORD_MONTH = /\b\d{4}-\d{2}\b(?!-)/g;

/**
 * The evidence a REVIEW finding stands on, as text: its detail (contract 4: each finding of 3.3
 * cites its evidence — the death record's date, the employer and contribution base, the business,
 * the pension, the households sharing an account, the registry's name) without what changes from
 * month to month while the evidence does not: the file and line it was read from (partner files
 * are named by month and registry lines move), and for social-insurance findings the month of the
 * contribution record.
 * @example evidenceText('PENSION_INCOME', '2026-10 养老金 1800.00，不低于 1500.00（partners/social-insurance/2026-10.csv） / 2026-10 pension 1800.00 >= 1500.00 (partners/social-insurance/2026-10.csv)')
 * // '养老金 1800.00，不低于 1500.00 / pension 1800.00 >= 1500.00'
 */
export function evidenceText(code: FindingCode, detail: string): string {
  let text = detail.replace(ZH_CITATION, '').replace(EN_CITATION, '');
  if (MONTHLY_RECORD_CODES.has(code)) text = text.replace(RECORD_MONTH, '');
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * SHA-256 (hex) of a finding's code and {@link evidenceText}: equal for the same evidence found
 * again in a later month, different as soon as the record, the amount or the account holders
 * differ.
 */
export function evidenceFingerprint(code: FindingCode, detail: string): string {
  return createHash('sha256')
    .update(`${code}\n${evidenceText(code, detail)}`)
    .digest('hex');
}
