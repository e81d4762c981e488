import { ConfigConfigRule } from "@cdktf/provider-aws/lib/config-config-rule";
import { ConfigConfigurationRecorder } from "@cdktf/provider-aws/lib/config-configuration-recorder";
import { ConfigConfigurationRecorderStatus } from "@cdktf/provider-aws/lib/config-configuration-recorder-status";
import { ConfigDeliveryChannel } from "@cdktf/provider-aws/lib/config-delivery-channel";
import { Construct } from "constructs";
import { resourceName } from "../config/naming";
import { type DeploymentContext, managedPolicyArn } from "./context";
import { ServiceRole } from "./iam";
import { DELETED_LOG_RECOVERY_DAYS, SecureBucket } from "./secure-bucket";

/** AWS-managed Config rules that mirror what this architecture promises (SECURITY.md). */
export const CONFIG_RULES = [
  "S3_BUCKET_SSL_REQUESTS_ONLY",
  "S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED",
  "S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED",
  "S3_BUCKET_VERSIONING_ENABLED",
  "RDS_STORAGE_ENCRYPTED",
  "RDS_INSTANCE_PUBLIC_ACCESS_CHECK",
  "CLOUD_TRAIL_ENABLED",
  "CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED",
  "VPC_FLOW_LOGS_ENABLED",
  "VPC_DEFAULT_SECURITY_GROUP_CLOSED",
  "CW_LOGGROUP_RETENTION_PERIOD_CHECK",
  "ECR_PRIVATE_IMAGE_SCANNING_ENABLED",
  "ALB_HTTP_DROP_INVALID_HEADER_ENABLED",
] as const;

export interface ConfigRecorderProps {
  readonly context: DeploymentContext;
  /** Name of the bucket that keeps the configuration history. */
  readonly bucketName: string;
  /** Days the history and snapshots are kept. */
  readonly retentionDays: number;
}

/**
 * AWS Config (seed "Enable AWS Config for compliance"): a recorder of every resource type, its
 * delivery to a protected bucket, and the managed rules of CONFIG_RULES.
 */
export class ConfigRecorder extends Construct {
  public readonly recorder: ConfigConfigurationRecorder;
  public readonly history: SecureBucket;

  constructor(scope: Construct, id: string, props: ConfigRecorderProps) {
    super(scope, id);
    const { context } = props;
    this.history = new SecureBucket(this, "history", {
      bucketName: props.bucketName,
      noncurrentVersionExpirationDays: DELETED_LOG_RECOVERY_DAYS,
      preventDestroy: true,
      lifecycleRules: [{ id: "config-retention", status: "Enabled", filter: [{}], expiration: [{ days: props.retentionDays }] }],
    });
    const history = this.history;
    const prefix = `${history.arn}/AWSLogs/${context.accountId}/Config/*`;
    const fromThisAccount = [{ test: "StringEquals", variable: "aws:SourceAccount", values: [context.accountId] }];
    history.addPolicyStatements(
      {
        sid: "ConfigChecksBucket",
        effect: "Allow",
        actions: ["s3:GetBucketAcl", "s3:ListBucket"],
        principals: [{ type: "Service", identifiers: ["config.amazonaws.com"] }],
        resources: [history.arn],
        condition: fromThisAccount,
      },
      {
        sid: "ConfigDelivers",
        effect: "Allow",
        actions: ["s3:PutObject"],
        principals: [{ type: "Service", identifiers: ["config.amazonaws.com"] }],
        resources: [prefix],
        condition: fromThisAccount,
      },
    );
    const role = new ServiceRole(this, "role", {
      context,
      name: resourceName(context.names, "config"),
      service: "config.amazonaws.com",
      managedPolicyArns: [managedPolicyArn(context, "service-role/AWS_ConfigRole")],
      statements: [
        { sid: "CheckBucket", effect: "Allow", actions: ["s3:GetBucketAcl"], resources: [history.arn] },
        { sid: "Deliver", effect: "Allow", actions: ["s3:PutObject"], resources: [prefix] },
      ],
    });
    this.recorder = new ConfigConfigurationRecorder(this, "recorder", {
      name: "default",
      roleArn: role.arn,
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
    });
    const channel = new ConfigDeliveryChannel(this, "delivery", {
      name: "default",
      s3BucketName: history.bucket.bucket,
      snapshotDeliveryProperties: { deliveryFrequency: "TwentyFour_Hours" },
      dependsOn: [this.recorder, history.policy],
    });
    new ConfigConfigurationRecorderStatus(this, "recording", {
      name: this.recorder.name,
      isEnabled: true,
      dependsOn: [channel],
    });
    for (const rule of CONFIG_RULES) {
      const name = rule.toLowerCase().replace(/_/g, "-");
      new ConfigConfigRule(this, `rule-${name}`, { name, source: { owner: "AWS", sourceIdentifier: rule }, dependsOn: [this.recorder] });
    }
  }
}
