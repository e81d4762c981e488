/**
 * AuroraCluster alone, in a bare stack with explicit props: what the construct decides for the
 * seed's 100,000-user step (Aurora PostgreSQL), each behaviour on its own.
 */
import { AuroraCluster, type AuroraClusterProps, SERVERLESS } from "../src/constructs/aurora";
import { CustomerKey } from "../src/constructs/keys";
import { Role } from "../src/constructs/iam";
import { SecurityGroup } from "../src/constructs/security-group";
import { bareStack } from "./bare-stack";
import { ARN, policyDocument, resource, resourcesOf } from "./helpers";

/** A primary Aurora cluster with these props over a baseline; its stack's JSON and the construct. */
function aurora(props: Partial<Omit<AuroraClusterProps, "network" | "context" | "alerts">> = {}, withKey = true) {
  const bare = bareStack();
  const key = withKey ? new CustomerKey(bare.stack, "key", { context: bare.context, alias: "test-database", description: "test" }) : undefined;
  const cluster = new AuroraCluster(bare.stack, "aurora", {
    engineVersion: "15.10",
    instanceClass: "db.r6g.xlarge",
    readers: 1,
    minCapacityAcu: 0.5,
    maxCapacityAcu: 16,
    ioOptimized: false,
    databaseName: "dashboard",
    masterUsername: "dashboard_admin",
    backupRetentionDays: 7,
    backupWindow: "03:00-04:00",
    maintenanceWindow: "sun:04:30-sun:05:30",
    monitoringIntervalSeconds: 60,
    protectData: true,
    alarms: { cpuPercent: 80, connections: 500, freeLocalStorageGb: 5, replicaLagMilliseconds: 1000 },
    network: bare.network,
    context: bare.context,
    alerts: bare.alerts,
    key,
    ...props,
  });
  return { bare, cluster, json: () => bare.synth() };
}

