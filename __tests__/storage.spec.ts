/**
 * The Storage alone in a bare stack, with explicit props (the presets' retentions and switches are
 * config.spec's, the settings rules too); how the environment stack wires it is in the last block.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import type { BucketRole } from "../src/config/buckets";
import { Keys } from "../src/constructs/keys";
import { Storage, type StorageProps } from "../src/constructs/storage";
import { bareStack } from "./bare-stack";
import { ARN, policyDocument, resource, resourcesOf, synthEnvironment, type TerraformJson } from "./helpers";

const BUCKETS = ["models", "data", "logs", "static", "models_replica", "data_replica"];

const NAMES: Record<BucketRole, string> = {
  models: "smh-dashboard-test-models",
  data: "smh-dashboard-test-data",
  logs: "smh-dashboard-test-logs",
  static: "smh-dashboard-test-static",
  modelsReplica: "smh-dashboard-test-models-replica",
  dataReplica: "smh-dashboard-test-data-replica",
  drLogs: "smh-dashboard-test-dr-logs",
};

/**
 * Every bucket Storage can make (static assets, both replicas under the data and DR keys) in a
 * bare stack with a DR provider; `props` replace the defaults under test.
 */
function storage(props: Partial<StorageProps> = {}): { synthesized: string; json: TerraformJson } {
  const bare = bareStack("test");
  const { stack, context } = bare;
  const drProvider = new AwsProvider(stack, "dr", { region: "us-west-2", alias: "dr" });
  const keys = new Keys(stack, "keys", { context, drProvider, drRegion: "us-west-2", dr: true, database: false });
  new Storage(stack, "storage", {
    forceDestroy: false,
    noncurrentVersionExpirationDays: 200,
    logsTransitionDays: 40,
    logsExpirationDays: 100,
    replicateModels: true,
    replicateData: true,
    staticAssets: true,
    corsAllowedOrigins: ["https://dashboard.example.edu"],
    bucketNames: NAMES,
    context,
    drProvider,
    keys: { data: keys.data, dr: keys.dr },
    ...props,
  });
  const json = bare.synth();
  return { synthesized: JSON.stringify(json), json };
}

