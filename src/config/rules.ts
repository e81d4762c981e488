import * as ipaddr from "ipaddr.js";
import { partitionOf, zoneProblem } from "../aws/regions";
import { auroraClusterName, bucketNameProblems, cacheIds, drStackName, elastiCacheIdProblems, globalClusterName, rdsIdentifierProblems } from "../naming";
import { atLeast, AURORA_POSTGRESQL_MAJORS, CACHE_ENGINE_VERSIONS, majorOf } from "./engines";
import { bucketNames } from "./buckets";
import type { EnvironmentConfig } from "./schema";

/** One thing wrong with a configuration: where, what, and how to fix it. */
export interface Problem {
  /** Dotted path of the setting, e.g. `network.privateSubnetCidrs[1]`. */
  readonly path: string;
  /** What is wrong and the fix, in one sentence or two. */
  readonly message: string;
}

/** A rule that relates several settings; field-level rules are in the schema. */
export type Rule = (config: EnvironmentConfig) => Problem[];

/** Fargate's CPU units and the memory sizes (MiB) each one accepts. */
export const FARGATE_MEMORY: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

function range(from: number, to: number, step: number): number[] {
  return Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
}

/** A disaster-recovery region to suggest for a primary region: its usual pair, same geography. */
const DR_PAIRS: Readonly<Record<string, string>> = {
  "us-east-1": "us-west-2",
  "us-east-2": "us-west-2",
  "us-west-1": "us-east-1",
  "us-west-2": "us-east-1",
  "ca-central-1": "ca-west-1",
  "eu-west-1": "eu-central-1",
  "eu-west-2": "eu-west-1",
  "eu-west-3": "eu-central-1",
  "eu-central-1": "eu-west-1",
  "eu-north-1": "eu-central-1",
  "ap-southeast-1": "ap-southeast-2",
  "ap-southeast-2": "ap-southeast-1",
  "ap-northeast-1": "ap-northeast-3",
  "ap-south-1": "ap-south-2",
};

export const stateRegionDiffers: Rule = (c) =>
  c.stateRegion === c.region
    ? [
        {
          path: "stateRegion",
          message: `"${c.stateRegion}" equals region; the Terraform state must live in another region to survive a regional outage. Fix: set stateRegion to another region${
            DR_PAIRS[c.region] ? `, e.g. "${DR_PAIRS[c.region]}"` : " of the same geography"
          }.`,
        },
      ]
    : [];

/** The state and DR region serve the primary's ARNs, providers and replication: one partition (aws, aws-us-gov, aws-cn). */
export const regionsShareAPartition: Rule = (c) => {
  const [primary, dr] = [partitionOf(c.region), partitionOf(c.stateRegion)];
  return primary && dr && primary !== dr
    ? [{ path: "stateRegion", message: `"${c.stateRegion}" is in partition ${dr}, region "${c.region}" in ${primary}; replication, ARNs and the state bucket do not cross partitions. Fix: choose a stateRegion of partition ${primary}.` }]
    : [];
};

export const atLeastTwoAzs: Rule = (c) => {
  const problems: Problem[] = [];
  if (c.availabilityZones.length < 2) {
    problems.push({
      path: "availabilityZones",
      message: `lists ${c.availabilityZones.length} zone(s); the ALB and high availability need at least 2. Fix: list two zones of ${c.region}, e.g. ["${c.region}a", "${c.region}b"].`,
    });
  }
  if (new Set(c.availabilityZones).size !== c.availabilityZones.length) {
    problems.push({ path: "availabilityZones", message: "lists a zone twice. Fix: list distinct zones." });
  }
  c.availabilityZones.forEach((zone, i) => {
    if (!zone.startsWith(c.region) || zone.length !== c.region.length + 1) {
      problems.push({
        path: `availabilityZones[${i}]`,
        message: `"${zone}" is not a zone of region ${c.region}. Fix: use a zone such as "${c.region}a".`,
      });
    } else {
      const letter = zoneProblem(zone, c.region);
      if (letter) problems.push({ path: `availabilityZones[${i}]`, message: `${letter} (src/aws/regions.ts). Fix: use one of those.` });
    }
  });
  return problems;
};

