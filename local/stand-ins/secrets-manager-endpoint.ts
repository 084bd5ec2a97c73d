import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { ROTATE_LINK_SECRET_MODULE } from '#pipelines/standalone-functions.ts';
import { runAsFunction } from './function-context.ts';
import { listenOnLoopback, readBody } from './loopback-server.ts';

/** A running Secrets Manager stand-in; point `AWS_ENDPOINT_URL_SECRETS_MANAGER` at `url`. */
export interface SecretsManagerEndpoint {
  readonly url: string;
  /** ARN of the secret it holds (the approval links' signing key). */
  readonly secretArn: string;
  close(): Promise<void>;
}

const CURRENT = 'AWSCURRENT';
const PENDING = 'AWSPENDING';
const PREVIOUS = 'AWSPREVIOUS';
const TARGET_PREFIX = 'secretsmanager.';
const BODY_MAX_BYTES = 256 * 1024;

interface Version {
  value: string | undefined;
  readonly stages: Set<string>;
  readonly created: number;
}

interface Secret {
  readonly arn: string;
  readonly name: string;
  readonly versions: Map<string, Version>;
  rotationEnabled: boolean;
}

/** A service error as the awsJson1_1 protocol carries it; the SDK throws it by `__type`. */
class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const notFound = (what: string) =>
  new ServiceError('ResourceNotFoundException', `Secrets Manager can't find the specified ${what}.`);
const invalid = (message: string) => new ServiceError('InvalidParameterException', message);

type RotationHandler = (event: unknown, context: unknown) => Promise<unknown>;

function stringMember(input: Record<string, unknown>, name: string, required: boolean): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) {
    if (required) throw invalid(`You must provide a value for ${name}.`);
    return undefined;
  }
  if (typeof value !== 'string' || value.length === 0) throw invalid(`${name} must be a non-empty string.`);
  return value;
}

function versionWith(secret: Secret, stage: string): [string, Version] | undefined {
  return [...secret.versions].find(([, v]) => v.stages.has(stage));
}

/** Moves `stage` onto `versionId`; moving AWSCURRENT moves AWSPREVIOUS to the version it left. */
function moveStage(secret: Secret, stage: string, versionId: string): void {
  const target = secret.versions.get(versionId);
  if (!target) throw notFound(`secret version ${versionId}`);
  const from = versionWith(secret, stage);
  if (from?.[0] === versionId) return;
  from?.[1].stages.delete(stage);
  target.stages.add(stage);
  if (stage === CURRENT && from) {
    versionWith(secret, PREVIOUS)?.[1].stages.delete(PREVIOUS);
    from[1].stages.add(PREVIOUS);
  }
}

function randomPassword(input: Record<string, unknown>): string {
  const length = typeof input.PasswordLength === 'number' ? input.PasswordLength : 32;
  const exclude = new Set(String(input.ExcludeCharacters ?? ''));
  let alphabet = '';
  if (input.ExcludeLowercase !== true) alphabet += 'abcdefghijklmnopqrstuvwxyz';
  if (input.ExcludeUppercase !== true) alphabet += 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  if (input.ExcludeNumbers !== true) alphabet += '0123456789';
  if (input.ExcludePunctuation !== true) alphabet += '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
  if (input.IncludeSpace === true) alphabet += ' ';
  const chars = [...alphabet].filter((c) => !exclude.has(c));
  if (length < 1 || length > 4096 || chars.length === 0) throw invalid('The password cannot be generated.');
  return Array.from({ length }, () => chars[randomInt(chars.length)]).join('');
}

/**
 * Starts a loopback Secrets Manager stand-in holding one secret, `name`, with `value` as its
 * AWSCURRENT version. It serves what the approval links' key needs over awsJson1_1, with the
 * service's staging-label rules: `GetSecretValue` (by stage and/or version), `DescribeSecret`,
 * `PutSecretValue`, `UpdateSecretVersionStage` (moving AWSCURRENT moves AWSPREVIOUS to the version
 * it left), `GetRandomPassword`, and `RotateSecret`, which — as the service does — creates an
 * AWSPENDING version id and invokes the secret's rotation function (`functions/rotate-link-secret.ts`,
 * run as that function) with `createSecret`, `setSecret`, `testSecret` and `finishSecret`; here
 * before it answers, so a caller sees the rotation done (or its error).
 * Import it after the local stack has set the SDK's environment.
 */
