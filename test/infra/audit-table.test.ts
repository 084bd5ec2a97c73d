import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { AUDIT_TABLE_KEYS } from '#schemas/tables.ts';
import { APPEND_ONLY_DENIED_ACTIONS, PayguardTable } from '../../infra/constructs/payguard-table.ts';
import { logicalIdOf, newTestApp, synthPayguard } from './synth-payguard.ts';

interface PolicyStatementJson {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Principal: unknown;
  readonly Action: string | string[];
  readonly Resource: unknown;
}

/** The statements of the resource policy of `table`'s CloudFormation resource, if any. */
function resourcePolicyOf(template: Template, table: PayguardTable): PolicyStatementJson[] | undefined {
  const resource = template.findResources('AWS::DynamoDB::Table')[logicalIdOf(table)];
  return resource?.Properties.ResourcePolicy?.PolicyDocument.Statement;
}

describe('the audit table', () => {
  it('denies UpdateItem, DeleteItem and every other change of a written entry to every principal', () => {
    // Prepare
    const { stack, template } = synthPayguard();

    // Act
    const statements = resourcePolicyOf(template, stack.auditTable);

    // Assess
    expect(statements).toEqual([
      {
        Sid: 'AppendOnly',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:DeleteItem']),
        Resource: '*',
      },
    ]);
    expect([statements?.[0]?.Action].flat().sort()).toEqual(
      [
        'dynamodb:BatchWriteItem',
        'dynamodb:DeleteItem',
        'dynamodb:PartiQLDelete',
        'dynamodb:PartiQLUpdate',
        'dynamodb:UpdateItem',
      ].sort(),
    );
  });

  it('allows nothing through its resource policy (grants stay with the function roles)', () => {
    // Prepare
    const { stack, template } = synthPayguard();

    // Act
    const allows = resourcePolicyOf(template, stack.auditTable)?.filter((s) => s.Effect !== 'Deny');

    // Assess
    expect(allows).toEqual([]);
  });

  it('leaves the run-state table, whose items change, without such a policy', () => {
    // Prepare
    const { stack, template } = synthPayguard();

    // Act
    const statements = resourcePolicyOf(template, stack.stateTable);

    // Assess
    expect(statements).toBeUndefined();
  });
});

describe('PayguardTable', () => {
  it('has no resource policy unless it is append-only', () => {
    // Prepare
    const stack = new Stack(newTestApp(), 'Tables');
    const plain = new PayguardTable(stack, 'Plain', { keys: AUDIT_TABLE_KEYS });
    const appendOnly = new PayguardTable(stack, 'AppendOnly', { keys: AUDIT_TABLE_KEYS, appendOnly: true });

    // Act
    const template = Template.fromStack(stack);

    // Assess
    expect(resourcePolicyOf(template, plain)).toBeUndefined();
    expect(resourcePolicyOf(template, appendOnly)?.[0]?.Action).toEqual([...APPEND_ONLY_DENIED_ACTIONS]);
  });
});
