import { maskIdNumber } from '#domain/id-number.ts';
import { HEADER_WITHIN } from '#domain/roster-sheet.ts';
import { checkTotal, type TotalLine } from '#domain/roster-total.ts';
import type { Finding } from '#schemas/finding.ts';
import { FINDING_CODE_ORDER } from '#schemas/finding-codes.ts';
import { FINDING_LABELS_ZH } from '#schemas/finding-labels.ts';
import { displayYuan, formatFen } from '#schemas/money.ts';
import type { UploadIdentity, ValidationOutcome } from './ports.ts';

/**
 * Findings a validation report lists one by one, in row order; beyond them it gives counts per
 * code. An officer works through a few hundred lines, not a million (a roster of repeated bad
 * rows), and a report listing every finding of such a file would be larger than memory; every
 * finding stays in the upload's findings file (`outcome.findingsKey`) and the month's
 * `findings.csv`.
 */
export const REPORT_FINDINGS_LISTED = 1000;

/** The machine-readable validation report of one upload (`reports/{month}/validation/{batch}/{uploadId}.json`). */
export interface ValidationReport {
  readonly upload: UploadIdentity;
  readonly outcome: ValidationOutcome;
  readonly checkedAt: string;
  /** The first {@link REPORT_FINDINGS_LISTED} findings (all of them: `outcome.findings`). */
  readonly findings: readonly Finding[];
  /** Every finding counted by code. */
  readonly findingsByCode?: Readonly<Record<string, number>>;
}

/** How the officer's program names a line of her file, in Chinese and English. */
interface LineNames {
  readonly zh: (line: number) => string;
  readonly en: string;
}

const CSV_LINES: LineNames = { zh: (line) => `第 ${line} 行`, en: 'line' };
const SHEET_ROWS: LineNames = { zh: (line) => `工作表第 ${line} 行`, en: 'sheet row' };

/**
 * The report a town officer reads: bilingual; where the header was found and the check of the
 * total line; one line per finding with its row number and, beside it, the line (CSV) or sheet row
 * (XLSX) she sees in her file; ID numbers masked (the officer has the roster; the report may be
 * forwarded). Past {@link REPORT_FINDINGS_LISTED} findings, the rest are counted per code.
 */
export function renderValidationReport(report: ValidationReport): string {
  const { upload, outcome } = report;
  const accepted = outcome.status === 'ACCEPTED';
  const names = outcome.encoding === 'xlsx' ? SHEET_ROWS : CSV_LINES;
  const at = (line: number) => `${names.zh(line)} ${names.en} ${line}`;
  const lines = [
    `发放名册校验报告 / Payout roster validation report`,
    `文件 File: ${upload.key}`,
    `月份 Month: ${upload.month}    部门 Batch: ${upload.batch}`,
    `校验时间 Checked at: ${report.checkedAt}`,
    `结果 Result: ${accepted ? '已接收 ACCEPTED' : '已退回 REJECTED — 整个文件未入库 / nothing from this file is staged'}`,
  ];
  // An unreadable file was not read as a roster to its end: its header and total are not told.
  const read = outcome.fileFinding !== 'UNREADABLE_FILE';
  if (read) lines.push(`表头 Header: ${headerText(outcome.headerLine, at, names)}`);
  lines.push(
    `数据行 Data rows: ${outcome.records}    有效行 Valid rows: ${outcome.validRows}    问题行 Rows with findings: ${outcome.invalidRows}    空行 Blank rows skipped: ${outcome.blankRecords}`,
    `有效行金额合计 Total of valid rows: ${formatFen(outcome.validAmountFen)} 元 yuan`,
  );
  if (read && outcome.headerLine !== undefined) {
    lines.push(`合计行 Total line: ${outcome.totalLine ? totalText(outcome.totalLine, at) : '无 none'}`);
  }
  lines.push(
    `文件 SHA-256: ${outcome.sourceSha256 ?? '未读取（文件超过大小上限）/ not read: the file is over the size limit'}`,
    '',
  );
  if (report.findings.length === 0) {
    lines.push('未发现问题 / No findings.');
  } else {
    lines.push(`问题清单 Findings (${outcome.findings}):`);
    for (const f of report.findings) {
      const where =
        f.row === undefined
          ? '整个文件 whole file'
          : `第 ${f.row} 行 row ${f.row}${outcome.headerLine === undefined ? '' : `（${at(f.row + outcome.headerLine)}）`}`;
      const who = f.idNumber ? ` [${maskIdNumber(f.idNumber)}]` : '';
      lines.push(`- ${where}${who}: ${FINDING_LABELS_ZH[f.code]} ${f.code} — ${f.detail}`);
    }
    const notListed = outcome.findings - report.findings.length;
    if (notListed > 0) {
      lines.push(
        `- …… 以上仅列出前 ${report.findings.length} 条，另有 ${notListed} 条未逐条列出 / the first ${report.findings.length} are listed, ${notListed} more are not`,
        '',
        '各类问题数 Findings per code:',
      );
      for (const code of FINDING_CODE_ORDER) {
        const n = report.findingsByCode?.[code];
        if (n) lines.push(`- ${FINDING_LABELS_ZH[code]} ${code}: ${n}`);
      }
      lines.push(
        `全部问题见 ${outcome.findingsKey ?? '本次上传的问题文件'}，月度检查后也在 findings.csv 中 / every finding is in ${outcome.findingsKey ?? "the upload's findings file"} and, once the month is checked, in findings.csv`,
      );
    }
  }
  if (!accepted) {
    lines.push('', '请更正后将完整名册重新上传到同一目录；新文件将替代本文件。');
    lines.push(
      'Please correct the file and upload the whole roster again to the same folder; the new file replaces this one.',
    );
  }
  return `${lines.join('\n')}\n`;
}

function headerText(headerLine: number | undefined, at: (line: number) => string, names: LineNames): string {
  if (headerLine === undefined) {
    return `前 ${HEADER_WITHIN} 行中没有包含全部必需列的表头 / no ${names.en} of the first ${HEADER_WITHIN} names every required column`;
  }
  const above = headerLine - 1;
  return above === 0
    ? at(headerLine)
    : `${at(headerLine)}（其上 ${above} 行为标题，已忽略 / the ${above} ${names.en}${above === 1 ? '' : 's'} above it ignored）`;
}

/** The check of the total line, e.g. `第 45 行 line 45：合计 stated 85,632.50；valid amounts sum to 85,632.50 ✓`. */
function totalText(total: TotalLine, at: (line: number) => string): string {
  const sum = `有效金额之和 valid amounts sum to ${displayYuan(total.validAmountsFen)}`;
  const check = checkTotal(total);
  const where = `${at(total.line)}：${total.label}`;
  switch (check.kind) {
    case 'unstated':
      return `${where} 未填金额，未核对 / no amount stated, not checked`;
    case 'equal':
      return `${where} stated ${displayYuan(check.statedFen)}；${sum} ✓`;
    case 'different':
      return `${where} stated ${displayYuan(check.statedFen)}；${sum} ✗ 相差 difference ${displayYuan(check.differenceFen)}`;
    case 'unreadable':
      return `${where} ✗ ${check.reason}；${sum}`;
  }
}
