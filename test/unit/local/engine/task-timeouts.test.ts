import { describe, expect, it } from 'vitest';
import { withoutTaskTimeouts } from '#local/engine/task-timeouts.ts';

describe('withoutTaskTimeouts', () => {
  it("takes the named Task states' TimeoutSeconds out, in Map processors too, and leaves the rest", () => {
    // Prepare
    const definition = {
      StartAt: 'Validate',
      States: {
        Validate: { Type: 'Task', Resource: 'arn', TimeoutSeconds: 900, Next: 'Await' },
        Await: { Type: 'Task', Resource: 'arn.waitForTaskToken', TimeoutSeconds: 86400, Next: 'Fan' },
        Fan: {
          Type: 'Map',
          ItemProcessor: {
            StartAt: 'Check',
            States: { Check: { Type: 'Task', Resource: 'arn', TimeoutSeconds: 300, End: true } },
          },
          End: true,
        },
      },
    };

    // Act
    const { definition: stripped, timeouts } = withoutTaskTimeouts(
      definition,
      new Set(['Validate', 'Check']),
    );

    // Assess
    expect(Object.fromEntries(timeouts)).toEqual({ Validate: 900, Check: 300 });
    expect(stripped.States.Validate).not.toHaveProperty('TimeoutSeconds');
    expect(stripped.States.Fan.ItemProcessor.States.Check).toEqual({
      Type: 'Task',
      Resource: 'arn',
      End: true,
    });
    // A callback task's timeout is the wait for its token: the library keeps it.
    expect(stripped.States.Await.TimeoutSeconds).toBe(86400);
    // The deployed definition is not touched.
    expect(definition.States.Validate.TimeoutSeconds).toBe(900);
  });
});
