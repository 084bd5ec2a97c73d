import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LocalExecution,
  LocalWorkflowEngine,
  type TaskInterceptor,
} from '#local/engine/workflow-engine.ts';
import { type LocalStack, startLocalStack } from '#local/stand-ins/local-stack.ts';
import type { WorkflowBucketAccess } from '#pipelines/bucket-access.ts';
import type { WorkflowDefinition } from '#pipelines/workflows.ts';
import { mapRunResults, runPartitionItems } from '#schemas/bucket-layout.ts';

/*
 * The local engine's Distributed Map against the AWS documentation:
 * - Map state, Distributed mode: https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
 * - ItemReader: https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html
 * - ItemSelector: https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemselector.html
 * - ItemBatcher: https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itembatcher.html
 * - ResultWriter: https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html
 * - Failure threshold: https://docs.aws.amazon.com/step-functions/latest/dg/maprun-fail-threshold.html
 * - Errors (States.ItemReaderFailed, States.ResultWriterFailed, States.ExceedToleratedFailureThreshold):
 *   https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */

const MONTH = '2026-10';
const RUN_ID = '0123456789abcdef';
const ITEMS_KEY = runPartitionItems.key({ month: MONTH, runId: RUN_ID });
const RESULTS_PREFIX = mapRunResults.folder({ month: MONTH, runId: RUN_ID }).replace(/\/$/, '');
const ACCESS: WorkflowBucketAccess = { itemReader: [runPartitionItems], resultWriter: [mapRunResults] };

let stack: LocalStack;
let s3: S3Client;
let dir: string;
let cases = 0;

beforeAll(async () => {
  stack = await startLocalStack();
  s3 = new S3Client({ endpoint: stack.s3Endpoint, forcePathStyle: true });
  dir = await mkdtemp(join(tmpdir(), 'payguard-dmap-'));
});

afterAll(async () => {
  s3?.destroy();
  await stack?.stop();
  await rm(dir, { recursive: true, force: true });
});

const put = (key: string, body: string) =>
  s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: body }));
async function getJson(key: string): Promise<unknown> {
  const response = await s3.send(new GetObjectCommand({ Bucket: stack.bucket, Key: key }));
  return JSON.parse((await response.Body?.transformToString()) ?? 'null');
}

/** A machine of one distributed Map `Check` whose item processor calls the task `Work` once. */
function machine(map: Record<string, unknown>): Record<string, unknown> {
  return {
    StartAt: 'Check',
    States: {
      Check: {
        Type: 'Map',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSON' },
          Parameters: { 'Bucket.$': '$.bucket', 'Key.$': '$.itemsKey' },
        },
        ItemSelector: {
          'month.$': '$.month',
          'index.$': '$$.Map.Item.Index',
          'value.$': '$$.Map.Item.Value',
        },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Work',
          States: {
            Work: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke',
              // biome-ignore lint/suspicious/noTemplateCurlyInString: an ASL substitution placeholder
              Parameters: { FunctionName: '${WorkFunctionArn}', 'Payload.$': '$' },
              OutputPath: '$.Payload',
              End: true,
            },
          },
        },
        ToleratedFailurePercentage: 0,
        ResultWriter: {
          Resource: 'arn:aws:states:::s3:putObject',
          Parameters: { 'Bucket.$': '$.bucket', 'Prefix.$': '$.resultsPrefix' },
        },
        ResultPath: '$.mapRun',
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Caught' }],
        End: true,
        ...map,
      },
      Caught: { Type: 'Pass', End: true },
    },
  };
}

interface Ran {
  output: Record<string, unknown>;
  children: LocalExecution[];
  maxRunning: number;
  payloads: unknown[];
}

/**
 * Runs `definition` on the engine (its `Work` task served by `work`), as a workflow whose state
 * machine has `access`; records the children and how many ran at once.
 */
