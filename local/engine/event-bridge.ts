import { randomUUID } from 'node:crypto';
import type { LocalStack, S3NotificationRecord } from '#local/stand-ins/local-stack.ts';
import { BANK_RETURNS_TRIGGER, DATASET_TRIGGER, INGEST_TRIGGER } from '#pipelines/triggers.ts';
import { type LocalWorkflows, WORKFLOW_NAMES } from './local-workflows.ts';
import type { LocalExecution } from './workflow-engine.ts';

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

export type ObjectCreatedEvent = ReturnType<typeof toEventBridgeEvent>;

/** The workflow an object-created event starts, per the stack's EventBridge rules; undefined for none. */
export function ruleTarget(key: string): string | undefined {
  if (key.startsWith(INGEST_TRIGGER.keyPrefix)) return WORKFLOW_NAMES.ingest;
  if (DATASET_TRIGGER.keyPrefixes.some((prefix) => key.startsWith(prefix)))
    return WORKFLOW_NAMES.datasetIngest;
  if (key.startsWith(BANK_RETURNS_TRIGGER.keyPrefix)) return WORKFLOW_NAMES.bankReturns;
  return undefined;
}

/**
 * Starts a workflow for every object created under the rules' prefixes, as the stack's
 * EventBridge rules do in AWS.
 */
export class LocalEventBridge {
  constructor(
    private readonly stack: LocalStack,
    readonly workflows: LocalWorkflows,
  ) {
    stack.onObjectEvent((record) => {
      if (!record.eventName.startsWith('ObjectCreated:')) return;
      this.deliver(toEventBridgeEvent(record));
    });
  }

  /** Every execution started so far, by any rule or workflow. */
  get executions(): LocalExecution[] {
    return this.workflows.executions;
  }

  /** Delivers an event to its rule's workflow (also used to re-deliver one, as EventBridge may). */
  deliver(event: ObjectCreatedEvent): LocalExecution | undefined {
    const target = ruleTarget(event.detail.object.key);
    return target === undefined ? undefined : this.workflows.start(target, event);
  }

  /**
   * Waits until every object written so far has had its event delivered, and every execution
   * started so far (by an event or a workflow), and those they started, has finished or waits at
   * a callback step. An event may be delivered after its PUT was answered (as in AWS): the events
   * of the objects the executions wrote are waited for before the bridge is called quiet.
   */
  async drain(): Promise<void> {
    await this.stack.eventsDelivered();
    for (;;) {
      await this.workflows.drain();
      const count = this.workflows.executions.length;
      await this.stack.eventsDelivered();
      if (this.workflows.executions.length === count) return;
    }
  }
}
