import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { PackedIdSet } from '#domain/packed-id-set.ts';
import { DATASET_NAMES, DATASETS, type DatasetName } from '#schemas/datasets.ts';
import { ReferenceDataError } from '#schemas/reference-data-error.ts';
import { loadDataset, loadDatasetRecords } from '#usecases/load-dataset.ts';
import { stageDataset } from '#usecases/stage-dataset.ts';
import { MemoryObjectStore } from './memory-object-store.ts';

const now = () => '2026-10-28T08:00:00.000Z';

async function stageAndLoad<N extends DatasetName>(store: MemoryObjectStore, name: N) {
  const snapshot = await stageDataset(name, { store, now });
  const records = await loadDataset(snapshot, { store });
  return { snapshot, records };
}

async function stagingError(store: MemoryObjectStore, name: DatasetName): Promise<ReferenceDataError> {
  const error = await stageDataset(name, { store, now }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ReferenceDataError);
  return error as ReferenceDataError;
}

const REGISTRY = 'reference/registry.csv';

describe('registry', () => {
  const header =
    'id_number,name,household_id,category,approved_amount,status,town,account_number,valid_from,valid_to';

  it('round-trips good rows into registry rows (codes resolved, IDs upper-cased, amounts in fen)', async () => {
    // Prepare: headers in another case and order, with padding and an extra column.
    const store = new MemoryObjectStore().set(
      REGISTRY,
      [
        ' VALID_TO ,Name,ID_NUMBER,household_id,Category,approved_amount,status,town,account_number,valid_from,note',
        ',张三,44200019800101123x,H001,低保,1180.5,active,shiqi,6222020200001234567,2026-01,x',
        '2026-12,\u3000李四 ,442000198001011245,H002,tekun,150000,SUSPENDED,dongqu,6222020200001234568,,',
      ].join('\r\n'),
    );

    // Act
    const { snapshot, records } = await stageAndLoad(store, 'registry');

    // Assess
    expect(records).toEqual([
      {
        idNumber: '44200019800101123X',
        name: '张三',
        householdId: 'H001',
        category: 'DIBAO',
        approvedAmountFen: 118050,
        status: 'ACTIVE',
        town: 'shiqi',
        accountNumber: '6222020200001234567',
        validFrom: '2026-01',
        validTo: '',
        source: REGISTRY,
        line: 1,
      },
      {
        idNumber: '442000198001011245',
        name: '李四',
        householdId: 'H002',
        category: 'TEKUN',
        approvedAmountFen: 15_000_000,
        status: 'SUSPENDED',
        town: 'dongqu',
        accountNumber: '6222020200001234568',
        validFrom: '',
        validTo: '2026-12',
        source: REGISTRY,
        line: 2,
      },
    ]);
    expect(snapshot).toMatchObject({ dataset: 'registry', rows: 2, skippedRows: 0 });
    expect(snapshot.dateRange).toBeUndefined();
  });

  it('skips and counts rows with an unknown category or status, a bad amount or month, or no ID', async () => {
    // Prepare
    const store = new MemoryObjectStore().set(
      REGISTRY,
      [
        header,
        '442000198001011245,甲,H1,低保,100,ACTIVE,shiqi,6222020200001234567,,',
        '442000198001011246,乙,H2,救济,100,ACTIVE,shiqi,6222020200001234567,,',
        '442000198001011247,丙,H3,DIBAO,100,PENDING,shiqi,6222020200001234567,,',
        '',
        '442000198001011248,丁,H4,DIBAO,"1,000",ACTIVE,shiqi,6222020200001234567,,',
        '442000198001011249,戊,H5,DIBAO,100,ACTIVE,shiqi,6222020200001234567,2026-13,',
        ',己,H6,DIBAO,100,ACTIVE,shiqi,6222020200001234567,,',
        '442000198001011240,庚,H7,DIBAO,-5,ACTIVE,shiqi,6222020200001234567,,2026/12',
      ].join('\n'),
    );

    // Act
    const { snapshot, records } = await stageAndLoad(store, 'registry');

    // Assess: the blank record keeps its number and is not counted.
    expect(records.map((r) => r.line)).toEqual([1]);
    expect(snapshot.rows).toBe(1);
    expect(snapshot.skippedRows).toBe(6);
    expect(snapshot.sources).toEqual([expect.objectContaining({ key: REGISTRY, rows: 1, skipped: 6 })]);
    expect(snapshot.skippedSamples.map((s) => [s.key, s.line])).toEqual([
      [REGISTRY, 2],
      [REGISTRY, 3],
      [REGISTRY, 5],
      [REGISTRY, 6],
      [REGISTRY, 7],
      [REGISTRY, 8],
    ]);
    const reasons = snapshot.skippedSamples.map((s) => s.reason);
    expect(reasons[0]).toContain('category "救济"');
    expect(reasons[1]).toContain('status "PENDING"');
    expect(reasons[2]).toContain('approved_amount "1,000"');
    expect(reasons[3]).toContain('valid_from "2026-13"');
    expect(reasons[4]).toContain('id_number is empty');
    // Every problem of the row is named.
    expect(reasons[5]).toContain('approved_amount "-5"');
    expect(reasons[5]).toContain('valid_to "2026/12"');
  });

  it('reads a GB18030 file', async () => {
    // Prepare
    const text = `${header}\n442000198001011245,黄明,户001,特困人员救助供养,980.00,Terminated,石岐,6222020200001234567,2025-01,2026-06\n`;
    const store = new MemoryObjectStore(16).set(REGISTRY, iconv.encode(text, 'gb18030'));

    // Act
    const { records } = await stageAndLoad(store, 'registry');

    // Assess
    expect(records).toEqual([
      expect.objectContaining({
        name: '黄明',
        householdId: '户001',
        category: 'TEKUN',
        approvedAmountFen: 98_000,
        status: 'TERMINATED',
        town: '石岐',
        validFrom: '2025-01',
        validTo: '2026-06',
      }),
    ]);
  });

  it('stops on a missing column, naming the file and the column', async () => {
    // Prepare
    const store = new MemoryObjectStore().set(REGISTRY, `${header.replace(',valid_to', '')}\n`);

    // Act
    const error = await stagingError(store, 'registry');

    // Assess
    expect(error.message).toContain('reference/registry.csv lacks column valid_to');
    expect(error).toMatchObject({ file: REGISTRY, column: 'valid_to' });
  });

  it('is missing when the file is absent: not staged, and loading it stops the run', async () => {
    // Prepare
    const store = new MemoryObjectStore().set('reference/registry.csv.bak', `${header}\n`);

    // Act
    const snapshot = await stageDataset('registry', { store, now });

    // Assess
    expect(snapshot).toMatchObject({ missing: true, sources: [], rows: 0, skippedRows: 0 });
    expect(store.calls.put).toEqual([]);
    await expect(loadDataset(snapshot, { store })).rejects.toThrow(ReferenceDataError);
    await expect(loadDataset(snapshot, { store })).rejects.toThrow('reference/registry.csv');
  });
});

