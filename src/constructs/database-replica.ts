import type { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { Construct } from "constructs";
import { pick } from "../config/pick";
import type { DatabaseConfig } from "../config/schema";
import { dbInstanceName } from "../config/naming";
import type { Alerts } from "./alerts";
import type { DeploymentContext } from "./context";
import type { Grantable } from "./iam";
import type { CustomerKey } from "./keys";
import type { Network } from "./network";
import { INSTANCE_SETTINGS, postgresInstance } from "./postgres-instance";
import { APP_DB_USER, grantIamConnect, POSTGRES, POSTGRES_PORT } from "./rds";
import type { SecurityGroup } from "./security-group";
import type { Service, ServiceDatabase } from "./service";

/**
 * The database settings a replica is built from, its source's (config/schema.ts describes each):
 * the engine version names the parameter group's family (majorUpgradeFrom's while an upgrade is under way); the replica starts with its source's
 * storage and grows to maxAllocatedStorageGb; backupRetentionDays applies once promoted.
 */
export const REPLICA_SETTINGS = [
  "engineVersion",
  "majorUpgradeFrom",
  "instanceClass",
  "maxAllocatedStorageGb",
  "databaseName",
  "monitoringIntervalSeconds",
  "backupRetentionDays",
] as const satisfies readonly (keyof DatabaseConfig)[];

export interface DatabaseReplicaProps extends Readonly<Pick<DatabaseConfig, (typeof REPLICA_SETTINGS)[number]>> {
  /** The DR region's context: account, region, partition, names. */
  readonly context: DeploymentContext;
  readonly network: Network;
  /**
   * ARN of the primary instance, built from settings (never read from the primary's state), so
   * the standby plans while the primary region is down.
   */
  readonly sourceArn: string;
  /**
   * The standby region's key of its storage and Performance Insights: a key of the standby's own
   * stack, given by its ARN (what RDS stores; an alias plans a replacement after every deploy).
   */
  readonly key: CustomerKey;
  /**
   * Promoted: a standalone database (after a failover), keeping backups for backupRetentionDays.
   * A replica keeps none of its own (the source's backups and their copies do).
   */
  readonly promoted: boolean;
  /** Deletion protection and a final snapshot (of the promoted database). */
  readonly protectData: boolean;
  /** Where the replica-lag alarm goes, and the lag (seconds) that fires it. */
  readonly alerts: Alerts;
  readonly lagAlarmSeconds: number;
}

/**
 * An encrypted cross-region read replica of the environment's PostgreSQL (seed "Disaster
 * Recovery: RDS cross-region read replica"): TLS-only like its source, enhanced monitoring,
 * Performance Insights, a ReplicaLag alarm. Promotion is a change of `promoted`, planned as an
 * in-place update (the provider promotes when replicate_source_db goes away).
 *
 * Its storage and Performance Insights are encrypted with the standby stack's database key: RDS
 * needs a key of the destination region for a cross-region encrypted replica and stores the
 * key's ARN, and only a key of the standby's stack has an ARN known without reading the
 * primary's state or calling AWS (a data source would break the offline plan). An alias there
 * would plan a replacement after every deploy (policy rule AWS-3).
 */
export class DatabaseReplica extends Construct implements ServiceDatabase {
  public readonly instance: DbInstance;
  public readonly securityGroup: SecurityGroup;
  /** The replica's key: its storage and Performance Insights. */
  public readonly key: CustomerKey;
  private readonly context: DeploymentContext;
  private readonly databaseName: string;

  constructor(scope: Construct, id: string, props: DatabaseReplicaProps) {
    super(scope, id);
    const { context } = props;
    this.context = context;
    this.databaseName = props.databaseName;
    this.key = props.key;
    ({ instance: this.instance, securityGroup: this.securityGroup } = postgresInstance(this, {
      context,
      identifier: dbInstanceName(context.names),
      network: props.network,
      securityGroup: { members: "the standby database", description: "Standby PostgreSQL: no ingress until a standby service is let in, no egress" },
      parametersDescription: "Standby PostgreSQL: TLS required",
      ...pick(props, INSTANCE_SETTINGS),
      keyArn: this.key.arn,
      replicateSourceArn: props.promoted ? undefined : props.sourceArn,
    }));

    if (!props.promoted) {
      props.alerts.alarm(this, "lag", {
        namespace: "AWS/RDS",
        metricName: "ReplicaLag",
        dimensions: { DBInstanceIdentifier: this.instance.identifier },
        statistic: "Maximum",
        period: 60,
        evaluationPeriods: 5,
        comparison: "GreaterThanThreshold",
        threshold: props.lagAlarmSeconds,
        description: `The DR replica is more than ${props.lagAlarmSeconds} s behind its source for 5 minutes`,
        // A replica that stops reporting is not replicating.
        missing: "breaching",
      });
    }
  }

  /** Lets members of `other` reach the database on PostgreSQL's port. */
  allowFrom(other: SecurityGroup): void {
    this.securityGroup.allowFrom(other, POSTGRES);
  }

  /**
   * Lets `grantee` connect as `user` with IAM database authentication (rds-db:connect on this
   * instance's resource id and that user only).
   */
  grantConnect(grantee: Grantable, user = APP_DB_USER): void {
    grantIamConnect(grantee, this.context, "ConnectToStandbyDatabase", this.instance.resourceId, user);
  }

  /** Lets `service`'s tasks sign in as the standby's user with IAM authentication. */
  grantSignIn(service: Service): void {
    this.grantConnect(service.taskRole);
  }

  /** Connection settings for a standby container: the replica's address, IAM authentication as APP_DB_USER. */
  get containerEnvironment(): { name: string; value: string }[] {
    const user = APP_DB_USER;
    return [
      { name: "DB_HOST", value: this.instance.address },
      { name: "DB_PORT", value: String(POSTGRES_PORT) },
      { name: "DB_NAME", value: this.databaseName },
      { name: "DB_USERNAME", value: user },
      { name: "DB_IAM_AUTH", value: "true" },
    ];
  }
}
