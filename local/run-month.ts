import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { loadDataDir } from './data-dir-loader.ts';
import { LocalEventBridge } from './event-bridge.ts';
import { startLocalStack } from './local-stack.ts';
import { LocalWorkflows, WORKFLOW_NAMES } from './local-workflows.ts';
import type { TaskInterceptor } from './workflow-engine.ts';

/** Why a run could not be carried out (the CLI prints it on one line and exits non-zero). */
export class RunError extends Error {
  override readonly name = 'RunError';
}

export interface RunMonthOptions {
  readonly dataDir: string;
  readonly month: string;
  readonly outDir: string;
  readonly approve: 'auto' | 'manual';
  readonly progress?: (line: string) => void;
  /** Test hook: wraps task invocations (e.g. to inject a transient fault). */
  readonly interceptors?: Record<string, TaskInterceptor>;
  /** Rows per month-run partition (`PARTITION_ROWS`); the pipeline default when unset. */
  readonly partitionRows?: number;
}

/** Per-upload line of the ingest, as shown while the run goes. */
export interface IngestProgress {
  readonly key: string;
  readonly status: string;
  readonly detail: string;
}

export interface RunMonthResult {
  readonly month: string;
  readonly outDir: string;
  readonly files: string[];
  readonly summary: Record<string, unknown>;
  readonly ingests: IngestProgress[];
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

async function assertDirectory(path: string, what: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory()) throw new RunError(`${what} ${path} does not exist or is not a directory`);
}

async function download(client: S3Client, bucket: string, key: string, path: string): Promise<void> {
  const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  await mkdir(dirname(path), { recursive: true });
  await writeFile(
    path,
    await (response.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
  );
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
async function monthFailureReason(month: string): Promise<string> {
  const { documentClient } = await import('#adapters/clients.ts');
  const { DynamoAuditTrail } = await import('#adapters/dynamo-audit-trail.ts');
  const trail = new DynamoAuditTrail(documentClient(), process.env.AUDIT_TABLE_NAME ?? '');
  const failures = (await trail.list(month)).filter((e) => e.action === 'MONTH_RUN_FAILED');
  return String(failures.at(-1)?.details.reason ?? 'no reason was recorded');
}

/**
 * Runs one month over a data directory on the embedded stack: loads DIR as the bucket's content
 * (each upload starting the ingest or dataset-ingest workflow as EventBridge would), waits for
 * every execution, runs the month-run workflow and copies its outputs to OUT.
 */
export async function runMonth(options: RunMonthOptions): Promise<RunMonthResult> {
  const say = options.progress ?? (() => undefined);
  if (!MONTH.test(options.month)) throw new RunError(`--month must be YYYY-MM, got "${options.month}"`);
  await assertDirectory(options.dataDir, '--data');
  await assertDirectory(join(options.dataDir, 'incoming', options.month), `No rosters for ${options.month}:`);
  const towns = await stat(join(options.dataDir, 'reference', 'towns.csv')).catch(() => undefined);
  if (!towns?.isFile())
    throw new RunError(
      `${join(options.dataDir, 'reference', 'towns.csv')} is missing; towns cannot be checked`,
    );

  const stack = await startLocalStack();
  if (options.partitionRows !== undefined) process.env.PARTITION_ROWS = String(options.partitionRows);
  const s3 = new S3Client({ endpoint: stack.s3Endpoint, forcePathStyle: true });
  try {
    say(`local stack: S3 ${stack.s3Endpoint}, DynamoDB ${stack.dynamoEndpoint}`);
    const workflows = await LocalWorkflows.create({ interceptors: options.interceptors });
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
          ingests.push({ key, status: 'FAILED', detail: `${error.name}: ${error.message}` });
          say(`  ingest FAILED     ${key}: ${error.message}`);
        },
      );
    });
    say(`loading ${options.dataDir} into the bucket`);
    const { uploaded } = await loadDataDir(options.dataDir, { client: s3, bucket: stack.bucket });
    await bridge.drain();
    say(`${uploaded} files loaded, ${workflows.executions.length} executions finished`);

    const monthIngests = ingests.filter((i) => i.key.startsWith(`incoming/${options.month}/`));
    const failed = monthIngests.filter((i) => i.status === 'FAILED');
    if (failed.length > 0) {
      throw new RunError(
        `${failed.length} roster(s) could not be checked, e.g. ${failed[0]?.key}: ${failed[0]?.detail}`,
      );
    }

    say(`month run for ${options.month}: checks against the registry and partner data`);
    const run = workflows.start(WORKFLOW_NAMES.monthRun, {
      month: options.month,
      bucket: stack.bucket,
      trigger: 'cli',
    });
    const output = (await run.result.catch(async () => {
      throw new RunError(`the month run stopped: ${await monthFailureReason(options.month)}`);
    })) as { findingsKey: string; summaryKey: string; findingsArrowKey: string };
    await workflows.drain();
    await mkdir(options.outDir, { recursive: true });
    const files = ['findings.csv', 'summary.json', 'findings.arrow'].map((name) =>
      join(options.outDir, name),
    );
    await download(s3, stack.bucket, output.findingsKey, files[0] as string);
    await download(s3, stack.bucket, output.summaryKey, files[1] as string);
    await download(s3, stack.bucket, output.findingsArrowKey, files[2] as string);
    const summary = JSON.parse(await readFile(files[1] as string, 'utf8')) as Record<string, unknown>;
    for (const batch of (summary.batches ?? []) as { batch: string; readableReport?: string }[]) {
      if (batch.readableReport === undefined) continue;
      const path = join(options.outDir, 'validation', `${batch.batch}.txt`);
      await download(s3, stack.bucket, batch.readableReport, path);
      files.push(path);
    }
    return { month: options.month, outDir: options.outDir, files, summary, ingests };
  } finally {
    s3.destroy();
    await stack.stop();
  }
}
