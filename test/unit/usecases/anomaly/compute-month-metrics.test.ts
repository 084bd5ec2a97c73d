import { describe, expect, it } from 'vitest';
import { csvLine } from '#formats/csv-writer.ts';
import { releaseCandidate, releaseFile, releaseManifest, releaseTotals } from '#schemas/bucket-layout.ts';
import { RELEASE_CSV_COLUMNS } from '#schemas/closeout.ts';
import { ReferenceDataError } from '#schemas/reference-data-error.ts';
import { computeMonthMetrics, MonthNotCheckedError } from '#usecases/compute-month-metrics.ts';
import { InvalidTaskInputError } from '#usecases/errors.ts';
import { addUpRelease } from '#usecases/release-totals.ts';
import { MemoryObjectStore } from '../dataset/memory-object-store.ts';

const MONTH = '2026-10';
const input = { month: MONTH, bucket: 'payguard-data' };
const deps = (store: MemoryObjectStore) => ({ store, now: () => '2026-10-28T09:00:00.000Z' });
const TOWNS_CSV =
  'code,name,population\r\nshiqi,石岐街道,71000\r\nDQ02,东区街道,52000\r\nnanqu,南区街道,0\r\n';

const payment = (ref: number, id: string, amount: string, town: string, category = 'DIBAO') =>
  csvLine([
    `${MONTH}-shiqi-${String(ref).padStart(6, '0')}`,
    'shiqi',
    ref,
    id,
    '张三',
    '6222020200112233441',
    amount,
    category,
    town,
  ]);

const RELEASE =
  csvLine(RELEASE_CSV_COLUMNS) +
  payment(1, '44200019800101123X', '520.00', 'shiqi') +
  payment(2, '44200019800101123X', '300.50', 'shiqi', 'ELDERLY') +
  payment(3, '442000198001011245', '650.00', 'SHIQI') +
  payment(4, '442000198001011261', '1200.00', 'DQ02') +
  payment(5, '442000198001011288', '99.99', 'xiqu');

const CANDIDATE = csvLine(RELEASE_CSV_COLUMNS) + payment(1, '442000198001011261', '10.00', 'nanqu');

const text = (store: MemoryObjectStore, key: string) => Buffer.from(store.get(key) ?? []).toString('utf8');

