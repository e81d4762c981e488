import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { RdsCluster } from "@cdktf/provider-aws/lib/rds-cluster";
import { RdsClusterInstance } from "@cdktf/provider-aws/lib/rds-cluster-instance";
import { RdsClusterParameterGroup } from "@cdktf/provider-aws/lib/rds-cluster-parameter-group";
import { RdsGlobalCluster } from "@cdktf/provider-aws/lib/rds-global-cluster";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { majorOf } from "../config/engines";
import { asProps, type NameOf, type Problem, refuseInputs } from "../config/problem";
import type { AuroraConfig } from "../config/schema";
import { auroraClusterName, PRIMARY_ID } from "../config/naming";
import type { Alerts } from "./alerts";
import type { DeploymentContext } from "./context";
import {
  APP_DB_USER,
  enhancedMonitoringRole,
  grantIamConnect,
  NO_EXTENDED_SUPPORT,
  PERFORMANCE_INSIGHTS_RETENTION_DAYS,
  POSTGRES,
  POSTGRES_PORT,
  RDS_CA,
  rdsAlarm,
} from "./rds";
import type { Grantable } from "./iam";
import type { CustomerKey } from "./keys";
import type { Metric } from "./metric";
import type { Network } from "./network";
import { SecurityGroup } from "./security-group";
import type { ContainerSecret, Service, ServiceDatabase } from "./service";

/** Instance class that makes an Aurora instance Serverless v2. */
export const SERVERLESS = "db.serverless";

/**
 * The settings of database.aurora (config/schema.ts) that the primary and the secondary cluster
 * share: the engine version (major.minor) and what sizes the instances, their class
 * (`db.serverless` for Serverless v2, scaled within the ACU range) and I/O-Optimized storage.
 */
export const AURORA_SETTINGS = [
  "engineVersion",
  "instanceClass",
  "minCapacityAcu",
  "maxCapacityAcu",
  "ioOptimized",
] as const satisfies readonly (keyof AuroraConfig)[];

/**
 * The cluster's input rule, which the settings validation reports too (as database.aurora.*):
 * Serverless v2 scales within a range, whose lower bound cannot be above its upper one, and
 * whose upper one is at least 1 ACU.
 */
export function capacityProblems(capacity: { readonly minCapacityAcu: number; readonly maxCapacityAcu: number }, at: NameOf = asProps): Problem[] {
  const { minCapacityAcu: min, maxCapacityAcu: max } = capacity;
  const problems: Problem[] = [];
  if (min > max) {
    problems.push({
      path: at("minCapacityAcu"),
      message: `${min} ACU is above ${at("maxCapacityAcu")} ${max}. Fix: keep minCapacityAcu <= maxCapacityAcu (e.g. 0.5 and 16).`,
    });
  }
  if (max < 1) {
    problems.push({ path: at("maxCapacityAcu"), message: `${max} ACU is below Serverless v2's smallest maximum, 1 ACU. Fix: set at least 1.` });
  }
  return problems;
}

/** Alarm thresholds of each Aurora instance. */
export interface AuroraInstanceAlarms {
  /** CPU (%) above which an instance's alarm fires. */
  readonly cpuPercent: number;
  /** Connections above which an instance's alarm fires. */
  readonly connections: number;
  /** Free local storage (GiB) below which an instance's alarm fires. */
  readonly freeLocalStorageGb: number;
}

/** What the primary and the secondary cluster share: their network, instances and watch. */
export interface AuroraClusterBaseProps extends Readonly<Pick<AuroraConfig, (typeof AURORA_SETTINGS)[number]>> {
  readonly context: DeploymentContext;
  readonly network: Network;
  /** Seconds between enhanced-monitoring samples; 0 turns it off. */
  readonly monitoringIntervalSeconds: number;
  /** UTC weekly window of maintenance. */
  readonly maintenanceWindow: string;
  /** Deletion protection and a final snapshot. */
  readonly protectData: boolean;
  /** The topic the alarms notify. */
  readonly alerts: Alerts;
  readonly alarms: AuroraInstanceAlarms;
}

/**
 * The pieces an Aurora cluster of this project is built from, in the scope of its construct: a
 * DB subnet group over the private subnets, a security group without rules until something is
 * let in, a TLS-only cluster parameter group, the enhanced-monitoring role, and, once the
 * cluster exists, its instances (zones in turn) with Performance Insights and their alarms.
 */
export class AuroraClusterParts {
  public readonly identifier: string;
  public readonly subnets: DbSubnetGroup;
  public readonly securityGroup: SecurityGroup;
  public readonly parameters: RdsClusterParameterGroup;
  private readonly monitoringRoleArn?: string;

