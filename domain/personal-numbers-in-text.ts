/**
 * Masking of ID and account numbers inside free text a person typed (an approver's rejection
 * reason), where they come in any shape: `44200019800101123X`, `4420 0019 8001 0112 3X`,
 * `442000-19800101-123X`, full-width digits from a Chinese input method.
 *
 * A number is a run of digits (ASCII or full-width) joined by gaps of at most 3 spaces or dashes
 * (ASCII and no-break space, U+3000, tab; `-`, U+2010–U+2015, U+2212, U+FF0D), optionally ending
 * in a check character `X`; its length counts its digits and `X`, not the separators. Masking
 * keeps the separators where they were and replaces each hidden character with `*`.
 *
 * Not caught: a number broken by other characters (`442000, 19800101, 123X`), and a birth date
 * typed beside a masked ID. Caught though harmless: a date range written with dashes
 * (`2026-10-01 - 2026-10-31`, 16 digits) reads as one number. Not for whole pages: their markup
 * (SVG path data) holds long runs of numbers joined by spaces; pages use `maskIdsInText`.
 */

const DIGIT = '[0-9\\uFF10-\\uFF19]';
const SEPARATOR = '[ \\t\\u00A0\\u3000\\-\\u2010-\\u2015\\u2212\\uFF0D]';
const CHECK = '[XxＸｘ]';
/** Linear: a separator is never a digit, so each character has one way to match. */
const NUMBER_RUN = new RegExp(`${DIGIT}(?:${SEPARATOR}{0,3}${DIGIT})*(?:${SEPARATOR}{0,3}${CHECK})?`, 'g');
const IS_SEPARATOR = new RegExp(`^${SEPARATOR}$`);
const CHECK_LAST = new RegExp(`${CHECK}$`);

/** Characters of an ID: 17 digits and a check character (contract 2.1). */
const ID_LENGTH = 18;
/** Length from which a number is account-like (contract 2.1: 10 to 25 digits). */
const ACCOUNT_LIKE_LENGTH = 10;
/** Longest account (contract 2.1): a longer number is several numbers joined by separators. */
const LONGEST_ACCOUNT = 25;

/**
 * Masks every ID number in free text, whatever its shape: what contract 4 asks of anything sent,
 * for the bureau's copy of a text, which keeps account numbers whole. An ID is a number of
 * exactly 18 characters, or 18 characters of a number of up to 25 that start and end at its
 * separators (`442000198001011234 2026-10`); a 19- to 25-digit number without such a part is taken
 * for an account (one ending in `X` is not one: masked whole). A longer number is several joined
 * by separators, where nothing tells where an ID starts: it is masked whole (an account or a date
 * beside an ID with it).
 * @example maskIdNumbersInText('见 4420 0019 8001 0112 3X') // '见 4420 00** **** **12 3X'
 */
export function maskIdNumbersInText(text: string): string {
  return text.replace(NUMBER_RUN, (run) => {
    const chars = Array.from(run);
    const groups = groupsOf(chars);
    const length = groups.reduce((sum, g) => sum + g.length, 0);
    if (length < ID_LENGTH) return run;
    const hidden = new Set<number>();
    if (length > LONGEST_ACCOUNT) {
      hideMiddle(groups.flat(), hidden);
      return chars.map((c, i) => (hidden.has(i) ? '*' : c)).join('');
    }
    for (let first = 0; first < groups.length; ) {
      let sum = 0;
      let last = first;
      while (last < groups.length && sum < ID_LENGTH) sum += groups[last++]?.length ?? 0;
      if (sum === ID_LENGTH) {
        hideMiddle(groups.slice(first, last).flat(), hidden);
        first = last;
      } else first++;
    }
    // No account ends in a check character: an ID with something joined to it.
    if (hidden.size === 0 && CHECK_LAST.test(run)) hideMiddle(groups.flat(), hidden);
    return chars.map((c, i) => (hidden.has(i) ? '*' : c)).join('');
  });
}

/**
 * Masks every ID-like and account-like number (10 or more digits and `X`, separators inside
 * included) in free text: for a text sent to every town office, which has no need of anyone's
 * numbers.
 * @example maskPersonalNumbersInText('账号 6222-0212-3456-7890') // '账号 6222-02**-****-7890'
 */
export function maskPersonalNumbersInText(text: string): string {
  return text.replace(NUMBER_RUN, (run) => {
    const chars = Array.from(run);
    const digits = groupsOf(chars).flat();
    if (digits.length < ACCOUNT_LIKE_LENGTH) return run;
    const hidden = new Set<number>();
    hideMiddle(digits, hidden);
    return chars.map((c, i) => (hidden.has(i) ? '*' : c)).join('');
  });
}

/** The indexes of a run's characters other than separators, in groups between separators. */
function groupsOf(chars: readonly string[]): number[][] {
  const groups: number[][] = [];
  let current: number[] = [];
  chars.forEach((c, i) => {
    if (IS_SEPARATOR.test(c)) {
      if (current.length > 0) groups.push(current);
      current = [];
    } else current.push(i);
  });
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * Adds to `hidden` the characters of one number that its mask hides: from 15 characters on all but
 * the first 6 and last 4 (contract 4's ID mask, and what card numbers show), else all but the last 4.
 */
function hideMiddle(number: readonly number[], hidden: Set<number>): void {
  const keepFirst = number.length >= 15 ? 6 : 0;
  number.forEach((index, k) => {
    if (k >= keepFirst && k < number.length - 4) hidden.add(index);
  });
}
