import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Construct } from "constructs";
import * as ipaddr from "ipaddr.js";
import { zoneProblem } from "../aws/regions";
import { asProps, type NameOf, type Problem, refuseInputs } from "../config/problem";
import type { NetworkConfig } from "../config/schema";
import { flowLogGroupName, resourceName } from "../config/naming";
import { arn, type DeploymentContext } from "./context";
import { ServiceRole } from "./iam";

/** What a VPC is laid out from: its range, and one public and one private subnet per zone, in the zones' order. */
export type NetworkLayout = Pick<NetworkProps, "vpcCidr" | "publicSubnetCidrs" | "privateSubnetCidrs" | "availabilityZones">;

/**
 * The network's input rule, which the settings validation reports for the primary's network
 * (availabilityZones, network.*) and the standby's (dr.*): at least two distinct zones (the ALB
 * needs two), of `region` when given, one subnet of each tier per zone, every subnet inside the
 * VPC and none overlapping another.
 */
export function networkProblems(layout: NetworkLayout, at: NameOf = asProps, region?: { readonly name: string; readonly label: string }): Problem[] {
  const problems: Problem[] = [];
  const zones = layout.availabilityZones;
  if (zones.length < 2) {
    const example = region ? `, e.g. ["${region.name}a", "${region.name}b"]` : "";
    problems.push({
      path: at("availabilityZones"),
      message: `lists ${zones.length} zone(s); the ALB and high availability need at least 2. Fix: list two zones${region ? ` of ${region.name}` : ""}${example}.`,
    });
  }
  const twice = zones.find((zone, i) => zones.indexOf(zone) !== i);
  if (twice !== undefined) {
    problems.push({ path: at("availabilityZones"), message: `lists "${twice}" twice. Fix: list distinct zones.` });
  }
  if (region) {
    zones.forEach((zone, i) => {
      const path = `${at("availabilityZones")}[${i}]`;
      if (!zone.startsWith(region.name) || zone.length !== region.name.length + 1) {
        problems.push({ path, message: `"${zone}" is not a zone of ${region.label}. Fix: use a zone such as "${region.name}a".` });
      } else {
        const letter = zoneProblem(zone, region.name);
        if (letter) problems.push({ path, message: `${letter} (src/aws/regions.ts). Fix: use one of those.` });
      }
    });
  }
  const subnets = (["publicSubnetCidrs", "privateSubnetCidrs"] as const).flatMap((key) => {
    // Subnets are counted against a zone list that is itself valid: fewer than 2 zones is the problem above, whatever the subnets.
    if (zones.length >= 2 && layout[key].length !== zones.length) {
      problems.push({
        path: at(key),
        message: `lists ${layout[key].length} CIDR(s) for ${zones.length} availability zones. Fix: give exactly one CIDR per zone, in the zones' order.`,
      });
    }
    return layout[key].map((cidr, i) => ({ path: `${at(key)}[${i}]`, cidr, range: ipaddr.IPv4.parseCIDR(cidr) }));
  });
  const vpc = ipaddr.IPv4.parseCIDR(layout.vpcCidr);
  for (const subnet of subnets.filter((s) => !cidrContains(vpc, s.range))) {
    problems.push({ path: subnet.path, message: `"${subnet.cidr}" is not inside ${at("vpcCidr")} "${layout.vpcCidr}". Fix: choose a range inside the VPC.` });
  }
  subnets.forEach((a, i) =>
    subnets.slice(i + 1).forEach((b) => {
      if (cidrContains(a.range, b.range) || cidrContains(b.range, a.range)) {
        problems.push({ path: b.path, message: `"${b.cidr}" overlaps ${a.path} "${a.cidr}". Fix: give each subnet its own range inside the VPC.` });
      }
    }),
  );
  return problems;
}

/** Whether the range `inner` lies within `outer`. */
export function cidrContains(outer: [ipaddr.IPv4, number], inner: [ipaddr.IPv4, number]): boolean {
  return inner[1] >= outer[1] && inner[0].match(outer);
}

