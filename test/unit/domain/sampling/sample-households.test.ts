import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PayeeRow } from '#domain/month-check/records.ts';
import { sampleHouseholds } from '#domain/sampling/sample-households.ts';

const payee = (batch: string, row: number, overrides: Partial<PayeeRow> = {}): PayeeRow => ({
  batch,
  row,
  idNumber: `4420001960010${String(row).padStart(4, '0')}X`,
  name: '张三',
  householdId: 'H1',
  category: 'DIBAO',
  amountFen: 118_000,
  town: 'shiqi',
  accountNumber: '6222020200000000001',
  accountHolderId: '',
  ...overrides,
});

describe('sampleHouseholds', () => {
  it('makes one household per (town, household_id), sorted, with its first payee by batch then row', () => {
    // Prepare
    const payees = [
      payee('shiqi', 7, { householdId: 'H2', idNumber: 'SHIQI-7' }),
      payee('shiqi', 3, { householdId: 'H1', idNumber: 'SHIQI-3' }),
      payee('a-extra', 9, { householdId: 'H2', idNumber: 'EXTRA-9' }),
      payee('shiqi', 2, { householdId: 'H2', idNumber: 'SHIQI-2' }),
      payee('dongqu', 5, { householdId: 'H1', idNumber: 'DONGQU-5', town: 'dongqu' }),
    ];
    // Act
    const households = sampleHouseholds(payees, []);
    // Assess: H1 is split over two towns and counts in each.
    expect(households).toEqual([
      { town: 'dongqu', householdId: 'H1', idNumber: 'DONGQU-5', findingCodes: [] },
      { town: 'shiqi', householdId: 'H1', idNumber: 'SHIQI-3', findingCodes: [] },
      { town: 'shiqi', householdId: 'H2', idNumber: 'EXTRA-9', findingCodes: [] },
    ]);
  });

  it('collects the distinct, sorted codes of contract 3.3 on the household rows in the town only', () => {
    // Prepare
    const payees = [
      payee('shiqi', 1, { householdId: 'H1' }),
      payee('shiqi', 2, { householdId: 'H1' }),
      payee('shiqi', 3, { householdId: 'H2' }),
      payee('dongqu', 1, { householdId: 'H1', town: 'dongqu' }),
    ];
    const findings = [
      { batch: 'shiqi', row: 2, code: 'SHARED_ACCOUNT' },
      { batch: 'shiqi', row: 1, code: 'DIED_IN_MONTH' },
      { batch: 'shiqi', row: 1, code: 'SHARED_ACCOUNT' },
      { batch: 'shiqi', row: 1, code: 'AMOUNT_MISMATCH' },
      // Not checks of 3.3, or on no row: ignored.
      { batch: 'shiqi', row: 3, code: 'INVALID_ID' },
      { batch: 'shiqi', row: undefined, code: 'EMPTY_FILE' },
      { batch: '', row: undefined, code: 'MISSING_PAYMENT' },
      { batch: 'shiqi', row: 3, code: 'toString' },
      // Same row number in another batch.
      { batch: 'other', row: 3, code: 'DECEASED' },
    ];
    // Act
    const households = sampleHouseholds(payees, findings);
    // Assess
    expect(households.map((h) => [h.town, h.householdId, h.findingCodes])).toEqual([
      ['dongqu', 'H1', []],
      ['shiqi', 'H1', ['AMOUNT_MISMATCH', 'DIED_IN_MONTH', 'SHARED_ACCOUNT']],
      ['shiqi', 'H2', []],
    ]);
  });

  it('does not depend on the order of payees or findings (property)', () => {
    const payeesArbitrary = fc.uniqueArray(
      fc.record({
        batch: fc.constantFrom('a', 'b'),
        row: fc.integer({ min: 1, max: 30 }),
        householdId: fc.constantFrom('H1', 'H2', 'H3'),
        town: fc.constantFrom('shiqi', 'dongqu'),
      }),
      { selector: (p) => `${p.batch}#${p.row}`, maxLength: 40 },
    );
    const findingArbitrary = fc.record({
      batch: fc.constantFrom('a', 'b'),
      row: fc.integer({ min: 1, max: 30 }),
      code: fc.constantFrom('DECEASED', 'NAME_MISMATCH', 'EMPLOYED', 'INVALID_ID'),
    });
    fc.assert(
      fc.property(payeesArbitrary, fc.array(findingArbitrary, { maxLength: 20 }), (rows, findings) => {
        // Prepare
        const payees = rows.map((r) => payee(r.batch, r.row, { householdId: r.householdId, town: r.town }));
        // Act
        const forward = sampleHouseholds(payees, findings);
        const backward = sampleHouseholds([...payees].reverse(), [...findings].reverse());
        // Assess
        expect(backward).toEqual(forward);
        expect(new Set(forward.map((h) => `${h.town}/${h.householdId}`)).size).toBe(forward.length);
      }),
    );
  });
});