describe('staff-relatives', () => {
  const KEY = 'registers/staff-relatives.csv';

  it('round-trips: filed is Y or y, anything else is not', async () => {
    // Prepare: staff_name and filed_date are evidence only and may be absent.
    const store = new MemoryObjectStore().set(
      KEY,
      [
        'staff_id,relative_id_number,relation,filed',
        'S01,44200019800101123x,配偶,y',
        'S02,442000198001011245,子女,N',
        'S03,442000198001011246,父母,',
        'S04,442000198001011247,兄弟, Y ',
        'S05,,父母,Y',
      ].join('\n'),
    );

    // Act
    const { snapshot, records } = await stageAndLoad(store, 'staff-relatives');

    // Assess
    expect(records).toEqual([
      {
        staffId: 'S01',
        staffName: '',
        relativeIdNumber: '44200019800101123X',
        relation: '配偶',
        filed: true,
        source: KEY,
      },
      {
        staffId: 'S02',
        staffName: '',
        relativeIdNumber: '442000198001011245',
        relation: '子女',
        filed: false,
        source: KEY,
      },
      {
        staffId: 'S03',
        staffName: '',
        relativeIdNumber: '442000198001011246',
        relation: '父母',
        filed: false,
        source: KEY,
      },
      {
        staffId: 'S04',
        staffName: '',
        relativeIdNumber: '442000198001011247',
        relation: '兄弟',
        filed: true,
        source: KEY,
      },
    ]);
    expect(snapshot.skippedSamples).toEqual([
      { key: KEY, line: 5, reason: expect.stringContaining('relative_id_number is empty') },
    ]);
  });

  it('stops when filed is absent', async () => {
    // Prepare
    const store = new MemoryObjectStore().set(
      KEY,
      'staff_id,staff_name,relative_id_number,relation,filed_date\n',
    );

    // Act
    const error = await stagingError(store, 'staff-relatives');

    // Assess
    expect(error.message).toContain(`${KEY} lacks column filed`);
    expect(error.column).toBe('filed');
  });

  it('is missing, and loads as no records, when the register is absent', async () => {
    // Act
    const snapshot = await stageDataset('staff-relatives', { store: new MemoryObjectStore(), now });

    // Assess
    expect(snapshot.missing).toBe(true);
    expect(await loadDataset(snapshot, { store: new MemoryObjectStore() })).toEqual([]);
  });
});

