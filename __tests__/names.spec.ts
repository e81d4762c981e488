/**
 * Physical names are built once (src/config/naming.ts) and read in three places: the stacks that create
 * them, the pipeline's deployer policies that grant on them, and the failover runbook that
 * addresses them. These tests synthesize every stack and hold the copies together.
 */
import type { DeploymentSettings } from "../src/validation";
import { failbackSteps, failoverSteps } from "../tools/lib/ops/dr-runbook";
import { drStackName } from "../src/config/naming";
import { appStacks, ARN, configOf, type TerraformJson } from "./helpers";

type Statement = { effect: string; actions: string[]; resources?: string[] };
type Resource = Record<string, any>;

/** Every stack of the deployment with the committed settings plus `extra`, by stack name. */
function synthesizeAll(extra: DeploymentSettings): Map<string, TerraformJson> {
  return appStacks(extra);
}

/** The region a resource is created in: its provider's, by alias. */
function regionOf(json: TerraformJson, resource: Resource): string {
  const alias = typeof resource.provider === "string" ? resource.provider.split(".")[1] : undefined;
  const provider = json.provider.aws.find((p) => p.alias === alias);
  if (!provider) throw new Error(`no aws provider with alias ${alias}`);
  return provider.region as string;
}

/**
 * What the deployer does to a resource type it creates, and the ARN IAM authorizes it on
 * (Service Authorization Reference, each service's "Resource types"); `id` stands for the part
 * AWS generates.
 */
const MANAGED: Record<string, { action: string; arn: (r: Resource, region: string, account: string) => string }> = {
  aws_ecs_cluster: { action: "ecs:CreateCluster", arn: (r, region, account) => `${ARN}:ecs:${region}:${account}:cluster/${r.name}` },
  aws_lb: {
    action: "elasticloadbalancing:CreateLoadBalancer",
    arn: (r, region, account) => `${ARN}:elasticloadbalancing:${region}:${account}:loadbalancer/app/${r.name}/id`,
  },
  aws_lb_target_group: {
    action: "elasticloadbalancing:CreateTargetGroup",
    arn: (r, region, account) => `${ARN}:elasticloadbalancing:${region}:${account}:targetgroup/${r.name}/id`,
  },
  aws_iam_role: { action: "iam:CreateRole", arn: (r, _region, account) => `${ARN}:iam::${account}:role/${r.name}` },
  aws_s3_bucket: { action: "s3:CreateBucket", arn: (r) => `${ARN}:s3:::${r.bucket}` },
  aws_db_instance: { action: "rds:CreateDBInstance", arn: (r, region, account) => `${ARN}:rds:${region}:${account}:db:${r.identifier}` },
  aws_db_parameter_group: {
    action: "rds:CreateDBParameterGroup",
    arn: (r, region, account) => `${ARN}:rds:${region}:${account}:pg:${r.name ?? `${r.name_prefix}id`}`,
  },
  aws_db_subnet_group: { action: "rds:CreateDBSubnetGroup", arn: (r, region, account) => `${ARN}:rds:${region}:${account}:subgrp:${r.name}` },
  aws_cloudwatch_log_group: { action: "logs:CreateLogGroup", arn: (r, region, account) => `${ARN}:logs:${region}:${account}:log-group:${r.name}` },
  aws_sns_topic: { action: "sns:CreateTopic", arn: (r, region, account) => `${ARN}:sns:${region}:${account}:${r.name}` },
  aws_cloudwatch_metric_alarm: {
    action: "cloudwatch:PutMetricAlarm",
    arn: (r, region, account) => `${ARN}:cloudwatch:${region}:${account}:alarm:${r.alarm_name}`,
  },
  aws_cloudwatch_dashboard: { action: "cloudwatch:PutDashboard", arn: (r, _region, account) => `${ARN}:cloudwatch::${account}:dashboard/${r.dashboard_name}` },
  aws_ecr_repository: { action: "ecr:CreateRepository", arn: (r, region, account) => `${ARN}:ecr:${region}:${account}:repository/${r.name}` },
  aws_kms_alias: { action: "kms:CreateAlias", arn: (r, region, account) => `${ARN}:kms:${region}:${account}:${r.name}` },
  aws_wafv2_web_acl: {
    action: "wafv2:CreateWebACL",
    arn: (r, region, account) => `${ARN}:wafv2:${region}:${account}:${r.scope === "CLOUDFRONT" ? "global" : "regional"}/webacl/${r.name}/id`,
  },
  aws_cloudwatch_log_delivery_source: {
    action: "logs:PutDeliverySource",
    arn: (r, region, account) => `${ARN}:logs:${region}:${account}:delivery-source:${r.name}`,
  },
  aws_cloudwatch_log_delivery_destination: {
    action: "logs:PutDeliveryDestination",
    arn: (r, region, account) => `${ARN}:logs:${region}:${account}:delivery-destination:${r.name}`,
  },
  aws_cloudfront_function: { action: "cloudfront:CreateFunction", arn: (r, _region, account) => `${ARN}:cloudfront::${account}:function/${r.name}` },
  aws_rds_cluster: { action: "rds:CreateDBCluster", arn: (r, region, account) => `${ARN}:rds:${region}:${account}:cluster:${r.cluster_identifier}` },
  aws_rds_global_cluster: {
    action: "rds:CreateGlobalCluster",
    arn: (r, _region, account) => `${ARN}:rds::${account}:global-cluster:${r.global_cluster_identifier}`,
  },
  aws_rds_cluster_instance: { action: "rds:CreateDBInstance", arn: (r, region, account) => `${ARN}:rds:${region}:${account}:db:${r.identifier}` },
  aws_rds_cluster_parameter_group: {
    action: "rds:CreateDBClusterParameterGroup",
    arn: (r, region, account) => `${ARN}:rds:${region}:${account}:cluster-pg:${r.name ?? `${r.name_prefix}id`}`,
  },
  aws_elasticache_parameter_group: {
    action: "elasticache:CreateCacheParameterGroup",
    arn: (r, region, account) => `${ARN}:elasticache:${region}:${account}:parametergroup:${r.name}`,
  },
  aws_elasticache_subnet_group: {
    action: "elasticache:CreateCacheSubnetGroup",
    arn: (r, region, account) => `${ARN}:elasticache:${region}:${account}:subnetgroup:${r.name}`,
  },
  aws_elasticache_user: { action: "elasticache:CreateUser", arn: (r, region, account) => `${ARN}:elasticache:${region}:${account}:user:${r.user_id}` },
  aws_elasticache_user_group: {
    action: "elasticache:CreateUserGroup",
    arn: (r, region, account) => `${ARN}:elasticache:${region}:${account}:usergroup:${r.user_group_id}`,
  },
  aws_elasticache_replication_group: {
    action: "elasticache:CreateReplicationGroup",
    arn: (r, region, account) => `${ARN}:elasticache:${region}:${account}:replicationgroup:${r.replication_group_id}`,
  },
};

