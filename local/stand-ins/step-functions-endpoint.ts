import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback, readBody } from './loopback-server.ts';
import { type TaskTokenBroker, TaskTokenError } from './task-token-broker.ts';

/** The task-token operations the stand-in serves. */
export type TaskTokenOperation = 'SendTaskSuccess' | 'SendTaskFailure' | 'SendTaskHeartbeat';

/** A running Step Functions stand-in; point `AWS_ENDPOINT_URL_SFN` at `url`. */
export interface StepFunctionsEndpoint {
  readonly url: string;
  /**
   * Answers the next `times` calls of `operation` with HTTP 500 `InternalFailure`, settling
   * nothing, as a service outage would (the SDK retries a 500 itself, so each call of a client
   * can use up several); `0` ends the outage. For tests of a caller's recovery.
   */
  failNext(operation: TaskTokenOperation, times: number): void;
  close(): Promise<void>;
}

// Length constraints of the service model (botocore stepfunctions 2016-11-23: TaskToken,
// SensitiveData, SensitiveError, SensitiveCause); `output` counts UTF-8 bytes.
const TASK_TOKEN_MAX = 2048;
const OUTPUT_MAX_BYTES = 262_144;
const ERROR_MAX = 256;
const CAUSE_MAX = 32_768;
/** Largest request accepted: a maximal output, JSON-escaped, plus the other members. */
const BODY_MAX_BYTES = 8 * OUTPUT_MAX_BYTES;

const TARGET_PREFIX = 'AWSStepFunctions.';

/**
 * Namespaces of the `__type` member. The SDK's awsJson1_0 deserializer (`loadJsonRpcErrorCode` in
 * `@smithy/core/protocols`) keeps what follows `#` and looks that name up in the client's error
 * registry, so `TaskTimedOut` becomes a `TaskTimedOut` exception; names it does not know
 * (`UnknownOperationException`, `SerializationException`) become an `SFNServiceException` with
 * that `name`.
 */
const SERVICE_NAMESPACE = 'com.amazonaws.swf.service.v2.model';
const CORAL_SERVICE_NAMESPACE = 'com.amazon.coral.service';
const CORAL_VALIDATE_NAMESPACE = 'com.amazon.coral.validate';

/** A service error as the awsJson1_0 protocol carries it. */
class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const serviceError = (code: string, message: string) =>
  new ServiceError(`${SERVICE_NAMESPACE}#${code}`, message);
const validationError = (message: string) =>
  new ServiceError(
    `${CORAL_VALIDATE_NAMESPACE}#ValidationException`,
    `1 validation error detected: ${message}`,
  );

function parseRequest(body: Buffer): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.length === 0 ? '{}' : body.toString('utf8'));
  } catch {
    throw new ServiceError(
      `${CORAL_SERVICE_NAMESPACE}#SerializationException`,
      'Malformed JSON request body',
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ServiceError(
      `${CORAL_SERVICE_NAMESPACE}#SerializationException`,
      'Request body must be an object',
    );
  }
  return parsed as Record<string, unknown>;
}

/** Reads a string member, enforcing the model's presence and length constraints. */
function stringMember(
  input: Record<string, unknown>,
  name: string,
  limits: { required: boolean; min?: number; max: number; bytes?: boolean },
): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) {
    if (limits.required) {
      throw validationError(`Value null at '${name}' failed to satisfy constraint: Member must not be null`);
    }
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new ServiceError(
      `${CORAL_SERVICE_NAMESPACE}#SerializationException`,
      `Member '${name}' must be a string`,
    );
  }
  const length = limits.bytes ? Buffer.byteLength(value, 'utf8') : value.length;
  if (length > limits.max) {
    throw validationError(
      `Value at '${name}' failed to satisfy constraint: Member must have length less than or equal to ${limits.max}`,
    );
  }
  if (limits.min !== undefined && length < limits.min) {
    throw validationError(
      `Value at '${name}' failed to satisfy constraint: Member must have length greater than or equal to ${limits.min}`,
    );
  }
  return value;
}

