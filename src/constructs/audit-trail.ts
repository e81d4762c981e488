import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import type {
  DataAwsIamPolicyDocumentStatement,
  DataAwsIamPolicyDocumentStatementCondition as Condition,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import type { DeploymentAccount } from "../config/accounts";
import type { BaselineConfig } from "../config/baseline";
import { PRIMARY_ID, resourceName, trailName } from "../config/naming";
import type { EnvironmentConfig } from "../config/schema";
import { arn, type DeploymentContext, s3Arn } from "./context";
import { ServiceRole } from "./iam";
import { cloudWatchLogsKeyStatement, CustomerKey } from "./keys";
import { DELETED_LOG_RECOVERY_DAYS, SecureBucket } from "./secure-bucket";

export interface AuditTrailProps {
  readonly context: DeploymentContext;
  /** Name of the trail. */
  readonly trailName: string;
  /** Name of the bucket the log files go to. */
  readonly bucketName: string;
  /** Days log files are kept (Glacier Instant Retrieval after 90). */
  readonly retentionDays: number;
  /** Days the trail's CloudWatch log group keeps events. */
  readonly logGroupRetentionDays: number;
  /**
   * Record S3 object-level access to the buckets of this project (names starting `<project>-`),
   * except the trail's own. @default no data events
   */
  readonly s3DataEventsProject?: string;
  /**
   * Deliver the log files to a bucket of another account (the state account's audit bucket, whose
   * policy admits this trail) instead of a bucket of this one: the trail then encrypts them with a
   * key of its own in the bucket's region (CloudTrail wants key and bucket in one region), which
   * the bucket's account may decrypt with. @default a bucket of the trail's own account
   */
  readonly delivery?: TrailDelivery;
}

/** Where a trail delivers to another account's bucket. */
export interface TrailDelivery {
  /** The bucket, in `region` of `accountId`. */
  readonly bucketName: string;
  readonly accountId: string;
  readonly region: string;
  /** The provider of `region` in the trail's account, for the log files' key. */
  readonly provider: AwsProvider;
}

/** The key-policy statement with which CloudTrail encrypts this trail's log files, and nothing else's. */
function cloudTrailEncrypts(context: DeploymentContext, fromThisTrail: Condition[]): DataAwsIamPolicyDocumentStatement {
  return {
    sid: "CloudTrailEncrypts",
    effect: "Allow",
    principals: [{ type: "Service", identifiers: ["cloudtrail.amazonaws.com"] }],
    actions: ["kms:GenerateDataKey*", "kms:DescribeKey"],
    resources: ["*"],
    condition: [
      ...fromThisTrail,
      {
        test: "StringLike",
        variable: "kms:EncryptionContext:aws:cloudtrail:arn",
        values: [arn(context, { service: "cloudtrail", region: "*", resource: "trail/*" })],
      },
    ],
  };
}

/**
 * A multi-region CloudTrail trail (HIPAA "audit logging"): validated log files in a protected
 * bucket, encrypted with a key of its own, and a copy in CloudWatch Logs for searching.
 */
export class AuditTrail extends Construct {
  public readonly trail: Cloudtrail;
  /** The log group's key, and the log files' too unless they are delivered to another account. */
  public readonly key: CustomerKey;
  /** The log files' bucket, unless they are delivered to another account. */
  public readonly logs?: SecureBucket;
  /** The log files' key in the delivery bucket's region, when they are delivered to another account. */
  public readonly deliveryKey?: CustomerKey;
  public readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const { context } = props;
    const trailArn = arn(context, { service: "cloudtrail", resource: `trail/${props.trailName}` });
    const fromThisTrail = [{ test: "StringEquals", variable: "aws:SourceArn", values: [trailArn] }];
    const { delivery } = props;
    this.key = this.keyOf(context, delivery ? [] : [cloudTrailEncrypts(context, fromThisTrail)]);
    if (delivery) this.deliveryKey = this.deliveryKeyOf(context, delivery, fromThisTrail);
    else this.logs = this.bucketOf(props, fromThisTrail);
    this.logGroup = new CloudwatchLogGroup(this, "audit-logs", {
      name: `/aws/cloudtrail/${props.trailName}`,
      retentionInDays: props.logGroupRetentionDays,
      kmsKeyId: this.key.arn,
    });
    const logDelivery = new ServiceRole(this, "role", {
      context,
      name: resourceName(context.names, "cloudtrail-logs"),
      service: "cloudtrail.amazonaws.com",
      sourceArn: trailArn,
      statements: [
        { sid: "WriteAuditLogs", effect: "Allow", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [`${this.logGroup.arn}:log-stream:*`] },
      ],
    });

    const dataEvents = props.s3DataEventsProject
      ? [
          {
            name: `S3 object access in ${props.s3DataEventsProject} buckets`,
            fieldSelector: [
              { field: "eventCategory", equalTo: ["Data"] },
              { field: "resources.type", equalTo: ["AWS::S3::Object"] },
              // Not the trail's own bucket: logging its own writes would loop.
              {
                field: "resources.ARN",
                startsWith: [s3Arn(context, `${props.s3DataEventsProject}-`)],
                notStartsWith: [s3Arn(context, `${delivery?.bucketName ?? props.bucketName}/`)],
              },
            ],
          },
        ]
      : [];
    this.trail = new Cloudtrail(this, PRIMARY_ID, {
      name: props.trailName,
      s3BucketName: delivery?.bucketName ?? this.logs!.bucket.bucket,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      kmsKeyId: (this.deliveryKey ?? this.key).arn,
      cloudWatchLogsGroupArn: `${this.logGroup.arn}:*`,
      cloudWatchLogsRoleArn: logDelivery.arn,
      advancedEventSelector: [{ name: "Management events", fieldSelector: [{ field: "eventCategory", equalTo: ["Management"] }] }, ...dataEvents],
      dependsOn: this.logs ? [this.logs.policy] : undefined,
    });
  }

  /** The trail's key: CloudTrail encrypts log files with it (for this trail only), CloudWatch Logs the log group. */
  private keyOf(context: DeploymentContext, trailStatements: DataAwsIamPolicyDocumentStatement[]): CustomerKey {
    return new CustomerKey(this, "key", {
      context,
      alias: resourceName(context.names, "cloudtrail"),
      description: trailStatements.length > 0 ? "CloudTrail log files and the audit log group" : "The audit log group",
      serviceStatements: [...trailStatements, cloudWatchLogsKeyStatement(context)],
    });
  }

  /**
   * The key of log files delivered to another account's bucket, in that bucket's region: this
   * trail encrypts with it; the bucket's account (the auditors) decrypts what this trail wrote.
   */
  private deliveryKeyOf(context: DeploymentContext, delivery: TrailDelivery, fromThisTrail: Condition[]): CustomerKey {
    const trailLogs = {
      test: "StringLike",
      variable: "kms:EncryptionContext:aws:cloudtrail:arn",
      values: [arn(context, { service: "cloudtrail", region: "*", resource: "trail/*" })],
    };
    return new CustomerKey(this, "delivery-key", {
      context,
      provider: delivery.provider,
      region: delivery.region,
      alias: resourceName(context.names, "cloudtrail-delivery"),
      description: `CloudTrail log files delivered to ${delivery.bucketName} (account ${delivery.accountId})`,
      serviceStatements: [
        cloudTrailEncrypts(context, fromThisTrail),
        {
          sid: "AuditAccountDecrypts",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: [arn(context, { service: "iam", region: "", account: delivery.accountId, resource: "root" })] }],
          actions: ["kms:Decrypt"],
          resources: ["*"],
          condition: [trailLogs],
        },
      ],
    });
  }

  /** The log files' bucket: never destroyed, Glacier Instant Retrieval after 90 days, written by this trail only. */
  private bucketOf(props: AuditTrailProps, fromThisTrail: Condition[]): SecureBucket {
    const bucket = auditLogBucket(this, "logs", props.bucketName, props.retentionDays);
    bucket.addPolicyStatements(
      {
        sid: "CloudTrailChecksBucket",
        effect: "Allow",
        actions: ["s3:GetBucketAcl"],
        principals: [{ type: "Service", identifiers: ["cloudtrail.amazonaws.com"] }],
        resources: [bucket.arn],
        condition: fromThisTrail,
      },
      {
        sid: "CloudTrailDelivers",
        effect: "Allow",
        actions: ["s3:PutObject"],
        principals: [{ type: "Service", identifiers: ["cloudtrail.amazonaws.com"] }],
        resources: [`${bucket.arn}/AWSLogs/${props.context.accountId}/*`],
        condition: fromThisTrail,
      },
    );
    return bucket;
  }
}