export const oneSubnetPerAz: Rule = (c) =>
  (["publicSubnetCidrs", "privateSubnetCidrs"] as const).flatMap((key) =>
    c.network[key].length === c.availabilityZones.length
      ? []
      : [
          {
            path: `network.${key}`,
            message: `lists ${c.network[key].length} CIDR(s) for ${c.availabilityZones.length} availability zones. Fix: give exactly one CIDR per zone, in the zones' order.`,
          },
        ],
  );

interface NamedCidr {
  readonly path: string;
  readonly cidr: string;
  readonly range: [ipaddr.IPv4, number];
}

function subnets(c: EnvironmentConfig): NamedCidr[] {
  return (["publicSubnetCidrs", "privateSubnetCidrs"] as const).flatMap((key) =>
    c.network[key].map((cidr, i) => ({
      path: `network.${key}[${i}]`,
      cidr,
      range: ipaddr.IPv4.parseCIDR(cidr),
    })),
  );
}

function contains(outer: [ipaddr.IPv4, number], inner: [ipaddr.IPv4, number]): boolean {
  return inner[1] >= outer[1] && inner[0].match(outer);
}

export const subnetsInsideVpc: Rule = (c) => {
  const vpc = ipaddr.IPv4.parseCIDR(c.network.vpcCidr);
  return subnets(c)
    .filter((s) => !contains(vpc, s.range))
    .map((s) => ({
      path: s.path,
      message: `"${s.cidr}" is not inside network.vpcCidr "${c.network.vpcCidr}". Fix: choose a range inside the VPC.`,
    }));
};

export const subnetsDoNotOverlap: Rule = (c) => {
  const all = subnets(c);
  const problems: Problem[] = [];
  all.forEach((a, i) =>
    all.slice(i + 1).forEach((b) => {
      if (contains(a.range, b.range) || contains(b.range, a.range)) {
        problems.push({
          path: b.path,
          message: `"${b.cidr}" overlaps ${a.path} "${a.cidr}". Fix: give each subnet its own range inside the VPC.`,
        });
      }
    }),
  );
  return problems;
};

export const desiredCountWithinScaling: Rule = (c) => {
  const { minCount, maxCount, desiredCount } = c.service;
  if (minCount > maxCount) {
    return [
      {
        path: "service.minCount",
        message: `${minCount} is above service.maxCount ${maxCount}. Fix: keep minCount <= maxCount.`,
      },
    ];
  }
  return desiredCount < minCount || desiredCount > maxCount
    ? [
        {
          path: "service.desiredCount",
          message: `${desiredCount} is outside the autoscaling range ${minCount}..${maxCount}. Fix: set desiredCount between service.minCount and service.maxCount.`,
        },
      ]
    : [];
};

export const fargateCpuMemory: Rule = (c) => {
  const { cpu, memory } = c.service;
  const allowed = FARGATE_MEMORY[cpu];
  if (!allowed) {
    return [
      {
        path: "service.cpu",
        message: `${cpu} is not a Fargate CPU size. Fix: use one of ${Object.keys(FARGATE_MEMORY).join(", ")}.`,
      },
    ];
  }
  return allowed.includes(memory)
    ? []
    : [
        {
          path: "service.memory",
          message: `${memory} MiB is not valid with ${cpu} CPU units on Fargate. Fix: use ${allowed[0]}..${allowed[allowed.length - 1]} MiB in steps of ${allowed.length > 1 ? allowed[1] - allowed[0] : allowed[0]}.`,
        },
      ];
};

export const httpsNeedsCertificate: Rule = (c) =>
  c.loadBalancer.httpsEnabled && !c.loadBalancer.certificateArn
    ? [
        {
          path: "loadBalancer.certificateArn",
          message: `is required when loadBalancer.httpsEnabled is true. Fix: set it to an ACM certificate ARN in ${c.region}, or set httpsEnabled to false.`,
        },
      ]
    : [];

export const certificateInPrimaryRegion: Rule = (c) => {
  const certificate = c.loadBalancer.certificateArn;
  return certificate && certificate.split(":")[3] !== c.region
    ? [
        {
          path: "loadBalancer.certificateArn",
          message: `is in region ${certificate.split(":")[3]}; an ALB needs a certificate in its own region ${c.region}. Fix: issue or import the certificate in ${c.region}.`,
        },
      ]
    : [];
};

