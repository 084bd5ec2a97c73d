import { formatFen } from '#domain/amount.ts';

/**
 * Writes integer fen as yuan for a page: exactly 2 decimals and `,` between thousands
 * (`123456789` → `1,234,567.89`). For display only; files carry {@link formatFen}'s form.
 * @throws RangeError when `fen` is not a safe integer.
 */
export function displayYuan(fen: number): string {
  const plain = formatFen(fen);
  const point = plain.indexOf('.');
  return `${groupThousands(plain.slice(0, point))}${plain.slice(point)}`;
}

/** Writes a count with `,` between thousands (`12345` → `12,345`). */
export function displayCount(count: number): string {
  return groupThousands(String(count));
}

/** An integer's digits with `,` between thousands, sign kept (`-1234` → `-1,234`). */
export function groupThousands(integer: string): string {
  const sign = integer.startsWith('-') ? '-' : '';
  const digits = sign === '' ? integer : integer.slice(1);
  return sign + digits.replace(/\B(?=(\d{3})+$)/g, ',');
}