  constructor(
    private readonly scope: Construct,
    private readonly props: AuroraClusterBaseProps,
    members: string,
  ) {
    const names = props.context.names;
    this.identifier = auroraClusterName(names);
    this.subnets = new DbSubnetGroup(scope, "subnets", {
      name: this.identifier,
      subnetIds: props.network.privateSubnetIds,
      tags: { Name: this.identifier },
    });
    this.securityGroup = new SecurityGroup(scope, "security-group", {
      network: props.network,
      name: this.identifier,
      label: "aurora",
      members,
      description: `Aurora PostgreSQL: ${POSTGRES_PORT} from the dashboard tasks only, no egress`,
    });
    const family = `aurora-postgresql${majorOf(props.engineVersion)}`;
    // A prefix, not a name: a new major replaces the group, created before the old one goes.
    this.parameters = new RdsClusterParameterGroup(scope, "parameters", {
      namePrefix: `${this.identifier}-${family}-`,
      family,
      description: "Dashboard Aurora PostgreSQL: TLS required",
      parameter: [{ name: "rds.force_ssl", value: "1" }],
      lifecycle: { createBeforeDestroy: true },
    });
    this.monitoringRoleArn = enhancedMonitoringRole(scope, props.context, props.monitoringIntervalSeconds, "aurora-monitoring")?.arn;
  }

  /** The cluster settings both roles share. */
  clusterSettings(kmsKeyArn: string | undefined) {
    const p = this.props;
    return {
      clusterIdentifier: this.identifier,
      engine: "aurora-postgresql",
      engineVersion: p.engineVersion,
      engineLifecycleSupport: NO_EXTENDED_SUPPORT,
      storageEncrypted: true,
      kmsKeyId: kmsKeyArn,
      storageType: p.ioOptimized ? "aurora-iopt1" : undefined,
      iamDatabaseAuthenticationEnabled: true,
      dbSubnetGroupName: this.subnets.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      dbClusterParameterGroupName: this.parameters.name,
      port: POSTGRES_PORT,
      preferredMaintenanceWindow: p.maintenanceWindow,
      serverlessv2ScalingConfiguration: p.instanceClass === SERVERLESS ? { minCapacity: p.minCapacityAcu, maxCapacity: p.maxCapacityAcu } : undefined,
      copyTagsToSnapshot: true,
      deletionProtection: p.protectData,
      skipFinalSnapshot: !p.protectData,
      finalSnapshotIdentifier: p.protectData ? `${this.identifier}-final` : undefined,
      enabledCloudwatchLogsExports: ["postgresql"],
      applyImmediately: false,
      tags: { Name: this.identifier },
    };
  }

  /**
   * `count` instances of `cluster`, `<cluster>-a`, `-b`, ... in the zones in turn (the first,
   * which Aurora makes the writer of a new cluster, in the first zone), with their alarms.
   */
  instances(cluster: RdsCluster, count: number, performanceInsightsKeyArn: string | undefined): RdsClusterInstance[] {
    const p = this.props;
    const zones = p.network.zones.map((z) => z.zone);
    return Array.from({ length: count }, (_, i) => {
      const letter = String.fromCharCode(97 + i);
      const identifier = `${this.identifier}-${letter}`;
      const instance = new RdsClusterInstance(this.scope, `instance-${letter}`, {
        identifier,
        clusterIdentifier: cluster.id,
        engine: cluster.engine,
        instanceClass: p.instanceClass,
        availabilityZone: zones[i % zones.length],
        dbSubnetGroupName: this.subnets.name,
        publiclyAccessible: false,
        caCertIdentifier: RDS_CA,
        // Minor versions move with the cluster's engine_version setting (a global database
        // upgrades all its clusters together), never on their own.
        autoMinorVersionUpgrade: false,
        promotionTier: 1,
        performanceInsightsEnabled: true,
        performanceInsightsRetentionPeriod: PERFORMANCE_INSIGHTS_RETENTION_DAYS,
        performanceInsightsKmsKeyId: performanceInsightsKeyArn,
        monitoringInterval: p.monitoringIntervalSeconds,
        monitoringRoleArn: this.monitoringRoleArn,
        preferredMaintenanceWindow: p.maintenanceWindow,
        copyTagsToSnapshot: true,
        applyImmediately: false,
        tags: { Name: identifier },
      });
      this.instanceAlarms(letter, identifier);
      return instance;
    });
  }

