/**
 * prod and its standby at size 100000-users, as whole stacks: how Aurora, the cache and the
 * serving standby are wired to the tasks, per DR mode and migration phase.
 */
import * as vm from "vm";
import type { DeploymentSettings } from "../src/validation";
import { standbyShareCode } from "../src/constructs/edge";
import { policyDocument, resource, resourcesOf, synthEnvironment, synthStandby, type TerraformJson } from "./helpers";

type ProdSettings = NonNullable<DeploymentSettings["environments"]>[string];

const failoverOrigin = { vpcOriginId: "vo_standby", domainName: "standby-alb.example.internal" };
const national = (prod: ProdSettings = {}): DeploymentSettings => ({ environments: { prod: { size: "100000-users", ...prod } } });
const standby = (prod: ProdSettings = {}): TerraformJson => synthStandby("prod", national(prod));

/**
 * The container's environment variables of a stack's task definition, by name, as written in
 * its jsonencode(): a quoted value, or a reference such as `aws_rds_cluster.aurora.endpoint`.
 */
function containerEnvironment(json: TerraformJson): Record<string, string> {
  const definitions = String(resource(json, "aws_ecs_task_definition", "app_task_definition").container_definitions);
  return Object.fromEntries(
    [...definitions.matchAll(/\{"name" = "([A-Z_]+)", "value" = ("[^"]*"|[a-z_.]+)\}/g)].map((m) => [m[1], m[2].replace(/^"|"$/g, "")]),
  );
}

describe("prod at 100000-users", () => {
  const { json } = synthEnvironment("prod", national({ dr: { failoverOrigin } }));

  test("has the Aurora cluster, the primary of the global database, and keeps the RDS instance", () => {
    expect(Object.keys(resourcesOf(json, "aws_rds_cluster"))).toEqual(["aurora"]);
    expect(resource(json, "aws_rds_global_cluster", "aurora_global").global_cluster_identifier).toBe("smh-dashboard-prod-global");
    expect(Object.keys(resourcesOf(json, "aws_db_instance"))).toEqual(["database"]);
  });

  test("the tasks use Aurora (writer and readers, IAM authentication) and the cache; no secret reaches them", () => {
    const env = containerEnvironment(json);
    expect(env.DB_HOST).toBe("aws_rds_cluster.aurora.endpoint");
    expect(env.DB_READER_HOST).toBe("aws_rds_cluster.aurora.reader_endpoint");
    expect(env).toMatchObject({
      DB_USERNAME: "dashboard_app",
      DB_IAM_AUTH: "true",
      CACHE_TLS: "true",
      CACHE_IAM_AUTH: "true",
      CACHE_USERNAME: "aws_elasticache_user.cache_user.user_name",
    });
    expect(resource(json, "aws_ecs_task_definition", "app_task_definition").container_definitions).toContain('"secrets" = []');
  });

  test("the task role may sign in to Aurora and the cache; the execution role no longer reads the instance's secret", () => {
    const sids = policyDocument(json, "app_task_role_permissions").statement.map((s) => s.sid);
    expect(sids).toEqual(expect.arrayContaining(["ConnectToAurora", "ConnectToCache"]));
    expect(policyDocument(json, "app_execution_role_permissions").statement.map((s) => s.sid)).not.toContain("ReadDatabaseSecret");
  });

  test("only the tasks reach Aurora, the cache and the kept instance", () => {
    const ingress = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).filter((r) => [5432, 6379].includes(r.from_port));
    expect(ingress.map((r) => [r.security_group_id, r.referenced_security_group_id])).toEqual(
      expect.arrayContaining([
        ["${aws_security_group.aurora_security_group.id}", "${aws_security_group.app_security_group.id}"],
        ["${aws_security_group.cache_security_group.id}", "${aws_security_group.app_security_group.id}"],
        ["${aws_security_group.database_security_group.id}", "${aws_security_group.app_security_group.id}"],
      ]),
    );
    expect(ingress).toHaveLength(3);
  });

  test("the cache's data key is a customer-managed key of its own", () => {
    expect(resource(json, "aws_elasticache_replication_group", "cache").kms_key_id).toBe("${aws_kms_key.keys_cache.arn}");
  });

  test("CloudFront runs the standby-share function on the app's requests", () => {
    const distribution = resource(json, "aws_cloudfront_distribution", "cdn");
    const association = [{ event_type: "viewer-request", function_arn: "${aws_cloudfront_function.cdn_standby_share.arn}" }];
    expect(distribution.default_cache_behavior.function_association).toEqual(association);
    expect(distribution.ordered_cache_behavior.find((b: any) => b.path_pattern === "/_stcore/upload_file/*").function_association).toEqual(association);
    expect(resource(json, "aws_cloudfront_function", "cdn_standby_share")).toMatchObject({ runtime: "cloudfront-js-2.0", publish: true });
  });

  test("without dr.failoverOrigin (before the standby's first deploy) there is no function yet", () => {
    expect(resourcesOf(synthEnvironment("prod", national()).json, "aws_cloudfront_function")).toEqual({});
  });
});

describe("the standby-share function", () => {
  /** The function's code loaded once per share, with CloudFront's `cf` module recording what it picks. */
  const loaded = new Map<number, { context: vm.Context; picked: string[] }>();
  function load(share: number) {
    if (!loaded.has(share)) {
      const picked: string[] = [];
      const cf = {
        createRequestOriginGroup: (group: { originIds: string[] }) => picked.push(group.originIds.join(">")),
        selectRequestOriginById: (id: string) => picked.push(id),
      };
      const context = vm.createContext({ cf });
      vm.runInContext(standbyShareCode(share).replace("import cf from 'cloudfront';", ""), context);
      loaded.set(share, { context, picked });
    }
    return loaded.get(share)!;
  }
  /** Runs the function as CloudFront would for a viewer's request; the origin it picks. */
  function run(share: number, ip: string, method = "GET"): string {
    const { context, picked } = load(share);
    picked.length = 0;
    context.event = { viewer: { ip }, request: { method, uri: "/" } };
    vm.runInContext("handler(event)", context);
    return picked[0] ?? "behaviour's origin group (primary first)";
  }
  const ips = Array.from({ length: 2000 }, (_, i) => `10.${(i >> 8) & 255}.${i & 255}.${(i * 7) & 255}`);

  test("sends about the configured share of viewers to the standby first", () => {
    const standbyFirst = ips.filter((ip) => run(50, ip) === "alb-standby>alb").length / ips.length;
    expect(standbyFirst).toBeGreaterThan(0.45);
    expect(standbyFirst).toBeLessThan(0.55);
  });

  test("keeps a viewer in one region: the same address gets the same answer", () => {
    expect(ips.slice(0, 50).map((ip) => run(50, ip))).toEqual(ips.slice(0, 50).map((ip) => run(50, ip)));
  });

  test("sends uploads of a standby viewer to the standby alone, as origin groups take only reads", () => {
    const viewer = ips.find((ip) => run(50, ip) === "alb-standby>alb")!;
    expect(run(50, viewer, "PUT")).toBe("alb-standby");
  });

  test("with 0 nobody and with 100 everybody starts at the standby", () => {
    expect(ips.slice(0, 100).filter((ip) => run(0, ip) !== "behaviour's origin group (primary first)")).toEqual([]);
    expect(ips.slice(0, 100).filter((ip) => run(100, ip) !== "alb-standby>alb")).toEqual([]);
  });
});

describe("prod's standby at 100000-users", () => {
  test.each([
    ["pilot-light", 0, false],
    ["warm-standby", 1, true],
    ["serving", 2, true],
    ["active", 2, true],
  ] as const)("in %s its Aurora secondary has %i instance(s); a cache: %s", (mode, instances, cache) => {
    const json = standby({ dr: { mode, standbyTrafficPercent: mode === "serving" || mode === "active" ? 50 : 0 } });
    expect(Object.keys(resourcesOf(json, "aws_rds_cluster_instance"))).toHaveLength(instances);
    expect(Object.keys(resourcesOf(json, "aws_elasticache_replication_group")).length > 0).toBe(cache);
  });

  test("the secondary joins prod's global database by name, encrypted with the standby's own database key", () => {
    expect(resource(standby(), "aws_rds_cluster", "aurora")).toMatchObject({
      global_cluster_identifier: "smh-dashboard-prod-global",
      kms_key_id: "${aws_kms_key.database_key.arn}",
    });
  });

  test("serving, the standby runs prod's task count; its tasks read their secondary and forward writes", () => {
    const json = standby();
    expect(resource(json, "aws_ecs_service", "app_service").desired_count).toBe(20);
    expect(containerEnvironment(json)).toMatchObject({ DB_HOST: "aws_rds_cluster.aurora.reader_endpoint", DB_WRITE_FORWARDING: "true", DB_IAM_AUTH: "true" });
  });

  test("active (after the global failover), its tasks write to its own writer", () => {
    expect(containerEnvironment(standby({ dr: { mode: "active" } })).DB_HOST).toBe("aws_rds_cluster.aurora.endpoint");
  });

  test("the instance's replica stays while prod keeps its instance, and is never promoted once Aurora is the database", () => {
    const replica = resource(standby({ dr: { mode: "active" } }), "aws_db_instance", "replica");
    expect(replica.replicate_source_db).toMatch(/:db:smh-dashboard-prod-db$/);
  });

  test("once the instance is retired, the standby has no replica of it", () => {
    expect(resourcesOf(standby({ database: { migration: "instance-retired" } }), "aws_db_instance")).toEqual({});
  });
});

describe("moving prod from its instance to Aurora", () => {
  test("replicating: the Aurora cluster follows the instance, the tasks stay on the instance", () => {
    const { json } = synthEnvironment(
      "prod",
      national({ database: { engine: "postgres", migration: "replicating" }, dr: { mode: "warm-standby", standbyTrafficPercent: 0 } }),
    );
    expect(resource(json, "aws_rds_cluster", "aurora").replication_source_identifier).toBe("${aws_db_instance.database.arn}");
    expect(resourcesOf(json, "aws_rds_global_cluster")).toEqual({});
    expect(containerEnvironment(json).DB_HOST).toBe("aws_db_instance.database.address");
  });

  test.each(["replicating", "instance-kept", "promoted"] as const)("%s: aws_db_instance.database is still in the configuration", (migration) => {
    const engine = migration === "replicating" ? "postgres" : "aurora-postgresql";
    const dr = migration === "replicating" ? { mode: "warm-standby" as const, standbyTrafficPercent: 0 } : {};
    expect(Object.keys(resourcesOf(synthEnvironment("prod", national({ database: { engine, migration }, dr })).json, "aws_db_instance"))).toEqual(["database"]);
  });

  test("instance-retired: the instance is gone from the configuration (after the runbook removed it from the state)", () => {
    expect(resourcesOf(synthEnvironment("prod", national({ database: { migration: "instance-retired" } })).json, "aws_db_instance")).toEqual({});
  });
});
