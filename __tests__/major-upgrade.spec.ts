/**
 * The major-upgrade path of the RDS instance (database.majorUpgradeFrom): what the settings
 * refuse, what the instance and its parameter groups become, and what the DR replica keeps until
 * the upgrade is done. What the change review says of it is change-flags.spec's (rules) and
 * change-review.spec's (15 -> 16 through Terraform).
 */
import { Database, type DatabaseProps } from "../src/constructs/database";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { bareStack } from "./bare-stack";
import { problemsOf, resource, resourcesOf, synthStandby, type TerraformJson } from "./helpers";

/** A protected PostgreSQL instance alone in a bare stack; `props` replace the defaults under test. */
function database(props: Partial<DatabaseProps> = {}): TerraformJson {
  const bare = bareStack("test");
  const { stack, context, network, alerts } = bare;
  new Database(stack, "database", {
    allocatedStorageGb: 20,
    databaseName: "dashboard",
    masterUsername: "dashboard_admin",
    multiAz: true,
    backupWindow: "03:00-04:00",
    maintenanceWindow: "sun:04:30-sun:05:30",
    engineVersion: "15",
    instanceClass: "db.t3.micro",
    maxAllocatedStorageGb: 100,
    backupRetentionDays: 7,
    monitoringIntervalSeconds: 60,
    replicateBackupsToDr: false,
    alarms: { cpuPercent: 80, freeStorageGb: 2, connections: 80 },
    protectData: true,
    network,
    context,
    alerts,
    drProvider: new AwsProvider(stack, "dr", { region: "us-west-2", alias: "dr" }),
    ...props,
  });
  return bare.synth();
}

/** prod's standby stack with these database settings for prod. */
function standby(database: Record<string, unknown>): TerraformJson {
  return synthStandby("prod", { environments: { prod: { database } } });
}

const families = (json: TerraformJson) => Object.fromEntries(Object.entries(resourcesOf(json, "aws_db_parameter_group")).map(([name, g]) => [name, g.family]));

describe("settings", () => {
  test("GIVEN prod upgrading from 15 to 16 WHEN resolved THEN nothing is refused", () => {
    expect(problemsOf({ environments: { prod: { database: { engineVersion: "16", majorUpgradeFrom: "15" } } } })).toEqual([]);
  });

  test("GIVEN majorUpgradeFrom at or above engineVersion's major WHEN resolved THEN it is refused: RDS upgrades to a later major only", () => {
    expect(problemsOf({ environments: { prod: { database: { engineVersion: "15.10", majorUpgradeFrom: "16" } } } })).toEqual([
      'environment "prod": database.majorUpgradeFrom is "16" while database.engineVersion "15.10" is an earlier major: RDS upgrades to a later major only and never downgrades. Fix: set database.engineVersion to a later major than 16 (17, 18), or remove database.majorUpgradeFrom once the upgrade is done.',
    ]);
    expect(problemsOf({ environments: { prod: { database: { majorUpgradeFrom: "15" } } } })).toEqual([
      expect.stringContaining('database.majorUpgradeFrom is "15" while database.engineVersion "15" is the same major'),
    ]);
  });

  test("GIVEN an upgrade to a major RDS has not released WHEN resolved THEN engineVersion is refused with the majors it offers", () => {
    expect(problemsOf({ environments: { prod: { database: { engineVersion: "19", majorUpgradeFrom: "15" } } } })).toEqual([
      'environment "prod": database.engineVersion "19": RDS has released no PostgreSQL 19 to upgrade 15 to (it offers 15, 16, 17, 18). Fix: upgrade to a released major, e.g. "18".',
    ]);
  });

  test("GIVEN majorUpgradeFrom where there is no RDS instance WHEN resolved THEN it is refused: it would do nothing", () => {
    expect(problemsOf({ environments: { dev: { database: { majorUpgradeFrom: "15", engineVersion: "16" } } } })).toEqual([
      'environment "dev": database.majorUpgradeFrom is "15" but the environment has no RDS instance (database.enabled is false), so there is nothing to upgrade. Fix: remove database.majorUpgradeFrom (an Aurora cluster\'s version is database.aurora.engineVersion).',
    ]);
  });

  test("GIVEN majorUpgradeFrom that is not a major WHEN resolved THEN the schema refuses it with the form to write", () => {
    expect(problemsOf({ environments: { prod: { database: { engineVersion: "16", majorUpgradeFrom: "15.10" } } } })).toEqual([
      expect.stringMatching(/database\.majorUpgradeFrom.*must be the major version the instance runs before the upgrade.*"15"/),
    ]);
  });
});

describe("the instance", () => {
  test("GIVEN no upgrade under way THEN allow_major_version_upgrade is not set (a later engineVersion change cannot start an unplanned upgrade) and the one group is the engine's family", () => {
    const json = database();
    expect(resource(json, "aws_db_instance", "database").allow_major_version_upgrade).toBeUndefined();
    expect(families(json)).toEqual({ database_parameters: "postgres15" });
  });

  test("GIVEN an upgrade from 15 to 16 THEN the instance allows it, moves to a postgres16 group created beside the postgres15 group it uses now, and waits for the maintenance window", () => {
    const json = database({ engineVersion: "16", majorUpgradeFrom: "15" });
    expect(resource(json, "aws_db_instance", "database")).toMatchObject({
      engine_version: "16",
      allow_major_version_upgrade: true,
      apply_immediately: false,
      parameter_group_name: "${aws_db_parameter_group.database_parameters_postgres16.name}",
    });
    // the group in use keeps its address: the upgrade destroys no group the instance still uses
    expect(families(json)).toEqual({ database_parameters: "postgres15", database_parameters_postgres16: "postgres16" });
  });

  test("GIVEN an upgrade THEN each family's group is named by its family and is created before one it replaces", () => {
    const json = database({ engineVersion: "16", majorUpgradeFrom: "15" });
    for (const [name, major] of [
      ["database_parameters", "15"],
      ["database_parameters_postgres16", "16"],
    ]) {
      expect(resource(json, "aws_db_parameter_group", name)).toMatchObject({
        name_prefix: `smh-dashboard-test-db-postgres${major}-`,
        lifecycle: { create_before_destroy: true },
        parameter: [{ name: "rds.force_ssl", value: "1" }],
      });
    }
  });

  test("GIVEN a downgrade in the props THEN the constructor refuses it with the prop names", () => {
    expect(() => database({ engineVersion: "15", majorUpgradeFrom: "16" })).toThrow(/majorUpgradeFrom is "16" while engineVersion "15" is an earlier major/);
  });
});

describe("the DR replica", () => {
  test("GIVEN prod upgrading from 15 to 16 THEN prod-dr's replica keeps its postgres15 group: RDS gives a replica a new group only after the upgrade", () => {
    const json = standby({ engineVersion: "16", majorUpgradeFrom: "15" });
    expect(families(json)).toEqual({ replica_parameters: "postgres15" });
    expect(resource(json, "aws_db_instance", "replica").parameter_group_name).toBe("${aws_db_parameter_group.replica_parameters.name}");
    expect(resource(json, "aws_db_instance", "replica").allow_major_version_upgrade).toBeUndefined();
  });

  test("GIVEN the upgrade done (majorUpgradeFrom removed) THEN the replica takes a postgres16 group", () => {
    expect(families(standby({ engineVersion: "16" }))).toEqual({ replica_parameters: "postgres16" });
  });
});
