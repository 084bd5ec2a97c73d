import type { Finding } from '#schemas/finding.ts';

/**
 * Findings as the pipeline passes them between its steps: one JSON object per line (NDJSON), in
 * `findings.csv` order, written and read as streams so that no step holds all of a file's or a
 * month's findings at once.
 */
export const FINDING_LINES_CONTENT_TYPE = 'application/x-ndjson';

/** Characters gathered into one piece of the written stream. */
const PIECE_CHARS = 256 * 1024;

/** One finding as its line. */
export function findingLine(finding: Finding): string {
  return `${JSON.stringify(finding)}\n`;
}

/** The lines of the findings, gathered into pieces of about 256 Ki characters. */
export async function* findingLines(
  findings: AsyncIterable<Finding> | Iterable<Finding>,
): AsyncGenerator<string> {
  let piece = '';
  for await (const finding of findings) {
    piece += findingLine(finding);
    if (piece.length >= PIECE_CHARS) {
      yield piece;
      piece = '';
    }
  }
  if (piece.length > 0) yield piece;
}

/**
 * The findings of a stream of lines, in order.
 * @throws SyntaxError on a line that is not JSON (the pipeline wrote these files itself).
 */
export async function* readFindingLines(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<Finding> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let rest = '';
  for await (const chunk of bytes) {
    const text = rest + decoder.decode(chunk, { stream: true });
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      if (end > start) yield JSON.parse(text.slice(start, end)) as Finding;
      start = end + 1;
    }
    rest = text.slice(start);
  }
  rest += decoder.decode();
  if (rest.trim().length > 0) yield JSON.parse(rest) as Finding;
}