  private instanceAlarms(letter: string, identifier: string): void {
    const p = this.props;
    const alarm = (what: string, metricName: string, comparison: "GreaterThanThreshold" | "LessThanThreshold", threshold: number, description: string) =>
      rdsAlarm(p.alerts, this.scope, `aurora-${letter}-${what}`, {
        metric: { namespace: "AWS/RDS", metricName, dimensions: { DBInstanceIdentifier: identifier } },
        comparison,
        threshold,
        description,
      });
    alarm(
      "cpu-high",
      "CPUUtilization",
      "GreaterThanThreshold",
      p.alarms.cpuPercent,
      `Aurora instance ${identifier}: CPU above ${p.alarms.cpuPercent}% for 10 minutes`,
    );
    alarm(
      "connections-high",
      "DatabaseConnections",
      "GreaterThanThreshold",
      p.alarms.connections,
      `Aurora instance ${identifier}: more than ${p.alarms.connections} connections`,
    );
    alarm(
      "local-storage-low",
      "FreeLocalStorage",
      "LessThanThreshold",
      p.alarms.freeLocalStorageGb * 1024 ** 3,
      `Aurora instance ${identifier}: free local storage below ${p.alarms.freeLocalStorageGb} GiB`,
    );
  }
}

export interface AuroraClusterProps extends AuroraClusterBaseProps {
  /** Reader instances beside the writer (0-15). */
  readonly readers: number;
  /** Name of the application database, created with a new cluster. */
  readonly databaseName: string;
  /** Master user of a new cluster. */
  readonly masterUsername: string;
  /** Days of automated backups (1-35), and their UTC daily window. */
  readonly backupRetentionDays: number;
  readonly backupWindow: string;
  /** Alarm thresholds: the instances' and the readers' lag (ms) behind the writer. */
  readonly alarms: AuroraInstanceAlarms & { readonly replicaLagMilliseconds: number };
  /** Customer-managed key of storage, Performance Insights and the master secret. @default AWS-managed keys */
  readonly key?: CustomerKey;
  /**
   * ARN of an RDS PostgreSQL instance this cluster replicates (a migration's first step): the
   * cluster starts as its Aurora read replica, with its data, user and database. @default a new, empty cluster
   */
  readonly replicationSourceArn?: string;
  /**
   * Identifier of the Aurora Global Database to create from this cluster, whose secondary the
   * DR standby adds by this name. @default not global
   */
  readonly globalClusterIdentifier?: string;
}

/**
 * Aurora PostgreSQL (seed "100,000+ users: Aurora"): a writer and `readers` readers in the other
 * zones, encrypted with the database key, TLS-only, IAM authentication, Performance Insights,
 * enhanced monitoring, log exports, deletion protection and a final snapshot where data is
 * protected, and alarms on each instance and on the readers' lag.
 *
 * The master password is RDS-managed in Secrets Manager, except in a global database, where AWS
 * does not support that ("Managing master user passwords with Secrets Manager isn't supported
 * for [...] DB clusters that are part of an Aurora global database", Aurora User Guide, "Password
 * management with Amazon Aurora and AWS Secrets Manager"): there the password is a random value
 * written once, write-only (never in state, plan or any file), that nobody holds, and the tasks
 * and people sign in with IAM (docs/operations.md says how to reset it when one must).
 */
export class AuroraCluster extends Construct implements ServiceDatabase {
  public readonly cluster: RdsCluster;
  public readonly instances: readonly RdsClusterInstance[];
  /** The global database, when this cluster is its primary. */
  public readonly globalCluster?: RdsGlobalCluster;
  /** Who may connect: `allowFrom(securityGroup)` opens PostgreSQL to another group. */
  public readonly securityGroup: SecurityGroup;
  /** ARN of the RDS-managed master-user secret, when there is one (not in a global database). */
  public readonly secretArn?: string;
  private readonly context: DeploymentContext;
  private readonly key?: CustomerKey;
  private readonly databaseName: string;

