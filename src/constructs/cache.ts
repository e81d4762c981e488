import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { ElasticacheParameterGroup } from "@cdktf/provider-aws/lib/elasticache-parameter-group";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { ElasticacheSubnetGroup } from "@cdktf/provider-aws/lib/elasticache-subnet-group";
import { ElasticacheUser } from "@cdktf/provider-aws/lib/elasticache-user";
import { ElasticacheUserGroup } from "@cdktf/provider-aws/lib/elasticache-user-group";
import { Construct } from "constructs";
import { CACHE_ENGINE_VERSIONS } from "../config/engines";
import { asProps, type NameOf, type Problem, refuseInputs } from "../config/problem";
import type { CacheConfig } from "../config/schema";
import {
  cacheIds,
  cacheLogGroupName,
  cacheName,
  cacheUserName,
  elastiCacheIdProblems,
  type NameContext,
  PRIMARY_ID,
  replacementSafeName,
} from "../config/naming";
import { suppress } from "../policy/checks";
import type { Alerts } from "./alerts";
import type { DeploymentContext } from "./context";
import type { Grantable } from "./iam";
import type { CustomerKey } from "./keys";
import type { Network } from "./network";
import { SecurityGroup, type ServicePort } from "./security-group";

export const CACHE_PORT = 6379;

/** What the app may do on the cache: every command except the dangerous ones (KEYS, FLUSHALL, CONFIG, ...). */
export const CACHE_ACCESS = "on ~* &* +@all -@dangerous";

/**
 * The cache settings a replication group is built from (config/schema.ts describes each):
 * encrypted means at rest (with `key`) and TLS required in transit, with IAM authentication.
 */
export const CACHE_SETTINGS = [
  "engine",
  "engineVersion",
  "nodeType",
  "replicas",
  "encrypted",
  "snapshotRetentionDays",
  "snapshotWindow",
  "maintenanceWindow",
  "alarms",
] as const satisfies readonly (keyof CacheConfig)[];

/** The cache's version rule, which the settings validation reports too (cache.engineVersion): IAM authentication needs one of config/engines.ts's versions. */
export function cacheVersionProblems(cache: Pick<CacheProps, "engine" | "engineVersion">, at: NameOf = asProps): Problem[] {
  const versions = Object.keys(CACHE_ENGINE_VERSIONS[cache.engine]);
  return versions.includes(cache.engineVersion)
    ? []
    : [
        {
          path: at("engineVersion"),
          message: `"${cache.engineVersion}" is not a ${cache.engine} version the cache supports with IAM authentication. Fix: use one of ${versions.join(", ")}.`,
        },
      ];
}

/** The cache's naming rule, which the settings validation reports for the primary's and the standby's caches: its ids follow ElastiCache's rules. */
export function cacheIdProblems(names: NameContext, engine: CacheProps["engine"]): Problem[] {
  return cacheIds(names, engine).flatMap((id) =>
    elastiCacheIdProblems(id).map((problem) => ({ path: "project", message: `gives the ElastiCache id ${problem}. Fix: shorten project or environment.` })),
  );
}

export interface CacheProps extends Readonly<Pick<CacheConfig, (typeof CACHE_SETTINGS)[number]>> {
  readonly network: Network;
  readonly context: DeploymentContext;
  readonly alerts: Alerts;
  /** A final snapshot when the group is deleted. */
  readonly protectData: boolean;
  /** Retention of the slow and engine log groups (a CloudWatch Logs retention value). */
  readonly logRetentionDays: number;
  /** Customer-managed key of the data at rest and snapshots. @default ElastiCache's AWS-owned key */
  readonly key?: CustomerKey;
  /** KMS key of the log groups. @default CloudWatch Logs' own encryption */
  readonly logsKeyArn?: string;
}

/**
 * ElastiCache (seed "100,000+ users: ElastiCache"): a replication group of a primary and
 * replicas over the zones, automatic failover and Multi-AZ, encrypted at rest with a
 * customer-managed key and in transit (TLS required), the tasks signing in as their own user with
 * IAM authentication (a user group; no password exists), in the private subnets behind a
 * security group that admits only whom `allowFrom` names, its own parameter group, snapshot and
 * maintenance windows, slow and engine logs, and alarms on every node.
 */
export class Cache extends Construct {
  public readonly replicationGroup: ElasticacheReplicationGroup;
  public readonly securityGroup: SecurityGroup;
  public readonly parameterGroup: ElasticacheParameterGroup;
  /** The tasks' user, when the cache authenticates (encrypted). */
  public readonly user?: ElasticacheUser;
  public readonly userGroup?: ElasticacheUserGroup;
  public readonly port: ServicePort;
  private readonly encrypted: boolean;