export const bucketNamesValid: Rule = (c) =>
  Object.values(bucketNames(c)).flatMap((name) =>
    bucketNameProblems(name).map((problem) => ({
      path: "storage.bucketSuffix",
      message: `gives the bucket name ${problem}. Fix: shorten project or storage.bucketSuffix.`,
    })),
  );

export const protectedDataIsNotForceDestroyed: Rule = (c) =>
  c.protectData && c.storage.forceDestroy
    ? [
        {
          path: "storage.forceDestroy",
          message: "is true while protectData is on; a destroy would delete every object. Fix: set storage.forceDestroy to false (or protectData to false outside production).",
        },
      ]
    : [];

export const logsExpireAfterTransition: Rule = (c) =>
  c.storage.logsExpirationDays <= c.storage.logsTransitionDays
    ? [
        {
          path: "storage.logsExpirationDays",
          message: `${c.storage.logsExpirationDays} is not after storage.logsTransitionDays ${c.storage.logsTransitionDays}. Fix: expire logs after they move to STANDARD_IA (seed: 30 then 90).`,
        },
      ]
    : [];

export const scalingThresholdsOrdered: Rule = (c) => {
  const s = c.service.scaling;
  return (
    [
      ["cpuLowPercent", s.cpuLowPercent, "cpuHighPercent", s.cpuHighPercent],
      ["memoryLowPercent", s.memoryLowPercent, "memoryHighPercent", s.memoryHighPercent],
    ] as const
  )
    .filter(([, low, , high]) => low >= high)
    .map(([lowKey, low, highKey, high]) => ({
      path: `service.scaling.${lowKey}`,
      message: `${low} is not below service.scaling.${highKey} ${high}; scaling would flap. Fix: keep the scale-in threshold below the scale-out one (seed: 30/70 CPU, 40/80 memory).`,
    }));
};

export const databaseStorageCeiling: Rule = (c) =>
  c.database.maxAllocatedStorageGb < c.database.allocatedStorageGb
    ? [
        {
          path: "database.maxAllocatedStorageGb",
          message: `${c.database.maxAllocatedStorageGb} is below database.allocatedStorageGb ${c.database.allocatedStorageGb}. Fix: set the autoscaling ceiling at or above the allocated storage (seed: 20 -> 100).`,
        },
      ]
    : [];

export const multiAzNeedsTwoZones: Rule = (c) =>
  c.database.enabled && c.database.multiAz && new Set(c.availabilityZones).size < 2
    ? [
        {
          path: "database.multiAz",
          message: "is on but only one availability zone is configured; the standby needs a second zone. Fix: list two availabilityZones or set database.multiAz to false.",
        },
      ]
    : [];

export const protectedDataKeepsBackups: Rule = (c) =>
  c.database.enabled && c.protectData && c.database.backupRetentionDays < 1
    ? [
        {
          path: "database.backupRetentionDays",
          message: "is 0 (no automated backups) while protectData is on. Fix: keep at least 1 day (seed: 7 in prod).",
        },
      ]
    : [];

/** A hop that carries the environment's traffic as plain HTTP, with the setting that encrypts it. */
export interface UnencryptedPath {
  /** The setting that would encrypt the hop. */
  readonly path: string;
  /** What is unencrypted, as a phrase. */
  readonly what: string;
  /** How to encrypt it. */
  readonly fix: string;
}

/** Every hop of this environment that carries traffic as plain HTTP. */
export function unencryptedPaths(c: EnvironmentConfig): UnencryptedPath[] {
  const paths: UnencryptedPath[] = [];
  if (!c.loadBalancer.httpsEnabled) {
    paths.push(
      c.edge.cloudfront.enabled
        ? {
            path: "loadBalancer.httpsEnabled",
            what: "CloudFront reaches the ALB over plain HTTP (origin side)",
            fix: "set loadBalancer.httpsEnabled and loadBalancer.certificateArn, and edge.cloudfront.albOriginDomain (the name the certificate covers)",
          }
        : {
            path: "loadBalancer.httpsEnabled",
            what: "viewers reach the ALB over plain HTTP across the internet (no HTTPS listener)",
            fix: "set loadBalancer.httpsEnabled and loadBalancer.certificateArn",
          },
    );
  }
  if (c.loadBalancer.targetProtocol === "HTTP") {
    paths.push({
      path: "loadBalancer.targetProtocol",
      what: "the ALB reaches the tasks over plain HTTP inside the VPC",
      fix: 'set loadBalancer.targetProtocol to "HTTPS" and serve TLS from the image (docs/operations.md)',
    });
  }
  return paths;
}

