/**
 * A bare stack for testing one construct alone (as aws-ecs-patterns' tests do): a provider, the
 * deployment context, a two-zone network and the alerts topic, nothing else.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { Testing } from "cdktf";
import { Alerts } from "../src/constructs/alerts";
import { deploymentContext, type DeploymentContext } from "../src/constructs/context";
import { KeyByAlias } from "../src/constructs/keys";
import { LoadBalancer } from "../src/constructs/load-balancer";
import { Network } from "../src/constructs/network";
import { Registry } from "../src/constructs/registry";
import { BucketReference } from "../src/constructs/secure-bucket";
import { Service, type ServiceProps } from "../src/constructs/service";
import { NamedStack } from "../src/stacks/named-stack";
import type { TerraformJson } from "./helpers";

export interface BareStack {
  readonly stack: NamedStack;
  readonly context: DeploymentContext;
  readonly network: Network;
  readonly alerts: Alerts;
  /** The stack's Terraform JSON, once everything under test is added. */
  synth(): TerraformJson;
}

export function bareStack(environment = "test", region = "us-east-1"): BareStack {
  const stack = new NamedStack(Testing.app(), environment);
  new AwsProvider(stack, "aws", { region });
  const context = deploymentContext(stack, { accountId: "123456789012", region, names: { project: "smh-dashboard", environment } });
  const network = new Network(stack, "network", {
    vpcCidr: "10.0.0.0/16",
    publicSubnetCidrs: ["10.0.0.0/24", "10.0.1.0/24"],
    privateSubnetCidrs: ["10.0.10.0/24", "10.0.11.0/24"],
    natGateways: "none",
    flowLogRetentionDays: 30,
    availabilityZones: [`${region}a`, `${region}b`],
    context,
  });
  const alerts = new Alerts(stack, "alerts", { context });
  return { stack, context, network, alerts, synth: () => JSON.parse(Testing.synth(stack)) };
}

/**
 * A service of 3 tasks (2..6) in `bare` behind an ALB of its own (over `targetProtocol`), with a
 * registry and the models and data buckets named by name, encrypted by a key named by alias; for
 * the specs of the Service and of what watches it. `props` replace the defaults under test.
 */
export function bareService(
  bare: BareStack,
  props: Partial<ServiceProps> = {},
  targetProtocol: "HTTP" | "HTTPS" = "HTTP",
): { loadBalancer: LoadBalancer; service: Service } {
  const { stack, context, network } = bare;
  const bucket = new S3Bucket(stack, "logs", { bucket: "smh-dashboard-test-logs" });
  const policy = new S3BucketPolicy(stack, "logs-policy", { bucket: bucket.id, policy: "{}" });
  const loadBalancer = new LoadBalancer(stack, "load-balancer", {
    ingressCidrs: ["0.0.0.0/0"],
    httpsEnabled: false,
    targetProtocol,
    idleTimeoutSeconds: 60,
    deregistrationDelaySeconds: 30,
    target: { port: 8501, healthCheckPath: "/_stcore/health" },
    network,
    protectData: false,
    accessLogs: { bucket, policy, prefix: "alb" },
    names: context.names,
  });
  const key = new KeyByAlias(context, "alias/smh-dashboard-test-data", "us-east-1");
  const service = new Service(stack, "app", {
    cpu: 1024,
    memory: 2048,
    desiredCount: 3,
    minCount: 2,
    maxCount: 6,
    imageTag: "3f2a1b9c",
    containerPort: 8501,
    healthCheckGracePeriodSeconds: 90,
    logRetentionDays: 14,
    fargateSpot: false,
    fargateOnDemandBase: 1,
    assignPublicIp: false,
    cpuArchitecture: "X86_64",
    metricNamespace: "TestNamespace",
    scaling: {
      cpuHighPercent: 65,
      cpuLowPercent: 25,
      memoryHighPercent: 75,
      memoryLowPercent: 35,
      scaleOutSeconds: 120,
      scaleInSeconds: 600,
      scaleOutCooldownSeconds: 90,
      scaleInCooldownSeconds: 400,
    },
    context,
    network,
    loadBalancer,
    registry: new Registry(stack, "registry", { repositoryName: "smh-dashboard-test-dashboard", keepImages: 5 }),
    buckets: { models: new BucketReference(context, "smh-dashboard-test-models", key), data: new BucketReference(context, "smh-dashboard-test-data", key) },
    ...props,
  });
  return { loadBalancer, service };
}
