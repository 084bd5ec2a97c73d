import { mkdir, readFile, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DemoCaseHistory } from '#demo/case-history.ts';
import { issueDeskLinksLocally, writeCaseOutputsLocally } from '#local/engine/desk-links.ts';
import { LocalEventBridge } from '#local/engine/event-bridge.ts';
import type { FaultPlan } from '#local/engine/fault-plan.ts';
import type { LambdaWorkerPoolOptions } from '#local/engine/lambda-workers.ts';
import { LocalWorkflows, WORKFLOW_NAMES } from '#local/engine/local-workflows.ts';
import type { TaskInterceptor } from '#local/engine/workflow-engine.ts';
import { type LocalStack, startLocalStack } from '#local/stand-ins/local-stack.ts';
import type { StandInsAhead } from '#local/stand-ins/stand-ins-ahead.ts';
import {
  bankReturnFile,
  closeoutCsv,
  closeoutJson,
  findingsArrow,
  findingsCsv,
  monthSummary,
  reissueCsv,
  releaseFile,
  releaseManifest,
  rosterUpload,
  townsFile,
} from '#schemas/bucket-layout.ts';
import type { Contacts } from '#schemas/contacts.ts';
import type { AnomalyRow } from '#schemas/metrics.ts';
import { isMonth } from '#schemas/month.ts';
import { ENV } from '#schemas/tables.ts';
import { loadPipelineConfig } from '#usecases/load-month-config.ts';
import { loadTowns } from '#usecases/load-towns.ts';
import type { ObjectStore } from '#usecases/ports.ts';
import { type ApprovalServices, demoContacts, startApprovalServices } from './approval-services.ts';
import { writeAuditExport } from './audit-export.ts';
import { fetchObject, saveObjects } from './bucket-object.ts';
import { loadDataDir } from './data-dir-loader.ts';
import { deskLinks } from './desk-mail.ts';
// The desk officer's play (and exceljs, ~0.5 s to import) is loaded only by a run that plays it.
import type { DeskCaseList, OfficerPlay } from './desk-officer.ts';
import { followMonth, type MonthEnd } from './follow-month.ts';
import { removeOnInterrupt } from './interrupt-cleanup.ts';
import { RunError } from './run-error.ts';
import { RunOutput } from './run-output.ts';
import { standInS3Client } from './stand-in-s3-client.ts';
import { monthOutputs, WATCH_OUTPUTS, watchMonth } from './watch-month.ts';

export { RunError };

export interface RunMonthOptions {
  readonly dataDir: string;
  readonly month: string;
  readonly outDir: string;
  /** `none`: run the checks and stop at the approval gate (the `anomalies` command). */
  readonly approve: 'auto' | 'manual' | 'none';
  readonly progress?: (line: string) => void;
  /** Test hook: wraps task invocations (e.g. to inject a transient fault). */
  readonly interceptors?: Record<string, TaskInterceptor>;
  /** One Task state to fail once (`PAYGUARD_FAULT`, local/engine/fault-plan.ts); none when unset. */
  readonly fault?: FaultPlan;
  /**
   * Runs the handlers as Lambda does, each invocation in a worker process of its function
   * (local/engine/lambda-workers.ts; `true` for the pool's defaults). The CLI does; `PAYGUARD_WORKERS`
   * sets it there.
   * @default - every handler in the run's own process
   */
  readonly workers?: boolean | LambdaWorkerPoolOptions;
  /**
   * With `workers`: the stand-ins' process the CLI forked before it loaded this module (its own
   * ~1 s start overlapping the CLI's ~1 s of imports); the run's stack adopts it. Without, the stack
   * starts its own.
   */
  readonly standInsAhead?: StandInsAhead;
  /**
   * Test hook: `started` is told of the embedded stack once it runs (e.g. to watch its object
   * events); `stopping` is called once the run has ended, completed or not, while the stack still
   * runs (e.g. to read its tables), and the stack stops when it settles.
   */
  readonly observe?: {
    started?(stack: LocalStack): void;
    stopping?(run: {
      stack: LocalStack;
      workflows: LocalWorkflows | undefined;
      outboxDir: string;
    }): Promise<void>;
  };
  /** Rows per month-run partition (`PARTITION_ROWS`); the pipeline default when unset. */
  readonly partitionRows?: number;
  /** Approvers, towns and bureau; the demonstration contacts when unset. */
  readonly contacts?: Contacts;
  /**
   * Called with the released `release.csv` when the month first waits for the bank; the bank
   * file it returns (if any) is uploaded to `bank-returns/{month}/` (the demo's simulated bank).
   */
  readonly simulateBank?: (releaseCsv: string) => { name: string; body: string } | undefined;
  /** Port of the approval site (`--approve manual`); any free port when unset. */
  readonly approvalPort?: number;
  /** Seed of the home-visit sample; a fresh random one (recorded in the audit trail) when unset. */
  readonly sampleSeed?: string;
  /**
   * OUT's partial folder, already open (the demonstration generates its data into it first);
   * `RunOutput.open(outDir)` when unset. Committed when the run completes, discarded when not.
   */
  readonly output?: RunOutput;
  /**
   * After the month watch, play a town officer through the desk over HTTP (the demonstration):
   * the town with the most open cases closes some on the page, records visits and works the rest
   * in the XLSX template; then `cases.csv` and `report.html` are rewritten from the cases.
   * @default false
   */
  readonly playDesk?: boolean;
  /**
   * With `playDesk` and `approve: 'auto'`: rosters the offices of rejected towns correct and upload
   * again from their desks (presigned PUT, as the desk page does) while the first approval request
   * is open; each accepted one starts a newer run of the month, whose request the approvers decide.
   */
  readonly correctedRosters?: readonly CorrectedRoster[];
  /**
   * The cases of the month before (the demonstration's past), opened and worked in the case table
   * before the month starts (`case-history.ts`), so the bureau's view has months to compare and
   * cases overdue.
   */
  readonly caseHistory?: DemoCaseHistory;
}

