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

  it('says the header must be within the first 10 lines when none of them names a required column', () => {
    // Act
    const finding = fileFinding({
      key: KEY,
      missing: ['id_number', 'name', 'household_id', 'category', 'amount', 'month', 'town', 'account_number'],
      headerLine: 'not-found',
      dataRows: 14,
    });

    // Assess
    expect(finding).toEqual({
      code: 'MISSING_COLUMNS',
      detail:
        `文件 ${KEY} 的前 10 行中没有表头：表头须在前 10 行内，且包含必需列 身份证号（id_number）、姓名（name）、户编号（household_id）、救助类别（category）、发放金额（amount）、发放月份（month）、镇街（town）、收款账号（account_number） / ` +
        `file ${KEY} has no header in its first 10 lines: the header must be within the first 10 lines and name the required column(s) id_number, name, household_id, category, amount, month, town, account_number`,
    });
  });

  it('names the line of a header below a title that lacks a column', () => {
    // Act
    const finding = fileFinding({
      key: KEY,
      missing: ['town'],
      headerLine: 3,
      lineName: 'sheet row',
      dataRows: 4,
    });

    // Assess
    expect(finding?.detail).toBe(
      `文件 ${KEY} 第 3 行的表头缺少必需列：镇街（town） / file ${KEY}: the header in sheet row 3 lacks required column(s): town`,
    );
  });

  it('reports TOTAL_MISMATCH last, giving the stated total, the sum of the valid amounts and the difference', () => {
    // Prepare
    const total = { line: 42, label: '合计', stated: '85732.5', validAmountsFen: 8_563_250 };

    // Act
    const mismatch = fileFinding({ key: KEY, missing: [], dataRows: 40, total });
    const empty = fileFinding({ key: KEY, missing: [], dataRows: 0, total });
    const missing = fileFinding({ key: KEY, missing: ['town'], dataRows: 40, total });

    // Assess
    expect(mismatch).toEqual({
      code: 'TOTAL_MISMATCH',
      detail:
        `文件 ${KEY} 第 42 行合计为 85732.50，有效金额之和为 85632.50，相差 100.00 / ` +
        `file ${KEY}: the total line (line 42) states 85732.50, the valid amounts sum to 85632.50 (difference 100.00)`,
    });
    expect(empty?.code).toBe('EMPTY_FILE');
    expect(missing?.code).toBe('MISSING_COLUMNS');
  });

  it('reports TOTAL_MISMATCH for a total with a thousands separator, even when its figure is right', () => {
    // Act
    const finding = fileFinding({
      key: KEY,
      missing: [],
      dataRows: 40,
      total: { line: 42, label: '总计', stated: '85,632.50', validAmountsFen: 8_563_250 },
    });

    // Assess
    expect(finding).toEqual({
      code: 'TOTAL_MISMATCH',
      detail:
        `文件 ${KEY} 第 42 行总计金额无效，有效金额之和为 85632.50 / ` +
        `file ${KEY}: the total line (line 42) states no valid amount, the valid amounts sum to 85632.50: ` +
        '合计金额 "85,632.50" 不是不超过两位小数的数字（不得含千位分隔符） / the total "85,632.50" is not a plain decimal with at most 2 decimals (no thousands separator)',
    });
  });

  it('accepts a file whose total is right or states no amount', () => {
    // Act & Assess
    for (const stated of ['85632.50', '85632.5', '']) {
      const total = { line: 42, label: '合计', stated, validAmountsFen: 8_563_250 };
      expect(fileFinding({ key: KEY, missing: [], dataRows: 40, total }), stated).toBeUndefined();
    }
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
