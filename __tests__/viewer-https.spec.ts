/**
 * Viewers never reach an environment over plain HTTP across the internet unless its settings
 * accept it knowingly: the dev preset serves through CloudFront's HTTPS in front of an internal
 * ALB, and any environment without HTTPS to the internet is refused at synthesis.
 */
import type { DeploymentSettings } from "../src/validation";
import { acceptedUnencryptedPaths } from "../src/validation/rules";
import { configOf, problemsOf, synthEnvironment } from "./helpers";

/** dev as it was: an internet-facing ALB with its HTTP listener only. */
const PLAIN_DEV: DeploymentSettings = { environments: { dev: { edge: { cloudfront: { enabled: false } } } } };

describe("plain HTTP across the internet needs an explicit acceptance in every environment", () => {
  test("GIVEN dev without CloudFront or an HTTPS listener WHEN resolved THEN it is refused with the setting, why and every fix", () => {
    expect(problemsOf(PLAIN_DEV)).toEqual([
      expect.stringMatching(
        /^environments\/dev\.json: loadBalancer\.httpsEnabled is false, so viewers reach the ALB over plain HTTP across the internet \(no HTTPS listener\): a sign-in and every page cross it readable and alterable, real data or not\. Fix: set edge\.cloudfront\.enabled to true .*, or set loadBalancer\.httpsEnabled and loadBalancer\.certificateArn; or set acceptUnencryptedHttp to true to accept it knowingly/,
      ),
    ]);
  });

  test("GIVEN the same dev with acceptUnencryptedHttp WHEN resolved THEN it is accepted, and the hop is the one synthesis warns of", () => {
    const settings = { environments: { dev: { edge: { cloudfront: { enabled: false } }, acceptUnencryptedHttp: true } } };
    expect(problemsOf(settings)).toEqual([]);
    expect(acceptedUnencryptedPaths(configOf("dev", settings)).map((p) => p.what)).toEqual([
      "viewers reach the ALB over plain HTTP across the internet (no HTTPS listener)",
    ]);
  });

  test("GIVEN dev without CloudFront but with an HTTPS listener WHEN resolved THEN nothing is refused (the hop to the tasks stays inside the VPC)", () => {
    const https = {
      environments: {
        dev: {
          edge: { cloudfront: { enabled: false } },
          loadBalancer: { httpsEnabled: true, certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789" },
        },
      },
    };
    expect(problemsOf(https)).toEqual([]);
    expect(acceptedUnencryptedPaths(configOf("dev", https))).toEqual([]);
  });

  test("GIVEN the committed dev and a sandbox WHEN resolved THEN neither needs the acceptance: CloudFront serves them", () => {
    const sandbox = { environments: { sbxalice: { preset: "sandbox" } } };
    expect(problemsOf(sandbox)).toEqual([]);
    for (const config of [configOf("dev"), configOf("sbxalice", sandbox)]) {
      expect({ cloudfront: config.edge.cloudfront.enabled, accepted: config.acceptUnencryptedHttp }).toEqual({ cloudfront: true, accepted: false });
      expect(acceptedUnencryptedPaths(config)).toEqual([]);
    }
  });
});

describe("the committed dev is reached over HTTPS through CloudFront only", () => {
  const { json } = synthEnvironment("dev");
  const resources = json.resource;

  test("GIVEN the committed dev THEN its ALB is internal, in the private subnets", () => {
    const lb = resources.aws_lb.load_balancer as { internal: boolean; subnets: string[] };
    expect(lb.internal).toBe(true);
    expect(lb.subnets.every((s) => s.includes("private"))).toBe(true);
  });

  test("GIVEN the committed dev THEN nothing on the internet reaches the ALB: its only ingress is from the VPC's own CIDR, on the listener's port", () => {
    const ingress = Object.values(resources.aws_vpc_security_group_ingress_rule ?? {}).filter((rule: any) =>
      String(rule.security_group_id).includes("aws_security_group.load_balancer"),
    ) as { cidr_ipv4?: string; from_port: number }[];
    expect(ingress.map((rule) => [rule.cidr_ipv4, rule.from_port])).toEqual([["${aws_vpc.network_vpc.cidr_block}", 80]]);
  });

  test("GIVEN the committed dev THEN CloudFront redirects viewers to HTTPS and reaches the ALB through a VPC origin", () => {
    const cdn = resources.aws_cloudfront_distribution.cdn as any;
    const behaviours = [cdn.default_cache_behavior, ...cdn.ordered_cache_behavior];
    expect(behaviours.length).toBeGreaterThan(1);
    expect(behaviours.map((b: any) => b.viewer_protocol_policy)).toEqual(behaviours.map(() => "redirect-to-https"));
    expect(cdn.origin.find((o: any) => o.origin_id === "alb").vpc_origin_config.vpc_origin_id).toBe("${aws_cloudfront_vpc_origin.cdn_alb_origin.id}");
    expect(Object.keys(resources.aws_cloudfront_vpc_origin)).toEqual(["cdn_alb_origin"]);
  });

  test("GIVEN the committed dev THEN it pulls in no web ACL (dev's traffic does not need one)", () => {
    expect(resources.aws_wafv2_web_acl).toBeUndefined();
  });
});
