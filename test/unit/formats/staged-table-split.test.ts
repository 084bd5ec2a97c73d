import { tableFromIPC } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DatasetTableWriter, readStagedTable } from '#formats/dataset-table.ts';
import { StagedRosterWriter } from '#formats/staged-roster-writer.ts';
import { splitStagedTable } from '#formats/staged-table-split.ts';
import { CATEGORY_CODES } from '#schemas/categories.ts';
import { DATASETS } from '#schemas/datasets.ts';

const rowsOf = (bytes: Uint8Array) =>
  tableFromIPC(bytes)
    .toArray()
    .map((r) => JSON.stringify(r.toJSON(), (_, v) => (typeof v === 'bigint' ? `${v}n` : v)));
const text = (bytes: Uint8Array, start: number, end: number) =>
  Buffer.from(bytes.subarray(start, end)).toString();

const registryRow = fc.record({
  id_number: fc.stringMatching(/^\d{17}[\dX]$/),
  name: fc.string({ unit: 'grapheme', maxLength: 12 }).filter((s) => !s.includes('\0')),
  household_id: fc.string({ minLength: 1, maxLength: 40 }),
  category: fc.constantFrom(...CATEGORY_CODES),
  approved_amount: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  status: fc.constantFrom('ACTIVE', 'SUSPENDED', 'TERMINATED'),
  town: fc.constantFrom('shiqi', '南区街道'),
  account_number: fc.stringMatching(/^\d{10,25}$/),
  valid_from: fc.constantFrom('', '2026-01'),
  valid_to: fc.constantFrom('', '2026-12'),
});

