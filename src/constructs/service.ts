import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { EcsCluster } from "@cdktf/provider-aws/lib/ecs-cluster";
import { EcsClusterCapacityProviders } from "@cdktf/provider-aws/lib/ecs-cluster-capacity-providers";
import { EcsService } from "@cdktf/provider-aws/lib/ecs-service";
import { EcsTaskDefinition } from "@cdktf/provider-aws/lib/ecs-task-definition";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { GUARDDUTY_FARGATE_AGENT_REPOSITORY, guardDutyAgentAccount } from "../aws/guardduty-agent";
import { asProps, type NameOf, type Problem, refuseInputs } from "../config/problem";
import type { ServiceConfig } from "../config/schema";
import { clusterName, type NameContext, resourceName, SERVICE_NAME, serviceLogGroupName, taskFamilyName } from "../config/naming";
import { arn, type DeploymentContext } from "./context";
import { ServiceRole } from "./iam";
import type { LoadBalancer } from "./load-balancer";
import type { Metric } from "./metric";
import type { Network } from "./network";
import { ECR_PULL_ACTIONS, type ImageRepository } from "./registry";
import type { BucketAccess } from "./secure-bucket";
import { SecurityGroup, type ServicePort } from "./security-group";

/** Streamlit's port on the tasks, as security group rules name it. */
export const STREAMLIT_PORT = (port: number): ServicePort => ({ id: "app", port, protocol: "Streamlit" });

/** Name of the app's container in the task definition. */
export const CONTAINER_NAME = "dashboard";
/** HOME of the container: a writable volume, since the root filesystem is read-only. */
export const CONTAINER_HOME = "/home/app";
/**
 * Where the image keeps its TLS certificate and key when the ALB reaches it over HTTPS
 * (docs/operations.md, "The image"); the ALB does not validate them, so a self-signed pair
 * made at build time is enough.
 */
export const CONTAINER_TLS = { certFile: "/etc/dashboard/tls/cert.pem", keyFile: "/etc/dashboard/tls/key.pem" } as const;

/** A secret handed to the container as an environment variable (task definition `secrets`). */
export interface ContainerSecret {
  /** Environment variable name in the container. */
  readonly name: string;
  /** Secrets Manager secret ARN, optionally with `:json-key::` selectors. */
  readonly valueFrom: string;
}

/** A database the service's tasks use: an RDS instance or its replica, an Aurora cluster or its secondary. */
export interface ServiceDatabase {
  /** Connection settings for the container (host, port, database, and the user with IAM authentication). */
  readonly containerEnvironment: readonly { readonly name: string; readonly value: string }[];
  /** Credentials for the container, where a password reaches it. @default none (IAM authentication) */
  readonly containerSecrets?: readonly ContainerSecret[];
  /** Lets the members of `other` connect (both sides' security group rules). */
  allowFrom(other: SecurityGroup): void;
  /** Lets `service`'s tasks sign in: its execution role reads the password's secret, or its task role connects with IAM. */
  grantSignIn(service: Service): void;
}

/**
 * The service settings the ECS service is built from (config/schema.ts describes each; the
 * health check path is the load balancer's). desiredCount is the count at the first deploy:
 * autoscaling owns it afterwards.
 */
export const SERVICE_SETTINGS = [
  "cpu",
  "memory",
  "desiredCount",
  "minCount",
  "maxCount",
  "imageTag",
  "containerPort",
  "healthCheckGracePeriodSeconds",
  "logRetentionDays",
  "fargateSpot",
  "fargateOnDemandBase",
  "assignPublicIp",
  "cpuArchitecture",
  "metricNamespace",
  "scaling",
] as const satisfies readonly (keyof ServiceConfig)[];

/**
 * The service's input rule, which the settings validation reports too (as service.*): minCount
 * at most maxCount, and the first deploy's desiredCount between them, else autoscaling moves it
 * at once.
 */
export function taskCountProblems(counts: Pick<ServiceProps, "minCount" | "maxCount" | "desiredCount">, at: NameOf = asProps): Problem[] {
  const { minCount, maxCount, desiredCount } = counts;
  if (minCount > maxCount) {
    return [{ path: at("minCount"), message: `${minCount} is above ${at("maxCount")} ${maxCount}. Fix: keep minCount <= maxCount.` }];
  }
  return desiredCount < minCount || desiredCount > maxCount
    ? [
        {
          path: at("desiredCount"),
          message: `${desiredCount} is outside the autoscaling range ${minCount}..${maxCount}. Fix: set desiredCount between ${at("minCount")} and ${at("maxCount")}.`,
        },
      ]
    : [];
}

