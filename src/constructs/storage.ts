import { DataAwsElbServiceAccount } from "@cdktf/provider-aws/lib/data-aws-elb-service-account";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3BucketCorsConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-cors-configuration";
import { S3BucketReplicationConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-replication-configuration";
import { S3BucketWebsiteConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-website-configuration";
import { Construct } from "constructs";
import { type TransitionStorageClass, transitionRefusal } from "../aws/s3-lifecycle";
import type { BucketRole } from "../config/buckets";
import { asProps, type NameOf, type Problem, refuseInputs } from "../config/problem";
import type { StorageConfig } from "../config/schema";
import { resourceName } from "../config/naming";
import { type DeploymentContext, s3Arn } from "./context";
import { ServiceRole } from "./iam";
import type { CustomerKey } from "./keys";
import { SecureBucket } from "./secure-bucket";

/** The storage settings the buckets are built from (config/schema.ts describes each; dataExpirationDays unset keeps data until deleted). */
export const STORAGE_SETTINGS = [
  "forceDestroy",
  "noncurrentVersionExpirationDays",
  "logsTransitionDays",
  "logsExpirationDays",
  "dataExpirationDays",
  "replicateModels",
  "replicateData",
  "staticAssets",
  "corsAllowedOrigins",
] as const satisfies readonly (keyof StorageConfig)[];

export interface StorageProps extends Readonly<Pick<StorageConfig, (typeof STORAGE_SETTINGS)[number]>> {
  /** Physical bucket names by role (config/buckets.ts). */
  readonly bucketNames: Readonly<Record<BucketRole, string>>;
  /** Account, primary region (whose ELB account delivers ALB access logs), names. */
  readonly context: DeploymentContext;
  /** Provider of the disaster-recovery region, for replicas. */
  readonly drProvider: AwsProvider;
  /**
   * Customer-managed keys: `data` for the models and data buckets, `dr` for their replicas.
   * @default SSE-S3 (AES-256)
   */
  readonly keys?: { readonly data: CustomerKey; readonly dr?: CustomerKey };
}

/** Prefix of ALB access logs in the logs bucket. */
export const ALB_LOG_PREFIX = "alb";
/** Prefix of S3 server access logs in the logs bucket. */
export const S3_ACCESS_LOG_PREFIX = "s3";

export interface LogsBucketProps {
  readonly context: DeploymentContext;
  readonly bucketName: string;
  /** Days before access logs move to STANDARD_IA (at least 30), and before they expire. */
  readonly transitionDays: number;
  readonly expirationDays: number;
  readonly forceDestroy: boolean;
  readonly noncurrentVersionExpirationDays: number;
}

/** The storage class access logs move to after transitionDays. */
export const LOGS_TRANSITION_CLASS: TransitionStorageClass = "STANDARD_IA";

/**
 * The logs bucket's input rule, which the settings validation reports too (as
 * storage.logsTransitionDays): S3 accepts the transition only after its class's minimum days.
 */
export function logsTransitionProblems(props: Pick<LogsBucketProps, "transitionDays">, at: NameOf = asProps): Problem[] {
  const rule = transitionRefusal(LOGS_TRANSITION_CLASS, props.transitionDays);
  return rule ? [{ path: at("transitionDays"), message: `is ${props.transitionDays}; it ${rule}. Fix: set it to 30 or more (seed: 30).` }] : [];
}

/**
 * The bucket (id `logs` in `scope`) of the ALB's access logs (under `alb/`) and S3 server access
 * logs (under `s3/`) of the context's region: SSE-S3, which is all ALB log delivery supports.
 */
export function logsBucket(scope: Construct, props: LogsBucketProps): SecureBucket {
  refuseInputs(`${scope.node.path}/logs`, logsTransitionProblems(props));
  const { context } = props;
  // Local lookup in the provider (a table of ELB accounts per region), no AWS call.
  const elbAccount = new DataAwsElbServiceAccount(scope, "elb-account", { region: context.region });
  // The bucket's own policy names it before the bucket resource exists.
  const logsBucketArn = s3Arn(context, props.bucketName);
  return new SecureBucket(scope, "logs", {
    forceDestroy: props.forceDestroy,
    noncurrentVersionExpirationDays: props.noncurrentVersionExpirationDays,
    bucketName: props.bucketName,
    // ALB log files are mostly under 128 KB; moving those to STANDARD_IA would cost more
    // (128 KB minimum billable size plus a request fee each) than keeping them in STANDARD
    // until they expire. Larger files move after transitionDays.
    transitionDefaultMinimumObjectSize: "all_storage_classes_128K",
    policyStatements: [
      {
        sid: "AlbAccessLogDelivery",
        effect: "Allow",
        actions: ["s3:PutObject"],
        principals: [{ type: "AWS", identifiers: [elbAccount.arn] }],
        resources: [`${logsBucketArn}/${ALB_LOG_PREFIX}/AWSLogs/${context.accountId}/*`],
      },
      {
        sid: "S3ServerAccessLogDelivery",
        effect: "Allow",
        actions: ["s3:PutObject"],
        principals: [{ type: "Service", identifiers: ["logging.s3.amazonaws.com"] }],
        resources: [`${logsBucketArn}/${S3_ACCESS_LOG_PREFIX}/*`],
        condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [context.accountId] }],
      },
    ],
    lifecycleRules: [
      {
        id: "logs-retention",
        status: "Enabled",
        // An explicit, empty filter: the rule covers every object.
        filter: [{}],
        transition: [{ days: props.transitionDays, storageClass: LOGS_TRANSITION_CLASS }],
        expiration: [{ days: props.expirationDays }],
      },
    ],
  });
}