export const protectedDataEncryptedInTransit: Rule = (c) =>
  c.protectData && !c.acceptUnencryptedHttp
    ? unencryptedPaths(c).map((p) => ({
        path: p.path,
        message: `leaves a hop unencrypted while protectData is on: ${p.what}, carrying student data. Fix: ${p.fix}; or, for a demo without real data, set acceptUnencryptedHttp to true.`,
      }))
    : [];

export const anonymousRateLimitIsTighter: Rule = (c) =>
  c.edge.waf.anonymousRateLimitPer5Minutes > c.edge.waf.rateLimitPer5Minutes
    ? [
        {
          path: "edge.waf.anonymousRateLimitPer5Minutes",
          message: `${c.edge.waf.anonymousRateLimitPer5Minutes} is above edge.waf.rateLimitPer5Minutes ${c.edge.waf.rateLimitPer5Minutes}: the per-IP limit would block those addresses first, and this limit would never act. Fix: set it at or below ${c.edge.waf.rateLimitPer5Minutes}.`,
        },
      ]
    : [];

export const cloudfrontNeedsStaticBucket: Rule = (c) =>
  c.edge.cloudfront.enabled && !c.storage.staticAssets
    ? [
        {
          path: "edge.cloudfront.enabled",
          message: "is true but storage.staticAssets is false; the distribution serves static paths from that bucket. Fix: set storage.staticAssets to true, or turn CloudFront off.",
        },
      ]
    : [];

export const cloudfrontCertificate: Rule = (c) => {
  const cf = c.edge.cloudfront;
  if (!cf.enabled) return [];
  const problems: Problem[] = [];
  if (!cf.certificateArn && !cf.acceptDefaultCertificate) {
    problems.push({
      path: "edge.cloudfront.certificateArn",
      message:
        "is required while CloudFront is on: the default *.cloudfront.net certificate lets viewers use TLS 1.0, below the seed's TLS 1.2 minimum. Fix: set edge.cloudfront.certificateArn (ACM, us-east-1) and edge.cloudfront.domainNames, or set edge.cloudfront.acceptDefaultCertificate to true to accept the default certificate knowingly.",
    });
  }
  if (cf.certificateArn && cf.certificateArn.split(":")[3] !== "us-east-1") {
    problems.push({
      path: "edge.cloudfront.certificateArn",
      message: `is in ${cf.certificateArn.split(":")[3]}; CloudFront only uses ACM certificates from us-east-1. Fix: request or import the certificate in us-east-1.`,
    });
  }
  if (cf.certificateArn && cf.domainNames.length === 0) {
    problems.push({
      path: "edge.cloudfront.domainNames",
      message: "is empty while certificateArn is set; the certificate serves the distribution's custom domains. Fix: list the domain names the certificate covers.",
    });
  }
  if (!cf.certificateArn && cf.domainNames.length > 0) {
    problems.push({
      path: "edge.cloudfront.domainNames",
      message: "are set without edge.cloudfront.certificateArn; CloudFront needs a certificate for custom domains. Fix: set the certificate ARN or remove the domain names.",
    });
  }
  if (c.loadBalancer.httpsEnabled && !cf.albOriginDomain) {
    problems.push({
      path: "edge.cloudfront.albOriginDomain",
      message: "is required when CloudFront is on and the ALB serves HTTPS: CloudFront checks the ALB's certificate against the origin's name. Fix: set it to the name in the ALB's certificate that resolves to the ALB.",
    });
  }
  return problems;
};

