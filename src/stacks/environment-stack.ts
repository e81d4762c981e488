import { TerraformOutput } from "cdktf";
import type { NameSource } from "../aws/name-rules";
import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../validation";
import { bucketNames } from "../config/buckets";
import { hasAurora, hasGlobalDatabase, hasInstance } from "../validation/rules";
import { Alerts } from "../constructs/alerts";
import { AuroraCluster } from "../constructs/aurora";
import { AURORA_SETTINGS } from "../constructs/aurora";
import { Cache, CACHE_SETTINGS } from "../constructs/cache";
import { Database, DATABASE_SETTINGS } from "../constructs/database";
import { Edge, EDGE_SETTINGS } from "../constructs/edge";
import { pick } from "../config/pick";
import { Endpoints } from "../constructs/endpoints";
import { Keys } from "../constructs/keys";
import type { LoadBalancer } from "../constructs/load-balancer";
import type { Monitoring } from "../constructs/monitoring";
import { Registry } from "../constructs/registry";
import type { Service } from "../constructs/service";
import { Waf, WAF_SETTINGS } from "../constructs/waf";
import { Storage, STORAGE_SETTINGS } from "../constructs/storage";
import type { SecureBucket } from "../constructs/secure-bucket";
import { Network, NETWORK_SETTINGS } from "../constructs/network";
import { type Providers, standardTags } from "../constructs/providers";
import { globalClusterName, repositoryName } from "../config/naming";
import { ProjectStack } from "./project-stack";
import { servingTier } from "./serving-tier";

export interface EnvironmentStackProps {
  /** The validated configuration of this environment. */
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

/** One environment of the dashboard (dev, prod): every regional resource it runs on. */
export class EnvironmentStack extends ProjectStack {
  public readonly config: EnvironmentConfig;
  /** The primary, DR and global providers (an environment stack always has them). */
  declare public readonly providers: Providers;
  public readonly network: Network;
  public readonly storage: Storage;
  public readonly registry: Registry;
  public readonly endpoints: Endpoints;
  public readonly loadBalancer: LoadBalancer;
  public readonly service: Service;
  public readonly alerts: Alerts;
  public readonly monitoring: Monitoring;
  /** Customer-managed keys, when encryption.customerManagedKeys. */
  public readonly keys?: Keys;
  /** CloudFront, when edge.cloudfront.enabled. */
  public readonly edge?: Edge;
  /** The web ACL, when edge.waf.enabled. */
  public readonly waf?: Waf;
  /** RDS PostgreSQL, when database.enabled and the environment has (or keeps) its instance. */
  public readonly database?: Database;
  /** Aurora PostgreSQL, when database.engine is aurora-postgresql or a migration replicates the instance. */
  public readonly aurora?: AuroraCluster;
  /** ElastiCache, when cache.enabled. */
  public readonly cache?: Cache;

