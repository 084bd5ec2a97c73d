import { accountMapRunResults, mapRunResults } from '#schemas/bucket-layout.ts';
import {
  type ChildExecutionResult,
  ChildExecutionResultsSchema,
  MAP_RUN_MANIFEST_FILE,
  type MapRunManifest,
  MapRunManifestSchema,
  type MapRunOutput,
} from '#schemas/map-run.ts';
import { type PartitionResult, PartitionResultSchema } from '#schemas/month-run.ts';
import type { ObjectStore } from './ports.ts';
import { readJson } from './read-json.ts';

/**
 * The month run's partitions are checked by a distributed Map whose ResultWriter writes the child
 * executions' results to the bucket (`schemas/map-run.ts`, key family `mapRunResults`); these
 * read them back.
 */

async function manifestAt(store: ObjectStore, key: string): Promise<MapRunManifest> {
  return MapRunManifestSchema.parse(await readJson<unknown>(store, key));
}

async function childResults(store: ObjectStore, files: MapRunManifest['ResultFiles']['SUCCEEDED']) {
  const results: ChildExecutionResult[] = [];
  for (const file of files)
    results.push(...ChildExecutionResultsSchema.parse(await readJson<unknown>(store, file.Key)));
  return results;
}

/**
 * Every partition's result, read from the SUCCEEDED files of the map run `mapRun` names.
 * @throws Error when the map run is not one of this run's (its manifest outside the run's
 *   results), left a child FAILED or PENDING, or has not exactly one result per partition.
 */
export async function readPartitionResults(
  store: ObjectStore,
  run: { month: string; runId: string; partitionCount: number },
  mapRun: MapRunOutput,
): Promise<PartitionResult[]> {
  const key = mapRun.ResultWriterDetails.Key;
  const parsed = mapRunResults.parse(key);
  if (parsed?.month !== run.month || parsed.runId !== run.runId || parsed.file !== MAP_RUN_MANIFEST_FILE) {
    throw new Error(`${key} is not the manifest of a map run of run ${run.runId} of ${run.month}`);
  }
  const manifest = await manifestAt(store, key);
  const unfinished = manifest.ResultFiles.FAILED.length + manifest.ResultFiles.PENDING.length;
  if (unfinished > 0) throw new Error(`map run ${manifest.MapRunArn} did not check every partition (${key})`);
  const results = (await childResults(store, manifest.ResultFiles.SUCCEEDED)).map((r) =>
    PartitionResultSchema.parse(JSON.parse(r.Output ?? 'null')),
  );
  const partitions = new Set(results.map((r) => r.partition));
  if (results.length !== run.partitionCount || partitions.size !== run.partitionCount) {
    throw new Error(
      `map run ${manifest.MapRunArn} has ${results.length} result(s) for ${run.partitionCount} partition(s) (${key})`,
    );
  }
  return results;
}

/** Which of the run's distributed Maps a child execution belongs to. */
export type RunMapPass = 'shared-accounts' | 'partition-check';

/**
 * The run's distributed Maps, in the order the run goes, with the key family their ResultWriter
 * writes under: the shared-account pass (one item per account partition), then the partition check.
 */
const RUN_MAP_RESULTS: readonly { readonly pass: RunMapPass; readonly results: typeof mapRunResults }[] = [
  { pass: 'shared-accounts', results: accountMapRunResults },
  { pass: 'partition-check', results: mapRunResults },
];

/**
 * The first failed child execution of the run's map runs (its error, cause and input) and the
 * pass it belongs to, found by listing the run's results folders: a map run that failed reports
 * only that the tolerated threshold was exceeded, its FAILED file says why. `undefined` when no
 * map run wrote one.
 */
export async function firstFailedChild(
  store: ObjectStore,
  run: { month: string; runId: string },
): Promise<{ pass: RunMapPass; result: ChildExecutionResult } | undefined> {
  for (const { pass, results } of RUN_MAP_RESULTS) {
    const listed = await store.list(results.folder(run));
    const manifests = listed
      .map((o) => o.key)
      .filter((key) => results.parse(key)?.file === MAP_RUN_MANIFEST_FILE)
      .sort();
    for (const key of manifests) {
      const failed = await childResults(store, (await manifestAt(store, key)).ResultFiles.FAILED);
      const first = failed.find((r) => r.Status === 'FAILED' && r.Error !== undefined);
      if (first) return { pass, result: first };
    }
  }
  return undefined;
}
