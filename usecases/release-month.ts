import { createHash } from 'node:crypto';
import { markSameDevice } from '#domain/approval/same-device.ts';
import { IdNumberSet } from '#domain/id-number-set.ts';
import { proveApproval } from '#domain/release/approval-proof.ts';
import { DeceasedRecheck } from '#domain/release/deceased-recheck.ts';
import { rowKey } from '#domain/release/release-rows.ts';
import { releaseFile, releaseManifest, releaseTotals, runReleaseTotals } from '#schemas/bucket-layout.ts';
import { formatFen } from '#schemas/money.ts';
import type { DecidedRelease, ReleaseResult } from '#schemas/release.ts';
import { type ReleaseTotals, ReleaseTotalsSchema } from '#schemas/release-totals.ts';
import type { ApprovalSignature, ApprovalStore } from './approval-ports.ts';
import { UploadVanishedError } from './errors.ts';
import { loadDataset } from './load-dataset.ts';
import type { MonthRunManifest } from './month-run-manifest.ts';
import { patchMonthSummary } from './month-summary.ts';
import type { AuditTrail, ObjectStore, RunStateStore } from './ports.ts';
import { readJson, readJsonIfWholeAs } from './read-json.ts';
import { streamReleaseFile } from './read-release-file.ts';
import { addUpRelease } from './release-totals.ts';
import { stageDataset } from './stage-dataset.ts';

/** The month was released before with other content: a second payment file is never produced. */
export class ReleaseConflictError extends Error {
  override readonly name = 'ReleaseConflictError';
}

/**
 * The stored approval record does not prove this release (not APPROVED, other content, too few
 * distinct approvers, no record): whatever the workflow's payload says, nothing is released.
 */
export class UnapprovedReleaseError extends Error {
  override readonly name = 'UnapprovedReleaseError';
}

const releaseKeys = (month: string) => ({
  release: releaseFile.key({ month }),
  manifest: releaseManifest.key({ month }),
  totals: releaseTotals.key({ month }),
});

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/**
 * Puts the object unless the bucket already holds exactly these bytes: a step run again after a
 * crash (its claim already made, its file already written) must not write the release again — a
 * new release.csv object is what the bank's side acts on.
 */
async function putOnce(store: ObjectStore, key: string, body: Uint8Array | string, contentType: string) {
  const stored = await store.readBytes(key);
  if (stored !== undefined && sha256(stored) === sha256(body)) return;
  await store.put(key, body, contentType);
}

/** The SHA-256 of an object, read as it streams; `undefined` when there is no such object. */
async function streamedSha256(store: ObjectStore, key: string): Promise<string | undefined> {
  let bytes: AsyncIterable<Uint8Array>;
  try {
    bytes = await store.open(key);
  } catch (error) {
    if (error instanceof UploadVanishedError) return undefined;
    throw error;
  }
  const hash = createHash('sha256');
  for await (const chunk of bytes) hash.update(chunk);
  return hash.digest('hex');
}

/**
 * Writes the release: {@link putOnce} for a file too large to hold. Copies the approved candidate
 * `from`, whose SHA-256 must be `sha256`, to `key` inside the bucket, unless `key` holds those bytes
 * already; then reads `key` once, proving that it holds the bytes approved, and returns its totals
 * per town and per category (so the month page never reads the release again): `added` when they
 * are those of the approved bytes (PrepareRelease added the candidate up as it wrote it), else
 * added up as `key` is read.
 * @throws Error when `key` does not hold the approved bytes (`from` changed after it was checked):
 *   the release is then not what was approved, and the step fails rather than go on.
 */
export async function writeApprovedRelease(
  store: ObjectStore,
  month: string,
  from: string,
  key: string,
  sha256: string,
  added?: ReleaseTotals,
): Promise<ReleaseTotals> {
  const held = await streamedSha256(store, key);
  if (held !== sha256) await store.copy(from, key);
  const totals =
    added !== undefined && added.month === month && added.releaseSha256 === sha256
      ? // A `key` that held the approved bytes already is not read again.
        { ...added, releaseSha256: held === sha256 ? held : ((await streamedSha256(store, key)) ?? '') }
      : await addUpRelease(month, key, () => store.open(key));
  if (totals.releaseSha256 !== sha256) {
    throw new Error(
      `${from} changed while it was released: ${key} holds ${totals.releaseSha256}, not ${sha256}`,
    );
  }
  return totals;
}

export interface ReleaseDeps {
  readonly approvals: ApprovalStore;
  readonly state: RunStateStore;
  readonly store: ObjectStore;
  readonly audit: AuditTrail;
  readonly now: () => string;
}

