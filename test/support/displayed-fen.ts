/** Reads an amount as a page displays it (`-1,234.56`) back into fen, exactly (no float). */
export function fenOfDisplayed(text: string): number {
  const match = /^(-?)(\d{1,3}(?:,\d{3})*)\.(\d{2})$/.exec(text);
  if (match === null) throw new Error(`not a displayed amount: ${text}`);
  const fen = BigInt(`${match[2]?.replaceAll(',', '')}${match[3]}`);
  return Number(match[1] === '-' ? -fen : fen);
}
