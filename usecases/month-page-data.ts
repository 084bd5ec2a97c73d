import { type ApprovalView, ApprovalViewSchema } from '#schemas/approval-view.ts';
import { anomaliesJson, approvalView, monthSummary, sampleJson } from '#schemas/bucket-layout.ts';
import { type FindingCode, severityOf } from '#schemas/finding-codes.ts';
import type { AnomalyRow, TownMonthMetrics } from '#schemas/metrics.ts';
import { parseBankAmount } from '#schemas/money.ts';
import type { MonthPageInput } from '#views/month-page.ts';
import { loadTowns } from './load-towns.ts';
import type { ObjectStore } from './ports.ts';
import { monthReleaseTotals } from './release-totals.ts';

/** Neither the month's checks nor its indicators exist: there is nothing to report on. */
export class MonthPageUnavailableError extends Error {
  override readonly name = 'MonthPageUnavailableError';
}

/** What a month that was not checked (only its indicators are known) reports. */
const NOT_CHECKED: SummaryFile = {
  runId: '',
  totals: {
    batches: 0,
    rejectedBatches: 0,
    missingBatches: [],
    validRows: 0,
    validAmount: '0.00',
    validRowsHeld: 0,
  },
  findingsByCode: {},
  approval: null,
  release: null,
  closeout: null,
};

interface SummaryFile {
  runId: string;
  totals: {
    batches: number;
    rejectedBatches: number;
    missingBatches: string[];
    validRows: number;
    validAmount: string;
    validRowsHeld: number;
  };
  findingsByCode: Record<string, number>;
  approval: {
    status: string;
    requiredApprovals: number;
    approvals?: { approverId?: string; approverName: string; at: string; sameDeviceAs?: string[] }[];
    reason?: string;
  } | null;
  release: { rows: number; totalAmount: string; sha256: string; releasedAt: string } | null;
  closeout: {
    closed: boolean;
    countsByCode: Record<string, number>;
    paidAmount: string;
    failedAmount: string;
  } | null;
}

interface AnomaliesFile {
  historyMonths: number;
  note?: string;
  threshold: number;
  rows: AnomalyRow[];
  history: TownMonthMetrics[];
  /** The month's own indicators, where the job recorded them. */
  current?: TownMonthMetrics[];
}

interface SampleFile {
  seed: string;
  perTown: { town: string; visits: number; replacements: number }[];
}

async function json<T>(store: ObjectStore, key: string): Promise<T | undefined> {
  const bytes = await store.readBytes(key);
  return bytes === undefined ? undefined : (JSON.parse(Buffer.from(bytes).toString('utf8')) as T);
}

const fen = (amount: string | undefined) => {
  const parsed = parseBankAmount(amount ?? '');
  return parsed.ok ? parsed.fen : 0;
};

/** Per-town payments of the month (release, else candidate): rows, amount, recipients. */
function monthState(summary: SummaryFile, hasCandidate: boolean): string {
  if (summary.closeout) return summary.closeout.closed ? 'CLOSED' : 'OPEN';
  if (summary.release) return 'RELEASED';
  if (summary.approval?.status === 'HELD') return 'HELD';
  return hasCandidate ? 'AWAITING_APPROVAL' : 'CHECKED';
}

/**
 * Gathers what the month page shows from the month's outputs in the bucket: `summary.json`,
 * the approval view of the run, the release's per-town totals (`release-totals.json`, else added up
 * from the release or its candidate: `monthReleaseTotals`), `anomalies.json`, `sample.json`
 * and `reference/towns.csv`. Sections whose output does not exist yet are `null`.
 * @throws MonthPageUnavailableError when the month has no `summary.json` yet.
 */
