import { describe, expect, it } from 'vitest';
import { defineDataset } from '#schemas/dataset-descriptor.ts';
import {
  amount,
  category,
  date,
  flag,
  idNumber,
  month,
  oneOf,
  optionalAmount,
  optionalIdNumber,
  optionalMonth,
  requiredText,
  text,
  upperText,
} from '#schemas/dataset-fields.ts';
import { REGISTRY_STATUSES } from '#schemas/datasets/registry.ts';
import { DATASET_NAMES, DATASETS, type DatasetName } from '#schemas/datasets.ts';
import { ReferenceDataError } from '#schemas/reference-data-error.ts';
import { loadDataset } from '#usecases/load-dataset.ts';
import { stageDataset } from '#usecases/stage-dataset.ts';
import { resolveColumns } from '#usecases/stage-dataset-file.ts';
import { MemoryObjectStore } from '../usecases/dataset/memory-object-store.ts';

const now = () => '2026-10-28T08:00:00.000Z';

/** A value each kind of field reads, in lower case where the kind upper-cases. */
const SAMPLES = new Map<unknown, string>([
  [idNumber, '44200019800101123x'],
  [optionalIdNumber, '44200019500101123x'],
  [text, ' 某某 '],
  [requiredText, '6222020200001234567'],
  [upperText, 'active'],
  [date, '2026-09-14'],
  [month, '2026-10'],
  [optionalMonth, '2026-01'],
  [amount, '1180.50'],
  [optionalAmount, '2300'],
  [category, '低保'],
  [flag, 'y'],
]);

function sampleOf(name: DatasetName, column: string): string {
  const { kind } = DATASETS[name].columns[column as never] as { kind: unknown };
  if (column === 'status' && name === 'registry') return 'Active';
  const sample = SAMPLES.get(kind);
  if (sample === undefined) throw new Error(`no sample for ${name}.${column}`);
  return sample;
}

/** One file of the dataset holding one row of sample values under every column. */
function storeWithOneRow(name: DatasetName): {
  store: MemoryObjectStore;
  key: string;
  row: Record<string, string>;
} {
  const descriptor = DATASETS[name];
  const key = descriptor.source.kind === 'file' ? descriptor.source.key : `${descriptor.source.prefix}a.csv`;
  const row = Object.fromEntries(descriptor.columnNames.map((c) => [c, sampleOf(name, c)]));
  const csv = `${descriptor.columnNames.join(',')}\n${descriptor.columnNames.map((c) => row[c]).join(',')}\n`;
  return { store: new MemoryObjectStore().set(key, csv), key, row };
}

describe('DATASETS', () => {
  it('holds each descriptor under its own name, in the order of contract 2.3', () => {
    // Act & Assess
    expect(DATASET_NAMES).toEqual([
      'registry',
      'staff-relatives',
      'proxy-accounts',
      'deaths',
      'cremations',
      'business',
      'social-insurance',
    ]);
    for (const name of DATASET_NAMES) expect(DATASETS[name].name).toBe(name);
  });

  it.each(DATASET_NAMES)('%s: the row schema, the staged layout and the columns agree', (name) => {
    // Prepare
    const descriptor = DATASETS[name];
    const shape = Object.keys((descriptor.rowSchema as unknown as { shape: object }).shape);

    // Act
    const staged = descriptor.arrow.columns.map((c) => c.rowKey);

    // Assess
    expect(shape).toEqual(descriptor.columnNames);
    expect(staged).toEqual(descriptor.columnNames);
    expect(descriptor.arrow.schema.fields.map((f) => f.name).slice(0, 2)).toEqual(['source', 'line']);
    expect(descriptor.columnNames).toContain(descriptor.person);
  });

  it.each(DATASET_NAMES)(
    '%s: a staged row loads as a record about the person its person column names',
    async (name) => {
      // Prepare
      const { store, key, row } = storeWithOneRow(name);
      const snapshot = await stageDataset(name, { store, now });
      const descriptor = DATASETS[name];

      // Act
      const records = await loadDataset(snapshot, { store });
      const kept = await loadDataset(snapshot, { store }, { filter: (id) => id === '44200019800101123X' });

      // Assess
      expect(snapshot.skippedSamples).toEqual([]);
      expect(records).toHaveLength(1);
      const [record] = records as object[];
      expect(descriptor.personOf(record as never)).toBe(row[descriptor.person]?.toUpperCase());
      expect(record).toMatchObject({ source: key });
      expect(kept).toEqual(records);
    },
  );

  it('reads the staff register’s filed flag as the contract says: Y or y, after trimming', () => {
    // Prepare
    const schema = DATASETS['staff-relatives'].rowSchema;
    const filed = (value: string) => schema.parse({ relative_id_number: 'A1', filed: value }).filed;

    // Act & Assess
    expect(['Y', 'y', ' y '].map(filed)).toEqual([true, true, true]);
    expect(['N', '', 'yes', '是'].map(filed)).toEqual([false, false, false, false]);
  });
});

describe('resolveColumns', () => {
  const KEY = 'partners/visits/a.csv';
  const visits = defineDataset({
    name: 'visits',
    source: { kind: 'folder', prefix: 'partners/visits/' },
    columns: {
      id_number: { kind: idNumber, required: true, aliases: ['身份证号', '公民身份号码'] },
      visited: { kind: date, required: true, aliases: ['走访日期'] },
      result: { kind: oneOf(REGISTRY_STATUSES), aliases: ['结果'] },
      note: { kind: text },
    },
    person: 'id_number',
    record:
      ({ id_number, visited }) =>
      (i) => ({ idNumber: id_number(i), visited: visited(i) }),
    personOf: (r) => r.idNumber,
  });

  it('finds each column by its name or an alias, case-insensitively after trimming; absent optional ones are −1', () => {
    // Act
    const indexes = resolveColumns(visits, ['\ufeff 走访日期 ', 'x', 'ID_Number'], KEY);

    // Assess
    expect(indexes).toEqual([2, 0, -1, -1]);
  });

  it('takes the first field that names a column, by name or alias', () => {
    // Act & Assess
    expect(resolveColumns(visits, ['公民身份号码', 'visited', 'id_number', '身份证号'], KEY)).toEqual([
      0, 1, -1, -1,
    ]);
  });

  it('stops on a file without a required column, naming the file and every missing column', () => {
    // Act
    const act = () => resolveColumns(visits, ['结果', 'note'], KEY);

    // Assess
    expect(act).toThrow(ReferenceDataError);
    expect(act).toThrow(`${KEY} lacks columns id_number, visited`);
  });

  it('matches only the contract names where a dataset names no aliases (contract 2.3)', () => {
    // Act & Assess
    expect(() =>
      resolveColumns(DATASETS.deaths, ['身份证号', 'date_of_death'], 'partners/deaths/a.csv'),
    ).toThrow('lacks column id_number');
  });
});
