/**
 * The offline change review (npm run review): real scenarios, each a small settings or code
 * change applied to one deployed base, planned with the real AWS provider offline. The base is
 * dev with the database on, so that every kind of flag has something to act on.
 */
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { TerraformOutput, Testing } from "cdktf";
import * as path from "path";
import { type DeploymentSettings } from "../src/config";
import { EnvironmentStack } from "../src/stacks/environment-stack";
import { configOf } from "./helpers";
import { type StackChange, reviewChange } from "../tools/review/change-report";
import { type DeployedBase, deployBase, planChange } from "../tools/review/deployed";
import { setupTerraform, WORK_ROOT } from "../tools/offline/terraform";

jest.setTimeout(600_000);

const BASE_SETTINGS: DeploymentSettings = { database: { enabled: true } };

/** dev with the database, with more settings on top and an optional code change. */
function synth(settings: DeploymentSettings = {}, edit?: (stack: EnvironmentStack) => void, Stack = EnvironmentStack): object {
  const app = Testing.app();
  const config = configOf("dev", { ...BASE_SETTINGS, ...settings, database: { ...BASE_SETTINGS.database, ...settings.database } });
  const stack = new Stack(app, "dev", { config });
  edit?.(stack);
  return JSON.parse(Testing.synth(stack));
}

/** The stack with the data bucket's construct renamed, as `new SecureBucket(this, "student-data", ...)` would. */
class RenamedDataBucket extends EnvironmentStack {
  protected allocateLogicalId(element: Parameters<EnvironmentStack["allocateLogicalId"]>[0]): string {
    const id = super.allocateLogicalId(element);
    return id === "storage_data" ? "storage_student_data" : id;
  }
}

const setup = setupTerraform();
const baseJson = synth();
let base: DeployedBase;

function review(headJson: object): StackChange {
  return reviewChange("dev", planChange(setup, base, baseJson, headJson), base);
}

const flagsOf = (change: StackChange, kind: string) => change.flags.filter((f) => f.kind === kind);

beforeAll(() => {
  base = deployBase(setup, "dev", baseJson, path.join(WORK_ROOT, "review-spec", "dev"));
});

test("GIVEN the base deployed offline WHEN it is planned again THEN nothing changes (its state round-trips)", () => {
  expect(base.residual.map((r) => r.address)).toEqual([]);
  const change = review(baseJson);
  expect(change.changes).toEqual([]);
  expect(change.counts["no-op"]).toBeGreaterThan(90);
});

test("a new reference to a value the base never read (the database's resource_id) plans against the deployed base, changing nothing", () => {
  const change = review(synth({}, (stack) => new TerraformOutput(stack, "db_connect_arn", { value: `dbuser:${stack.database!.instance.resourceId}/dashboard_app` })));
  expect(change.changes).toEqual([]);
  expect(change.flags).toEqual([]);
});

test("a tag change is an in-place update of the tagged resources, with no flag", () => {
  const change = review(synth({ tags: { CostCenter: "mh-1234" } }));
  expect(change.counts.update).toBeGreaterThan(20);
  expect(change.changes.filter((c) => c.action !== "update")).toEqual([]);
  const [tagged, reread] = [change.changes.filter((c) => c.attributes.includes("tags_all")), change.changes.filter((c) => !c.attributes.includes("tags_all"))];
  expect(tagged.length).toBeGreaterThan(20);
  // Policies whose documents read tagged resources: Terraform re-reads them at apply, unchanged.
  expect(reread.map((c) => [c.type, c.attributes, c.rereadAtApply])).toEqual(reread.map((c) => [c.type, [], ["policy"]]));
  expect(reread.length).toBeGreaterThan(0);
  expect(change.flags).toEqual([]);
});