/**
 * Releases an approved month. The decision in the payload is not trusted: the approval record the
 * approval site stored is read again and must prove the release (APPROVED, this run, this
 * SHA-256, rows and amount, enough distinct approvers; see `proveApproval`). Then checks that
 * nothing the release depends on changed since the request went out (the rosters; the content
 * approved), re-runs the deceased check against the newest death and cremation data, and writes
 * `release.csv` (the approved bytes), its manifest and its per-town and per-category totals
 * (`release-totals.json`, what the month page reads) under `reports/{month}/`, naming the
 * approvers of the stored record. The release is claimed once per month: the same content again
 * is a no-op, other content is refused.
 * @returns RELEASED; RECHECK when newer death records hold a row (the approval is void, the checks
 *   run again); SUPERSEDED when a roster changed (the approval is void; ingest starts the next run).
 * @throws UnapprovedReleaseError when the stored approval does not prove the release (audited as
 *   RELEASE_REFUSED).
 * @throws ReleaseConflictError when the month was released with other content.
 */
export async function releaseMonth(input: DecidedRelease, deps: ReleaseDeps): Promise<ReleaseResult> {
  const { month, bucket } = input;
  const at = deps.now();
  const approvals = await provenApprovals(input, deps, at);
  const manifest = await readJson<MonthRunManifest>(deps.store, input.manifestKey);
  const voidApproval = async (outcome: 'RECHECK' | 'SUPERSEDED', reason: string): Promise<ReleaseResult> => {
    await deps.approvals.closeRequest(month, input.approval.requestId, 'VOID', reason, at);
    await deps.audit.append({
      month,
      action: 'APPROVAL_VOID',
      actor: 'payguard:release',
      at,
      contentSha256: input.contentSha256,
      subject: `approval ${input.approval.requestId}`,
      details: { requestId: input.approval.requestId, runId: input.runId, reason, next: outcome },
    });
    return { outcome, month, bucket, reason };
  };

  const current = await deps.state.listBatches(month);
  const changed = [
    ...manifest.batches.filter((b) => {
      const now = current.find((c) => c.batch === b.batch);
      return now === undefined || now.latestUploadId !== b.uploadId || now.status !== b.status;
    }),
    ...current.filter((c) => !manifest.batches.some((b) => b.batch === c.batch)),
  ].map((b) => b.batch);
  if (changed.length > 0) {
    return voidApproval('SUPERSEDED', `roster(s) changed after the approval request: ${changed.join(', ')}`);
  }

  // Read as it streams, here and below: a province's release is never held whole.
  if ((await streamedSha256(deps.store, input.candidateKey)) !== approvals.contentSha256) {
    return voidApproval('RECHECK', 'the release content is not the content approved');
  }

  const recheck = await recheckDeaths(input, manifest, deps);
  await deps.audit.append({
    month,
    action: 'DECEASED_RECHECKED',
    actor: 'payguard:release',
    at,
    contentSha256: input.contentSha256,
    subject: input.candidateKey,
    details: { snapshots: recheck.snapshots, changed: recheck.changed, newlyDeceased: recheck.newlyDeceased },
  });
  if (recheck.newlyDeceased > 0) {
    return voidApproval(
      'RECHECK',
      `${recheck.newlyDeceased} payee(s) to release are now recorded dead before ${month}`,
    );
  }

  const approvedBy = approvals.signatures.map((a) => ({
    id: a.approverId,
    name: a.approverName,
    at: a.at,
    ...(a.sameDeviceAs ? { sameDeviceAs: a.sameDeviceAs } : {}),
  }));
  const record = await deps.approvals.claimRelease({
    month,
    contentSha256: approvals.contentSha256,
    rows: approvals.rows,
    amountFen: approvals.amountFen,
    runId: input.runId,
    requestId: input.approval.requestId,
    releasedAt: at,
  });
  if (record.contentSha256 !== approvals.contentSha256) {
    throw new ReleaseConflictError(
      `${month} was already released at ${record.releasedAt} (run ${record.runId}, SHA-256 ${record.contentSha256}); a different payment file is not produced`,
    );
  }
  const repeated = record.releasedAt !== at;
  const keys = releaseKeys(month);
  const releaseManifest = {
    month,
    rows: record.rows,
    totalAmount: formatFen(record.amountFen),
    sha256: record.contentSha256,
    runId: record.runId,
    approvalRequestId: record.requestId,
    approvedBy,
    releasedAt: record.releasedAt,
  };
  const totals = await writeApprovedRelease(
    deps.store,
    month,
    input.candidateKey,
    keys.release,
    approvals.contentSha256,
    await readJsonIfWholeAs(
      deps.store,
      runReleaseTotals.key({ month, runId: input.runId }),
      ReleaseTotalsSchema,
      () => true,
    ),
  );
  await putOnce(deps.store, keys.totals, `${JSON.stringify(totals, null, 2)}\n`, 'application/json');
  await putOnce(
    deps.store,
    keys.manifest,
    `${JSON.stringify(releaseManifest, null, 2)}\n`,
    'application/json',
  );
  await patchMonthSummary(deps.store, month, {
    approval: {
      status: 'APPROVED',
      requestId: input.approval.requestId,
      contentSha256: approvals.contentSha256,
      requiredApprovals: approvals.required,
      approvals: approvals.signatures,
    },
    release: { ...releaseManifest, key: keys.release, deceasedRecheck: recheck },
  });
  await deps.audit.append({
    month,
    action: repeated ? 'RELEASE_REPEATED' : 'MONTH_RELEASED',
    actor: 'payguard:release',
    at,
    contentSha256: record.contentSha256,
    subject: keys.release,
    details: {
      rows: record.rows,
      amount: formatFen(record.amountFen),
      approvedBy: approvedBy.map((a) => a.id),
      runId: record.runId,
      ...(repeated ? { firstReleasedAt: record.releasedAt } : {}),
    },
  });
  return {
    outcome: 'RELEASED',
    month,
    bucket,
    releaseKey: keys.release,
    releaseManifestKey: keys.manifest,
    contentSha256: record.contentSha256,
    rows: record.rows,
    amountFen: record.amountFen,
  };
}

