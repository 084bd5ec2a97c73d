import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/**
 * Registers the cdk-nag AWS Solutions pack as a validation plugin of `app`: synthesis fails on any
 * finding not acknowledged with `Validations.of(construct).acknowledge({ id, reason })`, and the
 * acknowledged reasons are written into each resource's `cdk_nag` metadata for auditors.
 */
export function addNagChecks(app: App): void {
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { verbose: true, writeSuppressionsToCloudFormation: true }),
  );
}
