import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../validation";
import type { Alerts } from "../constructs/alerts";
import type { Cache } from "../constructs/cache";
import type { DeploymentContext } from "../constructs/context";
import { LoadBalancer, LOAD_BALANCER_SETTINGS } from "../constructs/load-balancer";
import { pick } from "../config/pick";
import { Monitoring, type MonitoringProps } from "../constructs/monitoring";
import type { Network } from "../constructs/network";
import type { ImageRepository } from "../constructs/registry";
import type { BucketAccess, SecureBucket } from "../constructs/secure-bucket";
import type { SecurityGroup } from "../constructs/security-group";
import { Service, SERVICE_SETTINGS, type ServiceDatabase } from "../constructs/service";
import { ALB_LOG_PREFIX } from "../constructs/storage";
import { warmUpMinutes, WorkingHours } from "../constructs/working-hours";

export interface ServingTierProps {
  /** The environment's settings: its service, load balancer and monitoring sections, and protectData. */
  readonly config: EnvironmentConfig;
  readonly context: DeploymentContext;
  readonly network: Network;
  /** ACM certificate of the HTTPS listener, in the stack's region. @default none (HTTP only) */
  readonly certificateArn?: string;
  /** Internal ALB behind a CloudFront VPC origin, else internet-facing. */
  readonly internal: boolean;
  /** The bucket of the ALB's access logs (under ALB_LOG_PREFIX). */
  readonly accessLogs: SecureBucket;
  /** Where the image comes from. */
  readonly registry: ImageRepository;
  /** The models and data buckets the tasks read and write. */
  readonly buckets: { readonly models: BucketAccess; readonly data: BucketAccess };
  /** The database the tasks use: its connection settings, credentials and sign-in. @default none */
  readonly database?: ServiceDatabase;
  /**
   * Databases that admit the tasks besides theirs, while the environment moves to Aurora (the
   * other engine's). @default none
   */
  readonly otherDatabases?: readonly { allowFrom(other: SecurityGroup): void }[];
  /** The cache the tasks use. @default none */
  readonly cache?: Cache;
  /** Tasks at the first deploy and the autoscaling bounds. @default the service settings' */
  readonly taskCounts?: { readonly desiredCount: number; readonly minCount: number; readonly maxCount: number };
  /** KMS key of the app's log group. @default CloudWatch Logs' own encryption */
  readonly logsKeyArn?: string;
  /** The topic the alarms notify. */
  readonly alerts: Alerts;
  /** The alarms and dashboard, with the database the dashboard shows. @default none */
  readonly monitoring?: { readonly database?: MonitoringProps["database"] };
  /** GuardDuty manages its runtime agent in the tasks: the execution role may pull it. @default false */
  readonly guardDutyAgent?: boolean;
  /**
   * The service keeps the settings' working hours (service.workingHours, when enabled), with the
   * monitoring's alarms that fire without tasks silenced outside them. @default false (a DR
   * standby runs around the clock)
   */
  readonly workingHours?: boolean;
}

/** What the serving tier is made of. */
export interface ServingTier {
  readonly loadBalancer: LoadBalancer;
  readonly service: Service;
  readonly monitoring?: Monitoring;
  readonly workingHours?: WorkingHours;
}

/**
 * The tier that serves the dashboard, in `stack`'s scope (so its addresses are `load_balancer`,
 * `app_*`, `monitoring_*` wherever it is built): the ALB, the ECS service behind it with its
 * scaling, the connections and grants to the tasks' database and cache, and the alarms and
 * dashboard. The environment stack and its DR standby build it alike.
 */
export function servingTier(
  stack: Construct,
  props: ServingTierProps & Required<Pick<ServingTierProps, "monitoring">>,
): Required<Omit<ServingTier, "workingHours">> & ServingTier;
export function servingTier(stack: Construct, props: ServingTierProps): ServingTier;
export function servingTier(stack: Construct, props: ServingTierProps): ServingTier {
  const { config, context, network } = props;
  const loadBalancer = new LoadBalancer(stack, "load-balancer", {
    ...pick(config.loadBalancer, LOAD_BALANCER_SETTINGS),
    certificateArn: props.certificateArn,
    target: { port: config.service.containerPort, healthCheckPath: config.service.healthCheckPath },
    network,
    protectData: config.protectData,
    accessLogs: { bucket: props.accessLogs.bucket, policy: props.accessLogs.policy, prefix: ALB_LOG_PREFIX },
    internal: props.internal,
    names: context.names,
  });
  const { database, cache } = props;
  const service = new Service(stack, "app", {
    ...pick(config.service, SERVICE_SETTINGS),
    ...props.taskCounts,
    context,
    network,
    loadBalancer,
    registry: props.registry,
    buckets: props.buckets,
    environment: database || cache ? [...(database?.containerEnvironment ?? []), ...(cache?.containerEnvironment ?? [])] : undefined,
    secrets: database?.containerSecrets,
    logsKeyArn: props.logsKeyArn,
    guardDutyAgent: props.guardDutyAgent,
  });
  for (const other of props.otherDatabases ?? []) other.allowFrom(service.securityGroup);
  if (database) {
    database.allowFrom(service.securityGroup);
    database.grantSignIn(service);
  }
  if (cache) {
    cache.allowFrom(service.securityGroup);
    cache.grantConnect(service.taskRole);
  }
  const monitoring =
    props.monitoring &&
    new Monitoring(stack, "monitoring", {
      ...config.monitoring,
      loadBalancer,
      metricNamespace: config.service.metricNamespace,
      alerts: props.alerts,
      service,
      database: props.monitoring.database,
      context,
    });
  const hours = config.service.workingHours;
  const workingHours =
    props.workingHours && hours.enabled && monitoring
      ? new WorkingHours(stack, "working-hours", {
          timeZone: hours.timeZone,
          start: hours.start,
          stop: hours.stop,
          days: hours.days,
          context,
          service,
          taskCounts: props.taskCounts ?? config.service,
          alarms: monitoring.alarmsWithoutTasks,
          warmUpMinutes: warmUpMinutes(config.service, config.monitoring),
          protectData: config.protectData,
          keyArn: props.alerts.key.arn,
        })
      : undefined;
  return { loadBalancer, service, monitoring, workingHours };
}
