import type { Template } from 'aws-cdk-lib/assertions';

interface Statement {
  readonly Effect: string;
  readonly Action: string | readonly string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

const list = <T>(value: T | readonly T[]): readonly T[] => (Array.isArray(value) ? value : [value as T]);

function label(resource: unknown, names: ReadonlyMap<string, string>): string {
  if (typeof resource === 'string') return resource;
  const node = resource as Record<string, unknown>;
  if (Array.isArray(node['Fn::GetAtt'])) {
    const [id] = node['Fn::GetAtt'] as [string];
    return names.get(id) ?? `<${id}>`;
  }
  if (typeof node.Ref === 'string') return names.get(node.Ref) ?? `<${node.Ref}>`;
  if (Array.isArray(node['Fn::Join'])) {
    const [delimiter, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => label(part, names)).join(delimiter);
  }
  return JSON.stringify(resource);
}

/** The statements of every inline policy attached to the role with logical ID `roleId`. */
export function roleStatements(template: Template, roleId: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: roleId }] },
  }) as Record<string, { Properties: { PolicyDocument: { Statement: Statement[] } } }>;
  return Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
}

/**
 * What a role may do, as `{ resource label: sorted actions }`; resources are labelled through
 * `names` (logical ID → readable name), e.g. `DataBucket/incoming/*`.
 */
export function grantsOf(
  template: Template,
  roleId: string,
  names: ReadonlyMap<string, string>,
): Record<string, string[]> {
  const grants: Record<string, Set<string>> = {};
  for (const statement of roleStatements(template, roleId)) {
    if (statement.Effect !== 'Allow') continue;
    for (const resource of list(statement.Resource)) {
      const key = label(resource, names);
      grants[key] ??= new Set();
      for (const action of list(statement.Action)) grants[key].add(action);
    }
  }
  return Object.fromEntries(Object.entries(grants).map(([k, v]) => [k, [...v].sort()]));
}
