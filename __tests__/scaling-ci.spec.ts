/**
 * The pipeline's roles for an environment at 100000-users: the deployer may create what the size
 * adds (Aurora, its global database, the caches, the standby-share function), by name, and the
 * plan reader may describe it; an environment without them gets none of it.
 */
import type { DeploymentSettings } from "../src/validation";
import { appStacks, ARN, type TerraformJson } from "./helpers";

function ciStack(extra: DeploymentSettings = {}): TerraformJson {
  return appStacks(extra).get("ci")!;
}
type Statement = { sid: string; actions: string[]; resources: string[] };
/** Every statement of prod's role: its permissions may be packed into several documents (prod_deployer_permissions, _2, ...). */
const statements = (json: TerraformJson, role: string): Statement[] =>
  Object.entries(json.data!.aws_iam_policy_document)
    .filter(([name]) => new RegExp(`^prod_${role}_permissions(_\\d+)?$`).test(name))
    .flatMap(([, doc]) => (doc as { statement: Statement[] }).statement);
const sid = (list: Statement[], name: string) => list.find((s) => s.sid === name);

const national = ciStack({
  environments: { prod: { size: "100000-users", dr: { failoverOrigin: { vpcOriginId: "vo_standby", domainName: "standby-alb.example.internal" } } } },
});

test("GIVEN prod at 100000-users WHEN its deployer is built THEN it may create Aurora and the global database by name, and fail nothing over", () => {
  const aurora = sid(statements(national, "deployer"), "ManageAurora")!;
  expect(aurora.actions).toEqual(expect.arrayContaining(["rds:CreateDBCluster", "rds:CreateGlobalCluster", "rds:CreateDBClusterParameterGroup"]));
  expect(aurora.actions.filter((a) => /Failover|Switchover/.test(a))).toEqual([]);
  expect(aurora.resources).toEqual(
    expect.arrayContaining([
      `${ARN}:rds:us-east-1:123456789012:cluster:smh-dashboard-prod-*`,
      `${ARN}:rds::123456789012:global-cluster:smh-dashboard-prod-*`,
      `${ARN}:rds:us-west-2:123456789012:cluster:smh-dashboard-prod-*`,
    ]),
  );
});

test("GIVEN prod at 100000-users WHEN its deployer is built THEN it may manage the caches in both regions by name, and their log groups", () => {
  const deployer = statements(national, "deployer");
  expect(sid(deployer, "ManageCache")!.resources).toEqual(
    expect.arrayContaining([
      `${ARN}:elasticache:us-east-1:123456789012:replicationgroup:smh-dashboard-prod-*`,
      `${ARN}:elasticache:us-west-2:123456789012:user:smh-dashboard-prod-*`,
    ]),
  );
  expect(sid(deployer, "ManageCacheLogs")!.resources).toEqual([
    `${ARN}:logs:us-east-1:123456789012:log-group:/elasticache/smh-dashboard-prod-*`,
    `${ARN}:logs:us-west-2:123456789012:log-group:/elasticache/smh-dashboard-prod-*`,
  ]);
  expect(sid(deployer, "ManageEdgeFunction")!.resources).toEqual([`${ARN}:cloudfront::123456789012:function/smh-dashboard-prod-*`]);
});

test("GIVEN prod at 100000-users WHEN its plan reader is built THEN it may describe Aurora and the caches, and change nothing", () => {
  const describe = sid(statements(national, "plan_reader"), "DescribeAuroraAndCache")!;
  expect(describe.actions.every((a) => /:(Describe|List)/.test(a))).toBe(true);
});

test("GIVEN the committed settings WHEN the roles are built THEN none of the 100000-users statements is there", () => {
  const committed = ciStack();
  const sids = ["deployer", "plan_reader"].flatMap((role) => statements(committed, role).map((s) => s.sid));
  expect(
    sids.filter((s) => ["DescribeAuroraAndCache", "ManageAurora", "ManageCache", "ManageCacheLogs", "DeliverCacheLogs", "ManageEdgeFunction"].includes(s)),
  ).toEqual([]);
});