/**
 * A bucket of trail log files (this account's trail's, or the audit bucket that every account's
 * trail delivers to): never destroyed, deleted versions kept DELETED_LOG_RECOVERY_DAYS, Glacier
 * Instant Retrieval after 90 days, expired after `retentionDays`. Its policy is the caller's.
 */
export function auditLogBucket(scope: Construct, id: string, bucketName: string, retentionDays: number): SecureBucket {
  return new SecureBucket(scope, id, {
    bucketName,
    noncurrentVersionExpirationDays: DELETED_LOG_RECOVERY_DAYS,
    preventDestroy: true,
    lifecycleRules: [
      {
        id: "audit-retention",
        status: "Enabled",
        filter: [{}],
        transition: [{ days: 90, storageClass: "GLACIER_IR" }],
        expiration: [{ days: retentionDays }],
      },
    ],
  });
}

/** The trails that deliver to the state account's audit bucket (baseline.cloudTrailToStateAccount). */
export interface AuditTrailsDelivery {
  /** The trails' name, the same in every account. */
  readonly trailName: string;
  /** Their home region (the primary region). */
  readonly region: string;
  /** The accounts whose trails deliver. */
  readonly accounts: readonly string[];
  /** Days log files are kept (Glacier Instant Retrieval after 90). */
  readonly retentionDays: number;
}