  constructor(scope: Construct, id: string, props: CacheProps) {
    super(scope, id);
    const names = props.context.names;
    refuseInputs(this.node.path, [...cacheVersionProblems(props), ...cacheIdProblems(names, props.engine)]);
    const family = CACHE_ENGINE_VERSIONS[props.engine][props.engineVersion];
    if (props.replicas < 1) {
      throw new Error(`${this.node.path}: replicas is ${props.replicas}; automatic failover needs at least 1. Fix: set replicas to 1 or more.`);
    }
    const groupId = cacheName(names);
    this.encrypted = props.encrypted;
    this.port = { id: "cache", port: CACHE_PORT, protocol: props.engine === "valkey" ? "Valkey" : "Redis OSS" };

    const subnets = new ElasticacheSubnetGroup(this, "subnets", {
      name: groupId,
      description: "Private subnets of the dashboard cache",
      subnetIds: props.network.privateSubnetIds,
      tags: { Name: groupId },
    });
    this.securityGroup = new SecurityGroup(this, "security-group", {
      network: props.network,
      name: groupId,
      label: "cache",
      members: "the dashboard cache",
      description: `${this.port.protocol}: ${CACHE_PORT} from the dashboard tasks only, no egress`,
    });
    this.parameterGroup = this.parameterGroupOf(groupId, family);
    if (props.encrypted) {
      this.user = this.appUser(props);
      this.userGroup = this.userGroupOf(props, this.user);
    }

    const logs = (type: "slow-log" | "engine-log") =>
      new CloudwatchLogGroup(this, type, {
        name: cacheLogGroupName(groupId, type),
        retentionInDays: props.logRetentionDays,
        kmsKeyId: props.logsKeyArn,
      });
    const zones = props.network.zones.map((z) => z.zone);
    const nodes = 1 + props.replicas;
    this.replicationGroup = new ElasticacheReplicationGroup(this, PRIMARY_ID, {
      replicationGroupId: groupId,
      description: "Dashboard cache: copies of what the database and S3 hold",
      engine: props.engine,
      engineVersion: props.engineVersion,
      nodeType: props.nodeType,
      port: CACHE_PORT,
      numCacheClusters: nodes,
      preferredCacheClusterAzs: Array.from({ length: nodes }, (_, i) => zones[i % zones.length]),
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      subnetGroupName: subnets.name,
      securityGroupIds: [this.securityGroup.id],
      parameterGroupName: this.parameterGroup.name,
      atRestEncryptionEnabled: String(props.encrypted),
      kmsKeyId: props.encrypted ? props.key?.arn : undefined,
      transitEncryptionEnabled: props.encrypted,
      transitEncryptionMode: props.encrypted ? "required" : undefined,
      userGroupIds: this.userGroup ? [this.userGroup.userGroupId] : undefined,
      snapshotRetentionLimit: props.snapshotRetentionDays,
      snapshotWindow: props.snapshotWindow,
      maintenanceWindow: props.maintenanceWindow,
      finalSnapshotIdentifier: props.protectData ? `${groupId}-final` : undefined,
      autoMinorVersionUpgrade: "true",
      applyImmediately: false,
      logDeliveryConfiguration: (["slow-log", "engine-log"] as const).map((type) => ({
        destinationType: "cloudwatch-logs",
        destination: logs(type).name,
        logFormat: "json",
        logType: type,
      })),
      tags: { Name: groupId },
    });
    this.securityGroup.usedBy(this.replicationGroup);
    for (let n = 1; n <= nodes; n++) this.nodeAlarms(props, n);
  }

  /**
   * ElastiCache parameter groups have no name_prefix, and family and description force a new
   * group: the name carries both (the family, and a hash of the pair), so that a replacement
   * created before the old group is destroyed never asks for the old group's name.
   */
  private parameterGroupOf(groupId: string, family: string): ElasticacheParameterGroup {
    const description = "Dashboard cache: evict any key when full";
    const name = replacementSafeName(`${groupId}-${family}`, [family, description]);
    const group = new ElasticacheParameterGroup(this, "parameters", {
      name,
      family,
      description,
      // Everything in the cache is a copy (docs/operations.md, "The image"): when memory is full,
      // the least recently used key goes, whether or not it has a TTL, instead of writes failing.
      parameter: [{ name: "maxmemory-policy", value: "allkeys-lru" }],
      lifecycle: { createBeforeDestroy: true },
      tags: { Name: name },
    });
    suppress(
      group,
      "AWS-2",
      "the name carries every argument that forces a new parameter group (the family, and a hash of family and description), so a replacement always has a name of its own",
    );
    return group;
  }

