/**
 * AuroraSecondary alone, in a bare stack of the DR region: the secondary cluster of an Aurora
 * Global Database, what it holds per instance count and how the standby's tasks reach it.
 */
import { TerraformOutput } from "cdktf";
import { AuroraSecondary, type AuroraSecondaryProps } from "../src/constructs/aurora-secondary";
import { CustomerKey } from "../src/constructs/keys";
import { bareStack } from "./bare-stack";
import { resource, resourcesOf } from "./helpers";

function secondary(props: Partial<Omit<AuroraSecondaryProps, "network" | "context" | "alerts">> = {}) {
  const bare = bareStack("prod-dr", "us-west-2");
  const key = new CustomerKey(bare.stack, "database-key", { context: bare.context, alias: "smh-dashboard-prod-dr-database", description: "test" });
  const construct = new AuroraSecondary(bare.stack, "aurora", {
    engineVersion: "15.10",
    instanceClass: "db.r6g.xlarge",
    minCapacityAcu: 0.5,
    maxCapacityAcu: 16,
    ioOptimized: false,
    globalClusterIdentifier: "smh-dashboard-prod-global",
    instances: 1,
    kmsKeyArn: key.arn,
    backupRetentionDays: 7,
    backupWindow: "03:00-04:00",
    maintenanceWindow: "sun:04:30-sun:05:30",
    monitoringIntervalSeconds: 60,
    promoted: false,
    databaseName: "dashboard",
    globalLagSeconds: 60,
    protectData: true,
    alarms: { cpuPercent: 80, connections: 500, freeLocalStorageGb: 5 },
    network: bare.network,
    context: bare.context,
    alerts: bare.alerts,
    ...props,
  });
  // The container's settings as Terraform reads them (an output resolves their references).
  new TerraformOutput(bare.stack, "container_environment", { value: construct.containerEnvironment });
  const json = bare.synth();
  const env = () => Object.fromEntries((json.output!.container_environment.value as { name: string; value: string }[]).map((e) => [e.name, e.value]));
  return { construct, env, json };
}

describe("AuroraSecondary", () => {
  test("GIVEN the global database's name WHEN built THEN the cluster joins it by that name, encrypted with the DR key's ARN, without a user or password of its own", () => {
    const cluster = resource(secondary().json, "aws_rds_cluster", "aurora");
    expect(cluster).toMatchObject({
      cluster_identifier: "smh-dashboard-prod-dr-aurora",
      global_cluster_identifier: "smh-dashboard-prod-global",
      engine: "aurora-postgresql",
      engine_version: "15.10",
      storage_encrypted: true,
      kms_key_id: "${aws_kms_key.database_key.arn}",
      iam_database_authentication_enabled: true,
      deletion_protection: true,
    });
    for (const key of ["master_username", "master_password_wo", "manage_master_user_password", "database_name"]) expect(cluster[key]).toBeUndefined();
    expect(cluster.lifecycle).toEqual({ ignore_changes: ["engine_version"] });
  });

  test("GIVEN no instance (pilot light) WHEN built THEN the cluster is headless: no instance, no write forwarding, no lag alarm", () => {
    const { json } = secondary({ instances: 0 });
    expect(resourcesOf(json, "aws_rds_cluster_instance")).toEqual({});
    expect(resource(json, "aws_rds_cluster", "aurora").enable_global_write_forwarding).toBeUndefined();
    expect(Object.keys(resourcesOf(json, "aws_cloudwatch_metric_alarm"))).not.toContain("aurora_aurora_global_lag");
  });

  test("GIVEN instances WHEN built THEN they forward writes to the primary, and an alarm watches the RPO lag", () => {
    const { json } = secondary({ instances: 2 });
    expect(Object.keys(resourcesOf(json, "aws_rds_cluster_instance"))).toEqual(["aurora_instance_a", "aurora_instance_b"]);
    expect(resource(json, "aws_rds_cluster", "aurora").enable_global_write_forwarding).toBe(true);
    expect(resource(json, "aws_cloudwatch_metric_alarm", "aurora_aurora_global_lag")).toMatchObject({
      metric_name: "AuroraGlobalDBRPOLag",
      threshold: 60000,
      treat_missing_data: "breaching",
    });
  });

  test("GIVEN a secondary WHEN its tasks are wired THEN they write through the readers (forwarded) as the app user with IAM authentication", () => {
    const env = secondary().env();
    expect(env.DB_HOST).toBe("${aws_rds_cluster.aurora.reader_endpoint}");
    expect(env).toMatchObject({ DB_USERNAME: "dashboard_app", DB_IAM_AUTH: "true", DB_WRITE_FORWARDING: "true" });
  });

  test("GIVEN the secondary promoted by a failover WHEN its tasks are wired THEN they write to its writer, nothing forwarded", () => {
    const env = secondary({ promoted: true }).env();
    expect(env.DB_HOST).toBe("${aws_rds_cluster.aurora.endpoint}");
    expect(env.DB_WRITE_FORWARDING).toBeUndefined();
  });
});
