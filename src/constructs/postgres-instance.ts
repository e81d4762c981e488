import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import type { Construct } from "constructs";
import type { DatabaseConfig } from "../config/schema";
import { PRIMARY_ID } from "../config/naming";
import type { DeploymentContext } from "./context";
import type { Network } from "./network";
import { enhancedMonitoringRole, NO_EXTENDED_SUPPORT, PERFORMANCE_INSIGHTS_RETENTION_DAYS, RDS_CA, tlsOnlyParameters } from "./rds";
import { SecurityGroup } from "./security-group";

/** What only a database created from nothing sets; a replica takes it from its source. */
export const NEW_DATABASE_SETTINGS = [
  "allocatedStorageGb",
  "databaseName",
  "masterUsername",
  "multiAz",
  "backupWindow",
  "maintenanceWindow",
] as const satisfies readonly (keyof DatabaseConfig)[];
export type NewDatabaseSettings = Readonly<Pick<DatabaseConfig, (typeof NEW_DATABASE_SETTINGS)[number]>>;

/** The settings every instance shape takes, a database of its own or a replica (config/schema.ts describes each). */
export const INSTANCE_SETTINGS = [
  "engineVersion",
  "instanceClass",
  "maxAllocatedStorageGb",
  "monitoringIntervalSeconds",
  "backupRetentionDays",
  "protectData",
] as const;

export interface PostgresInstanceProps {
  readonly context: DeploymentContext;
  /** Identifier of the instance; also the name of its subnet and security groups. */
  readonly identifier: string;
  readonly network: Network;
  /** How the security group's rules name its members, and its console description. */
  readonly securityGroup: { readonly members: string; readonly description: string };
  /** Console description of the TLS-only parameter group. */
  readonly parametersDescription: string;
  /** PostgreSQL version (a major lets RDS upgrade minors); its major names the parameter group's family. */
  readonly engineVersion: string;
  readonly instanceClass: string;
  /** Storage autoscaling ceiling in GB. */
  readonly maxAllocatedStorageGb: number;
  /** Seconds between enhanced-monitoring samples; 0 turns it off. */
  readonly monitoringIntervalSeconds: number;
  /** Days of automated backups of a database of its own. */
  readonly backupRetentionDays: number;
  /** Deletion protection, and a final snapshot of a database of its own. */
  readonly protectData: boolean;
  /** KMS key of storage and Performance Insights (and of a new database's master secret). @default AWS-managed keys */
  readonly keyArn?: string;
  /**
   * The instance is a read replica of the instance with this ARN: it keeps no backups and takes
   * no final snapshot (RDS refuses one for a replica). Removing it promotes the replica in place.
   * @default a database of its own
   */
  readonly replicateSourceArn?: string;
  /**
   * A database created from nothing, with these settings and its master password managed by RDS
   * in Secrets Manager. @default none: the instance started as a replica, which has them from its source
   */
  readonly created?: NewDatabaseSettings;
}

/** A PostgreSQL instance and what only it uses. */
export interface PostgresInstance {
  readonly instance: DbInstance;
  /** Who may connect: no rule until one is added (`allowFrom`). */
  readonly securityGroup: SecurityGroup;
}

/**
 * The one shape of a PostgreSQL instance of this project (as terraform-aws-rds has one instance
 * shape, a replica being one with `replicate_source_db`), built in `scope` with the ids
 * `subnets`, `security-group`, `parameters`, `monitoring-role` and the instance itself
 * (`PRIMARY_ID`): private, gp3, encrypted, TLS only, IAM authentication, enhanced monitoring,
 * Performance Insights and log exports, deletion protection where data is protected.
 */
export function postgresInstance(scope: Construct, props: PostgresInstanceProps): PostgresInstance {
  const { identifier, created } = props;
  const subnets = new DbSubnetGroup(scope, "subnets", {
    name: identifier,
    subnetIds: props.network.privateSubnetIds,
    tags: { Name: identifier },
  });
  const securityGroup = new SecurityGroup(scope, "security-group", {
    network: props.network,
    name: identifier,
    label: "db",
    ...props.securityGroup,
  });
  const parameters = tlsOnlyParameters(scope, identifier, props.engineVersion, props.parametersDescription);
  const monitoring = enhancedMonitoringRole(scope, props.context, props.monitoringIntervalSeconds);
  const replica = props.replicateSourceArn !== undefined;
  const finalSnapshot = props.protectData && !replica;
  const instance = new DbInstance(scope, PRIMARY_ID, {
    identifier,
    replicateSourceDb: props.replicateSourceArn,
    ...(created && {
      engine: "postgres",
      engineVersion: props.engineVersion,
      allocatedStorage: created.allocatedStorageGb,
      dbName: created.databaseName,
      username: created.masterUsername,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: props.keyArn,
      multiAz: created.multiAz,
      backupWindow: created.backupWindow,
      maintenanceWindow: created.maintenanceWindow,
      engineLifecycleSupport: NO_EXTENDED_SUPPORT,
    }),
    instanceClass: props.instanceClass,
    maxAllocatedStorage: props.maxAllocatedStorageGb,
    storageType: "gp3",
    storageEncrypted: true,
    kmsKeyId: props.keyArn,
    iamDatabaseAuthenticationEnabled: true,
    dbSubnetGroupName: subnets.name,
    vpcSecurityGroupIds: [securityGroup.id],
    publiclyAccessible: false,
    parameterGroupName: parameters.name,
    caCertIdentifier: RDS_CA,
    backupRetentionPeriod: replica ? 0 : props.backupRetentionDays,
    copyTagsToSnapshot: true,
    deletionProtection: props.protectData,
    // RDS takes no final snapshot of a read replica and refuses a delete that asks for one
    // ("FinalDBSnapshotIdentifier can not be specified when deleting a replica instance",
    // terraform-provider-aws#4276); once promoted, it is a database of its own and keeps one.
    skipFinalSnapshot: !finalSnapshot,
    finalSnapshotIdentifier: finalSnapshot ? `${identifier}-final` : undefined,
    enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
    autoMinorVersionUpgrade: true,
    performanceInsightsEnabled: true,
    performanceInsightsRetentionPeriod: PERFORMANCE_INSIGHTS_RETENTION_DAYS,
    performanceInsightsKmsKeyId: props.keyArn,
    monitoringInterval: props.monitoringIntervalSeconds,
    monitoringRoleArn: monitoring?.arn,
    applyImmediately: false,
    tags: { Name: identifier },
  });
  securityGroup.usedBy(instance);
  return { instance, securityGroup };
}
