import { createHash } from 'node:crypto';
import {
  DEFAULT_SAMPLE_OPTIONS,
  type SampleOptions,
  type SampleRow,
  validateSampleOptions,
} from '#domain/sampling/draw-sample.ts';
import { HouseholdTally } from '#domain/sampling/household-tally.ts';
import { csvLine } from '#formats/csv-writer.ts';
import { streamFindingRows } from '#formats/findings-arrow-reader.ts';
import { findingsArrow, monthSummary, runManifest, sampleCsv, sampleJson } from '#schemas/bucket-layout.ts';
import { type DrawMonthSampleResult, SAMPLE_CSV_COLUMNS } from '#schemas/sample.ts';
import type { MonthRunManifest } from './month-run-manifest.ts';
import type { AuditTrail, ObjectStore } from './ports.ts';
import { openWritten, readJson } from './read-json.ts';
import { streamStagedHouseholdRows } from './staged-household-rows.ts';

/** Where the month's sample is written (contract section 4). */
const sampleKeys = (month: string) => ({ csv: sampleCsv.key({ month }), json: sampleJson.key({ month }) });

/** Content of the month's `sample.json`: the draw's evidence, enough to reproduce it. */
export interface SampleRecord {
  readonly month: string;
  readonly runId: string;
  readonly seed: string;
  readonly options: Omit<SampleOptions, 'seed'>;
  readonly drawnAt: string;
  /** SHA-256 of `sample.csv` as written with this record. */
  readonly csvSha256: string;
  readonly perTown: readonly { town: string; households: number; visits: number; replacements: number }[];
  readonly rows: readonly SampleRow[];
}

const sha256 = (text: string | Uint8Array) => createHash('sha256').update(text).digest('hex');

/** The reason column: rank and kind first, so a reader sees the visits and the replacement order. */
const csvReason = (r: SampleRow) => `${r.rank}. ${r.kind}: ${r.reason}`;

/** The month's existing sample record, and whether its CSV is still there as written with it. */
async function existingSample(
  store: ObjectStore,
  month: string,
): Promise<{ record: SampleRecord; intact: boolean } | undefined> {
  const keys = sampleKeys(month);
  const json = await store.readBytes(keys.json);
  if (json === undefined) return undefined;
  const record = JSON.parse(Buffer.from(json).toString('utf8')) as SampleRecord;
  const csv = await store.readBytes(keys.csv);
  return { record, intact: csv !== undefined && sha256(csv) === record.csvSha256 };
}

function perTown(towns: readonly { town: string; households: number }[], rows: readonly SampleRow[]) {
  const byTown = new Map(
    towns.map(({ town, households }) => [town, { town, households, visits: 0, replacements: 0 }]),
  );
  for (const r of rows) {
    const t = byTown.get(r.town);
    if (t === undefined) continue;
    if (r.kind === 'VISIT') t.visits++;
    else t.replacements++;
  }
  return [...byTown.values()].sort((a, b) => (a.town < b.town ? -1 : a.town > b.town ? 1 : 0));
}

const counts = (rows: readonly SampleRow[]) => ({
  visits: rows.filter((r) => r.kind === 'VISIT').length,
  replacements: rows.filter((r) => r.kind === 'REPLACEMENT').length,
});

/**
 * Draws the month's households for home visits from the run of its `summary.json` (the staged
 * payees of its accepted batches and `findings.arrow`) and writes `sample.csv` (contract section 4:
 * per town in code order, visits then replacements, ID numbers whole) and `sample.json` (seed,
 * options, counts per town, rows), recorded in the audit trail as `SAMPLE_DRAWN`.
 *
 * The seed is `input.seed`, else the seed of the month's sample already drawn for the same run,
 * else `deps.randomSeed()`. A sample already drawn for the run is kept as it is when no seed is
 * given (`reused`; nothing written, no audit entry), so a re-run is idempotent; a seed redraws it.
 * Options changed since are not applied to a kept sample (give a seed to redraw with them). When
 * `sample.csv` is gone or no longer matches the `csvSha256` of `sample.json`, the sample is drawn
 * again from the recorded seed.
 * @throws Error when the summary, the run's manifest, a staged roster or `findings.arrow` is missing.
 * @throws RangeError when an option is out of range.
 */
