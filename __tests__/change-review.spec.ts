/**
 * The offline change review (npm run review) on changes an ops reviewer tries, each one commit
 * of settings or code reviewed against the committed deployment, which is deployed offline and
 * planned against with the real AWS provider. Every row of issue 23's table is a scenario here,
 * with the outcome AWS would have.
 *
 * Planning prod costs a Terraform process of some 15 CPU-seconds, so scenarios whose changes
 * touch different resources share one plan; each scenario's outcome is asserted on its own
 * resources and flags. The deployed bases are the ones terraform.spec's round trip deploys
 * (deployBase shares them within a run).
 */
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { App, TerraformOutput } from "cdktf";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildApp } from "../src/stacks/app";
import { cachedStacks } from "../src/synth/cache";
import type { DeploymentSettings } from "../src/validation";
import { cdktfContext, committedSettings, PROJECT_ROOT, resolveDeployment } from "../src/validation/deployment";
import type { EnvironmentStack } from "../src/stacks/environment-stack";
import type { Acknowledgement } from "../tools/lib/review/acknowledgements";
import type { Flag, StackChange } from "../tools/lib/review/change-report";
import type { StackConfiguration } from "../tools/lib/review/configuration";
import { type DeployedBase, deployBase } from "../tools/lib/review/deployed";
import { replicasOf, reviewAgainst, summaryLines, verdictOf } from "../tools/lib/review/review";
import { setupTerraform, WORK_ROOT } from "../tools/lib/terraform/harness";

jest.setTimeout(900_000);

/**
 * Every stack of the deployment, synthesized as main.ts does, with more settings and a code edit
 * of the app. Without an edit, from the synthesis cache: the same bytes, once per settings variant.
 */
function synthDeployment(settings: DeploymentSettings = {}, edit?: (app: App) => void): Map<string, StackConfiguration> {
  if (!edit) return new Map([...cachedStacks([committedSettings(), settings])].map(([name, text]) => [name, JSON.parse(text) as StackConfiguration]));
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "review-spec-"));
  const app = new App({ outdir, context: cdktfContext() });
  buildApp(app, resolveDeployment([committedSettings(), settings]));
  edit?.(app);
  app.synth();
  const stacks = path.join(outdir, "stacks");
  return new Map(fs.readdirSync(stacks).map((name) => [name, JSON.parse(fs.readFileSync(path.join(stacks, name, "cdk.tf.json"), "utf8"))]));
}

const prodStack = (app: App) => app.node.findChild("prod") as EnvironmentStack;

/**
 * `stacks` with prod's data bucket at a new address, as renaming its construct synthesizes it
 * (every reference follows), with or without a moved block from the old address.
 */
function withDataBucketRenamed(stacks: Map<string, StackConfiguration>, moved: boolean): Map<string, StackConfiguration> {
  const [from, to] = ["aws_s3_bucket.storage_data", "aws_s3_bucket.storage_student_data"];
  const json = JSON.parse(JSON.stringify(stacks.get("prod")).replace(/\baws_s3_bucket\.storage_data(?![A-Za-z0-9_-])/g, to));
  json.resource.aws_s3_bucket = Object.fromEntries(
    Object.entries(json.resource.aws_s3_bucket).map(([name, config]) => [name === "storage_data" ? "storage_student_data" : name, config]),
  );
  if (moved) json.moved = [{ from, to }];
  return new Map([...stacks, ["prod", json]]);
}
const prod = (settings: DeploymentSettings["environments"] extends infer E ? (E extends Record<string, infer P> ? P : never) : never): DeploymentSettings => ({
  environments: { prod: settings },
});

const setup = setupTerraform();
const committed = synthDeployment();
const replicas = replicasOf(committed);
const bases = new Map<string, DeployedBase>();

/** The committed stack, deployed offline (once, and shared with terraform.spec's round trip). */
function deployed(stack: string): DeployedBase {
  if (!bases.has(stack)) bases.set(stack, deployBase(setup, stack, committed.get(stack)!, path.join(WORK_ROOT, "review-spec", stack)));
  return bases.get(stack)!;
}

function review(stack: string, head: Map<string, StackConfiguration>): StackChange {
  return reviewAgainst(setup, stack, deployed(stack), committed.get(stack)!, head.get(stack), replicas).change;
}