describe('proxy-accounts', () => {
  const KEY = 'registers/proxy-accounts.csv';

  it('round-trips, keeping filed_date as written', async () => {
    // Prepare
    const store = new MemoryObjectStore().set(
      KEY,
      [
        'account_number,payee_id_number,holder_id_number,filed_date',
        '6222020200001234567,44200019800101123x,44200019500101123x,2025-03-01',
        '6222020200001234568,442000198001011245,,2025/3/1',
        ',442000198001011246,,',
      ].join('\n'),
    );

    // Act
    const { snapshot, records } = await stageAndLoad(store, 'proxy-accounts');

    // Assess
    expect(records).toEqual([
      {
        accountNumber: '6222020200001234567',
        payeeIdNumber: '44200019800101123X',
        holderIdNumber: '44200019500101123X',
        filedDate: '2025-03-01',
        source: KEY,
      },
      {
        accountNumber: '6222020200001234568',
        payeeIdNumber: '442000198001011245',
        holderIdNumber: '',
        filedDate: '2025/3/1',
        source: KEY,
      },
    ]);
    expect(snapshot.skippedSamples).toEqual([
      { key: KEY, line: 3, reason: expect.stringContaining('account_number is empty') },
    ]);
  });

  it('stops when payee_id_number is absent', async () => {
    // Prepare
    const store = new MemoryObjectStore().set(KEY, 'account_number,holder_id_number\n1,2\n');

    // Act
    const error = await stagingError(store, 'proxy-accounts');

    // Assess
    expect(error.message).toContain(`${KEY} lacks column payee_id_number`);
  });
});