/** A rejected town's roster, corrected by its office, to upload from its desk. */
export interface CorrectedRoster {
  readonly town: string;
  readonly fileName: string;
  readonly body: Uint8Array;
}

/** Per-upload line of the ingest, as shown while the run goes. */
export interface IngestProgress {
  readonly key: string;
  readonly status: string;
  readonly detail: string;
  /**
   * For a FAILED upload: whether the workflow recorded the failure (the batch is FAILED, the town
   * told), so the month can go on without it; an unrecorded failure stops the run.
   */
  readonly recorded?: boolean;
}

/** The Fail state the ingest workflow ends in once it has recorded why a roster was not checked. */
const RECORDED_INGEST_FAILURE = 'IngestFailed';

/** Where the month ended: closed, open (returns missing or wrong), released and waiting, held … */
export type MonthState =
  | 'CLOSED'
  | 'OPEN'
  | 'RELEASED'
  | 'HELD'
  | 'SUPERSEDED'
  | 'FAILED'
  | 'AWAITING_APPROVAL'
  | 'NOT_CHECKED';

export interface RunMonthResult {
  readonly month: string;
  readonly outDir: string;
  readonly files: string[];
  readonly summary: Record<string, unknown>;
  readonly ingests: IngestProgress[];
  readonly state: MonthState;
  /** What the month watch found (`anomalies.json`), when it ran. */
  readonly anomalies?: { rows: AnomalyRow[]; historyMonths: number; note?: string };
  /** With `playDesk`: what the officer did, and the case lists of the towns that corrected their roster. */
  readonly desk?: { readonly played: OfficerPlay; readonly corrected: readonly DeskCaseList[] };
}

async function assertDirectory(path: string, what: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory()) throw new RunError(`${what} ${path} does not exist or is not a directory`);
}

function describeIngest(output: unknown, key: string): IngestProgress {
  const o = output as { action?: string; reason?: string; status?: string; current?: boolean } | null;
  if (o?.action === 'IGNORE') return { key, status: 'IGNORED', detail: o.reason ?? '' };
  if (o?.action) return { key, status: o.action, detail: '' };
  return {
    key,
    status: o?.status ?? 'UNKNOWN',
    detail: o?.current === false ? 'a newer upload replaced it' : '',
  };
}

/** Why the month run of `month` stopped, from the audit trail (RecordMonthFailure wrote it). */
async function monthFailureReason(month: string): Promise<string | undefined> {
  const { documentClient } = await import('#adapters/clients.ts');
  const { DynamoAuditLedger } = await import('#adapters/dynamo-audit-ledger.ts');
  const trail = new DynamoAuditLedger(documentClient(), process.env.AUDIT_TABLE_NAME ?? '');
  const failures = (await trail.list(month)).filter((e) => e.action === 'MONTH_RUN_FAILED');
  const reason = failures.at(-1)?.details.reason;
  return reason === undefined ? undefined : String(reason);
}