const on = (change: StackChange, address: string) => change.flags.filter((f) => f.address === address);
const ofRule = (change: StackChange, rule: string) => change.flags.filter((f) => f.rule === rule);
const actionOf = (change: StackChange, address: string) => change.changes.find((c) => c.address === address)?.action ?? "no-op";
const blocking = (change: StackChange, acknowledgements: Acknowledgement[] = []) => verdictOf([change], acknowledgements).blocking;
const stripStack = ({ stack: _stack, ...flag }: Flag & { stack: string }) => flag;

/** Row 4's acknowledgement, written for another change of the database. */
const BACKUP_ACKNOWLEDGEMENT: Acknowledgement = {
  stack: "prod",
  address: "aws_db_instance.database",
  rule: "backup-retention-shortened",
  attribute: "backup_retention_period",
  from: 7,
  to: 1,
  reason: "Backups are copied to the DR region nightly; one day of point-in-time recovery is enough (CHG-2041)",
};

describe("prod: data expires after 30 days, access logs and old versions are kept shorter, and the database is renamed (one plan)", () => {
  let change: StackChange;
  beforeAll(() => {
    change = review(
      "prod",
      synthDeployment(
        prod({ storage: { dataExpirationDays: 30, logsExpirationDays: 90, noncurrentVersionExpirationDays: 30 }, database: { databaseName: "dashboard_v2" } }),
      ),
    );
  });

  test("storage.dataExpirationDays: 30 is data at risk: every prediction older than 30 days is deleted, and the gate fails on it", () => {
    const expiring = on(change, "aws_s3_bucket_lifecycle_configuration.storage_data_lifecycle").filter((f) => f.attribute.endsWith(".expiration.days"));
    expect(expiring).toEqual([
      expect.objectContaining({
        kind: "data at risk",
        rule: "lifecycle-expiration",
        from: null,
        to: 30,
        detail: expect.stringContaining("kept until deleted"),
      }),
    ]);
    expect(blocking(change).map(stripStack)).toEqual(expect.arrayContaining(expiring));
  });

  test("logsExpirationDays 365 -> 90 and noncurrent versions 365 -> 30 are data at risk on the logs bucket and on every versioned bucket, and the gate fails on them", () => {
    const logs = on(change, "aws_s3_bucket_lifecycle_configuration.storage_logs_lifecycle").find((f) => f.attribute.endsWith(".expiration.days"));
    expect(logs).toMatchObject({ kind: "data at risk", from: 365, to: 90 });
    const noncurrent = ofRule(change, "lifecycle-expiration").filter((f) => f.attribute.endsWith("noncurrent_days"));
    expect(noncurrent.map((f) => [f.address, f.from, f.to])).toEqual(
      expect.arrayContaining([
        ["aws_s3_bucket_lifecycle_configuration.storage_data_lifecycle", 365, 30],
        ["aws_s3_bucket_lifecycle_configuration.storage_models_lifecycle", 365, 30],
      ]),
    );
    expect(blocking(change).map(stripStack)).toEqual(expect.arrayContaining([logs, ...noncurrent]));
  });

  test("the lifecycle edits are in-place updates, not replaces", () => {
    expect(change.changes.filter((c) => c.type === "aws_s3_bucket_lifecycle_configuration").map((c) => c.action)).toEqual(expect.arrayContaining(["update"]));
    expect(change.changes.filter((c) => c.type === "aws_s3_bucket_lifecycle_configuration" && c.action !== "update")).toEqual([]);
  });

  test("an acknowledgement written for 'backup retention 7 -> 1' does not cover the database's replace: the gate fails on it, and the acknowledgement is reported as accepting nothing", () => {
    const replaced = on(change, "aws_db_instance.database").filter((f) => f.rule === "data-replaced");
    expect(replaced).toEqual([expect.objectContaining({ attribute: "db_name", from: "dashboard", to: "dashboard_v2" })]);
    const verdict = verdictOf([change], [BACKUP_ACKNOWLEDGEMENT]);
    expect(verdict.blocking.map(stripStack)).toEqual(expect.arrayContaining(replaced));
    expect(verdict.acknowledged).toEqual([]);
    // the same address is also refused: deletion protection stops the replace's delete
    expect(verdict.unused).toEqual([
      {
        acknowledgement: BACKUP_ACKNOWLEDGEMENT,
        sameAddress: [expect.objectContaining({ rule: "data-replaced" }), expect.objectContaining({ rule: "delete-refused", kind: "refused" })],
      },
    ]);
  });

  test("docs/change-review.md's example is this scenario's summary, as npm run review prints it", () => {
    const printed = summaryLines([change], verdictOf([change], [BACKUP_ACKNOWLEDGEMENT]), {
      check: true,
      acknowledgementsFile: "change-acknowledgements.json",
      reportDir: "review",
      base: "main",
    }).join("\n");
    const doc = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "change-review.md"), "utf8");
    const example = /<!-- review example: the prod scenario of change-review\.spec -->\n```text\n([\s\S]*?)\n```/.exec(doc)?.[1];
    expect(example).toBe(printed);
  });
});