describe('deaths', () => {
  it('reads every .csv file of the folder in key order, ignoring dot files, other extensions and sub-folders', async () => {
    // Prepare
    const store = new MemoryObjectStore()
      .set('partners/deaths/2026-10.csv', 'id_number,name,date_of_death\n442000193001011245,甲,2026-10-03\n')
      .set('partners/deaths/2026-09.CSV', 'ID_NUMBER,DATE_OF_DEATH\n44200019300101123x,2024-02-29\n')
      .set('partners/deaths/.2026-11.csv', 'id_number,name,date_of_death\n442000193001011246,乙,2026-11-01\n')
      .set('partners/deaths/readme.txt', 'not a dataset file')
      .set('partners/deaths/old/2025.csv', 'id_number,name,date_of_death\n442000193001011247,丙,2025-01-01\n')
      .set('partners/deaths.csv', 'id_number,name,date_of_death\n442000193001011248,丁,2025-01-01\n');

    // Act
    const { snapshot, records } = await stageAndLoad(store, 'deaths');

    // Assess
    expect(records).toEqual([
      {
        idNumber: '44200019300101123X',
        date: '2024-02-29',
        kind: 'death',
        source: 'partners/deaths/2026-09.CSV',
      },
      {
        idNumber: '442000193001011245',
        date: '2026-10-03',
        kind: 'death',
        source: 'partners/deaths/2026-10.csv',
      },
    ]);
    expect(snapshot.sources.map((s) => [s.key, s.rows, s.skipped])).toEqual([
      ['partners/deaths/2026-09.CSV', 1, 0],
      ['partners/deaths/2026-10.csv', 1, 0],
    ]);
    expect(snapshot.dateRange).toEqual({ from: '2024-02-29', to: '2026-10-03' });
    expect(store.calls.open.filter((k) => k.startsWith('partners/'))).toEqual([
      'partners/deaths/2026-09.CSV',
      'partners/deaths/2026-10.csv',
    ]);
  });

  it('skips and counts rows whose date cannot be parsed, with their line', async () => {
    // Prepare
    const store = new MemoryObjectStore()
      .set(
        'partners/deaths/a.csv',
        [
          'id_number,name,date_of_death',
          '442000193001011245,甲,2026-02-29',
          '442000193001011246,乙,2026/01/05',
          ',,',
          '442000193001011247,丙,',
          '442000193001011248,丁,2026-01-05',
        ].join('\n'),
      )
      .set('partners/deaths/b.csv', 'id_number,date_of_death\n442000193001011249,20260105\n');

    // Act
    const { snapshot, records } = await stageAndLoad(store, 'deaths');

    // Assess
    expect(records.map((r) => r.idNumber)).toEqual(['442000193001011248']);
    expect(snapshot).toMatchObject({ rows: 1, skippedRows: 4 });
    expect(snapshot.sources.map((s) => [s.rows, s.skipped])).toEqual([
      [1, 3],
      [0, 1],
    ]);
    expect(snapshot.skippedSamples).toEqual([
      {
        key: 'partners/deaths/a.csv',
        line: 1,
        reason: expect.stringContaining('date_of_death "2026-02-29"'),
      },
      {
        key: 'partners/deaths/a.csv',
        line: 2,
        reason: expect.stringContaining('date_of_death "2026/01/05"'),
      },
      { key: 'partners/deaths/a.csv', line: 4, reason: expect.stringContaining('date_of_death is empty') },
      { key: 'partners/deaths/b.csv', line: 1, reason: expect.stringContaining('date_of_death "20260105"') },
    ]);
    expect(snapshot.dateRange).toEqual({ from: '2026-01-05', to: '2026-01-05' });
  });

  it('reads a GB18030 file among UTF-8 ones', async () => {
    // Prepare
    const store = new MemoryObjectStore(8)
      .set(
        'partners/deaths/gb.csv',
        iconv.encode('id_number,name,date_of_death\n442000193001011245,黄明,2026-10-03\n', 'gb18030'),
      )
      .set(
        'partners/deaths/utf8.csv',
        '\uFEFFid_number,name,date_of_death\n442000193001011246,陈,2026-10-04\n',
      );

    // Act
    const { records } = await stageAndLoad(store, 'deaths');

    // Assess
    expect(records.map((r) => [r.idNumber, r.source])).toEqual([
      ['442000193001011245', 'partners/deaths/gb.csv'],
      ['442000193001011246', 'partners/deaths/utf8.csv'],
    ]);
  });

  it('discards what was read as UTF-8 when a file turns out to be GB18030 late', async () => {
    // Prepare: the first records (a bad one among them) are yielded before the GB18030 bytes arrive.
    const rows = ['id_number,name,date_of_death', '442000193001011240,,bad'];
    for (let i = 1; i <= 50; i++) rows.push(`4420001930010${String(10000 + i)},,2026-01-01`);
    rows.push('442000193001011299,黄明,2026-01-02');
    const store = new MemoryObjectStore(32).set(
      'partners/deaths/late.csv',
      iconv.encode(`${rows.join('\n')}\n`, 'gb18030'),
    );

    // Act
    const { snapshot, records } = await stageAndLoad(store, 'deaths');

    // Assess
    expect(store.calls.open.filter((k) => k === 'partners/deaths/late.csv')).toHaveLength(2);
    expect(records).toHaveLength(51);
    expect(snapshot).toMatchObject({ rows: 51, skippedRows: 1 });
    expect(snapshot.skippedSamples).toHaveLength(1);
    expect(new Set(records.map((r) => r.idNumber)).size).toBe(51);
  });

  it('discards what every shard got of a file read again as GB18030', async () => {
    // Prepare: as above, staged in 16 shards.
    const rows = ['id_number,name,date_of_death', '442000193001011240,,bad'];
    for (let i = 1; i <= 50; i++) rows.push(`4420001930010${String(10000 + i)},,2026-01-01`);
    rows.push('442000193001011299,黄明,2026-01-02');
    const store = new MemoryObjectStore(32).set(
      'partners/deaths/late.csv',
      iconv.encode(`${rows.join('\n')}\n`, 'gb18030'),
    );

    // Act
    const snapshot = await stageDataset('deaths', { store, now, rowsPerShard: 4 });
    const records = await loadDataset(snapshot, { store });

    // Assess
    expect(snapshot.sources[0]?.shards.count).toBe(16);
    expect(snapshot.sources[0]?.shards.shards.reduce((n, s) => n + s.rows, 0)).toBe(51);
    expect(snapshot).toMatchObject({ rows: 51, skippedRows: 1 });
    expect(records.map((r) => r.idNumber)).toEqual(rows.slice(2).map((r) => r.slice(0, 18)));
  });

  it('stops on a file lacking date_of_death, naming the file', async () => {
    // Prepare
    const store = new MemoryObjectStore()
      .set('partners/deaths/2026-09.csv', 'id_number,name,date_of_death\n')
      .set('partners/deaths/2026-10.csv', 'id_number,name,death_date\n442000193001011245,甲,2026-10-03\n');

    // Act
    const error = await stagingError(store, 'deaths');

    // Assess
    expect(error.message).toContain('partners/deaths/2026-10.csv lacks column date_of_death');
    expect(error).toMatchObject({ file: 'partners/deaths/2026-10.csv', column: 'date_of_death' });
  });

  it('names every missing column', async () => {
    // Prepare: a blank header lacks everything.
    const store = new MemoryObjectStore().set(
      'partners/deaths/x.csv',
      '\n442000193001011245,甲,2026-10-03\n',
    );

    // Act
    const error = await stagingError(store, 'deaths');

    // Assess
    expect(error.message).toContain('partners/deaths/x.csv lacks columns id_number, date_of_death');
  });

  it('stops on an unreadable file, naming the file and the reason', async () => {
    // Prepare
    const store = new MemoryObjectStore().set(
      'partners/deaths/broken.csv',
      'id_number,name,date_of_death\n442000193001011245,"甲,2026-10-03\n',
    );

    // Act
    const error = await stagingError(store, 'deaths');

    // Assess
    expect(error.message).toMatch(/^partners\/deaths\/broken\.csv: .*quot/);
    expect(error.file).toBe('partners/deaths/broken.csv');
  });

  it('treats a 0-byte file as empty and an empty folder as no records', async () => {
    // Prepare
    const store = new MemoryObjectStore().set('partners/deaths/empty.csv', '');

    // Act
    const { snapshot, records } = await stageAndLoad(store, 'deaths');
    const none = await stageAndLoad(new MemoryObjectStore(), 'deaths');

    // Assess
    expect(records).toEqual([]);
    expect(snapshot).toMatchObject({
      rows: 0,
      sources: [expect.objectContaining({ key: 'partners/deaths/empty.csv' })],
    });
    expect(snapshot.dateRange).toBeUndefined();
    expect(none.records).toEqual([]);
    expect(none.snapshot).toMatchObject({ sources: [], rows: 0 });
    expect(none.snapshot.missing).toBeUndefined();
  });
});

