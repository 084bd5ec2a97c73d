import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { readStage, STAGE_CONTEXT_KEY } from '../../infra/stage.ts';

describe('readStage', () => {
  it('defaults to dev', () => {
    // Prepare
    const app = new App();

    // Act
    const stage = readStage(app);

    // Assess
    expect(stage).toBe('dev');
  });

  it('reads the payguard:stage context', () => {
    // Prepare
    const app = new App({ context: { [STAGE_CONTEXT_KEY]: 'prod' } });

    // Act
    const stage = readStage(app);

    // Assess
    expect(stage).toBe('prod');
  });

  it.each(['Prod', '1st', 'a_b', '', 'x'.repeat(17)])('refuses %j, naming the value and the fix', (value) => {
    // Prepare
    const app = new App({ context: { [STAGE_CONTEXT_KEY]: value } });

    // Act
    const read = () => readStage(app);

    // Assess
    expect(read).toThrow(`Context payguard:stage=${JSON.stringify(value)} is not a valid stage`);
  });
});
