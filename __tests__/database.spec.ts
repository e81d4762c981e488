import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { ARN, policyDocument, resource, resourcesOf, synthEnvironment } from "./helpers";

describe("Database", () => {
  const { synthesized, json } = synthEnvironment("prod");

  test("dev has nothing database-related", () => {
    const dev = synthEnvironment("dev").json;
    for (const type of ["aws_db_instance", "aws_db_subnet_group", "aws_db_parameter_group"]) {
      expect(resourcesOf(dev, type)).toEqual({});
    }
    expect(Object.keys(resourcesOf(dev, "aws_security_group"))).not.toContain("database_security_group");
    expect(resource(dev, "aws_ecs_task_definition", "app_task_definition").container_definitions).toContain('"secrets" = []');
  });

  test("prod: PostgreSQL 15 on db.t3.micro, 20 GB gp3 growing to 100 GB, encrypted, Multi-AZ, private", () => {
    expect(synthesized).toHaveResourceWithProperties(DbInstance, {
      engine: "postgres",
      engine_version: "15",
      instance_class: "db.t3.micro",
      allocated_storage: 20,
      max_allocated_storage: 100,
      storage_type: "gp3",
      storage_encrypted: true,
      multi_az: true,
      publicly_accessible: false,
      db_subnet_group_name: "${aws_db_subnet_group.database_subnets.name}",
    });
  });

  test("prod: 7-day backups in a window, tags to snapshots, deletion protection and a final snapshot", () => {
    expect(resource(json, "aws_db_instance", "database")).toMatchObject({
      backup_retention_period: 7,
      backup_window: "03:00-04:00",
      maintenance_window: "sun:04:30-sun:05:30",
      copy_tags_to_snapshot: true,
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: "smh-dashboard-prod-db-final",
    });
  });

  test("log exports, minor upgrades, no paid Extended Support, Performance Insights, enhanced monitoring", () => {
    expect(resource(json, "aws_db_instance", "database")).toMatchObject({
      enabled_cloudwatch_logs_exports: ["postgresql", "upgrade"],
      auto_minor_version_upgrade: true,
      engine_lifecycle_support: "open-source-rds-extended-support-disabled",
      performance_insights_enabled: true,
      monitoring_interval: 60,
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
    expect(group).toMatchObject({ name_prefix: "smh-dashboard-prod-db-postgres15-", lifecycle: { create_before_destroy: true } });
    expect(group.name).toBeUndefined();
  });

  test("5432 only from the tasks' security group, no egress; the tasks get the matching egress rule", () => {
    expect(resourcesOf(json, "aws_vpc_security_group_ingress_rule").database_security_group_postgres_from_tasks).toMatchObject({
      from_port: 5432,
      to_port: 5432,
      security_group_id: "${aws_security_group.database_security_group.id}",
      referenced_security_group_id: "${aws_security_group.app_security_group.id}",
    });
    const egress = resourcesOf(json, "aws_vpc_security_group_egress_rule");
    expect(Object.values(egress).filter((r) => r.security_group_id === "${aws_security_group.database_security_group.id}")).toEqual([]);
    expect(egress.app_security_group_postgres_to_db).toMatchObject({
      from_port: 5432,
      referenced_security_group_id: "${aws_security_group.database_security_group.id}",
    });
  });

  test("the container gets the credentials as secrets and the execution role may read exactly that secret", () => {
    const secret = "${aws_db_instance.database.master_user_secret[0].secret_arn}";
    const container = resource(json, "aws_ecs_task_definition", "app_task_definition").container_definitions as string;
    expect(container).toContain('"secrets" = [{"name" = "DB_USERNAME", "valueFrom" = "${aws_db_instance.database.master_user_secret[0].secret_arn}:username::"}');
    expect(container).toContain('{"name" = "DB_HOST", "value" = aws_db_instance.database.address}');
    const statement = policyDocument(json, "app_execution_role_permissions").statement.find((s) => s.sid === "ReadDatabaseSecret");
    expect(statement).toEqual(expect.objectContaining({ actions: ["secretsmanager:GetSecretValue"], resources: [secret] }));
  });

  test("alarms on CPU, free storage and connections notify the alerts topic", () => {
    const alarms = resourcesOf(json, "aws_cloudwatch_metric_alarm");
    expect(alarms.database_db_cpu_high).toMatchObject({ namespace: "AWS/RDS", metric_name: "CPUUtilization", threshold: 80 });
    expect(alarms.database_db_storage_low).toMatchObject({ metric_name: "FreeStorageSpace", threshold: 2 * 1024 ** 3, comparison_operator: "LessThanThreshold" });
    expect(alarms.database_db_connections_high).toMatchObject({ metric_name: "DatabaseConnections", threshold: 80 });
    for (const alarm of [alarms.database_db_cpu_high, alarms.database_db_storage_low, alarms.database_db_connections_high]) {
      expect(alarm.alarm_actions).toEqual(["${aws_sns_topic.alerts.arn}"]);
    }
  });

  test("backup replication to the DR region is an option, off by default", () => {
    expect(resourcesOf(json, "aws_db_instance_automated_backups_replication")).toEqual({});
    const on = synthEnvironment("prod", { database: { replicateBackupsToDr: true } }).json;
    expect(resource(on, "aws_db_instance_automated_backups_replication", "database_backups_to_dr")).toMatchObject({
      provider: "aws.dr",
      source_db_instance_arn: "${aws_db_instance.database.arn}",
      retention_period: 7,
    });
  });

  test("dev with the database on keeps 1-day backups and no deletion protection", () => {
    const dev = synthEnvironment("dev", { database: { enabled: true } }).json;
    expect(resource(dev, "aws_db_instance", "database")).toMatchObject({
      backup_retention_period: 1,
      deletion_protection: false,
      skip_final_snapshot: true,
      multi_az: false,
    });
  });
});

describe("database configuration rules", () => {
  test.each<[string, object, RegExp]>([
    ["backup retention above 35", { backupRetentionDays: 36 }, /database.backupRetentionDays must be 0-35/],
    ["a storage ceiling below the allocation", { allocatedStorageGb: 50, maxAllocatedStorageGb: 40 }, /database.maxAllocatedStorageGb 40 is below database.allocatedStorageGb 50/],
    ["an instance class of the wrong shape", { instanceClass: "t3.micro" }, /database.instanceClass must be an RDS instance class/],
    ["no backups while data is protected", { backupRetentionDays: 0 }, /database.backupRetentionDays is 0 \(no automated backups\) while protectData is on/],
  ])("rejects %s", (_name, database, expected) => {
    expect(() => synthEnvironment("prod", { database })).toThrow(expected);
  });

  test("rejects Multi-AZ with a single zone", () => {
    expect(() =>
      synthEnvironment("prod", {
        availabilityZones: ["us-east-1a"],
        network: { publicSubnetCidrs: ["10.0.0.0/24"], privateSubnetCidrs: ["10.0.10.0/24"] },
      }),
    ).toThrow(/database.multiAz is on but only one availability zone is configured/);
  });
});