/**
 * Reads DIR's `config/pipeline.json` and `reference/towns.csv` as the pipeline will, before
 * anything starts: a file the pipeline would refuse stops the run here, with the pipeline's own
 * one-line reason, instead of failing every upload's workflow one by one. Gives the town codes
 * (for the demonstration contacts).
 * @throws RunError naming the file and the problem.
 */
export async function preflight(dataDir: string): Promise<string[]> {
  const files: Pick<ObjectStore, 'readBytes'> = {
    readBytes: (key) =>
      readFile(join(dataDir, key)).then(
        (b) => new Uint8Array(b),
        () => undefined,
      ),
  };
  try {
    await loadPipelineConfig(files as ObjectStore);
    return (await loadTowns(files as ObjectStore)).towns.map((t) => t.code);
  } catch (error) {
    throw new RunError((error as Error).message);
  }
}

function monthState(end: MonthEnd | { state: 'NOT_CHECKED' }, summary: Record<string, unknown>): MonthState {
  if (end.state === 'FAILED') return 'FAILED';
  if (end.state === 'NOT_CHECKED') return 'NOT_CHECKED';
  const closeout = summary.closeout as { closed?: boolean } | null | undefined;
  if (closeout) return closeout.closed ? 'CLOSED' : 'OPEN';
  if (end.state === 'WAITING_FOR_BANK') return 'RELEASED';
  const approval = summary.approval as { status?: string } | null | undefined;
  if (approval?.status === 'HELD') return 'HELD';
  if (end.state === 'WAITING_FOR_APPROVAL') return 'AWAITING_APPROVAL';
  return 'SUPERSEDED';
}

/**
 * Follows the month run of the month (the one ingest started, else a new one) through the
 * checks and — as `options.approve` says — the gate, the release and the close-out.
 * @throws RunError when the month run stopped.
 */
async function checkMonth(ctx: {
  workflows: LocalWorkflows;
  services: ApprovalServices;
  s3: S3Client;
  bucket: string;
  options: RunMonthOptions;
  say: (line: string) => void;
}): Promise<MonthEnd> {
  const { workflows, services, s3, bucket, options, say } = ctx;
  const started = workflows.executions.filter(
    (e) => e.workflow === WORKFLOW_NAMES.monthRun && (e.input as { month?: string }).month === options.month,
  );
  const run =
    started.at(-1) ??
    workflows.start(WORKFLOW_NAMES.monthRun, { month: options.month, bucket, trigger: 'cli' });
  say(
    `month run for ${options.month}${started.length > 0 ? ' (started by ingest: every expected batch accepted)' : ''}: checks, approval, release, close-out`,
  );
  const corrections = options.playDesk ? (options.correctedRosters ?? []) : [];
  const { end } = await followMonth(workflows, services, run, {
    approve: options.approve,
    say,
    ...(corrections.length > 0
      ? {
          beforeApproval: async () => {
            const runs = () =>
              workflows.executions.filter(
                (e) =>
                  e.workflow === WORKFLOW_NAMES.monthRun &&
                  (e.input as { month?: string }).month === options.month,
              ).length;
            const before = runs();
            if (!(await uploadCorrections({ month: options.month, corrections, services, say })))
              return false;
            // Ingest starts the month itself only once every expected batch is accepted; while
            // another town is still rejected, the month is checked again as it was first (the CLI).
            if (runs() === before) {
              say(
                '  the month is checked again with the corrected roster; its request supersedes the open one',
              );
              workflows.start(WORKFLOW_NAMES.monthRun, { month: options.month, bucket, trigger: 'cli' });
            }
            return true;
          },
        }
      : {}),
    onBankWait: async () => {
      if (!options.simulateBank) return false;
      const release = await fetchObject(s3, bucket, releaseFile.key({ month: options.month }));
      const file = release && options.simulateBank(Buffer.from(release).toString('utf8'));
      if (!file) return false;
      say(`  bank: return file ${file.name} arrives`);
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: bankReturnFile.key({ month: options.month, file: file.name }),
          Body: file.body,
          ContentType: 'text/csv',
        }),
      );
      return true;
    },
  });
  if (end.state === 'FAILED') {
    const reason = (await monthFailureReason(options.month)) ?? `${end.error.name}: ${end.error.message}`;
    throw new RunError(`the month run stopped: ${reason}`);
  }
  return end;
}