describe("Storage", () => {
  const { synthesized, json } = storage();
  /** The other value of each switch: forced destroy, data that expires, no static assets, no replicas. */
  const other = storage({ forceDestroy: true, dataExpirationDays: 30, staticAssets: false, replicateModels: false, replicateData: false }).json;

  test("models, data, logs and static buckets plus DR replicas of models and data, named by bucketNames", () => {
    expect(Object.keys(resourcesOf(json, "aws_s3_bucket")).sort()).toEqual(BUCKETS.map((b) => `storage_${b}`).sort());
    expect(resource(json, "aws_s3_bucket", "storage_models").bucket).toBe("smh-dashboard-test-models");
  });

  test.each(BUCKETS)("%s bucket: versioned, encrypted, all public access blocked, ACLs off, TLS only", (name) => {
    expect(resource(json, "aws_s3_bucket_versioning", `storage_${name}_versioning`).versioning_configuration).toEqual({ status: "Enabled" });
    expect(
      resource(json, "aws_s3_bucket_server_side_encryption_configuration", `storage_${name}_encryption`).rule[0].apply_server_side_encryption_by_default
        .sse_algorithm,
    ).toMatch(/^(AES256|aws:kms)$/);
    expect(resource(json, "aws_s3_bucket_public_access_block", `storage_${name}_public_access`)).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(resource(json, "aws_s3_bucket_ownership_controls", `storage_${name}_ownership`).rule.object_ownership).toBe("BucketOwnerEnforced");
    expect(policyDocument(json, `storage_${name}_policy_document`).statement[0]).toMatchObject({
      sid: "DenyInsecureTransport",
      effect: "Deny",
      condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
    });
  });

  test("every bucket sends its object events to EventBridge, where audits and consumers subscribe", () => {
    const notifications = resourcesOf(json, "aws_s3_bucket_notification");
    expect(Object.keys(notifications).sort()).toEqual(BUCKETS.map((b) => `storage_${b}_events`).sort());
    for (const name of BUCKETS) {
      expect(notifications[`storage_${name}_events`]).toMatchObject({ bucket: `\${aws_s3_bucket.storage_${name}.id}`, eventbridge: true });
    }
  });

  test("no bucket can be public", () => {
    expect(synthesized).not.toHaveResourceWithProperties(S3BucketPublicAccessBlock, { block_public_policy: false });
  });

  test("forceDestroy false keeps every bucket from a forced destroy; true lets destroy empty them all", () => {
    expect(Object.values(resourcesOf(json, "aws_s3_bucket")).every((b) => b.force_destroy === false)).toBe(true);
    expect(Object.values(resourcesOf(other, "aws_s3_bucket")).every((b) => b.force_destroy === true)).toBe(true);
  });

  test("versioned buckets expire noncurrent versions after noncurrentVersionExpirationDays", () => {
    expect(resource(json, "aws_s3_bucket_lifecycle_configuration", "storage_models_lifecycle").rule).toEqual(
      expect.arrayContaining([expect.objectContaining({ noncurrent_version_expiration: [{ noncurrent_days: 200 }] })]),
    );
  });

  test("logs move to STANDARD_IA after logsTransitionDays and expire after logsExpirationDays, with an explicit filter", () => {
    const lifecycle = resource(json, "aws_s3_bucket_lifecycle_configuration", "storage_logs_lifecycle");
    expect(lifecycle.rule).toEqual(
      expect.arrayContaining([
        {
          id: "logs-retention",
          status: "Enabled",
          filter: [{}],
          transition: [{ days: 40, storage_class: "STANDARD_IA" }],
          expiration: [{ days: 100 }],
        },
      ]),
    );
    expect(lifecycle.transition_default_minimum_object_size).toBe("all_storage_classes_128K");
  });

  test("data objects expire after dataExpirationDays; without it they are kept", () => {
    const rules = resource(other, "aws_s3_bucket_lifecycle_configuration", "storage_data_lifecycle").rule as any[];
    expect(rules.find((r) => r.id === "data-retention")).toMatchObject({ status: "Enabled", filter: [{}], expiration: [{ days: 30 }] });
    const kept = resource(json, "aws_s3_bucket_lifecycle_configuration", "storage_data_lifecycle").rule as any[];
    expect(kept.find((r) => r.id === "data-retention")).toBeUndefined();
  });

  test("logs bucket uses SSE-S3, as ALB access log delivery requires", () => {
    expect(resource(json, "aws_s3_bucket_server_side_encryption_configuration", "storage_logs_encryption").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
    ]);
  });

  test("logs bucket policy lets the region's ELB account write ALB logs for this account only, from a local lookup", () => {
    expect(json.data?.aws_elb_service_account?.storage_elb_account).toEqual({ region: "us-east-1" });
    expect(policyDocument(json, "storage_logs_policy_document").statement).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          sid: "AlbAccessLogDelivery",
          actions: ["s3:PutObject"],
          principals: [{ type: "AWS", identifiers: ["${data.aws_elb_service_account.storage_elb_account.arn}"] }],
          resources: [`${ARN}:s3:::smh-dashboard-test-logs/alb/AWSLogs/123456789012/*`],
        }),
      ]),
    );
  });

  test("models, data and static buckets send S3 access logs to the logs bucket", () => {
    for (const name of ["models", "data", "static"]) {
      expect(resource(json, "aws_s3_bucket_logging", `storage_${name}_access_logs`)).toMatchObject({
        target_bucket: "${aws_s3_bucket.storage_logs.id}",
        target_prefix: `s3/${name}/`,
      });
    }
  });

  test("models replicate to a bucket in the DR region, under the DR key, through a least-privilege role", () => {
    expect(resource(json, "aws_s3_bucket", "storage_models_replica")).toMatchObject({
      provider: "aws.dr",
      bucket: "smh-dashboard-test-models-replica",
    });
    const replication = resource(json, "aws_s3_bucket_replication_configuration", "storage_models_replication");
    expect(replication).toMatchObject({
      bucket: "${aws_s3_bucket.storage_models.id}",
      role: "${aws_iam_role.storage_models_replication_role.arn}",
      rule: [
        expect.objectContaining({
          status: "Enabled",
          destination: {
            bucket: "${aws_s3_bucket.storage_models_replica.arn}",
            storage_class: "STANDARD",
            encryption_configuration: { replica_kms_key_id: "${aws_kms_key.keys_dr.arn}" },
          },
          delete_marker_replication: { status: "Enabled" },
          source_selection_criteria: { sse_kms_encrypted_objects: { status: "Enabled" } },
        }),
      ],
    });
    expect(replication.depends_on).toEqual(
      expect.arrayContaining(["aws_s3_bucket_versioning.storage_models_versioning", "aws_s3_bucket_versioning.storage_models_replica_versioning"]),
    );
    const actions = policyDocument(json, "storage_models_replication_role_permissions").statement.flatMap((s) => s.actions);
    expect(actions.sort()).toEqual(
      [
        "s3:GetObjectVersionAcl",
        "s3:GetObjectVersionForReplication",
        "s3:GetObjectVersionTagging",
        "s3:GetReplicationConfiguration",
        "s3:ListBucket",
        "s3:ReplicateDelete",
        "s3:ReplicateObject",
        "s3:ReplicateTags",
        "kms:Decrypt",
        "kms:Encrypt",
        "kms:GenerateDataKey",
      ].sort(),
    );
    expect(policyDocument(json, "storage_models_replication_role_trust").statement[0].principals).toEqual([
      { type: "Service", identifiers: ["s3.amazonaws.com"] },
    ]);
  });

  test("static assets bucket has website and CORS configuration for corsAllowedOrigins", () => {
    expect(resource(json, "aws_s3_bucket_website_configuration", "storage_static_website").index_document).toEqual({ suffix: "index.html" });
    expect(resource(json, "aws_s3_bucket_cors_configuration", "storage_static_cors").cors_rule).toEqual([
      expect.objectContaining({ allowed_methods: ["GET", "HEAD"], allowed_origins: ["https://dashboard.example.edu"] }),
    ]);
  });

  test("without staticAssets, replicateModels and replicateData: no static bucket and no replicas", () => {
    expect(Object.keys(resourcesOf(other, "aws_s3_bucket")).sort()).toEqual(["storage_data", "storage_logs", "storage_models"]);
    expect(resourcesOf(other, "aws_s3_bucket_replication_configuration")).toEqual({});
  });
});