/** The DR standby's zones are the DR region's, and its network fits them without touching the primary's. */
export const drNetwork: Rule = (c) => {
  const dr = c.dr;
  if (!dr.enabled) return [];
  const problems: Problem[] = [];
  if (dr.availabilityZones.length < 2) {
    problems.push({ path: "dr.availabilityZones", message: `lists ${dr.availabilityZones.length} zone(s); the standby needs 2. Fix: list two zones of ${c.stateRegion}, e.g. ["${c.stateRegion}a", "${c.stateRegion}b"].` });
  }
  // A stateRegion equal to region is reported once, by stateRegionDiffers, not once per DR zone.
  dr.availabilityZones.forEach((zone, i) => {
    if (c.stateRegion !== c.region && !zone.startsWith(c.stateRegion) || zone.length !== c.stateRegion.length + 1) {
      problems.push({ path: `dr.availabilityZones[${i}]`, message: `"${zone}" is not a zone of the DR region ${c.stateRegion}. Fix: use a zone such as "${c.stateRegion}a".` });
    } else if (c.stateRegion !== c.region) {
      const letter = zoneProblem(zone, c.stateRegion);
      if (letter) problems.push({ path: `dr.availabilityZones[${i}]`, message: `${letter} (src/aws/regions.ts). Fix: use one of those.` });
    }
  });
  const vpc = ipaddr.IPv4.parseCIDR(dr.vpcCidr);
  const primary = ipaddr.IPv4.parseCIDR(c.network.vpcCidr);
  if (contains(vpc, primary) || contains(primary, vpc)) {
    problems.push({ path: "dr.vpcCidr", message: `"${dr.vpcCidr}" overlaps network.vpcCidr "${c.network.vpcCidr}"; overlapping networks cannot be peered or routed between. Fix: choose a separate range, e.g. "10.1.0.0/16".` });
  }
  const ranges = (["publicSubnetCidrs", "privateSubnetCidrs"] as const).flatMap((key) => {
    if (dr[key].length !== dr.availabilityZones.length) {
      problems.push({ path: `dr.${key}`, message: `lists ${dr[key].length} CIDR(s) for ${dr.availabilityZones.length} DR zones. Fix: give exactly one CIDR per zone, in the zones' order.` });
    }
    return dr[key].map((cidr, i) => ({ path: `dr.${key}[${i}]`, cidr, range: ipaddr.IPv4.parseCIDR(cidr) }));
  });
  ranges.forEach((a, i) => {
    if (!contains(vpc, a.range)) problems.push({ path: a.path, message: `"${a.cidr}" is not inside dr.vpcCidr "${dr.vpcCidr}". Fix: choose a range inside the standby VPC.` });
    ranges.slice(i + 1).forEach((b) => {
      if (contains(a.range, b.range) || contains(b.range, a.range)) {
        problems.push({ path: b.path, message: `"${b.cidr}" overlaps ${a.path} "${a.cidr}". Fix: give each subnet its own range.` });
      }
    });
  });
  return problems;
};

/** A standby that serves needs the data to serve from. */
export const drStandbyHasReplica: Rule = (c) =>
  c.dr.enabled && c.dr.mode !== "pilot-light" && c.database.enabled && !c.dr.databaseReplica
    ? [
        {
          path: "dr.mode",
          message: `is "${c.dr.mode}" but dr.databaseReplica is false while the environment has a database: ${c.dr.mode === "active" ? "there is no replica to promote" : "the standby would serve without its data"}. Fix: set dr.databaseReplica to true, or dr.mode to "pilot-light".`,
        },
      ]
    : [];

