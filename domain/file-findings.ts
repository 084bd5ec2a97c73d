import type { FileFindingCode } from '#schemas/finding-codes.ts';
import { ROSTER_COLUMN_DEFINITIONS, type RosterColumn } from '#schemas/roster-columns.ts';

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
   * Required columns absent from the header, as `resolveRosterHeader` reports them. A file
   * without any record (0 bytes) has no header to lack a column: pass `[]`, it is `EMPTY_FILE`.
   */
  missing: readonly RosterColumn[];
  /** Records after the header that are not blank (blank records are skipped, section 2). */
  dataRows: number;
}

const CHINESE_NAME = new Map(ROSTER_COLUMN_DEFINITIONS.map((c) => [c.name, c.aliases[0] ?? c.name]));

/**
 * The file-level finding of a roster file (contract 3.1), if any: at most one, the first that
 * applies of `UNREADABLE_FILE`, `MISSING_COLUMNS` (naming every missing column in contract
 * order, with its Chinese name), `EMPTY_FILE`. A file whose records are all blank has no data
 * rows, so it is `EMPTY_FILE` too: nothing in it could be paid.
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
  if (facts.missing.length > 0) {
    const missing = ROSTER_COLUMN_DEFINITIONS.filter((c) => facts.missing.includes(c.name)).map(
      (c) => c.name,
    );
    const zh = missing.map((c) => `${CHINESE_NAME.get(c)}（${c}）`).join('、');
    return {
      code: 'MISSING_COLUMNS',
      detail: `文件 ${key} 缺少必需列：${zh} / file ${key} lacks required column(s): ${missing.join(', ')}`,
    };
  }
  if (facts.dataRows === 0) {
    return { code: 'EMPTY_FILE', detail: `文件 ${key} 没有数据行 / file ${key} has no data rows` };
  }
  return undefined;
}
