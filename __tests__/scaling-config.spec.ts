/**
 * The settings of the seed's last scaling step (size 100000-users): what the preset chooses,
 * and the bad input the rules refuse, each with its fix.
 */
import { ConfigurationError, resolveEnvironments, type DeploymentSettings } from "../src/validation";
import { hasAurora, hasGlobalDatabase, hasInstance, keepsInstanceBesideAurora } from "../src/validation/rules";
import { AURORA_POSTGRESQL_MAJORS } from "../src/config/engines";
import { COMMITTED, configOf } from "./helpers";

type ProdSettings = NonNullable<DeploymentSettings["environments"]>[string];

/** The problems of prod with these settings (empty when valid). */
function prodProblems(prod: ProdSettings): string[] {
  try {
    resolveEnvironments(COMMITTED, { environments: { prod } });
    return [];
  } catch (error) {
    if (error instanceof ConfigurationError) return [...error.problems];
    throw error;
  }
}

const national = (prod: ProdSettings = {}): ProdSettings => ({ size: "100000-users", ...prod });

describe("the 100000-users preset", () => {
  const prod = configOf("prod", { environments: { prod: { size: "100000-users" } } });

  test("picks Aurora PostgreSQL at its major's LTS minor, a writer and a reader of db.r6g.xlarge", () => {
    expect(prod.database).toMatchObject({
      engine: "aurora-postgresql",
      aurora: { engineVersion: AURORA_POSTGRESQL_MAJORS["15"].lts, instanceClass: "db.r6g.xlarge", readers: 1 },
    });
  });

  test("turns the Valkey cache on, encrypted, on cache.r7g.large nodes", () => {
    expect(prod.cache).toMatchObject({ enabled: true, engine: "valkey", nodeType: "cache.r7g.large", encrypted: true, replicas: 1 });
  });

  test("makes prod's standby serve half the viewers from a global database", () => {
    expect(prod.dr).toMatchObject({ mode: "serving", standbyTrafficPercent: 50 });
    expect(hasGlobalDatabase(prod)).toBe(true);
  });

  test("keeps the RDS instance of an environment that had one: choosing Aurora plans no destroy", () => {
    expect(prod.database.migration).toBe("instance-kept");
    expect(hasInstance(prod)).toBe(true);
  });

  test.each(["100-users", "1000-users", "10000-users"] as const)("%s keeps the RDS instance alone, no cache, no serving standby", (size) => {
    const smaller = configOf("prod", { environments: { prod: { size } } });
    expect([smaller.database.engine, hasAurora(smaller), smaller.cache.enabled, smaller.dr.mode]).toEqual(["postgres", false, false, "warm-standby"]);
  });
});

