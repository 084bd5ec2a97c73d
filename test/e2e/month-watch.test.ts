import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '#domain/sampling/seeded-random.ts';
import { metricsCsv } from '#formats/metrics-csv.ts';
import { readAuditExport } from '#local/cli/audit-export.ts';
import { runMonth } from '#local/cli/run-month.ts';
import { DATASETS } from '#schemas/datasets.ts';
import type { TownMonthMetrics } from '#schemas/metrics.ts';
import { csv, ENGLISH_HEADER, rosterRow } from '../support/roster-builder.ts';
import { UNMASKED_ID_NUMBER } from '../support/unmasked-id-number.ts';

const MONTH = '2026-10';
const HISTORY = ['2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09'];
const TOWNS = [
  { code: 'shiqi', name: '石岐街道', population: 180_000, recipients: 2600 },
  { code: 'dongqu', name: '东区街道', population: 150_000, recipients: 2200 },
  { code: 'xiqu', name: '西区街道', population: 160_000, recipients: 2500 },
  { code: 'nanqu', name: '南区街道', population: 90_000, recipients: 1700 },
  { code: 'xiaolan', name: '小榄镇', population: 320_000, recipients: 2100 },
  { code: 'guzhen', name: '古镇镇', population: 220_000, recipients: 2800 },
  { code: 'tanzhou', name: '坦洲镇', population: 190_000, recipients: 2700 },
  { code: 'shenwan', name: '神湾镇', population: 40_000, recipients: 60 },
];

let root: string;

const townsCsv = `code,name,population\n${TOWNS.map((t) => `${t.code},${t.name},${t.population}`).join('\n')}\n`;

/** Six months of calm history (±1% wobble) and the month itself, with `jump` towns scaled. */
async function metricsDir(name: string, jump: Record<string, number>, months = HISTORY): Promise<string> {
  const dir = join(root, name);
  const random = seededRandom(name);
  await mkdir(join(dir, 'metrics'), { recursive: true });
  await mkdir(join(dir, 'reference'), { recursive: true });
  await writeFile(join(dir, 'reference', 'towns.csv'), townsCsv);
  for (const month of [...months, MONTH]) {
    const rows: TownMonthMetrics[] = TOWNS.map((t) => {
      const wobble = 1 + (random.next() - 0.5) * 0.02;
      const recipients = Math.round(t.recipients * wobble * (month === MONTH ? (jump[t.code] ?? 1) : 1));
      return {
        month,
        town: t.code,
        recipients,
        totalAmountFen: recipients * 78_000,
        population: t.population,
      };
    });
    await writeFile(join(dir, 'metrics', `${month}.csv`), metricsCsv(rows));
  }
  return dir;
}

