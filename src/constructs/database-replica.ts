import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { Construct } from "constructs";
import { PRIMARY_ID, resourceName } from "../naming";
import type { Alerts } from "./alerts";
import type { DeploymentContext } from "./context";
import { enhancedMonitoringRole, grantIamConnect, POSTGRES, POSTGRES_PORT, tlsOnlyParameters } from "./database";
import type { Grantable } from "./iam";
import type { CustomerKey } from "./keys";
import type { Network } from "./network";
import { SecurityGroup } from "./security-group";
import type { Service, ServiceDatabase } from "./service";

/**
 * The database user a standby service connects as, with IAM database authentication: the
 * primary's master secret lives in the primary region, so the standby uses no password. Created
 * once on the primary (`CREATE USER dashboard_app; GRANT rds_iam TO dashboard_app;` plus the
 * app's grants, docs/disaster-recovery.md); the replica has it from replication.
 */
export const STANDBY_DB_USER = "dashboard_app";

export interface DatabaseReplicaProps {
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
  /** PostgreSQL major version of the source, for the parameter group family. */
  readonly engineVersion: string;
  readonly instanceClass: string;
  /** Storage autoscaling ceiling in GB; the replica starts with its source's storage. */
  readonly maxAllocatedStorageGb: number;
  /** Name of the application database (the source's). */
  readonly databaseName: string;
  /** Seconds between enhanced-monitoring samples; 0 turns it off. */
  readonly monitoringIntervalSeconds: number;
  /**
   * Promoted: a standalone database (after a failover), keeping backups for backupRetentionDays.
   * A replica keeps none of its own (the source's backups and their copies do).
   */
  readonly promoted: boolean;
  readonly backupRetentionDays: number;
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
    const identifier = resourceName(context.names, "db");

    const subnets = new DbSubnetGroup(this, "subnets", {
      name: identifier,
      subnetIds: props.network.privateSubnetIds,
      tags: { Name: identifier },
    });
    this.securityGroup = new SecurityGroup(this, "security-group", {
      network: props.network,
      name: identifier,
      label: "db",
      members: "the standby database",
      description: "Standby PostgreSQL: no ingress until a standby service is let in, no egress",
    });
    this.key = props.key;
    const parameters = tlsOnlyParameters(this, identifier, props.engineVersion, "Standby PostgreSQL: TLS required");
    const monitoring = enhancedMonitoringRole(this, context, props.monitoringIntervalSeconds);

    this.instance = new DbInstance(this, PRIMARY_ID, {
      identifier,
      replicateSourceDb: props.promoted ? undefined : props.sourceArn,
      instanceClass: props.instanceClass,
      maxAllocatedStorage: props.maxAllocatedStorageGb,
      storageType: "gp3",
      storageEncrypted: true,
      kmsKeyId: this.key.arn,
      dbSubnetGroupName: subnets.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      publiclyAccessible: false,
      iamDatabaseAuthenticationEnabled: true,
      parameterGroupName: parameters.name,
      caCertIdentifier: "rds-ca-rsa2048-g1",
      backupRetentionPeriod: props.promoted ? props.backupRetentionDays : 0,
      copyTagsToSnapshot: true,
      deletionProtection: props.protectData,
      // RDS takes no final snapshot of a read replica and refuses a delete that asks for one
      // ("FinalDBSnapshotIdentifier can not be specified when deleting a replica instance",
      // terraform-provider-aws#4276); once promoted, it is a database of its own and keeps one.
      skipFinalSnapshot: !(props.protectData && props.promoted),
      finalSnapshotIdentifier: props.protectData && props.promoted ? `${identifier}-final` : undefined,
      autoMinorVersionUpgrade: true,
      performanceInsightsEnabled: true,
      performanceInsightsRetentionPeriod: 7,
      performanceInsightsKmsKeyId: this.key.arn,
      monitoringInterval: props.monitoringIntervalSeconds,
      monitoringRoleArn: monitoring?.arn,
      enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
      applyImmediately: false,
      tags: { Name: identifier },
    });

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
  grantConnect(grantee: Grantable, user = STANDBY_DB_USER): void {
    grantIamConnect(grantee, this.context, "ConnectToStandbyDatabase", this.instance.resourceId, user);
  }

  /** Lets `service`'s tasks sign in as the standby's user with IAM authentication. */
  grantSignIn(service: Service): void {
    this.grantConnect(service.taskRole);
  }

  /** Connection settings for a standby container: the replica's address, IAM authentication as STANDBY_DB_USER. */
  get containerEnvironment(): { name: string; value: string }[] {
    const user = STANDBY_DB_USER;
    return [
      { name: "DB_HOST", value: this.instance.address },
      { name: "DB_PORT", value: String(POSTGRES_PORT) },
      { name: "DB_NAME", value: this.databaseName },
      { name: "DB_USERNAME", value: user },
      { name: "DB_IAM_AUTH", value: "true" },
    ];
  }
}
