import { randomUUID } from 'node:crypto';

/** The account and region of every ARN the local engine makes up. */
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'us-east-1';

/** The ARN a Task state's function would have in the deployed stack. */
export const localFunctionArn = (state: string) =>
  `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:payguard-${state}`;

/** The Lambda context a handler of the Task state `state` is invoked with (15 minutes to run). */
export function lambdaContext(state: string) {
  const deadline = Date.now() + 900_000;
  return {
    functionName: `payguard-${state}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: localFunctionArn(state),
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/payguard-${state}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
