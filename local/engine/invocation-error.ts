/** An error as it crosses from a Lambda-like worker to the engine: what Step Functions sees of it. */
export interface CrossingError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly cause?: CrossingError;
}

/** `error` as plain data, its causes included (a few levels: a cycle must not loop). */
export function toCrossing(error: unknown, depth = 0): CrossingError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  return {
    name: error.name,
    message: error.message,
    ...(error.stack !== undefined ? { stack: error.stack } : {}),
    ...(error.cause !== undefined && depth < 4 ? { cause: toCrossing(error.cause, depth + 1) } : {}),
  };
}

/**
 * The error again, on the engine's side: an `Error` whose `name` is the handler's (the ASL's
 * Retry and Catch match on it, as Step Functions matches the Lambda's `errorType`).
 */
export function fromCrossing(crossing: CrossingError): Error {
  const error = new Error(
    crossing.message,
    crossing.cause !== undefined ? { cause: fromCrossing(crossing.cause) } : undefined,
  );
  error.name = crossing.name;
  if (crossing.stack !== undefined) error.stack = crossing.stack;
  return error;
}
