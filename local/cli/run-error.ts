/** Why a run could not be carried out (the CLI prints it on one line and exits non-zero). */
export class RunError extends Error {
  override readonly name = 'RunError';
}
