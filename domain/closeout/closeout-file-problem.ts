import type { BankReturnColumn } from '#schemas/closeout.ts';

/**
 * A bank return file whose lines cannot be judged: it cannot be read, or lacks a required column.
 * While a month has one it cannot be closed. `problem` is bilingual (Chinese / English) and names the key.
 */
export interface CloseoutFileProblem {
  readonly key: string;
  readonly problem: string;
}

/**
 * The problem of a bank return file that cannot be decoded or parsed.
 * @param reason the reader's bilingual reason (`UnreadableFileError.reason`).
 * @example unreadableReturnFile('bank-returns/2026-10/a.csv', '无法解析… / broken quoting…')
 * // { key: …, problem: '文件 bank-returns/2026-10/a.csv 无法读取 / file bank-returns/2026-10/a.csv cannot be read: 无法解析… / broken quoting…' }
 */
export function unreadableReturnFile(key: string, reason: string): CloseoutFileProblem {
  return { key, problem: `文件 ${key} 无法读取 / file ${key} cannot be read: ${reason}` };
}

/**
 * The problem of a bank return file whose header lacks required columns (every one is named).
 * @example missingReturnColumns('bank-returns/2026-10/a.csv', ['status'])
 * // { key: …, problem: '文件 bank-returns/2026-10/a.csv 缺少必需列：status / file bank-returns/2026-10/a.csv lacks required column(s): status' }
 */
export function missingReturnColumns(key: string, missing: readonly BankReturnColumn[]): CloseoutFileProblem {
  return {
    key,
    problem: `文件 ${key} 缺少必需列：${missing.join('、')} / file ${key} lacks required column(s): ${missing.join(', ')}`,
  };
}