test("a new database name forces the database's replacement: data at risk, naming db_name", () => {
  const change = review(synth({ database: { databaseName: "dashboard_v2" } }));
  expect(change.changes.find((c) => c.address === "aws_db_instance.database")).toMatchObject({ action: "replace", replacedBy: ["db_name"] });
  expect(flagsOf(change, "data at risk")).toEqual([
    expect.objectContaining({ address: "aws_db_instance.database", attribute: "db_name", detail: expect.stringContaining("replaced") }),
  ]);
});

test("a new major engine version is an in-place upgrade (the provider's own decision): an availability flag, not data at risk", () => {
  const change = review(synth({ database: { engineVersion: "16" } }));
  expect(change.changes.find((c) => c.address === "aws_db_instance.database")).toMatchObject({ action: "update", attributes: expect.arrayContaining(["engine_version"]) });
  expect(flagsOf(change, "data at risk")).toEqual([]);
  expect(flagsOf(change, "availability")).toEqual([expect.objectContaining({ address: "aws_db_instance.database", attribute: "engine_version" })]);
});

test("a renamed subnet group is replaced, and the database moves to it in place: flagged for availability, no data at risk", () => {
  const change = review(
    synth({}, (stack) => {
      const subnets = stack.database!.node.findAll().find((c): c is DbSubnetGroup => c instanceof DbSubnetGroup);
      subnets!.addOverride("name", "smh-dashboard-dev-db-subnets-v2");
    }),
  );
  expect(change.changes.find((c) => c.address === "aws_db_subnet_group.database_subnets")).toMatchObject({ action: "replace", replacedBy: ["name"] });
  expect(change.changes.find((c) => c.address === "aws_db_instance.database")).toMatchObject({ action: "update", attributes: ["db_subnet_group_name"] });
  expect(flagsOf(change, "data at risk")).toEqual([]);
});

test("renaming a bucket's construct without a moved block destroys the bucket and creates an empty one: data at risk", () => {
  const change = review(synth({}, undefined, RenamedDataBucket));
  expect(change.changes).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ address: "aws_s3_bucket.storage_data", action: "destroy" }),
      expect.objectContaining({ address: "aws_s3_bucket.storage_student_data", action: "create" }),
    ]),
  );
  expect(flagsOf(change, "data at risk")).toEqual([expect.objectContaining({ address: "aws_s3_bucket.storage_data", attribute: "(resource)" })]);
});

test("the same rename with a moved block is a move: no destroy, no flag", () => {
  const change = review(
    synth({}, (stack) => stack.storage.data.bucket.moveFromId("aws_s3_bucket.storage_data"), RenamedDataBucket),
  );
  expect(change.changes).toEqual([
    expect.objectContaining({ address: "aws_s3_bucket.storage_student_data", previousAddress: "aws_s3_bucket.storage_data", action: "move" }),
  ]);
  expect(change.counts).toMatchObject({ move: 1, create: 0, destroy: 0, replace: 0 });
  expect(change.flags).toEqual([]);
});

test("opening the tasks' port to 0.0.0.0/0 is an exposure flag", () => {
  const change = review(
    synth({}, (stack) => {
      new VpcSecurityGroupIngressRule(stack, "debug_in", {
        securityGroupId: stack.service.securityGroup.id,
        ipProtocol: "tcp",
        fromPort: 8501,
        toPort: 8501,
        cidrIpv4: "0.0.0.0/0",
      });
    }),
  );
  expect(flagsOf(change, "exposure")).toEqual([
    expect.objectContaining({ address: "aws_vpc_security_group_ingress_rule.debug_in", detail: expect.stringContaining("0.0.0.0/0: the whole internet") }),
  ]);
});

test("lowering minCount is an availability flag", () => {
  const change = review(synth({ service: { minCount: 0 } }));
  expect(flagsOf(change, "availability")).toEqual([
    expect.objectContaining({ address: "aws_appautoscaling_target.app_scaling_target", attribute: "min_capacity", detail: "min_capacity drops from 1 to 0" }),
  ]);
  expect(flagsOf(change, "data at risk")).toEqual([]);
});
