/**
 * The Database alone in a bare stack, with explicit props (the presets' engine, sizes, windows
 * and thresholds are config.spec's, the settings rules too); how the environment stack wires it
 * is in the last block.
 */
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Testing } from "cdktf";
import { Database, type DatabaseProps } from "../src/constructs/database";
import { SecurityGroup } from "../src/constructs/security-group";
import { bareStack } from "./bare-stack";
import { ARN, policyDocument, resource, resourcesOf, synthEnvironment, type TerraformJson } from "./helpers";

/**
 * A protected Multi-AZ PostgreSQL 15 instance in a bare stack with a DR provider, admitting a
 * "tasks" security group; `props` replace the defaults under test.
 */
function database(props: Partial<DatabaseProps> = {}): { synthesized: string; json: TerraformJson } {
  const { stack, context, network, alerts } = bareStack("test");
  const drProvider = new AwsProvider(stack, "dr", { region: "us-west-2", alias: "dr" });
  const db = new Database(stack, "database", {
    allocatedStorageGb: 30,
    databaseName: "dashboard",
    masterUsername: "dashboard_admin",
    multiAz: true,
    backupWindow: "02:00-03:00",
    maintenanceWindow: "sat:05:00-sat:06:00",
    engineVersion: "15",
    instanceClass: "db.t3.small",
    maxAllocatedStorageGb: 200,
    backupRetentionDays: 10,
    monitoringIntervalSeconds: 30,
    replicateBackupsToDr: false,
    alarms: { cpuPercent: 75, freeStorageGb: 4, connections: 60 },
    protectData: true,
    network,
    context,
    alerts,
    drProvider,
    ...props,
  });
  db.allowFrom(new SecurityGroup(stack, "tasks", { network, name: "smh-dashboard-test-tasks", label: "tasks", members: "the tasks", description: "Tasks" }));
  const synthesized = Testing.synth(stack);
  return { synthesized, json: JSON.parse(synthesized) };
}