/** The network settings a Network is built from (config/schema.ts describes each). */
export const NETWORK_SETTINGS = [
  "vpcCidr",
  "publicSubnetCidrs",
  "privateSubnetCidrs",
  "natGateways",
  "flowLogRetentionDays",
] as const satisfies readonly (keyof NetworkConfig)[];

export interface NetworkProps extends Readonly<Pick<NetworkConfig, (typeof NETWORK_SETTINGS)[number]>> {
  /** Zones, one public and one private subnet each, in the subnets' order. */
  readonly availabilityZones: readonly string[];
  /** Account and region (the flow-log role's trust conditions) and names. */
  readonly context: DeploymentContext;
  /** KMS key of the flow log group. @default CloudWatch Logs' own encryption */
  readonly logsKeyArn?: string;
}

/** One availability zone's slice of the network. */
export interface ZoneNetwork {
  /** The zone, e.g. `us-east-1a`. */
  readonly zone: string;
  readonly publicSubnet: Subnet;
  readonly privateSubnet: Subnet;
  readonly privateRouteTable: RouteTable;
  /** This zone's NAT gateway, when it has one. */
  readonly natGateway?: NatGateway;
}

/**
 * The VPC of the seed: public subnets with an internet gateway (ALB, NAT), private subnets per
 * zone routed through a NAT gateway (ECS tasks, RDS), a locked-down default security group and
 * VPC flow logs to CloudWatch Logs.
 */
export class Network extends Construct {
  public readonly vpc: Vpc;
  public readonly zones: readonly ZoneNetwork[];
  public readonly publicRouteTable: RouteTable;
  public readonly flowLogGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const names = props.context.names;
    refuseInputs(this.node.path, networkProblems(props));

