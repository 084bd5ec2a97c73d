import { describe, expect, it } from 'vitest';
import { LIBRARY_TIMER_OFF_SECONDS, withoutTaskTimeouts } from '#local/engine/task-timeouts.ts';

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
    // The library's own timer is off (without the field it would time a Task out after 60 s).
    expect(stripped.States.Validate.TimeoutSeconds).toBe(LIBRARY_TIMER_OFF_SECONDS);
    expect(stripped.States.Fan.ItemProcessor.States.Check).toEqual({
      Type: 'Task',
      Resource: 'arn',
      TimeoutSeconds: LIBRARY_TIMER_OFF_SECONDS,
      End: true,
    });
    // Node fires a longer setTimeout at once: the value stays under 2^31 - 1 ms.
    expect(LIBRARY_TIMER_OFF_SECONDS * 1000).toBeLessThanOrEqual(2 ** 31 - 1);
    // A callback task's timeout is the wait for its token: the library keeps it.
    expect(stripped.States.Await.TimeoutSeconds).toBe(86400);
    // The deployed definition is not touched.
    expect(definition.States.Validate.TimeoutSeconds).toBe(900);
  });
});
