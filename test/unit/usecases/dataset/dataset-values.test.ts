import type { RecordBatch } from 'apache-arrow';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DatasetTableWriter, readStagedBatches } from '#formats/dataset-table.ts';
import { dateFromDays, daysFromDate, isCalendarDate, normalizeIdNumber } from '#schemas/dataset-values.ts';
import { DATASETS } from '#schemas/datasets.ts';

const pad = (n: number, width: number) => String(n).padStart(width, '0');

describe('isCalendarDate', () => {
  it.each([
    ['2024-02-29', true],
    ['2026-02-29', false],
    ['2000-02-29', true],
    ['1900-02-29', false],
    ['2026-04-31', false],
    ['2026-12-31', true],
    ['2026-00-10', false],
    ['2026-01-00', false],
    ['2026-9-01', false],
    ['2026/09/01', false],
    ['20260901', false],
    ['2026-09-01 ', false],
    ['２０２６-09-01', false],
    ['', false],
  ])('%s → %s', (value, ok) => {
    // Act & Assess
    expect(isCalendarDate(value)).toBe(ok);
  });

  it('agrees with the Gregorian calendar of Date', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (y, m, d) => {
          const date = new Date(0);
          date.setUTCFullYear(y, m - 1, d);
          const real = m >= 1 && m <= 12 && d >= 1 && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
          expect(isCalendarDate(`${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`)).toBe(real);
        },
      ),
    );
  });
});

describe('normalizeIdNumber', () => {
  it('upper-cases a lower-case check character and leaves other values as they are', () => {
    // Act & Assess
    expect(normalizeIdNumber('11010519491231002x')).toBe('11010519491231002X');
    const id = '11010519491231002X';
    expect(normalizeIdNumber(id)).toBe(id);
  });
});

describe('daysFromDate / dateFromDays', () => {
  it('are the Arrow DateDay values of Date.UTC, both ways', () => {
    fc.assert(
      fc.property(fc.integer({ min: -719_162, max: 2_932_896 }), (days) => {
        const date = new Date(days * 86_400_000);
        const text = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
        expect(dateFromDays(days)).toBe(text);
        expect(daysFromDate(text)).toBe(days);
      }),
    );
  });
});