/**
 * The service's input rule on Spot, which the settings validation reports too (as service.*): with
 * fargateSpot, an on-demand base of maxCount or more keeps every task off Spot, saving nothing.
 */
export function spotProblems(input: Pick<ServiceProps, "fargateSpot" | "fargateOnDemandBase" | "maxCount">, at: NameOf = asProps): Problem[] {
  const { fargateSpot, fargateOnDemandBase, maxCount } = input;
  if (!fargateSpot || fargateOnDemandBase < maxCount) return [];
  return [
    {
      path: at("fargateOnDemandBase"),
      message: `${fargateOnDemandBase} keeps every task (at most ${at("maxCount")} ${maxCount}) on regular Fargate, so ${at("fargateSpot")} true runs none on Spot and saves nothing. Fix: set ${at("fargateOnDemandBase")} below ${maxCount} (1 keeps the service up when Spot is reclaimed), or set ${at("fargateSpot")} to false.`,
    },
  ];
}

/**
 * The service's input rule on GuardDuty's agent, which the settings validation reports too (as
 * baseline.guardDuty, for each region a service runs in): where GuardDuty manages the agent, the
 * tasks pull it from GuardDuty's repository in their region, which AWS documents for most regions.
 */
export function guardDutyAgentProblems(
  input: { readonly guardDutyAgent?: boolean; readonly region: string },
  at: NameOf = asProps,
  where = "the service's region",
): Problem[] {
  if (!input.guardDutyAgent || guardDutyAgentAccount(input.region)) return [];
  return [
    {
      path: at("guardDutyAgent"),
      message: `is true, but AWS documents no repository of GuardDuty's ECS Fargate agent in ${input.region} (${where}), so the tasks could not pull the agent GuardDuty adds to them. Fix: set ${at("guardDutyAgent")} to false, or use a region that src/aws/guardduty-agent.ts gives an account.`,
    },
  ];
}

export interface ServiceProps extends Readonly<Pick<ServiceConfig, (typeof SERVICE_SETTINGS)[number]>> {
  readonly context: DeploymentContext;
  readonly network: Network;
  readonly loadBalancer: LoadBalancer;
  /** Where the image comes from; the execution role may pull from it. */
  readonly registry: ImageRepository;
  /** Buckets the app reads and writes (seed: models, data); the task role gets both, with their key. */
  readonly buckets: { readonly models: BucketAccess; readonly data: BucketAccess };
  /** Extra plain environment variables, e.g. the database host. @default none */
  readonly environment?: readonly { readonly name: string; readonly value: string }[];
  /** Secrets for the container, e.g. database credentials. @default none */
  readonly secrets?: readonly ContainerSecret[];
  /** KMS key of the application log group. @default CloudWatch Logs' own encryption */
  readonly logsKeyArn?: string;
  /**
   * GuardDuty runtime monitoring manages its agent in the tasks (the account baseline's
   * ECS_FARGATE_AGENT_MANAGEMENT): the execution role may pull the agent's image from GuardDuty's
   * repository in the service's region. @default false
   */
  readonly guardDutyAgent?: boolean;
}

/**
 * The dashboard on ECS Fargate (seed "ECS Fargate", "IAM Roles", "Auto-scaling Policies"):
 * cluster, log group, execution and task roles, task definition, service in the private subnets
 * behind the ALB, and step scaling driven by explicit CloudWatch alarms.
 */
export class Service extends Construct {
  public readonly cluster: EcsCluster;
  public readonly logGroup: CloudwatchLogGroup;
  public readonly executionRole: ServiceRole;
  public readonly taskRole: ServiceRole;
  public readonly taskDefinition: EcsTaskDefinition;
  public readonly service: EcsService;
  /** The tasks' security group: `database.allowFrom(service.securityGroup)` lets them in. */
  public readonly securityGroup: SecurityGroup;
  public readonly scalingTarget: AppautoscalingTarget;
  /** Scaling alarms by role: cpu-high, memory-high, scale-in. */
  public readonly scalingAlarms: Readonly<Record<string, CloudwatchMetricAlarm>>;