describe("prod: the network moves to 10.2.0.0/16, customer-managed keys are turned off, and the data bucket's construct is renamed without a moved block (one plan)", () => {
  let change: StackChange;
  beforeAll(() => {
    const network = { vpcCidr: "10.2.0.0/16", publicSubnetCidrs: ["10.2.0.0/24", "10.2.1.0/24"], privateSubnetCidrs: ["10.2.10.0/24", "10.2.11.0/24"] };
    change = review("prod", withDataBucketRenamed(synthDeployment(prod({ network, encryption: { customerManagedKeys: false } })), false));
  });

  test("the Multi-AZ database with its DR replica moving to the new VPC's subnets is data at risk and an availability flag, with AWS's refusal; the gate fails", () => {
    const moving = ofRule(change, "database-moves-network");
    expect(moving.map((f) => [f.kind, f.address])).toEqual([
      ["data at risk", "aws_db_instance.database"],
      ["availability", "aws_db_instance.database"],
    ]);
    expect(moving[0].detail).toContain("the database would move to another VPC");
    expect(moving[0].detail).toContain("and here it is Multi-AZ and it has the read replica prod-dr: aws_db_instance.replica");
    expect(blocking(change).map(stripStack)).toEqual(expect.arrayContaining([moving[0]]));
  });

  test("the load balancer, updated in place onto the new VPC's subnets, is refused: a load balancer stays in the VPC it was created in", () => {
    expect(ofRule(change, "load-balancer-moves-vpc")).toEqual([
      expect.objectContaining({
        kind: "refused",
        address: "aws_lb.load_balancer",
        attribute: "subnets",
        detail: expect.stringContaining("after it has replaced aws_security_group.load_balancer_security_group"),
      }),
    ]);
  });

  test("every subnet is replaced, and each flag names what runs in it", () => {
    const subnets = ofRule(change, "network-replaced").filter((f) => f.address.startsWith("aws_subnet."));
    expect(subnets.map((f) => f.address).sort()).toEqual([
      "aws_subnet.network_private_a",
      "aws_subnet.network_private_b",
      "aws_subnet.network_public_a",
      "aws_subnet.network_public_b",
    ]);
    expect(subnets.find((f) => f.address === "aws_subnet.network_private_a")!.detail).toContain("aws_db_subnet_group.database_subnets");
  });

  test("each customer-managed key scheduled for deletion is data at risk, naming what stays encrypted with it: the database's storage, Performance Insights and secret, buckets, log groups, the repository", () => {
    const keys = ofRule(change, "key-deleted");
    expect(keys.map((f) => f.address)).toEqual(expect.arrayContaining(["aws_kms_key.keys_database", "aws_kms_key.keys_data", "aws_kms_key.keys_logs"]));
    const database = keys.find((f) => f.address === "aws_kms_key.keys_database")!.detail;
    expect(database).toContain("aws_db_instance.database (kms_key_id, master_user_secret_kms_key_id, performance_insights_kms_key_id)");
    const data = keys.find((f) => f.address === "aws_kms_key.keys_data")!.detail;
    expect(data).toContain("objects of aws_s3_bucket.storage_data");
    expect(data).toContain("aws_ecr_repository.registry (encryption_configuration.kms_key)");
    expect(keys.find((f) => f.address === "aws_kms_key.keys_logs")!.detail).toContain("aws_cloudwatch_log_group.app_logs (kms_key_id)");
  });

  test("the database itself stays (it keeps the key it was created with): no replace", () => {
    expect(["update", "no-op"]).toContain(actionOf(change, "aws_db_instance.database"));
  });

  test("the data bucket renamed without a moved block is destroyed and an empty one created: data at risk, and S3 refuses to delete it while it holds objects", () => {
    expect(actionOf(change, "aws_s3_bucket.storage_data")).toBe("destroy");
    expect(on(change, "aws_s3_bucket.storage_data")).toEqual([
      expect.objectContaining({ kind: "data at risk", rule: "data-destroyed" }),
      expect.objectContaining({ kind: "refused", rule: "delete-refused", attribute: "force_destroy" }),
    ]);
  });

  test("security group rules re-created only because their groups are replaced raise no exposure flag; the two that follow the VPC's new range do", () => {
    const recreated = change.changes.filter((c) => c.type === "aws_vpc_security_group_ingress_rule" && c.action === "replace").map((c) => c.address);
    expect(recreated.length).toBeGreaterThan(2);
    expect(ofRule(change, "rule-opened").map((f) => [f.address, f.from, f.to])).toEqual([
      ["aws_vpc_security_group_ingress_rule.endpoints_security_group_https_from_vpc", "tcp 443-443 10.0.0.0/16", "tcp 443-443 10.2.0.0/16"],
      ["aws_vpc_security_group_ingress_rule.load_balancer_security_group_vpc_origin_in", "tcp 80-80 10.0.0.0/16", "tcp 80-80 10.2.0.0/16"],
    ]);
  });

  test("no flag shows a placeholder of the offline state as a fact", () => {
    expect(change.flags.filter((f) => /review-|arn:aws:review/.test(`${f.detail} ${JSON.stringify([f.from, f.to])}`))).toEqual([]);
  });
});