/**
 * The offices of rejected towns at their desks while the approval request is open: each gets its
 * desk link by e-mail, uploads its corrected roster over HTTP and waits until the desk shows it
 * checked.
 * @returns whether one was accepted (it starts a newer run of the month, superseding the request).
 * @throws RunError when a desk link is not mailed or an upload is not accepted.
 */
async function uploadCorrections(input: {
  month: string;
  corrections: readonly CorrectedRoster[];
  services: ApprovalServices;
  say: (line: string) => void;
}): Promise<boolean> {
  let accepted = false;
  for (const roster of input.corrections) {
    await issueDeskLinksLocally({ month: input.month, towns: [roster.town], by: 'payguard:demo' });
    const link = input.services.ses
      .sent()
      .flatMap((m) => deskLinks(m.text ?? ''))
      .at(-1);
    if (link === undefined) throw new RunError(`no desk link was mailed to ${roster.town}`);
    const { uploadFromDesk } = await import('./desk-officer.ts');
    const status = await uploadFromDesk({
      site: input.services.approvalUrl,
      link,
      fileName: roster.fileName,
      body: roster.body,
    });
    if (status !== 'ACCEPTED')
      throw new RunError(`${roster.town}: the corrected roster uploaded from the desk was ${status}`);
    input.say(`  ${roster.town}: corrected roster uploaded from the desk, accepted`);
    accepted = true;
  }
  return accepted;
}

/** Outputs copied from `reports/{month}/` to OUT when the run wrote them. */
const OUTPUTS = [
  findingsCsv,
  findingsArrow,
  monthSummary,
  releaseFile,
  releaseManifest,
  closeoutCsv,
  reissueCsv,
  closeoutJson,
] as const;

/** Whether `path` is `folder` or inside it. */
const isInside = (path: string, folder: string) => path === folder || path.startsWith(`${folder}${sep}`);

/**
 * Runs one month over a data directory on the embedded stack: loads DIR as the bucket's content
 * (each upload starting its workflow as EventBridge would), follows the month run through the
 * checks, the approval gate (approving as every approver needed with `auto`), the release and —
 * when bank returns are in DIR or simulated — the close-out, and copies the outputs to OUT.
 * OUT is replaced whole, and only when the run completes (`RunOutput`): a run that stops leaves it
 * as it was.
 */
export async function runMonth(options: RunMonthOptions): Promise<RunMonthResult> {
  let output = options.output;
  try {
    if (!isMonth(options.month)) throw new RunError(`--month must be YYYY-MM, got "${options.month}"`);
    await assertDirectory(options.dataDir, '--data');
    if (isInside(options.dataDir, options.outDir)) {
      throw new RunError(
        `--data ${options.dataDir} is inside --out ${options.outDir}, which a run replaces whole; choose another --out`,
      );
    }
    // The batch folders' parent, without the folder's trailing "/".
    const rosters = join(options.dataDir, rosterUpload.folder({ month: options.month }), '.');
    const hasRosters = (await stat(rosters).catch(() => undefined))?.isDirectory() === true;
    if (!hasRosters && options.approve !== 'none')
      await assertDirectory(rosters, `No rosters for ${options.month}:`);
    const townsPath = join(options.dataDir, townsFile.key());
    const towns = await stat(townsPath).catch(() => undefined);
    if (!towns?.isFile()) throw new RunError(`${townsPath} is missing; towns cannot be checked`);
    const codes = await preflight(options.dataDir);
    const contacts = options.contacts ?? demoContacts(codes);
    const opened = options.output ?? (await RunOutput.open(options.outDir));
    output = opened;
    const result = await runMonthInto(opened.dir, { ...options, contacts, hasRosters });
    await opened.commit();
    return { ...result, outDir: opened.outDir, files: result.files.map((f) => opened.finalPath(f)) };
  } catch (error) {
    await output?.discard();
    throw error;
  }
}

/**
 * The demonstration's town officer: the desk link of the town with the most open cases is issued
 * (e-mailed into the outbox), she works her cases through the desk over HTTP, and the month's case
 * outputs are rewritten from what she recorded.
 */
