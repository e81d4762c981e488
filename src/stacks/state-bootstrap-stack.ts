import * as path from "path";
import { Aspects, LocalBackend } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { BOOTSTRAP_STATE_FILE } from "../config/deployment";
import { deploymentContext, s3Arn } from "../constructs/context";
import { stateAccessLogsBucketName, stateBucketName } from "../naming";
import { SecureBucket } from "../constructs/secure-bucket";
import { PolicyChecks } from "../policy/checks";
import { NamedStack } from "./named-stack";

export interface StateBootstrapStackProps {
  readonly project: string;
  readonly accountId: string;
  /** Region of the state bucket: the disaster-recovery region, never the primary one. */
  readonly stateRegion: string;
  /** Tags on every resource. */
  readonly tags: Readonly<Record<string, string>>;
  /** Days old state versions are kept. @default 365 */
  readonly noncurrentVersionExpirationDays?: number;
  /** Days the state bucket's access logs are kept (who read the state). @default 365 */
  readonly accessLogExpirationDays?: number;
  /**
   * The file that keeps this stack's own state: an absolute path outside the build folder
   * (cdktf runs Terraform in cdktf.out/stacks/state, which a synthesis may clean).
   * @default BOOTSTRAP_STATE_FILE: bootstrap-state/terraform.state.tfstate in the project, git-ignored
   */
  readonly localStatePath?: string;
}

/** Key prefix of the state bucket's server access logs in the logs bucket. */
const ACCESS_LOG_PREFIX = "state/";

/**
 * Creates the bucket that every environment's S3 backend (backend.ts) keeps its state in.
 * Deployed once, first, with local state: it cannot keep its own state in a bucket it creates.
 */
export class StateBootstrapStack extends NamedStack {
  public readonly stateBucket: SecureBucket;
  /** Server access logs of the state bucket: state holds sensitive values, so reads are audited. */
  public readonly accessLogs: SecureBucket;

  constructor(scope: Construct, id: string, props: StateBootstrapStackProps) {
    super(scope, id);
    Aspects.of(this).add(new PolicyChecks({ protectData: true, nameSources: [{ setting: "project", value: props.project }] }));
    const statePath = props.localStatePath ?? BOOTSTRAP_STATE_FILE;
    if (!path.isAbsolute(statePath)) {
      throw new Error(`${this.node.path}: localStatePath "${statePath}" is relative, so Terraform would keep the state in the build folder it runs in (cdktf.out/stacks/${id}). Fix: give an absolute path outside cdktf.out.`);
    }
    new LocalBackend(this, { path: statePath });
    new AwsProvider(this, "aws", {
      region: props.stateRegion,
      allowedAccountIds: [props.accountId],
      defaultTags: [{ tags: { ...props.tags } }],
    });

    const context = deploymentContext(this, {
      accountId: props.accountId,
      region: props.stateRegion,
      names: { project: props.project, environment: "shared" },
    });
    const logsBucketName = stateAccessLogsBucketName(props.project, props.stateRegion, props.accountId);
    // Server access logging delivers only to a bucket in the same region, with SSE-S3.
    this.accessLogs = new SecureBucket(this, "access-logs", {
      bucketName: logsBucketName,
      forceDestroy: false,
      noncurrentVersionExpirationDays: 30,
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
          expiration: [{ days: props.accessLogExpirationDays ?? 365 }],
        },
      ],
    });

    this.stateBucket = new SecureBucket(this, "state", {
      bucketName: stateBucketName(props.project, props.stateRegion, props.accountId),
      accessLogs: { bucket: this.accessLogs.bucket, prefix: ACCESS_LOG_PREFIX },
      // Losing state orphans every resource of every environment.
      preventDestroy: true,
      forceDestroy: false,
      noncurrentVersionExpirationDays: props.noncurrentVersionExpirationDays ?? 365,
    });

    new TerraformOutput(this, "state_bucket_name", {
      value: this.stateBucket.bucket.bucket,
      description: "S3 bucket holding every environment's Terraform state (backend.ts)",
    });
    new TerraformOutput(this, "state_bucket_region", {
      value: props.stateRegion,
      description: "Region of the state bucket (the disaster-recovery region)",
    });
  }
}
