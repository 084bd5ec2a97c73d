import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  HttpMethods,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** Properties of a {@link DataBucket}. */
export interface DataBucketProps {
  /**
   * What happens to the bucket, its key and its access logs when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The bucket holding rosters (`incoming/`), pipeline settings (`config/`), reference, register and
 * partner datasets (`reference/`, `registers/`, `partners/`), staged rows and datasets (`staged/`),
 * reports and releases (`reports/`), the bank's return files (`bank-returns/`) and the per-town
 * indicators of the month watch (`metrics/`): versioned,
 * encrypted with a rotating customer-managed KMS key, private, TLS-only, with S3 server access logs
 * in a separate bucket. It sends every object event to EventBridge, whose rules start the ingest,
 * dataset-ingest and bank-returns workflows.
 */
export class DataBucket extends Construct {
  /** The data bucket. */
  readonly bucket: IBucket;
  /** The customer-managed key encrypting the data bucket. */
  readonly key: IKey;
  /** Destination of the data bucket's server access logs. */
  readonly accessLogs: IBucket;
  private readonly concrete: Bucket;

  constructor(scope: Construct, id: string, props: DataBucketProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    // cdk-nag accepts this bucket without logging of its own (S1) because it is a log destination.
    const accessLogs = new Bucket(this, 'AccessLogs', {
      // S3 server access logging only delivers to buckets encrypted with S3-managed keys.
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      removalPolicy,
    });

    const key = new Key(this, 'Key', {
      description: 'Encrypts the payguard data bucket (rosters, staged rows, reports)',
      enableKeyRotation: true,
      removalPolicy,
    });

    const bucket = new Bucket(this, 'Bucket', {
      versioned: true,
      encryption: BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'data-bucket/',
      // Outputs are streamed in multipart uploads; a function that fails midway leaves its parts
      // (it is not granted s3:AbortMultipartUpload), removed here.
      lifecycleRules: [
        { id: 'AbortIncompleteUploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy,
    });
    // Set natively rather than through `eventBridgeEnabled: true`, which deploys a custom-resource
    // Lambda (Python runtime, wildcard s3:PutBucketNotification) just to flip this switch.
    (bucket.node.defaultChild as CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };

    this.bucket = bucket;
    this.concrete = bucket;
    this.key = key;
    this.accessLogs = accessLogs;
  }

  /**
   * Lets pages of `origin` (a site's URL, no trailing slash) PUT objects through presigned URLs
   * from a browser (CORS): only PUT, only the `content-type` header the URL signs.
   */
  allowBrowserPuts(origin: string): void {
    this.concrete.addCorsRule({
      allowedOrigins: [origin],
      allowedMethods: [HttpMethods.PUT],
      allowedHeaders: ['content-type'],
      maxAge: 3000,
    });
  }
}
