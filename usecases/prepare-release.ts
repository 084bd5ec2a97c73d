import { createHash } from 'node:crypto';
import { maskIdNumber } from '#domain/id-number.ts';
import type { PayeeRow } from '#domain/month-check/records.ts';
import { requiredApprovals } from '#domain/release/approvals-required.ts';
import { releaseRows, rowKey } from '#domain/release/release-rows.ts';
import { ReleaseTotalsTally } from '#domain/release/release-totals.ts';
import { streamFindingRows } from '#formats/findings-arrow-reader.ts';
import { releaseCsvHeader, releaseCsvLines } from '#formats/release-csv.ts';
import type { ApprovalView, ReleaseTotal } from '#schemas/approval-view.ts';
import {
  approvalView,
  releaseCandidate,
  runReleaseCandidate,
  runReleaseTotals,
} from '#schemas/bucket-layout.ts';
import { CATEGORIES } from '#schemas/categories.ts';
import { CHECK_SEVERITIES, FILE_FINDING_CODES } from '#schemas/finding-codes.ts';
import { FINDING_LABELS_ZH } from '#schemas/finding-labels.ts';
import type { PreparedRelease } from '#schemas/release.ts';
import { loadPipelineConfig } from './load-month-config.ts';
import { streamStagedPayees } from './load-staged-payees.ts';
import { loadTowns } from './load-towns.ts';
import type { MonthRunManifest } from './month-run-manifest.ts';
import type { ObjectStore } from './ports.ts';
import { openWritten, readJson } from './read-json.ts';

/** Held rows listed on the approval page; the rest are counted. */
export const HELD_ROWS_SHOWN = 200;

const FILE_LEVEL = new Set<string>(FILE_FINDING_CODES);
const CATEGORY_LABELS = new Map<string, string>(CATEGORIES.map((c) => [c.code, c.labels[0] ?? c.code]));

/**
 * Rows and amount per code (a town's or a category's), added up row by row: the approval page's
 * totals, sorted by code.
 */
class TotalsByCode {
  readonly #byCode = new Map<string, { rows: number; amountFen: number }>();

  add(code: string, amountFen: number): void {
    const t = this.#byCode.get(code);
    if (t === undefined) this.#byCode.set(code, { rows: 1, amountFen });
    else {
      t.rows++;
      t.amountFen += amountFen;
    }
  }

  totals(label: (code: string) => string): ReleaseTotal[] {
    return [...this.#byCode]
      .map(([code, t]): ReleaseTotal => ({ code, label: label(code), rows: t.rows, amountFen: t.amountFen }))
      .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  }
}

/**
 * What the approval page shows of the release and of the rows held, added up as the month's rows
 * stream by in batch, then row order (held rows listed: the first {@link HELD_ROWS_SHOWN}).
 */
class ReleaseViewTally {
  rows = 0;
  amountFen = 0;
  readonly byTown = new TotalsByCode();
  readonly byCategory = new TotalsByCode();
  heldRows = 0;
  heldAmountFen = 0;
  readonly heldByCode = new Map<string, { rows: number; amountFen: number }>();
  readonly heldShown: ApprovalView['held']['rowsShown'][number][] = [];
  readonly heldByTown = new TotalsByCode();

  constructor(private readonly held: ReadonlyMap<string, string[]>) {}

  released(r: PayeeRow): void {
    this.rows++;
    this.amountFen += r.amountFen;
    this.byTown.add(r.town, r.amountFen);
    this.byCategory.add(r.category, r.amountFen);
  }

