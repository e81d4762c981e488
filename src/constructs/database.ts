import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbInstanceAutomatedBackupsReplication } from "@cdktf/provider-aws/lib/db-instance-automated-backups-replication";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { PRIMARY_ID, resourceName } from "../naming";
import type { Alerts } from "./alerts";
import { arn, type DeploymentContext, managedPolicyArn } from "./context";
import { type Grantable, ServiceRole } from "./iam";
import type { CustomerKey } from "./keys";
import type { Metric } from "./metric";
import type { Network } from "./network";
import { SecurityGroup, type ServicePort } from "./security-group";
import type { ContainerSecret, Service, ServiceDatabase } from "./service";

export const POSTGRES_PORT = 5432;
/** PostgreSQL, as security group rules name it. */
export const POSTGRES: ServicePort = { id: "postgres", port: POSTGRES_PORT, protocol: "PostgreSQL" };

export interface DatabaseProps {
  /** PostgreSQL version: a major ("15") lets RDS upgrade minors. */
  readonly engineVersion: string;
  readonly instanceClass: string;
  /** gp3 storage at creation and the autoscaling ceiling, in GB. */
  readonly allocatedStorageGb: number;
  readonly maxAllocatedStorageGb: number;
  readonly multiAz: boolean;
  /** Days of automated backups, and their UTC window. */
  readonly backupRetentionDays: number;
  readonly backupWindow: string;
  /** UTC maintenance window. */
  readonly maintenanceWindow: string;
  readonly databaseName: string;
  /** Master user; RDS creates and rotates its password in Secrets Manager. */
  readonly masterUsername: string;
  /** Seconds between enhanced-monitoring samples; 0 turns it off. */
  readonly monitoringIntervalSeconds: number;
  /** Copy automated backups to the DR region. */
  readonly replicateBackupsToDr: boolean;
  /** Alarm thresholds: CPU (%), free storage (GiB), connections. */
  readonly alarms: { readonly cpuPercent: number; readonly freeStorageGb: number; readonly connections: number };
  readonly network: Network;
  /** Deletion protection and a final snapshot. */
  readonly protectData: boolean;
  readonly context: DeploymentContext;
  /** The alerts topic the database alarms notify. */
  readonly alerts: Alerts;
  /** DR-region provider, for the backup replication. */
  readonly drProvider: AwsProvider;
  /** Customer-managed key of storage, Performance Insights and the secret. @default AWS-managed keys */
  readonly key?: CustomerKey;
  /** DR-region key for backup copies; required with a customer-managed key. @default AWS-managed */
  readonly drKey?: CustomerKey;
}

/** The parameter group of a PostgreSQL instance of this project: TLS only (`rds.force_ssl`). */
export function tlsOnlyParameters(scope: Construct, identifier: string, engineVersion: string, description: string): DbParameterGroup {
  const major = engineVersion.split(".")[0];
  return new DbParameterGroup(scope, "parameters", {
    // A new major version's group is created before the old one goes, so each gets a unique
    // name (DBParameterGroupAlreadyExists otherwise); the instance follows it in place.
    namePrefix: `${identifier}-postgres${major}-`,
    family: `postgres${major}`,
    description,
    parameter: [{ name: "rds.force_ssl", value: "1" }],
    tags: { Name: `${identifier}-postgres${major}` },
    lifecycle: { createBeforeDestroy: true },
  });
}

/**
 * Lets `grantee` sign in with IAM database authentication as `user` on the database (instance
 * or cluster) whose resource id is `resourceId`, and nowhere else (statement `sid`).
 */
export function grantIamConnect(grantee: Grantable, context: DeploymentContext, sid: string, resourceId: string, user: string): void {
  grantee.addStatements({
    sid,
    effect: "Allow",
    actions: ["rds-db:connect"],
    resources: [arn(context, { service: "rds-db", resource: `dbuser:${resourceId}/${user}` })],
  });
}

/**
 * The role RDS enhanced monitoring publishes with, when it samples at all (interval > 0), named
 * `<project>-<env>-<role>` (an instance and an Aurora cluster of one stack each have their own).
 */
export function enhancedMonitoringRole(scope: Construct, context: DeploymentContext, intervalSeconds: number, role = "rds-monitoring"): ServiceRole | undefined {
  return intervalSeconds > 0
    ? new ServiceRole(scope, "monitoring-role", {
        context,
        name: resourceName(context.names, role),
        service: "monitoring.rds.amazonaws.com",
        managedPolicyArns: [managedPolicyArn(context, "service-role/AmazonRDSEnhancedMonitoringRole")],
      })
    : undefined;
}

/**
 * RDS PostgreSQL (seed "RDS PostgreSQL (Optional)"): private, encrypted, TLS-only, its master
 * password created and rotated by RDS in Secrets Manager (never in state), enhanced monitoring,
 * log exports and alarms.
 */
export class Database extends Construct implements ServiceDatabase {
  public readonly instance: DbInstance;
  /** Who may connect: `allowFrom(securityGroup)` opens PostgreSQL to another group. */
  public readonly securityGroup: SecurityGroup;
  /** ARN of the RDS-managed master-user secret. */
  public readonly secretArn: string;
  private readonly key?: CustomerKey;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const config = props;
    if (props.maxAllocatedStorageGb < props.allocatedStorageGb) {
      throw new Error(`${this.node.path}: maxAllocatedStorageGb ${props.maxAllocatedStorageGb} is below allocatedStorageGb ${props.allocatedStorageGb}. Fix: raise the ceiling to at least the allocation.`);
    }
    const names = props.context.names;
    this.key = props.key;
    const identifier = resourceName(names, "db");