/** A serving standby needs what the primary serves with: the bucket replicas, and a certificate for HTTPS. */
export const drStandbyCanServe: Rule = (c) => {
  const dr = c.dr;
  if (!dr.enabled) return [];
  const problems: ReturnType<Rule> = [];
  for (const role of ["Models", "Data"] as const) {
    if (!c.storage[`replicate${role}`]) {
      problems.push({ path: `storage.replicate${role}`, message: `is false while dr.enabled: the standby reads the ${role.toLowerCase()} bucket's replica in ${c.stateRegion}. Fix: set storage.replicate${role} to true, or dr.enabled to false.` });
    }
  }
  if (c.loadBalancer.httpsEnabled && !dr.certificateArn) {
    problems.push({ path: "dr.certificateArn", message: `is not set while loadBalancer.httpsEnabled: the standby ALB serves HTTPS too. Fix: issue or import a certificate in ${c.stateRegion} and set its ARN.` });
  }
  if (dr.certificateArn && dr.certificateArn.split(":")[3] !== c.stateRegion) {
    problems.push({ path: "dr.certificateArn", message: `is in region ${dr.certificateArn.split(":")[3]}; the standby ALB needs a certificate in ${c.stateRegion}. Fix: issue or import it in ${c.stateRegion}.` });
  }
  if (dr.failoverOrigin && !c.edge.cloudfront.enabled) {
    problems.push({ path: "dr.failoverOrigin", message: "is set but edge.cloudfront.enabled is false: only CloudFront fails over between origins. Fix: remove dr.failoverOrigin, or turn CloudFront on." });
  }
  if (dr.failoverOrigin && dr.mode === "pilot-light") {
    problems.push({ path: "dr.failoverOrigin", message: 'is set while dr.mode is "pilot-light": the standby runs no task, so failing over to it would answer 503. Fix: set dr.mode to "warm-standby", or remove dr.failoverOrigin until then.' });
  }
  return problems;
};

/** Whether the environment has an Aurora cluster: its engine, or the first step of a migration. */
export const hasAurora = (c: EnvironmentConfig): boolean =>
  c.database.enabled && (c.database.engine === "aurora-postgresql" || c.database.migration === "replicating");

/** Whether the environment keeps its RDS PostgreSQL instance (the app's database, or kept beside Aurora). */
export const hasInstance = (c: EnvironmentConfig): boolean =>
  c.database.enabled && (c.database.engine === "postgres" || c.database.migration !== "instance-retired");

/** Whether the Aurora cluster is the primary of a global database whose secondary is the DR standby's. */
export const hasGlobalDatabase = (c: EnvironmentConfig): boolean =>
  c.dr.enabled && c.dr.databaseReplica && c.database.enabled && c.database.engine === "aurora-postgresql";

/** Whether the tasks use Aurora while the RDS instance is still in the configuration (a move not yet retired). */
export const keepsInstanceBesideAurora = (c: EnvironmentConfig): boolean =>
  c.database.enabled && c.database.engine === "aurora-postgresql" && (c.database.migration === "instance-kept" || c.database.migration === "promoted");

/** An Aurora version must be one AWS has released (its major in config/engines.ts). */
export const auroraVersionExists: Rule = (c) => {
  if (!hasAurora(c)) return [];
  const version = c.database.aurora.engineVersion;
  const major = majorOf(version);
  const known = Object.keys(AURORA_POSTGRESQL_MAJORS);
  if (!(major in AURORA_POSTGRESQL_MAJORS)) {
    return [{ path: "database.aurora.engineVersion", message: `"${version}": ${major} is not an Aurora PostgreSQL major version (AWS has released ${known.join(", ")}). Fix: use a released major, e.g. its long-term-support minor "${AURORA_POSTGRESQL_MAJORS[known[known.length - 1]].lts}".` }];
  }
  return [];
};

/** During a migration the Aurora cluster replicates the instance, which needs the same major. */
export const migrationKeepsMajor: Rule = (c) => {
  const d = c.database;
  if (d.enabled && d.engine === "postgres" && (d.migration === "instance-retired" || d.migration === "promoted")) {
    return [{ path: "database.migration", message: `is "${d.migration}" while database.engine is "postgres": the tasks use the instance. Fix: keep "instance-kept" (the default), or move to Aurora first (npm run migrate, docs/operations.md "Moving to Aurora").` }];
  }
  if (!d.enabled || d.migration !== "replicating") return [];
  const problems: Problem[] = [];
  if (d.engine !== "postgres") {
    problems.push({ path: "database.migration", message: `is "replicating" while database.engine is "${d.engine}": while the Aurora cluster replicates the instance, the tasks stay on the instance. Fix: keep database.engine "postgres" until the promotion (docs/operations.md, "Moving to Aurora"), then set engine "aurora-postgresql" and migration "promoted".` });
  }
  if (majorOf(d.aurora.engineVersion) !== majorOf(d.engineVersion)) {
    problems.push({ path: "database.aurora.engineVersion", message: `"${d.aurora.engineVersion}" is another major than the instance's database.engineVersion "${d.engineVersion}"; an Aurora read replica of an RDS PostgreSQL instance runs the same major. Fix: pick an Aurora ${majorOf(d.engineVersion)}.x version at or above the instance's, e.g. "${AURORA_POSTGRESQL_MAJORS[majorOf(d.engineVersion)]?.lts ?? `${majorOf(d.engineVersion)}.x`}", and upgrade the major after the move.` });
  }
  return problems;
};

