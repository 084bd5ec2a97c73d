import { newLinkId, signLinkToken, verifyLinkToken } from '#domain/approval/link-token.ts';
import type { SecretRotationEvent } from '#schemas/secret-rotation.ts';
import { type RotatedSecret, SECRET_STAGES } from './approval-ports.ts';

/** The secret is not in a state a rotation step can act on; Secrets Manager retries the rotation later. */
export class RotationStateError extends Error {
  override readonly name = 'RotationStateError';
}

/** The shortest key a rotation may make current. */
const MIN_KEY_LENGTH = 32;

/**
 * One step of the rotation of the approval-link signing key (Secrets Manager's generic rotation):
 * `createSecret` stores a new random key as the AWSPENDING version of the rotation's token (once:
 * a retried step keeps it); `setSecret` has nothing to set (no other service holds the key: the
 * functions read it from the secret); `testSecret` checks the pending key signs and verifies a
 * link; `finishSecret` makes it AWSCURRENT, which moves AWSPREVIOUS to the key it replaces — so
 * links signed before the rotation verify until they expire — and removes AWSPENDING.
 * Idempotent: a step run again changes nothing more.
 * @throws RotationStateError when rotation is off or the version is not this rotation's.
 */
export async function rotateLinkSecret(
  event: SecretRotationEvent,
  deps: { secret: RotatedSecret; now: () => Date },
): Promise<{ step: string; outcome: string }> {
  const { SecretId: id, ClientRequestToken: token, Step: step } = event;
  const { rotationEnabled, versions } = await deps.secret.describe(id);
  if (!rotationEnabled) throw new RotationStateError(`rotation is not enabled for the link secret`);
  const stages = versions[token];
  if (stages === undefined) throw new RotationStateError(`version ${token} has no stage for rotation`);
  if (stages.includes(SECRET_STAGES.current)) return { step, outcome: 'already AWSCURRENT' };
  if (!stages.includes(SECRET_STAGES.pending)) {
    throw new RotationStateError(`version ${token} is not AWSPENDING for rotation`);
  }

  switch (step) {
    case 'createSecret': {
      if ((await deps.secret.value(id, SECRET_STAGES.current)) === undefined) {
        throw new RotationStateError('the link secret has no AWSCURRENT version');
      }
      if ((await deps.secret.value(id, SECRET_STAGES.pending, token)) !== undefined) {
        return { step, outcome: 'pending key already stored' };
      }
      await deps.secret.putPending(id, token, await deps.secret.randomKey());
      return { step, outcome: 'pending key stored' };
    }
    case 'setSecret':
      return { step, outcome: 'nothing to set: the functions read the key from the secret' };
    case 'testSecret': {
      const key = await deps.secret.value(id, SECRET_STAGES.pending, token);
      if (key === undefined || key.length < MIN_KEY_LENGTH) {
        throw new RotationStateError(
          `the pending key of version ${token} is missing or shorter than ${MIN_KEY_LENGTH}`,
        );
      }
      const now = Math.floor(deps.now().getTime() / 1000);
      const probe = signLinkToken({ linkId: newLinkId(), expiresAt: now + 60 }, key);
      if (!verifyLinkToken(probe, key, now).ok)
        throw new RotationStateError('the pending key does not verify its own link');
      return { step, outcome: 'pending key signs and verifies a link' };
    }
    case 'finishSecret': {
      const current = Object.entries(versions).find(([, s]) => s.includes(SECRET_STAGES.current))?.[0];
      await deps.secret.moveStage(id, SECRET_STAGES.current, token, current);
      await deps.secret.moveStage(id, SECRET_STAGES.pending, undefined, token);
      return { step, outcome: 'pending key is AWSCURRENT, the replaced key AWSPREVIOUS' };
    }
  }
}
