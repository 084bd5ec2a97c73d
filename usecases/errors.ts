/**
 * Named errors. The class name is the Step Functions error name, so Retry and Catch in the
 * workflow definitions match on it.
 */

/** A storage call failed in a way worth retrying (throttling, 5xx, network). */
export class TransientStorageError extends Error {
  override readonly name = 'TransientStorageError';
}

/** The uploaded object is gone (deleted before it could be read). */
export class UploadVanishedError extends Error {
  override readonly name = 'UploadVanishedError';
}

/** A task payload did not have the shape the workflow promises. */
export class InvalidTaskInputError extends Error {
  override readonly name = 'InvalidTaskInputError';
}
