import { describe, expect, it } from 'vitest';
import { QUOTED_VALUE_LIMIT, quoteValue } from '#schemas/quote-value.ts';

describe('quoteValue', () => {
  it('quotes a short value whole', () => {
    // Act
    const quoted = quoteValue('1,200');

    // Assess
    expect(quoted).toBe('"1,200"');
  });

  it(`shortens a value over ${QUOTED_VALUE_LIMIT} code points, without splitting a surrogate pair`, () => {
    // Prepare
    const value = '𠀀'.repeat(40);

    // Act
    const quoted = quoteValue(value);

    // Assess
    expect(quoted).toBe(`"${'𠀀'.repeat(QUOTED_VALUE_LIMIT)}…"`);
  });
});
