import { capacityProblems } from "../../constructs/aurora";
import { backupWindowProblems, storageCeilingProblems } from "../../constructs/database";
import { majorUpgradeProblems } from "../../constructs/postgres-instance";
import { auroraClusterName, drStackName, globalClusterName, rdsIdentifierProblems } from "../../config/naming";
import { atLeast, AURORA_POSTGRESQL_MAJORS, majorOf } from "../../config/engines";
import { inSection, type Problem } from "../../config/problem";
import type { EnvironmentConfig } from "../../config/schema";
import type { Rule } from "./rule";

/** Storage autoscaling grows, by the Database construct's rule. */
export const databaseStorageCeiling: Rule = (c) => storageCeilingProblems(c.database, inSection("database"));

/** The backup window stays clear of the maintenance window, by the Database construct's rule (the Aurora cluster takes the same windows). */
export const backupClearOfMaintenance: Rule = (c) => (c.database.enabled ? backupWindowProblems(c.database, inSection("database")) : []);

export const protectedDataKeepsBackups: Rule = (c) =>
  c.database.enabled && c.protectData && c.database.backupRetentionDays < 1
    ? [
        {
          path: "database.backupRetentionDays",
          message: "is 0 (no automated backups) while protectData is on. Fix: keep at least 1 day (seed: 7 in prod).",
        },
      ]
    : [];

/** Whether the environment has an Aurora cluster: its engine, or the first step of a migration. */
export const hasAurora = (c: EnvironmentConfig): boolean =>
  c.database.enabled && (c.database.engine === "aurora-postgresql" || c.database.migration === "replicating");

/** Whether the environment keeps its RDS PostgreSQL instance (the app's database, or kept beside Aurora). */
export const hasInstance = (c: EnvironmentConfig): boolean =>
  c.database.enabled && (c.database.engine === "postgres" || c.database.migration !== "instance-retired");

/**
 * database.multiAz acts on the RDS instance only: set where there is none, it would do nothing
 * (the Aurora cluster's zones come from database.aurora.readers). Only the settings' own value is
 * refused; the presets' is a default for when the database is turned on.
 */
export const multiAzNeedsInstance: Rule = (c, given) => {
  const multiAz = given.database?.multiAz;
  if (multiAz === undefined || hasInstance(c)) return [];
  const fix = c.database.enabled
    ? "remove database.multiAz: the Aurora cluster spreads its instances over the zones by database.aurora.readers (at least 1 for a failover target in another zone)"
    : "set database.enabled to true to create the database, or set database.multiAz only for the environments that have one (environments.<name>.database.multiAz)";
  return [
    {
      path: "database.multiAz",
      message: `is ${multiAz} but the environment has no RDS instance (${c.database.enabled ? 'database.migration is "instance-retired"' : "database.enabled is false"}), so it would do nothing. Fix: ${fix}.`,
    },
  ];
};

/**
 * A major upgrade of the RDS instance goes from a major RDS offers to a later one, by the
 * instance's rule; where there is no instance, the setting would do nothing. Whether the instance
 * runs that major now, only the change review can tell (it plans against what was deployed).
 */
export const majorUpgradePath: Rule = (c) => {
  const from = c.database.majorUpgradeFrom;
  if (from === undefined) return [];
  if (hasInstance(c)) return majorUpgradeProblems(c.database, inSection("database"));
  return [
    {
      path: "database.majorUpgradeFrom",
      message: `is "${from}" but the environment has no RDS instance (${c.database.enabled ? 'database.migration is "instance-retired"' : "database.enabled is false"}), so there is nothing to upgrade. Fix: remove database.majorUpgradeFrom (an Aurora cluster's version is database.aurora.engineVersion).`,
    },
  ];
};

/** Whether the Aurora cluster is the primary of a global database whose secondary is the DR standby's. */
export const hasGlobalDatabase = (c: EnvironmentConfig): boolean =>
  c.dr.enabled && c.dr.databaseReplica && c.database.enabled && c.database.engine === "aurora-postgresql";

/** Whether the tasks use Aurora while the RDS instance is still in the configuration (a move not yet retired). */
export const keepsInstanceBesideAurora = (c: EnvironmentConfig): boolean =>
  c.database.enabled && c.database.engine === "aurora-postgresql" && (c.database.migration === "instance-kept" || c.database.migration === "promoted");

/** An Aurora version must be one AWS has released (its major in config/engines.ts). */
export const auroraVersionExists: Rule = (c) => {
  if (!hasAurora(c)) return [];
  const version = c.database.aurora.engineVersion;
  const major = majorOf(version);
  const known = Object.keys(AURORA_POSTGRESQL_MAJORS);
  if (!(major in AURORA_POSTGRESQL_MAJORS)) {
    return [
      {
        path: "database.aurora.engineVersion",
        message: `"${version}": ${major} is not an Aurora PostgreSQL major version (AWS has released ${known.join(", ")}). Fix: use a released major, e.g. its long-term-support minor "${AURORA_POSTGRESQL_MAJORS[known[known.length - 1]].lts}".`,
      },
    ];
  }
  return [];
};

