import type { StateMachineBucket } from '#local/stand-ins/state-machine-bucket.ts';
import {
  type ChildExecutionResult,
  MAP_RUN_MANIFEST_FILE,
  MAP_RUN_RESULT_STATUSES,
  type MapRunManifest,
  type MapRunOutput,
  type MapRunResultStatus,
  resultFileName,
} from '#schemas/map-run.ts';

/** The error of a Map state whose results could not be written. */
export class ResultWriterFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'States.ResultWriterFailed';
  }
}

/** The result file group of a child execution's status (aborted and timed out count as FAILED). */
function groupOf(result: ChildExecutionResult): MapRunResultStatus {
  if (result.Status === 'SUCCEEDED') return 'SUCCEEDED';
  if (result.Status === 'PENDING') return 'PENDING';
  return 'FAILED';
}

/**
 * Writes a map run's results as a ResultWriter with `Resource: arn:aws:states:::s3:putObject` does
 * (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html): the child
 * executions, grouped by status, to `{Prefix}/{mapRunId}/SUCCEEDED_0.json`, `FAILED_0.json` and
 * `PENDING_0.json` (a group with no execution has no file), then `manifest.json` naming them; and
 * returns the Map state's output, `{ MapRunArn, ResultWriterDetails: { Bucket, Key } }` with the
 * manifest's key. One file per group: AWS starts a new file only past 5 GB.
 * @throws ResultWriterFailed when a file cannot be written.
 */
export async function writeResults(
  options: {
    workflow: string;
    bucketName: string;
    prefix: string;
    mapRunId: string;
    mapRunArn: string;
    results: readonly ChildExecutionResult[];
  },
  bucket: StateMachineBucket,
): Promise<MapRunOutput> {
  const { workflow, bucketName, mapRunArn } = options;
  const folder = `${options.prefix === '' ? '' : `${options.prefix.replace(/\/+$/, '')}/`}${options.mapRunId}/`;
  const manifest: MapRunManifest = {
    DestinationBucket: bucketName,
    MapRunArn: mapRunArn,
    ResultFiles: { SUCCEEDED: [], FAILED: [], PENDING: [] },
  };
  try {
    for (const status of MAP_RUN_RESULT_STATUSES) {
      const group = options.results.filter((r) => groupOf(r) === status);
      if (group.length === 0) continue;
      const key = `${folder}${resultFileName(status, 0)}`;
      const body = JSON.stringify(group);
      await bucket.putObject(workflow, bucketName, key, body);
      manifest.ResultFiles[status].push({ Key: key, Size: Buffer.byteLength(body) });
    }
    const manifestKey = `${folder}${MAP_RUN_MANIFEST_FILE}`;
    await bucket.putObject(workflow, bucketName, manifestKey, JSON.stringify(manifest));
    return { MapRunArn: mapRunArn, ResultWriterDetails: { Bucket: bucketName, Key: manifestKey } };
  } catch (error) {
    const e = error as Error;
    throw new ResultWriterFailed(`the map run's results could not be written: ${e.name}: ${e.message}`);
  }
}
