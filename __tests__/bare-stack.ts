/**
 * A bare stack for testing one construct alone (as aws-ecs-patterns' tests do): a provider, the
 * deployment context, a two-zone network and the alerts topic, nothing else.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Testing } from "cdktf";
import { Alerts } from "../src/constructs/alerts";
import { deploymentContext, type DeploymentContext } from "../src/constructs/context";
import { Network } from "../src/constructs/network";
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
