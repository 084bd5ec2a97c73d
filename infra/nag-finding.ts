import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

type CfnValue = string | { readonly [key: string]: unknown } | readonly unknown[];

function flatten(value: unknown): string {
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (value !== null && typeof value === 'object') {
    const node = value as Record<string, unknown>;
    if (Array.isArray(node['Fn::Join'])) {
      const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if (node['Fn::Sub'] !== undefined) return flatten(node['Fn::Sub']);
    if (Array.isArray(node['Fn::GetAtt'])) {
      const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
      return `<${flatten(resource)}.${flatten(attribute)}>`;
    }
    if (node['Fn::ImportValue'] !== undefined) return flatten(node['Fn::ImportValue']);
    if (node.Ref !== undefined) return `<${flatten(node.Ref)}>`;
  }
  return JSON.stringify(value);
}

/**
 * The cdk-nag finding ID of an IAM wildcard on `resource` (for example
 * `AwsSolutions-IAM5[Resource::<DataBucketE3889A50.Arn>/incoming/*]`), so that one granular finding
 * can be acknowledged without hiding any other wildcard. Mirrors how cdk-nag flattens
 * CloudFormation references; the logical ID must not be overridden after this call.
 */
export function wildcardResourceFinding(scope: IConstruct, resource: string): string {
  const resolved = Stack.of(scope).resolve(resource) as CfnValue;
  return `AwsSolutions-IAM5[Resource::${flatten(resolved)}]`;
}
