import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { BOOTSTRAP_STATE_BACKEND_PATH } from "../validation/deployment";
import { s3Arn } from "../constructs/context";
import { auditBucketName, stateAccessLogsBucketName, stateBucketName } from "../config/naming";
import { SecureBucket } from "../constructs/secure-bucket";
import { auditDeliveryStatements, auditLogBucket, type AuditTrailsDelivery } from "../constructs/audit-trail";
import { ProjectStack } from "./project-stack";
import { type StateReach, stateReachStatements } from "../constructs/state-access";

export interface StateBootstrapStackProps {
  readonly project: string;
  readonly accountId: string;
  /** The role Terraform assumes in the account. @default the deploying identity's own credentials */
  readonly deployRoleArn?: string;
  /** Region of the state bucket: the disaster-recovery region, never the primary one. */
  readonly stateRegion: string;
  /** Tags on every resource. */
  readonly tags: Readonly<Record<string, string>>;
  /**
   * Who in another account may use which state keys: each account's deployers reach their own
   * stacks' keys only (state-access.ts). @default none: the bucket serves its own account only
   */
  readonly crossAccountReach?: readonly StateReach[];
  /**
   * Every account's trail delivers here (baseline.cloudTrailToStateAccount): an audit bucket in
   * this account that only those trails write to. @default none
   */
  readonly auditTrails?: AuditTrailsDelivery;
  /**
   * The file that keeps this stack's own state: outside the build folder (which a synthesis may
   * clean), relative to where cdktf runs Terraform, cdktf.out/stacks/state.
   * @default BOOTSTRAP_STATE_BACKEND_PATH: bootstrap-state/terraform.state.tfstate in the project, git-ignored
   */
  readonly localStatePath?: string;
}

/**
 * How long the state bucket keeps what it holds. The state stack has no settings of its own: one
 * state bucket serves every environment, so these do not follow any environment's preset.
 */
export const STATE_RETENTION_DAYS = {
  /** Old state versions: a year of them to roll back to, as prod keeps its data's versions. */
  stateVersions: 365,
  /** Access logs of the state bucket (who read the state, which holds sensitive values): an audit year. */
  accessLogs: 365,
  /** Replaced access-log objects: log files are written once, so a version only stays after a deletion. */
  accessLogVersions: 30,
} as const;

/** Key prefix of the state bucket's server access logs in the logs bucket. */
const ACCESS_LOG_PREFIX = "state/";

/**
 * Creates the bucket that every environment's S3 backend (backend.ts) keeps its state in.
 * Deployed once, first, with local state: it cannot keep its own state in a bucket it creates.
 */
export class StateBootstrapStack extends ProjectStack {
  public readonly stateBucket: SecureBucket;
  /** Server access logs of the state bucket: state holds sensitive values, so reads are audited. */
  public readonly accessLogs: SecureBucket;
  /** The bucket every account's trail delivers to, with baseline.cloudTrailToStateAccount. */
  public readonly auditLogs?: SecureBucket;

  constructor(scope: Construct, id: string, props: StateBootstrapStackProps) {
    super(scope, id, {
      project: props.project,
      accountId: props.accountId,
      deployRoleArn: props.deployRoleArn,
      region: props.stateRegion,
      stateRegion: props.stateRegion,
      environment: "shared",
      tags: props.tags,
      state: { localPath: props.localStatePath ?? BOOTSTRAP_STATE_BACKEND_PATH },
      protectData: true,
      nameSources: [{ setting: "project", value: props.project }],
    });
    const context = this.context;
    const logsBucketName = stateAccessLogsBucketName(props.project, props.stateRegion, props.accountId);
    // Server access logging delivers only to a bucket in the same region, with SSE-S3.
    this.accessLogs = new SecureBucket(this, "access-logs", {
      bucketName: logsBucketName,
      forceDestroy: false,
      noncurrentVersionExpirationDays: STATE_RETENTION_DAYS.accessLogVersions,
      policyStatements: [
        {
          sid: "S3ServerAccessLogDelivery",
          effect: "Allow",
          actions: ["s3:PutObject"],
          principals: [{ type: "Service", identifiers: ["logging.s3.amazonaws.com"] }],
          resources: [s3Arn(context, `${logsBucketName}/${ACCESS_LOG_PREFIX}*`)],
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] }],
        },
      ],
      lifecycleRules: [
        {
          id: "access-log-retention",
          status: "Enabled",
          filter: [{}],
          expiration: [{ days: STATE_RETENTION_DAYS.accessLogs }],
        },
      ],
    });

    this.stateBucket = new SecureBucket(this, "state", {
      bucketName: stateBucketName(props.project, props.stateRegion, props.accountId),
      accessLogs: { bucket: this.accessLogs.bucket, prefix: ACCESS_LOG_PREFIX },
      // Losing state orphans every resource of every environment.
      preventDestroy: true,
      forceDestroy: false,
      noncurrentVersionExpirationDays: STATE_RETENTION_DAYS.stateVersions,
      policyStatements: stateReachStatements(context, stateBucketName(props.project, props.stateRegion, props.accountId), props.crossAccountReach ?? []),
    });

    if (props.auditTrails) this.auditLogs = this.auditBucketOf(props.project, props.stateRegion, props.accountId, props.auditTrails);

    new TerraformOutput(this, "state_bucket_name", {
      value: this.stateBucket.bucket.bucket,
      description: "S3 bucket holding every environment's Terraform state (backend.ts)",
    });
    new TerraformOutput(this, "state_bucket_region", {
      value: props.stateRegion,
      description: "Region of the state bucket (the disaster-recovery region)",
    });
  }

  /**
   * The audit bucket: never destroyed, Glacier Instant Retrieval after 90 days, written only by
   * the project's trail of each account, each under its own AWSLogs/<account>/ prefix.
   */
  private auditBucketOf(project: string, region: string, accountId: string, trails: AuditTrailsDelivery): SecureBucket {
    const bucket = auditLogBucket(this, "audit-logs", auditBucketName(project, region, accountId), trails.retentionDays);
    bucket.addPolicyStatements(...auditDeliveryStatements(this.context, bucket.arn, trails));
    new TerraformOutput(this, "audit_bucket_name", { value: bucket.bucket.bucket, description: "S3 bucket every account's audit trail delivers to" });
    return bucket;
  }
}
