import { Aspects, TerraformOutput } from "cdktf";
import type { NameSource } from "../aws/name-rules";
import { Construct } from "constructs";
import { configureRemoteState } from "../../backend";
import type { EnvironmentConfig } from "../config";
import { bucketNames } from "../config/buckets";
import { Alerts } from "../constructs/alerts";
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
  /** RDS PostgreSQL, when database.enabled. */
  public readonly database?: Database;

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
        globalProvider: this.providers.global,
        context,
      });
    }

    this.alerts = new Alerts(this, "alerts", { context, email: config.alertEmail });

    if (config.database.enabled) {
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

    this.service = new Service(this, "app", {
      ...config.service,
      context,
      network: this.network,
      loadBalancer: this.loadBalancer,
      registry: this.registry,
      buckets: { models: this.storage.models, data: this.storage.data },
      environment: this.database?.containerEnvironment,
      secrets: this.database?.containerSecrets,
      logsKeyArn: keys?.logs.arn,
    });
    if (this.database) {
      this.database.grantSecretRead(this.service.executionRole);
      this.database.allowFrom(this.service.securityGroup);
    }

    this.monitoring = new Monitoring(this, "monitoring", {
      ...config.monitoring,
      loadBalancer: this.loadBalancer,
      metricNamespace: config.service.metricNamespace,
      alerts: this.alerts,
      service: this.service,
      database: this.database,
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

/** The default tags of an environment's resources. */
export function environmentTags(config: EnvironmentConfig): Record<string, string> {
  return standardTags({
    project: config.project,
    environment: config.environment,
    dataClassification: config.dataClassification,
    extra: config.tags,
  });
}