describe('cremations', () => {
  it('round-trips as death records of kind cremation', async () => {
    // Prepare
    const store = new MemoryObjectStore().set(
      'partners/cremations/zs.csv',
      [
        'id_number,name,cremation_date,funeral_home',
        '442000193001011245,甲,2026-09-30,中山殡仪馆',
        '442000193001011246,乙,2026-9-30,中山殡仪馆',
      ].join('\n'),
    );

    // Act
    const { snapshot, records } = await stageAndLoad(store, 'cremations');

    // Assess
    expect(records).toEqual([
      {
        idNumber: '442000193001011245',
        date: '2026-09-30',
        kind: 'cremation',
        source: 'partners/cremations/zs.csv',
      },
    ]);
    expect(snapshot.skippedSamples).toEqual([
      {
        key: 'partners/cremations/zs.csv',
        line: 2,
        reason: expect.stringContaining('cremation_date "2026-9-30"'),
      },
    ]);
  });

  it('stops on a file lacking cremation_date', async () => {
    // Prepare
    const store = new MemoryObjectStore().set('partners/cremations/zs.csv', 'id_number,name,funeral_home\n');

    // Act
    const error = await stagingError(store, 'cremations');

    // Assess
    expect(error.message).toContain('partners/cremations/zs.csv lacks column cremation_date');
  });
});