const taskToken = (input: Record<string, unknown>) =>
  stringMember(input, 'taskToken', { required: true, min: 1, max: TASK_TOKEN_MAX }) as string;

/** Runs a broker call, translating its token errors into the service's. */
function onBroker(call: () => void): void {
  try {
    call();
  } catch (error) {
    if (error instanceof TaskTokenError) throw serviceError(error.code, error.message);
    throw error;
  }
}

const operations: Record<string, (broker: TaskTokenBroker, input: Record<string, unknown>) => void> = {
  SendTaskSuccess(broker, input) {
    const token = taskToken(input);
    const output = stringMember(input, 'output', {
      required: true,
      max: OUTPUT_MAX_BYTES,
      bytes: true,
    }) as string;
    try {
      JSON.parse(output);
    } catch (error) {
      throw serviceError('InvalidOutput', `Invalid State Machine Output: '${(error as Error).message}'`);
    }
    onBroker(() => broker.succeed(token, output));
  },
  SendTaskFailure(broker, input) {
    const token = taskToken(input);
    const error = stringMember(input, 'error', { required: false, max: ERROR_MAX });
    const cause = stringMember(input, 'cause', { required: false, max: CAUSE_MAX });
    onBroker(() => broker.fail(token, error, cause));
  },
  SendTaskHeartbeat(broker, input) {
    const token = taskToken(input);
    onBroker(() => broker.heartbeat(token));
  },
};

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  response.end(text);
}

async function handle(
  broker: TaskTokenBroker,
  faults: Map<string, number>,
  request: IncomingMessage,
  response: ServerResponse,
) {
  try {
    const body = await readBody(
      request,
      BODY_MAX_BYTES,
      () => new ServiceError(`${CORAL_SERVICE_NAMESPACE}#SerializationException`, 'Request is too large'),
    );
    const target = request.headers['x-amz-target'];
    const name =
      typeof target === 'string' && target.startsWith(TARGET_PREFIX)
        ? target.slice(TARGET_PREFIX.length)
        : undefined;
    const operation = name !== undefined && Object.hasOwn(operations, name) ? operations[name] : undefined;
    if (request.method !== 'POST' || !operation) {
      throw new ServiceError(
        `${CORAL_SERVICE_NAMESPACE}#UnknownOperationException`,
        `The local Step Functions stand-in does not serve ${request.method} ${String(target ?? '(no X-Amz-Target)')}`,
      );
    }
    const failures = faults.get(name ?? '') ?? 0;
    if (failures > 0) {
      faults.set(name ?? '', failures - 1);
      throw new ServiceError(
        `${CORAL_SERVICE_NAMESPACE}#InternalFailure`,
        'The request processing has failed because of an unknown error (an outage the test asked for)',
        500,
      );
    }
    operation(broker, parseRequest(body));
    send(response, 200, {});
  } catch (error) {
    if (error instanceof ServiceError) {
      send(response, error.status, { __type: error.type, message: error.message });
    } else {
      send(response, 500, {
        __type: `${CORAL_SERVICE_NAMESPACE}#InternalFailure`,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

/**
 * Starts a loopback Step Functions stand-in for the callback-task API: `SendTaskSuccess`,
 * `SendTaskFailure` and `SendTaskHeartbeat` over awsJson1_0, settling tokens of `broker`. The real
 * `@aws-sdk/client-sfn` reaches it through `AWS_ENDPOINT_URL_SFN` and throws `TaskDoesNotExist`,
 * `TaskTimedOut`, `InvalidOutput`, `ValidationException` or `UnknownOperationException` as AWS does.
 */
export async function startStepFunctionsEndpoint(broker: TaskTokenBroker): Promise<StepFunctionsEndpoint> {
  const faults = new Map<string, number>();
  const server = createServer((request, response) => {
    void handle(broker, faults, request, response);
  });
  const endpoint = await listenOnLoopback(server);
  return {
    url: endpoint.url,
    close: () => endpoint.close(),
    failNext(operation, times) {
      faults.set(operation, Math.max(0, Math.floor(times)));
    },
  };
}
