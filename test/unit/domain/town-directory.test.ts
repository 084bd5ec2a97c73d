import { describe, expect, it } from 'vitest';
import { parseTowns, TownDirectory } from '#domain/town-directory.ts';
import { ReferenceDataError } from '#schemas/reference-data-error.ts';
import { TOWNS } from './fixtures.ts';

function thrownBy(act: () => unknown): ReferenceDataError {
  try {
    act();
  } catch (error) {
    if (error instanceof ReferenceDataError) return error;
    throw error;
  }
  throw new Error('expected a ReferenceDataError');
}

describe('TownDirectory', () => {
  it.each([
    ['shiqi', 'shiqi'],
    ['SHIQI', 'shiqi'],
    ['ShiQi', 'shiqi'],
    ['DQ02', 'DQ02'],
    ['dq02', 'DQ02'],
  ])('resolves the code %s case-insensitively to %s as written in towns.csv', (value, code) => {
    // Prepare
    const directory = new TownDirectory(TOWNS);

    // Act
    const result = directory.resolve(value);

    // Assess
    expect(result).toBe(code);
  });

  it.each([
    ['石岐街道', 'shiqi'],
    ['东区街道', 'DQ02'],
  ])('resolves the Chinese name %s to %s', (value, code) => {
    // Prepare
    const directory = new TownDirectory(TOWNS);

    // Act
    const result = directory.resolve(value);

    // Assess
    expect(result).toBe(code);
  });

  it.each(['石岐', '石岐街', '東區街道', 'xiqu', '', ' shiqi'])('finds no town for %j', (value) => {
    // Prepare
    const directory = new TownDirectory(TOWNS);

    // Act
    const result = directory.resolve(value);

    // Assess
    expect(result).toBeUndefined();
  });

  it('lets the first town win when a hand-made list repeats a code or name', () => {
    // Prepare
    const directory = new TownDirectory([
      { code: 'a', name: '甲', population: 1 },
      { code: 'A', name: '乙', population: 2 },
      { code: 'c', name: '甲', population: 3 },
    ]);

    // Act
    const byCode = directory.resolve('A');
    const byName = directory.resolve('甲');

    // Assess
    expect(byCode).toBe('a');
    expect(byName).toBe('a');
  });

  it('keeps the towns it was built from', () => {
    // Act
    const directory = new TownDirectory(TOWNS);

    // Assess
    expect(directory.towns).toEqual(TOWNS);
  });
});

describe('parseTowns', () => {
  it('reads code, name and population, cleaning every value', () => {
    // Prepare
    const header = ['code', 'name', 'population'];
    const records = [
      [' shiqi ', '\u3000石岐街道\u3000', ' 150000 '],
      ['DQ02', '东区街道', '120000'],
    ];

    // Act
    const towns = parseTowns(header, records);

    // Assess
    expect(towns).toEqual([
      { code: 'shiqi', name: '石岐街道', population: 150000 },
      { code: 'DQ02', name: '东区街道', population: 120000 },
    ]);
  });

  it('matches header names case-insensitively after trimming, in any order, ignoring extra columns', () => {
    // Prepare
    const header = ['\ufeffPopulation', 'remark', ' NAME\u3000', 'Code'];
    const records = [['0', 'new', '新区', 'xq']];

    // Act
    const towns = parseTowns(header, records);

    // Assess
    expect(towns).toEqual([{ code: 'xq', name: '新区', population: 0 }]);
  });

  it('skips records with an empty code', () => {
    // Prepare
    const records = [['shiqi', '石岐街道', '1'], ['', '', ''], [' ', '合计', '2'], []];

    // Act
    const towns = parseTowns(['code', 'name', 'population'], records);

    // Assess
    expect(towns.map((t) => t.code)).toEqual(['shiqi']);
  });

  it('keeps a row repeated exactly once', () => {
    // Prepare
    const records = [
      ['shiqi', '石岐街道', '1'],
      ['shiqi', '石岐街道', '1'],
    ];

    // Act
    const towns = parseTowns(['code', 'name', 'population'], records);

    // Assess
    expect(towns).toHaveLength(1);
  });

  it.each(['code', 'name', 'population'])(
    'throws a ReferenceDataError naming the file and the absent column %s',
    (column) => {
      // Prepare
      const header = ['code', 'name', 'population'].filter((c) => c !== column);

      // Act
      const error = thrownBy(() => parseTowns(header, []));

      // Assess
      expect(error.name).toBe('ReferenceDataError');
      expect(error.message).toContain('reference/towns.csv');
      expect(error.message).toContain(column);
      expect(error).toMatchObject({ file: 'reference/towns.csv', column });
    },
  );

  it.each(['-1', '1.5', '', '1,000', 'abc', '１２', '1e3', '9999999999999999'])(
    'throws a ReferenceDataError naming the row when the population is %j',
    (population) => {
      // Prepare
      const records = [
        ['shiqi', '石岐街道', '1'],
        ['DQ02', '东区街道', population],
      ];

      // Act
      const error = thrownBy(() => parseTowns(['code', 'name', 'population'], records));

      // Assess
      expect(error.message).toContain('reference/towns.csv');
      expect(error.message).toContain('row 2');
      expect(error).toMatchObject({ file: 'reference/towns.csv', column: 'population', row: 2 });
    },
  );

  it.each([
    [['SHIQI', '另一个', '5'], 'code'],
    [['xq', '石岐街道', '5'], 'name'],
  ])('throws a ReferenceDataError when %j gives a %s already used to another town', (record, what) => {
    // Prepare
    const records = [['shiqi', '石岐街道', '1'], record];

    // Act
    const error = thrownBy(() => parseTowns(['code', 'name', 'population'], records));

    // Assess
    expect(error.message).toContain(`rows 1 and 2 give ${what}`);
    expect(error.row).toBe(2);
  });
});
