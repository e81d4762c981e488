import { Aspects, TerraformOutput } from "cdktf";
import type { NameSource } from "../aws/name-rules";
import type { Construct } from "constructs";
import { configureRemoteState } from "../../backend";
import type { EnvironmentConfig } from "../config";
import { bucketNames } from "../config/buckets";
import { hasAurora, hasGlobalDatabase, hasInstance } from "../config/rules";
import { Alerts } from "../constructs/alerts";
import { AuroraCluster } from "../constructs/aurora";
import { Cache } from "../constructs/cache";
import { Database } from "../constructs/database";
import { Edge } from "../constructs/edge";
import { Endpoints } from "../constructs/endpoints";
import { Keys } from "../constructs/keys";
import { LoadBalancer } from "../constructs/load-balancer";
import { Monitoring } from "../constructs/monitoring";
import { imageRepositoryName, Registry } from "../constructs/registry";
import { Service } from "../constructs/service";
import { Waf } from "../constructs/waf";
import { ALB_LOG_PREFIX, Storage } from "../constructs/storage";
import { Network } from "../constructs/network";
import { Providers, standardTags } from "../constructs/providers";
import { deploymentContext, type DeploymentContext } from "../constructs/context";
import { globalClusterName } from "../naming";
import { PolicyChecks } from "../policy/checks";
import { NamedStack } from "./named-stack";

export interface EnvironmentStackProps {
  /** The validated configuration of this environment. */
  readonly config: EnvironmentConfig;
}

/** One environment of the dashboard (dev, prod): every regional resource it runs on. */
export class EnvironmentStack extends NamedStack {
  public readonly config: EnvironmentConfig;
  /** Account, region, partition and names, as every construct of the stack sees them. */
  public readonly context: DeploymentContext;
  public readonly providers: Providers;
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
    super(scope, id);
    const config = (this.config = props.config);
    Aspects.of(this).add(new PolicyChecks({ protectData: config.protectData, nameSources: environmentNameSources(config) }));

    this.providers = new Providers(this, "aws", {
      accountId: config.accountId,
      region: config.region,
      drRegion: config.stateRegion,
      tags: environmentTags(config),
    });
    configureRemoteState(this, {
      project: config.project,
      environment: config.environment,
      stateRegion: config.stateRegion,
      bucketSuffix: config.accountId,
    });
    const context = (this.context = deploymentContext(this, {
      accountId: config.accountId,
      region: config.region,
      names: { project: config.project, environment: config.environment },
    }));
    const names = context.names;

    const keys = config.encryption.customerManagedKeys
      ? new Keys(this, "keys", {
          context,
          drProvider: this.providers.dr,
          drRegion: config.stateRegion,
          dr:
            config.storage.replicateModels ||
            config.storage.replicateData ||
            // The standby's replica database has a key of its own in the DR stack.
            (config.database.enabled && config.database.replicateBackupsToDr),
          database: config.database.enabled,
          cache: config.cache.enabled && config.cache.encrypted,
        })
      : undefined;
    this.keys = keys;

    this.network = new Network(this, "network", {
      ...config.network,
      logsKeyArn: keys?.logs.arn,
      availabilityZones: config.availabilityZones,
      context,
    });

    this.storage = new Storage(this, "storage", {
      ...config.storage,
      bucketNames: bucketNames(config),
      context,
      drProvider: this.providers.dr,
      keys: keys && { data: keys.data, dr: keys.dr },
    });

    this.registry = new Registry(this, "registry", {
      repositoryName: imageRepositoryName(names),
      keepImages: config.registry.keepImages,
      forceDelete: config.storage.forceDestroy,
      encryptionKey: keys?.data,
    });

    this.endpoints = new Endpoints(this, "endpoints", {
      network: this.network,
      context,
      interfaceEndpoints: config.network.interfaceEndpoints,
      noNat: config.network.natGateways === "none",
      secrets: config.database.enabled,
    });

    this.loadBalancer = new LoadBalancer(this, "load-balancer", {
      ...config.loadBalancer,
      target: { port: config.service.containerPort, healthCheckPath: config.service.healthCheckPath },
      network: this.network,
      protectData: config.protectData,
      accessLogs: { bucket: this.storage.logs.bucket, policy: this.storage.logs.policy, prefix: ALB_LOG_PREFIX },
      internal: config.edge.cloudfront.enabled,
      names,
    });

    const cloudfront = config.edge.cloudfront;
    if (config.edge.waf.enabled) {
      this.waf = new Waf(this, "waf", {
        ...config.edge.waf,
        scope: cloudfront.enabled ? "CLOUDFRONT" : "REGIONAL",
        provider: cloudfront.enabled ? this.providers.global : undefined,
        albArn: cloudfront.enabled ? undefined : this.loadBalancer.alb.arn,
        logRetentionDays: config.service.logRetentionDays,
        // The logs key serves log groups of the primary region only.
        logsKeyArn: this.providers.global === this.providers.primary ? keys?.logs.arn : undefined,
        names,
      });
    }
    if (cloudfront.enabled && this.storage.staticAssets) {
      this.edge = new Edge(this, "cdn", {
        ...cloudfront,
        loadBalancer: this.loadBalancer,
        staticAssets: this.storage.staticAssets,
        logs: this.storage.logs,
        webAclArn: this.waf?.acl.arn,
        failoverOrigin: config.dr.enabled ? config.dr.failoverOrigin : undefined,
        // The share needs the standby's origin, set after the standby's first deploy.
        standbyTrafficPercent: config.dr.enabled && config.dr.mode === "serving" && config.dr.failoverOrigin ? config.dr.standbyTrafficPercent : 0,
        globalProvider: this.providers.global,
        context,
      });
    }

