import { TerraformOutput } from "cdktf";
import { Construct } from "constructs";
import type { EnvironmentConfig } from "../validation";
import type { CloudfrontVpcOrigin } from "@cdktf/provider-aws/lib/cloudfront-vpc-origin";
import { bucketNames } from "../config/buckets";
import { Alerts } from "../constructs/alerts";
import { arn } from "../constructs/context";
import { hasGlobalDatabase, hasInstance } from "../validation/rules";
import { AuroraSecondary } from "../constructs/aurora-secondary";
import { Cache } from "../constructs/cache";
import { DatabaseReplica, REPLICA_SETTINGS } from "../constructs/database-replica";
import { pick } from "../config/pick";
import { albVpcOrigin } from "../constructs/edge";
import { Endpoints } from "../constructs/endpoints";
import { cloudWatchLogsKeyStatement, CustomerKey, KeyByAlias } from "../constructs/keys";
import type { LoadBalancer } from "../constructs/load-balancer";
import type { Monitoring } from "../constructs/monitoring";
import { Network } from "../constructs/network";
import { ReplicatedRepository } from "../constructs/registry";
import { BucketReference, type SecureBucket } from "../constructs/secure-bucket";
import type { Service } from "../constructs/service";
import { logsBucket } from "../constructs/storage";
import type { DrConfig, ServiceConfig } from "../config/schema";
import { dbInstanceName, drStackName, globalClusterName, keyAliasName, repositoryName } from "../config/naming";
import { ProjectStack } from "./project-stack";
import { servingTier } from "./serving-tier";
import { auroraSettings, cacheSettings, environmentNameSources, environmentTags } from "./environment-stack";

export interface DisasterRecoveryStackProps {
  /** The validated configuration of the protected environment this stack stands by for. */
  readonly config: EnvironmentConfig;
  /**
   * GuardDuty runtime monitoring manages its agent in the ECS Fargate tasks (the account
   * baseline's guardDutyManagesFargateAgent): the tasks' execution role may pull the agent's
   * image in this stack's region. @default false
   */
  readonly guardDutyAgent?: boolean;
  /** The account of the Terraform state bucket (the deployment's stateAccount). @default the environment's accountId */
  readonly stateAccountId?: string;
}

/** Tasks of the standby service in each mode: [desired, min, max]. */
export function standbyTaskCounts(mode: DrConfig["mode"], service: Pick<ServiceConfig, "desiredCount" | "minCount" | "maxCount">): [number, number, number] {
  switch (mode) {
    case "pilot-light":
      return [0, 0, service.maxCount];
    case "warm-standby":
      return [1, 1, service.maxCount];
    case "serving":
    case "active":
      return [service.desiredCount, service.minCount, service.maxCount];
  }
}

/** Instances of the standby's Aurora secondary in each mode: none in a pilot light, one to serve from, the primary's count once it serves fully. */
export function standbyAuroraInstances(mode: DrConfig["mode"], readers: number): number {
  switch (mode) {
    case "pilot-light":
      return 0;
    case "warm-standby":
      return 1;
    case "serving":
    case "active":
      return 1 + readers;
  }
}

/**
 * The standby of one environment in the DR region (`stateRegion`), as a stack of its own with
 * its own state key, so it plans and applies while the primary region is down: nothing here is
 * read from the primary's state; what it refers to there (the source database, the bucket
 * replicas, the replicated image, the DR key) is named from the settings. It holds the network
 * (2 zones; NAT and interface endpoints only once the standby serves), the ALB (internal behind a
 * CloudFront VPC origin of its own when the environment uses CloudFront), the ECS service on
 * the primary's task shape at the mode's task count, the alerts topic and alarms, and the
 * database replica (promoted in `active` mode).
 */
export class DisasterRecoveryStack extends ProjectStack {
  public readonly network: Network;
  public readonly alerts: Alerts;
  public readonly replica?: DatabaseReplica;
  /** The secondary cluster of the environment's Aurora Global Database. */
  public readonly aurora?: AuroraSecondary;
  /** The standby's own cache, once it serves. */
  public readonly cache?: Cache;
  public readonly loadBalancer: LoadBalancer;
  public readonly service: Service;
  /** CloudFront's way to the standby ALB, when the environment uses CloudFront. */
  public readonly vpcOrigin?: CloudfrontVpcOrigin;
  /** The standby's alarms and dashboard, once it serves (warm-standby, active). */
  public readonly monitoring?: Monitoring;