async function flaggedTowns(out: string): Promise<string[]> {
  const lines = (await readFile(join(out, 'anomalies.csv'), 'utf8')).trim().split('\r\n').slice(1);
  return [...new Set(lines.filter((l) => l.split(',')[6] === 'true').map((l) => l.split(',')[1] as string))];
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'payguard-watch-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('month watch (anomalies command)', () => {
  it('flags the one town whose recipients jump, explains why, and flags no other', async () => {
    // Prepare
    const data = await metricsDir('jump', { xiaolan: 1.3 });
    const out = join(root, 'jump-out');

    // Act
    const result = await runMonth({ dataDir: data, month: MONTH, outDir: out, approve: 'none' });

    // Assess
    expect(await flaggedTowns(out)).toEqual(['xiaolan']);
    const growth = result.anomalies?.rows.find(
      (r) => r.town === 'xiaolan' && r.metric === 'recipients_growth',
    );
    expect(growth).toEqual(expect.objectContaining({ flagged: true }));
    expect(growth?.explanation).toMatch(/recipients \+\d+(\.\d)?% month on month/);
    const header = (await readFile(join(out, 'anomalies.csv'), 'utf8')).split('\r\n')[0];
    expect(header).toBe(
      'month,town,metric,value,baseline,score,flagged,category,expected_low,expected_high,explanation',
    );
    expect(result.anomalies?.historyMonths).toBe(6);
    expect(await readFile(join(out, 'report.html'), 'utf8')).toContain('data-testid="growth-chart"');
  });

  it('flags nothing in a calm month, and a small town wobbling by a few recipients stays calm', async () => {
    // Prepare: the 60-recipient town moves by 10%, i.e. 6 people
    const data = await metricsDir('calm', { shenwan: 1.1 });
    const out = join(root, 'calm-out');

    // Act
    await runMonth({ dataDir: data, month: MONTH, outDir: out, approve: 'none' });

    // Assess
    expect(await flaggedTowns(out)).toEqual([]);
  });

  it('says there is no history instead of flagging everything', async () => {
    // Prepare
    const data = await metricsDir('first', { xiaolan: 1.3 }, []);
    const out = join(root, 'first-out');

    // Act
    const result = await runMonth({ dataDir: data, month: MONTH, outDir: out, approve: 'none' });

    // Assess
    expect(await flaggedTowns(out)).toEqual([]);
    expect(result.anomalies?.historyMonths).toBe(0);
    expect(result.anomalies?.note).toMatch(/history/);
  });

  it('draws the same home-visit sample from the same seed, records the seed, and writes the report', async () => {
    // Prepare: a checked month (rosters of two towns, the registry approving them)
    const data = await metricsDir('sample', {});
    const put = async (key: string, body: string) => {
      await mkdir(dirname(join(data, key)), { recursive: true });
      await writeFile(join(data, key), body);
    };
    const rows = (town: string, from: number) =>
      Array.from({ length: 40 }, (_, i) =>
        rosterRow({ town, household_id: `H${town}${Math.floor(i / 2)}` }, from + i),
      );
    await put(`incoming/${MONTH}/shiqi/roster.csv`, csv(ENGLISH_HEADER, rows('shiqi', 1)));
    await put(`incoming/${MONTH}/dongqu/roster.csv`, csv(ENGLISH_HEADER, rows('dongqu', 101)));
    await put(
      'reference/registry.csv',
      csv(
        DATASETS.registry.columnNames,
        [...rows('shiqi', 1), ...rows('dongqu', 101)].map((r) => [
          r[0] as string,
          r[1] as string,
          r[2] as string,
          'DIBAO',
          '1180.00',
          'ACTIVE',
          r[6] as string,
          r[7] as string,
          '',
          '',
        ]),
      ),
    );
    await put('config/pipeline.json', JSON.stringify({ expectedBatches: ['shiqi', 'dongqu'] }));

    // Act
    const first = join(root, 'sample-1');
    const second = join(root, 'sample-2');
    await runMonth({
      dataDir: data,
      month: MONTH,
      outDir: first,
      approve: 'none',
      sampleSeed: 'visit-2026-10',
    });
    await runMonth({
      dataDir: data,
      month: MONTH,
      outDir: second,
      approve: 'none',
      sampleSeed: 'visit-2026-10',
    });

    // Assess
    const sample = await readFile(join(first, 'sample.csv'), 'utf8');
    expect(sample).toBe(await readFile(join(second, 'sample.csv'), 'utf8'));
    const lines = sample.trim().split('\r\n');
    expect(lines[0]).toBe('month,town,household_id,id_number,reason');
    const towns = new Set(lines.slice(1).map((l) => l.split(',')[1]));
    expect(towns).toEqual(new Set(['shiqi', 'dongqu']));
    const drawn = (await readAuditExport(first)).find((e) => e.action === 'SAMPLE_DRAWN');
    expect(drawn?.details).toEqual(expect.objectContaining({ seed: 'visit-2026-10' }));
    const report = await readFile(join(first, 'report.html'), 'utf8');
    expect(report).toContain('data-testid="sample-summary"');
    expect(report).not.toMatch(UNMASKED_ID_NUMBER);
  });
});