describe("Database", () => {
  const { synthesized, json } = database();

  test("PostgreSQL engineVersion on instanceClass, allocatedStorageGb gp3 growing to maxAllocatedStorageGb, encrypted, Multi-AZ, private", () => {
    expect(synthesized).toHaveResourceWithProperties(DbInstance, {
      engine: "postgres",
      engine_version: "15",
      instance_class: "db.t3.small",
      allocated_storage: 30,
      max_allocated_storage: 200,
      storage_type: "gp3",
      storage_encrypted: true,
      multi_az: true,
      publicly_accessible: false,
      db_subnet_group_name: "${aws_db_subnet_group.database_subnets.name}",
    });
  });

  test("protected: backups kept backupRetentionDays in backupWindow, tags to snapshots, deletion protection and a final snapshot", () => {
    expect(resource(json, "aws_db_instance", "database")).toMatchObject({
      backup_retention_period: 10,
      backup_window: "02:00-03:00",
      maintenance_window: "sat:05:00-sat:06:00",
      copy_tags_to_snapshot: true,
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: "smh-dashboard-test-db-final",
    });
  });

  test("log exports, minor upgrades, no paid Extended Support, Performance Insights, enhanced monitoring every monitoringIntervalSeconds", () => {
    expect(resource(json, "aws_db_instance", "database")).toMatchObject({
      enabled_cloudwatch_logs_exports: ["postgresql", "upgrade"],
      auto_minor_version_upgrade: true,
      engine_lifecycle_support: "open-source-rds-extended-support-disabled",
      performance_insights_enabled: true,
      monitoring_interval: 30,
      monitoring_role_arn: "${aws_iam_role.database_monitoring_role.arn}",
    });
    expect(policyDocument(json, "database_monitoring_role_trust").statement[0].principals).toEqual([
      { type: "Service", identifiers: ["monitoring.rds.amazonaws.com"] },
    ]);
    expect(Object.values(resourcesOf(json, "aws_iam_role_policy_attachment")).map((a) => a.policy_arn)).toContain(
      `${ARN}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
    );
  });

  test("the master password is managed by RDS in Secrets Manager, never in state", () => {
    const db = resource(json, "aws_db_instance", "database");
    expect(db.manage_master_user_password).toBe(true);
    expect(db.password).toBeUndefined();
  });

  test("a parameter group for the engine family forces TLS", () => {
    expect(resource(json, "aws_db_parameter_group", "database_parameters")).toMatchObject({
      family: "postgres15",
      parameter: [{ name: "rds.force_ssl", value: "1" }],
    });
  });

  test("the parameter group is replaced before it is destroyed, so its name is unique (a prefix)", () => {
    const group = resource(json, "aws_db_parameter_group", "database_parameters");
    expect(group).toMatchObject({ name_prefix: "smh-dashboard-test-db-postgres15-", lifecycle: { create_before_destroy: true } });
    expect(group.name).toBeUndefined();
  });

  test("allowFrom: 5432 only from the other group, no egress; the other group gets the matching egress rule", () => {
    expect(resourcesOf(json, "aws_vpc_security_group_ingress_rule").database_security_group_postgres_from_tasks).toMatchObject({
      from_port: 5432,
      to_port: 5432,
      security_group_id: "${aws_security_group.database_security_group.id}",
      referenced_security_group_id: "${aws_security_group.tasks.id}",
    });
    const egress = resourcesOf(json, "aws_vpc_security_group_egress_rule");
    expect(Object.values(egress).filter((r) => r.security_group_id === "${aws_security_group.database_security_group.id}")).toEqual([]);
    expect(egress.tasks_postgres_to_db).toMatchObject({
      from_port: 5432,
      referenced_security_group_id: "${aws_security_group.database_security_group.id}",
    });
  });

  test("alarms on CPU, free storage and connections at the alarms' thresholds notify the alerts topic", () => {
    const alarms = resourcesOf(json, "aws_cloudwatch_metric_alarm");
    expect(alarms.database_db_cpu_high).toMatchObject({ namespace: "AWS/RDS", metric_name: "CPUUtilization", threshold: 75 });
    expect(alarms.database_db_storage_low).toMatchObject({
      metric_name: "FreeStorageSpace",
      threshold: 4 * 1024 ** 3,
      comparison_operator: "LessThanThreshold",
    });
    expect(alarms.database_db_connections_high).toMatchObject({ metric_name: "DatabaseConnections", threshold: 60 });
    for (const alarm of [alarms.database_db_cpu_high, alarms.database_db_storage_low, alarms.database_db_connections_high]) {
      expect(alarm.alarm_actions).toEqual(["${aws_sns_topic.alerts.arn}"]);
    }
  });

  test("backups replicate to the DR region only with replicateBackupsToDr, kept as long", () => {
    expect(resourcesOf(json, "aws_db_instance_automated_backups_replication")).toEqual({});
    const on = database({ replicateBackupsToDr: true }).json;
    expect(resource(on, "aws_db_instance_automated_backups_replication", "database_backups_to_dr")).toMatchObject({
      provider: "aws.dr",
      source_db_instance_arn: "${aws_db_instance.database.arn}",
      retention_period: 10,
    });
  });

  test("unprotected, single-AZ, with 1-day backups: no deletion protection, no final snapshot", () => {
    const open = database({ protectData: false, multiAz: false, backupRetentionDays: 1 }).json;
    expect(resource(open, "aws_db_instance", "database")).toMatchObject({
      backup_retention_period: 1,
      deletion_protection: false,
      skip_final_snapshot: true,
      multi_az: false,
    });
  });

  test("a storage ceiling below the allocation is refused", () => {
    expect(() => database({ allocatedStorageGb: 50, maxAllocatedStorageGb: 40 })).toThrow(
      /test\/database: maxAllocatedStorageGb 40 is below allocatedStorageGb 50/,
    );
  });
});

describe("the environment stack's database", () => {
  const { json } = synthEnvironment("prod");

  test("dev has nothing database-related", () => {
    const dev = synthEnvironment("dev").json;
    for (const type of ["aws_db_instance", "aws_db_subnet_group", "aws_db_parameter_group"]) {
      expect(resourcesOf(dev, type)).toEqual({});
    }
    expect(Object.keys(resourcesOf(dev, "aws_security_group"))).not.toContain("database_security_group");
    expect(resource(dev, "aws_ecs_task_definition", "app_task_definition").container_definitions).toContain('"secrets" = []');
  });

  test("prod's instance takes the database settings and protectData", () => {
    expect(resource(json, "aws_db_instance", "database")).toMatchObject({
      engine_version: "15",
      instance_class: "db.t3.micro",
      allocated_storage: 20,
      max_allocated_storage: 100,
      multi_az: true,
      backup_retention_period: 7,
      backup_window: "03:00-04:00",
      maintenance_window: "sun:04:30-sun:05:30",
      monitoring_interval: 60,
      deletion_protection: true,
      final_snapshot_identifier: "smh-dashboard-prod-db-final",
    });
    expect(resourcesOf(json, "aws_cloudwatch_metric_alarm").database_db_cpu_high).toMatchObject({
      threshold: 80,
      alarm_actions: ["${aws_sns_topic.alerts.arn}"],
    });
    expect(resourcesOf(json, "aws_db_instance_automated_backups_replication")).toEqual({});
  });

  test("5432 from the tasks' security group only, and the tasks get the matching egress rule", () => {
    expect(resourcesOf(json, "aws_vpc_security_group_ingress_rule").database_security_group_postgres_from_tasks).toMatchObject({
      from_port: 5432,
      referenced_security_group_id: "${aws_security_group.app_security_group.id}",
    });
    expect(resourcesOf(json, "aws_vpc_security_group_egress_rule").app_security_group_postgres_to_db).toMatchObject({
      from_port: 5432,
      referenced_security_group_id: "${aws_security_group.database_security_group.id}",
    });
  });

  test("the container gets the credentials as secrets and the execution role may read exactly that secret", () => {
    const secret = "${aws_db_instance.database.master_user_secret[0].secret_arn}";
    const container = resource(json, "aws_ecs_task_definition", "app_task_definition").container_definitions as string;
    expect(container).toContain(
      '"secrets" = [{"name" = "DB_USERNAME", "valueFrom" = "${aws_db_instance.database.master_user_secret[0].secret_arn}:username::"}',
    );
    expect(container).toContain('{"name" = "DB_HOST", "value" = aws_db_instance.database.address}');
    const statement = policyDocument(json, "app_execution_role_permissions").statement.find((s) => s.sid === "ReadDatabaseSecret");
    expect(statement).toEqual(expect.objectContaining({ actions: ["secretsmanager:GetSecretValue"], resources: [secret] }));
  });
});
