import { describe, expect, it } from 'vitest';
import { checkMonth } from '#domain/month-check/check-month.ts';
import type { StaffRelativeRecord } from '#domain/month-check/records.ts';
import { ID_B, payee, registeredInput, staffRelative, withCode } from './fixtures.ts';

const staffFindings = (records: StaffRelativeRecord[]) =>
  withCode(checkMonth(registeredInput([payee()], { 'staff-relatives': records })), 'UNFILED_STAFF_RELATIVE');

describe('unfiledStaffRelative', () => {
  it('sends an unfiled relative of a staff member to review, citing the register', () => {
    // Act
    const findings = staffFindings([staffRelative()]);

    // Assess
    expect(findings).toEqual([
      expect.objectContaining({
        severity: 'REVIEW',
        detail:
          '工作人员 S001 王五 的配偶，未备案（registers/staff-relatives.csv） / relative (配偶) of staff S001 王五, not filed (registers/staff-relatives.csv)',
      }),
    ]);
  });

  it('gives nothing for a filed relative', () => {
    // Act
    const findings = staffFindings([staffRelative({ filed: true })]);

    // Assess
    expect(findings).toEqual([]);
  });

  it('counts a relative with one filed and one unfiled row as unfiled', () => {
    // Prepare
    const rows = [
      staffRelative({ filed: true }),
      staffRelative({ staffId: 'S002', staffName: '赵六', filed: false }),
    ];

    // Act
    const findings = staffFindings(rows);

    // Assess
    expect(findings).toHaveLength(1);
    expect(findings[0]?.detail).toContain('S002 赵六');
  });

  it('counts the unfiled rows when there are several', () => {
    // Act
    const findings = staffFindings([staffRelative(), staffRelative({ staffId: 'S002', relation: '' })]);

    // Assess
    expect(findings[0]?.detail).toContain('共 2 条未备案');
  });

  it("ignores another person's register row", () => {
    // Act
    const findings = staffFindings([staffRelative({ relativeIdNumber: ID_B })]);

    // Assess
    expect(findings).toEqual([]);
  });
});