  /** Counts `p` when it is held, and says whether it was. */
  heldRow(p: PayeeRow): boolean {
    const codes = this.held.get(rowKey(p.batch, p.row));
    if (codes === undefined) return false;
    this.heldRows++;
    this.heldAmountFen += p.amountFen;
    this.heldByTown.add(p.town, p.amountFen);
    for (const code of codes) {
      const t = this.heldByCode.get(code) ?? { rows: 0, amountFen: 0 };
      this.heldByCode.set(code, { rows: t.rows + 1, amountFen: t.amountFen + p.amountFen });
    }
    if (this.heldShown.length < HELD_ROWS_SHOWN) {
      this.heldShown.push({
        batch: p.batch,
        row: p.row,
        idMasked: maskIdNumber(p.idNumber),
        name: p.name,
        category: p.category,
        town: p.town,
        amountFen: p.amountFen,
        codes,
      });
    }
    return true;
  }
}

/** What the release and its approval page need of the month's findings. */
interface FindingsFacts {
  /** BLOCK codes of the checks of 3.3 per held row (`batch#row`). */
  readonly held: Map<string, string[]>;
  /** REVIEW findings per code. */
  readonly review: Map<string, number>;
  /** Rows with a finding of row validation (3.2). */
  readonly invalidRows: number;
}

/**
 * Reads `findings.arrow` as it streams: held rows and counts, never the findings themselves. The
 * file is in `findings.csv` order, so a row's findings come together and rows are counted as they
 * change.
 */
async function findingsFacts(findings: AsyncIterable<Uint8Array>): Promise<FindingsFacts> {
  const held = new Map<string, string[]>();
  const review = new Map<string, number>();
  let invalidRows = 0;
  let lastInvalid: string | undefined;
  for await (const rows of streamFindingRows(findings)) {
    for (const f of rows) {
      if (f.severity === 'REVIEW') review.set(f.code, (review.get(f.code) ?? 0) + 1);
      else if (!(f.code in CHECK_SEVERITIES) && !FILE_LEVEL.has(f.code) && f.row !== undefined) {
        const key = rowKey(f.batch, f.row);
        if (key !== lastInvalid) invalidRows++;
        lastInvalid = key;
      }
      if (f.severity !== 'BLOCK' || f.row === undefined || !(f.code in CHECK_SEVERITIES)) continue;
      const key = rowKey(f.batch, f.row);
      const codes = held.get(key);
      if (codes) {
        if (!codes.includes(f.code)) codes.push(f.code);
      } else held.set(key, [f.code]);
    }
  }
  return { held, review, invalidRows };
}

/**
 * Builds the release an approval is asked for: `release.csv` exactly as it will be written
 * (every valid row with no BLOCK finding, contract 4) under the run's prefix, its SHA-256 (what
 * the approval is bound to), and the approval page's view of it (totals per town and category,
 * rows held and why, IDs masked). Decides how many approvers the release needs.
 */
export async function prepareRelease(
  input: { month: string; bucket: string; runId: string; manifestKey: string; findingsArrowKey: string },
  deps: { store: ObjectStore; now: () => string },
): Promise<PreparedRelease> {
  const manifest = await readJson<MonthRunManifest>(deps.store, input.manifestKey);
  const config = await loadPipelineConfig(deps.store);
  const towns = await loadTowns(deps.store);
  const townNames = new Map(towns.towns.map((t) => [t.code, t.name]));
  const accepted = manifest.batches.filter((b) => b.status === 'ACCEPTED' && b.stagedKey !== undefined);
  const batches = accepted.map((b) => ({ batch: b.batch, stagedKey: b.stagedKey as string }));
  const { held, review, invalidRows } = await findingsFacts(
    await openWritten(deps.store, input.findingsArrowKey),
  );
  const heldKeys = new Set(held.keys());
  const tally = new ReleaseViewTally(held);
  // The candidate's totals as its file reads back: the release's, once approved (ReleaseMonth
  // then does not read it again to add it up).
  const totals = new ReleaseTotalsTally();
  const hash = createHash('sha256');
  // The release file is written as the staged rosters are read, one record batch at a time: a
  // province's release is never held whole, and its SHA-256 is taken on the way.
  const csvPieces = async function* () {
    const header = releaseCsvHeader();
    hash.update(header);
    yield header;
    for await (const payees of streamStagedPayees(batches, deps.store)) {
      const rows = releaseRows(payees, heldKeys);
      for (const p of payees) tally.heldRow(p);
      for (const r of rows) {
        tally.released(r);
        totals.addWritten(r);
      }
      const piece = releaseCsvLines(input.month, rows);
      hash.update(piece);
      yield piece;
    }
  };
  const run = { month: input.month, runId: input.runId };
  const candidateKey = runReleaseCandidate.key(run);
  const viewKey = approvalView.key(run);
  await deps.store.putStream(candidateKey, csvPieces(), 'text/csv; charset=utf-8');
  const contentSha256 = hash.digest('hex');
  const amountFen = tally.amountFen;
  await deps.store.put(
    runReleaseTotals.key(run),
    `${JSON.stringify(totals.totals(input.month, contentSha256), null, 2)}\n`,
    'application/json',
  );

  const label = (code: string) => FINDING_LABELS_ZH[code as keyof typeof FINDING_LABELS_ZH] ?? code;
  const view: ApprovalView = {
    month: input.month,
    runId: input.runId,
    contentSha256,
    generatedAt: deps.now(),
    release: {
      rows: tally.rows,
      amountFen,
      byTown: tally.byTown.totals((code) => townNames.get(code) ?? code),
      byCategory: tally.byCategory.totals((code) => CATEGORY_LABELS.get(code) ?? code),
    },
    held: {
      rows: tally.heldRows,
      amountFen: tally.heldAmountFen,
      byCode: [...tally.heldByCode].map(([code, t]) => ({ code, label: label(code), ...t })),
      rowsShown: tally.heldShown,
      rowsOmitted: Math.max(0, tally.heldRows - HELD_ROWS_SHOWN),
      byTown: tally.heldByTown.totals((code) => townNames.get(code) ?? code),
    },
    review: [...review].map(([code, n]) => ({ code, label: label(code), findings: n })),
    batchesNotReleased: [
      ...manifest.batches
        .filter((b) => b.status !== 'ACCEPTED')
        .map((b) => ({ batch: b.batch, status: b.status, detail: b.failure ?? b.key })),
      ...manifest.missingBatches
        .filter((batch) => !manifest.batches.some((b) => b.batch === batch))
        .map((batch) => ({ batch, status: 'MISSING', detail: 'no roster uploaded / 未上传花名册' })),
    ],
    invalidRows,
  };

  // The month's latest candidate, for indicators before (or without) a release: a copy of the
  // run's, made inside the bucket.
  await deps.store.copy(candidateKey, releaseCandidate.key({ month: input.month }));
  await deps.store.put(viewKey, JSON.stringify(view), 'application/json');
  return {
    month: input.month,
    bucket: input.bucket,
    runId: input.runId,
    manifestKey: input.manifestKey,
    candidateKey,
    viewKey,
    contentSha256,
    rows: tally.rows,
    amountFen,
    requiredApprovals: requiredApprovals(amountFen, config.fourEyesThresholdFen),
    fourEyesThresholdFen: config.fourEyesThresholdFen,
    approvalLinkHours: config.approvalLinkHours,
  };
}
