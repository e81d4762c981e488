import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import deepmerge from "deepmerge";
import {
  ConfigurationError,
  environmentNames,
  mergeSettings,
  resolveBaseline,
  resolveCi,
  resolveEnvironments,
  type DeploymentSettings,
} from "../src/validation";
import { BASE, PRESETS } from "../src/config/presets";
import { SIZE_PRESETS } from "../src/config/sizes";
import { AURORA_POSTGRESQL_CLASSES, type ClassTable, classRefusal, ELASTICACHE_NODE_TYPES, RDS_POSTGRESQL_CLASSES } from "../src/aws/instance-classes";
import { loadSettings, readCdktfJson } from "../src/validation/deployment";
import { readSettingsOverlay } from "../src/config/settings";
import { PRICES } from "../tools/lib/ops/prices";
import { COMMITTED, configOf, MULTI_ACCOUNT, problemsOf } from "./helpers";

describe("presets", () => {
  test("dev is the seed's dev environment: seed sizes, data not protected", () => {
    const dev = configOf("dev");
    expect(dev.service).toMatchObject({ cpu: 512, memory: 1024, desiredCount: 2, minCount: 1, maxCount: 4, containerPort: 8501 });
    expect(dev.protectData).toBe(false);
  });

  test("GIVEN the dev preset THEN it runs the non-production cost profile: one NAT gateway, no interface endpoints, Spot above one on-demand task", () => {
    const dev = configOf("dev");
    expect([dev.network.natGateways, dev.network.interfaceEndpoints]).toEqual(["single", false]);
    expect(dev.service).toMatchObject({ fargateSpot: true, fargateOnDemandBase: 1 });
  });

  test("GIVEN the sandbox preset THEN one task on Spot without an on-demand base, on a public address, no NAT gateway or interface endpoint, logs kept 7 days", () => {
    const sandbox = configOf("sbxalice", { environments: { sbxalice: { preset: "sandbox" } } });
    expect(sandbox.service).toMatchObject({ desiredCount: 1, fargateSpot: true, fargateOnDemandBase: 0, assignPublicIp: true, logRetentionDays: 7 });
    expect([sandbox.network.natGateways, sandbox.network.interfaceEndpoints, sandbox.dr.enabled, sandbox.protectData]).toEqual(["none", false, false, false]);
  });

  test("GIVEN settings that name no environment THEN the deployment is dev and prod, not every preset", () => {
    expect(environmentNames({})).toEqual(["dev", "prod"]);
  });

  test("prod protects data", () => {
    expect(configOf("prod").protectData).toBe(true);
  });

  test("every environment's network is the seed's: 10.0.0.0/16, public 10.0.0-1.0/24, private 10.0.10-11.0/24; prod keeps flow logs a year", () => {
    for (const env of ["dev", "prod"]) {
      expect(configOf(env).network).toMatchObject({
        vpcCidr: "10.0.0.0/16",
        publicSubnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"],
        privateSubnetCidrs: ["10.0.10.0/24", "10.0.11.0/24"],
      });
    }
    expect(configOf("prod").network.flowLogRetentionDays).toBe(365);
  });

  test("every environment keeps its last 10 images", () => {
    expect(["dev", "prod"].map((env) => configOf(env).registry.keepImages)).toEqual([10, 10]);
  });

  test("every environment's ALB is open to everyone (seed), keeps idle websockets 300 seconds and drains a task 30", () => {
    for (const env of ["dev", "prod"]) {
      expect(configOf(env).loadBalancer).toMatchObject({ ingressCidrs: ["0.0.0.0/0"], idleTimeoutSeconds: 300, deregistrationDelaySeconds: 30 });
    }
  });

  test("the app serves Streamlit's health check on 8501", () => {
    expect(configOf("prod").service).toMatchObject({ containerPort: 8501, healthCheckPath: "/_stcore/health" });
  });

  test("prod runs the seed's service: 512 CPU, 1024 MB, 2 tasks scaling 1 to 4, a 120 s grace period, logs kept 365 days (dev 30), metrics in StudentMHDashboard", () => {
    expect(configOf("prod").service).toMatchObject({
      cpu: 512,
      memory: 1024,
      desiredCount: 2,
      minCount: 1,
      maxCount: 4,
      healthCheckGracePeriodSeconds: 120,
      logRetentionDays: 365,
      fargateSpot: false,
      metricNamespace: "StudentMHDashboard",
    });
    expect(configOf("dev").service.logRetentionDays).toBe(30);
  });

  test("every environment adds a task past 70% CPU or 80% memory for 60 s, removes one below 30% and 40% for 300 s", () => {
    for (const env of ["dev", "prod"]) {
      expect(configOf(env).service.scaling).toEqual({
        cpuHighPercent: 70,
        cpuLowPercent: 30,
        memoryHighPercent: 80,
        memoryLowPercent: 40,
        scaleOutSeconds: 60,
        scaleInSeconds: 300,
        scaleOutCooldownSeconds: 60,
        scaleInCooldownSeconds: 300,
      });
    }
  });

  test("prod keeps every bucket from a forced destroy, old versions and access logs a year, data until deleted, with static assets and DR replicas", () => {
    expect(configOf("prod").storage).toMatchObject({
      forceDestroy: false,
      noncurrentVersionExpirationDays: 365,
      logsTransitionDays: 30,
      logsExpirationDays: 365,
      replicateModels: true,
      replicateData: true,
      staticAssets: true,
      corsAllowedOrigins: ["*"],
    });
    expect(configOf("prod").storage.dataExpirationDays).toBeUndefined();
  });

  test("dev (seed) may destroy its buckets: logs move after 30 days and expire after 90, data expires after 30, static assets for its CloudFront, no replicas", () => {
    expect(configOf("dev").storage).toMatchObject({
      forceDestroy: true,
      noncurrentVersionExpirationDays: 30,
      logsTransitionDays: 30,
      logsExpirationDays: 90,
      dataExpirationDays: 30,
      replicateModels: false,
      replicateData: false,
      staticAssets: true,
    });
  });

  test("prod's CloudFront: price class 100 (US, Canada, Europe), /static/* cached an hour, every country, no domain of its own yet", () => {
    expect(configOf("prod").edge.cloudfront).toMatchObject({
      enabled: true,
      priceClass: "PriceClass_100",
      staticPathPatterns: ["/static/*"],
      staticDefaultTtlSeconds: 3600,
      allowedCountries: [],
      domainNames: [],
    });
    expect(configOf("dev").edge.cloudfront).toMatchObject({ enabled: true, acceptDefaultCertificate: true });
  });

  test("the presets' Content-Security-Policy lets Streamlit work (websockets and fetches to its own origin, emotion's inline styles) and frames nothing", () => {
    const csp = configOf("prod").edge.cloudfront.contentSecurityPolicy;
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  });

  test("prod's database is the seed's: PostgreSQL 15 on db.t3.micro, 20 GB growing to 100, Multi-AZ, 7-day backups at 03:00, maintenance Sunday 04:30, monitored every 60 s, backups not copied to the DR region", () => {
    expect(configOf("prod").database).toMatchObject({
      enabled: true,
      engineVersion: "15",
      instanceClass: "db.t3.micro",
      allocatedStorageGb: 20,
      maxAllocatedStorageGb: 100,
      multiAz: true,
      backupRetentionDays: 7,
      backupWindow: "03:00-04:00",
      maintenanceWindow: "sun:04:30-sun:05:30",
      monitoringIntervalSeconds: 60,
      replicateBackupsToDr: false,
      alarms: { cpuPercent: 80, freeStorageGb: 2, connections: 80 },
    });
  });

  test("dev has no database; turned on, it is single-AZ with 1-day backups", () => {
    expect(configOf("dev").database).toMatchObject({ enabled: false, multiAz: false, backupRetentionDays: 1 });
  });

  test("prod alarms past 10 5XX responses or 2 s of response time or 20 high-risk predictions per minute, for 3 minutes; dev waits 5", () => {
    expect(configOf("prod").monitoring).toEqual({
      periodSeconds: 60,
      evaluationPeriods: 3,
      http5xxPerPeriod: 10,
      targetResponseSeconds: 2,
      highRiskPredictionsPerPeriod: 20,
    });
    expect(configOf("dev").monitoring.evaluationPeriods).toBe(5);
  });

  test("prod reaches ECR, CloudWatch Logs and Secrets Manager through interface endpoints, and the internet through a NAT gateway per zone, on regular Fargate", () => {
    const prod = configOf("prod");
    expect([prod.network.interfaceEndpoints, prod.network.natGateways, prod.service.fargateSpot]).toEqual([true, "one-per-az", false]);
  });

  test("the committed settings subscribe no e-mail to the alerts (a newcomer sets alertEmail)", () => {
    expect(["dev", "prod"].map((env) => configOf(env).alertEmail)).toEqual([undefined, undefined]);
  });

  test("prod's web ACL blocks an address past 2,000 requests per 5 minutes, an anonymizing one past 500", () => {
    expect(configOf("prod").edge.waf).toMatchObject({ enabled: true, rateLimitPer5Minutes: 2000, anonymousRateLimitPer5Minutes: 500 });
  });

  test("primary region is us-east-1 and the state region us-west-2 by default", () => {
    const prod = configOf("prod");
    expect([prod.region, prod.stateRegion]).toEqual(["us-east-1", "us-west-2"]);
    expect(prod.availabilityZones).toEqual(["us-east-1a", "us-east-1b"]);
  });

  test("environment settings override shared settings, which override the preset", () => {
    const config = configOf("dev", {
      service: { imageTag: "shared" },
      environments: { dev: { service: { imageTag: "abc123" } } },
    });
    expect(config.service.imageTag).toBe("abc123");
    expect(configOf("prod", { service: { imageTag: "shared" } }).service.imageTag).toBe("shared");
  });

  test("a size preset sits between the environment preset and the user's settings", () => {
    const sized = configOf("prod", { environments: { prod: { size: "1000-users" } } });
    expect(sized.service).toMatchObject({ desiredCount: 4, minCount: 4, maxCount: 8 });
    expect(sized.database.instanceClass).toBe("db.t3.small");
    expect(configOf("prod", { size: "1000-users", database: { instanceClass: "db.t3.medium" } }).database.instanceClass).toBe("db.t3.medium");
    expect(configOf("prod").size).toBe("100-users");
  });

  test("the committed cdktf.json settings are valid", () => {
    expect(resolveEnvironments(COMMITTED).map((c) => c.environment)).toEqual(["dev", "prod"]);
  });
});

