import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsCsv } from '#formats/metrics-csv.ts';
import { runMonth } from '#local/cli/run-month.ts';
import { launchChromium } from '../support/chromium.ts';
import { MONTH, seedMonth, sentLinks, untilWaiting } from '../support/gate-fixture.ts';
import { startIngestHarness } from '../support/local-harness.ts';

const SCREENSHOTS = join('test-output', 'screenshots');
const TOWNS = [
  ['shiqi', '石岐街道', 180_000, 2600],
  ['dongqu', '东区街道', 150_000, 2200],
  ['xiqu', '西区街道', 160_000, 2500],
  ['xiaolan', '小榄镇', 320_000, 2100],
  ['guzhen', '古镇镇', 220_000, 2800],
] as const;

let browser: Browser;
let root: string;

beforeAll(async () => {
  browser = await launchChromium();
  root = await mkdtemp(join(tmpdir(), 'payguard-report-'));
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await rm(root, { recursive: true, force: true });
});

describe('report.html in a real browser', () => {
  it('renders the town table, the findings and the anomaly charts, on screen and in print', async () => {
    // Prepare: six calm months, then xiaolan jumps
    const data = join(root, 'data');
    await mkdir(join(data, 'metrics'), { recursive: true });
    await mkdir(join(data, 'reference'), { recursive: true });
    await writeFile(
      join(data, 'reference', 'towns.csv'),
      `code,name,population\n${TOWNS.map(([c, n, p]) => `${c},${n},${p}`).join('\n')}\n`,
    );
    const months = ['2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', MONTH];
    for (const [k, month] of months.entries()) {
      const rows = TOWNS.map(([town, , population, recipients]) => {
        const n = Math.round(
          recipients *
            (1 + ((k * 7 + town.length) % 5) / 500) *
            (month === MONTH && town === 'xiaolan' ? 1.3 : 1),
        );
        return { month, town, recipients: n, totalAmountFen: n * 80_000, population };
      });
      await writeFile(join(data, 'metrics', `${month}.csv`), metricsCsv(rows));
    }
    const out = join(root, 'out');
    await runMonth({ dataDir: data, month: MONTH, outDir: out, approve: 'none' });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });

    // Act
    await page.goto(pathToFileURL(join(out, 'report.html')).toString());
    const townTable = (await page.getByTestId('town-table').textContent()) ?? '';
    const growthCircles = await page.locator('[data-testid="growth-chart"] svg circle').count();
    const trendLines = await page.locator('[data-testid="trend-chart"] svg polyline').count();
    const flagged = (await page.getByTestId('flagged-anomalies').textContent()) ?? '';
    await page.screenshot({ path: join(SCREENSHOTS, 'month-page.png'), fullPage: true });
    await page.emulateMedia({ media: 'print' });
    const printedChartVisible = await page.getByTestId('growth-chart').isVisible();
    const pdf = await page.pdf({ format: 'A4' });

    // Assess
    expect(townTable).toContain('小榄镇');
    expect(growthCircles).toBeGreaterThanOrEqual(TOWNS.length);
    expect(trendLines).toBeGreaterThanOrEqual(TOWNS.length);
    expect(flagged).toContain('xiaolan');
    expect(printedChartVisible).toBe(true);
    expect(pdf.byteLength).toBeGreaterThan(10_000);
    await page.close();
  });

  it('is served to an approver by the approval site with their link, and refused without it', async () => {
    // Prepare
    const h = await startIngestHarness();
    try {
      await seedMonth(h, { rows: 3, fourEyesThreshold: 1_000_000 });
      await untilWaiting(h, 'RequestApproval');
      const [{ link }] = sentLinks(h);
      const page = await browser.newPage();

      // Act
      await page.goto(link);
      await page.getByTestId('report-link').click();
      await page.waitForLoadState();
      const state = (await page.getByTestId('report-state').textContent()) ?? '';
      const forged = await fetch(new URL('/report?t=AAAA.1.BBBB', link));

      // Assess
      expect(new URL(page.url()).pathname).toBe('/report');
      expect(state).toContain('AWAITING_APPROVAL');
      expect(await page.getByTestId('town-table').isVisible()).toBe(true);
      expect(forged.status).toBe(403);
      await page.close();
    } finally {
      await h.stop();
    }
  });
});