describe("prod: access logs kept longer (365 -> 400 days), a tag on every resource, PostgreSQL 16, fewer minimum tasks, the tasks' port opened to the VPC, the data bucket moved with a moved block and an output that reads the database's resource_id (one plan)", () => {
  let change: StackChange;
  beforeAll(() => {
    const settings = {
      ...prod({ storage: { logsExpirationDays: 400 }, database: { engineVersion: "16" }, service: { minCount: 0, desiredCount: 1 } }),
      tags: { CostCenter: "mh-1234" },
    };
    const head = synthDeployment(settings, (app) => {
      const stack = prodStack(app);
      new VpcSecurityGroupIngressRule(stack, "debug_in", {
        securityGroupId: stack.service.securityGroup.id,
        ipProtocol: "tcp",
        fromPort: 8501,
        toPort: 8501,
        cidrIpv4: "10.0.0.0/16",
      });
      new TerraformOutput(stack, "db_connect_arn", { value: `dbuser:${stack.database!.instance.resourceId}/dashboard_app` });
    });
    change = review("prod", withDataBucketRenamed(head, true));
  });

  test("the lifecycle edit that keeps logs longer is an in-place update with no flag, and the gate fails only on the refused major upgrade", () => {
    expect(change.changes.find((c) => c.address === "aws_s3_bucket_lifecycle_configuration.storage_logs_lifecycle")).toMatchObject({
      action: "update",
      attributes: expect.arrayContaining(["rule"]),
    });
    expect(on(change, "aws_s3_bucket_lifecycle_configuration.storage_logs_lifecycle")).toEqual([]);
    expect(change.flags.filter((f) => f.kind === "data at risk")).toEqual([]);
    expect(blocking(change).map((f) => f.rule)).toEqual(["major-upgrade"]);
  });

  test("a tag on every resource is an in-place update of each: nothing is destroyed, and the only replace is PostgreSQL 16's new parameter group", () => {
    const taggable = deployed("prod")
      .state.resources.filter((r) => "tags_all" in r.instances[0].attributes)
      .map((r) => `${r.type}.${r.name}`);
    const retagged = change.changes.filter((c) => c.attributes.includes("tags_all")).map((c) => c.previousAddress ?? c.address);
    expect(retagged.sort()).toEqual(taggable.sort());
    expect(change.changes.filter((c) => c.action === "replace").map((c) => [c.address, c.replacedBy])).toEqual([
      ["aws_db_parameter_group.database_parameters", ["name_prefix", "family"]],
    ]);
    expect(change.changes.filter((c) => c.action === "create").map((c) => c.address)).toEqual(["aws_vpc_security_group_ingress_rule.debug_in"]);
    expect(change.counts.destroy).toBe(0);
  });

  test("a new PostgreSQL major without allow_major_version_upgrade is refused by RDS: the apply fails there, after the new parameter group is created", () => {
    expect(on(change, "aws_db_instance.database")).toEqual([
      expect.objectContaining({
        kind: "refused",
        rule: "major-upgrade",
        attribute: "engine_version",
        from: "15",
        to: "16",
        detail: expect.stringContaining("the apply fails here, after it has replaced aws_db_parameter_group.database_parameters"),
      }),
    ]);
  });

  test("lowering minCount is an availability flag", () => {
    expect(on(change, "aws_appautoscaling_target.app_scaling_target")).toEqual([
      expect.objectContaining({ kind: "availability", attribute: "min_capacity", from: 1, to: 0 }),
    ]);
  });

  test("opening the tasks' port to the whole VPC is an exposure flag", () => {
    expect(on(change, "aws_vpc_security_group_ingress_rule.debug_in")).toEqual([
      expect.objectContaining({ kind: "exposure", detail: "ingress port 8501 (tcp) from 10.0.0.0/16" }),
    ]);
  });

  test("the bucket renamed with a moved block is moved, not destroyed", () => {
    expect(change.changes.find((c) => c.address === "aws_s3_bucket.storage_student_data")).toMatchObject({
      previousAddress: "aws_s3_bucket.storage_data",
      action: "update",
    });
    expect(change.changes.filter((c) => c.address.includes("storage_data") && c.action !== "update")).toEqual([]);
    expect(on(change, "aws_s3_bucket.storage_student_data")).toEqual([]);
  });

  test("a new reference to a value the base never read (the database's resource_id) plans against the deployed base, changing nothing of the database beyond the other edits (engine, its parameter group, tags)", () => {
    expect(change.changes.find((c) => c.address === "aws_db_instance.database")?.attributes).toEqual(["engine_version", "parameter_group_name", "tags_all"]);
  });
});

