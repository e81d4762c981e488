/**
 * Regional disaster recovery: prod's standby stack in the DR region (prod-dr) with its network
 * and the database replica, the image replicated to the DR region, and what the settings refuse.
 */
import * as path from "path";
import { Testing } from "cdktf";
import type { DeploymentSettings } from "../src/config";
import { DisasterRecoveryStack } from "../src/stacks/dr-stack";
import { deployBase, effectiveChanges, planChange } from "../tools/review/deployed";
import { setupTerraform, WORK_ROOT } from "../tools/offline/terraform";
import { ARN, COMMITTED, configOf, resource, resourcesOf, synthEnvironment, type TerraformJson } from "./helpers";

jest.setTimeout(300_000);

/** prod's DR stack with extra settings for prod. */
function drStack(prod: DeploymentSettings["environments"] extends infer E ? (E extends Record<string, infer P> ? P : never) : never = {}): TerraformJson {
  const stack = new DisasterRecoveryStack(Testing.app(), "prod-dr", { config: configOf("prod", { environments: { prod } }) });
  return JSON.parse(Testing.synth(stack));
}

const json = drStack();

describe("prod's standby in the DR region (prod-dr)", () => {
  test("has its own state key and lives in the DR region, tagged as prod's standby", () => {
    expect(json.terraform.backend.s3).toMatchObject({ key: "smh-dashboard/prod-dr/terraform.tfstate", region: "us-west-2" });
    expect(json.provider.aws[0]).toMatchObject({ region: "us-west-2", default_tags: [{ tags: expect.objectContaining({ Environment: "prod", Standby: "dr" }) }] });
  });

  test("reads nothing from the primary region's state: no remote state, no reference out of the stack", () => {
    expect(json.data?.terraform_remote_state).toBeUndefined();
    expect(JSON.stringify(json)).not.toMatch(/terraform_remote_state/);
  });

  test("an encrypted cross-region read replica of prod's database, by its ARN, with prod's DR key", () => {
    expect(resource(json, "aws_db_instance", "replica")).toMatchObject({
      identifier: "smh-dashboard-prod-dr-db",
      replicate_source_db: `${ARN}:rds:us-east-1:123456789012:db:smh-dashboard-prod-db`,
      storage_encrypted: true,
      kms_key_id: `${ARN}:kms:us-west-2:123456789012:alias/smh-dashboard-prod-dr`,
      performance_insights_enabled: true,
      performance_insights_kms_key_id: `${ARN}:kms:us-west-2:123456789012:alias/smh-dashboard-prod-dr`,
      monitoring_interval: 60,
      monitoring_role_arn: "${aws_iam_role.replica_monitoring_role.arn}",
      deletion_protection: true,
      publicly_accessible: false,
      db_subnet_group_name: "${aws_db_subnet_group.replica_subnets.name}",
      parameter_group_name: "${aws_db_parameter_group.replica_parameters.name}",
      backup_retention_period: 0,
    });
    expect(resource(json, "aws_db_parameter_group", "replica_parameters")).toMatchObject({ family: "postgres15", parameter: [{ name: "rds.force_ssl", value: "1" }] });
    expect(resource(json, "aws_db_subnet_group", "replica_subnets").subnet_ids).toEqual(["${aws_subnet.network_private_a.id}", "${aws_subnet.network_private_b.id}"]);
  });

  test("a ReplicaLag alarm tells the DR region's own alerts topic", () => {
    expect(resource(json, "aws_cloudwatch_metric_alarm", "replica_lag")).toMatchObject({
      metric_name: "ReplicaLag",
      namespace: "AWS/RDS",
      threshold: 900,
      dimensions: { DBInstanceIdentifier: "${aws_db_instance.replica.identifier}" },
      alarm_actions: ["${aws_sns_topic.alerts.arn}"],
      treat_missing_data: "breaching",
    });
    expect(resource(json, "aws_sns_topic", "alerts").name).toBe("smh-dashboard-prod-dr-alerts");
  });

  test("its own network over two zones of the DR region, not overlapping prod's; no NAT while a pilot light", () => {
    expect(resource(json, "aws_vpc", "network_vpc").cidr_block).toBe("10.1.0.0/16");
    expect([resource(json, "aws_subnet", "network_private_a"), resource(json, "aws_subnet", "network_private_b")].map((s) => [s.availability_zone, s.cidr_block])).toEqual([
      ["us-west-2a", "10.1.10.0/24"],
      ["us-west-2b", "10.1.11.0/24"],
    ]);
    expect(resourcesOf(json, "aws_nat_gateway")).toEqual({});
    expect(Object.keys(resourcesOf(drStack({ dr: { mode: "warm-standby" } }), "aws_nat_gateway")).sort()).toEqual(["network_nat_a", "network_nat_b"]);
  });

  test("active (after a failover): the replica is promoted, keeps backups, and has no lag to watch", () => {
    const active = drStack({ dr: { mode: "active" } });
    const db = resource(active, "aws_db_instance", "replica");
    expect(db.replicate_source_db).toBeUndefined();
    expect(db.backup_retention_period).toBe(7);
    expect(resourcesOf(active, "aws_cloudwatch_metric_alarm").replica_lag).toBeUndefined();
  });

  test("dev has no standby; prod's comes with the committed settings", () => {
    expect(configOf("dev").dr.enabled).toBe(false);
    expect(configOf("prod").dr).toMatchObject({ enabled: true, mode: "pilot-light", databaseReplica: true });
  });
});

