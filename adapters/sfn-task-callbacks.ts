import { SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { TaskCallbacks } from '#usecases/ports.ts';
import { rethrowStorageError } from './storage-errors.ts';

/** Errors that mean the task is settled or gone: nothing is waiting on the token any more. */
const SETTLED = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

/** Resumes a `.waitForTaskToken` step with SendTaskSuccess / SendTaskFailure. */
export class SfnTaskCallbacks implements TaskCallbacks {
  constructor(private readonly client: SFNClient) {}

  private async send(
    what: string,
    command: SendTaskSuccessCommand | SendTaskFailureCommand,
  ): Promise<boolean> {
    try {
      await this.client.send(command as SendTaskSuccessCommand);
      return true;
    } catch (error) {
      if (SETTLED.has((error as { name?: string })?.name ?? '')) return false;
      rethrowStorageError(error, what);
    }
  }

  succeed(taskToken: string, output: unknown): Promise<boolean> {
    return this.send(
      'resuming the workflow',
      new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }),
    );
  }

  fail(taskToken: string, error: string, cause: string): Promise<boolean> {
    return this.send(
      'failing the waiting step',
      new SendTaskFailureCommand({ taskToken, error, cause: cause.slice(0, 32_000) }),
    );
  }
}
