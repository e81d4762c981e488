import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { Construct } from "constructs";
import { PRIMARY_ID, resourceName } from "../naming";
import type { Alerts } from "./alerts";
import type { DeploymentContext } from "./context";
import { enhancedMonitoringRole, tlsOnlyParameters } from "./database";
import type { Network } from "./network";
import { SecurityGroup } from "./security-group";

export interface DatabaseReplicaProps {
  /** The DR region's context: account, region, partition, names. */
  readonly context: DeploymentContext;
  readonly network: Network;
  /**
   * ARN of the primary instance, built from settings (never read from the primary's state), so
   * the standby plans while the primary region is down.
   */
  readonly sourceArn: string;
  /** KMS key (ARN or alias ARN) of the DR region that encrypts the replica. */
  readonly kmsKeyId: string;
  /** PostgreSQL major version of the source, for the parameter group family. */
  readonly engineVersion: string;
  readonly instanceClass: string;
  readonly maxAllocatedStorageGb: number;
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
 */
export class DatabaseReplica extends Construct {
  public readonly instance: DbInstance;
  public readonly securityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: DatabaseReplicaProps) {
    super(scope, id);
    const { context } = props;
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
    const parameters = tlsOnlyParameters(this, identifier, props.engineVersion, "Standby PostgreSQL: TLS required");
    const monitoring = enhancedMonitoringRole(this, context, props.monitoringIntervalSeconds);

    this.instance = new DbInstance(this, PRIMARY_ID, {
      identifier,
      replicateSourceDb: props.promoted ? undefined : props.sourceArn,
      instanceClass: props.instanceClass,
      maxAllocatedStorage: props.maxAllocatedStorageGb,
      storageType: "gp3",
      storageEncrypted: true,
      kmsKeyId: props.kmsKeyId,
      dbSubnetGroupName: subnets.name,
      vpcSecurityGroupIds: [this.securityGroup.id],
      publiclyAccessible: false,
      iamDatabaseAuthenticationEnabled: true,
      parameterGroupName: parameters.name,
      caCertIdentifier: "rds-ca-rsa2048-g1",
      backupRetentionPeriod: props.promoted ? props.backupRetentionDays : 0,
      copyTagsToSnapshot: true,
      deletionProtection: props.protectData,
      skipFinalSnapshot: !props.protectData,
      finalSnapshotIdentifier: props.protectData ? `${identifier}-final` : undefined,
      autoMinorVersionUpgrade: true,
      performanceInsightsEnabled: true,
      performanceInsightsRetentionPeriod: 7,
      performanceInsightsKmsKeyId: props.kmsKeyId,
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
}
