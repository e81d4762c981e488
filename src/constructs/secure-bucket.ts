import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration, type S3BucketLifecycleConfigurationRule } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketLoggingA } from "@cdktf/provider-aws/lib/s3-bucket-logging";
import { S3BucketNotification } from "@cdktf/provider-aws/lib/s3-bucket-notification";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Construct } from "constructs";
import { PRIMARY_ID } from "../config/naming";
import { s3Arn, type DeploymentContext } from "./context";
import type { Grantable } from "./iam";
import type { CustomerKey, EncryptionKey } from "./keys";

/** What a user of a bucket needs: its name and grants on it (a SecureBucket, or a BucketReference). */
export interface BucketAccess {
  /** The bucket's name, e.g. for the app's environment. */
  readonly name: string;
  /** Lets `grantee` list the bucket and read its objects (under `prefix`), and decrypt them. */
  grantRead(grantee: Grantable, prefix?: string): void;
  /** Lets `grantee` list the bucket and read, write and delete its objects (under `prefix`), with the key. */
  grantReadWrite(grantee: Grantable, prefix?: string): void;
}

/** The statements of a read or read-write grant on the bucket `arn` encrypted by `key`. */
function grantObjects(grantee: Grantable, arn: string, key: EncryptionKey | undefined, write: boolean, prefix?: string): void {
  const objectActions = write ? ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] : ["s3:GetObject"];
  const sid = write ? "ReadWriteObjects" : "ReadObjects";
  // Grants of the same kind on several buckets merge by sid; a prefix grant stands alone.
  grantee.addStatements(
    {
      sid: prefix ? undefined : "ListBuckets",
      effect: "Allow",
      actions: ["s3:ListBucket"],
      resources: [arn],
      condition: prefix ? [{ test: "StringLike", variable: "s3:prefix", values: [`${prefix}*`] }] : undefined,
    },
    { sid: prefix ? undefined : sid, effect: "Allow", actions: objectActions, resources: [`${arn}/${prefix ?? ""}*`] },
  );
  if (write) key?.grantViaService(grantee, "UseBucketKeys", "s3", ["kms:Decrypt", "kms:GenerateDataKey"]);
  else key?.grantViaService(grantee, "DecryptBucketObjects", "s3", ["kms:Decrypt"]);
}

/**
 * A bucket another stack owns, named by its name (e.g. a DR replica, written by the primary
 * stack's replication, used by the standby): grants only, nothing created.
 */
export class BucketReference implements BucketAccess {
  private readonly arn: string;

  constructor(
    context: DeploymentContext,
    public readonly name: string,
    /** The key of its SSE-KMS encryption. @default none (SSE-S3) */
    private readonly key?: EncryptionKey,
  ) {
    this.arn = s3Arn(context, name);
  }

  grantRead(grantee: Grantable, prefix?: string): void {
    grantObjects(grantee, this.arn, this.key, false, prefix);
  }

  grantReadWrite(grantee: Grantable, prefix?: string): void {
    grantObjects(grantee, this.arn, this.key, true, prefix);
  }
}

/**
 * Versioning, and how long a replaced or deleted version is kept before it expires, so that
 * versioning does not grow without bound. No default for the days: each bucket's owner decides
 * (an environment's storage settings, or a named constant of a stack without settings).
 */
export type BucketVersioning =
  | { readonly versioned?: true; readonly noncurrentVersionExpirationDays: number }
  /** Not versioned: nothing to expire. */
  | { readonly versioned: false; readonly noncurrentVersionExpirationDays?: undefined };

export type SecureBucketProps = SecureBucketOptions & BucketVersioning;

/**
 * Days a deleted or overwritten log file (audit trail, configuration history) stays recoverable:
 * log files are written once, so an old version only exists after a deletion worth undoing.
 */
export const DELETED_LOG_RECOVERY_DAYS = 90;

export interface SecureBucketOptions {
  /** Globally unique bucket name. */
  readonly bucketName: string;
  /** Provider to create the bucket with (e.g. the DR region's). @default the stack's default provider */
  readonly provider?: AwsProvider;
  /**
   * Customer-managed key for SSE-KMS with an S3 bucket key; grants include its use.
   * @default SSE-S3 (AES-256), which is what ALB access logs and S3 server access logs require
   */
  readonly encryptionKey?: CustomerKey;
  /** Let `terraform destroy` delete a bucket that still holds objects. @default false */
  readonly forceDestroy?: boolean;
  /** Refuse any plan that destroys the bucket (`lifecycle.prevent_destroy`). @default false */
  readonly preventDestroy?: boolean;
  /** Lifecycle rules besides the noncurrent-version and incomplete-upload ones. @default [] */
  readonly lifecycleRules?: S3BucketLifecycleConfigurationRule[];
  /**
   * Smallest object size that lifecycle transitions move (S3's default skips objects under
   * 128 KB, whose transition costs more than it saves). @default S3's default
   */
  readonly transitionDefaultMinimumObjectSize?: "all_storage_classes_128K" | "varies_by_storage_class";
  /** Bucket policy statements besides the TLS-only denial. @default [] */
  readonly policyStatements?: DataAwsIamPolicyDocumentStatement[];
  /** Where S3 server access logs of this bucket go. @default no access logging */
  readonly accessLogs?: { readonly bucket: S3Bucket; readonly prefix: string };
  /**
   * Send the bucket's object events to the account's default EventBridge bus, where an audit
   * rule or a consumer (e.g. reloading a new model) subscribes without touching the bucket
   * (AWS FSBP S3.11). AWS service events on the default bus cost nothing until a rule matches.
   * @default true
   */
  readonly eventBridge?: boolean;
}

