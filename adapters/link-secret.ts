import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { type LinkKeys, SECRET_STAGES } from '#usecases/approval-ports.ts';
import { secretsManagerClient } from './clients.ts';
import { rethrowStorageError } from './storage-errors.ts';

/** How long the keys are kept in memory: a rotation reaches every container within this. */
export const LINK_KEYS_TTL_MS = 5 * 60_000;

/** Keys younger than this are not read again even when asked to (a forged link cannot hammer the service). */
export const LINK_KEYS_REFRESH_MS = 30_000;

/** The shortest key accepted: the stack generates 64 characters. */
const MIN_KEY_LENGTH = 32;

let cached: { arn: string; keys: LinkKeys; readAt: number } | undefined;

async function read(arn: string, stage: string): Promise<string | undefined> {
  try {
    const { SecretString } = await secretsManagerClient().send(
      new GetSecretValueCommand({ SecretId: arn, VersionStage: stage }),
    );
    if (!SecretString || SecretString.length < MIN_KEY_LENGTH) {
      throw new Error(`the ${stage} version of secret ${arn} is empty or too short`);
    }
    return SecretString;
  } catch (error) {
    if (
      (error as { name?: string })?.name === 'ResourceNotFoundException' &&
      stage !== SECRET_STAGES.current
    ) {
      return undefined;
    }
    rethrowStorageError(error, `reading the ${stage} link key`);
  }
}

/**
 * The keys approval links and forms are signed and checked with: the AWSCURRENT and (after a
 * rotation) AWSPREVIOUS versions of the Secrets Manager secret `APPROVAL_LINK_SECRET_ARN`. Kept
 * for {@link LINK_KEYS_TTL_MS}; with `fresh`, read again if older than {@link LINK_KEYS_REFRESH_MS}
 * (a link signed by a container that saw a rotation first).
 */
export async function linkKeys(options: { fresh?: boolean } = {}): Promise<LinkKeys> {
  const arn = process.env.APPROVAL_LINK_SECRET_ARN;
  if (!arn) throw new Error('APPROVAL_LINK_SECRET_ARN is not set; the stack sets it where links are signed');
  const now = Date.now();
  if (cached?.arn === arn) {
    const age = now - cached.readAt;
    if (age >= 0 && age < LINK_KEYS_TTL_MS && !(options.fresh && age >= LINK_KEYS_REFRESH_MS))
      return cached.keys;
  }
  const [current, previous] = await Promise.all([
    read(arn, SECRET_STAGES.current),
    read(arn, SECRET_STAGES.previous),
  ]);
  const keys: LinkKeys = { current: current as string, ...(previous === undefined ? {} : { previous }) };
  cached = { arn, keys, readAt: now };
  return keys;
}
