import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';

/** Properties of a {@link PayguardTable}. */
export interface PayguardTableProps {
  /** Key attribute names, from `schemas/tables.ts`; both are strings. */
  readonly keys: { readonly partitionKey: string; readonly sortKey: string };
  /**
   * What happens to the table when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A payguard DynamoDB table: string partition and sort keys, on-demand capacity, point-in-time
 * recovery, encryption with the AWS-managed key and deletion protection.
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
    });
  }
}
