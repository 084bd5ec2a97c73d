/** Where in a reference or partner file the problem is. */
export interface ReferenceDataLocation {
  /** The file's key, e.g. `reference/towns.csv`. */
  readonly file?: string;
  /** The column that is absent or holds the bad value. */
  readonly column?: string;
  /** 1-based record number after the header (contract section 2). */
  readonly row?: number;
}

/**
 * A reference or partner file cannot be used: a column the rules need is absent, or a value
 * is unusable. It stops the month run (contract 2.3: nothing is released on an incomplete
 * check). The message names the file and the column or row; the class name is the Step
 * Functions error name.
 */
export class ReferenceDataError extends Error {
  override readonly name = 'ReferenceDataError';
  readonly file: string | undefined;
  readonly column: string | undefined;
  readonly row: number | undefined;

  constructor(message: string, location: ReferenceDataLocation = {}) {
    super(message);
    this.file = location.file;
    this.column = location.column;
    this.row = location.row;
  }
}