describe("settings layers merge as deepmerge.all does with arrays replaced (the merge the project used before its own one-pass merge)", () => {
  const reference = (layers: object[]) => deepmerge.all(layers, { arrayMerge: (_target, source) => source });
  /** A value's JSON with its keys in order, undefined written out (toStrictEqual would compare an own `constructor` key as the objects' class). */
  const written = (value: unknown) => JSON.stringify(value, (_key, v: unknown) => (v === undefined ? "<undefined>" : v));
  const same = (layers: object[]) => expect(written(mergeSettings(...(layers as DeploymentSettings[])))).toBe(written(reference(layers)));

  test("GIVEN the base, every preset and size, the committed settings and the multi-account example THEN the same configuration, key for key", () => {
    for (const preset of Object.values(PRESETS)) {
      for (const size of Object.values(SIZE_PRESETS)) same([BASE, preset, size, COMMITTED, COMMITTED.environments?.prod ?? {}, { environment: "prod" }]);
    }
    same([COMMITTED, MULTI_ACCOUNT]);
  });

  test("GIVEN generated layers (sections, arrays, nulls, values, undefined, in any order) THEN the same result", () => {
    // A fixed sequence of choices: the same layers every run.
    let seed = 20261206;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * n);
    };
    const keys = ["a", "b", "c", "d", "10", "2"];
    const leaf = (): unknown => [1, "x", null, undefined, true, [1, 2], [{ a: 1 }], []][next(8)];
    const section = (depth: number): Record<string, unknown> => {
      const out: Record<string, unknown> = {};
      for (let i = next(4); i > 0; i -= 1) {
        const key = keys[next(keys.length)];
        const value = depth > 0 && next(2) === 0 ? section(depth - 1) : leaf();
        out[key] = value;
      }
      return out;
    };
    for (let run = 0; run < 300; run += 1) same(Array.from({ length: 1 + next(5) }, () => section(3)));
  });

  test("GIVEN a settings file with a key every object inherits (__proto__, constructor, toString) THEN it sets nothing, wherever it is", () => {
    for (const key of ["__proto__", "constructor", "toString"]) {
      for (const layers of [
        [`{"${key}": {"polluted": true}}`],
        ['{"network": 5}', `{"network": {"${key}": {"polluted": true}}}`],
        ['{"tags": {}}', `{"tags": {"${key}": {"polluted": true}}}`],
      ]) {
        const merged = mergeSettings(...layers.map((text) => JSON.parse(text) as DeploymentSettings)) as Record<string, any>;
        const sections = [merged, ...Object.values(merged).filter((v) => v !== null && typeof v === "object")];
        expect(sections.map((section) => [Object.getPrototypeOf(section) === Object.prototype, Object.keys(section).includes(key), section.polluted])).toEqual(
          sections.map(() => [true, false, undefined]),
        );
      }
    }
  });

  test("GIVEN merged layers THEN the result shares no section with them, and an array is the last layer's own", () => {
    const cidrs = ["10.0.10.0/24"];
    const layer = { network: { privateSubnetCidrs: cidrs }, tags: { Team: "a" } } as DeploymentSettings;
    const merged = mergeSettings({ tags: { Owner: "b" } }, layer);
    expect(merged.tags).not.toBe(layer.tags);
    expect(merged.network).not.toBe(layer.network);
    expect(merged.network?.privateSubnetCidrs).toBe(cidrs);
    expect(merged.tags).toEqual({ Owner: "b", Team: "a" });
  });
});

