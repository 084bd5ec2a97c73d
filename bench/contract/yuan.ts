/**
 * Integer fen as the contract's output amount: yuan with exactly 2 decimals (contract 4), for the
 * bench's generated files. Non-negative amounts only.
 * @example yuan(118050) // '1180.50'
 */
export function yuan(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}
