import { ARN, policyDocument, resource, resourcesOf, synthEnvironment } from "./helpers";

describe("Keys (customer-managed encryption)", () => {
  const { json } = synthEnvironment("prod");

  test("one rotating key per purpose: data, logs, database, DR copies", () => {
    for (const key of ["keys_data", "keys_logs", "keys_database", "keys_dr"]) {
      expect(resource(json, "aws_kms_key", key)).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    }
    expect(resource(json, "aws_kms_key", "keys_dr").provider).toBe("aws.dr");
  });

  test("the data and models buckets and the ECR repository use the data key", () => {
    for (const bucket of ["models", "data"]) {
      expect(resource(json, "aws_s3_bucket_server_side_encryption_configuration", `storage_${bucket}_encryption`).rule).toEqual([
        { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "${aws_kms_key.keys_data.arn}" }, bucket_key_enabled: true },
      ]);
    }
    expect(resource(json, "aws_ecr_repository", "registry").encryption_configuration).toEqual([
      { encryption_type: "KMS", kms_key: "${aws_kms_key.keys_data.arn}" },
    ]);
  });

  test("the logs bucket keeps SSE-S3 (ALB log delivery requires it)", () => {
    expect(
      resource(json, "aws_s3_bucket_server_side_encryption_configuration", "storage_logs_encryption").rule[0].apply_server_side_encryption_by_default
        .sse_algorithm,
    ).toBe("AES256");
  });

  test("every log group of the primary region uses the logs key, whose policy admits only CloudWatch Logs of this account", () => {
    for (const group of ["network_flow_logs", "app_logs", "waf_logs"]) {
      expect(resource(json, "aws_cloudwatch_log_group", group).kms_key_id).toBe("${aws_kms_key.keys_logs.arn}");
    }
    expect(policyDocument(json, "keys_logs_policy").statement[1]).toMatchObject({
      principals: [{ type: "Service", identifiers: ["logs.us-east-1.amazonaws.com"] }],
      condition: [{ test: "ArnLike", variable: "kms:EncryptionContext:aws:logs:arn", values: [`${ARN}:logs:us-east-1:123456789012:log-group:*`] }],
    });
  });

  test("the database, its Performance Insights and its secret use the database key; the execution role may decrypt only via Secrets Manager", () => {
    expect(resource(json, "aws_db_instance", "database")).toMatchObject({
      kms_key_id: "${aws_kms_key.keys_database.arn}",
      master_user_secret_kms_key_id: "${aws_kms_key.keys_database.arn}",
      performance_insights_kms_key_id: "${aws_kms_key.keys_database.arn}",
    });
    expect(policyDocument(json, "app_execution_role_permissions").statement.find((s) => s.sid === "DecryptDatabaseSecret")).toMatchObject({
      actions: ["kms:Decrypt"],
      resources: ["${aws_kms_key.keys_database.arn}"],
      condition: [{ test: "StringEquals", variable: "kms:ViaService", values: ["secretsmanager.us-east-1.amazonaws.com"] }],
    });
  });

  test("the task role may use the data key only through S3", () => {
    expect(policyDocument(json, "app_task_role_permissions").statement.find((s) => s.sid === "UseBucketKeys")).toMatchObject({
      actions: ["kms:Decrypt", "kms:GenerateDataKey"],
      resources: ["${aws_kms_key.keys_data.arn}"],
      condition: [{ test: "StringEquals", variable: "kms:ViaService", values: ["s3.us-east-1.amazonaws.com"] }],
    });
  });

  test("the switch falls back to AWS-managed keys", () => {
    const off = synthEnvironment("prod", { encryption: { customerManagedKeys: false } }).json;
    expect(Object.keys(resourcesOf(off, "aws_kms_key"))).toEqual(["alerts_key"]);
    expect(
      resource(off, "aws_s3_bucket_server_side_encryption_configuration", "storage_data_encryption").rule[0].apply_server_side_encryption_by_default
        .sse_algorithm,
    ).toBe("AES256");
    expect(resource(off, "aws_db_instance", "database").kms_key_id).toBeUndefined();
  });
});
