import {
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { type RotatedSecret, SECRET_STAGES } from '#usecases/approval-ports.ts';
import { rethrowStorageError } from './storage-errors.ts';

const isNotFound = (error: unknown) => (error as { name?: string })?.name === 'ResourceNotFoundException';

/** A Secrets Manager secret, for its rotation function. */
export class SecretsManagerRotation implements RotatedSecret {
  constructor(private readonly client: SecretsManagerClient) {}

  async describe(secretId: string) {
    try {
      const out = await this.client.send(new DescribeSecretCommand({ SecretId: secretId }));
      return { rotationEnabled: out.RotationEnabled === true, versions: out.VersionIdsToStages ?? {} };
    } catch (error) {
      rethrowStorageError(error, 'describing the secret');
    }
  }

  async value(secretId: string, stage: string, versionId?: string): Promise<string | undefined> {
    try {
      const out = await this.client.send(
        new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage, VersionId: versionId }),
      );
      return out.SecretString;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      rethrowStorageError(error, `reading the ${stage} version of the secret`);
    }
  }

  async randomKey(): Promise<string> {
    try {
      // As the stack's own generateSecretString: 64 letters and digits.
      const out = await this.client.send(
        new GetRandomPasswordCommand({ PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false }),
      );
      if (!out.RandomPassword) throw new Error('GetRandomPassword returned no password');
      return out.RandomPassword;
    } catch (error) {
      rethrowStorageError(error, 'generating a key');
    }
  }

  async putPending(secretId: string, versionId: string, value: string): Promise<void> {
    try {
      await this.client.send(
        new PutSecretValueCommand({
          SecretId: secretId,
          ClientRequestToken: versionId,
          SecretString: value,
          VersionStages: [SECRET_STAGES.pending],
        }),
      );
    } catch (error) {
      rethrowStorageError(error, 'storing the pending key');
    }
  }

  async moveStage(secretId: string, stage: string, to: string | undefined, from: string | undefined) {
    try {
      await this.client.send(
        new UpdateSecretVersionStageCommand({
          SecretId: secretId,
          VersionStage: stage,
          MoveToVersionId: to,
          RemoveFromVersionId: from,
        }),
      );
    } catch (error) {
      rethrowStorageError(error, `moving ${stage}`);
    }
  }
}