/** The statement every SecureBucket's policy begins with: no request to `bucketArn` or its objects without TLS. */
export function denyInsecureTransport(bucketArn: string): DataAwsIamPolicyDocumentStatement {
  return {
    sid: "DenyInsecureTransport",
    effect: "Deny",
    actions: ["s3:*"],
    resources: [bucketArn, `${bucketArn}/*`],
    principals: [{ type: "*", identifiers: ["*"] }],
    condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
  };
}

/**
 * An S3 bucket with every protection S3 offers on by default: versioning, encryption at rest,
 * all four public-access blocks, ACLs disabled, a policy that denies requests without TLS,
 * expiry of old versions and of abandoned multipart uploads, object events to EventBridge.
 */
export class SecureBucket extends Construct implements BucketAccess {
  public readonly bucket: S3Bucket;
  public readonly policy: S3BucketPolicy;
  /** Versioning, when on; replication depends on it. */
  public readonly versioning?: S3BucketVersioningA;
  /** The bucket's ARN: one token, so a grant repeated for the same bucket merges. */
  public readonly arn: string;
  /** The key of SSE-KMS, when the bucket has a customer-managed key. */
  public readonly encryptionKey?: CustomerKey;
  private readonly policyDocument: DataAwsIamPolicyDocument;
  private readonly statements: DataAwsIamPolicyDocumentStatement[];

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    const provider = props.provider;
    const versioned = props.versioned ?? true;
    this.encryptionKey = props.encryptionKey;

    this.bucket = new S3Bucket(this, PRIMARY_ID, {
      provider,
      bucket: props.bucketName,
      forceDestroy: props.forceDestroy ?? false,
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
      tags: { Name: props.bucketName },
    });
    const bucket = this.bucket.id;
    this.arn = this.bucket.arn;

    if (versioned) {
      this.versioning = new S3BucketVersioningA(this, "versioning", {
        provider,
        bucket,
        versioningConfiguration: { status: "Enabled" },
      });
    }

    const publicAccess = this.protections(props);
    this.statements = [denyInsecureTransport(this.bucket.arn), ...(props.policyStatements ?? [])];
    // Rendered by Terraform locally: no (regional) provider needed.
    this.policyDocument = new DataAwsIamPolicyDocument(this, "policy-document", { statement: this.statements });
    this.policy = new S3BucketPolicy(this, "policy", {
      provider,
      bucket,
      policy: this.policyDocument.json,
      // S3 rejects a policy while the public-access block is being changed.
      dependsOn: [publicAccess],
    });
    this.lifecycle(props);

    if (props.accessLogs) {
      new S3BucketLoggingA(this, "access-logs", {
        provider,
        bucket,
        targetBucket: props.accessLogs.bucket.id,
        targetPrefix: props.accessLogs.prefix,
      });
    }

    if (props.eventBridge ?? true) {
      new S3BucketNotification(this, "events", { provider, bucket, eventbridge: true });
    }
  }

  /** Encryption at rest, the four public-access blocks (returned: the policy waits for it), ACLs disabled. */
  private protections(props: SecureBucketProps): S3BucketPublicAccessBlock {
    const { provider } = props;
    const bucket = this.bucket.id;
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      provider,
      bucket,
      rule: [
        props.encryptionKey
          ? {
              applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.encryptionKey.arn },
              bucketKeyEnabled: true,
            }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
      ],
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, "public-access", {
      provider,
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", {
      provider,
      bucket,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    return publicAccess;
  }

  /** Abandoned multipart uploads and (when versioned) old versions expire, besides the given rules. */
  private lifecycle(props: SecureBucketProps): void {
    const rules: S3BucketLifecycleConfigurationRule[] = [
      {
        id: "abort-incomplete-uploads",
        status: "Enabled",
        filter: [{}],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
      },
      ...(props.versioned === false
        ? []
        : [
            {
              id: "expire-noncurrent-versions",
              status: "Enabled",
              filter: [{}],
              noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionExpirationDays }],
            },
          ]),
      ...(props.lifecycleRules ?? []),
    ];
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      provider: props.provider,
      bucket: this.bucket.id,
      rule: rules,
      transitionDefaultMinimumObjectSize: props.transitionDefaultMinimumObjectSize,
      dependsOn: this.versioning ? [this.versioning] : undefined,
    });
  }

  /** The bucket's name (a token until apply). */
  get name(): string {
    return this.bucket.bucket;
  }

  grantRead(grantee: Grantable, prefix?: string): void {
    grantObjects(grantee, this.arn, this.encryptionKey, false, prefix);
  }

  grantReadWrite(grantee: Grantable, prefix?: string): void {
    grantObjects(grantee, this.arn, this.encryptionKey, true, prefix);
  }

  /** Adds statements to the bucket policy, for grants to resources created after the bucket. */
  addPolicyStatements(...statements: DataAwsIamPolicyDocumentStatement[]): void {
    this.statements.push(...statements);
    this.policyDocument.putStatement(this.statements);
  }
}
