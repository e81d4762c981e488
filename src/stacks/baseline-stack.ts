import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { ConfigConfigRule } from "@cdktf/provider-aws/lib/config-config-rule";
import { ConfigConfigurationRecorder } from "@cdktf/provider-aws/lib/config-configuration-recorder";
import { ConfigConfigurationRecorderStatus } from "@cdktf/provider-aws/lib/config-configuration-recorder-status";
import { ConfigDeliveryChannel } from "@cdktf/provider-aws/lib/config-delivery-channel";
import { GuarddutyDetector } from "@cdktf/provider-aws/lib/guardduty-detector";
import { GuarddutyDetectorFeature } from "@cdktf/provider-aws/lib/guardduty-detector-feature";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecurityhubAccount } from "@cdktf/provider-aws/lib/securityhub-account";
import { SecurityhubStandardsSubscription } from "@cdktf/provider-aws/lib/securityhub-standards-subscription";
import { Aspects, TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import { configureRemoteState } from "../../backend";
import type { BaselineConfig } from "../config";
import { arn, deploymentContext, type DeploymentContext, managedPolicyArn } from "../constructs/context";
import { ServiceRole } from "../constructs/iam";
import { cloudWatchLogsKeyStatement, CustomerKey } from "../constructs/keys";
import { SecureBucket } from "../constructs/secure-bucket";
import { resourceName } from "../naming";
import { PolicyChecks } from "../policy/checks";
import { NamedStack } from "./named-stack";

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

/** Security Hub standards, by ARN path after `arn:<partition>:securityhub:<region>::`. */
export const SECURITY_HUB_STANDARDS = {
  fsbp: "standards/aws-foundational-security-best-practices/v/1.0.0",
  cis: "standards/cis-aws-foundations-benchmark/v/3.0.0",
} as const;

export interface BaselineStackProps {
  readonly config: BaselineConfig;
  readonly project: string;
  readonly accountId: string;
  readonly region: string;
  readonly stateRegion: string;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The account security baseline: GuardDuty, AWS Config with rules, Security Hub, and a
 * multi-region CloudTrail trail (seed "Recommended", HIPAA "audit logging"). Once per account
 * and region, so separate from the environments, which would otherwise collide.
 */
export class BaselineStack extends NamedStack {
  public readonly trail?: Cloudtrail;
  public readonly detector?: GuarddutyDetector;
  public readonly recorder?: ConfigConfigurationRecorder;
  public readonly securityHub?: SecurityhubAccount;

  constructor(scope: Construct, id: string, props: BaselineStackProps) {
    super(scope, id);
    Aspects.of(this).add(new PolicyChecks({ protectData: true }));
    const { config, accountId, region } = props;
    new AwsProvider(this, "aws", { region, allowedAccountIds: [accountId], defaultTags: [{ tags: { ...props.tags } }] });
    configureRemoteState(this, {
      project: props.project,
      environment: id,
      stateRegion: props.stateRegion,
      bucketSuffix: accountId,
    });
    const context = deploymentContext(this, { accountId, region, names: { project: props.project, environment: "account" } });
    const names = context.names;
    const bucketName = (role: string) => `${props.project}-${role}-${region}-${accountId}`;

    if (config.guardDuty) {
      this.detector = new GuarddutyDetector(this, "guardduty", { enable: true, findingPublishingFrequency: "FIFTEEN_MINUTES" });
      new GuarddutyDetectorFeature(this, "guardduty-s3", { detectorId: this.detector.id, name: "S3_DATA_EVENTS", status: "ENABLED" });
      new GuarddutyDetectorFeature(this, "guardduty-runtime", {
        detectorId: this.detector.id,
        name: "RUNTIME_MONITORING",
        status: "ENABLED",
        additionalConfiguration: [{ name: "ECS_FARGATE_AGENT_MANAGEMENT", status: "ENABLED" }],
      });
    }

    if (config.config) {
      const history = new SecureBucket(this, "config-history", {
        bucketName: bucketName("config"),
        preventDestroy: true,
        lifecycleRules: [{ id: "config-retention", status: "Enabled", filter: [{}], expiration: [{ days: config.configRetentionDays }] }],
      });
      const prefix = `${history.bucket.arn}/AWSLogs/${accountId}/Config/*`;
      history.addPolicyStatements(
        {
          sid: "ConfigChecksBucket",
          effect: "Allow",
          actions: ["s3:GetBucketAcl", "s3:ListBucket"],
          principals: [{ type: "Service", identifiers: ["config.amazonaws.com"] }],
          resources: [history.bucket.arn],
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] }],
        },
        {
          sid: "ConfigDelivers",
          effect: "Allow",
          actions: ["s3:PutObject"],
          principals: [{ type: "Service", identifiers: ["config.amazonaws.com"] }],
          resources: [prefix],
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] }],
        },
      );
      const role = new ServiceRole(this, "config-role", {
        context,
        name: resourceName(names, "config"),
        service: "config.amazonaws.com",
        managedPolicyArns: [managedPolicyArn(context, "service-role/AWS_ConfigRole")],
        statements: [
          { sid: "CheckBucket", effect: "Allow", actions: ["s3:GetBucketAcl"], resources: [history.bucket.arn] },
          { sid: "Deliver", effect: "Allow", actions: ["s3:PutObject"], resources: [prefix] },
        ],
      });
      this.recorder = new ConfigConfigurationRecorder(this, "config-recorder", {
        name: "default",
        roleArn: role.role.arn,
        recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
      });
      const channel = new ConfigDeliveryChannel(this, "config-delivery", {
        name: "default",
        s3BucketName: history.bucket.bucket,
        snapshotDeliveryProperties: { deliveryFrequency: "TwentyFour_Hours" },
        dependsOn: [this.recorder, history.policy],
      });
      new ConfigConfigurationRecorderStatus(this, "config-recording", {
        name: this.recorder.name,
        isEnabled: true,
        dependsOn: [channel],
      });
      for (const rule of CONFIG_RULES) {
        new ConfigConfigRule(this, `config-rule-${rule.toLowerCase().replace(/_/g, "-")}`, {
          name: rule.toLowerCase().replace(/_/g, "-"),
          source: { owner: "AWS", sourceIdentifier: rule },
          dependsOn: [this.recorder],
        });
      }
    }

    if (config.securityHub) {
      this.securityHub = new SecurityhubAccount(this, "security-hub", {
        enableDefaultStandards: false,
        autoEnableControls: true,
        controlFindingGenerator: "SECURITY_CONTROL",
      });
      for (const [key, path] of Object.entries(SECURITY_HUB_STANDARDS)) {
        new SecurityhubStandardsSubscription(this, `security-hub-${key}`, {
          standardsArn: arn(context, { service: "securityhub", account: "", resource: path }),
          dependsOn: [this.securityHub],
        });
      }
    }

    if (config.cloudTrail) {
      this.trail = this.cloudTrail(props, context, bucketName("cloudtrail"));
    }

    if (this.trail) {
      new TerraformOutput(this, "cloudtrail_arn", { value: this.trail.arn, description: "ARN of the account's multi-region audit trail" });
    }
    if (this.detector) {
      new TerraformOutput(this, "guardduty_detector_id", { value: this.detector.id, description: "GuardDuty detector of the account in this region" });
    }
  }

  /** A multi-region trail: validated log files in a protected bucket, KMS-encrypted, and in CloudWatch Logs. */
  private cloudTrail(props: BaselineStackProps, context: DeploymentContext, bucket: string): Cloudtrail {
    const { config, accountId } = props;
    const names = context.names;
    const trailName = resourceName({ project: props.project, environment: "audit" }, "trail");
    const trailArn = arn(context, { service: "cloudtrail", resource: `trail/${trailName}` });
    const s3Arn = (resource: string) => arn(context, { service: "s3", region: "", account: "", resource });
    const fromThisTrail = [{ test: "StringEquals", variable: "aws:SourceArn", values: [trailArn] }];

    const key = new CustomerKey(this, "trail-key", {
      context,
      alias: resourceName(names, "cloudtrail"),
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
            { test: "StringLike", variable: "kms:EncryptionContext:aws:cloudtrail:arn", values: [arn(context, { service: "cloudtrail", region: "*", resource: "trail/*" })] },
          ],
        },
        cloudWatchLogsKeyStatement(context),
      ],
    });

    const logs = new SecureBucket(this, "cloudtrail-logs", {
      bucketName: bucket,
      preventDestroy: true,
      lifecycleRules: [
        {
          id: "audit-retention",
          status: "Enabled",
          filter: [{}],
          transition: [{ days: 90, storageClass: "GLACIER_IR" }],
          expiration: [{ days: config.cloudTrailRetentionDays }],
        },
      ],
    });
    logs.addPolicyStatements(
      {
        sid: "CloudTrailChecksBucket",
        effect: "Allow",
        actions: ["s3:GetBucketAcl"],
        principals: [{ type: "Service", identifiers: ["cloudtrail.amazonaws.com"] }],
        resources: [logs.bucket.arn],
        condition: fromThisTrail,
      },
      {
        sid: "CloudTrailDelivers",
        effect: "Allow",
        actions: ["s3:PutObject"],
        principals: [{ type: "Service", identifiers: ["cloudtrail.amazonaws.com"] }],
        resources: [`${logs.bucket.arn}/AWSLogs/${accountId}/*`],
        condition: fromThisTrail,
      },
    );

    const group = new CloudwatchLogGroup(this, "audit-logs", {
      name: `/aws/cloudtrail/${trailName}`,
      retentionInDays: config.auditLogGroupRetentionDays,
      kmsKeyId: key.arn,
    });
    const delivery = new ServiceRole(this, "cloudtrail-role", {
      context,
      name: resourceName(names, "cloudtrail-logs"),
      service: "cloudtrail.amazonaws.com",
      sourceArn: trailArn,
      statements: [
        { sid: "WriteAuditLogs", effect: "Allow", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [`${group.arn}:log-stream:*`] },
      ],
    });

    return new Cloudtrail(this, "cloudtrail", {
      name: trailName,
      s3BucketName: logs.bucket.bucket,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      kmsKeyId: key.arn,
      cloudWatchLogsGroupArn: `${group.arn}:*`,
      cloudWatchLogsRoleArn: delivery.role.arn,
      advancedEventSelector: [
        { name: "Management events", fieldSelector: [{ field: "eventCategory", equalTo: ["Management"] }] },
        ...(config.cloudTrailS3DataEvents
          ? [
              {
                name: `S3 object access in ${props.project} buckets`,
                fieldSelector: [
                  { field: "eventCategory", equalTo: ["Data"] },
                  { field: "resources.type", equalTo: ["AWS::S3::Object"] },
                  // Not the trail's own bucket: logging its own writes would loop.
                  { field: "resources.ARN", startsWith: [s3Arn(`${props.project}-`)], notStartsWith: [s3Arn(`${bucket}/`)] },
                ],
              },
            ]
          : []),
      ],
      dependsOn: [logs.policy],
    });
  }
}