describe("PostgreSQL 15 -> 16 through the major-upgrade path (database.majorUpgradeFrom), and without it on the standby (one plan per stack and side)", () => {
  let upgraded: Map<string, StackConfiguration>;
  let prodChange: StackChange;
  beforeAll(() => {
    upgraded = synthDeployment(prod({ database: { engineVersion: "16", majorUpgradeFrom: "15" } }));
    prodChange = review("prod", upgraded);
  });

  test("prod: the upgrade is allowed, so it is an availability flag (the long outage, in the maintenance window), not refused, and the gate passes", () => {
    expect(on(prodChange, "aws_db_instance.database")).toEqual([
      expect.objectContaining({
        kind: "availability",
        rule: "major-upgrade",
        from: "15",
        to: "16",
        detail: expect.stringContaining(
          "a major upgrade is a long outage: the instance is unavailable for the upgrade's duration (minutes to hours, with the size of the catalog), its read replicas with it, in the next maintenance window",
        ),
      }),
    ]);
    expect(blocking(prodChange)).toEqual([]);
  });

  test("prod: the availability flag gives the replica's order: prod first, prod-dr only after the upgrade and without the setting", () => {
    expect(on(prodChange, "aws_db_instance.database")[0].detail).toContain(
      "its read replica prod-dr: aws_db_instance.replica keeps the old family's parameter group until the upgrade has completed",
    );
    expect(on(prodChange, "aws_db_instance.database")[0].detail).toContain(
      "then remove database.majorUpgradeFrom and deploy the replica's stack, then this one",
    );
  });

  test("prod: the postgres16 group is created beside the postgres15 group in use, which is kept: nothing is replaced or destroyed", () => {
    expect(prodChange.changes.filter((c) => c.action !== "update")).toEqual([
      expect.objectContaining({ address: "aws_db_parameter_group.database_parameters_postgres16", action: "create" }),
    ]);
    expect(prodChange.changes.find((c) => c.address === "aws_db_instance.database")?.attributes).toEqual([
      "allow_major_version_upgrade",
      "engine_version",
      "parameter_group_name",
    ]);
  });

  test("prod-dr: during the upgrade the replica keeps its group: no change to the standby", () => {
    const standby = review("prod-dr", upgraded);
    expect(standby.counts).toMatchObject({ create: 0, update: 0, replace: 0, destroy: 0 });
    expect(standby.flags).toEqual([]);
  });

  test("prod-dr without the setting: the replica's group moves to postgres16 while it runs 15, which RDS refuses; the gate fails", () => {
    const standby = review("prod-dr", synthDeployment(prod({ database: { engineVersion: "16" } })));
    const refused = ofRule(standby, "replica-parameter-family");
    expect(refused).toEqual([
      expect.objectContaining({
        kind: "refused",
        address: "aws_db_instance.replica",
        from: "postgres15",
        to: "postgres16",
        detail: expect.stringContaining("of family postgres16, ahead of the replica's engine (postgres15, the family of the group it has now)"),
      }),
    ]);
    expect(blocking(standby).map(stripStack)).toEqual(refused);
  });
});