describe("the environment stack's storage", () => {
  const { json } = synthEnvironment("prod");
  const dev = synthEnvironment("dev").json;

  test("prod's buckets are named by project, environment, role, region and account; dev has models, data, logs and static (its CloudFront), no replicas", () => {
    expect(Object.keys(resourcesOf(json, "aws_s3_bucket")).sort()).toEqual(BUCKETS.map((b) => `storage_${b}`).sort());
    expect(resource(json, "aws_s3_bucket", "storage_models").bucket).toBe("smh-dashboard-prod-models-us-east-1-123456789012");
    expect(resource(json, "aws_s3_bucket", "storage_models_replica").bucket).toBe("smh-dashboard-prod-models-replica-us-west-2-123456789012");
    expect(resource(json, "aws_s3_bucket_replication_configuration", "storage_models_replication").rule[0].destination.encryption_configuration).toEqual({
      replica_kms_key_id: "${aws_kms_key.keys_dr.arn}",
    });
    expect(Object.keys(resourcesOf(dev, "aws_s3_bucket")).sort()).toEqual(["storage_data", "storage_logs", "storage_models", "storage_static"]);
    expect(resourcesOf(dev, "aws_s3_bucket_replication_configuration")).toEqual({});
  });

  test("the storage settings reach the buckets: prod never force-destroys, dev does; retentions", () => {
    expect(Object.values(resourcesOf(json, "aws_s3_bucket")).every((b) => b.force_destroy === false)).toBe(true);
    expect(Object.values(resourcesOf(dev, "aws_s3_bucket")).every((b) => b.force_destroy === true)).toBe(true);
    expect(resource(json, "aws_s3_bucket_lifecycle_configuration", "storage_models_lifecycle").rule).toEqual(
      expect.arrayContaining([expect.objectContaining({ noncurrent_version_expiration: [{ noncurrent_days: 365 }] })]),
    );
    const logs = resource(json, "aws_s3_bucket_lifecycle_configuration", "storage_logs_lifecycle").rule as any[];
    expect(logs.find((r) => r.id === "logs-retention").expiration).toEqual([{ days: 365 }]);
    const devData = resource(dev, "aws_s3_bucket_lifecycle_configuration", "storage_data_lifecycle").rule as any[];
    expect(devData.find((r) => r.id === "data-retention")).toMatchObject({ expiration: [{ days: 30 }] });
  });

  test("only the distribution may read the static assets bucket", () => {
    const statements = policyDocument(json, "storage_static_policy_document").statement;
    expect(statements.filter((s) => s.effect === "Allow")).toEqual([
      {
        sid: "CloudFrontReadsStaticAssets",
        effect: "Allow",
        actions: ["s3:GetObject"],
        principals: [{ type: "Service", identifiers: ["cloudfront.amazonaws.com"] }],
        resources: ["${aws_s3_bucket.storage_static.arn}/*"],
        condition: [{ test: "StringEquals", variable: "AWS:SourceArn", values: ["${aws_cloudfront_distribution.cdn.arn}"] }],
      },
    ]);
  });

  test("outputs name and ARN of each bucket", () => {
    expect(json.output?.models_bucket_name).toMatchObject({ value: "${aws_s3_bucket.storage_models.bucket}", description: expect.any(String) });
    expect(json.output?.data_bucket_arn).toMatchObject({ value: "${aws_s3_bucket.storage_data.arn}" });
  });
});