describe('business', () => {
  it('round-trips; status is upper-cased and an unknown one kept', async () => {
    // Prepare
    const store = new MemoryObjectStore().set(
      'partners/business/2026.csv',
      [
        'id_number,company_name,credit_code,role,status',
        '442000198001011245,中山市某某商行,91442000MA4UXXXX1X,法定代表人,active',
        '442000198001011246,某某店,,股东,存续',
        '442000198001011247,,,,',
      ].join('\n'),
    );

    // Act
    const { records } = await stageAndLoad(store, 'business');

    // Assess
    const source = 'partners/business/2026.csv';
    expect(records).toEqual([
      {
        idNumber: '442000198001011245',
        companyName: '中山市某某商行',
        creditCode: '91442000MA4UXXXX1X',
        role: '法定代表人',
        status: 'ACTIVE',
        source,
      },
      {
        idNumber: '442000198001011246',
        companyName: '某某店',
        creditCode: '',
        role: '股东',
        status: '存续',
        source,
      },
      { idNumber: '442000198001011247', companyName: '', creditCode: '', role: '', status: '', source },
    ]);
  });

  it('stops on a file lacking status', async () => {
    // Prepare
    const store = new MemoryObjectStore().set('partners/business/2026.csv', 'id_number,company_name\n');

    // Act
    const error = await stagingError(store, 'business');

    // Assess
    expect(error.message).toContain('partners/business/2026.csv lacks column status');
  });
});

describe('social-insurance', () => {
  const KEY = 'partners/social-insurance/2026-10.csv';

  it('round-trips amounts in fen, without the roster cap; an empty amount is undefined', async () => {
    // Prepare
    const store = new MemoryObjectStore().set(
      KEY,
      [
        'id_number,month,employer,contribution_base,pension_amount',
        '442000198001011245,2026-09,某公司,2300,',
        '442000198001011245,2026-10,某公司,150000.5,0.00',
        '442000198001011246,2026-10,,,1500.05',
      ].join('\n'),
    );

    // Act
    const { snapshot, records } = await stageAndLoad(store, 'social-insurance');

    // Assess
    expect(records).toEqual([
      {
        idNumber: '442000198001011245',
        month: '2026-09',
        employer: '某公司',
        contributionBaseFen: 230_000,
        pensionAmountFen: undefined,
        source: KEY,
      },
      {
        idNumber: '442000198001011245',
        month: '2026-10',
        employer: '某公司',
        contributionBaseFen: 15_000_050,
        pensionAmountFen: 0,
        source: KEY,
      },
      {
        idNumber: '442000198001011246',
        month: '2026-10',
        employer: '',
        contributionBaseFen: undefined,
        pensionAmountFen: 150_005,
        source: KEY,
      },
    ]);
    expect(snapshot.dateRange).toEqual({ from: '2026-09', to: '2026-10' });
  });

  it('skips and counts rows whose month or amount cannot be parsed', async () => {
    // Prepare
    const store = new MemoryObjectStore().set(
      KEY,
      [
        'id_number,month,employer,contribution_base,pension_amount',
        '442000198001011245,2026-9,某公司,2300,',
        '442000198001011246,2026-10,某公司,"2,300.00",',
        '442000198001011247,2026-10,某公司,2300,1e3',
        '442000198001011248,2026-10,某公司,2300.123,',
        '442000198001011249,2026-10,某公司,2300,',
      ].join('\n'),
    );

    // Act
    const { snapshot, records } = await stageAndLoad(store, 'social-insurance');

    // Assess
    expect(records.map((r) => r.idNumber)).toEqual(['442000198001011249']);
    expect(snapshot.skippedSamples.map((s) => [s.line, s.reason.split(' / ')[1]])).toEqual([
      [1, 'month "2026-9" is not a YYYY-MM month'],
      [2, 'contribution_base "2,300.00" is not a non-negative amount with at most 2 decimals'],
      [3, 'pension_amount "1e3" is not a non-negative amount with at most 2 decimals'],
      [4, 'contribution_base "2300.123" is not a non-negative amount with at most 2 decimals'],
    ]);
  });

  it('stops on a file lacking pension_amount', async () => {
    // Prepare
    const store = new MemoryObjectStore().set(KEY, 'id_number,month,employer,contribution_base\n');

    // Act
    const error = await stagingError(store, 'social-insurance');

    // Assess
    expect(error.message).toContain(`${KEY} lacks column pension_amount`);
  });
});

