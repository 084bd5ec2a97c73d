import type { Construct } from 'constructs';

/** Context key naming the deployment stage (`cdk synth -c payguard:stage=prod`). */
export const STAGE_CONTEXT_KEY = 'payguard:stage';

/** Stage used when the context does not name one. */
export const DEFAULT_STAGE = 'dev';

const STAGE_PATTERN = /^[a-z][a-z0-9-]{0,15}$/;

/**
 * Reads the stage from the `payguard:stage` context and validates it; it becomes part of the stack
 * name, so it is restricted to lower-case letters, digits and `-`.
 *
 * @default 'dev' when the context key is absent
 */
export function readStage(scope: Construct): string {
  const value: unknown = scope.node.tryGetContext(STAGE_CONTEXT_KEY) ?? DEFAULT_STAGE;
  if (typeof value !== 'string' || !STAGE_PATTERN.test(value)) {
    throw new Error(
      `Context ${STAGE_CONTEXT_KEY}=${JSON.stringify(value)} is not a valid stage; ` +
        'pass 1-16 characters of a-z, 0-9 and "-" starting with a letter, e.g. -c payguard:stage=prod',
    );
  }
  return value;
}