/**
 * The approvals of the stored approval request, when it proves the release the payload asks for.
 * @throws UnapprovedReleaseError when it does not (audited as RELEASE_REFUSED first).
 */
async function provenApprovals(input: DecidedRelease, deps: ReleaseDeps, at: string) {
  const stored = await deps.approvals.getRequest(input.month, input.approval.requestId);
  const proof = proveApproval(stored, {
    requestId: input.approval.requestId,
    runId: input.runId,
    contentSha256: input.contentSha256,
    rows: input.rows,
    amountFen: input.amountFen,
    requiredApprovals: input.requiredApprovals,
    fourEyesThresholdFen: input.fourEyesThresholdFen,
  });
  if (stored === undefined || !proof.ok) {
    const problems = proof.ok ? [] : proof.problems;
    await deps.audit.append({
      month: input.month,
      action: 'RELEASE_REFUSED',
      actor: 'payguard:release',
      at,
      contentSha256: input.contentSha256,
      subject: `approval ${input.approval.requestId}`,
      details: {
        requestId: input.approval.requestId,
        runId: input.runId,
        claimed: input.approval.decision,
        stored: stored?.status ?? null,
        problems,
      },
    });
    throw new UnapprovedReleaseError(
      `the stored approval does not prove the release of ${input.month} (request ${input.approval.requestId}): ${problems.join('; ')}`,
    );
  }
  const signatures: ApprovalSignature[] = markSameDevice(
    proof.approverIds.flatMap((id) => stored.approvals[id] ?? []),
  );
  return {
    required: proof.required,
    signatures,
    contentSha256: stored.contentSha256,
    rows: stored.rows,
    amountFen: stored.amountFen,
  };
}

/**
 * The deceased check over the rows to release (the approved release file's payments), with the
 * newest death and cremation snapshots; only staged again and read when a snapshot changed.
 *
 * The release is read twice as it streams, never held: first for its payees' IDs (a compact set),
 * which pick the death and cremation records to load (only those of people to pay, one staged
 * shard at a time), then to check its rows against them piece by piece.
 */
async function recheckDeaths(input: DecidedRelease, manifest: MonthRunManifest, deps: ReleaseDeps) {
  const snapshots: Record<string, { checked: string; newest: string }> = {};
  const deathsNow = await stageDataset('deaths', { store: deps.store, now: deps.now });
  const cremationsNow = await stageDataset('cremations', { store: deps.store, now: deps.now });
  for (const newest of [deathsNow, cremationsNow]) {
    const checked = manifest.datasets[newest.dataset]?.snapshotId ?? '';
    snapshots[newest.dataset] = { checked, newest: newest.snapshotId };
  }
  const changed = Object.values(snapshots).some((s) => s.checked !== s.newest);
  if (!changed) return { snapshots, changed, newlyDeceased: 0, rows: [] as string[] };
  const released = () => streamReleaseFile(() => deps.store.open(input.candidateKey), input.candidateKey);
  const ids = new IdNumberSet();
  for await (const payments of released()) for (const p of payments) ids.add(p.idNumber);
  const options = { filter: (id: string) => ids.has(id) };
  const [deaths, cremations] = await Promise.all([
    loadDataset(deathsNow, { store: deps.store }, options),
    loadDataset(cremationsNow, { store: deps.store }, options),
  ]);
  const recheck = new DeceasedRecheck(input.month, { deaths, cremations });
  const newly: string[] = [];
  for await (const payments of released()) {
    for (const f of recheck.check(payments)) newly.push(rowKey(f.batch, f.row));
  }
  return { snapshots, changed, newlyDeceased: newly.length, rows: newly };
}
