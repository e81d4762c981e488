import type { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbInstanceAutomatedBackupsReplication } from "@cdktf/provider-aws/lib/db-instance-automated-backups-replication";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { parseDailyWindow, parseWeeklyWindow, windowsOverlap } from "../aws/windows";
import { pick } from "../config/pick";
import { asProps, type NameOf, type Problem, refuseInputs } from "../config/problem";
import type { DatabaseConfig } from "../config/schema";
import { dbInstanceName } from "../config/naming";
import type { Alerts } from "./alerts";
import type { DeploymentContext } from "./context";
import type { Grantable } from "./iam";
import type { CustomerKey } from "./keys";
import type { Metric } from "./metric";
import type { Network } from "./network";
import { INSTANCE_SETTINGS, NEW_DATABASE_SETTINGS, postgresInstance } from "./postgres-instance";
import { POSTGRES, POSTGRES_PORT, rdsAlarm } from "./rds";
import type { SecurityGroup } from "./security-group";
import type { ContainerSecret, Service, ServiceDatabase } from "./service";

/** The database settings the RDS instance is built from (config/schema.ts describes each). */
export const DATABASE_SETTINGS = [
  ...NEW_DATABASE_SETTINGS,
  "engineVersion",
  "majorUpgradeFrom",
  "instanceClass",
  "maxAllocatedStorageGb",
  "backupRetentionDays",
  "monitoringIntervalSeconds",
  "replicateBackupsToDr",
  "alarms",
] as const satisfies readonly (keyof DatabaseConfig)[];

/** The database's input rule, which the settings validation reports too (as database.*): storage autoscaling grows, never shrinks. */
export function storageCeilingProblems(storage: Pick<DatabaseProps, "allocatedStorageGb" | "maxAllocatedStorageGb">, at: NameOf = asProps): Problem[] {
  const { allocatedStorageGb, maxAllocatedStorageGb } = storage;
  return maxAllocatedStorageGb < allocatedStorageGb
    ? [
        {
          path: at("maxAllocatedStorageGb"),
          message: `${maxAllocatedStorageGb} is below ${at("allocatedStorageGb")} ${allocatedStorageGb}. Fix: set the autoscaling ceiling at or above the allocated storage (seed: 20 -> 100).`,
        },
      ]
    : [];
}

/**
 * The database's input rule for its windows, which the settings validation reports too (as
 * database.*): RDS refuses a backup window that conflicts with the maintenance window
 * (src/aws/windows.ts). A window of the wrong form is the schema's to report.
 */
export function backupWindowProblems(windows: Pick<DatabaseProps, "backupWindow" | "maintenanceWindow">, at: NameOf = asProps): Problem[] {
  const [backup, maintenance] = [parseDailyWindow(windows.backupWindow), parseWeeklyWindow(windows.maintenanceWindow)];
  return backup && maintenance && windowsOverlap(backup, maintenance)
    ? [
        {
          path: at("backupWindow"),
          message: `"${windows.backupWindow}" overlaps ${at("maintenanceWindow")} "${windows.maintenanceWindow}"; RDS refuses a backup window that conflicts with the maintenance window. Fix: move one of them so that they share no minute (the presets: backup "03:00-04:00", maintenance "sun:04:30-sun:05:30").`,
        },
      ]
    : [];
}

export interface DatabaseProps extends Readonly<Pick<DatabaseConfig, (typeof DATABASE_SETTINGS)[number]>> {
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
    refuseInputs(this.node.path, [...storageCeilingProblems(props), ...backupWindowProblems(props)]);
    this.key = props.key;
    const identifier = dbInstanceName(props.context.names);
    ({ instance: this.instance, securityGroup: this.securityGroup } = postgresInstance(this, {
      context: props.context,
      identifier,
      network: props.network,
      securityGroup: { members: "the dashboard database", description: "PostgreSQL: 5432 from the dashboard tasks only, no egress" },
      parametersDescription: "Dashboard PostgreSQL: TLS required",
      ...pick(props, INSTANCE_SETTINGS),
      keyArn: props.key?.arn,
      created: pick(props, NEW_DATABASE_SETTINGS),
    }));
    this.secretArn = this.instance.masterUserSecret.get(0).secretArn;

    if (props.replicateBackupsToDr) {
      new DbInstanceAutomatedBackupsReplication(this, "backups-to-dr", {
        provider: props.drProvider,
        sourceDbInstanceArn: this.instance.arn,
        retentionPeriod: props.backupRetentionDays,
        kmsKeyId: props.drKey?.arn,
      });
    }

    const { alarms } = props;
    const alarm = (id: string, metricName: string, comparison: "GreaterThanThreshold" | "LessThanThreshold", threshold: number, description: string) =>
      rdsAlarm(props.alerts, this, id, { metric: this.metric(metricName), comparison, threshold, description });
    alarm("db-cpu-high", "CPUUtilization", "GreaterThanThreshold", alarms.cpuPercent, `Database CPU above ${alarms.cpuPercent}% for 10 minutes`);
    alarm(
      "db-storage-low",
      "FreeStorageSpace",
      "LessThanThreshold",
      alarms.freeStorageGb * 1024 ** 3,
      `Database free storage below ${alarms.freeStorageGb} GiB`,
    );
    alarm("db-connections-high", "DatabaseConnections", "GreaterThanThreshold", alarms.connections, `More than ${alarms.connections} database connections`);
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
