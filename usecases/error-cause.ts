/**
 * The message of a caught Task error. Step Functions passes a Lambda error's Cause as JSON
 * `{errorMessage, errorType, …}`; the local engine passes the message itself.
 */
export function causeMessage(cause: string | undefined): string {
  if (!cause) return 'no cause given';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    return typeof parsed.errorMessage === 'string' ? parsed.errorMessage : cause;
  } catch {
    return cause;
  }
}
