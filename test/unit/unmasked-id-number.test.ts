import { describe, expect, it } from 'vitest';
import { UNMASKED_ID_NUMBER } from '../support/unmasked-id-number.ts';

describe('UNMASKED_ID_NUMBER (the tests that no ID number is shown whole)', () => {
  it.each([
    'idNumber=44200019900101123X',
    '"44200019900101123X"',
    '44200019900101123x, 张三',
    'row 7: 442000199001011234 not in registry',
    '442000199001011234',
  ])('finds the ID number in %s', (text) => {
    // Act & Assess
    expect(text).toMatch(UNMASKED_ID_NUMBER);
  });

  it.each([
    '442000********123X',
    'id 442000199001011 (17 digits)',
    // A CI failure: a SHA-256 in an audit line holding 19 decimal digits in a row.
    'casesCsvSha256=905288fb6c8e0b23a75ede97e6619036872192209907c46fb362c5811f995731',
    'etag=4b5a929ff133f96e71208e23ce2ecc96',
  ])('finds none in %s', (text) => {
    // Act & Assess
    expect(text).not.toMatch(UNMASKED_ID_NUMBER);
  });
});