    const subnets = new DbSubnetGroup(this, "subnets", {
      name: identifier,
      subnetIds: props.network.privateSubnetIds,
      tags: { Name: identifier },
    });
    this.securityGroup = new SecurityGroup(this, "security-group", {
      network: props.network,
      name: resourceName(names, "db"),
      label: "db",
      members: "the dashboard database",
      description: "PostgreSQL: 5432 from the dashboard tasks only, no egress",
    });
    const parameters = tlsOnlyParameters(this, identifier, config.engineVersion, "Dashboard PostgreSQL: TLS required");
    const monitoring = enhancedMonitoringRole(this, props.context, config.monitoringIntervalSeconds);

    this.instance = new DbInstance(this, PRIMARY_ID, {
      identifier,
      engine: "postgres",
      engineVersion: config.engineVersion,
      instanceClass: config.instanceClass,
      allocatedStorage: config.allocatedStorageGb,
      maxAllocatedStorage: config.maxAllocatedStorageGb,
      storageType: "gp3",
      storageEncrypted: true,
      kmsKeyId: props.key?.arn,
      dbName: config.databaseName,
      username: config.masterUsername,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: props.key?.arn,
      iamDatabaseAuthenticationEnabled: true,
      multiAz: config.multiAz,
      dbSubnetGroupName: subnets.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      publiclyAccessible: false,
      parameterGroupName: parameters.name,
      caCertIdentifier: "rds-ca-rsa2048-g1",
      backupRetentionPeriod: config.backupRetentionDays,
      backupWindow: config.backupWindow,
      maintenanceWindow: config.maintenanceWindow,
      copyTagsToSnapshot: true,
      deletionProtection: props.protectData,
      skipFinalSnapshot: !props.protectData,
      finalSnapshotIdentifier: props.protectData ? `${identifier}-final` : undefined,
      enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
      autoMinorVersionUpgrade: true,
      // Major versions past standard support would otherwise move to paid Extended Support.
      engineLifecycleSupport: "open-source-rds-extended-support-disabled",
      performanceInsightsEnabled: true,
      performanceInsightsRetentionPeriod: 7,
      performanceInsightsKmsKeyId: props.key?.arn,
      monitoringInterval: config.monitoringIntervalSeconds,
      monitoringRoleArn: monitoring?.role.arn,
      applyImmediately: false,
      tags: { Name: identifier },
    });
    this.secretArn = this.instance.masterUserSecret.get(0).secretArn;

    if (config.replicateBackupsToDr) {
      new DbInstanceAutomatedBackupsReplication(this, "backups-to-dr", {
        provider: props.drProvider,
        sourceDbInstanceArn: this.instance.arn,
        retentionPeriod: config.backupRetentionDays,
        kmsKeyId: props.drKey?.arn,
      });
    }

    const rdsAlarm = (id: string, metricName: string, comparison: string, threshold: number, description: string) =>
      props.alerts.alarm(this, id, {
        ...this.metric(metricName),
        statistic: "Average",
        period: 300,
        evaluationPeriods: 2,
        comparison,
        threshold,
        description,
        // A database that stops reporting is itself a problem.
        missing: "breaching",
      });
    rdsAlarm("db-cpu-high", "CPUUtilization", "GreaterThanThreshold", config.alarms.cpuPercent, `Database CPU above ${config.alarms.cpuPercent}% for 10 minutes`);
    rdsAlarm(
      "db-storage-low",
      "FreeStorageSpace",
      "LessThanThreshold",
      config.alarms.freeStorageGb * 1024 ** 3,
      `Database free storage below ${config.alarms.freeStorageGb} GiB`,
    );
    rdsAlarm(
      "db-connections-high",
      "DatabaseConnections",
      "GreaterThanThreshold",
      config.alarms.connections,
      `More than ${config.alarms.connections} database connections`,
    );
  }

  /** Lets the members of `other` connect to PostgreSQL (both sides' rules). */
  allowFrom(other: SecurityGroup): void {
    this.securityGroup.allowFrom(other, POSTGRES);
  }

  /** A metric of the instance, e.g. `CPUUtilization`, `DatabaseConnections`. */
  metric(metricName: string): Metric {
    return { namespace: "AWS/RDS", metricName, dimensions: { DBInstanceIdentifier: this.instance.identifier } };
  }

  /** The credentials as container secrets (username and password keys of the RDS secret). */
  get containerSecrets(): ContainerSecret[] {
    return [
      { name: "DB_USERNAME", valueFrom: `${this.secretArn}:username::` },
      { name: "DB_PASSWORD", valueFrom: `${this.secretArn}:password::` },
    ];
  }

  /** Non-secret connection settings for the container. */
  get containerEnvironment(): { name: string; value: string }[] {
    return [
      { name: "DB_HOST", value: this.instance.address },
      { name: "DB_PORT", value: String(POSTGRES_PORT) },
      { name: "DB_NAME", value: this.instance.dbName },
    ];
  }

  /** Lets `service`'s execution role hand the master credentials to its containers. */
  grantSignIn(service: Service): void {
    this.grantSecretRead(service.executionRole);
  }

  /**
   * Lets `grantee` read the master-user secret, exactly this one (the ECS execution role hands
   * it to the container), and decrypt it through Secrets Manager only.
   */
  grantSecretRead(grantee: Grantable): void {
    grantee.addStatements({
      sid: "ReadDatabaseSecret",
      effect: "Allow",
      actions: ["secretsmanager:GetSecretValue"],
      resources: [this.secretArn],
    });
    this.key?.grantViaService(grantee, "DecryptDatabaseSecret", "secretsmanager", ["kms:Decrypt"]);
  }
}