describe("environments are data", () => {
  test("a third environment starts from the preset it names, with its own overrides", () => {
    const configs = resolveEnvironments(COMMITTED, {
      environments: {
        staging: { preset: "prod", acceptUnencryptedHttp: true, edge: { cloudfront: { acceptDefaultCertificate: true } }, service: { desiredCount: 1 } },
      },
    });
    expect(configs.map((c) => c.environment)).toEqual(["dev", "prod", "staging"]);
    const staging = configs.find((c) => c.environment === "staging")!;
    const prod = configs.find((c) => c.environment === "prod")!;
    expect(staging).toMatchObject({ protectData: true, database: { enabled: true }, service: { desiredCount: 1 } });
    expect(prod.service.desiredCount).toBe(2);
  });

  test("a sandbox per developer is one entry starting from dev", () => {
    const [sandbox] = resolveEnvironments({ ...COMMITTED, environments: { sbxalice: { preset: "dev" } } });
    expect(sandbox).toMatchObject({ environment: "sbxalice", protectData: false, database: { enabled: false } });
  });
});

describe("validation rules, one bad value each", () => {
  test.each<[string, DeploymentSettings, RegExp]>([
    ["state region equal to the primary region", { stateRegion: "us-east-1" }, /stateRegion "us-east-1" equals region/],
    [
      "fewer than two zones",
      { availabilityZones: ["us-east-1a"], network: { publicSubnetCidrs: ["10.0.0.0/24"], privateSubnetCidrs: ["10.0.10.0/24"] } },
      /availabilityZones lists 1 zone\(s\); .* at least 2/,
    ],
    ["a zone of another region", { availabilityZones: ["us-east-1a", "us-west-2b"] }, /availabilityZones\[1\] "us-west-2b" is not a zone of region us-east-1/],
    [
      "a subnet outside the VPC",
      { network: { privateSubnetCidrs: ["10.0.10.0/24", "10.1.11.0/24"] } },
      /network.privateSubnetCidrs\[1\] "10.1.11.0\/24" is not inside network.vpcCidr/,
    ],
    ["overlapping subnets", { network: { privateSubnetCidrs: ["10.0.10.0/24", "10.0.0.0/23"] } }, /"10.0.0.0\/23" overlaps network.publicSubnetCidrs\[0\]/],
    [
      "a subnet count that differs from the zone count",
      { network: { publicSubnetCidrs: ["10.0.0.0/24"] } },
      /network.publicSubnetCidrs lists 1 CIDR\(s\) for 2 availability zones/,
    ],
    ["desired count above the autoscaling maximum", { service: { desiredCount: 5 } }, /service.desiredCount 5 is outside the autoscaling range 1..4/],
    ["minimum above maximum", { service: { minCount: 5, maxCount: 4 } }, /service.minCount 5 is above service.maxCount 4/],
    ["an invalid Fargate CPU/memory pair", { service: { cpu: 512, memory: 512 } }, /service.memory 512 MiB is not valid with 512 CPU units.*1024..4096/],
    ["a CPU size Fargate does not have", { service: { cpu: 300 } }, /service.cpu 300 is not a Fargate CPU size/],
    ["an invalid e-mail", { alertEmail: "ops-at-example" }, /alertEmail is "ops-at-example"; it must be an e-mail address/],
    ["an invalid CIDR", { loadBalancer: { ingressCidrs: ["10.0.0.0/33"] } }, /loadBalancer.ingressCidrs\[0\] is ".*"; it must be an IPv4 CIDR block/],
    [
      "an invalid certificate ARN",
      { loadBalancer: { certificateArn: "arn:aws:iam::123456789012:server-certificate/x" } },
      /loadBalancer.certificateArn is ".*; it must be an acm ARN/,
    ],
    [
      "plain HTTP to a protected environment's ALB",
      { environments: { prod: { acceptUnencryptedHttp: false } } },
      /environments\/prod\.json: loadBalancer.httpsEnabled leaves a hop unencrypted while protectData is on: CloudFront reaches the ALB over plain HTTP/,
    ],
    [
      "plain HTTP from a protected environment's ALB to its tasks",
      { environments: { prod: { acceptUnencryptedHttp: false } } },
      /environments\/prod\.json: loadBalancer.targetProtocol leaves a hop unencrypted/,
    ],
    ["HTTPS without a certificate", { loadBalancer: { httpsEnabled: true } }, /loadBalancer.certificateArn is required when loadBalancer.httpsEnabled is true/],
    [
      "a certificate in another region",
      { loadBalancer: { httpsEnabled: true, certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc" } },
      /an ALB needs a certificate in its own region us-east-1/,
    ],
    ["an invalid account id", { accountId: "12345" }, /accountId is "12345"; it must be a 12-digit AWS account id/],
    ["an invalid region", { region: "useast1" }, /region "useast1" is not an AWS region/],
    ["the image tag latest", { service: { imageTag: "latest" } }, /service.imageTag is "latest"; it must not be "latest"/],
    [
      "an anonymous-IP rate limit above the per-IP one",
      { edge: { waf: { rateLimitPer5Minutes: 1000, anonymousRateLimitPer5Minutes: 1500 } } },
      /edge.waf.anonymousRateLimitPer5Minutes 1500 is above edge.waf.rateLimitPer5Minutes 1000: .* Fix: set it at or below 1000/,
    ],
    [
      "a scale-in CPU threshold not below the scale-out one",
      { service: { scaling: { cpuLowPercent: 75 } } },
      /service.scaling.cpuLowPercent 75 is not below service.scaling.cpuHighPercent 70/,
    ],
    ["a bucket suffix that makes a name too long", { storage: { bucketSuffix: "a-very-long-suffix-x" } }, /storage.bucketSuffix .*characters; AWS allows 3-63/],
    ["force_destroy with protected data", { storage: { forceDestroy: true } }, /environment "prod": storage.forceDestroy is true while protectData is on/],
    [
      "logs that expire before they transition",
      { storage: { logsExpirationDays: 20 } },
      /storage.logsExpirationDays 20 is not after storage.logsTransitionDays 30/,
    ],
    [
      "CloudFront without a certificate or explicit acceptance",
      { edge: { cloudfront: { acceptDefaultCertificate: false } } },
      /edge.cloudfront.certificateArn is required while CloudFront is on/,
    ],
    [
      "a CloudFront certificate outside us-east-1",
      { edge: { cloudfront: { certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/x", domainNames: ["d.example.edu"] } } },
      /CloudFront only uses ACM certificates from us-east-1/,
    ],
    [
      "a CloudFront certificate without domain names",
      { edge: { cloudfront: { certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555" } } },
      /edge.cloudfront.domainNames is empty while certificateArn is set/,
    ],
    [
      "an HTTPS ALB behind CloudFront without its origin domain",
      { loadBalancer: { httpsEnabled: true, certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/66666666-7777-8888-9999-000000000000" } },
      /edge.cloudfront.albOriginDomain is required/,
    ],
    ["CloudFront without the static bucket", { storage: { staticAssets: false } }, /edge.cloudfront.enabled is true but storage.staticAssets is false/],
    ["backup retention above 35", { database: { backupRetentionDays: 36 } }, /database.backupRetentionDays is 36; it must be 0-35/],
    [
      "a storage ceiling below the allocation",
      { database: { allocatedStorageGb: 50, maxAllocatedStorageGb: 40 } },
      /database.maxAllocatedStorageGb 40 is below database.allocatedStorageGb 50/,
    ],
    [
      "an instance class of the wrong shape",
      { database: { instanceClass: "t3.micro" } },
      /database.instanceClass is "t3.micro"; it must be an RDS instance class/,
    ],
    [
      "no backups while data is protected",
      { database: { backupRetentionDays: 0 } },
      /database.backupRetentionDays is 0 \(no automated backups\) while protectData is on/,
    ],
    [
      "a log retention CloudWatch does not offer",
      { service: { logRetentionDays: 45 } },
      /service.logRetentionDays is 45; it must be one of CloudWatch Logs' retention values/,
    ],
    ["a misspelt setting", { network: { natGateway: "single" } as never }, /network has unknown setting\(s\) "natGateway". Fix: correct the spelling/],
    [
      "an unknown size",
      { size: "huge" as never },
      /size is "huge", not one of "100-users", "1000-users", "10000-users", "100000-users". Fix: use one of them./,
    ],
    ["an environment without a preset", { environments: { staging: {} } }, /environments.staging: declares no preset to start from. Fix: add "preset": "dev"/],
    [
      "an environment with an unknown preset",
      { environments: { staging: { preset: "qa" } } },
      /environments.staging.preset "qa" is not a preset. Fix: use one of dev, sandbox, prod/,
    ],
    [
      "an environment named like a shared stack",
      { environments: { baseline: { preset: "dev" } } },
      /environments.baseline: "baseline" is the name of a shared stack/,
    ],
    [
      "an environment name with a hyphen",
      { environments: { "dev-alice": { preset: "dev" } } },
      /environment "dev-alice": environment is "dev-alice"; it must be 2-10 lower-case letters or digits/,
    ],
  ])("rejects %s", (_name, settings, expected) => {
    const problems = problemsOf(settings);
    expect(problems.join("\n")).toMatch(expected);
  });

  test("valid settings produce no problem", () => {
    expect(problemsOf({ alertEmail: "ops@example.edu", service: { cpu: 1024, memory: 2048 } })).toEqual([]);
  });

  test("every problem of every environment is reported at once, each with its environment and fix", () => {
    const own: DeploymentSettings = { stateRegion: "us-east-1", network: { privateSubnetCidrs: ["10.0.10.0/24", "10.0.10.128/25"] } };
    const problems = problemsOf({ environments: { dev: own, prod: own } });
    // 2 problems x 2 environments
    expect(problems).toHaveLength(4);
    expect(problems.filter((p) => p.startsWith('environment "dev"'))).toHaveLength(2);
    expect(problems.filter((p) => p.startsWith('environment "prod"'))).toHaveLength(2);
    expect(problems.every((p) => /Fix: /.test(p))).toBe(true);
  });

  test("the fix for a state region equal to the primary region suggests another region, never the same one", () => {
    const problems = problemsOf({ region: "us-west-2", stateRegion: "us-west-2", availabilityZones: ["us-west-2a", "us-west-2b"] });
    // a top-level mistake, reported once
    expect(problems).toHaveLength(1);
    for (const p of problems) {
      expect(p).toMatch(/Fix: set stateRegion to another region, e.g. "us-east-1"/);
      expect(p.split("Fix:")[1]).not.toContain("us-west-2");
    }
  });

  test("a setting the schema refuses does not hide the problems of other sections", () => {
    const problems = problemsOf({
      environments: { dev: { network: { vpcCidr: "10.0.0.0/33" }, service: { cpu: 300, desiredCount: 9 }, availabilityZones: ["eu-west-1a", "eu-west-1b"] } },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^environment "dev": network.vpcCidr is "10.0.0.0\/33"; it must be an IPv4 CIDR block/),
        expect.stringMatching(/^environment "dev": service.cpu 300 is not a Fargate CPU size/),
        expect.stringMatching(/^environment "dev": service.desiredCount 9 is outside the autoscaling range/),
        expect.stringMatching(/^environment "dev": availabilityZones\[0\] "eu-west-1a" is not a zone of region us-east-1/),
      ]),
    );
    // Nothing is said about the network from the preset's stand-in CIDR.
    expect(problems.filter((p) => p.includes("network."))).toHaveLength(1);
  });

  test("an unknown top-level setting is reported once, with its name as the path", () => {
    expect(problemsOf({ bogusKey: 1 } as never)).toEqual([expect.stringMatching(/^bogusKey: unknown top-level setting\(s\) "bogusKey"\. Fix: /)]);
  });

  test("an unknown setting of one environment is reported for that environment only, without an empty path", () => {
    expect(problemsOf({ environments: { dev: { bogus: 1 } as never } })).toEqual([
      'environment "dev": has unknown setting(s) "bogus". Fix: correct the spelling or remove them; docs/settings.md lists every key.',
    ]);
  });

  test("the error message lists the problems under one heading", () => {
    expect(() => resolveEnvironments(COMMITTED, { stateRegion: "us-east-1", environments: { dev: { stateRegion: "us-east-1" } } })).toThrow(
      /^Invalid deployment configuration \(2 problems\):\n {2}- environment "dev": stateRegion/,
    );
  });
});

describe("what Terraform and AWS would refuse later is refused here", () => {
  test.each<[string, DeploymentSettings, string]>([
    [
      "a VPC CIDR with host bits set",
      { network: { vpcCidr: "10.0.0.1/16" } },
      'network.vpcCidr "10.0.0.1/16" is not a network address: bits after /16 are set, which Terraform and AWS refuse. Fix: did you mean "10.0.0.0/16"?',
    ],
    [
      "a subnet with host bits set",
      { network: { publicSubnetCidrs: ["10.0.0.5/24", "10.0.1.0/24"] } },
      'network.publicSubnetCidrs[0] "10.0.0.5/24" is not a network address: bits after /24 are set, which Terraform and AWS refuse. Fix: did you mean "10.0.0.0/24"?',
    ],
    [
      "an ingress CIDR with host bits set",
      { loadBalancer: { ingressCidrs: ["10.0.0.1/8"] } },
      'loadBalancer.ingressCidrs[0] "10.0.0.1/8" is not a network address: bits after /8 are set, which Terraform and AWS refuse. Fix: did you mean "10.0.0.0/8"?',
    ],
    [
      "a DR subnet with host bits set",
      { dr: { privateSubnetCidrs: ["10.1.10.1/24", "10.1.11.0/24"] } },
      'dr.privateSubnetCidrs[0] "10.1.10.1/24" is not a network address: bits after /24 are set, which Terraform and AWS refuse. Fix: did you mean "10.1.10.0/24"?',
    ],
    [
      "a VPC larger than AWS allows",
      { network: { vpcCidr: "10.0.0.0/8" } },
      'network.vpcCidr "10.0.0.0/8" is a /8; AWS allows a VPC from /16 to /28. Fix: choose a prefix length in that range.',
    ],
    [
      "logs that move to STANDARD_IA before S3 allows",
      { storage: { logsTransitionDays: 10 } },
      "storage.logsTransitionDays is 10; it must be at least 30: S3 moves objects to STANDARD_IA only once they are 30 days old. Fix: set it to 30 or more (seed: 30).",
    ],
    [
      "a region that does not exist",
      { region: "us-east-9", availabilityZones: ["us-east-9a", "us-east-9b"] },
      'region "us-east-9" is not an AWS region (src/aws/regions.ts lists them; an offline plan does not check regions). Fix: use a region such as "us-east-1", "us-east-2"; if AWS has opened it since, add it to src/aws/regions.ts.',
    ],
    [
      "a zone letter the region does not have",
      { availabilityZones: ["us-east-1a", "us-east-1g"] },
      'availabilityZones[1] "us-east-1g" is not a zone of us-east-1, whose zones are us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f (src/aws/regions.ts). Fix: use one of those.',
    ],
    [
      "a DR zone letter the DR region does not have (prod's standby)",
      { dr: { availabilityZones: ["us-west-2a", "us-west-2e"] } },
      'dr.availabilityZones[1] "us-west-2e" is not a zone of us-west-2, whose zones are us-west-2a, us-west-2b, us-west-2c, us-west-2d (src/aws/regions.ts). Fix: use one of those.',
    ],
    [
      "a state region in another partition",
      { stateRegion: "us-gov-west-1", dr: { availabilityZones: ["us-gov-west-1a", "us-gov-west-1b"] } },
      'stateRegion "us-gov-west-1" is in partition aws-us-gov, region "us-east-1" in aws; replication, ARNs and the state bucket do not cross partitions. Fix: choose a stateRegion of partition aws.',
    ],
  ])("GIVEN %s WHEN resolved THEN it is refused with the fix", (name, settings, expected) => {
    // dev has no standby: the DR settings are checked in prod only; a top-level mistake of both is reported once.
    expect(problemsOf(settings)).toContain(`${name.includes("standby") ? 'environment "prod": ' : ""}${expected}`);
  });

  test.each<[string, DeploymentSettings, string]>([
    [
      "the ALB's",
      { loadBalancer: { httpsEnabled: true, certificateArn: "arn:aws:acm:us-east-1:210987654321:certificate/abc" } },
      "loadBalancer.certificateArn",
    ],
    [
      "CloudFront's",
      { edge: { cloudfront: { certificateArn: "arn:aws:acm:us-east-1:210987654321:certificate/abc", domainNames: ["d.example.edu"] } } },
      "edge.cloudfront.certificateArn",
    ],
    ["the standby ALB's", { dr: { certificateArn: "arn:aws:acm:us-west-2:210987654321:certificate/abc" } }, "dr.certificateArn"],
  ])("GIVEN %s certificate of another account WHEN resolved THEN it is refused with the deployment's account", (_which, settings, path) => {
    expect(problemsOf(settings).join("\n")).toContain(
      `${path} "arn:aws:acm:${path === "dr.certificateArn" ? "us-west-2" : "us-east-1"}:210987654321:certificate/abc" belongs to account 210987654321, not the environment's accountId 123456789012; ALBs and CloudFront use certificates of their own account only. Fix: request or import the certificate in account 123456789012 and use its ARN.`,
    );
  });

  test("GIVEN a certificate ARN of another partition WHEN resolved THEN it is refused with the ARN's beginning", () => {
    const certificateArn = "arn:aws-cn:acm:us-east-1:123456789012:certificate/abc";
    expect(problemsOf({ loadBalancer: { httpsEnabled: true, certificateArn } })).toContain(
      `loadBalancer.certificateArn "${certificateArn}" is an ARN of partition aws-cn, but us-east-1 is in partition aws; a certificate serves resources of its own partition only. Fix: use the ARN of a certificate in us-east-1, which begins "arn:aws:acm:us-east-1:".`,
    );
  });

  test("GIVEN a refused accountId WHEN resolved THEN the certificates are not also checked against the preset's account", () => {
    const certificateArn = "arn:aws:acm:us-east-1:210987654321:certificate/abc";
    expect(
      problemsOf({ accountId: "2109876543", loadBalancer: { httpsEnabled: true, certificateArn } }).filter((p) => p.includes("belongs to account")),
    ).toEqual([]);
  });

  test("GIVEN an unknown region WHEN resolved THEN its zones are not also reported against the preset's region", () => {
    expect(problemsOf({ region: "us-east-9", availabilityZones: ["us-east-9a", "us-east-9b"] }).filter((p) => p.includes("availabilityZones"))).toEqual([]);
  });
});

describe("tags are ones AWS accepts", () => {
  test.each<[string, DeploymentSettings, string]>([
    [
      "a key beginning with aws:",
      { tags: { "aws:team": "ops" } },
      'tags has the tag key "aws:team"; it starts with "aws:", which AWS reserves for its own tags. Fix: drop the prefix, e.g. "team".',
    ],
    [
      "a key beginning with AWS: in capitals",
      { tags: { "AWS:Team": "ops" } },
      'tags has the tag key "AWS:Team"; it starts with "AWS:", which AWS reserves for its own tags. Fix: drop the prefix, e.g. "Team".',
    ],
    [
      "a value of 300 characters",
      { tags: { Team: "x".repeat(300) } },
      `tags.Team is "${"x".repeat(36)}...; it is 300 characters long; a tag value has at most 256. Fix: shorten it to 256 characters.`,
    ],
    [
      "a key of 129 characters",
      { tags: { ["k".repeat(129)]: "ops" } },
      `tags has the tag key "${"k".repeat(36)}...; it is 129 characters long; a tag key has at most 128. Fix: shorten it to 128 characters.`,
    ],
    [
      "a key with characters outside AWS's set",
      { tags: { "cost#center!": "ops" } },
      'tags has the tag key "cost#center!"; it holds "#", "!"; a tag key holds only letters, numbers, spaces and + - = . _ : / @. Fix: remove those characters or replace them, e.g. with "-".',
    ],
    ["an empty key", { tags: { "": "ops" } }, 'tags has the tag key ""; it is empty; a tag key has at least 1 character. Fix: name the tag, e.g. "Team".'],
    [
      "a data classification with a character outside AWS's set",
      { dataClassification: "phi, confidential" },
      'dataClassification is "phi, confidential"; it holds ","; a tag value holds only letters, numbers, spaces and + - = . _ : / @. Fix: remove those characters or replace them, e.g. with "-".',
    ],
  ])("GIVEN %s WHEN resolved THEN it is refused with the fix", (_name, settings, expected) => {
    expect(problemsOf(settings)).toEqual([expected]);
  });

  test("GIVEN tags of every character AWS allows, an empty value and non-Latin letters WHEN resolved THEN they are accepted", () => {
    expect(problemsOf({ tags: { "Cost Center": "a+b-c=d.e_f:g/h@i 1", Owner: "", Équipe: "données", ["k".repeat(128)]: "v".repeat(256) } })).toEqual([]);
  });
});

describe("a setting that would do nothing is refused", () => {
  test("GIVEN database.multiAz in an environment without a database WHEN resolved THEN it is refused, naming the setting to set", () => {
    expect(problemsOf({ environments: { dev: { database: { multiAz: true } } } })).toEqual([
      'environment "dev": database.multiAz is true but the environment has no RDS instance (database.enabled is false), so it would do nothing. Fix: set database.enabled to true to create the database, or set database.multiAz only for the environments that have one (environments.<name>.database.multiAz).',
    ]);
  });

  test("GIVEN database.multiAz shared by every environment WHEN resolved THEN only the environment without a database refuses it", () => {
    expect(problemsOf({ database: { multiAz: false } }).map((p) => p.split(":")[0])).toEqual(['environment "dev"']);
  });

  test("GIVEN database.multiAz where the Aurora cluster replaced the instance WHEN resolved THEN it is refused with database.aurora.readers", () => {
    const problems = problemsOf({ environments: { prod: { database: { engine: "aurora-postgresql", migration: "instance-retired", multiAz: true } } } });
    expect(problems.filter((p) => p.includes("multiAz"))).toEqual([
      'environment "prod": database.multiAz is true but the environment has no RDS instance (database.migration is "instance-retired"), so it would do nothing. Fix: remove database.multiAz: the Aurora cluster spreads its instances over the zones by database.aurora.readers (at least 1 for a failover target in another zone).',
    ]);
  });

  test("GIVEN dev without a database and its preset's multiAz, or dev with a database and multiAz WHEN resolved THEN nothing is refused", () => {
    expect(problemsOf({})).toEqual([]);
    expect(problemsOf({ environments: { dev: { database: { enabled: true, multiAz: true } } } })).toEqual([]);
  });
});

describe("CORS origins are ones a browser's Origin can match", () => {
  test.each<[string, string, string]>([
    [
      "an origin without a scheme",
      "example.org",
      'storage.corsAllowedOrigins[0] is "example.org"; it must start with its scheme (https://): a browser\'s Origin always has one, so an origin without it never matches. Fix: write "https://example.org".',
    ],
    [
      "an origin with a path",
      "https://example.org/app",
      'storage.corsAllowedOrigins[0] is "https://example.org/app"; it must be an origin as a browser sends it, scheme://host[:port] with no path and at most one "*", or it never matches. Fix: write "https://example.org".',
    ],
    [
      "an origin with two wildcards",
      "https://*.*.example.org",
      'storage.corsAllowedOrigins[0] is "https://*.*.example.org"; it must be an origin as a browser sends it, scheme://host[:port] with no path and at most one "*", or it never matches. Fix: write "https://*.example.org".',
    ],
  ])("GIVEN %s WHEN resolved THEN it is refused with the fix", (_name, origin, expected) => {
    expect(problemsOf({ storage: { corsAllowedOrigins: [origin] } })).toEqual([expected]);
  });

  test("GIVEN an empty origin WHEN resolved THEN it is refused as empty, once", () => {
    expect(problemsOf({ storage: { corsAllowedOrigins: [""] } })).toEqual(["storage.corsAllowedOrigins[0] is empty. Fix: write a value."]);
  });

  test.each(["*", "https://dashboard.example.edu", "http://localhost:8501", "https://*.example.edu"])(
    "GIVEN the origin %s WHEN resolved THEN it is accepted",
    (origin) => {
      expect(problemsOf({ storage: { corsAllowedOrigins: [origin] } })).toEqual([]);
    },
  );
});

describe("instance classes and node types are ones AWS offers for the engine", () => {
  test.each<[string, DeploymentSettings, string]>([
    [
      "an RDS instance class of a size its family lacks",
      { database: { instanceClass: "db.t3.mega" } },
      'database.instanceClass is "db.t3.mega"; it must be an RDS for PostgreSQL instance class; db.t3 comes in micro, small, medium, large, xlarge, 2xlarge. Fix: use one of those sizes, e.g. "db.t3.micro".',
    ],
    [
      "an RDS instance class of a family AWS does not have",
      { database: { instanceClass: "db.q9.large" } },
      'database.instanceClass is "db.q9.large"; it must be an RDS for PostgreSQL instance class; there is no family db.q9 (db.t3, db.t4g, db.m5, db.m6g, db.m6i, db.m7g, db.r5, db.r6g, db.r6i, db.r7g). Fix: use one of those families, e.g. "db.t3.micro"; if AWS\'s page lists the family, add it to src/aws/instance-classes.ts.',
    ],
    [
      "an Aurora PostgreSQL class that only RDS offers",
      { database: { aurora: { instanceClass: "db.t3.micro" } } },
      'database.aurora.instanceClass is "db.t3.micro"; it must be an Aurora PostgreSQL instance class, or "db.serverless"; db.t3 comes in medium, large. Fix: use one of those sizes, e.g. "db.t3.medium".',
    ],
    [
      "an ElastiCache node type of a size its family lacks",
      { cache: { nodeType: "cache.t4g.huge" } },
      'cache.nodeType is "cache.t4g.huge"; it must be an ElastiCache node type for Valkey and Redis OSS; cache.t4g comes in micro, small, medium. Fix: use one of those sizes, e.g. "cache.t4g.micro".',
    ],
  ])("GIVEN %s WHEN resolved THEN it is refused with the sizes it comes in", (_name, settings, expected) => {
    expect(problemsOf(settings)).toContain(expected);
  });

  test("every class the cost estimate prices is one the settings accept for its engine", () => {
    const priced: [ClassTable, string[]][] = [
      [RDS_POSTGRESQL_CLASSES, Object.keys(PRICES.rds.instanceHour)],
      [AURORA_POSTGRESQL_CLASSES, Object.keys(PRICES.aurora.instanceHour)],
      [ELASTICACHE_NODE_TYPES, Object.values(PRICES.elasticache.nodeHour).flatMap(Object.keys)],
    ];
    expect(priced.flatMap(([table, classes]) => classes.filter((c) => classRefusal(c, table, "") !== undefined))).toEqual([]);
  });

  test("GIVEN the size presets' classes (db.r5.xlarge, db.r6g.xlarge, cache.r7g.large) and db.serverless WHEN resolved THEN they are accepted", () => {
    expect(problemsOf({ size: "100000-users", edge: { cloudfront: { acceptDefaultCertificate: true } } })).toEqual([]);
    expect(problemsOf({ database: { aurora: { instanceClass: "db.serverless" } } })).toEqual([]);
  });
});

describe("backup, snapshot and maintenance windows are refused where RDS or ElastiCache would refuse them", () => {
  test.each<[string, DeploymentSettings, string]>([
    [
      "a backup window past 23:59",
      { database: { backupWindow: "24:00-24:30" } },
      'database.backupWindow is "24:00-24:30"; it must be "hh:mm-hh:mm" in UTC, hours 00-23 and minutes 00-59. Fix: write e.g. "03:00-04:00".',
    ],
    [
      "a backup window shorter than 30 minutes",
      { database: { backupWindow: "03:00-03:15" } },
      `database.backupWindow is "03:00-03:15"; it must last at least 30 minutes (RDS's shortest backup window). Fix: end it at least 30 minutes after it starts, e.g. "03:00-04:00".`,
    ],
    [
      "a maintenance window on a day that does not exist",
      { database: { maintenanceWindow: "son:04:30-son:05:30" } },
      'database.maintenanceWindow is "son:04:30-son:05:30"; it must be "ddd:hh:mm-ddd:hh:mm" in UTC, ddd one of mon, tue, wed, thu, fri, sat, sun, hours 00-23 and minutes 00-59. Fix: write e.g. "sun:04:30-sun:05:30".',
    ],
    [
      "a maintenance window at minute 60",
      { database: { maintenanceWindow: "sun:04:60-sun:05:30" } },
      'database.maintenanceWindow is "sun:04:60-sun:05:30"; it must be "ddd:hh:mm-ddd:hh:mm" in UTC, ddd one of mon, tue, wed, thu, fri, sat, sun, hours 00-23 and minutes 00-59. Fix: write e.g. "sun:04:30-sun:05:30".',
    ],
    [
      "an RDS maintenance window shorter than 30 minutes",
      { database: { maintenanceWindow: "sun:04:30-sun:04:45" } },
      `database.maintenanceWindow is "sun:04:30-sun:04:45"; it must last at least 30 minutes (RDS's shortest maintenance window). Fix: end it at least 30 minutes after it starts, e.g. "sun:04:30-sun:05:30".`,
    ],
    [
      "a cache maintenance window shorter than 60 minutes",
      { cache: { maintenanceWindow: "sun:06:00-sun:06:30" } },
      `cache.maintenanceWindow is "sun:06:00-sun:06:30"; it must last at least 60 minutes (ElastiCache's shortest maintenance window). Fix: end it at least 60 minutes after it starts, e.g. "sun:04:30-sun:05:30".`,
    ],
    [
      "a cache snapshot window past 23:59",
      { cache: { snapshotWindow: "01:00-25:00" } },
      'cache.snapshotWindow is "01:00-25:00"; it must be "hh:mm-hh:mm" in UTC, hours 00-23 and minutes 00-59. Fix: write e.g. "03:00-04:00".',
    ],
  ])("GIVEN %s WHEN resolved THEN it is refused with the fix", (_name, settings, expected) => {
    expect(problemsOf(settings)).toContain(expected);
  });

  test("GIVEN windows across midnight and across the week's end WHEN resolved THEN only an overlap is refused", () => {
    expect(
      problemsOf({ database: { backupWindow: "23:45-00:15", maintenanceWindow: "sun:23:30-mon:00:30" }, cache: { maintenanceWindow: "sat:23:30-sun:00:30" } }),
    ).toEqual([expect.stringContaining('overlaps database.maintenanceWindow "sun:23:30-mon:00:30"')]);
    expect(problemsOf({ database: { backupWindow: "23:45-00:15" }, cache: { maintenanceWindow: "sun:23:30-mon:00:30" } })).toEqual([]);
  });

  test("GIVEN a backup window inside the maintenance window WHEN resolved THEN the environment with a database refuses it", () => {
    expect(problemsOf({ database: { backupWindow: "05:00-05:30" } })).toEqual([
      'environment "prod": database.backupWindow "05:00-05:30" overlaps database.maintenanceWindow "sun:04:30-sun:05:30"; RDS refuses a backup window that conflicts with the maintenance window. Fix: move one of them so that they share no minute (the presets: backup "03:00-04:00", maintenance "sun:04:30-sun:05:30").',
    ]);
  });

  test.each([
    ["a backup window that ends where maintenance starts", { backupWindow: "04:00-04:30" }],
    ["a backup window across midnight before a Sunday maintenance", { backupWindow: "23:30-00:30", maintenanceWindow: "sun:01:00-sun:02:00" }],
  ])("GIVEN %s WHEN resolved THEN it is accepted", (_name, database) => {
    expect(problemsOf({ database })).toEqual([]);
  });

  test.each([
    ["across midnight into a Monday maintenance", "23:30-00:30", "mon:00:00-mon:01:00"],
    ["on Monday morning, inside a maintenance across the week's end", "00:00-00:30", "sun:23:50-mon:00:50"],
  ])("GIVEN a backup window %s WHEN resolved THEN it is refused", (_name, backupWindow, maintenanceWindow) => {
    expect(problemsOf({ database: { backupWindow, maintenanceWindow } })).toEqual([
      expect.stringContaining(`database.backupWindow "${backupWindow}" overlaps database.maintenanceWindow "${maintenanceWindow}"`),
    ]);
  });
});

describe("settings of the wrong shape are refused, not ignored", () => {
  test.each<[string, unknown, string]>([
    [
      "an environment that is a list",
      { environments: { dev: [] } },
      'environments.dev is an array; an environment\'s settings are an object. Fix: write "dev": {} to take its preset as it is, or remove "dev".',
    ],
    [
      "an environment that is null",
      { environments: { dev: null } },
      'environments.dev is null; an environment\'s settings are an object. Fix: write "dev": {} to take its preset as it is, or remove "dev".',
    ],
    [
      "an environment that is true",
      { environments: { dev: true } },
      'environments.dev is the boolean true; an environment\'s settings are an object. Fix: write "dev": {} to take its preset as it is, or remove "dev".',
    ],
    [
      "environments that are a list",
      { environments: [] },
      'environments is an array; it maps each environment\'s name to its settings. Fix: write "environments": { "dev": {}, "prod": {} } with the environments you deploy.',
    ],
    [
      "a section that is not an object",
      { network: [] },
      "network is an array; it must be an object (a section of settings, { ... }). Fix: write it so (docs/settings.md lists every key), or remove it to keep the preset's value.",
    ],
    [
      "a value of the wrong type",
      { service: { cpu: "512" } },
      'service.cpu is the string "512"; it must be a number. Fix: write it so (docs/settings.md lists every key), or remove it to keep the preset\'s value.',
    ],
    [
      "Fargate Spot with every task kept on demand",
      { service: { fargateSpot: true, fargateOnDemandBase: 4 } },
      "service.fargateOnDemandBase 4 keeps every task (at most service.maxCount 4) on regular Fargate, so service.fargateSpot true runs none on Spot and saves nothing. Fix: set service.fargateOnDemandBase below 4 (1 keeps the service up when Spot is reclaimed), or set service.fargateSpot to false.",
    ],
    [
      "tasks on public addresses with protected data",
      { environments: { prod: { service: { assignPublicIp: true }, network: { natGateways: "none" } } } },
      'environment "prod": service.assignPublicIp true puts the tasks of an environment with protectData true on public addresses. Fix: set service.assignPublicIp to false (tasks in the private subnets); public tasks are for sandboxes without real data (the sandbox preset).',
    ],
    [
      "tasks on public addresses beside a NAT gateway",
      { environments: { dev: { service: { assignPublicIp: true } } } },
      'environment "dev": service.assignPublicIp true puts the tasks in the public subnets, so network.natGateways "single" serves nothing and costs about $36.50 a month per gateway. Fix: set network.natGateways to "none", or service.assignPublicIp to false.',
    ],
  ])("GIVEN %s WHEN resolved THEN it is refused with the fix", (_name, settings, expected) => {
    expect(problemsOf(settings as DeploymentSettings)).toContain(expected);
  });

  test.each([
    [
      "baseline",
      resolveBaseline,
      'baseline is an array; it is a section of settings. Fix: write "baseline": { ... } with the keys docs/settings.md lists, or remove it.',
    ],
    ["ci", resolveCi, 'ci is null; it is a section of settings. Fix: write "ci": { ... } with the keys docs/settings.md lists, or remove it.'],
  ] as const)("GIVEN a %s section that is not an object WHEN resolved THEN it is refused with the fix", (section, resolve, expected) => {
    const settings = { [section]: section === "baseline" ? [] : null } as DeploymentSettings;
    expect(() => resolve(settings)).toThrow(expected);
  });

  test("GIVEN settings that are not an object WHEN loaded THEN the source is named with the fix", () => {
    expect(() => loadSettings({ CDKTF_CONTEXT_JSON: JSON.stringify({ deployment: [] }) })).toThrow(
      /cdktf.json's context.deployment is an array; the deployment settings are an object\. Fix: /,
    );
  });
});

test("GIVEN a cdktf.json without context.deployment WHEN the settings are loaded THEN the one problem is that they are missing, and where they go", () => {
  // GIVEN a project whose cdktf.json has no deployment settings (and a settings file for staging beside it)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "settings-"));
  fs.writeFileSync(path.join(dir, "cdktf.json"), JSON.stringify({ app: "node tools/app.cjs", context: {} }));
  fs.writeFileSync(path.join(dir, "staging.json"), JSON.stringify({ environments: { staging: { preset: "dev" } } }));
  for (const env of [{}, { DEPLOYMENT_SETTINGS: path.join(dir, "staging.json") }]) {
    // WHEN they are loaded
    let problems: readonly string[] = [];
    try {
      loadSettings(env, dir);
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      problems = error.problems;
    }
    // THEN that is the problem reported, with where the settings go; nothing about the presets' defaults (prod's certificates)
    expect(problems).toEqual([
      expect.stringMatching(/^cdktf\.json's context\.deployment is missing: .* Fix: add "context": \{ "deployment": \{ .* \} \} to cdktf\.json/),
    ]);
  }
});

describe("a syntax error in a settings file names the file, line and column", () => {
  const dirWith = (name: string, text: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "settings-"));
    fs.writeFileSync(path.join(dir, name), text);
    return dir;
  };

  test("GIVEN cdktf.json with a trailing comma WHEN read THEN the error says where", () => {
    const dir = dirWith("cdktf.json", '{\n  "app": "node tools/app.cjs",\n  "context": { "deployment": {}, }\n}\n');
    expect(() => readCdktfJson(dir)).toThrow(ConfigurationError);
    expect(() => readCdktfJson(dir)).toThrow(`${path.join(dir, "cdktf.json")}:3:34: not valid JSON`);
  });

  test("GIVEN cdktf.json with a syntax error WHEN the settings are loaded THEN the error says where and the fix", () => {
    const dir = dirWith("cdktf.json", '{\n  "context": {\n    "deployment": { "region" "us-east-1" }\n  }\n}\n');
    expect(() => loadSettings({}, dir)).toThrow(/cdktf\.json:3:30: not valid JSON \(.*\)\. Fix: correct the JSON at that line and column/);
  });

  test("GIVEN a DEPLOYMENT_SETTINGS file with a syntax error WHEN read THEN the error names the file, line and column", () => {
    const file = path.join(dirWith("deployment.json", '{\n  "alertEmail": "ops@example.edu"\n  "region": "us-east-1"\n}\n'), "deployment.json");
    expect(() => readSettingsOverlay({ DEPLOYMENT_SETTINGS: file })).toThrow(`${file}:3:3: not valid JSON`);
  });
});

describe("settings overlay file", () => {
  test("DEPLOYMENT_SETTINGS names a JSON file that is read", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "settings-")), "deployment.json");
    fs.writeFileSync(file, JSON.stringify({ alertEmail: "ops@example.edu" }));
    expect(readSettingsOverlay({ DEPLOYMENT_SETTINGS: file })).toEqual({ alertEmail: "ops@example.edu", personal: true });
  });

  test("an unreadable file is an error naming the variable", () => {
    expect(() => readSettingsOverlay({ DEPLOYMENT_SETTINGS: "/nonexistent/deployment.json" })).toThrow(/DEPLOYMENT_SETTINGS=\/nonexistent/);
  });

  test("without the variable there is no overlay", () => {
    expect(readSettingsOverlay({})).toBeUndefined();
  });
});
