import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkMonth, checkMonthFindings } from '#domain/month-check/check-month.ts';
import { compareFindings } from '#domain/month-check/compare-findings.ts';
import { partitionOf } from '#domain/month-check/partition.ts';
import type { MonthCheckInput } from '#domain/month-check/records.ts';
import { DATASET_NAMES } from '#schemas/datasets.ts';
import type { Finding } from '#schemas/finding.ts';
import { FindingSchema } from '#schemas/finding.ts';
import { UNMASKED_ID_NUMBER } from '../../../support/unmasked-id-number.ts';
import {
  business,
  death,
  ID_B,
  keepPeople,
  monthInput,
  payee,
  registeredInput,
  registryFor,
  socialInsurance,
  staffRelative,
  withRecords,
} from './fixtures.ts';
import { monthWorld } from './month-world.ts';

/** The records of the people of one partition; the proxy register and shared accounts whole. */
function partitionInput(input: MonthCheckInput, partition: number, partitions: number): MonthCheckInput {
  const mine = (id: string) => partitionOf(id, partitions) === partition;
  const partner = DATASET_NAMES.filter((name) => name !== 'proxy-accounts');
  return { ...keepPeople(input, mine, partner), payees: input.payees.filter((r) => mine(r.idNumber)) };
}

const sorted = (findings: Finding[]) => [...findings].sort(compareFindings);

describe('checkMonth', () => {
  it('finds nothing in a month that matches the registry and has no partner records', () => {
    // Prepare
    const rows = [
      payee({ row: 1 }),
      payee({ row: 2, idNumber: ID_B, householdId: 'H002', accountNumber: '62220202000055' }),
    ];

    // Act
    const findings = checkMonth(registeredInput(rows));

    // Assess
    expect(findings).toEqual([]);
  });

  it('gives a row every finding that applies, in contract order, each once, with its month, category and severity', () => {
    // Prepare
    const row = payee({ row: 7, category: 'DIBAO', accountHolderId: ID_B, householdId: 'H001' });
    const twin = payee({ batch: 'dq02', row: 2, category: 'TEKUN', householdId: 'H002' });
    const input = monthInput({
      payees: [row, twin],
      registry: [
        registryFor(row, {
          status: 'SUSPENDED',
          approvedAmountFen: 1,
          town: 'dq02',
          accountNumber: '6222020200000000',
          name: '张叁',
        }),
      ],
      deaths: [death({ date: '2026-10-02' }), death({ date: '2026-10-03' })],
      business: [business(), business()],
      'social-insurance': [socialInsurance({ contributionBaseFen: 999_999, pensionAmountFen: 999_999 })],
      'staff-relatives': [staffRelative(), staffRelative()],
    });

    // Act
    const findings = checkMonth(input).filter((f) => f.batch === 'shiqi');

    // Assess
    expect(findings.map((f) => `${f.code}:${f.severity}`)).toEqual([
      'INACTIVE_IN_REGISTRY:BLOCK',
      'AMOUNT_MISMATCH:BLOCK',
      'TOWN_MISMATCH:BLOCK',
      'ACCOUNT_MISMATCH:BLOCK',
      'NAME_MISMATCH:REVIEW',
      'DIED_IN_MONTH:REVIEW',
      'EXCLUSIVE_CATEGORIES:BLOCK',
      'SHARED_ACCOUNT:REVIEW',
      'UNFILED_PROXY_ACCOUNT:REVIEW',
      'UNFILED_STAFF_RELATIVE:REVIEW',
      'BUSINESS_OWNER:REVIEW',
      'EMPLOYED:REVIEW',
      'PENSION_INCOME:REVIEW',
    ]);
    for (const f of findings) expect(FindingSchema.parse(f)).toEqual(f);
    expect(new Set(findings.map((f) => `${f.month}|${f.row}|${f.idNumber}|${f.category}`))).toEqual(
      new Set([`2026-10|7|${row.idNumber}|DIBAO`]),
    );
  });

  it('rejects a configuration month that is not YYYY-MM', () => {
    // Prepare
    const input = monthInput();

    // Act
    const act = () => checkMonth({ ...input, config: { ...input.config, month: '2026-9' } });

    // Assess
    expect(act).toThrow(RangeError);
  });

  it('yields the row findings in findings.csv order when the payees come in batch and row order', () => {
    fc.assert(
      fc.property(monthWorld(), (input) => {
        // Prepare: staged rosters are read batch by batch, each in row order.
        const payees = [...input.payees].sort((a, b) =>
          a.batch === b.batch ? a.row - b.row : a.batch < b.batch ? -1 : 1,
        );

        // Act
        const rowFindings = [...checkMonthFindings({ ...input, payees })].filter((f) => f.batch !== '');

        // Assess
        expect(rowFindings).toEqual(sorted(rowFindings));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same findings over any partitioning as over the whole month', () => {
    fc.assert(
      fc.property(monthWorld(), (input) => {
        // Prepare
        const whole = sorted(checkMonth(input));

        for (const partitions of [1, 2, 3, 7]) {
          // Act
          const union: Finding[] = [];
          for (let p = 0; p < partitions; p++)
            union.push(...checkMonth(partitionInput(input, p, partitions)));

          // Assess
          expect(sorted(union)).toEqual(whole);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same findings when the partner and register records of people not paid are left out', () => {
    fc.assert(
      fc.property(monthWorld(), (input) => {
        // Prepare: what prepareMonthRun hands the partitions (the registry stays whole).
        const paid = new Set(input.payees.map((r) => r.idNumber));
        const reduced = keepPeople(
          input,
          (id) => paid.has(id),
          DATASET_NAMES.filter((name) => name !== 'registry'),
        );

        // Act
        const findings = checkMonth(reduced);

        // Assess
        expect(sorted(findings)).toEqual(sorted(checkMonth(input)));
      }),
      { numRuns: 300 },
    );
  });

  it('finds people by any ID text, not only resident IDs', () => {
    // Prepare: hand-made IDs that do not pack into integers.
    const rows = [
      payee({ row: 1, idNumber: 'P-1' }),
      payee({ row: 2, idNumber: 'p-1', householdId: 'H002' }),
    ];
    const input = registeredInput(rows);

    // Act
    const findings = checkMonth(
      withRecords(input, 'deaths', [death({ idNumber: 'P-1', date: '2026-09-01' })]),
    );

    // Assess
    expect(findings.map((f) => `${f.idNumber}:${f.code}`).sort()).toEqual([
      'P-1:DECEASED',
      'P-1:SHARED_ACCOUNT',
      'p-1:SHARED_ACCOUNT',
    ]);
  });

  it('reports each (row, code) once, valid findings only, and never a whole ID number in a detail', () => {
    fc.assert(
      fc.property(monthWorld(), (input) => {
        // Act
        const findings = checkMonth(input);

        // Assess
        const pairs = findings.map((f) => `${f.batch}|${f.row ?? f.idNumber}|${f.category}|${f.code}`);
        expect(new Set(pairs).size).toBe(pairs.length);
        for (const f of findings) {
          expect(FindingSchema.safeParse(f).success).toBe(true);
          expect(f.detail).not.toMatch(UNMASKED_ID_NUMBER);
        }
      }),
      { numRuns: 200 },
    );
  });
});
