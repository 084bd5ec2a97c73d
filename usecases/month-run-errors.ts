/** A batch of the month is still being checked: the run waits (the workflow retries) rather than skip it. */
export class MonthNotReadyError extends Error {
  override readonly name = 'MonthNotReadyError';
}