describe("the project renamed: every physical name changes", () => {
  let change: StackChange;
  let baseline: StackChange;
  beforeAll(() => {
    const renamed = synthDeployment({ project: "smh-dash2" });
    change = review("prod", renamed);
    baseline = review("baseline", renamed);
  });

  test("prod reports every bucket, log group and the repository replaced, and the database moving to a new subnet group (which AWS refuses in the same VPC), as data at risk; the gate fails", () => {
    const replaced = ofRule(change, "data-replaced").map((f) => f.address);
    for (const bucket of ["storage_data", "storage_data_replica", "storage_logs", "storage_models", "storage_models_replica", "storage_static"])
      expect(replaced).toContain(`aws_s3_bucket.${bucket}`);
    expect(replaced).toEqual(expect.arrayContaining(["aws_cloudwatch_log_group.app_logs", "aws_ecr_repository.registry"]));
    expect(on(change, "aws_db_instance.database").filter((f) => f.kind === "data at risk")).toEqual([
      expect.objectContaining({ rule: "database-moves-network", attribute: "db_subnet_group_name", from: "smh-dashboard-prod-db", to: "smh-dash2-prod-db" }),
    ]);
    expect(blocking(change).length).toBe(change.flags.filter((f) => f.kind === "data at risk" || f.kind === "refused").length);
  });

  test("prod's keys keep their data: AWS renames nothing of a key, so each is updated in place and only its alias is replaced", () => {
    const keys = change.changes.filter((c) => c.type === "aws_kms_key");
    expect(keys.length).toBe(5);
    expect(keys.filter((c) => c.action !== "update")).toEqual([]);
    expect(ofRule(change, "key-deleted")).toEqual([]);
    expect(change.changes.filter((c) => c.type === "aws_kms_alias").map((c) => c.action)).toEqual(Array(5).fill("replace"));
  });

  test("the baseline reports the audit and Config buckets, which prevent_destroy protects, as data at risk where the real plan stops, and still reports the rest of the change", () => {
    expect(
      ofRule(baseline, "prevent-destroy")
        .map((f) => f.address)
        .sort(),
    ).toEqual(["aws_s3_bucket.cloudtrail_logs", "aws_s3_bucket.config_history"]);
    expect(ofRule(baseline, "prevent-destroy")[0].detail).toContain("the real plan stops here");
    expect(ofRule(baseline, "data-replaced").map((f) => f.address)).toEqual(
      expect.arrayContaining(["aws_cloudwatch_log_group.cloudtrail_audit_logs", "aws_s3_bucket.cloudtrail_logs"]),
    );
    expect(baseline.changes.find((c) => c.address === "aws_cloudtrail.cloudtrail")?.action).toBe("replace");
  });
});

test("baseline.cloudTrailRetentionDays 2192 -> 365: five years of audit trail deleted is data at risk on the audit bucket's lifecycle, an in-place update, and the gate fails", () => {
  const change = review("baseline", synthDeployment({ baseline: { cloudTrailRetentionDays: 365 } }));
  expect(change.changes.filter((c) => c.action !== "update")).toEqual([]);
  const expiring = on(change, "aws_s3_bucket_lifecycle_configuration.cloudtrail_logs_lifecycle");
  expect(expiring).toEqual([expect.objectContaining({ kind: "data at risk", rule: "lifecycle-expiration", from: 2192, to: 365 })]);
  expect(blocking(change).map(stripStack)).toEqual(expiring);
});
