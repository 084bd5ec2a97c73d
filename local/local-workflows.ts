import {
  DATASET_INGEST_WORKFLOW,
  INGEST_WORKFLOW,
  MONTH_RUN_WORKFLOW,
  WORKFLOWS,
} from '#pipelines/workflows.ts';
import { type LocalExecution, LocalWorkflowEngine, type TaskInterceptor } from './workflow-engine.ts';

/**
 * Every workflow of the stack on the local engine, able to start one another as
 * `states:startExecution` does in AWS, with a record of every execution started.
 */
export class LocalWorkflows {
  readonly executions: LocalExecution[] = [];
  private readonly listeners: ((execution: LocalExecution) => void)[] = [];
  private readonly engines = new Map<string, LocalWorkflowEngine>();

  private constructor() {}

  /** Loads every workflow and its handlers (after the local stack has set the SDK's environment). */
  static async create(
    options: { interceptors?: Record<string, TaskInterceptor | undefined> } = {},
  ): Promise<LocalWorkflows> {
    const workflows = new LocalWorkflows();
    for (const workflow of WORKFLOWS) {
      const engine = await LocalWorkflowEngine.create(workflow, {
        interceptors: options.interceptors,
        startExecution: (name, input) => workflows.start(name, input).executionArn,
      });
      workflows.engines.set(workflow.name, engine);
    }
    return workflows;
  }

  /** Starts an execution of the named workflow. */
  start(workflow: string, input: unknown): LocalExecution {
    const engine = this.engines.get(workflow);
    if (!engine) throw new Error(`no local workflow named ${workflow}`);
    const execution = engine.start(input);
    execution.result.catch(() => undefined);
    this.executions.push(execution);
    for (const listener of this.listeners) listener(execution);
    return execution;
  }

  onExecution(listener: (execution: LocalExecution) => void): void {
    this.listeners.push(listener);
  }

  /** Waits until every execution started so far, and every one they started, has finished. */
  async drain(): Promise<void> {
    let seen = 0;
    while (seen < this.executions.length) {
      const batch = this.executions.slice(seen);
      seen = this.executions.length;
      await Promise.allSettled(batch.map((e) => e.result));
      // Let result handlers that start further executions run before looking again.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

export const WORKFLOW_NAMES = {
  ingest: INGEST_WORKFLOW.name,
  monthRun: MONTH_RUN_WORKFLOW.name,
  datasetIngest: DATASET_INGEST_WORKFLOW.name,
} as const;