  constructor(scope: Construct, id: string, props: AuroraClusterProps) {
    super(scope, id);
    refuseInputs(this.node.path, capacityProblems(props));
    if (props.replicationSourceArn && props.globalClusterIdentifier) {
      throw new Error(
        `${this.node.path}: a cluster that replicates an RDS instance cannot be the primary of a global database. Fix: promote it first (docs/operations.md, "Moving to Aurora"), then make it global.`,
      );
    }
    this.context = props.context;
    this.key = props.key;
    this.databaseName = props.databaseName;
    const global = props.globalClusterIdentifier !== undefined;
    const parts = new AuroraClusterParts(this, props, "the dashboard Aurora cluster");
    this.securityGroup = parts.securityGroup;

    const replica = props.replicationSourceArn !== undefined;
    this.cluster = new RdsCluster(this, PRIMARY_ID, {
      ...parts.clusterSettings(props.key?.arn),
      replicationSourceIdentifier: props.replicationSourceArn,
      // A read replica takes its database, user and password from its source.
      databaseName: replica ? undefined : props.databaseName,
      masterUsername: replica ? undefined : props.masterUsername,
      manageMasterUserPassword: replica || global ? undefined : true,
      masterUserSecretKmsKeyId: replica || global ? undefined : props.key?.arn,
      // 122 random bits (crypto/rand), sent once at creation and kept nowhere.
      masterPasswordWo: !replica && global ? Fn.uuid() : undefined,
      masterPasswordWoVersion: !replica && global ? 1 : undefined,
      backupRetentionPeriod: props.backupRetentionDays,
      preferredBackupWindow: props.backupWindow,
      lifecycle: {
        ignoreChanges: [
          // Set at creation only: a cluster promoted from a replica of the instance has the
          // instance's, and a change would replace the cluster.
          "database_name",
          "master_username",
          // The global database adds this cluster (source_db_cluster_identifier) and, in a
          // global database, upgrades every member's engine version itself.
          "global_cluster_identifier",
          ...(global ? ["engine_version"] : []),
        ],
      },
    });
    this.securityGroup.usedBy(this.cluster);
    this.secretArn = !replica && !global ? this.cluster.masterUserSecret.get(0).secretArn : undefined;
    this.instances = parts.instances(this.cluster, 1 + props.readers, props.key?.arn);

    if (global) {
      this.globalCluster = new RdsGlobalCluster(this, "global", {
        globalClusterIdentifier: props.globalClusterIdentifier,
        sourceDbClusterIdentifier: this.cluster.arn,
        // The provider requires it with a source cluster; a destroy detaches the member clusters
        // (which keep their data and deletion protection) instead of failing.
        forceDestroy: true,
        deletionProtection: props.protectData,
        engineVersion: props.engineVersion,
      });
    }

    if (props.readers > 0) {
      props.alerts.alarm(this, "aurora-replica-lag", {
        ...this.metric("AuroraReplicaLagMaximum"),
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 5,
        comparison: "GreaterThanThreshold",
        threshold: props.alarms.replicaLagMilliseconds,
        description: `An Aurora reader is more than ${props.alarms.replicaLagMilliseconds} ms behind the writer for 5 minutes`,
        missing: "breaching",
      });
    }
  }

  /** Whether the tasks sign in with IAM (no password reaches them): in a global database. */
  get iamAuthentication(): boolean {
    return this.secretArn === undefined;
  }

  /** Lets the members of `other` connect to PostgreSQL (both sides' rules). */
  allowFrom(other: SecurityGroup): void {
    this.securityGroup.allowFrom(other, POSTGRES);
  }

  /** A cluster-level metric, e.g. `AuroraReplicaLagMaximum`, `DatabaseConnections`. */
  metric(metricName: string): Metric {
    return { namespace: "AWS/RDS", metricName, dimensions: { DBClusterIdentifier: this.cluster.clusterIdentifier } };
  }

  /**
   * Connection settings for the container: the writer (DB_HOST) and the readers (DB_READER_HOST),
   * and with IAM authentication the user to sign in as (docs/operations.md, "The image").
   */
  get containerEnvironment(): { name: string; value: string }[] {
    return [
      { name: "DB_HOST", value: this.cluster.endpoint },
      { name: "DB_READER_HOST", value: this.cluster.readerEndpoint },
      { name: "DB_PORT", value: String(POSTGRES_PORT) },
      { name: "DB_NAME", value: this.databaseName },
      ...(this.iamAuthentication
        ? [
            { name: "DB_USERNAME", value: APP_DB_USER },
            { name: "DB_IAM_AUTH", value: "true" },
          ]
        : []),
    ];
  }

  /** The master credentials as container secrets, where RDS manages them; none with IAM authentication. */
  get containerSecrets(): ContainerSecret[] {
    return this.secretArn
      ? [
          { name: "DB_USERNAME", valueFrom: `${this.secretArn}:username::` },
          { name: "DB_PASSWORD", valueFrom: `${this.secretArn}:password::` },
        ]
      : [];
  }

  /** Lets `service`'s tasks sign in: the master credentials through its execution role, or IAM authentication through its task role. */
  grantSignIn(service: Service): void {
    this.grantSecretRead(service.executionRole);
    if (this.iamAuthentication) this.grantConnect(service.taskRole);
  }

  /**
   * Lets `grantee` read the master-user secret, exactly this one, and decrypt it through
   * Secrets Manager only; nothing when there is no secret (IAM authentication).
   */
  grantSecretRead(grantee: Grantable): void {
    if (!this.secretArn) return;
    grantee.addStatements({ sid: "ReadAuroraSecret", effect: "Allow", actions: ["secretsmanager:GetSecretValue"], resources: [this.secretArn] });
    this.key?.grantViaService(grantee, "DecryptAuroraSecret", "secretsmanager", ["kms:Decrypt"]);
  }

  /** Lets `grantee` sign in as `user` with IAM authentication (rds-db:connect on this cluster and that user only). */
  grantConnect(grantee: Grantable, user = APP_DB_USER): void {
    grantIamConnect(grantee, this.context, "ConnectToAurora", this.cluster.clusterResourceId, user);
  }
}
