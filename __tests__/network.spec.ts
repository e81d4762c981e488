import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Testing } from "cdktf";
import { deploymentContext } from "../src/constructs/context";
import { Network, type NetworkProps } from "../src/constructs/network";
import { NamedStack } from "../src/stacks/named-stack";
import { policyDocument, resource, resourcesOf, type TerraformJson } from "./helpers";

/**
 * A Network alone in a stack with a provider and the deployment context, with explicit props
 * (the presets' CIDRs and retentions are config.spec's); `props` replace those under test.
 */
function network(props: Partial<NetworkProps> = {}): { synthesized: string; json: TerraformJson } {
  const stack = new NamedStack(Testing.app(), "test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const context = deploymentContext(stack, { accountId: "123456789012", region: "eu-west-1", names: { project: "smh-dashboard", environment: "test" } });
  new Network(stack, "network", {
    vpcCidr: "10.20.0.0/16",
    publicSubnetCidrs: ["10.20.0.0/24", "10.20.1.0/24"],
    privateSubnetCidrs: ["10.20.10.0/24", "10.20.11.0/24"],
    natGateways: "one-per-az",
    flowLogRetentionDays: 90,
    availabilityZones: ["eu-west-1a", "eu-west-1b"],
    context,
    ...props,
  });
  const synthesized = Testing.synth(stack);
  return { synthesized, json: JSON.parse(synthesized) };
}

describe("Network", () => {
  const { synthesized, json } = network();

  test("the VPC takes vpcCidr, with DNS support and hostnames", () => {
    expect(synthesized).toHaveResourceWithProperties(Vpc, {
      cidr_block: "10.20.0.0/16",
      enable_dns_support: true,
      enable_dns_hostnames: true,
    });
  });

  test("one public and one private subnet per zone, each CIDR in its zone, in the zones' order", () => {
    const subnets = resourcesOf(json, "aws_subnet");
    expect(Object.fromEntries(Object.entries(subnets).map(([name, s]) => [name, [s.cidr_block, s.availability_zone]]))).toEqual({
      network_public_a: ["10.20.0.0/24", "eu-west-1a"],
      network_public_b: ["10.20.1.0/24", "eu-west-1b"],
      network_private_a: ["10.20.10.0/24", "eu-west-1a"],
      network_private_b: ["10.20.11.0/24", "eu-west-1b"],
    });
  });

  test("no subnet assigns public IPs on launch", () => {
    expect(synthesized).not.toHaveResourceWithProperties(Subnet, { map_public_ip_on_launch: true });
  });

  test("one internet gateway; the public route table sends 0.0.0.0/0 to it for both public subnets", () => {
    expect(Object.keys(resourcesOf(json, "aws_internet_gateway"))).toEqual(["network_igw"]);
    expect(resource(json, "aws_route", "network_public_internet")).toMatchObject({
      destination_cidr_block: "0.0.0.0/0",
      gateway_id: "${aws_internet_gateway.network_igw.id}",
      route_table_id: "${aws_route_table.network_public.id}",
    });
    for (const zone of ["a", "b"]) {
      expect(resource(json, "aws_route_table_association", `network_public_${zone}_routes`)).toMatchObject({
        subnet_id: `\${aws_subnet.network_public_${zone}.id}`,
        route_table_id: "${aws_route_table.network_public.id}",
      });
    }
  });

  test("one NAT gateway with an Elastic IP in each public subnet, and each zone's private table routes through its own", () => {
    for (const zone of ["a", "b"]) {
      expect(resource(json, "aws_eip", `network_nat_${zone}_ip`)).toMatchObject({ domain: "vpc" });
      expect(resource(json, "aws_nat_gateway", `network_nat_${zone}`)).toMatchObject({
        allocation_id: `\${aws_eip.network_nat_${zone}_ip.allocation_id}`,
        subnet_id: `\${aws_subnet.network_public_${zone}.id}`,
      });
      expect(resource(json, "aws_route", `network_private_${zone}_internet`)).toMatchObject({
        destination_cidr_block: "0.0.0.0/0",
        nat_gateway_id: `\${aws_nat_gateway.network_nat_${zone}.id}`,
        route_table_id: `\${aws_route_table.network_private_${zone}_table.id}`,
      });
    }
  });

  test("natGateways single shares zone a's gateway between both private route tables", () => {
    const { json: single } = network({ natGateways: "single" });
    expect(Object.keys(resourcesOf(single, "aws_nat_gateway"))).toEqual(["network_nat_a"]);
    expect(resource(single, "aws_route", "network_private_b_internet").nat_gateway_id).toBe("${aws_nat_gateway.network_nat_a.id}");
  });

  test("natGateways none leaves the private subnets without a default route", () => {
    const { json: none } = network({ natGateways: "none" });
    expect(resourcesOf(none, "aws_nat_gateway")).toEqual({});
    expect(resourcesOf(none, "aws_eip")).toEqual({});
    expect(Object.keys(resourcesOf(none, "aws_route"))).toEqual(["network_public_internet"]);
  });

  test("the default security group is managed with no rules", () => {
    expect(synthesized).toHaveResourceWithProperties(DefaultSecurityGroup, { ingress: [], egress: [] });
  });

  test("VPC flow logs record all traffic to a log group kept flowLogRetentionDays", () => {
    expect(synthesized).toHaveResourceWithProperties(FlowLog, {
      traffic_type: "ALL",
      log_destination_type: "cloud-watch-logs",
      log_destination: "${aws_cloudwatch_log_group.network_flow_logs.arn}",
    });
    expect(resource(json, "aws_cloudwatch_log_group", "network_flow_logs")).toMatchObject({
      name: "/aws/vpc/flow-logs/smh-dashboard-test-vpc",
      retention_in_days: 90,
    });
  });

  test("the flow-log role is trusted only by the flow-logs service of this account and may only write to its group", () => {
    const trust = policyDocument(json, "network_flow_logs_role_trust").statement[0];
    expect(trust.principals).toEqual([{ type: "Service", identifiers: ["vpc-flow-logs.amazonaws.com"] }]);
    expect(trust.condition).toEqual(expect.arrayContaining([{ test: "StringEquals", variable: "aws:SourceAccount", values: ["123456789012"] }]));
    const permissions = policyDocument(json, "network_flow_logs_role_permissions").statement;
    expect(permissions).toEqual([
      expect.objectContaining({
        actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        resources: ["${aws_cloudwatch_log_group.network_flow_logs.arn}:*"],
      }),
    ]);
  });

  test("refuses a layout it cannot build, every problem at once: one zone, and a subnet outside the VPC", () => {
    expect(() => network({ availabilityZones: ["eu-west-1a"], publicSubnetCidrs: ["10.20.0.0/24"], privateSubnetCidrs: ["10.30.10.0/24"] })).toThrow(
      'test/network: availabilityZones lists 1 zone(s); the ALB and high availability need at least 2. Fix: list two zones. privateSubnetCidrs[0] "10.30.10.0/24" is not inside vpcCidr "10.20.0.0/16". Fix: choose a range inside the VPC.',
    );
  });
});