async function run(
  definition: Record<string, unknown>,
  work: (payload: unknown) => Promise<unknown> = async (payload) => payload,
  access: WorkflowBucketAccess = ACCESS,
): Promise<Ran> {
  cases += 1;
  const aslPath = join(dir, `case-${cases}.asl.json`);
  await writeFile(aslPath, JSON.stringify(definition));
  const workflow: WorkflowDefinition = {
    name: 'dmap-test',
    aslPath,
    // The module is loaded but never called: the interceptor serves the task.
    tasks: [{ state: 'Work', functionModule: 'record-month-failure', arnSubstitution: 'WorkFunctionArn' }],
  };
  const children: LocalExecution[] = [];
  let running = 0;
  let maxRunning = 0;
  const payloads: unknown[] = [];
  const serve: TaskInterceptor = async (_invoke, payload) => {
    payloads.push(payload);
    running += 1;
    maxRunning = Math.max(maxRunning, running);
    try {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return await work(payload);
    } finally {
      running -= 1;
    }
  };
  const engine = await LocalWorkflowEngine.create(workflow, {
    interceptors: { Work: serve },
    workflowBucketAccess: () => access,
    onChildExecution: (execution) => children.push(execution),
  });
  const execution = engine.start({
    month: MONTH,
    bucket: stack.bucket,
    itemsKey: ITEMS_KEY,
    resultsPrefix: RESULTS_PREFIX,
  });
  const output = (await execution.result) as Record<string, unknown>;
  await Promise.allSettled(children.map((c) => c.result));
  return { output, children, maxRunning, payloads };
}

type Results = { Status: string; Input: string; Output?: string; Error?: string; Cause?: string }[];

async function writtenResults(output: Record<string, unknown>) {
  const mapRun = output.mapRun as { MapRunArn: string; ResultWriterDetails: { Bucket: string; Key: string } };
  const manifest = (await getJson(mapRun.ResultWriterDetails.Key)) as {
    DestinationBucket: string;
    MapRunArn: string;
    ResultFiles: Record<'SUCCEEDED' | 'FAILED' | 'PENDING', { Key: string; Size: number }[]>;
  };
  const files = async (status: 'SUCCEEDED' | 'FAILED' | 'PENDING') =>
    (
      await Promise.all(manifest.ResultFiles[status].map(async (f) => (await getJson(f.Key)) as Results))
    ).flat();
  return {
    mapRun,
    manifest,
    succeeded: await files('SUCCEEDED'),
    failed: await files('FAILED'),
    pending: await files('PENDING'),
  };
}