describe('splitStagedTable', () => {
  it('sends every row of a dataset file to its part, in order, values and nulls intact', () => {
    fc.assert(
      fc.property(
        fc.array(registryRow, { maxLength: 200 }),
        fc.integer({ min: 1, max: 5 }),
        (rows, parts) => {
          // Prepare: two source files and a small batch size are not needed; one writer, many rows.
          const writer = new DatasetTableWriter(DATASETS.registry.arrow, ['reference/registry.csv']);
          rows.forEach((row, i) => {
            writer.add(0, i + 1, row);
          });
          const bytes = writer.toIpcFile();
          const assign = (b: Uint8Array, s: number, e: number) => {
            const id = text(b, s, e);
            return id.endsWith('0') ? -1 : id.charCodeAt(5) % parts;
          };

          // Act
          const split = splitStagedTable(
            readStagedTable(bytes, DATASETS.registry.arrow),
            'id_number',
            parts,
            assign,
          );

          // Assess
          const all = rowsOf(bytes);
          expect(split).toHaveLength(parts);
          split.forEach((part, p) => {
            const expected = all.filter((_, i) => {
              const id = rows[i]?.id_number as string;
              return !id.endsWith('0') && id.charCodeAt(5) % parts === p;
            });
            expect(rowsOf(part)).toEqual(expected);
            expect(() => readStagedTable(part, DATASETS.registry.arrow)).not.toThrow();
          });
        },
      ),
      { numRuns: 50 },
    );
  });

  it('keeps null amounts null and copies rows across record batches', () => {
    // Prepare: more rows than one record batch holds (65,536).
    const writer = new DatasetTableWriter(DATASETS['social-insurance'].arrow, ['a.csv', 'b.csv']);
    for (let i = 0; i < 70_000; i++) {
      writer.add(i % 2, i + 1, {
        id_number: `4420001980010${String(i).padStart(5, '0')}`,
        month: '2026-10',
        employer: i % 3 === 0 ? '' : '某某厂',
        contribution_base: i % 4 === 0 ? undefined : i * 100,
        pension_amount: i % 5 === 0 ? 2 ** 40 + i : undefined,
      });
    }
    const bytes = writer.toIpcFile();

    // Act
    const [even, odd] = splitStagedTable(
      readStagedTable(bytes, DATASETS['social-insurance'].arrow),
      'id_number',
      2,
      (b, _, e) => (b[e - 1] as number) % 2,
    );

    // Assess
    const all = rowsOf(bytes);
    expect(rowsOf(even as Uint8Array)).toEqual(all.filter((_, i) => i % 2 === 0));
    expect(rowsOf(odd as Uint8Array)).toEqual(all.filter((_, i) => i % 2 === 1));
  });

  it('splits a staged roster (Int32 amounts, Int16 town dictionary) and writes empty parts too', () => {
    // Prepare
    const writer = new StagedRosterWriter(['shiqi', 'dongqu']);
    for (let i = 1; i <= 10; i++) {
      writer.add({
        row: i,
        idNumber: `44200019800101${String(i).padStart(3, '0')}X`,
        name: `张${i}`,
        householdId: `H${i}`,
        category: 'DIBAO',
        amountFen: 100 * i,
        town: i % 2 === 0 ? 'shiqi' : 'dongqu',
        accountNumber: `62220202000012345${i % 10}`,
        accountHolderId: '',
        remark: '',
      });
    }
    const bytes = writer.toIpcFile();

    // Act
    const parts = splitStagedTable(tableFromIPC(bytes), 'id_number', 3, (b, s, e) =>
      text(b, s, e).endsWith('003X') ? 1 : 0,
    );

    // Assess
    const all = rowsOf(bytes);
    expect(rowsOf(parts[0] as Uint8Array)).toEqual(all.filter((_, i) => i !== 2));
    expect(rowsOf(parts[1] as Uint8Array)).toEqual([all[2]]);
    expect(rowsOf(parts[2] as Uint8Array)).toEqual([]);
  });

  it('copies Bool and DateDay columns bit by bit and day by day', () => {
    // Prepare
    const staff = new DatasetTableWriter(DATASETS['staff-relatives'].arrow, [
      'registers/staff-relatives.csv',
    ]);
    const deaths = new DatasetTableWriter(DATASETS.deaths.arrow, ['partners/deaths/a.csv']);
    for (let i = 0; i < 20; i++) {
      const id = `4420001980010100${String(i).padStart(2, '0')}`;
      staff.add(0, i + 1, {
        staff_id: `S${i}`,
        staff_name: '',
        relative_id_number: id,
        relation: '配偶',
        filed: i % 3 === 0,
        filed_date: '',
      });
      deaths.add(0, i + 1, {
        id_number: id,
        name: '',
        date_of_death: `19${String(10 + i)}-0${1 + (i % 9)}-1${i % 10}`,
      });
    }
    const staffBytes = staff.toIpcFile();
    const deathBytes = deaths.toIpcFile();
    const odd = (b: Uint8Array, _: number, e: number) => ((b[e - 1] as number) % 2 === 1 ? 0 : -1);

    // Act
    const [staffPart] = splitStagedTable(
      readStagedTable(staffBytes, DATASETS['staff-relatives'].arrow),
      'relative_id_number',
      1,
      odd,
    );
    const [deathPart] = splitStagedTable(
      readStagedTable(deathBytes, DATASETS.deaths.arrow),
      'id_number',
      1,
      odd,
    );

    // Assess
    expect(rowsOf(staffPart as Uint8Array)).toEqual(rowsOf(staffBytes).filter((_, i) => i % 2 === 1));
    expect(rowsOf(deathPart as Uint8Array)).toEqual(rowsOf(deathBytes).filter((_, i) => i % 2 === 1));
  });

  it('refuses a key column that is not text, and a part out of range', () => {
    // Prepare
    const table = readStagedTable(
      new DatasetTableWriter(DATASETS.registry.arrow, []).toIpcFile(),
      DATASETS.registry.arrow,
    );
    const writer = new DatasetTableWriter(DATASETS.registry.arrow, ['r.csv']);
    writer.add(0, 1, {
      id_number: '44200019800101123X',
      name: '',
      household_id: 'H',
      category: 'DIBAO',
      approved_amount: 1,
      status: 'ACTIVE',
      town: 't',
      account_number: '1234567890',
      valid_from: '',
      valid_to: '',
    });
    const one = readStagedTable(writer.toIpcFile(), DATASETS.registry.arrow);

    // Act, Assess
    expect(() => splitStagedTable(table, 'approved_amount_fen', 2, () => 0)).toThrow(/no text column/);
    expect(() => splitStagedTable(one, 'id_number', 2, () => 2)).toThrow(RangeError);
  });
});
