/**
 * Cache alone, in a bare stack with explicit props: the ElastiCache replication group of the
 * seed's 100,000-user step, each behaviour on its own.
 */
import { Cache, type CacheProps } from "../src/constructs/cache";
import { Role } from "../src/constructs/iam";
import { CustomerKey } from "../src/constructs/keys";
import { SecurityGroup } from "../src/constructs/security-group";
import { bareStack } from "./bare-stack";
import { policyDocument, resource, resourcesOf } from "./helpers";

function cache(props: Partial<Omit<CacheProps, "network" | "context" | "alerts">> = {}, environment = "test") {
  const bare = bareStack(environment);
  const key = new CustomerKey(bare.stack, "cache-key", { context: bare.context, alias: "test-cache", description: "test" });
  const construct = new Cache(bare.stack, "cache", {
    engine: "valkey",
    engineVersion: "8.0",
    nodeType: "cache.r7g.large",
    replicas: 1,
    encrypted: true,
    snapshotRetentionDays: 1,
    snapshotWindow: "01:00-02:00",
    maintenanceWindow: "sun:06:00-sun:07:00",
    alarms: { cpuPercent: 80, memoryPercent: 80, evictionsPer5Minutes: 1000, replicationLagSeconds: 30 },
    protectData: true,
    logRetentionDays: 365,
    key,
    network: bare.network,
    context: bare.context,
    alerts: bare.alerts,
    ...props,
  });
  return { bare, construct, json: () => bare.synth() };
}

