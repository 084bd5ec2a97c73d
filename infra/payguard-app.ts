import { type App, Tags } from 'aws-cdk-lib';
import { addNagChecks } from './nag-checks.ts';
import { PayguardStack } from './payguard-stack.ts';
import { readStage } from './stage.ts';

/**
 * Feature flags the stack depends on, set in code so the CLI and the tests synthesize alike:
 * server access logs are delivered through a bucket policy instead of the legacy log-delivery ACL
 * (which would need ACLs enabled on the log bucket).
 */
export const FEATURE_FLAGS: Readonly<Record<string, unknown>> = {
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
};

/**
 * Puts the payguard stack of the context's stage (`payguard-<stage>`) into `app` and adds the
 * cdk-nag checks. Shared by `infra/app.ts` and the infra tests, so both synthesize the same thing.
 */
export function composeApp(app: App): PayguardStack {
  for (const [flag, value] of Object.entries(FEATURE_FLAGS)) app.node.setContext(flag, value);
  const stage = readStage(app);
  const stack = new PayguardStack(app, `payguard-${stage}`, { stage });
  Tags.of(stack).add('project', 'payguard');
  Tags.of(stack).add('stage', stage);
  addNagChecks(app);
  return stack;
}