describe('loadDataset filter and loadDatasetRecords', () => {
  it('keeps only the people the filter accepts, by the dataset ID column', async () => {
    // Prepare
    const store = new MemoryObjectStore()
      .set('registers/proxy-accounts.csv', 'account_number,payee_id_number\n1111111111,A1\n2222222222,B1\n')
      .set('partners/deaths/d.csv', 'id_number,date_of_death\nA1,2026-01-01\nB1,2026-01-02\n');
    const proxies = await stageDataset('proxy-accounts', { store, now });
    const deaths = await stageDataset('deaths', { store, now });
    const filter = (id: string) => id.startsWith('B');

    // Act
    const keptProxies = await loadDataset(proxies, { store }, { filter });
    const keptDeaths = await loadDataset(deaths, { store }, { filter });

    // Assess
    expect(keptProxies.map((p) => p.payeeIdNumber)).toEqual(['B1']);
    expect(keptDeaths.map((d) => d.idNumber)).toEqual(['B1']);
  });

  it('keeps by a PackedIdSet the same records as by its `has`, of a whole snapshot and of a partition', async () => {
    // Prepare: resident IDs and others (a lower-case x, non-ASCII, short), some held, in 8 shards.
    const ids = Array.from({ length: 400 }, (_, i) => {
      const digits = String(440000198001010000n + BigInt(i * 7919)).slice(0, 17);
      return i % 10 === 3
        ? `${digits}x`
        : i % 10 === 5
          ? `甲${i}`
          : i % 10 === 7
            ? `A${i}`
            : `${digits}${i % 11 === 0 ? 'X' : i % 10}`;
    });
    const store = new MemoryObjectStore().set(
      'partners/deaths/d.csv',
      ['id_number,date_of_death', ...ids.map((id) => `${id},2026-01-01`)].join('\n'),
    );
    const deaths = await stageDataset('deaths', { store, now, rowsPerShard: 50 });
    const set = new PackedIdSet();
    for (const id of ids.filter((_, i) => i % 3 !== 0)) set.add(id);
    const has = (id: string) => set.has(id);

    // Act
    const all = await loadDataset(deaths, { store });
    const runs = await Promise.all(
      [undefined, { partition: 3, partitions: 4 }, { partition: 21, partitions: 32 }].flatMap((partition) => [
        loadDataset(deaths, { store }, { filter: set, partition }),
        loadDataset(deaths, { store }, { filter: has, partition }),
      ]),
    );

    // Assess
    expect(deaths.sources[0]?.shards.count).toBe(8);
    for (let r = 0; r < runs.length; r += 2) expect(runs[r]).toEqual(runs[r + 1]);
    expect(runs[0]).toEqual(all.filter((d) => set.has(d.idNumber)));
    expect(runs[0]?.some((d) => d.idNumber.startsWith('甲'))).toBe(true);
    expect(runs[2]?.length).toBeGreaterThan(0);
    expect(runs[4]?.length).toBeGreaterThan(0);
  });

  it('loads every dataset of a manifest, each under its name', async () => {
    // Prepare
    const store = new MemoryObjectStore()
      .set(
        REGISTRY,
        'id_number,name,household_id,category,approved_amount,status,town,account_number,valid_from,valid_to\nA1,甲,H1,DIBAO,100,ACTIVE,shiqi,1111111111,,\n',
      )
      .set('partners/deaths/d.csv', 'id_number,date_of_death\nA1,2026-01-01\n')
      .set('partners/cremations/c.csv', 'id_number,cremation_date\nA1,2026-01-03\n');
    const datasets = Object.fromEntries(
      await Promise.all(
        (Object.keys(DATASETS) as DatasetName[]).map(async (name) => [
          name,
          await stageDataset(name, { store, now }),
        ]),
      ),
    );

    // Act
    const records = await loadDatasetRecords(JSON.parse(JSON.stringify(datasets)), store);

    // Assess
    expect(records.registry.map((r) => r.idNumber)).toEqual(['A1']);
    expect(records.deaths.map((d) => [d.kind, d.date])).toEqual([['death', '2026-01-01']]);
    expect(records.cremations.map((d) => [d.kind, d.date])).toEqual([['cremation', '2026-01-03']]);
    expect(Object.keys(records)).toEqual(DATASET_NAMES);
    expect(records).toMatchObject({
      business: [],
      'social-insurance': [],
      'staff-relatives': [],
      'proxy-accounts': [],
    });
  });

  it('stops when the manifest has no registry', async () => {
    // Act & Assess
    await expect(loadDatasetRecords({}, new MemoryObjectStore())).rejects.toThrow(ReferenceDataError);
  });
});
