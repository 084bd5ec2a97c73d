import type { RosterShards, StagedShards } from '#schemas/staged-shards.ts';
import type { BatchState } from './ports.ts';

/** A batch of the month as the run saw it. */
export interface ManifestBatch {
  readonly batch: string;
  readonly status: BatchState['status'];
  readonly key: string;
  readonly uploadId: string;
  readonly stagedKey?: string | undefined;
  /** An accepted batch's valid rows staged by ID number and by account (`stageRosterShards`). */
  readonly shards?: RosterShards | undefined;
  readonly reportKey?: string | undefined;
  readonly readableReportKey?: string | undefined;
  readonly validRows: number;
  readonly validAmountFen: number;
  readonly failure?: string | undefined;
}

/** The snapshot of one reference, register or partner dataset a run used: its evidence. */
export interface ManifestDataset {
  readonly dataset: string;
  readonly snapshotId: string;
  /** Its files in key order, each with the shards (by person) it was staged into. */
  readonly sources: readonly {
    key: string;
    etag: string;
    rows: number;
    skipped: number;
    shards: StagedShards;
  }[];
  readonly rows: number;
  readonly skippedRows: number;
  readonly dateRange?: { from: string; to: string } | undefined;
  readonly missing?: boolean | undefined;
}

/**
 * Everything a month run is about, fixed when it starts (`runManifest` of the bucket layout):
 * the same inputs give the same run id and the same outputs.
 */
export interface MonthRunManifest {
  readonly month: string;
  readonly runId: string;
  readonly preparedAt: string;
  readonly trigger: string;
  readonly config: {
    readonly employedContributionBaseFen: number;
    readonly pensionIncomeFen: number;
    readonly expectedBatches: readonly string[];
    /** Where they come from (see `MonthConfig.expectedBatchesFrom`). */
    readonly expectedBatchesFrom: string;
    readonly partitionRows: number;
  };
  readonly batches: readonly ManifestBatch[];
  /** Expected batches with no accepted file. */
  readonly missingBatches: readonly string[];
  readonly datasets: Readonly<Record<string, ManifestDataset>>;
  readonly payeeRows: number;
  /**
   * How many partitions check the month, a power of two: partition `p` checks the people whose ID
   * `partitionOf` modulo it gives `p`, reading them from the staged shards (`shardsOfPartition`).
   * The shared-account pass uses as many account partitions.
   */
  readonly partitionCount: number;
  /**
   * Where the run's shared-account pass (FindSharedAccounts per account partition, then
   * MergeSharedAccounts) writes the month's shared accounts, which every partition check reads.
   */
  readonly sharedAccountsKey: string;
}