  constructor(scope: Construct, id: string, props: ServiceProps) {
    super(scope, id);
    const names = props.context.names;
    refuseInputs(this.node.path, [
      ...taskCountProblems(props),
      ...spotProblems(props),
      ...guardDutyAgentProblems({ guardDutyAgent: props.guardDutyAgent, region: props.context.region }),
    ]);

    this.cluster = new EcsCluster(this, "cluster", {
      name: clusterName(names),
      setting: [{ name: "containerInsights", value: "enabled" }],
      tags: { Name: clusterName(names) },
    });
    new EcsClusterCapacityProviders(this, "capacity-providers", {
      clusterName: this.cluster.name,
      capacityProviders: ["FARGATE", "FARGATE_SPOT"],
    });
    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      name: serviceLogGroupName(names),
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logsKeyArn,
    });
    this.executionRole = this.executionRoleFor(props);
    this.taskRole = this.taskRoleFor(props);
    this.taskDefinition = new EcsTaskDefinition(this, "task-definition", {
      family: taskFamilyName(names),
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: String(props.cpu),
      memory: String(props.memory),
      executionRoleArn: this.executionRole.role.arn,
      taskRoleArn: this.taskRole.role.arn,
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: props.cpuArchitecture },
      volume: [{ name: "tmp" }, { name: "home" }],
      containerDefinitions: Fn.jsonencode([this.containerDefinition(props)]),
    });

    this.securityGroup = new SecurityGroup(this, "security-group", {
      network: props.network,
      name: resourceName(names, "tasks"),
      label: "tasks",
      members: "the dashboard tasks",
      description: "Dashboard tasks: Streamlit from the ALB, HTTPS out",
    });
    this.securityGroup.allowFrom(props.loadBalancer.securityGroup, STREAMLIT_PORT(props.containerPort));
    this.securityGroup.allowOut("https-out", {
      port: 443,
      cidr: "0.0.0.0/0",
      description: "HTTPS to AWS APIs (endpoints, S3 gateway, NAT)",
    });

    this.service = this.ecsService(props);
    this.scalingTarget = new AppautoscalingTarget(this, "scaling-target", {
      serviceNamespace: "ecs",
      scalableDimension: "ecs:service:DesiredCount",
      resourceId: `service/${this.cluster.name}/${this.service.name}`,
      minCapacity: props.minCount,
      maxCapacity: props.maxCount,
    });
    this.scalingAlarms = this.scaling(props, names);
  }

  /** The role ECS starts the tasks with: pulls the image (and GuardDuty's agent), writes the container logs. */
  private executionRoleFor(props: ServiceProps): ServiceRole {
    const role = this.role("execution-role", "task-execution", props.context);
    props.registry.grantPull(role);
    const agentAccount = props.guardDutyAgent ? guardDutyAgentAccount(props.context.region) : undefined;
    if (agentAccount) {
      role.addStatements({
        sid: "PullGuardDutyAgent",
        effect: "Allow",
        // ECS pulls the sidecar GuardDuty adds to each task with this role (GuardDuty's prerequisite for Fargate).
        actions: ECR_PULL_ACTIONS,
        resources: [arn(props.context, { service: "ecr", account: agentAccount, resource: `repository/${GUARDDUTY_FARGATE_AGENT_REPOSITORY}` })],
      });
    }
    role.addStatements({
      sid: "WriteContainerLogs",
      effect: "Allow",
      actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
      resources: [`${this.logGroup.arn}:*`],
    });
    return role;
  }

  /** The role the app runs as: the models and data buckets, and its metrics namespace. */
  private taskRoleFor(props: ServiceProps): ServiceRole {
    const role = this.role("task-role", "task", props.context);
    props.buckets.models.grantReadWrite(role);
    props.buckets.data.grantReadWrite(role);
    role.addStatements({
      sid: "PublishAppMetrics",
      effect: "Allow",
      // PutMetricData has no resource-level permissions; the namespace condition scopes it.
      actions: ["cloudwatch:PutMetricData"],
      resources: ["*"],
      condition: [{ test: "StringEquals", variable: "cloudwatch:namespace", values: [props.metricNamespace] }],
    });
    return role;
  }

  private role(id: string, name: string, context: DeploymentContext): ServiceRole {
    return new ServiceRole(this, id, {
      context,
      name: resourceName(context.names, name),
      service: "ecs-tasks.amazonaws.com",
      sourceArn: arn(context, { service: "ecs", resource: "*" }),
    });
  }

  /** The app's container: read-only root, Streamlit's settings, the buckets, and logs to the log group. */
  private containerDefinition(props: ServiceProps) {
    const region = props.context.region;
    return {
      name: CONTAINER_NAME,
      image: `${props.registry.repositoryUrl}:${props.imageTag}`,
      essential: true,
      portMappings: [{ containerPort: props.containerPort, protocol: "tcp" }],
      readonlyRootFilesystem: true,
      // Streamlit writes to its home (~/.streamlit) and to /tmp (uploads).
      mountPoints: [
        { sourceVolume: "tmp", containerPath: "/tmp", readOnly: false },
        { sourceVolume: "home", containerPath: CONTAINER_HOME, readOnly: false },
      ],
      linuxParameters: { initProcessEnabled: true },
      environment: [
        { name: "AWS_REGION", value: region },
        { name: "AWS_DEFAULT_REGION", value: region },
        { name: "MODELS_BUCKET", value: props.buckets.models.name },
        { name: "DATA_BUCKET", value: props.buckets.data.name },
        { name: "METRICS_NAMESPACE", value: props.metricNamespace },
        { name: "HOME", value: CONTAINER_HOME },
        { name: "STREAMLIT_SERVER_PORT", value: String(props.containerPort) },
        { name: "STREAMLIT_SERVER_HEADLESS", value: "true" },
        ...(props.loadBalancer.targetProtocol === "HTTPS"
          ? [
              { name: "STREAMLIT_SERVER_SSL_CERT_FILE", value: CONTAINER_TLS.certFile },
              { name: "STREAMLIT_SERVER_SSL_KEY_FILE", value: CONTAINER_TLS.keyFile },
            ]
          : []),
        ...(props.environment ?? []),
      ],
      secrets: (props.secrets ?? []).map((s) => ({ name: s.name, valueFrom: s.valueFrom })),
      logConfiguration: {
        logDriver: "awslogs",
        options: {
          "awslogs-group": this.logGroup.name,
          "awslogs-region": region,
          "awslogs-stream-prefix": CONTAINER_NAME,
          mode: "non-blocking",
        },
      },
    };
  }

  /** The ECS service in the private subnets behind the ALB's target group, rolled back when a deployment fails. */
  private ecsService(props: ServiceProps): EcsService {
    // The base stays on regular Fargate, so a Spot reclaim never takes the service down; the rest run on Spot.
    const capacity = props.fargateSpot
      ? [
          { capacityProvider: "FARGATE", base: props.fargateOnDemandBase, weight: 0 },
          { capacityProvider: "FARGATE_SPOT", weight: 1 },
        ]
      : [{ capacityProvider: "FARGATE", weight: 1 }];
    const service = new EcsService(this, "service", {
      name: SERVICE_NAME,
      cluster: this.cluster.arn,
      taskDefinition: this.taskDefinition.arn,
      desiredCount: props.desiredCount,
      capacityProviderStrategy: capacity,
      platformVersion: "LATEST",
      // With a public address the tasks reach AWS's APIs directly, without a NAT gateway or endpoints.
      networkConfiguration: {
        subnets: props.assignPublicIp ? props.network.publicSubnetIds : props.network.privateSubnetIds,
        securityGroups: [this.securityGroup.id],
        assignPublicIp: props.assignPublicIp,
      },
      loadBalancer: [
        {
          targetGroupArn: props.loadBalancer.targetGroup.arn,
          containerName: CONTAINER_NAME,
          containerPort: props.containerPort,
        },
      ],
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      healthCheckGracePeriodSeconds: props.healthCheckGracePeriodSeconds,
      propagateTags: "SERVICE",
      enableEcsManagedTags: true,
      // Autoscaling owns the count after creation; a deploy must not reset it.
      lifecycle: { ignoreChanges: ["desired_count"] },
      dependsOn: [...props.loadBalancer.listeners],
    });
    this.securityGroup.usedBy(service);
    return service;
  }

  /**
   * Seed "Auto-scaling Policies" as explicit alarms and step policies: each high alarm adds one
   * task; one scale-in alarm on a metric-math expression of both metrics removes one task only
   * when CPU and memory are both low, so the two metrics never fight.
   */
  private scaling(config: ServiceProps, names: NameContext): Record<string, CloudwatchMetricAlarm> {
    const s = config.scaling;
    const cpu = this.metricCpu();
    const memory = this.metricMemory();
    const step = (id: string, adjustment: number, cooldown: number) =>
      new AppautoscalingPolicy(this, id, {
        name: resourceName(names, id),
        policyType: "StepScaling",
        serviceNamespace: this.scalingTarget.serviceNamespace,
        resourceId: this.scalingTarget.resourceId,
        scalableDimension: this.scalingTarget.scalableDimension,
        stepScalingPolicyConfiguration: {
          adjustmentType: "ChangeInCapacity",
          cooldown,
          metricAggregationType: "Average",
          stepAdjustment: [{ scalingAdjustment: adjustment, metricIntervalLowerBound: "0" }],
        },
      });
    const scaleOutCpu = step("scale-out-cpu", 1, s.scaleOutCooldownSeconds);
    const scaleOutMemory = step("scale-out-memory", 1, s.scaleOutCooldownSeconds);
    const scaleIn = step("scale-in", -1, s.scaleInCooldownSeconds);

    const high = (id: string, metric: Metric, threshold: number, policy: AppautoscalingPolicy) =>
      new CloudwatchMetricAlarm(this, id, {
        alarmName: resourceName(names, id),
        alarmDescription: `${metric.metricName} above ${threshold}% for ${s.scaleOutSeconds} s: add one task`,
        namespace: metric.namespace,
        metricName: metric.metricName,
        dimensions: metric.dimensions,
        statistic: "Average",
        period: 60,
        evaluationPeriods: s.scaleOutSeconds / 60,
        datapointsToAlarm: s.scaleOutSeconds / 60,
        comparisonOperator: "GreaterThanThreshold",
        threshold,
        // No data (service stopped, metrics delayed) is no reason to scale out.
        treatMissingData: "notBreaching",
        alarmActions: [policy.arn],
      });
    const minutes = s.scaleInSeconds / 60;
    return {
      "cpu-high": high("cpu-high", cpu, s.cpuHighPercent, scaleOutCpu),
      "memory-high": high("memory-high", memory, s.memoryHighPercent, scaleOutMemory),
      "scale-in": new CloudwatchMetricAlarm(this, "scale-in-alarm", {
        alarmName: resourceName(names, "scale-in"),
        alarmDescription: `CPU below ${s.cpuLowPercent}% and memory below ${s.memoryLowPercent}% for ${s.scaleInSeconds} s: remove one task`,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: 1,
        evaluationPeriods: minutes,
        datapointsToAlarm: minutes,
        treatMissingData: "notBreaching",
        metricQuery: [
          {
            id: "cpu",
            returnData: false,
            metric: { ...cpu, stat: "Average", period: 60 },
          },
          {
            id: "memory",
            returnData: false,
            metric: { ...memory, stat: "Average", period: 60 },
          },
          {
            id: "both_low",
            label: "CPU and memory both low",
            returnData: true,
            expression: `IF(cpu < ${s.cpuLowPercent} AND memory < ${s.memoryLowPercent}, 1, 0)`,
          },
        ],
        alarmActions: [scaleIn.arn],
      }),
    };
  }

  /** A metric of this service in `namespace` (ECS's own by default). */
  metric(metricName: string, namespace = "AWS/ECS"): Metric {
    return { namespace, metricName, dimensions: { ClusterName: this.cluster.name, ServiceName: this.service.name } };
  }

  /** Average CPU of the service's tasks, in percent of what they reserve. */
  metricCpu(): Metric {
    return this.metric("CPUUtilization");
  }

  /** Average memory of the service's tasks, in percent of what they reserve. */
  metricMemory(): Metric {
    return this.metric("MemoryUtilization");
  }

  /** Tasks running (Container Insights). */
  metricRunningTasks(): Metric {
    return this.metric("RunningTaskCount", "ECS/ContainerInsights");
  }
}
