import { z } from 'zod';

/**
 * What a `Catch` of a workflow puts at its `ResultPath` (`$.error`): the Step Functions error name
 * (a named error's class name, `States.Timeout` …) and its cause, a JSON text for a Lambda error.
 * @example { Error: 'ReferenceDataError', Cause: '{"errorType":"ReferenceDataError","errorMessage":"…"}' }
 */
export const CaughtErrorSchema = z.object({ Error: z.string(), Cause: z.string().optional() });
export type CaughtError = z.infer<typeof CaughtErrorSchema>;