    this.alerts = new Alerts(this, "alerts", { context, email: config.alertEmail });

    if (hasInstance(config)) {
      this.database = new Database(this, "database", {
        ...config.database,
        network: this.network,
        protectData: config.protectData,
        context,
        alerts: this.alerts,
        drProvider: this.providers.dr,
        key: keys?.database,
        drKey: keys?.dr,
      });
    }

    if (hasAurora(config)) {
      this.aurora = new AuroraCluster(this, "aurora", {
        ...auroraSettings(config),
        databaseName: config.database.databaseName,
        masterUsername: config.database.masterUsername,
        network: this.network,
        context,
        alerts: this.alerts,
        key: keys?.database,
        replicationSourceArn: config.database.migration === "replicating" ? this.database?.instance.arn : undefined,
        globalClusterIdentifier: hasGlobalDatabase(config) ? globalClusterName(names) : undefined,
      });
    }
    if (config.cache.enabled) {
      this.cache = new Cache(this, "cache", {
        ...cacheSettings(config),
        network: this.network,
        context,
        alerts: this.alerts,
        key: keys?.cache,
        logsKeyArn: keys?.logs.arn,
      });
    }

    // The tasks use the engine's database; the other one, during a migration, only admits them.
    const appDatabase = config.database.engine === "aurora-postgresql" ? this.aurora : this.database;
    this.service = new Service(this, "app", {
      ...config.service,
      context,
      network: this.network,
      loadBalancer: this.loadBalancer,
      registry: this.registry,
      buckets: { models: this.storage.models, data: this.storage.data },
      environment: appDatabase || this.cache ? [...(appDatabase?.containerEnvironment ?? []), ...(this.cache?.containerEnvironment ?? [])] : undefined,
      secrets: appDatabase?.containerSecrets,
      logsKeyArn: keys?.logs.arn,
    });
    appDatabase?.grantSecretRead(this.service.executionRole);
    this.database?.allowFrom(this.service.securityGroup);
    if (this.aurora) {
      this.aurora.allowFrom(this.service.securityGroup);
      if (appDatabase === this.aurora && this.aurora.iamAuthentication) this.aurora.grantConnect(this.service.taskRole);
    }
    if (this.cache) {
      this.cache.allowFrom(this.service.securityGroup);
      this.cache.grantConnect(this.service.taskRole);
    }

    this.monitoring = new Monitoring(this, "monitoring", {
      ...config.monitoring,
      loadBalancer: this.loadBalancer,
      metricNamespace: config.service.metricNamespace,
      alerts: this.alerts,
      service: this.service,
      database: appDatabase,
      context,
    });

    this.outputs();
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
      new TerraformOutput(this, "aurora_reader_endpoint", { value: cluster.readerEndpoint, description: "Reader endpoint of the Aurora cluster (the readers, load-balanced)" });
      if (this.aurora.secretArn) {
        new TerraformOutput(this, "aurora_secret_arn", { value: this.aurora.secretArn, description: "Secrets Manager secret with the Aurora master credentials (managed and rotated by RDS)" });
      }
      if (this.aurora.globalCluster) {
        new TerraformOutput(this, "global_cluster_id", { value: this.aurora.globalCluster.globalClusterIdentifier, description: "Aurora Global Database whose secondary the DR standby holds" });
      }
    }
    if (this.cache) {
      new TerraformOutput(this, "cache_endpoint", { value: this.cache.replicationGroup.primaryEndpointAddress, description: "Primary endpoint of the ElastiCache replication group" });
      new TerraformOutput(this, "cache_reader_endpoint", { value: this.cache.replicationGroup.readerEndpointAddress, description: "Reader endpoint of the ElastiCache replication group" });
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
    { setting: config.storage.bucketSuffix ? "storage.bucketSuffix" : "storage.bucketSuffix (unset: the account id)", value: config.storage.bucketSuffix ?? config.accountId },
  ];
}

/** The Aurora settings both regions' clusters are built from, their alarms completed by database.alarms'. */
export function auroraSettings(config: EnvironmentConfig) {
  const { aurora, alarms, backupRetentionDays, backupWindow, maintenanceWindow, monitoringIntervalSeconds } = config.database;
  return {
    ...aurora,
    alarms: { ...aurora.alarms, cpuPercent: alarms.cpuPercent, connections: alarms.connections },
    backupRetentionDays,
    backupWindow,
    maintenanceWindow,
    monitoringIntervalSeconds,
    protectData: config.protectData,
  };
}

/** The cache settings both regions' caches are built from. */
export function cacheSettings(config: EnvironmentConfig) {
  return { ...config.cache, protectData: config.protectData, logRetentionDays: config.service.logRetentionDays };
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