describe("bad input is refused with the fix", () => {
  test("a cache without encryption where data is protected", () => {
    expect(prodProblems(national({ cache: { encrypted: false } }))).toEqual([
      expect.stringMatching(/^environment "prod": cache\.encrypted is false while protectData is on: .* Fix: set cache\.encrypted to true/),
    ]);
  });

  test("the same cache where data is not protected is accepted", () => {
    expect(prodProblems(national({ protectData: false, storage: { forceDestroy: false }, cache: { encrypted: false } }))).toEqual([]);
  });

  test.each(["18.1", "10.21"])("an Aurora version %s whose major AWS never released", (version) => {
    expect(prodProblems(national({ database: { aurora: { engineVersion: version } } }))).toEqual([
      expect.stringMatching(
        new RegExp(
          `database\\.aurora\\.engineVersion "${version.replace(".", "\\.")}": ${version.split(".")[0]} is not an Aurora PostgreSQL major version \\(AWS has released 11, 12, 13, 14, 15, 16, 17\\)\\. Fix: use a released major`,
        ),
      ),
    ]);
  });

  test("an Aurora version without a minor", () => {
    expect(prodProblems(national({ database: { aurora: { engineVersion: "16" } } }))).toEqual([
      expect.stringMatching(/database\.aurora\.engineVersion is "16"; it must be an exact Aurora PostgreSQL version "major\.minor"/),
    ]);
  });

  test("a global database without the DR region's subnets", () => {
    const problems = prodProblems(national({ dr: { availabilityZones: [], publicSubnetCidrs: [], privateSubnetCidrs: [] } }));
    expect(problems).toContainEqual(
      expect.stringMatching(
        /dr\.privateSubnetCidrs lists 0 subnet\(s\) in 0 DR zone\(s\) while the Aurora global database puts its secondary cluster in us-west-2: .* Fix: list 2 dr\.availabilityZones of us-west-2/,
      ),
    );
  });

  test("a Serverless v2 capacity range with min above max", () => {
    expect(prodProblems(national({ database: { aurora: { instanceClass: "db.serverless", minCapacityAcu: 32, maxCapacityAcu: 8 } } }))).toEqual([
      expect.stringMatching(/database\.aurora\.minCapacityAcu 32 ACU is above database\.aurora\.maxCapacityAcu 8\. Fix: keep minCapacityAcu <= maxCapacityAcu/),
    ]);
  });

  test("a capacity that is not a half ACU", () => {
    expect(prodProblems(national({ database: { aurora: { maxCapacityAcu: 7.3 } } }))).toEqual([
      expect.stringMatching(/database\.aurora\.maxCapacityAcu is 7\.3; it must be a multiple of 0\.5/),
    ]);
  });

  test("a serving standby in front of the RDS instance, whose replica refuses writes", () => {
    expect(prodProblems(national({ database: { engine: "postgres" } }))).toEqual([
      expect.stringMatching(
        /dr\.mode is "serving" but the tasks use the RDS instance, whose DR replica refuses writes.* Fix: use database\.engine "aurora-postgresql"/,
      ),
    ]);
  });

  test("a share of the viewers for a standby that does not serve", () => {
    expect(prodProblems(national({ dr: { mode: "warm-standby" } }))).toEqual([
      expect.stringMatching(/dr\.standbyTrafficPercent is 50 while dr\.mode is "warm-standby": .* Fix: set dr\.mode "serving", or dr\.standbyTrafficPercent 0/),
    ]);
  });

  test("an Aurora version without global write forwarding for a serving standby", () => {
    expect(prodProblems(national({ database: { aurora: { engineVersion: "15.3" } } }))).toEqual([
      expect.stringMatching(/database\.aurora\.engineVersion "15\.3" has no global write forwarding, which the standby in serving needs/),
    ]);
  });

  test("a migration that replicates while the tasks are already on Aurora", () => {
    expect(prodProblems({ database: { engine: "aurora-postgresql", migration: "replicating" } })).toEqual([
      expect.stringMatching(
        /database\.migration is "replicating" while database\.engine is "aurora-postgresql".* Fix: keep database\.engine "postgres" until the promotion/,
      ),
    ]);
  });

  test("an Aurora replica of another major than the instance's", () => {
    expect(prodProblems({ database: { migration: "replicating", aurora: { engineVersion: "16.8" } } })).toEqual([
      expect.stringMatching(
        /database\.aurora\.engineVersion "16\.8" is another major than the instance's database\.engineVersion "15".* Fix: pick an Aurora 15\.x version/,
      ),
    ]);
  });

  test("a promoted cluster while the tasks still use the instance", () => {
    expect(prodProblems({ database: { migration: "promoted" } })).toEqual([
      expect.stringMatching(/database\.migration is "promoted" while database\.engine is "postgres": the tasks use the instance/),
    ]);
  });

  test("a retired instance while the tasks still use it", () => {
    expect(prodProblems({ database: { migration: "instance-retired" } })).toEqual([
      expect.stringMatching(/database\.migration is "instance-retired" while database\.engine is "postgres": the tasks use the instance/),
    ]);
  });

  test("a cache version without IAM authentication", () => {
    expect(prodProblems(national({ cache: { engineVersion: "7.0" } }))).toEqual([
      expect.stringMatching(
        /cache\.engineVersion "7\.0" is not a valkey version the cache supports with IAM authentication\. Fix: use one of 7\.2, 8\.0, 8\.1/,
      ),
    ]);
  });

  test("a project name with a double hyphen, which neither RDS nor ElastiCache identifiers may hold", () => {
    const problems = prodProblems(national({ project: "smh--dashboard" }));
    expect(problems).toContainEqual(
      expect.stringMatching(
        /project gives the Aurora identifier "smh--dashboard-prod-aurora-b" must not contain two consecutive hyphens.* Fix: shorten project or environment/,
      ),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(/project gives the ElastiCache id "smh--dashboard-prod-cache" must not contain two consecutive hyphens/),
    );
  });

  test("a Redis OSS cache whose switched-off default user's id is over ElastiCache's 40 characters", () => {
    expect(prodProblems(national({ project: "abcdefghijklmnopqrst", cache: { engine: "redis", engineVersion: "7.1" } }))).toContainEqual(
      expect.stringMatching(/project gives the ElastiCache id "abcdefghijklmnopqrst-prod-dr-cache-default" is 42 characters; AWS allows at most 40/),
    );
  });
});

describe("the note synthesis prints while an instance is kept beside Aurora", () => {
  test("is due for prod at 100000-users that still has its instance, and not once it is retired or for the committed sizes", () => {
    expect(keepsInstanceBesideAurora(configOf("prod", { environments: { prod: { size: "100000-users" } } }))).toBe(true);
    expect(keepsInstanceBesideAurora(configOf("prod", { environments: { prod: { size: "100000-users", database: { migration: "instance-retired" } } } }))).toBe(
      false,
    );
    expect(keepsInstanceBesideAurora(configOf("prod"))).toBe(false);
  });
});
