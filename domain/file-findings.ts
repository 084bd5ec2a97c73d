import type { FileFindingCode } from '#schemas/finding-codes.ts';
import { formatFen } from '#schemas/money.ts';
import { ROSTER_COLUMN_DEFINITIONS, type RosterColumn } from '#schemas/roster-columns.ts';
import { HEADER_WITHIN } from './roster-sheet.ts';
import { checkTotal, type TotalLine } from './roster-total.ts';

/** A file-level finding before it is given its month, batch and severity (always BLOCK). */
export interface FileFindingDraft {
  code: FileFindingCode;
  /** Bilingual (Chinese / English), names the file's key. */
  detail: string;
}

/** What was learnt reading one roster file. */
export interface FileReadFacts {
  /** The file's key, e.g. `incoming/2026-10/shiqi/roster.csv`. */
  key: string;
  /** Why the file could not be read; absent when it was read. */
  unreadable?: string;
  /**
   * Required columns absent from the header, as `resolveRosterHeader` reports them (when no
   * header was found: those of the record that came closest, see `RosterSheet.headerProblem`). A
   * file without any record (0 bytes) has no header to lack a column: pass `[]`, it is `EMPTY_FILE`.
   */
  missing: readonly RosterColumn[];
  /**
   * The 1-based line of the record `missing` is about, when not the first; `'not-found'` when no
   * record of the first 10 names any required column (the header must be within them).
   * @default 1
   */
  headerLine?: number | 'not-found';
  /** How the officer's program numbers lines: `'sheet row'` for XLSX. @default 'line' */
  lineName?: 'line' | 'sheet row';
  /** Records after the header and before a total line that are not blank (section 2). */
  dataRows: number;
  /** The total line, when the file has one (section 2). */
  total?: TotalLine;
}

const CHINESE_NAME = new Map(ROSTER_COLUMN_DEFINITIONS.map((c) => [c.name, c.aliases[0] ?? c.name]));

/**
 * The file-level finding of a roster file (contract 3.1), if any: at most one, the first that
 * applies of `UNREADABLE_FILE`, `MISSING_COLUMNS` (naming every missing column in contract
 * order, with its Chinese name, and saying that the header must be within the first 10 lines when
 * none of them looks like one), `EMPTY_FILE`, `TOTAL_MISMATCH` (a total line whose amount is not
 * the sum of the valid amounts above it, both given). A file whose records are all blank has no
 * data rows, so it is `EMPTY_FILE` too: nothing in it could be paid.
 * @returns the finding, or `undefined` when the file is accepted.
 * @example fileFinding({ key: 'incoming/2026-10/shiqi/r.csv', missing: ['town'], dataRows: 3 })
 * // { code: 'MISSING_COLUMNS',
 * //   detail: '文件 incoming/2026-10/shiqi/r.csv 缺少必需列：镇街（town） / file incoming/2026-10/shiqi/r.csv lacks required column(s): town' }
 */
export function fileFinding(facts: FileReadFacts): FileFindingDraft | undefined {
  const { key } = facts;
  if (facts.unreadable !== undefined) {
    return {
      code: 'UNREADABLE_FILE',
      detail: `文件 ${key} 无法读取 / file ${key} cannot be read: ${facts.unreadable}`,
    };
  }
  if (facts.missing.length > 0) return { code: 'MISSING_COLUMNS', detail: missingColumns(facts) };
  if (facts.dataRows === 0) {
    return { code: 'EMPTY_FILE', detail: `文件 ${key} 没有数据行 / file ${key} has no data rows` };
  }
  if (facts.total !== undefined) {
    const detail = totalMismatch(key, facts.total, facts.lineName ?? 'line');
    if (detail !== undefined) return { code: 'TOTAL_MISMATCH', detail };
  }
  return undefined;
}

function missingColumns(facts: FileReadFacts): string {
  const { key } = facts;
  const missing = ROSTER_COLUMN_DEFINITIONS.filter((c) => facts.missing.includes(c.name)).map((c) => c.name);
  const zh = missing.map((c) => `${CHINESE_NAME.get(c)}（${c}）`).join('、');
  const en = missing.join(', ');
  const line = facts.headerLine ?? 1;
  if (line === 'not-found') {
    return (
      `文件 ${key} 的前 ${HEADER_WITHIN} 行中没有表头：表头须在前 ${HEADER_WITHIN} 行内，且包含必需列 ${zh} / ` +
      `file ${key} has no header in its first ${HEADER_WITHIN} lines: the header must be within the first ${HEADER_WITHIN} lines and name the required column(s) ${en}`
    );
  }
  if (line === 1) return `文件 ${key} 缺少必需列：${zh} / file ${key} lacks required column(s): ${en}`;
  return `文件 ${key} 第 ${line} 行的表头缺少必需列：${zh} / file ${key}: the header in ${facts.lineName ?? 'line'} ${line} lacks required column(s): ${en}`;
}

function totalMismatch(key: string, total: TotalLine, lineName: string): string | undefined {
  const check = checkTotal(total);
  const sum = formatFen(total.validAmountsFen);
  const where = `${lineName} ${total.line}`;
  switch (check.kind) {
    case 'unstated':
    case 'equal':
      return undefined;
    case 'different':
      return (
        `文件 ${key} 第 ${total.line} 行${total.label}为 ${formatFen(check.statedFen)}，有效金额之和为 ${sum}，相差 ${formatFen(check.differenceFen)} / ` +
        `file ${key}: the total line (${where}) states ${formatFen(check.statedFen)}, the valid amounts sum to ${sum} (difference ${formatFen(check.differenceFen)})`
      );
    case 'unreadable':
      return (
        `文件 ${key} 第 ${total.line} 行${total.label}金额无效，有效金额之和为 ${sum} / ` +
        `file ${key}: the total line (${where}) states no valid amount, the valid amounts sum to ${sum}: ${check.reason}`
      );
  }
}
