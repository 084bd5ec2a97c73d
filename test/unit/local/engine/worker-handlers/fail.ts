/** Test handler: throws a named error with a named cause, as a use case's domain error does. */
export async function handler(): Promise<never> {
  const cause = new Error('the registry file has no id_number column');
  cause.name = 'ColumnMissing';
  const error = new Error('the registry cannot be read', { cause });
  error.name = 'ReferenceDataError';
  throw error;
}