    this.vpc = new Vpc(this, "vpc", {
      cidrBlock: props.vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: resourceName(names, "vpc") },
    });
    // Managed with no rules so nothing can fall back to the permissive default group.
    new DefaultSecurityGroup(this, "default-security-group", {
      vpcId: this.vpc.id,
      ingress: [],
      egress: [],
      tags: { Name: resourceName(names, "default-do-not-use") },
    });
    const internetGateway = new InternetGateway(this, "igw", {
      vpcId: this.vpc.id,
      tags: { Name: resourceName(names, "igw") },
    });
    this.publicRouteTable = new RouteTable(this, "public", {
      vpcId: this.vpc.id,
      tags: { Name: resourceName(names, "public") },
    });
    new Route(this, "public-internet", {
      routeTableId: this.publicRouteTable.id,
      destinationCidrBlock: "0.0.0.0/0",
      gatewayId: internetGateway.id,
    });

    const publicSubnets = props.availabilityZones.map((zone, i) => this.publicSubnet(props, zone, props.publicSubnetCidrs[i]));
    const natZones = props.natGateways === "one-per-az" ? props.availabilityZones.map((_, i) => i) : props.natGateways === "single" ? [0] : [];
    const natGateways = natZones.map((i) => this.natGateway(props, props.availabilityZones[i], publicSubnets[i], internetGateway));
    this.zones = props.availabilityZones.map((zone, i) => {
      // One NAT per zone keeps a zone's egress alive when another zone fails; "single" shares
      // the first zone's gateway.
      const natGateway = natGateways.length > 0 ? natGateways[Math.min(i, natGateways.length - 1)] : undefined;
      return {
        zone,
        publicSubnet: publicSubnets[i],
        ...this.privateSubnet(props, zone, props.privateSubnetCidrs[i], natGateway),
        natGateway: natZones.includes(i) ? natGateway : undefined,
      };
    });
    this.flowLogGroup = this.flowLogs(props);
  }

  /** A public subnet of `zone` on the public route table. */
  private publicSubnet(props: NetworkProps, zone: string, cidr: string): Subnet {
    const suffix = zoneSuffix(zone);
    const subnet = new Subnet(this, `public-${suffix}`, {
      vpcId: this.vpc.id,
      availabilityZone: zone,
      cidrBlock: cidr,
      // Only the ALB and NAT gateways live here, and they get their addresses explicitly.
      mapPublicIpOnLaunch: false,
      tags: { Name: resourceName(props.context.names, `public-${suffix}`), Tier: "public" },
    });
    new RouteTableAssociation(this, `public-${suffix}-routes`, {
      subnetId: subnet.id,
      routeTableId: this.publicRouteTable.id,
    });
    return subnet;
  }

  /** The NAT gateway of `zone`, with its address, in the zone's public subnet. */
  private natGateway(props: NetworkProps, zone: string, publicSubnet: Subnet, internetGateway: InternetGateway): NatGateway {
    const suffix = zoneSuffix(zone);
    const names = props.context.names;
    const eip = new Eip(this, `nat-${suffix}-ip`, {
      domain: "vpc",
      tags: { Name: resourceName(names, `nat-${suffix}`) },
      dependsOn: [internetGateway],
    });
    return new NatGateway(this, `nat-${suffix}`, {
      allocationId: eip.allocationId,
      subnetId: publicSubnet.id,
      connectivityType: "public",
      tags: { Name: resourceName(names, `nat-${suffix}`) },
      dependsOn: [internetGateway],
    });
  }

  /** A private subnet of `zone` with its own route table, out through `natGateway` when there is one. */
  private privateSubnet(props: NetworkProps, zone: string, cidr: string, natGateway: NatGateway | undefined) {
    const suffix = zoneSuffix(zone);
    const names = props.context.names;
    const privateSubnet = new Subnet(this, `private-${suffix}`, {
      vpcId: this.vpc.id,
      availabilityZone: zone,
      cidrBlock: cidr,
      mapPublicIpOnLaunch: false,
      tags: { Name: resourceName(names, `private-${suffix}`), Tier: "private" },
    });
    const privateRouteTable = new RouteTable(this, `private-${suffix}-table`, {
      vpcId: this.vpc.id,
      tags: { Name: resourceName(names, `private-${suffix}`) },
    });
    new RouteTableAssociation(this, `private-${suffix}-routes`, {
      subnetId: privateSubnet.id,
      routeTableId: privateRouteTable.id,
    });
    if (natGateway) {
      new Route(this, `private-${suffix}-internet`, {
        routeTableId: privateRouteTable.id,
        destinationCidrBlock: "0.0.0.0/0",
        natGatewayId: natGateway.id,
      });
    }
    return { privateSubnet, privateRouteTable };
  }

  /** VPC flow logs of all traffic to a CloudWatch log group, written by a role of their own. */
  private flowLogs(props: NetworkProps): CloudwatchLogGroup {
    const names = props.context.names;
    const group = new CloudwatchLogGroup(this, "flow-logs", {
      name: flowLogGroupName(names),
      retentionInDays: props.flowLogRetentionDays,
      kmsKeyId: props.logsKeyArn,
    });
    const flowLogRole = new ServiceRole(this, "flow-logs-role", {
      context: props.context,
      name: resourceName(names, "vpc-flow-logs"),
      service: "vpc-flow-logs.amazonaws.com",
      sourceArn: arn(props.context, { service: "ec2", resource: "vpc-flow-log/*" }),
      statements: [
        {
          sid: "WriteFlowLogs",
          effect: "Allow",
          actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          resources: [`${group.arn}:*`],
        },
      ],
    });
    new FlowLog(this, "flow-log", {
      vpcId: this.vpc.id,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: group.arn,
      iamRoleArn: flowLogRole.role.arn,
      maxAggregationInterval: 60,
      tags: { Name: resourceName(names, "vpc") },
    });
    return group;
  }

  /** The private subnets, one per zone (ECS tasks, RDS, interface endpoints). */
  get privateSubnetIds(): string[] {
    return this.zones.map((z) => z.privateSubnet.id);
  }

  /** The public subnets, one per zone (ALB). */
  get publicSubnetIds(): string[] {
    return this.zones.map((z) => z.publicSubnet.id);
  }
}

/** `us-east-1a` -> `a`: the part of a zone name that tells zones of a region apart. */
function zoneSuffix(zone: string): string {
  return zone.slice(zone.lastIndexOf("-") + 2);
}
