import { describe, expect, it } from 'vitest';
import { fileFinding } from '#domain/file-findings.ts';

const KEY = 'incoming/2026-10/shiqi/roster.csv';

describe('fileFinding', () => {
  it('accepts a readable file with all columns and data rows', () => {
    // Act
    const finding = fileFinding({ key: KEY, missing: [], dataRows: 12 });

    // Assess
    expect(finding).toBeUndefined();
  });

  it('reports UNREADABLE_FILE first, naming the key and the reason', () => {
    // Act
    const finding = fileFinding({
      key: KEY,
      unreadable: 'broken quoting at line 3',
      missing: ['town'],
      dataRows: 0,
    });

    // Assess
    expect(finding).toEqual({
      code: 'UNREADABLE_FILE',
      detail: `文件 ${KEY} 无法读取 / file ${KEY} cannot be read: broken quoting at line 3`,
    });
  });

  it('reports MISSING_COLUMNS before EMPTY_FILE for a header-only file lacking a column', () => {
    // Act
    const finding = fileFinding({ key: KEY, missing: ['town'], dataRows: 0 });

    // Assess
    expect(finding?.code).toBe('MISSING_COLUMNS');
  });

  it('names every missing column with its Chinese name, in contract order, once', () => {
    // Act
    const finding = fileFinding({
      key: KEY,
      missing: ['account_number', 'id_number', 'amount', 'id_number'],
      dataRows: 5,
    });

    // Assess
    expect(finding).toEqual({
      code: 'MISSING_COLUMNS',
      detail:
        `文件 ${KEY} 缺少必需列：身份证号（id_number）、发放金额（amount）、收款账号（account_number） / ` +
        `file ${KEY} lacks required column(s): id_number, amount, account_number`,
    });
  });

  it('reports EMPTY_FILE when there are no data rows', () => {
    // Act
    const finding = fileFinding({ key: KEY, missing: [], dataRows: 0 });

    // Assess
    expect(finding).toEqual({
      code: 'EMPTY_FILE',
      detail: `文件 ${KEY} 没有数据行 / file ${KEY} has no data rows`,
    });
  });

  it('reports a 0-byte file, which has no header to lack columns, as EMPTY_FILE', () => {
    // Prepare: no record at all, so nothing is missing
    const facts = { key: KEY, missing: [], dataRows: 0 };

    // Act
    const finding = fileFinding(facts);

    // Assess
    expect(finding?.code).toBe('EMPTY_FILE');
  });
});
