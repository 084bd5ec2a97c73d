import { TransientStorageError } from '#usecases/errors.ts';

const TRANSIENT_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'SlowDown',
  'InternalError',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'RequestTimeout',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
]);

/**
 * Rethrows an SDK error as `TransientStorageError` when retrying may help (throttling, 5xx,
 * network), so the workflow's Retry catches it; anything else is rethrown unchanged.
 */
export function rethrowStorageError(error: unknown, what: string): never {
  const e = error as {
    name?: string;
    code?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  const status = e?.$metadata?.httpStatusCode ?? 0;
  if (
    e?.$retryable ||
    status >= 500 ||
    TRANSIENT_NAMES.has(e?.name ?? '') ||
    TRANSIENT_NAMES.has(e?.code ?? '')
  ) {
    throw new TransientStorageError(
      `${what}: ${e?.name ?? 'error'} ${(error as Error)?.message ?? ''}`.trim(),
    );
  }
  throw error;
}
