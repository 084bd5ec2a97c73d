import { StateMachine } from 'aws-local-stepfunctions';

/**
 * Evaluates JSONPath payload templates (`{"key.$": "$.path"}`, `$$` context paths, intrinsic
 * functions) and reference paths exactly as aws-local-stepfunctions does inside a state machine: by
 * running a one-state Pass machine over the input, with the context given. A distributed Map's
 * ItemReader and ResultWriter `Parameters`, its ItemSelector and its ItemBatcher's `BatchInput`
 * are templates of that kind, which the library does not evaluate itself for such a Map.
 */
const machines = new Map<string, StateMachine>();

function passMachine(state: Record<string, unknown>): StateMachine {
  const text = JSON.stringify(state);
  let machine = machines.get(text);
  if (machine === undefined) {
    machine = new StateMachine(
      { StartAt: 'Evaluate', States: { Evaluate: { Type: 'Pass', ...state, End: true } } } as never,
      { validationOptions: { noValidate: true } },
    );
    machines.set(text, machine);
  }
  return machine;
}

/** `template` evaluated against `input` and the context object `context` (`$$`). */
export async function evaluateTemplate(template: unknown, input: unknown, context: object): Promise<unknown> {
  if (template === undefined) return input;
  return passMachine({ Parameters: template }).run(input as never, { context: context as never }).result;
}

/** The value at the reference path `path` (e.g. `$.items`) of `input`. */
export async function valueAtPath(path: string, input: unknown, context: object): Promise<unknown> {
  return passMachine({ InputPath: path }).run(input as never, { context: context as never }).result;
}
