import { z } from 'zod';

/**
 * What a Step Functions Distributed Map writes with its ResultWriter (`arn:aws:states:::s3:putObject`,
 * no `WriterConfig`, hence `Transformation: NONE`), as the AWS documentation describes it
 * (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html): under
 * `{Prefix}/{mapRunId}/`, a `manifest.json` naming the result files, and the child executions
 * grouped by status in `SUCCEEDED_{n}.json`, `FAILED_{n}.json` and `PENDING_{n}.json`, each a JSON
 * array. The local engine writes these files and the functions read them, so both sides share
 * this one description.
 */

/** The status groups of the result files; an aborted or timed-out child is listed as FAILED. */
export const MAP_RUN_RESULT_STATUSES = ['SUCCEEDED', 'FAILED', 'PENDING'] as const;
export type MapRunResultStatus = (typeof MAP_RUN_RESULT_STATUSES)[number];

/** One result file named by the manifest. */
export const MapRunResultFileSchema = z.object({
  Key: z.string().min(1),
  Size: z.number().int().nonnegative(),
});

/**
 * `manifest.json` of a map run.
 * @example { DestinationBucket: 'payguard-data', MapRunArn: 'arn:aws:states:…:mapRun:m/Map:1f…',
 *   ResultFiles: { FAILED: [], PENDING: [], SUCCEEDED: [{ Key: 'p/1f…/SUCCEEDED_0.json', Size: 1234 }] } }
 */
export const MapRunManifestSchema = z.object({
  DestinationBucket: z.string().min(1),
  MapRunArn: z.string().min(1),
  ResultFiles: z.object({
    SUCCEEDED: z.array(MapRunResultFileSchema),
    FAILED: z.array(MapRunResultFileSchema),
    PENDING: z.array(MapRunResultFileSchema),
  }),
});
export type MapRunManifest = z.infer<typeof MapRunManifestSchema>;

/**
 * One child execution in a result file: its input and output as JSON texts (`Output` when it
 * succeeded, `Error` and `Cause` when it failed, neither when it was still pending).
 */
export const ChildExecutionResultSchema = z.object({
  ExecutionArn: z.string().optional(),
  Name: z.string().optional(),
  StateMachineArn: z.string().optional(),
  Status: z.enum(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING', 'RUNNING']),
  Input: z.string(),
  InputDetails: z.object({ Included: z.boolean() }).optional(),
  Output: z.string().optional(),
  OutputDetails: z.object({ Included: z.boolean() }).optional(),
  Error: z.string().optional(),
  Cause: z.string().optional(),
  StartDate: z.string().optional(),
  StopDate: z.string().optional(),
  RedriveCount: z.number().int().optional(),
  RedriveStatus: z.string().optional(),
  RedriveStatusReason: z.string().optional(),
});
export type ChildExecutionResult = z.infer<typeof ChildExecutionResultSchema>;

/** A result file: the child executions of one status group. */
export const ChildExecutionResultsSchema = z.array(ChildExecutionResultSchema);

/**
 * The output of a Distributed Map state with a ResultWriter: the map run and where its manifest is.
 * @example { MapRunArn: 'arn:aws:states:…:mapRun:m/Map:1f…',
 *   ResultWriterDetails: { Bucket: 'payguard-data', Key: 'p/1f…/manifest.json' } }
 */
export const MapRunOutputSchema = z.object({
  MapRunArn: z.string().min(1),
  ResultWriterDetails: z.object({ Bucket: z.string().min(1), Key: z.string().min(1) }),
});
export type MapRunOutput = z.infer<typeof MapRunOutputSchema>;

/** The name of a result file: `{status}_{n}.json`. */
export const resultFileName = (status: MapRunResultStatus, n: number) => `${status}_${n}.json`;

/** The name of a map run's manifest in its folder. */
export const MAP_RUN_MANIFEST_FILE = 'manifest.json';