describe('a distributed Map on the local engine', () => {
  it('reads a JSON array with ItemReader, selects each item with its index and value, and writes the results', async () => {
    // Prepare
    await put(ITEMS_KEY, JSON.stringify([{ partition: 0 }, { partition: 1 }, { partition: 2 }]));

    // Act
    const { output, children } = await run(machine({}));

    // Assess: the state's output is the map run and where its manifest is (ResultWriter page)
    const { mapRun, manifest, succeeded, failed, pending } = await writtenResults(output);
    expect(output.error).toBeUndefined();
    expect(mapRun.MapRunArn).toMatch(
      /^arn:aws:states:us-east-1:000000000000:mapRun:payguard-dmap-test\/Check:[0-9a-f-]{36}$/,
    );
    const mapRunId = mapRun.MapRunArn.split(':').at(-1);
    expect(mapRun.ResultWriterDetails).toEqual({
      Bucket: stack.bucket,
      Key: `${RESULTS_PREFIX}/${mapRunId}/manifest.json`,
    });
    expect(manifest.DestinationBucket).toBe(stack.bucket);
    expect(manifest.MapRunArn).toBe(mapRun.MapRunArn);
    expect(manifest.ResultFiles.SUCCEEDED.map((f) => f.Key)).toEqual([
      `${RESULTS_PREFIX}/${mapRunId}/SUCCEEDED_0.json`,
    ]);
    expect(manifest.ResultFiles.FAILED).toEqual([]);
    expect(manifest.ResultFiles.PENDING).toEqual([]);
    expect(failed).toEqual([]);
    expect(pending).toEqual([]);
    // Each child's input is the ItemSelector's object, its Input and Output JSON texts (Transformation NONE)
    expect(succeeded.map((r) => [r.Status, JSON.parse(r.Input), JSON.parse(r.Output ?? 'null')])).toEqual(
      [0, 1, 2].map((i) => {
        const selected = { month: MONTH, index: i, value: { partition: i } };
        return ['SUCCEEDED', selected, selected];
      }),
    );
    // Each item ran as a child execution of its own, of the state machine `{machine}/{label}`
    expect(children).toHaveLength(3);
    for (const child of children) {
      expect(child.workflow).toBe('dmap-test/Check');
      expect(child.executionArn).toMatch(/:execution:payguard-dmap-test\/Check:[0-9a-f-]{36}$/);
      expect(child.parentExecutionArn).toMatch(/:execution:payguard-dmap-test:/);
    }
  });

  it('reads JSON Lines, one item a line', async () => {
    // Prepare
    await put(ITEMS_KEY, '{"partition":5}\n\n{"partition":6}\n');

    // Act
    const { payloads } = await run(
      machine({
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSONL' },
          Parameters: { 'Bucket.$': '$.bucket', 'Key.$': '$.itemsKey' },
        },
        ItemSelector: { 'partition.$': '$$.Map.Item.Value.partition' },
      }),
    );

    // Assess
    expect(payloads).toEqual(expect.arrayContaining([{ partition: 5 }, { partition: 6 }]));
    expect(payloads).toHaveLength(2);
  });

  it('reads a CSV file whose first row is the header, every value a string', async () => {
    // Prepare
    await put(ITEMS_KEY, 'partition,town\n7,shiqi\n8,"dong,qu"\n');

    // Act
    const { output } = await run(
      machine({
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
          Parameters: { 'Bucket.$': '$.bucket', 'Key.$': '$.itemsKey' },
        },
        ItemSelector: { 'row.$': '$$.Map.Item.Value' },
      }),
    );

    // Assess
    const { succeeded } = await writtenResults(output);
    expect(succeeded.map((r) => JSON.parse(r.Input))).toEqual([
      { row: { partition: '7', town: 'shiqi' } },
      { row: { partition: '8', town: 'dong,qu' } },
    ]);
  });

  it('lists the objects under a prefix with s3:listObjectsV2', async () => {
    // Prepare
    await put(`${RESULTS_PREFIX}/listed/a.json`, '{}');
    await put(`${RESULTS_PREFIX}/listed/b.json`, '[1]');

    // Act
    const { payloads } = await run(
      machine({
        ItemReader: {
          Resource: 'arn:aws:states:::s3:listObjectsV2',
          Parameters: { 'Bucket.$': '$.bucket', Prefix: `${RESULTS_PREFIX}/listed/` },
        },
        ItemSelector: { 'key.$': '$$.Map.Item.Value.Key', 'size.$': '$$.Map.Item.Value.Size' },
      }),
      undefined,
      // Listing is s3:ListBucket: grant it by reading the family (the guard lists read keys too).
      { itemReader: [mapRunResults], resultWriter: [mapRunResults] },
    );

    // Assess
    expect(payloads).toEqual(
      expect.arrayContaining([
        { key: `${RESULTS_PREFIX}/listed/a.json`, size: 2 },
        { key: `${RESULTS_PREFIX}/listed/b.json`, size: 3 },
      ]),
    );
  });

  it('runs at most MaxConcurrency children at a time', async () => {
    // Prepare
    await put(ITEMS_KEY, JSON.stringify([0, 1, 2, 3, 4, 5].map((partition) => ({ partition }))));

    // Act
    const limited = await run(machine({ MaxConcurrency: 2 }));
    const unlimited = await run(machine({}));

    // Assess
    expect(limited.children).toHaveLength(6);
    expect(limited.maxRunning).toBe(2);
    expect(unlimited.maxRunning).toBe(6);
  });

  it('gathers the selected items into batches with ItemBatcher', async () => {
    // Prepare
    await put(ITEMS_KEY, JSON.stringify([0, 1, 2, 3, 4].map((partition) => ({ partition }))));

    // Act
    const { payloads } = await run(
      machine({
        ItemSelector: { 'p.$': '$$.Map.Item.Value.partition' },
        ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { 'month.$': '$.month' } },
        MaxConcurrency: 1,
      }),
    );

    // Assess
    expect(payloads).toEqual([
      { month: MONTH, Items: [{ p: 0 }, { p: 1 }] },
      { month: MONTH, Items: [{ p: 2 }, { p: 3 }] },
      { month: MONTH, Items: [{ p: 4 }] },
    ]);
  });

  it('fails with States.ExceedToleratedFailureThreshold on one failed child at threshold 0, the rest PENDING', async () => {
    // Prepare
    await put(ITEMS_KEY, JSON.stringify([0, 1, 2, 3].map((partition) => ({ partition }))));
    const failSecond = async (payload: unknown) => {
      if ((payload as { index: number }).index === 1) {
        throw Object.assign(new Error('partners/deaths/x.csv lacks date_of_death'), {
          name: 'ReferenceDataError',
        });
      }
      return payload;
    };

    // Act
    const { output, children } = await run(machine({ MaxConcurrency: 1 }), failSecond);

    // Assess: caught by the Map's Catch, as any error of the state
    const error = output.error as { Error: string; Cause: string };
    expect(error.Error).toBe('States.ExceedToleratedFailureThreshold');
    expect(children).toHaveLength(2);
    // The results are written all the same: the failure with its error and cause, the rest pending
    const mapRunId = /:mapRun:[^ ]*:([0-9a-f-]{36})/.exec(error.Cause)?.[1];
    const manifest = (await getJson(`${RESULTS_PREFIX}/${mapRunId}/manifest.json`)) as {
      ResultFiles: Record<string, { Key: string }[]>;
    };
    const read = async (status: string) =>
      (
        await Promise.all(
          (manifest.ResultFiles[status] ?? []).map(async (f) => (await getJson(f.Key)) as Results),
        )
      ).flat();
    expect((await read('SUCCEEDED')).map((r) => JSON.parse(r.Input).index)).toEqual([0]);
    expect(
      (await read('FAILED')).map((r) => [JSON.parse(r.Input).index, r.Status, r.Error, r.Cause]),
    ).toEqual([[1, 'FAILED', 'ReferenceDataError', 'partners/deaths/x.csv lacks date_of_death']]);
    expect((await read('PENDING')).map((r) => [JSON.parse(r.Input).index, r.Status])).toEqual([
      [2, 'PENDING'],
      [3, 'PENDING'],
    ]);
  });

  it('tolerates failures up to ToleratedFailureCount', async () => {
    // Prepare
    await put(ITEMS_KEY, JSON.stringify([0, 1, 2].map((partition) => ({ partition }))));
    const failFirst = async (payload: unknown) => {
      if ((payload as { index: number }).index === 0) throw Object.assign(new Error('no'), { name: 'Boom' });
      return payload;
    };

    // Act
    const { output } = await run(
      machine({ ToleratedFailurePercentage: undefined, ToleratedFailureCount: 1 }),
      failFirst,
    );

    // Assess
    expect(output.error).toBeUndefined();
    const { succeeded, failed } = await writtenResults(output);
    expect(succeeded).toHaveLength(2);
    expect(failed.map((r) => r.Error)).toEqual(['Boom']);
  });

  it('fails with States.ItemReaderFailed when the items file is missing', async () => {
    // Act
    const { output, children } = await run(
      machine({
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSON' },
          Parameters: { 'Bucket.$': '$.bucket', Key: runPartitionItems.key({ month: MONTH, runId: 'gone' }) },
        },
      }),
    );

    // Assess
    const error = output.error as { Error: string; Cause: string };
    expect(error.Error).toBe('States.ItemReaderFailed');
    expect(error.Cause).toContain('NoSuchKey');
    expect(children).toHaveLength(0);
  });

  it('reads and writes only what the workflow declares: a read outside its grants fails as ItemReaderFailed', async () => {
    // Prepare
    await put(ITEMS_KEY, JSON.stringify([{ partition: 0 }]));

    // Act
    const { output } = await run(machine({}), undefined, { resultWriter: [mapRunResults] });

    // Assess
    const error = output.error as { Error: string; Cause: string };
    expect(error.Error).toBe('States.ItemReaderFailed');
    expect(error.Cause).toContain('AccessDenied');
    expect(error.Cause).toContain('dmap-test-state-machine');
  });

  it('fails with States.ResultWriterFailed when the results cannot be written', async () => {
    // Prepare
    await put(ITEMS_KEY, JSON.stringify([{ partition: 0 }]));

    // Act
    const { output } = await run(machine({}), undefined, { itemReader: [runPartitionItems] });

    // Assess
    const error = output.error as { Error: string; Cause: string };
    expect(error.Error).toBe('States.ResultWriterFailed');
    expect(error.Cause).toContain('AccessDenied');
  });

  it('returns the children outputs in item order without a ResultWriter', async () => {
    // Prepare
    await put(ITEMS_KEY, JSON.stringify([{ partition: 0 }, { partition: 1 }]));

    // Act
    const { output } = await run(
      machine({ ResultWriter: undefined, ItemSelector: { 'p.$': '$$.Map.Item.Value.partition' } }),
      async (payload) => ({ doubled: (payload as { p: number }).p * 2 }),
    );

    // Assess
    expect(output.mapRun).toEqual([{ doubled: 0 }, { doubled: 2 }]);
  });
});
