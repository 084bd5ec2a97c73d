import { randomUUID } from 'node:crypto';
import { INGEST_TRIGGER } from '#pipelines/triggers.ts';
import type { LocalStack, S3NotificationRecord } from './local-stack.ts';
import type { LocalExecution, LocalWorkflowEngine } from './workflow-engine.ts';

/** The event EventBridge delivers for an S3 object creation, built from the stand-in's notification. */
export function toEventBridgeEvent(record: S3NotificationRecord) {
  const { bucket, object } = record.s3;
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': INGEST_TRIGGER.detailType,
    source: INGEST_TRIGGER.source,
    account: '000000000000',
    time: record.eventTime,
    region: 'us-east-1',
    resources: [`arn:aws:s3:::${bucket.name}`],
    detail: {
      version: '0',
      bucket: { name: bucket.name },
      object: { key: object.key, size: object.size ?? 0, etag: object.eTag, sequencer: object.sequencer },
      'request-id': randomUUID(),
      requester: '000000000000',
      reason: 'PutObject',
    },
  };
}

/**
 * Starts an ingest execution for every object created under `incoming/`, as the stack's
 * EventBridge rule does in AWS, and keeps track of the executions it started.
 */
export class LocalEventBridge {
  readonly executions: LocalExecution[] = [];
  private readonly listeners: ((execution: LocalExecution) => void)[] = [];

  constructor(
    stack: LocalStack,
    private readonly ingest: LocalWorkflowEngine,
  ) {
    stack.onObjectEvent((record) => {
      if (!record.eventName.startsWith('ObjectCreated:')) return;
      if (!record.s3.object.key.startsWith(INGEST_TRIGGER.keyPrefix)) return;
      this.deliver(toEventBridgeEvent(record));
    });
  }

  /** Delivers an event to the ingest workflow (also used to re-deliver one, as EventBridge may). */
  deliver(event: ReturnType<typeof toEventBridgeEvent>): LocalExecution {
    const execution = this.ingest.start(event);
    execution.result.catch(() => undefined);
    this.executions.push(execution);
    for (const listener of this.listeners) listener(execution);
    return execution;
  }

  onExecution(listener: (execution: LocalExecution) => void): void {
    this.listeners.push(listener);
  }

  /** Waits until every execution started so far has finished. */
  async drain(): Promise<void> {
    let seen = 0;
    while (seen < this.executions.length) {
      const batch = this.executions.slice(seen);
      seen = this.executions.length;
      await Promise.allSettled(batch.map((e) => e.result));
    }
  }
}
