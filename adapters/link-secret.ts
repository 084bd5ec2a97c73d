import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

let cached: { arn: string; secret: string } | undefined;

/**
 * The key approval links and forms are signed with: `APPROVAL_LINK_SECRET` when set (the local
 * stack sets a random one per run), else the Secrets Manager secret `APPROVAL_LINK_SECRET_ARN`
 * (read once per container).
 */
export async function linkSecret(): Promise<string> {
  const direct = process.env.APPROVAL_LINK_SECRET;
  if (direct) return direct;
  const arn = process.env.APPROVAL_LINK_SECRET_ARN;
  if (!arn) throw new Error('Neither APPROVAL_LINK_SECRET nor APPROVAL_LINK_SECRET_ARN is set');
  if (cached?.arn === arn) return cached.secret;
  const client = new SecretsManagerClient({});
  try {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    if (!SecretString || SecretString.length < 32) throw new Error(`secret ${arn} is empty or too short`);
    cached = { arn, secret: SecretString };
    return SecretString;
  } finally {
    client.destroy();
  }
}
