const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/**
 * The check character of an 18-character resident ID (GB 11643-1999, MOD 11-2) from its first 17
 * digits, written from the standard's weight table rather than taken from `domain/id-number.ts`.
 * @example residentIdCheck('11010519491231002') // 'X'
 */
export function residentIdCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * (WEIGHTS[i] as number);
  return CHECK.charAt(sum % 11);
}