  constructor(scope: Construct, id: string, props: DisasterRecoveryStackProps) {
    const { config } = props;
    super(scope, id, {
      project: config.project,
      accountId: config.accountId,
      deployRoleArn: config.deployRoleArn,
      stateAccountId: props.stateAccountId,
      region: config.stateRegion,
      stateRegion: config.stateRegion,
      environment: drStackName(config.environment),
      // The environment's own tags: its deploy roles' tag conditions cover the standby too.
      tags: { ...environmentTags(config), Standby: "dr" },
      state: { remote: drStackName(config.environment) },
      protectData: config.protectData,
      nameSources: environmentNameSources(config),
    });
    const dr = config.dr;
    const context = this.context;
    // The standby's log groups get a key of their own in this region, as the primary's do.
    const logsKey = new CustomerKey(this, "logs-key", {
      context,
      alias: keyAliasName(context.names, "logs"),
      description: "CloudWatch log groups of the standby",
      serviceStatements: [cloudWatchLogsKeyStatement(context)],
    });
    this.network = new Network(this, "network", {
      logsKeyArn: logsKey.arn,
      vpcCidr: dr.vpcCidr,
      publicSubnetCidrs: dr.publicSubnetCidrs,
      privateSubnetCidrs: dr.privateSubnetCidrs,
      // A pilot light serves nothing and needs no way out; a serving standby does.
      natGateways: dr.mode === "pilot-light" ? "none" : "one-per-az",
      flowLogRetentionDays: config.network.flowLogRetentionDays,
      availabilityZones: dr.availabilityZones,
      context,
    });
    this.alerts = new Alerts(this, "alerts", { context, email: config.alertEmail });
    const databaseKey = this.databaseKeyOf(config);
    this.replica = databaseKey && hasInstance(config) && dr.databaseReplica ? this.replicaOf(config, databaseKey) : undefined;
    this.aurora = hasGlobalDatabase(config) ? this.auroraOf(config, databaseKey) : undefined;

    const serving = dr.mode !== "pilot-light";
    const bucketsOf = bucketNames(config);
    const logs = this.logsBucketOf(config, bucketsOf.drLogs);
    // A pilot light runs no task, so it needs neither NAT nor interface endpoints (only S3's
    // free gateway); both come with the first serving mode, within the RTO budget.
    new Endpoints(this, "endpoints", { network: this.network, context, interfaceEndpoints: serving && config.network.interfaceEndpoints, noNat: false });
    this.cache = config.cache.enabled && serving ? this.cacheOf(config, logsKey) : undefined;

    const primaryNames = { project: config.project, environment: config.environment };
    // The environment's DR key (primary stack, keys.ts) encrypts the bucket replicas.
    const drKey = config.encryption.customerManagedKeys ? new KeyByAlias(context, keyAliasName(primaryNames, "dr"), config.stateRegion) : undefined;
    const appDatabase = config.database.engine === "aurora-postgresql" ? this.aurora : this.replica;
    const [desiredCount, minCount, maxCount] = standbyTaskCounts(dr.mode, config.service);
    const tier = servingTier(this, {
      config,
      context,
      network: this.network,
      certificateArn: dr.certificateArn,
      internal: config.edge.cloudfront.enabled,
      accessLogs: logs,
      // The image ECR replicates here (RegistryReplication in the baseline stack), same tag.
      registry: new ReplicatedRepository(context, repositoryName(primaryNames)),
      buckets: { models: new BucketReference(context, bucketsOf.modelsReplica, drKey), data: new BucketReference(context, bucketsOf.dataReplica, drKey) },
      database: appDatabase,
      otherDatabases: [this.replica, this.aurora].filter((d) => d !== appDatabase).filter((d) => d !== undefined),
      cache: this.cache,
      taskCounts: { desiredCount, minCount, maxCount },
      logsKeyArn: logsKey.arn,
      alerts: this.alerts,
      monitoring: serving ? {} : undefined,
      guardDutyAgent: props.guardDutyAgent,
    });
    this.loadBalancer = tier.loadBalancer;
    this.service = tier.service;
    this.monitoring = tier.monitoring;
    if (config.edge.cloudfront.enabled) this.vpcOrigin = albVpcOrigin(this, "cdn-alb-origin", this.loadBalancer);
    this.outputs(dr.mode);
  }

  /**
   * The standby's databases (the read replica, the Aurora secondary) share one key of this
   * stack, given by its ARN, which RDS stores: an alias plans a replacement after every deploy,
   * and a key of the primary's stack has an ARN this stack cannot know offline. The replica
   * needs it even without customer-managed keys: an encrypted cross-region replica must name a
   * key of its region, and the AWS-managed key's ARN is not known offline either.
   */
  private databaseKeyOf(config: EnvironmentConfig): CustomerKey | undefined {
    const replicated = hasInstance(config) && config.dr.databaseReplica;
    return replicated || (hasGlobalDatabase(config) && config.encryption.customerManagedKeys)
      ? new CustomerKey(this, "database-key", {
          context: this.context,
          alias: keyAliasName(this.context.names, "database"),
          description: "The standby's databases: storage and Performance Insights of the read replica and the Aurora secondary",
        })
      : undefined;
  }

