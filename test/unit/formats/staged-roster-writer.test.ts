import { tableFromIPC } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StagedRosterWriter } from '#formats/staged-roster-writer.ts';
import { CATEGORY_CODES } from '#schemas/categories.ts';
import { STAGED_ROSTER_SCHEMA, type StagedRosterRow, StagedRosterRowSchema } from '#schemas/staged-roster.ts';

const TOWNS = ['shiqi', 'dongqu', 'xiaolan'];

function readBack(bytes: Uint8Array): StagedRosterRow[] {
  const table = tableFromIPC(bytes);
  return table.toArray().map((r) => {
    const o = r.toJSON();
    return {
      row: o.row,
      idNumber: o.id_number,
      name: o.name,
      householdId: o.household_id,
      category: o.category,
      amountFen: o.amount_fen,
      town: o.town,
      accountNumber: o.account_number,
      accountHolderId: o.account_holder_id,
      remark: o.remark,
    } as StagedRosterRow;
  });
}

const rowArbitrary = fc.record({
  row: fc.integer({ min: 1, max: 2_000_000 }),
  idNumber: fc.stringMatching(/^\d{17}[\dX]$/),
  name: fc.string({ minLength: 1, maxLength: 50, unit: 'grapheme' }),
  householdId: fc.string({ minLength: 1, maxLength: 20, unit: 'binary' }).filter((s) => !s.includes('\0')),
  category: fc.constantFrom(...CATEGORY_CODES),
  amountFen: fc.integer({ min: 1, max: 10_000_000 }),
  town: fc.constantFrom(...TOWNS),
  accountNumber: fc.stringMatching(/^\d{10,25}$/),
  accountHolderId: fc.constantFrom('', '44200019800101123X'),
  remark: fc.string({ maxLength: 30, unit: 'grapheme' }).filter((s) => !s.includes('\0')),
});

describe('StagedRosterWriter', () => {
  it('writes an Arrow IPC file with the explicit staged-roster schema', () => {
    // Prepare
    const writer = new StagedRosterWriter(TOWNS);
    writer.add({
      row: 3,
      idNumber: '44200019800101123X',
      name: '黄𠀀明',
      householdId: 'H1',
      category: 'TEKUN',
      amountFen: 118050,
      town: 'dongqu',
      accountNumber: '6222020200001234567',
      accountHolderId: '',
      remark: '备注 😀',
    });
    // Act
    const table = tableFromIPC(writer.toIpcFile());
    // Assess
    expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(
      STAGED_ROSTER_SCHEMA.fields.map((f) => `${f.name}:${f.type}`),
    );
    expect(readBack(writer.toIpcFile())[0]).toEqual(
      expect.objectContaining({ name: '黄𠀀明', remark: '备注 😀', town: 'dongqu' }),
    );
  });

  it('spans several record batches for large rosters', () => {
    // Prepare
    const writer = new StagedRosterWriter(TOWNS);
    for (let i = 1; i <= 150_000; i++) {
      writer.add({
        row: i,
        idNumber: '44200019800101123X',
        name: `名${i}`,
        householdId: `H${i}`,
        category: 'DIBAO',
        amountFen: i,
        town: TOWNS[i % 3] as string,
        accountNumber: '6222020200001234567',
        accountHolderId: '',
        remark: '',
      });
    }
    // Act
    const table = tableFromIPC(writer.toIpcFile());
    // Assess
    expect(table.numRows).toBe(150_000);
    expect(table.batches.length).toBe(3);
    expect(table.get(149_999)?.toJSON()).toEqual(
      expect.objectContaining({ row: 150_000, name: '名150000', amount_fen: 150_000, town: 'shiqi' }),
    );
  });

  it('refuses a town code outside the towns directory', () => {
    // Prepare
    const writer = new StagedRosterWriter(TOWNS);
    // Act / Assess
    expect(() =>
      writer.add({
        row: 1,
        idNumber: '44200019800101123X',
        name: 'x',
        householdId: 'H',
        category: 'DIBAO',
        amountFen: 1,
        town: 'atlantis',
        accountNumber: '6222020200001234567',
        accountHolderId: '',
        remark: '',
      }),
    ).toThrow(/atlantis/);
  });

  it('round-trips any valid rows exactly (property)', () => {
    fc.assert(
      fc.property(fc.array(rowArbitrary, { maxLength: 40 }), (rows) => {
        const writer = new StagedRosterWriter(TOWNS);
        for (const r of rows) writer.add(r);
        const back = readBack(writer.toIpcFile());
        expect(back).toEqual(rows);
        for (const r of back) expect(StagedRosterRowSchema.safeParse(r).success).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