describe('computeMonthMetrics', () => {
  it('writes metrics/{month}.csv from the release: distinct recipients and totals per town of towns.csv, then per category', async () => {
    // Prepare
    const store = new MemoryObjectStore(16)
      .set('reference/towns.csv', TOWNS_CSV)
      .set(releaseFile.key({ month: MONTH }), RELEASE)
      .set(releaseCandidate.key({ month: MONTH }), CANDIDATE);

    // Act
    const result = await computeMonthMetrics(input, deps(store));

    // Assess
    expect(result).toEqual({
      month: MONTH,
      bucket: 'payguard-data',
      metricsKey: 'metrics/2026-10.csv',
      towns: 3,
      recipients: 3,
      checked: true,
      sampleSeed: '',
    });
    expect(text(store, 'metrics/2026-10.csv')).toBe(
      'month,town,recipients,total_amount,population,category\r\n' +
        '2026-10,shiqi,2,1470.50,71000,\r\n' +
        '2026-10,shiqi,2,1170.00,71000,DIBAO\r\n' +
        '2026-10,shiqi,1,300.50,71000,ELDERLY\r\n' +
        '2026-10,DQ02,1,1200.00,52000,\r\n' +
        '2026-10,DQ02,1,1200.00,52000,DIBAO\r\n' +
        '2026-10,nanqu,0,0.00,0,\r\n',
    );
  });

  it("reads a released month's indicators from the totals the release wrote, and only when they are that release's", async () => {
    // Prepare: a release spelling each town one way, its totals and manifest as ReleaseMonth writes them
    const release = RELEASE.replace(',SHIQI\r\n', ',shiqi\r\n');
    const totals = await addUpRelease(MONTH, 'release.csv', async () =>
      (async function* bytes() {
        yield Buffer.from(release);
      })(),
    );
    const released = () =>
      new MemoryObjectStore(16)
        .set('reference/towns.csv', TOWNS_CSV)
        .set(releaseFile.key({ month: MONTH }), release)
        .set(
          releaseManifest.key({ month: MONTH }),
          JSON.stringify({ month: MONTH, sha256: totals.releaseSha256 }),
        );
    const withTotals = released().set(releaseTotals.key({ month: MONTH }), JSON.stringify(totals));
    const paymentsOnly = released();
    // Totals of other content (recipients changed), not the release the manifest names.
    const foreign = released().set(
      releaseTotals.key({ month: MONTH }),
      JSON.stringify({
        ...totals,
        releaseSha256: 'f'.repeat(64),
        byTown: totals.byTown.map((t) => ({ ...t, recipients: t.recipients + 7 })),
      }),
    );

    // Act
    for (const store of [withTotals, paymentsOnly, foreign]) await computeMonthMetrics(input, deps(store));

    // Assess
    const expected = text(paymentsOnly, 'metrics/2026-10.csv');
    expect(expected).toContain('2026-10,shiqi,2,1470.50,71000,\r\n');
    expect(text(withTotals, 'metrics/2026-10.csv')).toBe(expected);
    expect(text(foreign, 'metrics/2026-10.csv')).toBe(expected);
    expect(withTotals.calls.open).not.toContain(releaseFile.key({ month: MONTH }));
    expect(foreign.calls.open).toContain(releaseFile.key({ month: MONTH }));
  });

  it('adds up the payments when the release spells one town two ways, its totals notwithstanding, reading towns.csv once', async () => {
    // Prepare: RELEASE pays shiqi as "shiqi" and "SHIQI": per-spelling totals cannot be merged
    const totals = await addUpRelease(MONTH, 'release.csv', async () =>
      (async function* bytes() {
        yield Buffer.from(RELEASE);
      })(),
    );
    const store = new MemoryObjectStore(16)
      .set('reference/towns.csv', TOWNS_CSV)
      .set(releaseFile.key({ month: MONTH }), RELEASE)
      .set(
        releaseManifest.key({ month: MONTH }),
        JSON.stringify({ month: MONTH, sha256: totals.releaseSha256 }),
      )
      .set(releaseTotals.key({ month: MONTH }), JSON.stringify(totals));

    // Act
    await computeMonthMetrics(input, deps(store));

    // Assess: the rows of the first test, from the payments
    expect(text(store, 'metrics/2026-10.csv')).toContain('2026-10,shiqi,2,1470.50,71000,\r\n');
    expect(store.calls.open).toContain(releaseFile.key({ month: MONTH }));
    expect(store.calls.readBytes.filter((k) => k === 'reference/towns.csv')).toHaveLength(1);
  });

  it('uses the release candidate when nothing was released yet, and replaces the earlier file', async () => {
    // Prepare
    const store = new MemoryObjectStore()
      .set('reference/towns.csv', TOWNS_CSV)
      .set(releaseCandidate.key({ month: MONTH }), CANDIDATE)
      .set('metrics/2026-10.csv', 'old');

    // Act
    const result = await computeMonthMetrics(input, deps(store));

    // Assess
    expect(result.recipients).toBe(1);
    expect(text(store, 'metrics/2026-10.csv')).toContain('2026-10,nanqu,1,10.00,0,\r\n');
  });

  it('keeps seeded indicators of a month that has no checked payments, and says it was not checked', async () => {
    // Prepare
    const seeded = 'month,town,recipients,total_amount,population\r\n2026-10,shiqi,120,96000.00,71000\r\n';
    const store = new MemoryObjectStore()
      .set('reference/towns.csv', TOWNS_CSV)
      .set('metrics/2026-10.csv', seeded);

    // Act
    const result = await computeMonthMetrics(input, deps(store));

    // Assess
    expect(result).toMatchObject({ towns: 1, recipients: 120, checked: false });
    expect(text(store, 'metrics/2026-10.csv')).toBe(seeded);
    expect(store.calls.put).toEqual([]);
  });

  it("judges the month before the current one in the bureau's time zone when none is named, passing the seed on", async () => {
    // Prepare: 31 Oct 17:00 UTC is already 1 Nov in Shanghai, still 31 Oct in UTC
    const store = new MemoryObjectStore()
      .set('reference/towns.csv', TOWNS_CSV)
      .set(releaseFile.key({ month: MONTH }), RELEASE)
      .set(releaseFile.key({ month: '2026-09' }), RELEASE);
    const clock = { store, now: () => '2026-10-31T17:00:00.000Z' };

    // Act
    const shanghai = await computeMonthMetrics({ bucket: 'payguard-data', seed: 'bureau draw' }, clock);
    const utc = await computeMonthMetrics({ bucket: 'payguard-data', timeZone: 'UTC' }, clock);

    // Assess
    expect(shanghai).toMatchObject({ month: '2026-10', checked: true, sampleSeed: 'bureau draw' });
    expect(utc).toMatchObject({ month: '2026-09', sampleSeed: '' });
  });

  it('stops when the month was not checked: neither release nor candidate nor seeded indicators', async () => {
    // Prepare
    const store = new MemoryObjectStore().set('reference/towns.csv', TOWNS_CSV);

    // Act
    const act = computeMonthMetrics(input, deps(store));

    // Assess
    await expect(act).rejects.toBeInstanceOf(MonthNotCheckedError);
    await expect(act).rejects.toMatchObject({
      name: 'MonthNotCheckedError',
      message: expect.stringContaining(
        'reports/2026-10/release.csv and reports/2026-10/release-candidate.csv',
      ),
    });
    expect(store.keys()).not.toContain('metrics/2026-10.csv');
  });

  it('stops on a broken release, a missing towns.csv or a bad month', async () => {
    // Prepare
    const broken = new MemoryObjectStore()
      .set('reference/towns.csv', TOWNS_CSV)
      .set(releaseFile.key({ month: MONTH }), 'payment_ref,amount\r\nx,1\r\n');
    const noTowns = new MemoryObjectStore().set(releaseFile.key({ month: MONTH }), RELEASE);

    // Act
    const actBroken = computeMonthMetrics(input, deps(broken));
    const actNoTowns = computeMonthMetrics(input, deps(noTowns));
    const actMonth = computeMonthMetrics({ ...input, month: '2026-13' }, deps(noTowns));

    // Assess
    await expect(actBroken).rejects.toThrow('reports/2026-10/release.csv lacks column(s): batch, row');
    await expect(actNoTowns).rejects.toBeInstanceOf(ReferenceDataError);
    await expect(actMonth).rejects.toBeInstanceOf(InvalidTaskInputError);
  });
});