  constructor(scope: Construct, id: string, props: EnvironmentStackProps) {
    const { config } = props;
    super(scope, id, {
      project: config.project,
      accountId: config.accountId,
      deployRoleArn: config.deployRoleArn,
      stateAccountId: props.stateAccountId,
      region: config.region,
      stateRegion: config.stateRegion,
      environment: config.environment,
      tags: environmentTags(config),
      state: { remote: config.environment },
      withDrProvider: true,
      protectData: config.protectData,
      nameSources: environmentNameSources(config),
    });
    this.config = config;
    const context = this.context;
    const keys = (this.keys = config.encryption.customerManagedKeys ? this.keysOf(config) : undefined);
    this.network = new Network(this, "network", {
      ...pick(config.network, NETWORK_SETTINGS),
      logsKeyArn: keys?.logs.arn,
      availabilityZones: config.availabilityZones,
      context,
    });
    this.storage = new Storage(this, "storage", {
      ...pick(config.storage, STORAGE_SETTINGS),
      bucketNames: bucketNames(config),
      context,
      drProvider: this.providers.dr,
      keys: keys && { data: keys.data, dr: keys.dr },
    });
    this.registry = new Registry(this, "registry", {
      repositoryName: repositoryName(context.names),
      keepImages: config.registry.keepImages,
      forceDelete: config.storage.forceDestroy,
      encryptionKey: keys?.data,
    });
    this.endpoints = new Endpoints(this, "endpoints", {
      network: this.network,
      context,
      interfaceEndpoints: config.network.interfaceEndpoints,
      // Tasks with public addresses reach AWS directly; only private ones need endpoints without a NAT.
      noNat: config.network.natGateways === "none" && !config.service.assignPublicIp,
      secrets: config.database.enabled,
    });
    this.alerts = new Alerts(this, "alerts", { context, email: config.alertEmail });
    this.database = hasInstance(config) ? this.databaseOf(config, keys) : undefined;
    this.aurora = hasAurora(config) ? this.auroraOf(config, keys) : undefined;
    this.cache = config.cache.enabled ? this.cacheOf(config, keys) : undefined;

    // The tasks use the engine's database; the other one, during a migration, only admits them.
    const appDatabase = config.database.engine === "aurora-postgresql" ? this.aurora : this.database;
    const tier = servingTier(this, {
      config,
      context,
      network: this.network,
      certificateArn: config.loadBalancer.certificateArn,
      internal: config.edge.cloudfront.enabled,
      accessLogs: this.storage.logs,
      registry: this.registry,
      buckets: { models: this.storage.models, data: this.storage.data },
      database: appDatabase,
      otherDatabases: [this.database, this.aurora].filter((d) => d !== appDatabase).filter((d) => d !== undefined),
      cache: this.cache,
      logsKeyArn: keys?.logs.arn,
      alerts: this.alerts,
      monitoring: { database: appDatabase },
      guardDutyAgent: props.guardDutyAgent,
      workingHours: true,
    });
    this.loadBalancer = tier.loadBalancer;
    this.service = tier.service;
    this.monitoring = tier.monitoring;
    this.waf = config.edge.waf.enabled ? this.wafOf(config, keys) : undefined;
    this.edge = config.edge.cloudfront.enabled && this.storage.staticAssets ? this.edgeOf(config, this.storage.staticAssets) : undefined;
    this.outputs();
  }

  /** The customer-managed keys, one per purpose the environment has. */
  private keysOf(config: EnvironmentConfig): Keys {
    return new Keys(this, "keys", {
      context: this.context,
      drProvider: this.providers.dr,
      drRegion: config.stateRegion,
      dr:
        config.storage.replicateModels ||
        config.storage.replicateData ||
        // The standby's replica database has a key of its own in the DR stack.
        (config.database.enabled && config.database.replicateBackupsToDr),
      database: config.database.enabled,
      cache: config.cache.enabled && config.cache.encrypted,
    });
  }

  private databaseOf(config: EnvironmentConfig, keys: Keys | undefined): Database {
    return new Database(this, "database", {
      ...pick(config.database, DATABASE_SETTINGS),
      network: this.network,
      protectData: config.protectData,
      context: this.context,
      alerts: this.alerts,
      drProvider: this.providers.dr,
      key: keys?.database,
      drKey: keys?.dr,
    });
  }

  private auroraOf(config: EnvironmentConfig, keys: Keys | undefined): AuroraCluster {
    const settings = auroraSettings(config);
    return new AuroraCluster(this, "aurora", {
      ...settings,
      readers: config.database.aurora.readers,
      alarms: { ...settings.alarms, replicaLagMilliseconds: config.database.aurora.alarms.replicaLagMilliseconds },
      databaseName: config.database.databaseName,
      masterUsername: config.database.masterUsername,
      network: this.network,
      context: this.context,
      alerts: this.alerts,
      key: keys?.database,
      replicationSourceArn: config.database.migration === "replicating" ? this.database?.instance.arn : undefined,
      globalClusterIdentifier: hasGlobalDatabase(config) ? globalClusterName(this.context.names) : undefined,
    });
  }