export async function monthPageData(
  month: string,
  deps: { store: ObjectStore; now: () => string },
): Promise<MonthPageInput> {
  const summaryKey = monthSummary.key({ month });
  const anomaliesKey = anomaliesJson.key({ month });
  const checked = await json<SummaryFile>(deps.store, summaryKey);
  const anomalies = await json<AnomaliesFile>(deps.store, anomaliesKey);
  if (checked === undefined && anomalies === undefined) {
    throw new MonthPageUnavailableError(
      `${month} has neither been checked (${summaryKey}) nor watched (${anomaliesKey})`,
    );
  }
  const summary = checked ?? NOT_CHECKED;
  const view = checked
    ? await json<ApprovalView>(deps.store, approvalView.key({ month, runId: summary.runId })).then((v) =>
        v === undefined ? undefined : ApprovalViewSchema.parse(v),
      )
    : undefined;
  const payments = await monthReleaseTotals(deps.store, month);
  const released = new Map((payments?.byTown ?? []).map((t) => [t.code, t]));
  const sample = await json<SampleFile>(deps.store, sampleJson.key({ month }));
  const towns = await loadTowns(deps.store);
  const heldByTown = new Map((view?.held.byTown ?? []).map((t) => [t.code, t]));
  // The metrics flagged for all categories together; the page reads per-category flags from the rows.
  const flagged = new Map<string, string[]>();
  for (const row of anomalies?.rows ?? []) {
    if (row.flagged && (row.category ?? null) === null) {
      flagged.set(row.town, [...(flagged.get(row.town) ?? []), row.metric]);
    }
  }
  const sampled = new Map((sample?.perTown ?? []).map((t) => [t.town, t]));
  return {
    month,
    generatedAt: deps.now(),
    state: checked ? monthState(summary, payments !== undefined) : 'NOT_CHECKED',
    totals: {
      validRows: summary.totals.validRows,
      validAmountFen: fen(summary.totals.validAmount),
      heldRows: view?.held.rows ?? summary.totals.validRowsHeld,
      heldAmountFen: view?.held.amountFen ?? 0,
      invalidRows: view?.invalidRows ?? 0,
      batches: summary.totals.batches,
      rejectedBatches: summary.totals.rejectedBatches,
      missingBatches: summary.totals.missingBatches,
    },
    towns: towns.towns.map((t) => ({
      code: t.code,
      name: t.name,
      population: t.population,
      recipients:
        released.get(t.code)?.recipients ??
        anomalies?.current?.find((m) => m.town === t.code && m.category === undefined)?.recipients ??
        0,
      releasedRows: released.get(t.code)?.rows ?? 0,
      releasedAmountFen: released.get(t.code)?.amountFen ?? 0,
      heldRows: heldByTown.get(t.code)?.rows ?? 0,
      heldAmountFen: heldByTown.get(t.code)?.amountFen ?? 0,
      sampleVisits: sampled.get(t.code)?.visits ?? 0,
      sampleReplacements: sampled.get(t.code)?.replacements ?? 0,
      flaggedMetrics: flagged.get(t.code) ?? [],
    })),
    findingsByCode: Object.entries(summary.findingsByCode).map(([code, count]) => ({
      code,
      severity: severityOf(code as FindingCode),
      count,
    })),
    approval: summary.approval
      ? {
          status: summary.approval.status,
          requiredApprovals: summary.approval.requiredApprovals,
          approvers: approversOf(summary.approval.approvals ?? []),
          ...(summary.approval.reason ? { reason: summary.approval.reason } : {}),
        }
      : null,
    release: summary.release
      ? {
          rows: summary.release.rows,
          amountFen: fen(summary.release.totalAmount),
          sha256: summary.release.sha256,
          releasedAt: summary.release.releasedAt,
        }
      : null,
    closeout: summary.closeout
      ? {
          state: summary.closeout.closed ? 'CLOSED' : 'OPEN',
          countsByCode: summary.closeout.countsByCode,
          paidAmountFen: fen(summary.closeout.paidAmount),
          failedAmountFen: fen(summary.closeout.failedAmount),
        }
      : null,
    anomalies: anomalies
      ? {
          historyMonths: anomalies.historyMonths,
          note: anomalies.note,
          threshold: anomalies.threshold,
          rows: anomalies.rows,
          history: anomalies.history,
        }
      : null,
    sample: sample
      ? {
          seed: sample.seed,
          visits: sample.perTown.reduce((n, t) => n + t.visits, 0),
          replacements: sample.perTown.reduce((n, t) => n + t.replacements, 0),
        }
      : null,
  };
}

/** The approvers of the month's approval, each flagged with whom it shares a device, by name. */
function approversOf(approvals: NonNullable<NonNullable<SummaryFile['approval']>['approvals']>) {
  const names = new Map(approvals.map((a) => [a.approverId, a.approverName]));
  return approvals.map((a) => ({
    name: a.approverName,
    at: a.at,
    ...(a.sameDeviceAs?.length ? { sameDeviceAs: a.sameDeviceAs.map((id) => names.get(id) ?? id) } : {}),
  }));
}
