import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SFNClient } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * SDK clients, created once per configuration. Endpoints come from the SDK's own environment
 * variables (`AWS_ENDPOINT_URL_S3`, `AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_SFN`,
 * `AWS_ENDPOINT_URL_SESV2`, `AWS_ENDPOINT_URL_SECRETS_MANAGER`), which is how the local stack points
 * them at its loopback stand-ins; nothing here knows whether it runs locally. In Lambda the
 * environment never changes, so each client is created once per container.
 */
function perEndpoint<T>(variable: string, create: () => T): () => T {
  let cached: { endpoint: string | undefined; client: T } | undefined;
  return () => {
    const endpoint = process.env[variable];
    if (cached === undefined || cached.endpoint !== endpoint) cached = { endpoint, client: create() };
    return cached.client;
  };
}

export const s3Client = perEndpoint('AWS_ENDPOINT_URL_S3', () => new S3Client({}));

export const documentClient = perEndpoint('AWS_ENDPOINT_URL_DYNAMODB', () =>
  DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
  }),
);

export const sfnClient = perEndpoint('AWS_ENDPOINT_URL_SFN', () => new SFNClient({}));

export const sesClient = perEndpoint('AWS_ENDPOINT_URL_SESV2', () => new SESv2Client({}));

export const secretsManagerClient = perEndpoint(
  'AWS_ENDPOINT_URL_SECRETS_MANAGER',
  () => new SecretsManagerClient({}),
);