  private cacheOf(config: EnvironmentConfig, keys: Keys | undefined): Cache {
    return new Cache(this, "cache", {
      ...cacheSettings(config),
      network: this.network,
      context: this.context,
      alerts: this.alerts,
      key: keys?.cache,
      logsKeyArn: keys?.logs.arn,
    });
  }

  /** The web ACL: on CloudFront (created in us-east-1) when it is on, else on the ALB. */
  private wafOf(config: EnvironmentConfig, keys: Keys | undefined): Waf {
    const cloudfront = config.edge.cloudfront.enabled;
    return new Waf(this, "waf", {
      ...pick(config.edge.waf, WAF_SETTINGS),
      scope: cloudfront ? "CLOUDFRONT" : "REGIONAL",
      provider: cloudfront ? this.providers.global : undefined,
      albArn: cloudfront ? undefined : this.loadBalancer.alb.arn,
      logRetentionDays: config.service.logRetentionDays,
      // The logs key serves log groups of the primary region only.
      logsKeyArn: this.providers.global === this.providers.primary ? keys?.logs.arn : undefined,
      names: this.context.names,
    });
  }

  /** CloudFront in front of the internal ALB and the static bucket, failing over to the standby once it is known. */
  private edgeOf(config: EnvironmentConfig, staticAssets: SecureBucket): Edge {
    const dr = config.dr;
    return new Edge(this, "cdn", {
      ...pick(config.edge.cloudfront, EDGE_SETTINGS),
      loadBalancer: this.loadBalancer,
      staticAssets,
      logs: this.storage.logs,
      webAclArn: this.waf?.acl.arn,
      failoverOrigin: dr.enabled ? dr.failoverOrigin : undefined,
      // The share needs the standby's origin, set after the standby's first deploy.
      standbyTrafficPercent: dr.enabled && dr.mode === "serving" && dr.failoverOrigin ? dr.standbyTrafficPercent : 0,
      globalProvider: this.providers.global,
      context: this.context,
    });
  }

