import { z } from 'zod';

/** The steps Secrets Manager invokes a rotation function with, in this order. */
export const ROTATION_STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;
export type RotationStep = (typeof ROTATION_STEPS)[number];

/**
 * The event Secrets Manager invokes a rotation function with (one per step).
 * @example {"SecretId":"arn:aws:secretsmanager:…:secret:payguard-approval-link-AbCdEf","ClientRequestToken":"3f0c…","Step":"createSecret"}
 */
export const SecretRotationEventSchema = z.object({
  SecretId: z.string().min(1),
  /** The id of the version the rotation creates (labelled AWSPENDING until it becomes AWSCURRENT). */
  ClientRequestToken: z.string().min(1),
  Step: z.enum(ROTATION_STEPS),
});
export type SecretRotationEvent = z.infer<typeof SecretRotationEventSchema>;
