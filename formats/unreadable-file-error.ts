/**
 * The file cannot be decoded or parsed (contract `UNREADABLE_FILE`): broken quoting, NUL bytes,
 * invalid GB18030, a corrupt XLSX, a file over the size limit, or an unsupported extension.
 *
 * `reason` is a short bilingual text, Chinese then English, fit for the finding's `detail`.
 *
 * @example new UnreadableFileError('无法解析：第 12 行引号未闭合 / broken quoting: unterminated quote starting at line 12')
 */
export class UnreadableFileError extends Error {
  override name = 'UnreadableFileError';
  readonly reason: string;

  // A plain field rather than a parameter property keeps the file erasable TypeScript (runs under
  // Node's own type stripping).
  constructor(reason: string) {
    super(reason);
    this.reason = reason;
  }
}
