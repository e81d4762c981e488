import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import type { DataAwsIamPolicyDocumentStatementCondition as Condition } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { Construct } from "constructs";
import { PRIMARY_ID, resourceName } from "../config/naming";
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
}

/**
 * A multi-region CloudTrail trail (HIPAA "audit logging"): validated log files in a protected
 * bucket, encrypted with a key of its own, and a copy in CloudWatch Logs for searching.
 */
export class AuditTrail extends Construct {
  public readonly trail: Cloudtrail;
  public readonly key: CustomerKey;
  public readonly logs: SecureBucket;
  public readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: AuditTrailProps) {
    super(scope, id);
    const { context } = props;
    const trailArn = arn(context, { service: "cloudtrail", resource: `trail/${props.trailName}` });
    const fromThisTrail = [{ test: "StringEquals", variable: "aws:SourceArn", values: [trailArn] }];
    this.key = this.keyOf(context, fromThisTrail);
    this.logs = this.bucketOf(props, fromThisTrail);
    this.logGroup = new CloudwatchLogGroup(this, "audit-logs", {
      name: `/aws/cloudtrail/${props.trailName}`,
      retentionInDays: props.logGroupRetentionDays,
      kmsKeyId: this.key.arn,
    });
    const delivery = new ServiceRole(this, "role", {
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
                notStartsWith: [s3Arn(context, `${props.bucketName}/`)],
              },
            ],
          },
        ]
      : [];
    this.trail = new Cloudtrail(this, PRIMARY_ID, {
      name: props.trailName,
      s3BucketName: this.logs.bucket.bucket,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      kmsKeyId: this.key.arn,
      cloudWatchLogsGroupArn: `${this.logGroup.arn}:*`,
      cloudWatchLogsRoleArn: delivery.arn,
      advancedEventSelector: [{ name: "Management events", fieldSelector: [{ field: "eventCategory", equalTo: ["Management"] }] }, ...dataEvents],
      dependsOn: [this.logs.policy],
    });
  }

  /** The trail's key: CloudTrail encrypts log files with it (for this trail only), CloudWatch Logs the log group. */
  private keyOf(context: DeploymentContext, fromThisTrail: Condition[]): CustomerKey {
    return new CustomerKey(this, "key", {
      context,
      alias: resourceName(context.names, "cloudtrail"),
      description: "CloudTrail log files and the audit log group",
      serviceStatements: [
        {
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
        },
        cloudWatchLogsKeyStatement(context),
      ],
    });
  }

  /** The log files' bucket: never destroyed, Glacier Instant Retrieval after 90 days, written by this trail only. */
  private bucketOf(props: AuditTrailProps, fromThisTrail: Condition[]): SecureBucket {
    const bucket = new SecureBucket(this, "logs", {
      bucketName: props.bucketName,
      noncurrentVersionExpirationDays: DELETED_LOG_RECOVERY_DAYS,
      preventDestroy: true,
      lifecycleRules: [
        {
          id: "audit-retention",
          status: "Enabled",
          filter: [{}],
          transition: [{ days: 90, storageClass: "GLACIER_IR" }],
          expiration: [{ days: props.retentionDays }],
        },
      ],
    });
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
