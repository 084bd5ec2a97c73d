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
