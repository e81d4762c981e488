import { resource, resourcesOf, synthEnvironment } from "./helpers";

describe("Endpoints", () => {
  const { json } = synthEnvironment("prod");

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

  test("an environment without a secret (dev: no database) gets no Secrets Manager endpoint", () => {
    const dev = synthEnvironment("dev").json;
    expect(Object.keys(resourcesOf(dev, "aws_vpc_endpoint")).sort()).toEqual(["endpoints_ecr_api", "endpoints_ecr_dkr", "endpoints_logs", "endpoints_s3"]);
    const withDatabase = synthEnvironment("dev", { database: { enabled: true } }).json;
    expect(resource(withDatabase, "aws_vpc_endpoint", "endpoints_secretsmanager")).toMatchObject({ service_name: "com.amazonaws.us-east-1.secretsmanager" });
  });

  test("interface endpoints can be switched off, the S3 gateway stays", () => {
    const off = synthEnvironment("dev", { network: { interfaceEndpoints: false } }).json;
    expect(Object.keys(resourcesOf(off, "aws_vpc_endpoint"))).toEqual(["endpoints_s3"]);
  });

  test("without NAT gateways the app's metrics get a CloudWatch monitoring endpoint", () => {
    const none = synthEnvironment("dev", { network: { natGateways: "none" } }).json;
    expect(resource(none, "aws_vpc_endpoint", "endpoints_monitoring")).toMatchObject({
      service_name: "com.amazonaws.us-east-1.monitoring",
      private_dns_enabled: true,
    });
    expect(resourcesOf(json, "aws_vpc_endpoint").endpoints_monitoring).toBeUndefined();
  });
});