export async function startSecretsManagerEndpoint(options: {
  name: string;
  value: string;
}): Promise<SecretsManagerEndpoint> {
  const { handler: rotate } = (await import('#functions/rotate-link-secret.ts')) as {
    handler: RotationHandler;
  };
  const suffix = randomBytes(4).toString('base64url').slice(0, 6);
  const secret: Secret = {
    arn: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${options.name}-${suffix}`,
    name: options.name,
    versions: new Map([
      [randomUUID(), { value: options.value, stages: new Set([CURRENT]), created: Date.now() }],
    ]),
    rotationEnabled: false,
  };
  const find = (input: Record<string, unknown>): Secret => {
    const id = stringMember(input, 'SecretId', true);
    if (id !== secret.arn && id !== secret.name) throw notFound('secret');
    return secret;
  };
  const ids = () => ({ ARN: secret.arn, Name: secret.name });

  const operations: Record<string, (input: Record<string, unknown>) => Promise<unknown> | unknown> = {
    GetSecretValue(input) {
      const s = find(input);
      const versionId = stringMember(input, 'VersionId', false);
      const stage = stringMember(input, 'VersionStage', false) ?? (versionId ? undefined : CURRENT);
      const found = versionId
        ? ([versionId, s.versions.get(versionId)] as const)
        : (versionWith(s, stage ?? CURRENT) ?? [undefined, undefined]);
      const [id, version] = found;
      if (!id || !version || (stage && !version.stages.has(stage)) || version.value === undefined) {
        throw notFound(`secret value for ${versionId ? `VersionId ${versionId}` : `staging label ${stage}`}`);
      }
      return {
        ...ids(),
        VersionId: id,
        SecretString: version.value,
        VersionStages: [...version.stages],
        CreatedDate: version.created / 1000,
      };
    },
    DescribeSecret(input) {
      const s = find(input);
      return {
        ...ids(),
        RotationEnabled: s.rotationEnabled,
        VersionIdsToStages: Object.fromEntries([...s.versions].map(([id, v]) => [id, [...v.stages]])),
      };
    },
    PutSecretValue(input) {
      const s = find(input);
      const token = stringMember(input, 'ClientRequestToken', false) ?? randomUUID();
      const value = stringMember(input, 'SecretString', true) as string;
      const stages = Array.isArray(input.VersionStages) ? input.VersionStages.map(String) : [CURRENT];
      const existing = s.versions.get(token);
      if (existing?.value !== undefined && existing.value !== value) {
        throw new ServiceError('ResourceExistsException', `A version with ID ${token} already exists.`);
      }
      if (existing) existing.value = value;
      else s.versions.set(token, { value, stages: new Set(), created: Date.now() });
      for (const stage of stages) moveStage(s, stage, token);
      return { ...ids(), VersionId: token, VersionStages: [...(s.versions.get(token)?.stages ?? [])] };
    },
    UpdateSecretVersionStage(input) {
      const s = find(input);
      const stage = stringMember(input, 'VersionStage', true) as string;
      const to = stringMember(input, 'MoveToVersionId', false);
      const from = stringMember(input, 'RemoveFromVersionId', false);
      const holder = versionWith(s, stage);
      if (from !== undefined && holder?.[0] !== from) {
        throw invalid(`The staging label ${stage} is not attached to version ${from}.`);
      }
      if (to !== undefined) moveStage(s, stage, to);
      else if (from !== undefined) s.versions.get(from)?.stages.delete(stage);
      else throw invalid('You must provide MoveToVersionId or RemoveFromVersionId.');
      return ids();
    },
    GetRandomPassword(input) {
      return { RandomPassword: randomPassword(input) };
    },
    async RotateSecret(input) {
      const s = find(input);
      const pending = versionWith(s, PENDING);
      if (pending && pending[1].value !== undefined) {
        throw new ServiceError('InvalidRequestException', 'A previous rotation isn’t complete.');
      }
      const token = stringMember(input, 'ClientRequestToken', false) ?? randomUUID();
      s.rotationEnabled = true;
      if (!s.versions.has(token))
        s.versions.set(token, { value: undefined, stages: new Set(), created: Date.now() });
      moveStage(s, PENDING, token);
      for (const step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret']) {
        try {
          await runAsFunction(ROTATE_LINK_SECRET_MODULE, () =>
            rotate(
              { SecretId: s.arn, ClientRequestToken: token, Step: step },
              { functionName: `payguard-${ROTATE_LINK_SECRET_MODULE}`, awsRequestId: randomUUID() },
            ),
          );
        } catch (error) {
          throw new ServiceError(
            'InternalServiceError',
            `The rotation function failed at ${step}: ${(error as Error).message}`,
            500,
          );
        }
      }
      return { ...ids(), VersionId: token };
    },
  };

  const send = (response: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': randomUUID(),
    });
    response.end(text);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    try {
      const body = await readBody(request, BODY_MAX_BYTES, () => invalid('Request is too large'));
      const target = request.headers['x-amz-target'];
      const name =
        typeof target === 'string' && target.startsWith(TARGET_PREFIX)
          ? target.slice(TARGET_PREFIX.length)
          : '';
      const operation = Object.hasOwn(operations, name) ? operations[name] : undefined;
      if (request.method !== 'POST' || !operation) {
        throw new ServiceError(
          'UnknownOperationException',
          `The local Secrets Manager stand-in does not serve ${String(target ?? '(no X-Amz-Target)')}`,
        );
      }
      let input: unknown;
      try {
        input = JSON.parse(body.length === 0 ? '{}' : body.toString('utf8'));
      } catch {
        throw new ServiceError('SerializationException', 'Malformed JSON request body');
      }
      if (input === null || typeof input !== 'object' || Array.isArray(input)) {
        throw new ServiceError('SerializationException', 'Request body must be an object');
      }
      send(response, 200, await operation(input as Record<string, unknown>));
    } catch (error) {
      if (error instanceof ServiceError)
        send(response, error.status, { __type: error.type, message: error.message });
      else
        send(response, 500, {
          __type: 'InternalServiceError',
          message: (error as Error)?.message ?? String(error),
        });
    }
  };

  const server = createServer((request, response) => {
    void handle(request, response);
  });
  const endpoint = await listenOnLoopback(server);
  return { url: endpoint.url, secretArn: secret.arn, close: () => endpoint.close() };
}
