import { randomUUID } from 'node:crypto';
import type { StateMachineBucket } from '#local/stand-ins/state-machine-bucket.ts';
import type { ChildExecutionResult } from '#schemas/map-run.ts';
import { type ItemReaderField, readItems } from './item-reader.ts';
import { evaluateTemplate, valueAtPath } from './payload-template.ts';
import { writeResults } from './result-writer.ts';

/**
 * A Map state in `DISTRIBUTED` mode, as written in the ASL. aws-local-stepfunctions runs Map
 * states inline only and has no ItemReader, ItemBatcher or ResultWriter, so the local engine serves
 * such a state itself (`localDefinition` hands the library a Task in its place) following the
 * AWS documentation of the Distributed Map
 * (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html).
 */
export interface DistributedMapDefinition {
  readonly Type: 'Map';
  readonly ItemProcessor: {
    readonly ProcessorConfig: { readonly Mode: 'DISTRIBUTED'; readonly ExecutionType?: string };
    readonly StartAt: string;
    readonly States: Record<string, unknown>;
  };
  readonly ItemReader?: ItemReaderField;
  readonly ItemsPath?: string;
  readonly ItemSelector?: unknown;
  /** The older name of ItemSelector. */
  readonly Parameters?: unknown;
  readonly ItemBatcher?: {
    readonly MaxItemsPerBatch?: number;
    readonly MaxInputBytesPerBatch?: number;
    readonly BatchInput?: unknown;
  };
  readonly ResultWriter?: {
    readonly Resource?: string;
    readonly Parameters?: unknown;
    readonly WriterConfig?: unknown;
  };
  readonly MaxConcurrency?: number;
  readonly ToleratedFailurePercentage?: number;
  readonly ToleratedFailureCount?: number;
  readonly Label?: string;
}

/** Fields of a Map state the library applies to the Task standing in for it, as for any Task. */
const KEPT = [
  'Comment',
  'InputPath',
  'ResultPath',
  'ResultSelector',
  'OutputPath',
  'Retry',
  'Catch',
  'Next',
  'End',
];
/** Fields the local engine serves itself. */
const SERVED = [
  'Type',
  'ItemProcessor',
  'ItemReader',
  'ItemsPath',
  'ItemSelector',
  'Parameters',
  'ItemBatcher',
  'ResultWriter',
  'MaxConcurrency',
  'ToleratedFailurePercentage',
  'ToleratedFailureCount',
  'Label',
];

/** The Lambda ARN the stand-in Task names; its local handler, keyed by state name, runs the map. */
export const DISTRIBUTED_MAP_RESOURCE =
  'arn:aws:lambda:us-east-1:000000000000:function:local-distributed-map';

/**
 * The library's default task timeout (60 s) applies to local handlers too; a map run has none of
 * its own. The longest a timer can wait (2^31 − 1 ms) bounds it.
 */
const MAP_RUN_TIMEOUT_SECONDS = 2_000_000;

type States = Record<string, Record<string, unknown>>;

function isDistributed(
  state: Record<string, unknown>,
): state is Record<string, unknown> & DistributedMapDefinition {
  const processor = state.ItemProcessor as { ProcessorConfig?: { Mode?: string } } | undefined;
  return state.Type === 'Map' && processor?.ProcessorConfig?.Mode === 'DISTRIBUTED';
}

/**
 * The machine (`{ StartAt, States }`) with each Map state in `DISTRIBUTED` mode replaced by a Task
 * of {@link DISTRIBUTED_MAP_RESOURCE} that passes the state's input and context object to its
 * handler and keeps the Map's InputPath, ResultSelector, ResultPath, OutputPath, Retry, Catch and
 * transition; and those Map states by name. Inline Maps and Parallel branches are looked into; the
 * item processor of a distributed Map is not (its child executions get their own).
 * @throws Error naming a field of a distributed Map the local engine does not serve.
 */
