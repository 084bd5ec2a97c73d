import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { AnyPrincipal, Effect, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/**
 * What the resource policy of an append-only table denies to every principal: every call that
 * changes or removes an item already written. `PutItem` stays (appends are conditional puts that
 * never overwrite; IAM has no condition key that could tell them apart from an overwrite).
 */
export const APPEND_ONLY_DENIED_ACTIONS = [
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  // A batch write's DeleteRequest deletes, and its PutRequest overwrites without a condition.
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
] as const;

/** Properties of a {@link PayguardTable}. */
export interface PayguardTableProps {
  /** Key attribute names, from `schemas/tables.ts`; both are strings. */
  readonly keys: { readonly partitionKey: string; readonly sortKey: string };
  /**
   * What happens to the table when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Items are written once and never changed: the table's resource policy denies
   * {@link APPEND_ONLY_DENIED_ACTIONS} to every principal, the account's administrators included.
   * @default false
   */
  readonly appendOnly?: boolean;
}

/**
 * A payguard DynamoDB table: string partition and sort keys, on-demand capacity, point-in-time
 * recovery, encryption with the AWS-managed key and deletion protection; append-only on request.
 */
export class PayguardTable extends Table {
  constructor(scope: Construct, id: string, props: PayguardTableProps) {
    super(scope, id, {
      partitionKey: { name: props.keys.partitionKey, type: AttributeType.STRING },
      sortKey: { name: props.keys.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      ...(props.appendOnly
        ? {
            resourcePolicy: new PolicyDocument({
              statements: [
                new PolicyStatement({
                  sid: 'AppendOnly',
                  effect: Effect.DENY,
                  principals: [new AnyPrincipal()],
                  actions: [...APPEND_ONLY_DENIED_ACTIONS],
                  // A table's policy cannot name the table's own ARN while it is created; "*" is the table.
                  resources: ['*'],
                }),
              ],
            }),
          }
        : {}),
    });
  }
}
