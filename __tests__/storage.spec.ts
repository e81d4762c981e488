import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { ARN, policyDocument, resource, resourcesOf, synthEnvironment } from "./helpers";

const BUCKETS = ["models", "data", "logs", "static", "models_replica", "data_replica"];

describe("Storage", () => {
  const { synthesized, json } = synthEnvironment("prod");

  test("prod has models, data, logs and static buckets plus DR replicas of models and data", () => {
    expect(Object.keys(resourcesOf(json, "aws_s3_bucket")).sort()).toEqual(BUCKETS.map((b) => `storage_${b}`).sort());
    expect(resource(json, "aws_s3_bucket", "storage_models").bucket).toBe("smh-dashboard-prod-models-us-east-1-123456789012");
  });

  test.each(BUCKETS)("%s bucket: versioned, encrypted, all public access blocked, ACLs off, TLS only", (name) => {
    expect(resource(json, "aws_s3_bucket_versioning", `storage_${name}_versioning`).versioning_configuration).toEqual({ status: "Enabled" });
    expect(resource(json, "aws_s3_bucket_server_side_encryption_configuration", `storage_${name}_encryption`).rule[0]
      .apply_server_side_encryption_by_default.sse_algorithm).toMatch(/^(AES256|aws:kms)$/);
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

  test("prod never force-destroys a bucket; dev does, as documented", () => {
    expect(Object.values(resourcesOf(json, "aws_s3_bucket")).every((b) => b.force_destroy === false)).toBe(true);
    const dev = synthEnvironment("dev").json;
    expect(Object.values(resourcesOf(dev, "aws_s3_bucket")).every((b) => b.force_destroy === true)).toBe(true);
  });

  test("versioned buckets expire noncurrent versions (prod 365 days)", () => {
    expect(resource(json, "aws_s3_bucket_lifecycle_configuration", "storage_models_lifecycle").rule).toEqual(
      expect.arrayContaining([expect.objectContaining({ noncurrent_version_expiration: [{ noncurrent_days: 365 }] })]),
    );
  });

  test("logs move to STANDARD_IA after 30 days and expire after 90 (seed, dev), with an explicit filter", () => {
    const lifecycle = resource(synthEnvironment("dev").json, "aws_s3_bucket_lifecycle_configuration", "storage_logs_lifecycle");
    expect(lifecycle.rule).toEqual(
      expect.arrayContaining([
        {
          id: "logs-retention",
          status: "Enabled",
          filter: [{}],
          transition: [{ days: 30, storage_class: "STANDARD_IA" }],
          expiration: [{ days: 90 }],
        },
      ]),
    );
    expect(lifecycle.transition_default_minimum_object_size).toBe("all_storage_classes_128K");
  });

  test("prod keeps access logs a year, as an audit trail", () => {
    const rules = resource(json, "aws_s3_bucket_lifecycle_configuration", "storage_logs_lifecycle").rule as any[];
    expect(rules.find((r) => r.id === "logs-retention").expiration).toEqual([{ days: 365 }]);
  });

  test("data objects expire after storage.dataExpirationDays (dev 30); prod keeps them", () => {
    const devRules = resource(synthEnvironment("dev").json, "aws_s3_bucket_lifecycle_configuration", "storage_data_lifecycle").rule as any[];
    expect(devRules.find((r) => r.id === "data-retention")).toMatchObject({ status: "Enabled", filter: [{}], expiration: [{ days: 30 }] });
    const prodRules = resource(json, "aws_s3_bucket_lifecycle_configuration", "storage_data_lifecycle").rule as any[];
    expect(prodRules.find((r) => r.id === "data-retention")).toBeUndefined();
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
          resources: [`${ARN}:s3:::smh-dashboard-prod-logs-us-east-1-123456789012/alb/AWSLogs/123456789012/*`],
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

  test("models replicate to a bucket in the DR region through a least-privilege role", () => {
    expect(resource(json, "aws_s3_bucket", "storage_models_replica")).toMatchObject({
      provider: "aws.dr",
      bucket: "smh-dashboard-prod-models-replica-us-west-2-123456789012",
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

  test("static assets bucket has website and CORS configuration; only the distribution may read it", () => {
    expect(resource(json, "aws_s3_bucket_website_configuration", "storage_static_website").index_document).toEqual({ suffix: "index.html" });
    expect(resource(json, "aws_s3_bucket_cors_configuration", "storage_static_cors").cors_rule).toEqual([
      expect.objectContaining({ allowed_methods: ["GET", "HEAD"], allowed_origins: ["*"] }),
    ]);
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

  test("dev has no static bucket and no replicas", () => {
    const dev = synthEnvironment("dev").json;
    expect(Object.keys(resourcesOf(dev, "aws_s3_bucket")).sort()).toEqual(["storage_data", "storage_logs", "storage_models"]);
    expect(resourcesOf(dev, "aws_s3_bucket_replication_configuration")).toEqual({});
  });

  test("outputs name and ARN of each bucket", () => {
    expect(json.output?.models_bucket_name).toMatchObject({ value: "${aws_s3_bucket.storage_models.bucket}", description: expect.any(String) });
    expect(json.output?.data_bucket_arn).toMatchObject({ value: "${aws_s3_bucket.storage_data.arn}" });
  });
});

describe("storage configuration rules", () => {
  test("a bucket suffix that makes a name too long is refused", () => {
    expect(() => synthEnvironment("prod", { storage: { bucketSuffix: "a-very-long-suffix-x" } })).toThrow(/storage.bucketSuffix .*characters; AWS allows 3-63/);
  });

  test("force_destroy with protected data is refused", () => {
    expect(() => synthEnvironment("prod", { storage: { forceDestroy: true } })).toThrow(/storage.forceDestroy is true while protectData is on/);
  });

  test("logs that expire before they transition are refused", () => {
    expect(() => synthEnvironment("dev", { storage: { logsExpirationDays: 20 } })).toThrow(/storage.logsExpirationDays 20 is not after storage.logsTransitionDays 30/);
  });
});
