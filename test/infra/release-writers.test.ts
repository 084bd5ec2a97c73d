import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { matchesPattern, releaseFile, releaseManifest, releaseTotals } from '#schemas/bucket-layout.ts';
import type { PayguardStack } from '../../infra/payguard-stack.ts';
import { logicalIdOf, synthPayguard } from './synth-payguard.ts';

const BUCKET_ARN = 'arn:aws:s3:::payguard-data';

interface Statement {
  readonly Effect: string;
  readonly Action?: unknown;
  readonly NotAction?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
}

const list = (value: unknown): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/**
 * A resource of the template as the text IAM matches: the data bucket's ARN written out, any other
 * reference left as a placeholder no key can match.
 */
function resourceText(resource: unknown, bucketId: string): string {
  if (typeof resource === 'string') return resource;
  const node = resource as Record<string, unknown>;
  const getAtt = node['Fn::GetAtt'] as [string, string] | undefined;
  if (getAtt) return getAtt[0] === bucketId && getAtt[1] === 'Arn' ? BUCKET_ARN : `<${getAtt[0]}>`;
  if (typeof node.Ref === 'string') return `<${node.Ref}>`;
  const join = node['Fn::Join'] as [string, unknown[]] | undefined;
  if (join) return join[1].map((part) => resourceText(part, bucketId)).join(join[0]);
  return JSON.stringify(resource);
}

/** Whether an IAM action pattern (wildcards, any case) covers `action`. */
const coversAction = (pattern: unknown, action: string) =>
  typeof pattern === 'string' && matchesPattern(pattern.toLowerCase(), action.toLowerCase());

/**
 * Who may put `key` into the data bucket, by any spelling of an Allow statement: an exact action or
 * a wildcard (`s3:Put*`, `s3:*`, `*`), NotAction, an exact resource or a wildcard (`…/reports/*`,
 * `arn:aws:s3:::*`, `*`), NotResource; in role, user and group policies, managed policies, inline
 * policies of roles and the bucket policy; a role holding an AWS managed policy (not in the
 * template, so it could hold anything) counts too. Functions' roles are named by module.
 */
function putters(stack: PayguardStack, template: Template, key: string): string[] {
  const bucketId = logicalIdOf(stack.data.bucket);
  const roleNames = new Map(
    [...stack.functions].map(([module, fn]) => [logicalIdOf(fn.executionRole), module]),
  );
  const allows = (statement: Statement) =>
    statement.Effect === 'Allow' &&
    (statement.NotAction !== undefined ||
      list(statement.Action).some((a) => coversAction(a, 's3:PutObject'))) &&
    (statement.NotResource !== undefined ||
      list(statement.Resource).some((r) =>
        matchesPattern(resourceText(r, bucketId), `${BUCKET_ARN}/${key}`),
      ));
  const name = (id: string) => roleNames.get(id) ?? id;
  const holders = (refs: unknown) =>
    list(refs).map((ref) => name((ref as { Ref?: string }).Ref ?? JSON.stringify(ref)));

  const found: string[] = [];
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
    for (const [id, policy] of Object.entries(template.findResources(type))) {
      const { PolicyDocument, Roles, Users, Groups } = policy.Properties as Record<string, unknown>;
      if (!(list((PolicyDocument as { Statement: unknown }).Statement) as Statement[]).some(allows)) continue;
      const held = [...holders(Roles), ...holders(Users), ...holders(Groups)];
      found.push(...(held.length > 0 ? held : [id]));
    }
  }
  for (const [id, role] of Object.entries(template.findResources('AWS::IAM::Role'))) {
    const { Policies, ManagedPolicyArns } = role.Properties as Record<string, unknown>;
    const inline = list(Policies).flatMap((p) =>
      list((p as { PolicyDocument: { Statement: unknown } }).PolicyDocument.Statement),
    ) as Statement[];
    if (inline.some(allows)) found.push(name(id));
    if (list(ManagedPolicyArns).length > 0) found.push(`${name(id)} (managed policy)`);
  }
  for (const [id, policy] of Object.entries(template.findResources('AWS::S3::BucketPolicy'))) {
    const statements = list(
      (policy.Properties.PolicyDocument as { Statement: unknown }).Statement,
    ) as Statement[];
    if (statements.some(allows)) found.push(`bucket policy ${id}`);
  }
  return [...new Set(found)].sort();
}

describe('who may write the release', () => {
  const month = '2026-10';

  it.each([
    ['release.csv', releaseFile.key({ month })],
    ['release.manifest.json', releaseManifest.key({ month })],
    ['release-totals.json', releaseTotals.key({ month })],
  ])('only release-month may put %s, by any grant in the template', (_, key) => {
    // Prepare
    const { stack, template } = synthPayguard();

    // Act
    const writers = putters(stack, template, key);

    // Assess
    expect(writers).toEqual(['release-month']);
  });

  it.each([
    ['s3:Put* on reports/*', { Action: 's3:Put*', Resource: 'reports/*' }],
    ['S3:* on the whole bucket', { Action: ['s3:GetObject', 'S3:*'], Resource: '*' }],
    ['NotAction', { NotAction: 's3:DeleteObject', Resource: 'reports/????-??/*' }],
  ])('would name a role given %s (the check sees wildcards)', (_, grant) => {
    // Prepare
    const { stack, template } = synthPayguard();
    const json = template.toJSON() as { Resources: Record<string, unknown> };
    const bucketArn = { 'Fn::GetAtt': [logicalIdOf(stack.data.bucket), 'Arn'] };
    const { Resource, ...actions } = grant;
    const intruder = {
      Type: 'AWS::IAM::Policy',
      Properties: {
        PolicyName: 'intruder',
        Roles: [{ Ref: 'IntruderRole' }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              ...actions,
              Resource: Resource === '*' ? '*' : { 'Fn::Join': ['', [bucketArn, `/${Resource}`]] },
            },
          ],
        },
      },
    };
    const tampered = Template.fromJSON({
      ...json,
      Resources: { ...json.Resources, IntruderPolicy: intruder },
    });

    // Act
    const writers = putters(stack, tampered, releaseFile.key({ month }));

    // Assess
    expect(writers).toEqual(['IntruderRole', 'release-month']);
  });
});