/** Serverless v2 scales within a range: its lower bound cannot be above its upper one. */
export const auroraCapacityRange: Rule = (c) => {
  const a = c.database.aurora;
  const problems: Problem[] = [];
  if (a.minCapacityAcu > a.maxCapacityAcu) {
    problems.push({ path: "database.aurora.minCapacityAcu", message: `${a.minCapacityAcu} ACU is above database.aurora.maxCapacityAcu ${a.maxCapacityAcu}. Fix: keep minCapacityAcu <= maxCapacityAcu (e.g. 0.5 and 16).` });
  }
  if (a.maxCapacityAcu < 1) {
    problems.push({ path: "database.aurora.maxCapacityAcu", message: `${a.maxCapacityAcu} ACU is below Serverless v2's smallest maximum, 1 ACU. Fix: set at least 1.` });
  }
  return problems;
};

/** Aurora's physical names follow RDS's naming rules. */
export const auroraNamesValid: Rule = (c) => {
  if (!hasAurora(c)) return [];
  const primary = { project: c.project, environment: c.environment };
  const names = [`${auroraClusterName(primary)}-${String.fromCharCode(97 + c.database.aurora.readers)}`, globalClusterName(primary), `${auroraClusterName({ ...primary, environment: drStackName(c.environment) })}-a`];
  return names.flatMap((name) => rdsIdentifierProblems(name).map((problem) => ({ path: "project", message: `gives the Aurora identifier ${problem}. Fix: shorten project or environment.` })));
};

/** The DR standby's Aurora secondary needs its own DB subnet group: subnets in two DR zones. */
export const globalDatabaseNeedsDrSubnets: Rule = (c) =>
  hasGlobalDatabase(c) && (new Set(c.dr.availabilityZones).size < 2 || c.dr.privateSubnetCidrs.length < 2)
    ? [
        {
          path: "dr.privateSubnetCidrs",
          message: `lists ${c.dr.privateSubnetCidrs.length} subnet(s) in ${new Set(c.dr.availabilityZones).size} DR zone(s) while the Aurora global database puts its secondary cluster in ${c.stateRegion}: a DB subnet group needs subnets in at least 2 zones. Fix: list 2 dr.availabilityZones of ${c.stateRegion} and one private CIDR each inside dr.vpcCidr (e.g. "10.1.10.0/24", "10.1.11.0/24"), or set dr.databaseReplica to false.`,
        },
      ]
    : [];

/** A standby that serves with Aurora forwards its writes to the primary, which its version must support. */
export const writeForwardingSupported: Rule = (c) => {
  if (!hasGlobalDatabase(c) || c.dr.mode === "pilot-light") return [];
  const version = c.database.aurora.engineVersion;
  // A major AWS never released is auroraVersionExists's to report.
  if (!(majorOf(version) in AURORA_POSTGRESQL_MAJORS)) return [];
  const from = AURORA_POSTGRESQL_MAJORS[majorOf(version)].writeForwardingFrom;
  return from && atLeast(version, from)
    ? []
    : [
        {
          path: "database.aurora.engineVersion",
          message: `"${version}" has no global write forwarding, which the standby in ${c.dr.mode} needs to save what its users write (Aurora User Guide: 16 and later, 15.4+, 14.9+). Fix: use e.g. "${AURORA_POSTGRESQL_MAJORS["16"].lts}" or "15.10", or dr.mode "pilot-light".`,
        },
      ];
};

