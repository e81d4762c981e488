import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { Construct } from "constructs";
import { resourceName } from "../config/naming";
import type { DeploymentContext } from "./context";
import type { Network } from "./network";
import { SecurityGroup } from "./security-group";

/** Interface endpoints the tasks' control plane always uses: image pulls and logs. */
export const INTERFACE_SERVICES = ["ecr.api", "ecr.dkr", "logs"] as const;
/** Only where the tasks read a secret (the database's): an endpoint costs ~$7.30 per zone a month. */
export const SECRET_SERVICES = ["secretsmanager"] as const;
/** Also needed without any NAT gateway: the app's custom metrics (PutMetricData). */
export const NO_NAT_SERVICES = ["monitoring"] as const;

export interface EndpointsProps {
  readonly network: Network;
  /** Region of the endpoints' services, and the names. */
  readonly context: DeploymentContext;
  /** Create the interface endpoints (the S3 gateway endpoint is always created). */
  readonly interfaceEndpoints: boolean;
  /** The private subnets have no NAT: add the endpoints the app otherwise reaches through it. */
  readonly noNat: boolean;
  /** The tasks read secrets from Secrets Manager (the database's credentials). @default false */
  readonly secrets?: boolean;
}

/**
 * VPC endpoints (seed "VPC Endpoints"): S3 as a free gateway endpoint on the private route
 * tables (image layers come from S3 too), and interface endpoints with private DNS in the private
 * subnets, so tasks reach ECR, CloudWatch Logs and (when they read a secret) Secrets Manager
 * without the NAT. An endpoint is made only for a service the environment uses.
 */
export class Endpoints extends Construct {
  public readonly s3: VpcEndpoint;
  public readonly interfaces: Readonly<Record<string, VpcEndpoint>>;
  /** The endpoints' security group, when there are interface endpoints. */
  public readonly securityGroup?: SecurityGroup;

  constructor(scope: Construct, id: string, props: EndpointsProps) {
    super(scope, id);
    const { network } = props;
    const { region, names } = props.context;
    this.s3 = new VpcEndpoint(this, "s3", {
      vpcId: network.vpc.id,
      serviceName: `com.amazonaws.${region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: network.zones.map((z) => z.privateRouteTable.id),
      tags: { Name: resourceName(names, "s3") },
    });

    const interfaces: Record<string, VpcEndpoint> = {};
    if (props.interfaceEndpoints || props.noNat) {
      this.securityGroup = new SecurityGroup(this, "security-group", {
        network,
        name: resourceName(names, "endpoints"),
        label: "endpoints",
        members: "the VPC endpoints",
        description: "VPC interface endpoints: HTTPS from inside the VPC",
      });
      this.securityGroup.allowIn("https-from-vpc", {
        port: 443,
        cidr: network.vpc.cidrBlock,
        description: "HTTPS to AWS APIs from resources in the VPC",
      });
      const services = [...INTERFACE_SERVICES, ...(props.secrets ? SECRET_SERVICES : []), ...(props.noNat ? NO_NAT_SERVICES : [])];
      for (const service of services) {
        interfaces[service] = new VpcEndpoint(this, service.replace(".", "-"), {
          vpcId: network.vpc.id,
          serviceName: `com.amazonaws.${region}.${service}`,
          vpcEndpointType: "Interface",
          privateDnsEnabled: true,
          subnetIds: network.privateSubnetIds,
          securityGroupIds: [this.securityGroup.id],
          tags: { Name: resourceName(names, service.replace(".", "-")) },
        });
        this.securityGroup.usedBy(interfaces[service]);
      }
    }
    this.interfaces = interfaces;
  }
}