/**
 * The seed's four buckets (models, data, logs, optional static assets) and the DR replicas of
 * models and data. Every bucket is private, encrypted, TLS-only and versioned.
 */
export class Storage extends Construct {
  public readonly models: SecureBucket;
  public readonly data: SecureBucket;
  /** ALB access logs and S3 server access logs (SSE-S3: ALB log delivery supports nothing else). */
  public readonly logs: SecureBucket;
  /** Static assets for CloudFront, when storage.staticAssets is on. */
  public readonly staticAssets?: SecureBucket;
  /** DR-region copy of the models bucket, when storage.replicateModels is on. */
  public readonly modelsReplica?: SecureBucket;
  /** DR-region copy of the data bucket, when storage.replicateData is on. */
  public readonly dataReplica?: SecureBucket;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);
    // Validation refuses forceDestroy while protectData is on (protectedDataIsNotForceDestroyed).
    const common = { forceDestroy: props.forceDestroy, noncurrentVersionExpirationDays: props.noncurrentVersionExpirationDays };

    const { context } = props;
    this.logs = logsBucket(this, {
      ...common,
      context,
      bucketName: props.bucketNames.logs,
      transitionDays: props.logsTransitionDays,
      expirationDays: props.logsExpirationDays,
    });
    const accessLogs = (role: string) => ({ bucket: this.logs.bucket, prefix: `${S3_ACCESS_LOG_PREFIX}/${role}/` });

    this.models = new SecureBucket(this, "models", {
      ...common,
      bucketName: props.bucketNames.models,
      encryptionKey: props.keys?.data,
      accessLogs: accessLogs("models"),
    });
    this.data = new SecureBucket(this, "data", {
      ...common,
      bucketName: props.bucketNames.data,
      encryptionKey: props.keys?.data,
      accessLogs: accessLogs("data"),
      lifecycleRules:
        props.dataExpirationDays === undefined
          ? []
          : [{ id: "data-retention", status: "Enabled", filter: [{}], expiration: [{ days: props.dataExpirationDays }] }],
    });

    if (props.replicateModels) {
      this.modelsReplica = this.replicate("models", this.models, props.bucketNames.modelsReplica, props, common);
    }
    if (props.replicateData) {
      this.dataReplica = this.replicate("data", this.data, props.bucketNames.dataReplica, props, common);
    }

    if (props.staticAssets) {
      this.staticAssets = new SecureBucket(this, "static", {
        ...common,
        bucketName: props.bucketNames.static,
        accessLogs: accessLogs("static"),
      });
      // Served through CloudFront only: the website configuration gives index/error documents,
      // the bucket stays private (no public policy; CloudFront reads it with origin access control).
      new S3BucketWebsiteConfiguration(this, "static-website", {
        bucket: this.staticAssets.bucket.id,
        indexDocument: { suffix: "index.html" },
        errorDocument: { key: "error.html" },
      });
      new S3BucketCorsConfiguration(this, "static-cors", {
        bucket: this.staticAssets.bucket.id,
        corsRule: [
          {
            allowedMethods: ["GET", "HEAD"],
            allowedOrigins: props.corsAllowedOrigins,
            allowedHeaders: ["*"],
            maxAgeSeconds: 3600,
          },
        ],
      });
    }
  }

  /** A versioned DR-region bucket and the replication of `source` into it. */
  private replicate(
    role: "models" | "data",
    source: SecureBucket,
    replicaName: string,
    props: StorageProps,
    common: { forceDestroy: boolean; noncurrentVersionExpirationDays: number },
  ): SecureBucket {
    const sourceKey = props.keys?.data;
    const replicaKey = props.keys?.dr;
    const replica = new SecureBucket(this, `${role}-replica`, {
      ...common,
      bucketName: replicaName,
      provider: props.drProvider,
      encryptionKey: replicaKey,
    });
    const replication = new ServiceRole(this, `${role}-replication-role`, {
      context: props.context,
      name: resourceName(props.context.names, `${role}-replication`),
      service: "s3.amazonaws.com",
      sourceArn: source.bucket.arn,
      statements: [
        {
          sid: "ReadReplicationConfiguration",
          effect: "Allow",
          actions: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
          resources: [source.bucket.arn],
        },
        {
          sid: "ReadSourceVersions",
          effect: "Allow",
          actions: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
          resources: [`${source.bucket.arn}/*`],
        },
        {
          sid: "WriteReplicas",
          effect: "Allow",
          actions: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
          resources: [`${replica.bucket.arn}/*`],
        },
        ...(sourceKey && replicaKey
          ? [
              { sid: "DecryptSource", ...sourceKey.useViaService("s3", ["kms:Decrypt"]) },
              { sid: "EncryptReplicas", ...replicaKey.useViaService("s3", ["kms:Encrypt", "kms:GenerateDataKey"]) },
            ]
          : []),
      ],
    });
    new S3BucketReplicationConfigurationA(this, `${role}-replication`, {
      bucket: source.bucket.id,
      role: replication.role.arn,
      rule: [
        {
          id: `${role}-to-dr`,
          status: "Enabled",
          filter: {},
          deleteMarkerReplication: { status: "Enabled" },
          destination: {
            bucket: replica.bucket.arn,
            storageClass: "STANDARD",
            encryptionConfiguration: replicaKey ? { replicaKmsKeyId: replicaKey.arn } : undefined,
          },
          // Objects under SSE-KMS replicate only when asked to.
          sourceSelectionCriteria: sourceKey ? { sseKmsEncryptedObjects: { status: "Enabled" } } : undefined,
        },
      ],
      // Replication needs versioning on both sides first.
      dependsOn: [source.versioning!, replica.versioning!],
    });
    return replica;
  }
}
