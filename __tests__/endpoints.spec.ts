/**
 * The Endpoints alone in a bare stack, with explicit props; how the environment stack's settings
 * (interface endpoints, NAT gateways, a database's secret) reach them is in the last block.
 */
import { Endpoints, type EndpointsProps } from "../src/constructs/endpoints";
import { bareStack } from "./bare-stack";
import { resource, resourcesOf, synthEnvironment, type TerraformJson } from "./helpers";

/** Interface endpoints, with Secrets Manager's, in a VPC with NAT gateways; `props` replace the defaults under test. */
function endpoints(props: Partial<EndpointsProps> = {}): TerraformJson {
  const bare = bareStack("test");
  new Endpoints(bare.stack, "endpoints", { network: bare.network, context: bare.context, interfaceEndpoints: true, noNat: false, secrets: true, ...props });
  return bare.synth();
}

const endpointNames = (json: TerraformJson) => Object.keys(resourcesOf(json, "aws_vpc_endpoint")).sort();

describe("Endpoints", () => {
  const json = endpoints();

  test("S3 gateway endpoint on both private route tables", () => {
    expect(resource(json, "aws_vpc_endpoint", "endpoints_s3")).toMatchObject({
      service_name: "com.amazonaws.us-east-1.s3",
      vpc_endpoint_type: "Gateway",
      route_table_ids: ["${aws_route_table.network_private_a_table.id}", "${aws_route_table.network_private_b_table.id}"],
    });
  });

  test.each(["ecr_api", "ecr_dkr", "logs", "secretsmanager"])("%s interface endpoint in the private subnets with private DNS", (name) => {
    expect(resource(json, "aws_vpc_endpoint", `endpoints_${name}`)).toMatchObject({
      service_name: `com.amazonaws.us-east-1.${name.replace("_", ".")}`,
      vpc_endpoint_type: "Interface",
      private_dns_enabled: true,
      subnet_ids: ["${aws_subnet.network_private_a.id}", "${aws_subnet.network_private_b.id}"],
      security_group_ids: ["${aws_security_group.endpoints_security_group.id}"],
    });
  });

  test("without secrets, no Secrets Manager endpoint", () => {
    expect(endpointNames(endpoints({ secrets: false }))).toEqual(["endpoints_ecr_api", "endpoints_ecr_dkr", "endpoints_logs", "endpoints_s3"]);
  });

  test("interface endpoints can be switched off, the S3 gateway stays", () => {
    expect(endpointNames(endpoints({ interfaceEndpoints: false }))).toEqual(["endpoints_s3"]);
  });

  test("without NAT gateways the app's metrics get a CloudWatch monitoring endpoint", () => {
    expect(resource(endpoints({ noNat: true }), "aws_vpc_endpoint", "endpoints_monitoring")).toMatchObject({
      service_name: "com.amazonaws.us-east-1.monitoring",
      private_dns_enabled: true,
    });
    expect(resourcesOf(json, "aws_vpc_endpoint").endpoints_monitoring).toBeUndefined();
  });
});

describe("the environment stack's endpoints", () => {
  test("prod (a database, NAT gateways): interface endpoints with Secrets Manager's, no monitoring endpoint", () => {
    expect(endpointNames(synthEnvironment("prod").json)).toEqual([
      "endpoints_ecr_api",
      "endpoints_ecr_dkr",
      "endpoints_logs",
      "endpoints_s3",
      "endpoints_secretsmanager",
    ]);
  });

  test("dev without NAT gateways (no database): the monitoring endpoint, no Secrets Manager endpoint", () => {
    const none = synthEnvironment("dev", { network: { natGateways: "none" } }).json;
    expect(endpointNames(none)).toEqual(["endpoints_ecr_api", "endpoints_ecr_dkr", "endpoints_logs", "endpoints_monitoring", "endpoints_s3"]);
  });

  test("network.interfaceEndpoints false leaves the S3 gateway only", () => {
    expect(endpointNames(synthEnvironment("dev", { network: { interfaceEndpoints: false } }).json)).toEqual(["endpoints_s3"]);
  });
});
