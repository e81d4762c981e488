import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { BaselineConfig } from "../validation";
import { AccountPublicAccessBlock } from "../constructs/account-public-access";
import { AuditTrail } from "../constructs/audit-trail";
import { ConfigRecorder } from "../constructs/config-recorder";
import { type ImageReplica, RegistryReplication } from "../constructs/registry";
import { GuardDuty } from "../constructs/guardduty";
import { SecurityHub } from "../constructs/security-hub";
import { accountBucketName, type AccountBucketRole, auditBucketName, trailName } from "../config/naming";
import { ProjectStack } from "./project-stack";

export interface BaselineStackProps {
  readonly config: BaselineConfig;
  readonly project: string;
  readonly accountId: string;
  /** The role Terraform assumes in the account (provider and state backend). @default the deploying identity's own credentials */
  readonly deployRoleArn?: string;
  /** The account of the Terraform state bucket. @default accountId */
  readonly stateAccountId?: string;
  readonly region: string;
  readonly stateRegion: string;
  readonly tags: Readonly<Record<string, string>>;
  /**
   * The account that receives the trail's log files in its audit bucket (in stateRegion), when
   * config.cloudTrailToStateAccount: the state account. @default a bucket of this account
   */
  readonly auditAccountId?: string;
  /** Repositories to copy to another region (the environments with a standby). @default none: no replication */
  readonly imageReplicas?: readonly ImageReplica[];
}

/**
 * The account security baseline: GuardDuty, AWS Config with rules, Security Hub, the account's
 * S3 Block Public Access, and a multi-region CloudTrail trail (seed "Recommended", HIPAA "audit logging"). Once per account
 * and region, so separate from the environments, which would otherwise collide; for the same
 * reason it holds the ECR registry's replication configuration, for every environment with a
 * standby.
 */
export class BaselineStack extends ProjectStack {
  public readonly trail?: AuditTrail;
  public readonly guardDuty?: GuardDuty;
  public readonly config?: ConfigRecorder;
  public readonly securityHub?: SecurityHub;
  /** The account's S3 Block Public Access, when config.s3PublicAccessBlock. */
  public readonly publicAccessBlock?: AccountPublicAccessBlock;
  /** The registry's one replication configuration, when an environment has a standby. */
  public readonly imageReplication?: RegistryReplication;

  constructor(scope: Construct, id: string, props: BaselineStackProps) {
    super(scope, id, {
      project: props.project,
      accountId: props.accountId,
      deployRoleArn: props.deployRoleArn,
      stateAccountId: props.stateAccountId,
      region: props.region,
      stateRegion: props.stateRegion,
      environment: "account",
      tags: props.tags,
      state: { remote: id },
      // Delivered to the audit bucket, the log files' key is in its region (the DR region).
      withDrProvider: props.auditAccountId !== undefined && props.config.cloudTrail,
      protectData: true,
      nameSources: [{ setting: "project", value: props.project }],
    });
    const { config, accountId, region } = props;
    const context = this.context;
    const bucketName = (role: AccountBucketRole) => accountBucketName(props.project, role, region, accountId);

    if (config.guardDuty) {
      this.guardDuty = new GuardDuty(this, "guardduty");
    }
    if (config.config) {
      this.config = new ConfigRecorder(this, "config", { context, bucketName: bucketName("config"), retentionDays: config.configRetentionDays });
    }
    if (config.securityHub) {
      this.securityHub = new SecurityHub(this, "security-hub", { context });
    }
    if (config.s3PublicAccessBlock) {
      this.publicAccessBlock = new AccountPublicAccessBlock(this, "s3-public-access");
    }
    if (config.cloudTrail) {
      this.trail = new AuditTrail(this, "cloudtrail", {
        context,
        trailName: trailName(props.project),
        bucketName: bucketName("cloudtrail"),
        retentionDays: config.cloudTrailRetentionDays,
        logGroupRetentionDays: config.auditLogGroupRetentionDays,
        s3DataEventsProject: config.cloudTrailS3DataEvents ? props.project : undefined,
        delivery:
          props.auditAccountId !== undefined && this.providers
            ? {
                bucketName: auditBucketName(props.project, props.stateRegion, props.auditAccountId),
                accountId: props.auditAccountId,
                region: props.stateRegion,
                provider: this.providers.dr,
              }
            : undefined,
      });
      new TerraformOutput(this, "cloudtrail_arn", { value: this.trail.trail.arn, description: "ARN of the account's multi-region audit trail" });
    }
    if (props.imageReplicas && props.imageReplicas.length > 0) {
      this.imageReplication = new RegistryReplication(this, "ecr-replication", { accountId, replicas: props.imageReplicas });
    }
    if (this.guardDuty) {
      new TerraformOutput(this, "guardduty_detector_id", {
        value: this.guardDuty.detector.id,
        description: "GuardDuty detector of the account in this region",
      });
    }
  }
}