  private outputs(): void {
    const buckets = {
      models: this.storage.models,
      data: this.storage.data,
      logs: this.storage.logs,
      static_assets: this.storage.staticAssets,
      models_replica: this.storage.modelsReplica,
      data_replica: this.storage.dataReplica,
    };
    for (const [role, bucket] of Object.entries(buckets)) {
      if (!bucket) continue;
      const label = role.replace("_", " ");
      new TerraformOutput(this, `${role}_bucket_name`, {
        value: bucket.bucket.bucket,
        description: `Name of the ${label} S3 bucket`,
      });
      new TerraformOutput(this, `${role}_bucket_arn`, {
        value: bucket.bucket.arn,
        description: `ARN of the ${label} S3 bucket`,
      });
    }
    new TerraformOutput(this, "ecr_repository_url", {
      value: this.registry.repository.repositoryUrl,
      description: "ECR repository URL of the dashboard image; push immutable tags (the git SHA)",
    });
    new TerraformOutput(this, "alb_dns_name", {
      value: this.loadBalancer.alb.dnsName,
      description: "DNS name of the application load balancer",
    });
    new TerraformOutput(this, "ecs_cluster_name", {
      value: this.service.cluster.name,
      description: "Name of the ECS cluster",
    });
    new TerraformOutput(this, "ecs_service_name", {
      value: this.service.service.name,
      description: "Name of the ECS service running the dashboard",
    });
    if (this.edge) {
      new TerraformOutput(this, "cloudfront_domain_name", {
        value: this.edge.distribution.domainName,
        description: "Domain name of the CloudFront distribution (point custom domains here)",
      });
    }
    new TerraformOutput(this, "dashboard_name", {
      value: this.monitoring.dashboard.dashboardName,
      description: "CloudWatch dashboard of the environment",
    });
    new TerraformOutput(this, "alerts_topic_arn", {
      value: this.alerts.topic.arn,
      description: "SNS topic that every alarm notifies",
    });
    if (this.database) {
      const db = this.database.instance;
      new TerraformOutput(this, "db_endpoint", { value: db.address, description: "Hostname of the PostgreSQL instance" });
      new TerraformOutput(this, "db_port", { value: db.port, description: "Port of the PostgreSQL instance" });
      new TerraformOutput(this, "db_name", { value: db.dbName, description: "Name of the application database" });
      new TerraformOutput(this, "db_secret_arn", {
        value: this.database.secretArn,
        description: "Secrets Manager secret with the master credentials (managed and rotated by RDS)",
      });
    }
    if (this.aurora) {
      const cluster = this.aurora.cluster;
      new TerraformOutput(this, "aurora_cluster_id", { value: cluster.clusterIdentifier, description: "Identifier of the Aurora PostgreSQL cluster" });
      new TerraformOutput(this, "aurora_endpoint", { value: cluster.endpoint, description: "Writer endpoint of the Aurora cluster" });
      new TerraformOutput(this, "aurora_reader_endpoint", {
        value: cluster.readerEndpoint,
        description: "Reader endpoint of the Aurora cluster (the readers, load-balanced)",
      });
      if (this.aurora.secretArn) {
        new TerraformOutput(this, "aurora_secret_arn", {
          value: this.aurora.secretArn,
          description: "Secrets Manager secret with the Aurora master credentials (managed and rotated by RDS)",
        });
      }
      if (this.aurora.globalCluster) {
        new TerraformOutput(this, "global_cluster_id", {
          value: this.aurora.globalCluster.globalClusterIdentifier,
          description: "Aurora Global Database whose secondary the DR standby holds",
        });
      }
    }
    if (this.cache) {
      new TerraformOutput(this, "cache_endpoint", {
        value: this.cache.replicationGroup.primaryEndpointAddress,
        description: "Primary endpoint of the ElastiCache replication group",
      });
      new TerraformOutput(this, "cache_reader_endpoint", {
        value: this.cache.replicationGroup.readerEndpointAddress,
        description: "Reader endpoint of the ElastiCache replication group",
      });
    }
    new TerraformOutput(this, "app_log_group_name", {
      value: this.service.logGroup.name,
      description: "CloudWatch log group of the dashboard containers",
    });
  }
}

/** The settings an environment's physical names are built from, for the fix of a name AWS would refuse. */
export function environmentNameSources(config: EnvironmentConfig): NameSource[] {
  return [
    { setting: "project", value: config.project },
    { setting: "the environment name", value: config.environment },
    {
      setting: config.storage.bucketSuffix ? "storage.bucketSuffix" : "storage.bucketSuffix (unset: the account id)",
      value: config.storage.bucketSuffix ?? config.accountId,
      resourceTypes: ["aws_s3_bucket"],
    },
  ];
}

/** The Aurora settings both regions' clusters are built from, their alarms completed by database.alarms'. */
export function auroraSettings(config: EnvironmentConfig) {
  const { aurora, alarms } = config.database;
  return {
    ...pick(aurora, AURORA_SETTINGS),
    ...pick(config.database, ["backupRetentionDays", "backupWindow", "maintenanceWindow", "monitoringIntervalSeconds"]),
    alarms: { freeLocalStorageGb: aurora.alarms.freeLocalStorageGb, cpuPercent: alarms.cpuPercent, connections: alarms.connections },
    protectData: config.protectData,
  };
}

/** The cache settings both regions' caches are built from. */
export function cacheSettings(config: EnvironmentConfig) {
  return { ...pick(config.cache, CACHE_SETTINGS), protectData: config.protectData, logRetentionDays: config.service.logRetentionDays };
}

/** The default tags of an environment's resources. */
export function environmentTags(config: EnvironmentConfig): Record<string, string> {
  return standardTags({
    project: config.project,
    environment: config.environment,
    dataClassification: config.dataClassification,
    extra: config.tags,
  });
}