/** What of a validated deployment decides which trails deliver to the audit bucket (Deployment is one). */
export interface AuditTrailsLayout {
  readonly environments: readonly Pick<EnvironmentConfig, "project" | "region">[];
  readonly accounts: readonly Pick<DeploymentAccount, "accountId">[];
  readonly baseline: Pick<BaselineConfig, "enabled" | "cloudTrail" | "cloudTrailToStateAccount" | "cloudTrailRetentionDays">;
}

/** The trails that deliver to the state account's audit bucket (baseline.cloudTrailToStateAccount): every account's, the state account's too. @returns undefined without one */
export function auditTrailsOf(layout: AuditTrailsLayout): AuditTrailsDelivery | undefined {
  const { baseline } = layout;
  if (!(baseline.enabled && baseline.cloudTrail && baseline.cloudTrailToStateAccount)) return undefined;
  const [first] = layout.environments;
  return {
    trailName: trailName(first.project),
    region: first.region,
    accounts: layout.accounts.map((account) => account.accountId),
    retentionDays: baseline.cloudTrailRetentionDays,
  };
}

/**
 * The audit bucket's grants (beside its TLS-only denial): the project's trail of each account may
 * check the bucket and write under its own AWSLogs/<account>/ prefix, and no one else may write.
 */
export function auditDeliveryStatements(context: DeploymentContext, bucketArn: string, trails: AuditTrailsDelivery): DataAwsIamPolicyDocumentStatement[] {
  const trailArn = (account: string) => arn(context, { service: "cloudtrail", region: trails.region, account, resource: `trail/${trails.trailName}` });
  const cloudTrail = [{ type: "Service", identifiers: ["cloudtrail.amazonaws.com"] }];
  return [
    {
      sid: "CloudTrailChecksBucket",
      effect: "Allow",
      actions: ["s3:GetBucketAcl"],
      principals: cloudTrail,
      resources: [bucketArn],
      condition: [{ test: "StringEquals", variable: "aws:SourceArn", values: trails.accounts.map(trailArn) }],
    },
    ...trails.accounts.map((account) => ({
      sid: `CloudTrailOf${account}Delivers`,
      effect: "Allow",
      actions: ["s3:PutObject"],
      principals: cloudTrail,
      resources: [`${bucketArn}/AWSLogs/${account}/*`],
      condition: [{ test: "StringEquals", variable: "aws:SourceArn", values: [trailArn(account)] }],
    })),
  ];
}