describe("the image in both regions", () => {
  test("prod replicates its repository, and only it, to the DR region", () => {
    expect(resource(synthEnvironment("prod").json, "aws_ecr_replication_configuration", "registry_replication").replication_configuration).toEqual({
      rule: [{ destination: [{ region: "us-west-2", registry_id: "123456789012" }], repository_filter: [{ filter: "${aws_ecr_repository.registry.name}", filter_type: "PREFIX_MATCH" }] }],
    });
    expect(resourcesOf(synthEnvironment("dev").json, "aws_ecr_replication_configuration")).toEqual({});
  });
});

describe("settings the standby refuses", () => {
  const refused = (prod: object, message: RegExp) => expect(() => configOf("prod", { environments: { prod } } as DeploymentSettings)).toThrow(message);

  test("a DR network overlapping the primary's", () => {
    refused({ dr: { vpcCidr: "10.0.0.0/8" } }, /environment "prod": dr.vpcCidr "10.0.0.0\/8" overlaps network.vpcCidr "10.0.0.0\/16"/);
  });

  test("zones that are not the DR region's", () => {
    refused({ dr: { availabilityZones: ["us-east-1a", "us-west-2b"] } }, /dr.availabilityZones\[0\] "us-east-1a" is not a zone of the DR region us-west-2/);
  });

  test("active or warm-standby without the replica where there is a database", () => {
    refused({ dr: { mode: "active", databaseReplica: false } }, /dr.mode is "active" but dr.databaseReplica is false while the environment has a database: there is no replica to promote/);
    refused({ dr: { mode: "warm-standby", databaseReplica: false } }, /the standby would serve without its data/);
  });

  test("subnets outside the DR VPC", () => {
    refused({ dr: { privateSubnetCidrs: ["10.1.10.0/24", "10.2.11.0/24"] } }, /dr.privateSubnetCidrs\[1\] "10.2.11.0\/24" is not inside dr.vpcCidr/);
  });

  test("the DR region equal to the primary (stateRegion is the DR region)", () => {
    expect(() => configOf("prod", { ...COMMITTED, stateRegion: "us-east-1" })).toThrow(/stateRegion "us-east-1" equals region/);
  });
});

describe("changing the mode", () => {
  test("pilot-light -> warm-standby -> active plans in-place updates: the database is never replaced or destroyed", () => {
    const setup = setupTerraform();
    const pilot = drStack();
    const base = deployBase(setup, "prod-dr", pilot, path.join(WORK_ROOT, "dr-modes", "prod-dr"));
    expect(base.residual).toEqual([]);
    // warm-standby adds NAT and leaves the replica as it is; active promotes it in place.
    for (const [mode, expected] of [["warm-standby", []], ["active", ["update"]]] as const) {
      const changes = effectiveChanges(planChange(setup, base, pilot, drStack({ dr: { mode } })));
      const db = changes.filter((c) => c.address === "aws_db_instance.replica").map((c) => c.change.actions.join("/"));
      expect({ mode, db }).toEqual({ mode, db: expected });
      expect(changes.filter((c) => c.change.actions.includes("delete") && /aws_(db_instance|kms_key|s3_bucket|cloudwatch_log_group)\./.test(c.address))).toEqual([]);
    }
  });
});