describe("Cache", () => {
  test("WHEN built THEN a Valkey replication group of a primary and a replica spans the two zones with automatic failover", () => {
    expect(resource(cache().json(), "aws_elasticache_replication_group", "cache")).toMatchObject({
      replication_group_id: "smh-dashboard-test-cache",
      engine: "valkey",
      engine_version: "8.0",
      node_type: "cache.r7g.large",
      num_cache_clusters: 2,
      preferred_cache_cluster_azs: ["us-east-1a", "us-east-1b"],
      automatic_failover_enabled: true,
      multi_az_enabled: true,
      subnet_group_name: "${aws_elasticache_subnet_group.cache_subnets.name}",
      security_group_ids: ["${aws_security_group.cache_security_group.id}"],
    });
  });

  test("GIVEN encryption WHEN built THEN data at rest uses the customer-managed key and TLS is required in transit", () => {
    expect(resource(cache().json(), "aws_elasticache_replication_group", "cache")).toMatchObject({
      at_rest_encryption_enabled: "true",
      kms_key_id: "${aws_kms_key.cache_key.arn}",
      transit_encryption_enabled: true,
      transit_encryption_mode: "required",
    });
  });

  test("GIVEN encryption WHEN built THEN the tasks sign in as their own IAM-authenticated user (id = name), the only one of the group", () => {
    const json = cache().json();
    expect(resource(json, "aws_elasticache_user", "cache_user")).toMatchObject({
      user_id: "smh-dashboard-test-app",
      user_name: "smh-dashboard-test-app",
      engine: "valkey",
      authentication_mode: { type: "iam" },
      access_string: "on ~* &* +@all -@dangerous",
    });
    expect(resource(json, "aws_elasticache_user_group", "cache_user_group")).toMatchObject({
      user_group_id: "smh-dashboard-test-cache",
      engine: "valkey",
      user_ids: ["${aws_elasticache_user.cache_user.user_id}"],
    });
    expect(resource(json, "aws_elasticache_replication_group", "cache").user_group_ids).toEqual([
      "${aws_elasticache_user_group.cache_user_group.user_group_id}",
    ]);
  });

  test("GIVEN Redis OSS WHEN built THEN its user group also holds a switched-off user named default, as Redis OSS groups must", () => {
    const json = cache({ engine: "redis", engineVersion: "7.1" }).json();
    expect(resource(json, "aws_elasticache_user", "cache_default_user")).toMatchObject({ user_name: "default", access_string: "off -@all" });
    expect(resource(json, "aws_elasticache_user_group", "cache_user_group").user_ids).toHaveLength(2);
    expect(resource(json, "aws_elasticache_parameter_group", "cache_parameters").family).toBe("redis7");
  });

  test("GIVEN no encryption (an unprotected environment) WHEN built THEN there is no key, no TLS and so no user to authenticate", () => {
    const json = cache({ encrypted: false }).json();
    const group = resource(json, "aws_elasticache_replication_group", "cache");
    expect(group).toMatchObject({ at_rest_encryption_enabled: "false", transit_encryption_enabled: false });
    expect(group.kms_key_id).toBeUndefined();
    expect(resourcesOf(json, "aws_elasticache_user")).toEqual({});
  });

  test("WHEN built THEN its parameter group of the engine's family evicts any key when full, and is named for every argument that replaces it, so a replacement created first never takes the old one's name", () => {
    const group = resource(cache().json(), "aws_elasticache_parameter_group", "cache_parameters");
    expect(group).toMatchObject({
      family: "valkey8",
      parameter: [{ name: "maxmemory-policy", value: "allkeys-lru" }],
      lifecycle: { create_before_destroy: true },
    });
    // family and description force a new group (ElastiCache has no name_prefix): both are in the name.
    expect(group.name).toMatch(/^smh-dashboard-test-cache-valkey8-[0-9a-f]{6}$/);
    const other = resource(cache({ engine: "redis", engineVersion: "7.1" }).json(), "aws_elasticache_parameter_group", "cache_parameters");
    expect(other.name).toMatch(/^smh-dashboard-test-cache-redis7-[0-9a-f]{6}$/);
    expect(other.name.slice(-6)).not.toBe(group.name.slice(-6));
  });

  test("GIVEN protected data WHEN built THEN deleting the group leaves a final snapshot; the windows and retention are the settings'", () => {
    expect(resource(cache().json(), "aws_elasticache_replication_group", "cache")).toMatchObject({
      final_snapshot_identifier: "smh-dashboard-test-cache-final",
      snapshot_retention_limit: 1,
      snapshot_window: "01:00-02:00",
      maintenance_window: "sun:06:00-sun:07:00",
    });
  });

  test("WHEN built THEN slow and engine logs go to their own encrypted-by-setting log groups with the retention given", () => {
    const json = cache({ logsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/logs" }).json();
    expect(resource(json, "aws_cloudwatch_log_group", "cache_slow_log")).toMatchObject({
      name: "/elasticache/smh-dashboard-test-cache/slow-log",
      retention_in_days: 365,
      kms_key_id: "arn:aws:kms:us-east-1:123456789012:key/logs",
    });
    expect(resource(json, "aws_elasticache_replication_group", "cache").log_delivery_configuration).toHaveLength(2);
  });

  test("WHEN built THEN every node alarms on engine CPU, memory, evictions and replication lag", () => {
    const alarms = resourcesOf(cache().json(), "aws_cloudwatch_metric_alarm");
    expect(Object.keys(alarms).sort()).toEqual(
      ["001", "002"].flatMap((n) => ["cpu_high", "evictions", "memory_high", "replication_lag"].map((what) => `cache_cache_${n}_${what}`)).sort(),
    );
    expect(alarms.cache_cache_002_replication_lag).toMatchObject({
      metric_name: "ReplicationLag",
      threshold: 30,
      dimensions: { CacheClusterId: "smh-dashboard-test-cache-002", CacheNodeId: "0001" },
    });
  });

  test("GIVEN the tasks' security group WHEN allowFrom THEN only they reach the cache's port", () => {
    const { bare, construct, json } = cache();
    const tasks = new SecurityGroup(bare.stack, "tasks", { network: bare.network, name: "tasks", label: "tasks", members: "the tasks", description: "tasks" });
    construct.allowFrom(tasks);
    const synthesized = json();
    expect(resource(synthesized, "aws_vpc_security_group_ingress_rule", "cache_security_group_cache_from_tasks")).toMatchObject({
      from_port: 6379,
      referenced_security_group_id: "${aws_security_group.tasks.id}",
    });
    expect(Object.keys(resourcesOf(synthesized, "aws_vpc_security_group_ingress_rule"))).toEqual(["cache_security_group_cache_from_tasks"]);
  });

  test("GIVEN a role WHEN grantConnect THEN it may connect to this group as this user only", () => {
    const { bare, construct, json } = cache();
    const role = new Role(bare.stack, "role", { name: "r", trust: [] });
    construct.grantConnect(role);
    expect(policyDocument(json(), "role_permissions").statement).toEqual([
      expect.objectContaining({
        actions: ["elasticache:Connect"],
        resources: ["${aws_elasticache_replication_group.cache.arn}", "${aws_elasticache_user.cache_user.arn}"],
      }),
    ]);
  });

  test("WHEN the container is wired THEN it gets the endpoints, TLS and IAM authentication, and no secret exists to hand over", () => {
    expect(cache().construct.containerEnvironment.map((e) => e.name)).toEqual([
      "CACHE_HOST",
      "CACHE_READER_HOST",
      "CACHE_PORT",
      "CACHE_NAME",
      "CACHE_TLS",
      "CACHE_USERNAME",
      "CACHE_IAM_AUTH",
    ]);
  });

  test("GIVEN no replica WHEN built THEN it is refused: automatic failover needs one", () => {
    expect(() => cache({ replicas: 0 })).toThrow(/automatic failover needs at least 1\. Fix: set replicas to 1 or more/);
  });

  test("GIVEN a version without IAM authentication WHEN built THEN it is refused with the versions that have it", () => {
    expect(() => cache({ engineVersion: "7.0" })).toThrow(
      /engineVersion "7\.0" is not a valkey version the cache supports with IAM authentication\. Fix: use one of 7\.2, 8\.0, 8\.1/,
    );
  });

  test("GIVEN names over ElastiCache's 40 characters WHEN built THEN it is refused with the limit", () => {
    expect(() => cache({}, "averyveryverylongenvironmentname")).toThrow(/characters; AWS allows at most 40/);
  });
});