async function playDesk(input: {
  month: string;
  bucket: string;
  services: ApprovalServices;
  correctedTowns: readonly string[];
  say: (line: string) => void;
}): Promise<RunMonthResult['desk']> {
  const { documentClient } = await import('#adapters/clients.ts');
  const { DynamoCaseStore } = await import('#adapters/dynamo-case-store.ts');
  const { playTownOfficer, viewTownCases } = await import('./desk-officer.ts');
  const cases = await new DynamoCaseStore(documentClient(), process.env[ENV.caseTable] ?? '').listMonth(
    input.month,
  );
  // The town with the most open findings among those with visits to make: she has both to work.
  const visiting = new Set(cases.filter((c) => c.kind === 'VISIT').map((c) => c.town));
  const open = new Map<string, number>();
  for (const c of cases) {
    if (c.status === 'OPEN' && c.kind === 'FINDING' && visiting.has(c.town))
      open.set(c.town, (open.get(c.town) ?? 0) + 1);
  }
  const town = [...open].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]?.[0];
  if (town === undefined) return undefined;
  const linkOf = async (office: string) => {
    await issueDeskLinksLocally({ month: input.month, towns: [office], by: 'payguard:demo' });
    const link = input.services.ses
      .sent()
      .flatMap((m) => deskLinks(m.text ?? ''))
      .at(-1);
    if (link === undefined) throw new RunError(`no desk link was mailed to ${office}`);
    return link;
  };
  const played = await playTownOfficer({ site: input.services.approvalUrl, town, link: await linkOf(town) });
  input.say(
    `town desk: the ${town} officer closed ${played.closedOnPage} case(s) on the page, recorded ${played.visits} visit(s), applied ${played.importedRows} row(s) of the XLSX template`,
  );
  const corrected: DeskCaseList[] = [];
  for (const office of input.correctedTowns) {
    const list = await viewTownCases({
      site: input.services.approvalUrl,
      town: office,
      link: await linkOf(office),
    });
    corrected.push(list);
    input.say(
      `town desk: ${office}'s list shows ${list.findings} finding case(s) and ${list.visits} visit(s); ${list.withdrawn} case(s) of its rejected roster withdrawn by the newer check, not listed`,
    );
  }
  await writeCaseOutputsLocally({ month: input.month, bucket: input.bucket });
  return { played, corrected };
}

