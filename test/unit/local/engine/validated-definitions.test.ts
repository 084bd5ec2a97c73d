import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { knownValid, markValid } from '#local/engine/validated-definitions.ts';

describe('validated definitions', () => {
  it('knows a definition valid only once marked, for the same validation options', () => {
    // Prepare: a definition no run has seen.
    const text = JSON.stringify({
      StartAt: 'A',
      States: { A: { Type: 'Pass', End: true } },
      id: randomUUID(),
    });
    const options = JSON.stringify({ checkArn: true, checkPaths: true });

    // Act
    const before = knownValid(text, options);
    markValid(text, options);

    // Assess
    expect(before).toBe(false);
    expect(knownValid(text, options)).toBe(true);
    expect(knownValid(text, JSON.stringify({ checkArn: false }))).toBe(false);
    expect(knownValid(`${text} `, options)).toBe(false);
  });
});