export async function drawMonthSample(
  input: { month: string; bucket: string; seed?: string | undefined },
  deps: {
    store: ObjectStore;
    audit: AuditTrail;
    now: () => string;
    randomSeed: () => string;
    options?: Partial<Omit<SampleOptions, 'seed'>>;
  },
): Promise<DrawMonthSampleResult> {
  const { month } = input;
  const keys = sampleKeys(month);
  const summaryKey = monthSummary.key({ month });
  const summary = await readJson<{ runId?: unknown }>(deps.store, summaryKey);
  if (typeof summary.runId !== 'string') throw new Error(`${summaryKey} has no runId`);
  const runId = summary.runId;
  const existing = await existingSample(deps.store, month);
  const sameRun = existing?.record.runId === runId ? existing : undefined;
  const result = { month, sampleKey: keys.csv, sampleJsonKey: keys.json };
  if (input.seed === undefined && sameRun?.intact) {
    return { ...result, seed: sameRun.record.seed, ...counts(sameRun.record.rows), reused: true };
  }

  const overrides = Object.entries(deps.options ?? {}).filter(([, v]) => v !== undefined);
  const options: SampleOptions = {
    ...DEFAULT_SAMPLE_OPTIONS,
    ...Object.fromEntries(overrides),
    seed: input.seed ?? sameRun?.record.seed ?? deps.randomSeed(),
  };
  validateSampleOptions(options);

  const manifest = await readJson<MonthRunManifest>(deps.store, runManifest.key({ month, runId }));
  const staged = manifest.batches.flatMap((b) =>
    b.status === 'ACCEPTED' && b.stagedKey !== undefined ? [{ batch: b.batch, stagedKey: b.stagedKey }] : [],
  );
  // Only the findings of the checks of 3.3 on roster rows weigh a household (the tally keeps them
  // as a bitmask per row); the month's rows are folded into their households as they are read,
  // never held together, and the households are kept in columns of numbers.
  const tally = new HouseholdTally();
  for await (const findings of streamFindingRows(
    await openWritten(deps.store, findingsArrow.key({ month })),
  )) {
    for (const f of findings) tally.addFinding(f.batch, f.row, f.code);
  }
  for await (const c of streamStagedHouseholdRows(staged, deps.store)) {
    for (let i = 0; i < c.length; i++)
      tally.add(c.batch, c.row(i), c.town(i), c.householdId(i), c.idNumber(i));
  }
  const rows = tally.draw(options);

  const csv =
    csvLine(SAMPLE_CSV_COLUMNS) +
    rows.map((r) => csvLine([month, r.town, r.householdId, r.idNumber, csvReason(r)])).join('');
  const { seed, ...drawOptions } = options;
  const record: SampleRecord = {
    month,
    runId,
    seed,
    options: {
      share: drawOptions.share,
      minPerTown: drawOptions.minPerTown,
      findingsWeight: drawOptions.findingsWeight,
      spareShare: drawOptions.spareShare,
    },
    drawnAt: deps.now(),
    csvSha256: sha256(csv),
    perTown: perTown(tally.towns(), rows),
    rows,
  };
  await deps.store.put(keys.csv, csv, 'text/csv; charset=utf-8');
  await deps.store.put(keys.json, `${JSON.stringify(record, null, 2)}\n`, 'application/json');
  const drawn = counts(rows);
  await deps.audit.append({
    month,
    action: 'SAMPLE_DRAWN',
    actor: 'payguard:anomaly-job',
    at: record.drawnAt,
    contentSha256: record.csvSha256,
    subject: keys.csv,
    details: { seed, options: record.options, runId, ...drawn },
  });
  return { ...result, seed, ...drawn, reused: false };
}
