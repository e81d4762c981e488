/**
 * npm run cost at size 100000-users: Aurora (instances or ACUs, storage, I/O, global
 * replication), the cache's nodes and the standby-share function, line by line, for prod and its
 * standby, from their synthesized configurations.
 */
import { estimateEnvironment } from "../tools/lib/ops/cost";
import { PRICES } from "../tools/lib/ops/prices";
import { drJson, environmentJson, loadUsage, sizeEstimate, sizeSettings, sizeStandbyEstimate } from "../tools/lib/ops/estimate";

const usage = loadUsage();
const item = (e: { lines: { item: string; monthly: number }[] }, name: string) => e.lines.filter((l) => l.item === name);
const H = PRICES.hoursPerMonth;

describe("prod at 100000-users", () => {
  const prod = sizeEstimate("prod", "100000-users", usage);

  test("prices each Aurora instance at its class, the storage and the I/O requests", () => {
    expect(item(prod, "Aurora instance").map((l) => l.monthly)).toEqual(
      [2, 2].map(() => Math.round(PRICES.aurora.instanceHour["db.r6g.xlarge"] * H * 100) / 100),
    );
    expect(item(prod, "Aurora storage")).toHaveLength(1);
    expect(item(prod, "Aurora I/O requests")[0].monthly).toBeCloseTo(usage.auroraIoMillions * 1000 * PRICES.aurora.ioPerMillion, 2);
  });

  test("prices the cache's two nodes and the function that splits the viewers", () => {
    expect(item(prod, "ElastiCache nodes")[0]).toMatchObject({
      basis: "2 x cache.r7g.large (valkey) x 730 h",
      monthly: Math.round(2 * PRICES.elasticache.nodeHour.valkey["cache.r7g.large"] * H * 100) / 100,
    });
    expect(item(prod, "CloudFront Functions (standby share)")).toHaveLength(1);
  });

  test("settled, the RDS instance is gone; while moving, it is priced on top", () => {
    expect(item(prod, "RDS PostgreSQL instance")).toEqual([]);
    const moving = sizeEstimate("prod", "100000-users", usage, true);
    // The instance, its storage, secret and alarms.
    expect(moving.total - prod.total).toBeGreaterThan(item(moving, "RDS PostgreSQL instance")[0].monthly + item(moving, "RDS gp3 storage")[0].monthly);
  });

  test("the primary carries half the regional traffic when the standby serves half the viewers", () => {
    const alone = estimateEnvironment(environmentJson("prod", sizeSettings("prod", "100000-users")), { ...usage, albLcu: usage.albLcu * 1000 });
    expect(item(prod, "ALB hours + LCU")[0].monthly).toBeLessThan(item({ lines: alone }, "ALB hours + LCU")[0].monthly);
  });
});

describe("prod's standby at 100000-users", () => {
  test("serving: the secondary's instances, the replicated writes and the cache", () => {
    const standby = sizeStandbyEstimate("prod", "100000-users", usage);
    expect(standby.name).toBe("prod-dr at 100000-users (serving)");
    expect(item(standby, "Aurora instance")).toHaveLength(2);
    expect(item(standby, "Aurora global database: replicated write I/O")[0].monthly).toBeCloseTo(
      usage.auroraWriteIoMillions * 1000 * PRICES.aurora.replicatedWriteIoPerMillion,
      2,
    );
    expect(item(standby, "Aurora I/O requests")).toEqual([]);
    expect(item(standby, "ElastiCache nodes")).toHaveLength(1);
  });

  test("pilot-light: the headless secondary's storage and replication, no instance, no cache", () => {
    const settings = sizeSettings("prod", "100000-users");
    const json = drJson("prod", { environments: { prod: { ...settings.environments!.prod, dr: { mode: "pilot-light", standbyTrafficPercent: 0 } } } });
    const lines = { lines: estimateEnvironment(json, usage, { standby: "idle" }) };
    expect(item(lines, "Aurora instance")).toEqual([]);
    expect(item(lines, "Aurora storage")).toHaveLength(1);
    expect(item(lines, "ElastiCache nodes")).toEqual([]);
  });
});

describe("the Aurora lines follow the configuration", () => {
  const json = () => environmentJson("prod", sizeSettings("prod", "100000-users"));

  test("I/O-Optimized storage: no I/O line, instances at the higher rate", () => {
    const config = json();
    config.resource.aws_rds_cluster.aurora.storage_type = "aurora-iopt1";
    const lines = { lines: estimateEnvironment(config, usage) };
    expect(item(lines, "Aurora I/O requests")).toEqual([]);
    expect(item(lines, "Aurora instance")[0].monthly).toBeCloseTo(PRICES.aurora.instanceHour["db.r6g.xlarge"] * PRICES.aurora.ioOptimizedFactor * H, 2);
  });

  test("Serverless v2: ACUs within the range instead of an instance class", () => {
    const config = json();
    config.resource.aws_rds_cluster.aurora.serverlessv2_scaling_configuration = { min_capacity: 2, max_capacity: 10 };
    for (const instance of Object.values<any>(config.resource.aws_rds_cluster_instance)) instance.instance_class = "db.serverless";
    const lines = { lines: estimateEnvironment(config, usage) };
    const acus = 2 + 8 * usage.auroraServerlessLoadFraction;
    expect(item(lines, "Aurora Serverless v2 instance").map((l) => l.monthly)).toEqual(
      [1, 2].map(() => Math.round(acus * PRICES.aurora.acuHour * H * 100) / 100),
    );
  });

  test("a class or node type without a price is an error, not a silent zero", () => {
    const config = json();
    config.resource.aws_rds_cluster_instance.aurora_instance_a.instance_class = "db.x9.huge";
    expect(() => estimateEnvironment(config, usage)).toThrow(/no price for Aurora instance class db\.x9\.huge/);
    const cache = json();
    cache.resource.aws_elasticache_replication_group.cache.node_type = "cache.x9.huge";
    expect(() => estimateEnvironment(cache, usage)).toThrow(/no price for ElastiCache valkey node type cache\.x9\.huge/);
  });
});