/** The ECS services, in the cluster they reference (`${aws_ecs_cluster.<name>.id}`), which ECS authorizes CreateService on. */
function serviceArns(json: TerraformJson, account: string): { address: string; arn: string; action: string }[] {
  return Object.entries((json.resource.aws_ecs_service ?? {}) as Record<string, Resource>).map(([name, service]) => {
    const cluster = (json.resource.aws_ecs_cluster as Record<string, Resource>)[/aws_ecs_cluster\.(\w+)\./.exec(service.cluster)![1]];
    return {
      address: `aws_ecs_service.${name}`,
      arn: `${ARN}:ecs:${regionOf(json, service)}:${account}:service/${cluster.name}/${service.name}`,
      action: "ecs:CreateService",
    };
  });
}

/** IAM's wildcard match: `*` any run of characters, `?` one. */
const matches = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .split("")
      .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\/]/g, "\\$&")))
      .join("")}$`,
  ).test(value);

/** The Allow statements of a role's permissions, however many managed policies they are packed in. */
function permissions(ci: TerraformJson, role: string): Statement[] {
  const docs = ci.data!.aws_iam_policy_document as Record<string, { statement: Statement[] }>;
  const name = `${role}_permissions`;
  return Object.entries(docs)
    .filter(([n]) => n === name || n.startsWith(`${name}_`))
    .flatMap(([, doc]) => doc.statement)
    .filter((s) => s.effect === "Allow");
}

/** `type.name "physical name"` of each resource of `json` the deployer creates that no statement allows it to. */
function unmanageable(json: TerraformJson, statements: Statement[], account: string): string[] {
  const named = Object.entries(MANAGED).flatMap(([type, { action, arn }]) =>
    Object.entries((json.resource[type] ?? {}) as Record<string, Resource>).map(([name, resource]) => ({
      address: `${type}.${name}`,
      arn: arn(resource, regionOf(json, resource), account),
      action,
    })),
  );
  return [...named, ...serviceArns(json, account)]
    .filter(
      ({ arn: target, action }) => !statements.some((s) => s.actions.some((a) => matches(a, action)) && (s.resources ?? []).some((r) => matches(r, target))),
    )
    .map(({ address, arn: target }) => `${address} ${target}`);
}

/** Overlays that create the resources the committed settings leave out: Aurora and its global database, caches, the standby-share function. */
const OVERLAYS: Record<string, DeploymentSettings> = {
  committed: {},
  "Aurora, caches, a serving standby that takes a share": {
    environments: {
      dev: { database: { enabled: true }, cache: { enabled: true } },
      prod: {
        size: "100000-users",
        dr: { mode: "serving", standbyTrafficPercent: 20, failoverOrigin: { vpcOriginId: "vo_abc", domainName: "standby.example.edu" } },
      },
    },
  },
};

describe.each(Object.entries(OVERLAYS))("every physical name an environment's pipeline deploys is one its deployer may manage (%s)", (_case, extra) => {
  const stacks = synthesizeAll(extra);
  const ci = stacks.get("ci")!;
  const environments = ["dev", "prod"].filter((env) => stacks.has(env));

  test.each(environments)("%s and its standby", (env) => {
    // GIVEN the deployer's permissions in the ci stack
    const statements = permissions(ci, `${env}_deployer`);
    const account = configOf(env).accountId;
    // WHEN each named resource of the environment's stacks is matched against them
    const deployed = [env, drStackName(env)].filter((name) => stacks.has(name)).map((name) => stacks.get(name)!);
    const missing = deployed.flatMap((json) => unmanageable(json, statements, account));
    // THEN every one matches a resource pattern of a statement that allows creating it
    expect(missing).toEqual([]);
  });
});

test("the overlays create every resource type the check knows, so that no row of it goes unused", () => {
  // GIVEN every stack under each overlay
  const types = new Set(Object.values(OVERLAYS).flatMap((extra) => [...synthesizeAll(extra).values()].flatMap((json) => Object.keys(json.resource))));
  // WHEN the check's types are looked up THEN each is created somewhere
  expect([...Object.keys(MANAGED), "aws_ecs_service"].filter((type) => !types.has(type))).toEqual([]);
});

describe("the runbooks address the resources by the names the stacks give them", () => {
  /** Every physical name in `json`: names, identifiers, families, aliases (without `alias/`) and comments. */
  const namesIn = (json: TerraformJson): string[] =>
    Object.values(json.resource).flatMap((resources) =>
      Object.values(resources as Record<string, Resource>).flatMap((r) =>
        ["name", "identifier", "cluster_identifier", "global_cluster_identifier", "family", "comment"]
          .map((key) => r[key])
          .filter((value): value is string => typeof value === "string")
          .map((value) => value.replace(/^alias\//, "")),
      ),
    );
  /** The names a command passes to AWS's CLI by flag. */
  const FLAGS =
    /--(?:cluster|services?|db-instance-identifier|db-cluster-identifier|global-cluster-identifier|db-subnet-group-name|task-definition|kms-key-id alias\/) ?([a-z][a-z0-9-]+)/g;

  test.each([
    ["a warm standby", {}],
    ["a pilot light", { dr: { mode: "pilot-light" } }],
    ["an Aurora global database", { size: "100000-users" }],
  ])("prod with %s: failover and failback", (_case, prod) => {
    // GIVEN prod's stacks and its runbooks under the same settings
    const extra = { environments: { prod } } as DeploymentSettings;
    const stacks = synthesizeAll(extra);
    const known = new Set(["prod", "prod-dr"].flatMap((name) => namesIn(stacks.get(name)!)));
    const config = configOf("prod", extra);
    // WHEN the names are read from the commands
    const commands = [...failoverSteps(config), ...failbackSteps(config)].flatMap((step) => step.commands);
    const named = [...new Set(commands.flatMap((command) => [...command.matchAll(FLAGS)].map((m) => m[1])))];
    // (a failback renames the failed-over primary aside: a name the runbook gives, not a stack)
    const renamed = commands.flatMap((command) => [...command.matchAll(/--new-db-instance-identifier ([a-z0-9-]+)/g)].map((m) => m[1]));
    // THEN there are names, and each is one the stacks create
    expect(named.length).toBeGreaterThan(2);
    expect(named.filter((name) => !known.has(name) && !renamed.includes(name))).toEqual([]);
  });
});