  /** The bucket of the standby ALB's access logs, kept as the primary's. */
  private logsBucketOf(config: EnvironmentConfig, bucketName: string): SecureBucket {
    return logsBucket(new Construct(this, "storage"), {
      context: this.context,
      bucketName,
      transitionDays: config.storage.logsTransitionDays,
      expirationDays: config.storage.logsExpirationDays,
      forceDestroy: config.storage.forceDestroy,
      noncurrentVersionExpirationDays: config.storage.noncurrentVersionExpirationDays,
    });
  }

  /** The cross-region read replica of the primary's instance, named from the settings. */
  private replicaOf(config: EnvironmentConfig, key: CustomerKey): DatabaseReplica {
    const primaryNames = { project: config.project, environment: config.environment };
    return new DatabaseReplica(this, "replica", {
      context: this.context,
      network: this.network,
      key,
      sourceArn: arn(this.context, { service: "rds", region: config.region, resource: `db:${dbInstanceName(primaryNames)}` }),
      ...pick(config.database, REPLICA_SETTINGS),
      // Promoted by a failover only while the instance is the tasks' database.
      promoted: config.dr.mode === "active" && config.database.engine === "postgres",
      protectData: config.protectData,
      alerts: this.alerts,
      lagAlarmSeconds: config.dr.replicaLagAlarmSeconds,
    });
  }

  /** The secondary cluster of the environment's Aurora Global Database, joined by its name. */
  private auroraOf(config: EnvironmentConfig, databaseKey: CustomerKey | undefined): AuroraSecondary {
    return new AuroraSecondary(this, "aurora", {
      ...auroraSettings(config),
      context: this.context,
      network: this.network,
      globalClusterIdentifier: globalClusterName({ project: config.project, environment: config.environment }),
      instances: standbyAuroraInstances(config.dr.mode, config.database.aurora.readers),
      // Only with customer-managed keys: a key that came and went with the replica would replace the cluster.
      kmsKeyArn: config.encryption.customerManagedKeys ? databaseKey?.arn : undefined,
      promoted: config.dr.mode === "active",
      databaseName: config.database.databaseName,
      globalLagSeconds: config.database.aurora.alarms.globalLagSeconds,
      alerts: this.alerts,
    });
  }

  /** The standby's own cache, with a key of its own. */
  private cacheOf(config: EnvironmentConfig, logsKey: CustomerKey): Cache {
    const context = this.context;
    const cacheKey =
      config.encryption.customerManagedKeys && config.cache.encrypted
        ? new CustomerKey(this, "cache-key", {
            context,
            alias: keyAliasName(context.names, "cache"),
            description: "The standby's ElastiCache data at rest and snapshots",
          })
        : undefined;
    return new Cache(this, "cache", {
      ...cacheSettings(config),
      network: this.network,
      context,
      alerts: this.alerts,
      key: cacheKey,
      logsKeyArn: logsKey.arn,
    });
  }

  private outputs(mode: DrConfig["mode"]): void {
    if (this.replica) {
      new TerraformOutput(this, "db_endpoint", {
        value: this.replica.instance.address,
        description: "Hostname of the standby database (the replica, or after promotion the database)",
      });
    }
    if (this.aurora) {
      new TerraformOutput(this, "aurora_cluster_id", {
        value: this.aurora.cluster.clusterIdentifier,
        description: "The Aurora Global Database's secondary cluster: the failover target",
      });
      new TerraformOutput(this, "aurora_reader_endpoint", {
        value: this.aurora.cluster.readerEndpoint,
        description: "Reader endpoint of the standby's Aurora cluster",
      });
    }
    if (this.cache) {
      new TerraformOutput(this, "cache_endpoint", {
        value: this.cache.replicationGroup.primaryEndpointAddress,
        description: "Primary endpoint of the standby's cache",
      });
    }
    new TerraformOutput(this, "vpc_id", { value: this.network.vpc.id, description: "The standby VPC" });
    new TerraformOutput(this, "alb_dns_name", {
      value: this.loadBalancer.alb.dnsName,
      description: "DNS name of the standby ALB: dr.failoverOrigin.domainName of the environment (without HTTPS)",
    });
    if (this.vpcOrigin) {
      new TerraformOutput(this, "cloudfront_vpc_origin_id", {
        value: this.vpcOrigin.id,
        description: "CloudFront VPC origin of the standby ALB: dr.failoverOrigin.vpcOriginId of the environment",
      });
    }
    new TerraformOutput(this, "ecs_cluster_name", { value: this.service.cluster.name, description: "ECS cluster of the standby" });
    new TerraformOutput(this, "ecs_service_name", { value: this.service.service.name, description: "ECS service of the standby" });
    new TerraformOutput(this, "mode", { value: mode, description: "DR mode this stack was deployed in" });
  }
}