/** During a migration the Aurora cluster replicates the instance, which needs the same major. */
export const migrationKeepsMajor: Rule = (c) => {
  const d = c.database;
  if (d.enabled && d.engine === "postgres" && (d.migration === "instance-retired" || d.migration === "promoted")) {
    return [
      {
        path: "database.migration",
        message: `is "${d.migration}" while database.engine is "postgres": the tasks use the instance. Fix: keep "instance-kept" (the default), or move to Aurora first (npm run migrate, docs/operations.md "Moving to Aurora").`,
      },
    ];
  }
  if (!d.enabled || d.migration !== "replicating") return [];
  const problems: Problem[] = [];
  if (d.engine !== "postgres") {
    problems.push({
      path: "database.migration",
      message: `is "replicating" while database.engine is "${d.engine}": while the Aurora cluster replicates the instance, the tasks stay on the instance. Fix: keep database.engine "postgres" until the promotion (docs/operations.md, "Moving to Aurora"), then set engine "aurora-postgresql" and migration "promoted".`,
    });
  }
  if (majorOf(d.aurora.engineVersion) !== majorOf(d.engineVersion)) {
    problems.push({
      path: "database.aurora.engineVersion",
      message: `"${d.aurora.engineVersion}" is another major than the instance's database.engineVersion "${d.engineVersion}"; an Aurora read replica of an RDS PostgreSQL instance runs the same major. Fix: pick an Aurora ${majorOf(d.engineVersion)}.x version at or above the instance's, e.g. "${AURORA_POSTGRESQL_MAJORS[majorOf(d.engineVersion)]?.lts ?? `${majorOf(d.engineVersion)}.x`}", and upgrade the major after the move.`,
    });
  }
  return problems;
};

/** Serverless v2's capacity range, by the AuroraCluster construct's rule. */
export const auroraCapacityRange: Rule = (c) => capacityProblems(c.database.aurora, inSection("database.aurora"));

/** Aurora's physical names follow RDS's naming rules. */
export const auroraNamesValid: Rule = (c) => {
  if (!hasAurora(c)) return [];
  const primary = { project: c.project, environment: c.environment };
  const names = [
    `${auroraClusterName(primary)}-${String.fromCharCode(97 + c.database.aurora.readers)}`,
    globalClusterName(primary),
    `${auroraClusterName({ ...primary, environment: drStackName(c.environment) })}-a`,
  ];
  return names.flatMap((name) =>
    rdsIdentifierProblems(name).map((problem) => ({
      path: "project",
      message: `gives the Aurora identifier ${problem}. Fix: shorten project or environment.`,
    })),
  );
};

/** The DR standby's Aurora secondary needs its own DB subnet group: subnets in two DR zones. */
export const globalDatabaseNeedsDrSubnets: Rule = (c) =>
  hasGlobalDatabase(c) && (new Set(c.dr.availabilityZones).size < 2 || c.dr.privateSubnetCidrs.length < 2)
    ? [
        {
          path: "dr.privateSubnetCidrs",
          message: `lists ${c.dr.privateSubnetCidrs.length} subnet(s) in ${new Set(c.dr.availabilityZones).size} DR zone(s) while the Aurora global database puts its secondary cluster in ${c.stateRegion}: a DB subnet group needs subnets in at least 2 zones. Fix: list 2 dr.availabilityZones of ${c.stateRegion} and one private CIDR each inside dr.vpcCidr (e.g. "10.1.10.0/24", "10.1.11.0/24"), or set dr.databaseReplica to false.`,
        },
      ]
    : [];

/** A standby that serves with Aurora forwards its writes to the primary, which its version must support. */
export const writeForwardingSupported: Rule = (c) => {
  if (!hasGlobalDatabase(c) || c.dr.mode === "pilot-light") return [];
  const version = c.database.aurora.engineVersion;
  // A major AWS never released is auroraVersionExists's to report.
  if (!(majorOf(version) in AURORA_POSTGRESQL_MAJORS)) return [];
  const from = AURORA_POSTGRESQL_MAJORS[majorOf(version)].writeForwardingFrom;
  return from && atLeast(version, from)
    ? []
    : [
        {
          path: "database.aurora.engineVersion",
          message: `"${version}" has no global write forwarding, which the standby in ${c.dr.mode} needs to save what its users write (Aurora User Guide: 16 and later, 15.4+, 14.9+). Fix: use e.g. "${AURORA_POSTGRESQL_MAJORS["16"].lts}" or "15.10", or dr.mode "pilot-light".`,
        },
      ];
};

/** Both regions serve only with Aurora: a PostgreSQL replica cannot take the standby's writes. */
export const servingNeedsAurora: Rule = (c) => {
  const problems: Problem[] = [];
  // Without dr.databaseReplica, drStandbyHasReplica says so.
  if (c.dr.enabled && c.dr.mode === "serving" && c.database.enabled && c.database.engine === "postgres") {
    problems.push({
      path: "dr.mode",
      message:
        'is "serving" but the tasks use the RDS instance, whose DR replica refuses writes: the standby could not save what its users write (and "active" would promote the replica). Fix: use database.engine "aurora-postgresql" (a global database with write forwarding), or dr.mode "warm-standby" while the instance is the database (e.g. during a migration).',
    });
  }
  // In active mode (after a failover) the standby takes every viewer and the share waits for the fail-back.
  if (c.dr.enabled && c.dr.standbyTrafficPercent > 0 && (c.dr.mode === "pilot-light" || c.dr.mode === "warm-standby")) {
    problems.push({
      path: "dr.standbyTrafficPercent",
      message: `is ${c.dr.standbyTrafficPercent} while dr.mode is "${c.dr.mode}": only a serving standby takes a share of the viewers. Fix: set dr.mode "serving", or dr.standbyTrafficPercent 0.`,
    });
  }
  return problems;
};