  /** The tasks' user: IAM authentication needs its id and name equal (ElastiCache User Guide, "Authenticating with IAM", Limitations). */
  private appUser(props: CacheProps): ElasticacheUser {
    const userName = cacheUserName(props.context.names);
    return new ElasticacheUser(this, "user", {
      userId: userName,
      userName,
      engine: props.engine,
      accessString: CACHE_ACCESS,
      authenticationMode: { type: "iam" },
      tags: { Name: userName },
    });
  }

  /**
   * The user group of the tasks' user. A Valkey user group holds only users that authenticate; a
   * Redis OSS one must also hold a user named "default" (CloudFormation
   * AWS::ElastiCache::UserGroup, UserIds), here one that is switched off.
   */
  private userGroupOf(props: CacheProps, user: ElasticacheUser): ElasticacheUserGroup {
    const names = props.context.names;
    const defaultUser =
      props.engine === "redis"
        ? new ElasticacheUser(this, "default-user", {
            userId: cacheIds(names, props.engine)[2],
            userName: "default",
            engine: props.engine,
            accessString: "off -@all",
            authenticationMode: { type: "no-password-required" },
            tags: { Name: cacheIds(names, props.engine)[2] },
          })
        : undefined;
    return new ElasticacheUserGroup(this, "user-group", {
      userGroupId: cacheName(names),
      engine: props.engine,
      userIds: [user.userId, ...(defaultUser ? [defaultUser.userId] : [])],
      tags: { Name: cacheName(names) },
    });
  }

  /** The alarms of node `n`: ElastiCache names a group's nodes <group>-001, -002, ... and reports each one's metrics. */
  private nodeAlarms(props: CacheProps, n: number): void {
    const number = String(n).padStart(3, "0");
    const node = `${cacheName(props.context.names)}-${number}`;
    const alarm = (what: string, metricName: string, statistic: string, threshold: number, description: string) =>
      props.alerts.alarm(this, `cache-${number}-${what}`, {
        namespace: "AWS/ElastiCache",
        metricName,
        dimensions: { CacheClusterId: node, CacheNodeId: "0001" },
        statistic,
        period: 300,
        evaluationPeriods: 2,
        comparison: "GreaterThanThreshold",
        threshold,
        description: `Cache node ${node}: ${description}`,
        // The primary reports no replication lag, and a quiet node no evictions.
        missing: what === "cpu-high" || what === "memory-high" ? "breaching" : "notBreaching",
      });
    alarm("cpu-high", "EngineCPUUtilization", "Average", props.alarms.cpuPercent, `engine CPU above ${props.alarms.cpuPercent}% for 10 minutes`);
    alarm(
      "memory-high",
      "DatabaseMemoryUsagePercentage",
      "Average",
      props.alarms.memoryPercent,
      `memory above ${props.alarms.memoryPercent}% for 10 minutes: evictions follow`,
    );
    alarm(
      "evictions",
      "Evictions",
      "Sum",
      props.alarms.evictionsPer5Minutes,
      `more than ${props.alarms.evictionsPer5Minutes} keys evicted per 5 minutes: the cache is too small`,
    );
    alarm(
      "replication-lag",
      "ReplicationLag",
      "Maximum",
      props.alarms.replicationLagSeconds,
      `more than ${props.alarms.replicationLagSeconds} s behind the primary`,
    );
  }

  /** Lets the members of `other` reach the cache (both sides' rules). */
  allowFrom(other: SecurityGroup): void {
    this.securityGroup.allowFrom(other, this.port);
  }

  /**
   * Lets `grantee` sign in to this cache as the tasks' user with IAM authentication
   * (elasticache:Connect on this replication group and this user only).
   */
  grantConnect(grantee: Grantable): void {
    if (!this.user) return;
    grantee.addStatements({
      sid: "ConnectToCache",
      effect: "Allow",
      actions: ["elasticache:Connect"],
      resources: [this.replicationGroup.arn, this.user.arn],
    });
  }

  /**
   * Connection settings for the container (docs/operations.md, "The image"): the primary for
   * writes, the readers, TLS and IAM authentication as CACHE_USERNAME, whose token is signed for
   * CACHE_NAME. No secret: IAM authentication has none.
   */
  get containerEnvironment(): { name: string; value: string }[] {
    return [
      { name: "CACHE_HOST", value: this.replicationGroup.primaryEndpointAddress },
      { name: "CACHE_READER_HOST", value: this.replicationGroup.readerEndpointAddress },
      { name: "CACHE_PORT", value: String(CACHE_PORT) },
      { name: "CACHE_NAME", value: this.replicationGroup.replicationGroupId },
      { name: "CACHE_TLS", value: String(this.encrypted) },
      ...(this.user
        ? [
            { name: "CACHE_USERNAME", value: this.user.userName },
            { name: "CACHE_IAM_AUTH", value: "true" },
          ]
        : []),
    ];
  }
}