describe("AuroraCluster", () => {
  test("GIVEN a database key WHEN the cluster is built THEN it is Aurora PostgreSQL at the exact version, encrypted with that key's ARN, IAM authentication on", () => {
    const json = aurora().json();
    expect(resource(json, "aws_rds_cluster", "aurora")).toMatchObject({
      cluster_identifier: "smh-dashboard-test-aurora",
      engine: "aurora-postgresql",
      engine_version: "15.10",
      storage_encrypted: true,
      kms_key_id: "${aws_kms_key.key.arn}",
      iam_database_authentication_enabled: true,
      engine_lifecycle_support: "open-source-rds-extended-support-disabled",
    });
  });

  test("GIVEN one reader WHEN built THEN a writer and a reader sit in different zones, private, with Performance Insights and enhanced monitoring", () => {
    const instances = resourcesOf(aurora().json(), "aws_rds_cluster_instance");
    expect(Object.keys(instances)).toEqual(["aurora_instance_a", "aurora_instance_b"]);
    expect(instances.aurora_instance_a.availability_zone).toBe("us-east-1a");
    expect(instances.aurora_instance_b.availability_zone).toBe("us-east-1b");
    for (const instance of Object.values(instances)) {
      expect(instance).toMatchObject({
        instance_class: "db.r6g.xlarge",
        publicly_accessible: false,
        performance_insights_enabled: true,
        performance_insights_kms_key_id: "${aws_kms_key.key.arn}",
        monitoring_interval: 60,
        monitoring_role_arn: "${aws_iam_role.aurora_monitoring_role.arn}",
        ca_cert_identifier: "rds-ca-rsa2048-g1",
        auto_minor_version_upgrade: false,
      });
    }
  });

  test("GIVEN protected data WHEN built THEN deletion protection, a final snapshot and the backups' retention and window are set", () => {
    expect(resource(aurora().json(), "aws_rds_cluster", "aurora")).toMatchObject({
      deletion_protection: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: "smh-dashboard-test-aurora-final",
      backup_retention_period: 7,
      preferred_backup_window: "03:00-04:00",
      copy_tags_to_snapshot: true,
    });
  });

  test("GIVEN unprotected data WHEN built THEN the cluster can be destroyed without a snapshot", () => {
    expect(resource(aurora({ protectData: false }).json(), "aws_rds_cluster", "aurora")).toMatchObject({
      deletion_protection: false,
      skip_final_snapshot: true,
    });
  });

  test("WHEN built THEN a cluster parameter group of the major's family forces TLS, under a name prefix so a new major can replace it first", () => {
    const parameters = resource(aurora().json(), "aws_rds_cluster_parameter_group", "aurora_parameters");
    expect(parameters).toMatchObject({
      family: "aurora-postgresql15",
      name_prefix: "smh-dashboard-test-aurora-aurora-postgresql15-",
      parameter: [{ name: "rds.force_ssl", value: "1" }],
    });
    expect(parameters.name).toBeUndefined();
    expect(parameters.lifecycle).toEqual({ create_before_destroy: true });
  });

  test("GIVEN no global database WHEN built THEN RDS manages the master password in Secrets Manager with the key, and none is in the configuration", () => {
    const cluster = resource(aurora().json(), "aws_rds_cluster", "aurora");
    expect(cluster).toMatchObject({
      manage_master_user_password: true,
      master_user_secret_kms_key_id: "${aws_kms_key.key.arn}",
      master_username: "dashboard_admin",
      database_name: "dashboard",
    });
    expect(cluster.master_password).toBeUndefined();
    expect(cluster.master_password_wo).toBeUndefined();
  });

  test("GIVEN a global database WHEN built THEN the master password is write-only and random (AWS manages no secret there), and the global cluster is created from this cluster", () => {
    const json = aurora({ globalClusterIdentifier: "smh-dashboard-test-global" }).json();
    const cluster = resource(json, "aws_rds_cluster", "aurora");
    expect(cluster.manage_master_user_password).toBeUndefined();
    expect(cluster.master_password_wo).toBe("${uuid()}");
    expect(cluster.master_password_wo_version).toBe(1);
    expect(cluster.lifecycle.ignore_changes).toEqual(expect.arrayContaining(["global_cluster_identifier", "engine_version"]));
    expect(resource(json, "aws_rds_global_cluster", "aurora_global")).toMatchObject({
      global_cluster_identifier: "smh-dashboard-test-global",
      source_db_cluster_identifier: "${aws_rds_cluster.aurora.arn}",
      deletion_protection: true,
      engine_version: "15.10",
    });
  });

  test("GIVEN an RDS instance to replicate WHEN built THEN the cluster is its read replica, without a database, user or password of its own", () => {
    const cluster = resource(
      aurora({ replicationSourceArn: "arn:aws:rds:us-east-1:123456789012:db:smh-dashboard-test-db" }).json(),
      "aws_rds_cluster",
      "aurora",
    );
    expect(cluster.replication_source_identifier).toBe("arn:aws:rds:us-east-1:123456789012:db:smh-dashboard-test-db");
    for (const key of ["database_name", "master_username", "manage_master_user_password", "master_password_wo"]) expect(cluster[key]).toBeUndefined();
  });

  test("WHEN built THEN the database name and master user are set at creation only (a cluster promoted from the instance keeps the instance's)", () => {
    expect(resource(aurora().json(), "aws_rds_cluster", "aurora").lifecycle.ignore_changes).toEqual(
      expect.arrayContaining(["database_name", "master_username"]),
    );
  });

  test("GIVEN db.serverless WHEN built THEN the cluster scales within the ACU range", () => {
    const json = aurora({ instanceClass: SERVERLESS, minCapacityAcu: 1, maxCapacityAcu: 32 }).json();
    expect(resource(json, "aws_rds_cluster", "aurora").serverlessv2_scaling_configuration).toEqual({ min_capacity: 1, max_capacity: 32 });
    expect(resource(json, "aws_rds_cluster_instance", "aurora_instance_a").instance_class).toBe("db.serverless");
  });

  test("GIVEN a provisioned class WHEN built THEN no Serverless v2 range is set", () => {
    expect(resource(aurora().json(), "aws_rds_cluster", "aurora").serverlessv2_scaling_configuration).toBeUndefined();
  });

  test("GIVEN a capacity range with min above max WHEN built THEN it is refused with the fix", () => {
    expect(() => aurora({ minCapacityAcu: 8, maxCapacityAcu: 4 })).toThrow(
      /minCapacityAcu 8 ACU is above maxCapacityAcu 4\. Fix: keep minCapacityAcu <= maxCapacityAcu/,
    );
  });

  test("GIVEN a replica source and a global database WHEN built THEN it is refused: a replica cannot be a global primary", () => {
    expect(() => aurora({ replicationSourceArn: "arn:aws:rds:us-east-1:123456789012:db:x", globalClusterIdentifier: "g" })).toThrow(
      /cannot be the primary of a global database\. Fix: promote it first/,
    );
  });

  test("GIVEN I/O-Optimized WHEN built THEN the storage type is aurora-iopt1; Standard leaves it to Aurora", () => {
    expect(resource(aurora({ ioOptimized: true }).json(), "aws_rds_cluster", "aurora").storage_type).toBe("aurora-iopt1");
    expect(resource(aurora().json(), "aws_rds_cluster", "aurora").storage_type).toBeUndefined();
  });

  test("WHEN built THEN each instance alarms on CPU, connections and free local storage, and the cluster on the readers' lag, to the alerts topic", () => {
    const alarms = resourcesOf(aurora().json(), "aws_cloudwatch_metric_alarm");
    expect(Object.keys(alarms).sort()).toEqual([
      "aurora_aurora_a_connections_high",
      "aurora_aurora_a_cpu_high",
      "aurora_aurora_a_local_storage_low",
      "aurora_aurora_b_connections_high",
      "aurora_aurora_b_cpu_high",
      "aurora_aurora_b_local_storage_low",
      "aurora_aurora_replica_lag",
    ]);
    expect(alarms.aurora_aurora_replica_lag).toMatchObject({
      metric_name: "AuroraReplicaLagMaximum",
      threshold: 1000,
      dimensions: { DBClusterIdentifier: "${aws_rds_cluster.aurora.cluster_identifier}" },
      alarm_actions: ["${aws_sns_topic.alerts.arn}"],
    });
    expect(alarms.aurora_aurora_b_local_storage_low).toMatchObject({
      metric_name: "FreeLocalStorage",
      comparison_operator: "LessThanThreshold",
      threshold: 5 * 1024 ** 3,
      dimensions: { DBInstanceIdentifier: "smh-dashboard-test-aurora-b" },
    });
  });

  test("GIVEN no reader WHEN built THEN there is no lag alarm", () => {
    expect(Object.keys(resourcesOf(aurora({ readers: 0 }).json(), "aws_cloudwatch_metric_alarm"))).not.toContain("aurora_aurora_replica_lag");
  });

  test("GIVEN another security group WHEN allowFrom THEN PostgreSQL is open from it on both sides, and nothing else", () => {
    const { bare, cluster, json } = aurora();
    const tasks = new SecurityGroup(bare.stack, "tasks", { network: bare.network, name: "tasks", label: "tasks", members: "the tasks", description: "tasks" });
    cluster.allowFrom(tasks);
    const synthesized = json();
    expect(resource(synthesized, "aws_vpc_security_group_ingress_rule", "aurora_security_group_postgres_from_tasks")).toMatchObject({
      from_port: 5432,
      to_port: 5432,
      referenced_security_group_id: "${aws_security_group.tasks.id}",
    });
    expect(resource(synthesized, "aws_vpc_security_group_egress_rule", "tasks_postgres_to_aurora")).toMatchObject({
      from_port: 5432,
      referenced_security_group_id: "${aws_security_group.aurora_security_group.id}",
    });
    expect(Object.keys(resourcesOf(synthesized, "aws_vpc_security_group_ingress_rule"))).toEqual(["aurora_security_group_postgres_from_tasks"]);
  });

  test("GIVEN a role WHEN grantConnect THEN it may sign in as the app's user on this cluster only", () => {
    const { bare, cluster, json } = aurora({ globalClusterIdentifier: "g" });
    const role = new Role(bare.stack, "role", { name: "r", trust: [] });
    cluster.grantConnect(role);
    expect(policyDocument(json(), "role_permissions").statement).toEqual([
      expect.objectContaining({
        sid: "ConnectToAurora",
        actions: ["rds-db:connect"],
        resources: [`${ARN}:rds-db:us-east-1:123456789012:dbuser:\${aws_rds_cluster.aurora.cluster_resource_id}/dashboard_app`],
      }),
    ]);
  });

  test("GIVEN a global database WHEN the container is wired THEN it gets the writer and reader endpoints and IAM authentication, no secret", () => {
    const { cluster } = aurora({ globalClusterIdentifier: "g" });
    expect(cluster.containerSecrets).toEqual([]);
    expect(cluster.containerEnvironment.map((e) => e.name)).toEqual(["DB_HOST", "DB_READER_HOST", "DB_PORT", "DB_NAME", "DB_USERNAME", "DB_IAM_AUTH"]);
  });

  test("GIVEN no global database WHEN the container is wired THEN the credentials come from the RDS-managed secret", () => {
    const { cluster } = aurora();
    expect(cluster.containerSecrets.map((s) => s.name)).toEqual(["DB_USERNAME", "DB_PASSWORD"]);
    expect(cluster.containerEnvironment.map((e) => e.name)).toEqual(["DB_HOST", "DB_READER_HOST", "DB_PORT", "DB_NAME"]);
  });
});
