import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import type { Construct } from "constructs";
import { majorOf, RDS_POSTGRESQL_MAJORS } from "../config/engines";
import { PRIMARY_ID } from "../config/naming";
import { asProps, type NameOf, type Problem, refuseInputs } from "../config/problem";
import type { DatabaseConfig } from "../config/schema";
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
  "majorUpgradeFrom",
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
  /**
   * A major upgrade is under way from this major to engineVersion's: the group of this major's
   * family stays (the instance uses it until RDS has upgraded it), a database of its own gets the
   * new family's group beside it and allow_major_version_upgrade, and a replica keeps the old
   * group (RDS takes a replica's new group only after the upgrade). @default no upgrade under way
   */
  readonly majorUpgradeFrom?: string;
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
 * The input rule of a major upgrade, which the settings validation reports too (as database.*):
 * it goes from a major RDS offers for PostgreSQL to a later one (config/engines.ts).
 */
export function majorUpgradeProblems(props: Pick<PostgresInstanceProps, "engineVersion" | "majorUpgradeFrom">, at: NameOf = asProps): Problem[] {
  const from = props.majorUpgradeFrom;
  if (from === undefined) return [];
  const to = majorOf(props.engineVersion);
  const offered = RDS_POSTGRESQL_MAJORS.join(", ");
  const problems: Problem[] = [];
  if (!RDS_POSTGRESQL_MAJORS.includes(from)) {
    problems.push({
      path: at("majorUpgradeFrom"),
      message: `"${from}" is not a major version RDS offers for PostgreSQL (${offered}), so no instance runs it. Fix: write the major the instance runs now (aws rds describe-db-instances --query "DBInstances[*].EngineVersion").`,
    });
  } else if (!RDS_POSTGRESQL_MAJORS.includes(to)) {
    problems.push({
      path: at("engineVersion"),
      message: `"${props.engineVersion}": RDS has released no PostgreSQL ${to} to upgrade ${from} to (it offers ${offered}). Fix: upgrade to a released major, e.g. "${RDS_POSTGRESQL_MAJORS[RDS_POSTGRESQL_MAJORS.length - 1]}".`,
    });
  } else if (Number(to) <= Number(from)) {
    problems.push({
      path: at("majorUpgradeFrom"),
      message: `is "${from}" while ${at("engineVersion")} "${props.engineVersion}" is ${to === from ? "the same major" : "an earlier major"}: RDS upgrades to a later major only and never downgrades. Fix: set ${at("engineVersion")} to a later major than ${from} (${RDS_POSTGRESQL_MAJORS.filter((m) => Number(m) > Number(from)).join(", ") || "none released yet"}), or remove ${at("majorUpgradeFrom")} once the upgrade is done.`,
    });
  }
  return problems;
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
  refuseInputs(scope.node.path, majorUpgradeProblems(props));
  const major = majorOf(props.engineVersion);
  // The group the instance uses keeps the id `parameters` (and its address) through an upgrade:
  // RDS keeps an instance on it until the upgrade runs in the maintenance window, and gives a
  // replica a group of the new family only once its source's upgrade is done (RDS User Guide,
  // "How to perform a major version upgrade for RDS for PostgreSQL": "You can apply a custom
  // parameter group to a read replica only after the upgrade completes"). The new family's group
  // is created beside it, named by its family, so the upgrade destroys no group in use.
  const inUse = tlsOnlyParameters(scope, "parameters", identifier, props.majorUpgradeFrom ?? major, props.parametersDescription);
  const upgrading = created !== undefined && props.majorUpgradeFrom !== undefined;
  const parameters = upgrading ? tlsOnlyParameters(scope, `parameters-postgres${major}`, identifier, major, props.parametersDescription) : inUse;
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
    // Only while upgrading: set for good, any later change of engineVersion could start an
    // upgrade nobody planned. The upgrade waits for the maintenance window (applyImmediately).
    allowMajorVersionUpgrade: upgrading ? true : undefined,
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