describe('DatasetTableWriter / readStagedBatches', () => {
  const text = fc.string({ maxLength: 20, unit: 'grapheme' });

  it('round-trip any text, flags, nulls and amounts', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            staff_id: text,
            staff_name: text,
            relative_id_number: text,
            relation: text,
            filed: fc.boolean(),
            filed_date: text,
          }),
          { maxLength: 40 },
        ),
        (rows) => {
          const writer = new DatasetTableWriter(DATASETS['staff-relatives'].arrow, ['k0', '键1']);
          rows.forEach((row, i) => {
            writer.add(i % 2, i + 1, row);
          });
          const back = readStagedBatches(writer.toIpcFile(), DATASETS['staff-relatives'].arrow).flatMap(
            (b) => {
              const get = ['staff_id', 'staff_name', 'relative_id_number', 'relation', 'filed_date'].map(
                (n) => b.text(n),
              );
              const filed = b.bool('filed');
              const source = b.text('source');
              const line = b.uint32('line');
              return Array.from({ length: b.length }, (_, i) => ({
                source: source(i),
                line: line(i),
                staff_id: get[0]?.(i),
                staff_name: get[1]?.(i),
                relative_id_number: get[2]?.(i),
                relation: get[3]?.(i),
                filed: filed(i),
                filed_date: get[4]?.(i),
              }));
            },
          );
          expect(back).toEqual(rows.map((row, i) => ({ source: i % 2 ? '键1' : 'k0', line: i + 1, ...row })));
        },
      ),
    );
  });

  it('round-trip nullable amounts and months as undefined and empty', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            id_number: text,
            month: fc.constantFrom('2026-01', '2026-12'),
            employer: text,
            contribution_base: fc.option(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), {
              nil: undefined,
            }),
            pension_amount: fc.option(fc.integer({ min: 0, max: 2 ** 40 }), { nil: undefined }),
          }),
          { maxLength: 40 },
        ),
        (rows) => {
          const writer = new DatasetTableWriter(DATASETS['social-insurance'].arrow, ['k']);
          for (const row of rows) writer.add(0, 1, row);
          const back = readStagedBatches(writer.toIpcFile(), DATASETS['social-insurance'].arrow).flatMap(
            (b) => {
              const base = b.fen('contribution_base_fen');
              const pension = b.fen('pension_amount_fen');
              return Array.from({ length: b.length }, (_, i) => [base(i), pension(i)]);
            },
          );
          expect(back).toEqual(rows.map((r) => [r.contribution_base, r.pension_amount]));
        },
      ),
    );
  });

  it('rolls back to a mark (a file read again)', () => {
    // Prepare
    const writer = new DatasetTableWriter(DATASETS.registry.arrow, ['a']);
    const row = {
      id_number: 'A',
      name: '',
      household_id: '',
      category: 'DIBAO',
      approved_amount: 1,
      status: 'ACTIVE',
      town: '',
      account_number: '',
      valid_from: '',
      valid_to: '2026-01',
    };
    writer.add(0, 1, row);
    const mark = writer.mark();
    writer.add(0, 2, row);

    // Act
    writer.rollback(mark);
    writer.add(0, 3, { ...row, id_number: 'B' });

    // Assess
    const batches = readStagedBatches(writer.toIpcFile(), DATASETS.registry.arrow);
    const ids = batches.flatMap((b) =>
      Array.from({ length: b.length }, (_, i) => [
        b.text('id_number')(i),
        b.uint32('line')(i),
        b.text('valid_from')(i),
        b.text('valid_to')(i),
      ]),
    );
    expect(ids).toEqual([
      ['A', 1, '', '2026-01'],
      ['B', 3, '', '2026-01'],
    ]);
    expect(writer.rowCount).toBe(2);
  });

  it('keeps heldBytes equal to the bytes of the finished batches it holds, through marks, spills and rollbacks', () => {
    type Op = { add: number } | { op: 'mark' | 'spill' | 'spillBeforeMark' | 'rollback' };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ add: fc.integer({ min: 0, max: 9 }) }),
      fc.constantFrom<Op>({ op: 'mark' }, { op: 'spill' }, { op: 'spillBeforeMark' }, { op: 'rollback' }),
    );
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 30 }),
        fc.array(text, { minLength: 1, maxLength: 5 }),
        (ops, ids) => {
          const writer = new DatasetTableWriter(DATASETS['staff-relatives'].arrow, ['k'], 4);
          // What the counter stands for, recomputed from the batches the writer holds.
          const held = () => {
            let bytes = 0;
            for (const batch of (writer as unknown as { batches: RecordBatch[] }).batches) {
              for (const child of batch.data.children) {
                bytes += (child.values?.byteLength ?? 0) + (child.valueOffsets?.byteLength ?? 0);
                bytes += child.nullBitmap?.byteLength ?? 0;
              }
            }
            return bytes;
          };
          let mark = writer.mark();
          let line = 0;
          for (const step of ops) {
            if ('add' in step) {
              for (let i = 0; i < step.add; i++) {
                const id = ids[line % ids.length] as string;
                writer.add(0, ++line, {
                  staff_id: id,
                  staff_name: id,
                  relative_id_number: id,
                  relation: '',
                  filed: true,
                  filed_date: '',
                });
              }
            } else if (step.op === 'mark') mark = writer.mark();
            else if (step.op === 'spill') writer.spill();
            else if (step.op === 'spillBeforeMark') writer.spill(mark.batches);
            else writer.rollback(mark);
            expect(writer.heldBytes).toBe(held());
          }
        },
      ),
    );
  });

  it('refuses a file staged with another layout', () => {
    // Prepare
    const bytes = new DatasetTableWriter(DATASETS['social-insurance'].arrow, []).toIpcFile();

    // Act & Assess
    expect(() => readStagedBatches(bytes, DATASETS.registry.arrow)).toThrow(/expected/);
  });
});
