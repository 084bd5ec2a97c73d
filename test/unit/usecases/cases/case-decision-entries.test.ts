import { describe, expect, it } from 'vitest';
import {
  caseDecisionEntries,
  DECISIONS_PER_ENTRY,
  type ImportedCaseDecision,
} from '#usecases/case-decision-entries.ts';

const base = {
  month: '2026-09',
  actor: 'chen',
  at: '2026-10-05T08:00:00.000Z',
  subject: 'case workbook of xiaolan',
  contentSha256: 'a'.repeat(64),
  town: 'xiaolan',
};

const decision = (row: number, note: string): ImportedCaseDecision => ({
  row,
  at: base.at,
  caseId: `F-${row}`,
  town: 'xiaolan',
  kind: 'FINDING',
  code: 'EMPLOYED',
  idNumber: '442000********123X',
  outcome: { outcome: 'CONFIRMED_IN_ORDER', note },
  version: 2,
});

describe('caseDecisionEntries', () => {
  it('puts at most 500 decisions in an entry, in the order given, numbered part of parts', () => {
    // Prepare
    const decisions = Array.from({ length: 1201 }, (_, i) => decision(i + 2, 'ok'));

    // Act
    const entries = caseDecisionEntries(base, decisions);

    // Assess
    expect(entries.map((e) => (e.details.decisions as unknown[]).length)).toEqual([
      DECISIONS_PER_ENTRY,
      DECISIONS_PER_ENTRY,
      201,
    ]);
    expect(entries.map((e) => [e.details.part, e.details.parts])).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(entries.flatMap((e) => (e.details.decisions as ImportedCaseDecision[]).map((d) => d.row))).toEqual(
      decisions.map((d) => d.row),
    );
  });

  it('closes an entry early when long notes would take it past what a DynamoDB item holds', () => {
    // Prepare: the longest note allowed (500 characters), three bytes each in UTF-8
    const decisions = Array.from({ length: 1000 }, (_, i) => decision(i + 2, '核'.repeat(500)));

    // Act
    const entries = caseDecisionEntries(base, decisions);

    // Assess
    expect(entries.length).toBeGreaterThan(2);
    for (const entry of entries)
      expect(Buffer.byteLength(JSON.stringify(entry), 'utf8')).toBeLessThan(350_000);
    expect(entries.flatMap((e) => e.details.decisions as unknown[])).toHaveLength(1000);
  });

  it('writes no entry when nothing was applied', () => {
    expect(caseDecisionEntries(base, [])).toEqual([]);
  });
});
