/**
 * An ID number written out whole (17 digits, then a digit or X) as a token of its own, which no
 * file, page, mail or log line may hold (only the masked form, `442000********123X`). Not a run of
 * digits inside a longer word of letters and digits: a SHA-256 or an ETag in hex holds 18 decimal
 * digits in a row by chance (about one SHA-256 in 260), and a test that found an ID number there
 * failed at random.
 */
export const UNMASKED_ID_NUMBER = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/;