/** The run itself, writing every output under `outDir` (the partial folder of the run's OUT). */
async function runMonthInto(
  outDir: string,
  options: RunMonthOptions & { contacts: Contacts; hasRosters: boolean },
): Promise<RunMonthResult> {
  const say = options.progress ?? (() => undefined);
  const { hasRosters, contacts } = options;
  const outboxDir = join(outDir, 'outbox');
  await mkdir(outboxDir, { recursive: true });

  // With the handlers in workers, the stand-ins serve every worker's requests: in the engine's
  // process they took most of its CPU (~90 % at 5M payees); in AWS they are not there either.
  const stack = await startLocalStack(
    options.workers
      ? { standIns: 'child', ...(options.standInsAhead ? { ahead: options.standInsAhead } : {}) }
      : {},
  );
  const forgetStack = removeOnInterrupt(stack.directory);
  options.observe?.started?.(stack);
  if (options.partitionRows !== undefined) process.env.PARTITION_ROWS = String(options.partitionRows);
  const services = await startApprovalServices({
    outboxDir,
    contacts,
    ...(options.approvalPort !== undefined ? { port: options.approvalPort } : {}),
  });
  const s3 = standInS3Client(stack.s3Endpoint);
  let workflows: LocalWorkflows | undefined;
  try {
    say(
      `local stack: S3 ${stack.s3Endpoint} (files in ${stack.directory}), DynamoDB ${stack.dynamoEndpoint}, approval site ${services.approvalUrl}`,
    );
    say(`outputs: ${outDir}, which takes the place of ${options.outDir} once the run completes`);
    if (options.fault)
      say(
        `fault injection: ${options.fault.workflow}:${options.fault.state} fails once (${options.fault.kind})`,
      );
    if (options.caseHistory) {
      // Loaded once the stack is up, as the other table clients are (their endpoints come from it).
      const { seedCaseHistory } = await import('./case-history.ts');
      const seeded = await seedCaseHistory(options.caseHistory, { bucket: stack.bucket, now: new Date() });
      say(
        `case history: ${seeded.opened} case(s) of ${seeded.month} opened ${options.caseHistory.openedDaysAgo} days ago, ${seeded.closed} closed by their towns' officers, the rest still open`,
      );
    }
    workflows = await LocalWorkflows.create({
      interceptors: options.interceptors,
      broker: services.broker,
      ...(options.fault ? { fault: options.fault } : {}),
      ...(options.workers ? { workers: options.workers } : {}),
    });
    if (workflows.workers) {
      workflows.workers.warm();
      say(`handlers: in Lambda-like worker processes, up to ${workflows.workers.size} at once`);
    }
    const bridge = new LocalEventBridge(stack, workflows);
    const ingests: IngestProgress[] = [];
    workflows.onExecution((execution) => {
      if (execution.workflow !== WORKFLOW_NAMES.ingest) return;
      const key = (execution.input as { detail: { object: { key: string } } }).detail.object.key;
      execution.result.then(
        (output) => {
          const line = describeIngest(output, key);
          ingests.push(line);
          say(`  ingest ${line.status.padEnd(10)} ${key}${line.detail ? ` (${line.detail})` : ''}`);
        },
        (error: Error) => {
          // The local engine wraps the Fail state's error (its name is the ASL error) in `cause`.
          const recorded = (error.cause as Error | undefined)?.name === RECORDED_INGEST_FAILURE;
          ingests.push({ key, status: 'FAILED', detail: `${error.name}: ${error.message}`, recorded });
          say(
            `  ingest FAILED     ${key}${recorded ? ' (recorded, the town is told)' : `: ${error.message}`}`,
          );
        },
      );
    });
    say(`loading ${options.dataDir} into the bucket`);
    const { uploaded } = await loadDataDir(options.dataDir, stack);
    // This process now mostly waits on the workers: the approval site's handlers load here, not
    // when the approver opens it (the month's approval would wait for them) nor at start-up.
    services.preloadSite();
    await bridge.drain();
    say(`${uploaded} files loaded, ${workflows.executions.length} executions`);

    const monthIngests = ingests.filter((i) =>
      i.key.startsWith(rosterUpload.folder({ month: options.month })),
    );
    // A roster whose check failed and was recorded is left out of the month like a rejected one
    // (the approvers see it among the batches not released); a failure nobody recorded stops here.
    const unrecorded = monthIngests.filter((i) => i.status === 'FAILED' && !i.recorded);
    if (unrecorded.length > 0) {
      throw new RunError(
        `${unrecorded.length} roster(s) could not be checked, e.g. ${unrecorded[0]?.key}: ${unrecorded[0]?.detail}`,
      );
    }

    const end: MonthEnd | { state: 'NOT_CHECKED' } = hasRosters
      ? await checkMonth({ workflows, services, s3, bucket: stack.bucket, options, say })
      : { state: 'NOT_CHECKED' };

    say(`month watch for ${options.month}: town indicators, anomalies, home-visit sample, report`);
    const watch = await watchMonth(workflows, {
      month: options.month,
      bucket: stack.bucket,
      seed: options.sampleSeed,
    });
    if (!watch.ok) say(`  the month watch stopped: ${watch.reason}`);
    const desk =
      options.playDesk && watch.ok
        ? await playDesk({
            month: options.month,
            bucket: stack.bucket,
            services,
            correctedTowns: (options.correctedRosters ?? []).map((c) => c.town),
            say,
          })
        : undefined;

    const outputs = [
      ...Object.entries(WATCH_OUTPUTS(options.month)),
      ...Object.entries(monthOutputs(options.month, OUTPUTS)),
    ].map(([name, key]) => ({ key, path: join(outDir, name) }));
    const files = await saveObjects(stack, outputs);
    const summaryPath = join(outDir, 'summary.json');
    const summary = JSON.parse(await readFile(summaryPath, 'utf8').catch(() => '{}')) as Record<
      string,
      unknown
    >;
    const reports = ((summary.batches ?? []) as { batch: string; readableReport?: string }[]).flatMap(
      (batch) =>
        batch.readableReport === undefined
          ? []
          : [{ key: batch.readableReport, path: join(outDir, 'validation', `${batch.batch}.txt`) }],
    );
    if (reports.length > 0) await mkdir(join(outDir, 'validation'), { recursive: true });
    files.push(...(await saveObjects(stack, reports)));
    files.push(await writeAuditExport(options.month, outDir));
    const anomaliesJson = await readFile(join(outDir, 'anomalies.json'), 'utf8').catch(() => undefined);
    return {
      ...(anomaliesJson ? { anomalies: JSON.parse(anomaliesJson) } : {}),
      ...(desk ? { desk } : {}),
      month: options.month,
      outDir,
      files,
      summary,
      ingests,
      state: monthState(end, summary),
    };
  } finally {
    await options.observe?.stopping?.({ stack, workflows, outboxDir });
    workflows?.abortAll();
    await workflows?.close();
    s3.destroy();
    await services.stop();
    await stack.stop();
    forgetStack();
  }
}