export function localDefinition(machine: { States?: unknown }): {
  definition: unknown;
  maps: Map<string, DistributedMapDefinition>;
} {
  const maps = new Map<string, DistributedMapDefinition>();
  const rewrite = (graph: { States?: unknown }): unknown => {
    const states = (graph.States ?? {}) as States;
    const rewritten: States = {};
    for (const [name, state] of Object.entries(states)) {
      if (isDistributed(state)) {
        const unserved = Object.keys(state).filter((k) => !KEPT.includes(k) && !SERVED.includes(k));
        if (unserved.length > 0 || state.ResultWriter?.WriterConfig !== undefined) {
          const fields = [
            ...unserved,
            ...(state.ResultWriter?.WriterConfig ? ['ResultWriter.WriterConfig'] : []),
          ];
          throw new Error(`distributed Map ${name}: the local engine does not serve ${fields.join(', ')}`);
        }
        maps.set(name, state);
        rewritten[name] = {
          Type: 'Task',
          Resource: DISTRIBUTED_MAP_RESOURCE,
          Parameters: { 'Input.$': '$', 'Context.$': '$$' },
          TimeoutSeconds: MAP_RUN_TIMEOUT_SECONDS,
          ...Object.fromEntries(KEPT.filter((k) => k in state).map((k) => [k, state[k]])),
        };
        continue;
      }
      const copy: Record<string, unknown> = { ...state };
      for (const field of ['ItemProcessor', 'Iterator'] as const) {
        if (state[field]) copy[field] = rewrite(state[field] as { States?: unknown });
      }
      if (Array.isArray(state.Branches)) {
        copy.Branches = state.Branches.map((b: { States?: unknown }) => rewrite(b));
      }
      rewritten[name] = copy;
    }
    return { ...graph, States: rewritten };
  };
  return { definition: rewrite(machine), maps };
}

/** The error of a map run whose failed child executions passed the tolerated threshold. */
export class ExceedToleratedFailureThreshold extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'States.ExceedToleratedFailureThreshold';
  }
}

/** A child execution started for one item (or batch) of a map run. */
export interface ChildRun {
  readonly executionArn: string;
  readonly name: string;
  readonly result: Promise<unknown>;
  abort(): void;
}

/** What a map run needs from the engine that runs it. */
export interface MapRunHost {
  /** `name` of the workflow (whose state machine's grants the bucket requests run with). */
  readonly workflow: string;
  /** ARN of the state machine holding the Map. */
  readonly stateMachineArn: string;
  readonly bucket: StateMachineBucket;
  /** Starts a child execution of the item processor of the Map `stateName` on `input`. */
  startChild(stateName: string, label: string, input: unknown, parentExecutionArn: string): ChildRun;
}

/**
 * Whether `failed` of `total` child executions pass the Map's tolerated failure threshold: with
 * neither `ToleratedFailureCount` nor `ToleratedFailurePercentage` set, none is tolerated; with
 * either, the map run fails once either is exceeded.
 */
export function exceedsThreshold(state: DistributedMapDefinition, failed: number, total: number): boolean {
  const count = state.ToleratedFailureCount;
  const percentage = state.ToleratedFailurePercentage;
  if (count === undefined && percentage === undefined) return failed > 0;
  return (
    (count !== undefined && failed > count) || (percentage !== undefined && failed * 100 > percentage * total)
  );
}

