import { maskIdsInText } from '#domain/id-number.ts';

/**
 * Masks every ID-like run (`\d{17}[\dXx]` and longer) in a text — the defence of the pages
 * against an unmasked ID reaching them by mistake (contract section 4).
 * @example maskIdLike('张三 44200019800101123X') // '张三 442000********123X'
 */
export const maskIdLike: (text: string) => string = maskIdsInText;

/**
 * {@link maskIdLike} applied to every string inside plain data (objects, arrays), returning a
 * copy; other values are kept. Used on everything a page shows that came from data.
 */
export function maskIdLikeDeep<T>(value: T): T {
  if (typeof value === 'string') return maskIdLike(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => maskIdLikeDeep(item)) as T;
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = maskIdLikeDeep(item);
    return copy as T;
  }
  return value;
}