/** Both regions serve only with Aurora: a PostgreSQL replica cannot take the standby's writes. */
export const servingNeedsAurora: Rule = (c) => {
  const problems: Problem[] = [];
  // Without dr.databaseReplica, drStandbyHasReplica says so.
  if (c.dr.enabled && c.dr.mode === "serving" && c.database.enabled && c.database.engine === "postgres") {
    problems.push({ path: "dr.mode", message: 'is "serving" but the tasks use the RDS instance, whose DR replica refuses writes: the standby could not save what its users write (and "active" would promote the replica). Fix: use database.engine "aurora-postgresql" (a global database with write forwarding), or dr.mode "warm-standby" while the instance is the database (e.g. during a migration).' });
  }
  // In active mode (after a failover) the standby takes every viewer and the share waits for the fail-back.
  if (c.dr.enabled && c.dr.standbyTrafficPercent > 0 && (c.dr.mode === "pilot-light" || c.dr.mode === "warm-standby")) {
    problems.push({ path: "dr.standbyTrafficPercent", message: `is ${c.dr.standbyTrafficPercent} while dr.mode is "${c.dr.mode}": only a serving standby takes a share of the viewers. Fix: set dr.mode "serving", or dr.standbyTrafficPercent 0.` });
  }
  return problems;
};

/** The cache holds session and prediction data: encrypted at rest and in transit where data is protected. */
export const protectedCacheEncrypted: Rule = (c) =>
  c.cache.enabled && c.protectData && !c.cache.encrypted
    ? [
        {
          path: "cache.encrypted",
          message: "is false while protectData is on: the cache would hold student data unencrypted at rest and on the wire, and without TLS it cannot use IAM authentication. Fix: set cache.encrypted to true (or protectData to false outside production).",
        },
      ]
    : [];

/** The cache engine version must exist for the engine and support IAM authentication. */
export const cacheVersionSupported: Rule = (c) => {
  if (!c.cache.enabled) return [];
  const versions = Object.keys(CACHE_ENGINE_VERSIONS[c.cache.engine]);
  return versions.includes(c.cache.engineVersion)
    ? []
    : [{ path: "cache.engineVersion", message: `"${c.cache.engineVersion}" is not a ${c.cache.engine} version the cache supports with IAM authentication. Fix: use one of ${versions.join(", ")}.` }];
};

/** A replication group across two zones, with automatic failover, needs a second zone. */
export const cacheNeedsTwoZones: Rule = (c) =>
  c.cache.enabled && new Set(c.availabilityZones).size < 2
    ? [{ path: "cache.enabled", message: "is true but only one availability zone is configured; the cache's replica and automatic failover need a second zone. Fix: list two availabilityZones." }]
    : [];

/** ElastiCache ids: 40 characters at most, no double hyphen, in both regions. */
export const cacheNamesValid: Rule = (c) => {
  if (!c.cache.enabled) return [];
  const names = [{ project: c.project, environment: c.environment }, ...(c.dr.enabled ? [{ project: c.project, environment: drStackName(c.environment) }] : [])];
  return names.flatMap((n) => cacheIds(n, c.cache.engine)).flatMap((name) =>
    elastiCacheIdProblems(name).map((problem) => ({ path: "project", message: `gives the ElastiCache id ${problem}. Fix: shorten project or environment.` })),
  );
};

/** Every cross-field rule, in the order problems are reported. */
export const RULES: readonly Rule[] = [
  stateRegionDiffers,
  regionsShareAPartition,
  protectedDataEncryptedInTransit,
  atLeastTwoAzs,
  oneSubnetPerAz,
  subnetsInsideVpc,
  subnetsDoNotOverlap,
  desiredCountWithinScaling,
  fargateCpuMemory,
  httpsNeedsCertificate,
  certificateInPrimaryRegion,
  bucketNamesValid,
  protectedDataIsNotForceDestroyed,
  logsExpireAfterTransition,
  scalingThresholdsOrdered,
  databaseStorageCeiling,
  multiAzNeedsTwoZones,
  protectedDataKeepsBackups,
  cloudfrontNeedsStaticBucket,
  anonymousRateLimitIsTighter,
  cloudfrontCertificate,
  drNetwork,
  drStandbyHasReplica,
  drStandbyCanServe,
  auroraVersionExists,
  migrationKeepsMajor,
  auroraCapacityRange,
  auroraNamesValid,
  globalDatabaseNeedsDrSubnets,
  writeForwardingSupported,
  servingNeedsAurora,
  protectedCacheEncrypted,
  cacheVersionSupported,
  cacheNeedsTwoZones,
  cacheNamesValid,
];