/** The items gathered into batches of at most `MaxItemsPerBatch` items and `MaxInputBytesPerBatch` bytes. */
function batches(items: readonly unknown[], batcher: NonNullable<DistributedMapDefinition['ItemBatcher']>) {
  const maxItems = batcher.MaxItemsPerBatch ?? Number.POSITIVE_INFINITY;
  const maxBytes = batcher.MaxInputBytesPerBatch ?? Number.POSITIVE_INFINITY;
  const out: unknown[][] = [];
  let current: unknown[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(item));
    if (current.length > 0 && (current.length >= maxItems || bytes + size > maxBytes)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

const json = (value: unknown) => JSON.stringify(value ?? null);

/**
 * Runs one map run of a distributed Map as Step Functions does: reads the items (ItemReader, else
 * ItemsPath of the input), applies ItemSelector to each with `$$.Map.Item.Index` and
 * `$$.Map.Item.Value`, gathers them into batches when there is an ItemBatcher (`{ ...BatchInput,
 * Items }`), and starts a child execution of the item processor for each, at most
 * `MaxConcurrency` at a time (0 or none: no limit). Once the failed children exceed the tolerated
 * threshold, it starts no more, stops those running, and fails with
 * `States.ExceedToleratedFailureThreshold`, after writing the results when there is a ResultWriter
 * (the ones never started as PENDING). Returns the ResultWriter's output, or else the children's
 * outputs in item order.
 */
export async function runMapRun(
  host: MapRunHost,
  stateName: string,
  state: DistributedMapDefinition,
  input: unknown,
  context: Record<string, unknown>,
): Promise<unknown> {
  const label = state.Label ?? stateName;
  const parentExecutionArn = String((context.Execution as { Id?: unknown } | undefined)?.Id ?? '');
  let items: unknown[];
  if (state.ItemReader) {
    const parameters = (await evaluateTemplate(state.ItemReader.Parameters ?? {}, input, context)) as Record<
      string,
      unknown
    >;
    items = await readItems(host.workflow, state.ItemReader, parameters, host.bucket);
  } else {
    const value = await valueAtPath(state.ItemsPath ?? '$', input, context);
    if (!Array.isArray(value)) {
      throw Object.assign(new Error(`${stateName}: ItemsPath does not select an array`), {
        name: 'States.Runtime',
      });
    }
    items = value;
  }
  const selector = state.ItemSelector ?? state.Parameters;
  const selected: unknown[] = [];
  for (const [index, value] of items.entries()) {
    selected.push(
      selector === undefined
        ? value
        : await evaluateTemplate(selector, input, {
            ...context,
            Map: { Item: { Index: index, Value: value } },
          }),
    );
  }
  let inputs: unknown[] = selected;
  if (state.ItemBatcher) {
    const batchInput = (await evaluateTemplate(state.ItemBatcher.BatchInput ?? {}, input, context)) as object;
    inputs = batches(selected, state.ItemBatcher).map((Items) => ({ ...batchInput, Items }));
  }

  const mapRunId = randomUUID();
  const mapRunArn = `${host.stateMachineArn.replace(':stateMachine:', ':mapRun:')}/${label}:${mapRunId}`;
  const childMachineArn = `${host.stateMachineArn}/${label}`;
  const results: ChildExecutionResult[] = inputs.map((i) => ({ Status: 'PENDING', Input: json(i) }));
  const outputs: unknown[] = new Array(inputs.length);
  const limit = state.MaxConcurrency ?? 0;
  const running = new Set<ChildRun>();
  let next = 0;
  let failed = 0;
  let exceeded = false;

  await new Promise<void>((resolve) => {
    const launch = () => {
      while (!exceeded && next < inputs.length && (limit === 0 || running.size < limit)) {
        const index = next++;
        const startDate = new Date().toISOString();
        const child = host.startChild(stateName, label, inputs[index], parentExecutionArn);
        running.add(child);
        const base = {
          ExecutionArn: child.executionArn,
          Name: child.name,
          StateMachineArn: childMachineArn,
          Input: json(inputs[index]),
          InputDetails: { Included: true },
          StartDate: startDate,
          RedriveCount: 0,
        };
        child.result
          .then(
            (output) => {
              outputs[index] = output;
              results[index] = {
                ...base,
                Status: 'SUCCEEDED',
                Output: json(output),
                OutputDetails: { Included: true },
                StopDate: new Date().toISOString(),
              };
            },
            (error: unknown) => {
              // The library wraps the error a failed execution ends with (its name is the ASL error).
              const thrown = error as Error;
              const e =
                thrown.name === 'ExecutionError' && thrown.cause instanceof Error ? thrown.cause : thrown;
              if (exceeded && e.name === 'ExecutionAbortedError') {
                results[index] = { ...base, Status: 'ABORTED', StopDate: new Date().toISOString() };
                return;
              }
              results[index] = {
                ...base,
                Status: 'FAILED',
                Error: e.name,
                Cause: e.message,
                StopDate: new Date().toISOString(),
              };
              failed += 1;
              if (!exceeded && exceedsThreshold(state, failed, inputs.length)) {
                exceeded = true;
                for (const other of running) if (other !== child) other.abort();
              }
            },
          )
          .finally(() => {
            running.delete(child);
            launch();
          });
      }
      if (running.size === 0 && (exceeded || next >= inputs.length)) resolve();
    };
    launch();
  });

  const failure = exceeded
    ? new ExceedToleratedFailureThreshold(
        `The specified tolerated failure threshold was exceeded: ${failed} of ${inputs.length} child executions ` +
          `of map run ${mapRunArn} failed or were stopped`,
      )
    : undefined;
  if (state.ResultWriter?.Resource !== undefined) {
    const parameters = (await evaluateTemplate(state.ResultWriter.Parameters ?? {}, input, context)) as {
      Bucket?: unknown;
      Prefix?: unknown;
    };
    const output = await writeResults(
      {
        workflow: host.workflow,
        bucketName: String(parameters.Bucket ?? ''),
        prefix: typeof parameters.Prefix === 'string' ? parameters.Prefix : '',
        mapRunId,
        mapRunArn,
        results,
      },
      host.bucket,
    );
    if (failure) throw failure;
    return output;
  }
  if (failure) throw failure;
  return outputs;
}
