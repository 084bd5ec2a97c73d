/**
 * `prepareRelease` as it was before it streamed (every staged payee held, release.csv built as one
 * string): the reference the streamed one must match byte for byte (see prepare-release.test.ts).
 */
import { createHash } from 'node:crypto';
import { maskIdNumber } from '#domain/id-number.ts';
import type { PayeeRow } from '#domain/month-check/records.ts';
import { requiredApprovals } from '#domain/release/approvals-required.ts';
import { releaseRows, rowKey } from '#domain/release/release-rows.ts';
import { streamFindingRows } from '#formats/findings-arrow-reader.ts';
import { releaseCsv } from '#formats/release-csv.ts';
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
import { loadPipelineConfig } from '#usecases/load-month-config.ts';
import { loadStagedPayees } from '#usecases/load-staged-payees.ts';
import { loadTowns } from '#usecases/load-towns.ts';
import type { MonthRunManifest } from '#usecases/month-run-manifest.ts';
import type { ObjectStore } from '#usecases/ports.ts';
import { openWritten, readJson } from '#usecases/read-json.ts';
import { addUpRelease } from '#usecases/release-totals.ts';

/** Held rows listed on the approval page; the rest are counted. */
const HELD_ROWS_SHOWN = 200;

const FILE_LEVEL = new Set<string>(FILE_FINDING_CODES);
const CATEGORY_LABELS = new Map<string, string>(CATEGORIES.map((c) => [c.code, c.labels[0] ?? c.code]));

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function totals(rows: readonly PayeeRow[], key: (r: PayeeRow) => string, label: (code: string) => string) {
  const byKey = new Map<string, ReleaseTotal>();
  for (const r of rows) {
    const code = key(r);
    const t = byKey.get(code) ?? { code, label: label(code), rows: 0, amountFen: 0 };
    byKey.set(code, { ...t, rows: t.rows + 1, amountFen: t.amountFen + r.amountFen });
  }
  return [...byKey.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
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
export async function prepareReleaseReference(
  input: { month: string; bucket: string; runId: string; manifestKey: string; findingsArrowKey: string },
  deps: { store: ObjectStore; now: () => string },
): Promise<PreparedRelease> {
  const manifest = await readJson<MonthRunManifest>(deps.store, input.manifestKey);
  const config = await loadPipelineConfig(deps.store);
  const towns = await loadTowns(deps.store);
  const townNames = new Map(towns.towns.map((t) => [t.code, t.name]));
  const accepted = manifest.batches.filter((b) => b.status === 'ACCEPTED' && b.stagedKey !== undefined);
  const payees = await loadStagedPayees(
    accepted.map((b) => ({ batch: b.batch, stagedKey: b.stagedKey as string })),
    deps.store,
  );
  const { held, review, invalidRows } = await findingsFacts(
    await openWritten(deps.store, input.findingsArrowKey),
  );
  const rows = releaseRows(payees, new Set(held.keys()));
  const csv = releaseCsv(input.month, rows);
  const contentSha256 = sha256(csv);
  const amountFen = rows.reduce((n, r) => n + r.amountFen, 0);

  const heldRows = payees.filter((p) => held.has(rowKey(p.batch, p.row)));
  const byCode = new Map<string, { rows: number; amountFen: number }>();
  for (const p of heldRows) {
    for (const code of held.get(rowKey(p.batch, p.row)) ?? []) {
      const t = byCode.get(code) ?? { rows: 0, amountFen: 0 };
      byCode.set(code, { rows: t.rows + 1, amountFen: t.amountFen + p.amountFen });
    }
  }
  const label = (code: string) => FINDING_LABELS_ZH[code as keyof typeof FINDING_LABELS_ZH] ?? code;
  const view: ApprovalView = {
    month: input.month,
    runId: input.runId,
    contentSha256,
    generatedAt: deps.now(),
    release: {
      rows: rows.length,
      amountFen,
      byTown: totals(
        rows,
        (r) => r.town,
        (code) => townNames.get(code) ?? code,
      ),
      byCategory: totals(
        rows,
        (r) => r.category,
        (code) => CATEGORY_LABELS.get(code) ?? code,
      ),
    },
    held: {
      rows: heldRows.length,
      amountFen: heldRows.reduce((n, r) => n + r.amountFen, 0),
      byCode: [...byCode].map(([code, t]) => ({ code, label: label(code), ...t })),
      rowsShown: heldRows.slice(0, HELD_ROWS_SHOWN).map((p) => ({
        batch: p.batch,
        row: p.row,
        idMasked: maskIdNumber(p.idNumber),
        name: p.name,
        category: p.category,
        town: p.town,
        amountFen: p.amountFen,
        codes: held.get(rowKey(p.batch, p.row)) ?? [],
      })),
      rowsOmitted: Math.max(0, heldRows.length - HELD_ROWS_SHOWN),
      byTown: totals(
        heldRows,
        (r) => r.town,
        (code) => townNames.get(code) ?? code,
      ),
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

  const run = { month: input.month, runId: input.runId };
  const candidateKey = runReleaseCandidate.key(run);
  const viewKey = approvalView.key(run);
  await deps.store.put(candidateKey, csv, 'text/csv; charset=utf-8');
  // The month's latest candidate, for indicators before (or without) a release.
  await deps.store.put(releaseCandidate.key({ month: input.month }), csv, 'text/csv; charset=utf-8');
  await deps.store.put(viewKey, JSON.stringify(view), 'application/json');
  // The candidate's totals, added up by reading the file written (what ReleaseMonth did before).
  const candidateTotals = await addUpRelease(input.month, candidateKey, () => deps.store.open(candidateKey));
  await deps.store.put(
    runReleaseTotals.key(run),
    `${JSON.stringify(candidateTotals, null, 2)}\n`,
    'application/json',
  );
  return {
    month: input.month,
    bucket: input.bucket,
    runId: input.runId,
    manifestKey: input.manifestKey,
    candidateKey,
    viewKey,
    contentSha256,
    rows: rows.length,
    amountFen,
    requiredApprovals: requiredApprovals(amountFen, config.fourEyesThresholdFen),
    fourEyesThresholdFen: config.fourEyesThresholdFen,
    approvalLinkHours: config.approvalLinkHours,
  };
}
