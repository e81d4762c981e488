/**
 * The Edge alone in a bare stack, with explicit props (the presets' price class, TTL, paths and
 * Content-Security-Policy are config.spec's, the settings rules too); how the environment stack
 * wires it is in the last block.
 */
import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Testing } from "cdktf";
import { Edge, type EdgeProps } from "../src/constructs/edge";
import { LoadBalancer } from "../src/constructs/load-balancer";
import { SecureBucket } from "../src/constructs/secure-bucket";
import { bareStack } from "./bare-stack";
import { policyDocument, resource, resourcesOf, synthEnvironment, type TerraformJson } from "./helpers";

const CF_CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555";
const ALB_CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/66666666-7777-8888-9999-000000000000";
const CSP = "default-src 'self'; frame-ancestors 'none'";

/**
 * A distribution in front of an internal ALB (HTTP, or HTTPS with `albCertificate`) and a static
 * bucket, logging to a logs bucket, in a bare stack; `props` replace the defaults under test.
 */
function edge(props: Partial<EdgeProps> = {}, albCertificate?: string): { synthesized: string; json: TerraformJson } {
  const { stack, context, network } = bareStack("test");
  const globalProvider = new AwsProvider(stack, "global", { region: "us-east-1", alias: "global" });
  const logs = new SecureBucket(stack, "logs", { bucketName: "smh-dashboard-test-logs", noncurrentVersionExpirationDays: 30 });
  const staticAssets = new SecureBucket(stack, "static", { bucketName: "smh-dashboard-test-static", noncurrentVersionExpirationDays: 30 });
  const loadBalancer = new LoadBalancer(stack, "load-balancer", {
    ingressCidrs: ["0.0.0.0/0"],
    httpsEnabled: albCertificate !== undefined,
    certificateArn: albCertificate,
    targetProtocol: "HTTP",
    idleTimeoutSeconds: 60,
    deregistrationDelaySeconds: 30,
    target: { port: 8501, healthCheckPath: "/_stcore/health" },
    network,
    protectData: false,
    accessLogs: { bucket: logs.bucket, policy: logs.policy, prefix: "alb" },
    internal: true,
    names: context.names,
  });
  new Edge(stack, "cdn", {
    domainNames: [],
    staticPathPatterns: ["/assets/*"],
    staticDefaultTtlSeconds: 600,
    priceClass: "PriceClass_200",
    contentSecurityPolicy: CSP,
    allowedCountries: [],
    loadBalancer,
    staticAssets,
    logs,
    globalProvider,
    context,
    ...props,
  });
  const synthesized = Testing.synth(stack);
  return { synthesized, json: JSON.parse(synthesized) };
}

describe("Edge (CloudFront)", () => {
  const { synthesized, json } = edge();
  const distribution = resource(json, "aws_cloudfront_distribution", "cdn");

  test("every behaviour sends the project's own security headers, with contentSecurityPolicy", () => {
    const behaviours = [distribution.default_cache_behavior, ...(distribution.ordered_cache_behavior as any[])];
    expect(behaviours.length).toBeGreaterThan(1);
    for (const b of behaviours) expect(b.response_headers_policy_id).toBe("${aws_cloudfront_response_headers_policy.cdn_security_headers.id}");
    const headers = resource(json, "aws_cloudfront_response_headers_policy", "cdn_security_headers").security_headers_config;
    expect(headers).toMatchObject({
      strict_transport_security: { access_control_max_age_sec: 63072000, include_subdomains: true, preload: true, override: true },
      content_type_options: { override: true },
      frame_options: { frame_option: "DENY", override: true },
      referrer_policy: { referrer_policy: "strict-origin-when-cross-origin", override: true },
      content_security_policy: { content_security_policy: CSP, override: true },
    });
  });

  test("geo restriction: none without allowedCountries, an allow-list with them", () => {
    expect(distribution.restrictions).toEqual({ geo_restriction: { restriction_type: "none" } });
    const limited = resource(edge({ allowedCountries: ["US", "CA"] }).json, "aws_cloudfront_distribution", "cdn");
    expect(limited.restrictions).toEqual({ geo_restriction: { restriction_type: "whitelist", locations: ["US", "CA"] } });
  });

  test("two origins: the static bucket through origin access control, and the internal ALB through a VPC origin", () => {
    expect(distribution.origin).toEqual([
      expect.objectContaining({
        origin_id: "static",
        domain_name: "${aws_s3_bucket.static.bucket_regional_domain_name}",
        origin_access_control_id: "${aws_cloudfront_origin_access_control.cdn_static_access.id}",
      }),
      expect.objectContaining({
        origin_id: "alb",
        domain_name: "${aws_lb.load_balancer.dns_name}",
        vpc_origin_config: { vpc_origin_id: "${aws_cloudfront_vpc_origin.cdn_alb_origin.id}", origin_read_timeout: 60, origin_keepalive_timeout: 60 },
      }),
    ]);
    expect(resource(json, "aws_cloudfront_vpc_origin", "cdn_alb_origin").vpc_origin_endpoint_config).toEqual([
      expect.objectContaining({ arn: "${aws_lb.load_balancer.arn}", origin_protocol_policy: "http-only" }),
    ]);
    expect(resource(json, "aws_cloudfront_origin_access_control", "cdn_static_access")).toMatchObject({
      origin_access_control_origin_type: "s3",
      signing_behavior: "always",
      signing_protocol: "sigv4",
    });
  });

  test("staticPathPatterns go to S3, cached staticDefaultTtlSeconds by default", () => {
    expect(distribution.ordered_cache_behavior).toEqual([
      expect.objectContaining({
        path_pattern: "/assets/*",
        target_origin_id: "static",
        viewer_protocol_policy: "redirect-to-https",
        cache_policy_id: "${aws_cloudfront_cache_policy.cdn_static_cache.id}",
        compress: true,
      }),
    ]);
    expect(resource(json, "aws_cloudfront_cache_policy", "cdn_static_cache").default_ttl).toBe(600);
  });

  test("everything else goes to the ALB uncached, every method, all viewer headers, cookies and query strings", () => {
    expect(distribution.default_cache_behavior).toMatchObject({
      target_origin_id: "alb",
      viewer_protocol_policy: "redirect-to-https",
      allowed_methods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
      cache_policy_id: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
      origin_request_policy_id: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
      compress: true,
    });
  });

  test("the price class is priceClass", () => {
    expect(synthesized).toHaveResourceWithProperties(CloudfrontDistribution, { price_class: "PriceClass_200" });
  });

  test("the default certificate without certificateArn; a custom one gets TLSv1.2_2021 and the domains", () => {
    expect(distribution.viewer_certificate).toEqual({ cloudfront_default_certificate: true });
    const cdn = resource(edge({ certificateArn: CF_CERTIFICATE, domainNames: ["dashboard.example.edu"] }).json, "aws_cloudfront_distribution", "cdn");
    expect(cdn.viewer_certificate).toEqual({
      acm_certificate_arn: CF_CERTIFICATE,
      ssl_support_method: "sni-only",
      minimum_protocol_version: "TLSv1.2_2021",
    });
    expect(cdn.aliases).toEqual(["dashboard.example.edu"]);
  });

  test("the ALB origin uses HTTPS to albOriginDomain when the ALB has a certificate", () => {
    const https = edge({ albOriginDomain: "origin.dashboard.example.edu" }, ALB_CERTIFICATE).json;
    expect(resource(https, "aws_cloudfront_distribution", "cdn").origin[1]).toMatchObject({ domain_name: "origin.dashboard.example.edu" });
    expect(resource(https, "aws_cloudfront_vpc_origin", "cdn_alb_origin").vpc_origin_endpoint_config).toEqual([
      expect.objectContaining({ origin_protocol_policy: "https-only", origin_ssl_protocols: [{ items: ["TLSv1.2"], quantity: 1 }] }),
    ]);
  });

  test("an HTTPS ALB without albOriginDomain is refused: CloudFront would check its certificate against nothing", () => {
    expect(() => edge({}, ALB_CERTIFICATE)).toThrow(/test\/cdn: albOriginDomain is required when CloudFront is on and the ALB serves HTTPS/);
  });

  test("access logs are delivered to the logs bucket, which lets only this account's log deliveries write there", () => {
    expect(resource(json, "aws_cloudwatch_log_delivery_source", "cdn_log_source")).toMatchObject({
      log_type: "ACCESS_LOGS",
      resource_arn: "${aws_cloudfront_distribution.cdn.arn}",
    });
    expect(resource(json, "aws_cloudwatch_log_delivery_destination", "cdn_log_destination").delivery_destination_configuration).toEqual([
      { destination_resource_arn: "${aws_s3_bucket.logs.arn}/cloudfront" },
    ]);
    expect(policyDocument(json, "logs_policy_document").statement).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          sid: "CloudFrontLogDelivery",
          principals: [{ type: "Service", identifiers: ["delivery.logs.amazonaws.com"] }],
          resources: ["${aws_s3_bucket.logs.arn}/cloudfront/*"],
        }),
      ]),
    );
  });

  test("only the distribution may read the static bucket", () => {
    expect(policyDocument(json, "static_policy_document").statement.filter((s) => s.effect === "Allow")).toEqual([
      expect.objectContaining({
        sid: "CloudFrontReadsStaticAssets",
        condition: [{ test: "StringEquals", variable: "AWS:SourceArn", values: ["${aws_cloudfront_distribution.cdn.arn}"] }],
      }),
    ]);
  });
});

describe("the environment stack's distribution", () => {
  const { json } = synthEnvironment("prod");
  const distribution = resource(json, "aws_cloudfront_distribution", "cdn");

  test("prod: in front of the environment's static bucket and ALB, on the default certificate its committed settings accept", () => {
    expect(distribution.origin.map((o: any) => o.domain_name)).toEqual([
      "${aws_s3_bucket.storage_static.bucket_regional_domain_name}",
      "${aws_lb.load_balancer.dns_name}",
    ]);
    expect(distribution.viewer_certificate).toEqual({ cloudfront_default_certificate: true });
  });

  test("takes the edge settings: price class, static paths and TTL, Content-Security-Policy, countries", () => {
    expect(distribution).toMatchObject({ price_class: "PriceClass_100", restrictions: { geo_restriction: { restriction_type: "none" } } });
    expect(distribution.ordered_cache_behavior[0].path_pattern).toBe("/static/*");
    expect(resource(json, "aws_cloudfront_cache_policy", "cdn_static_cache").default_ttl).toBe(3600);
    const csp = resource(json, "aws_cloudfront_response_headers_policy", "cdn_security_headers").security_headers_config.content_security_policy
      .content_security_policy;
    expect(csp).toContain("frame-ancestors 'none'");
  });

  test("access logs go to the environment's logs bucket, which lets CloudFront's log delivery write there", () => {
    expect(resource(json, "aws_cloudwatch_log_delivery_destination", "cdn_log_destination").delivery_destination_configuration).toEqual([
      { destination_resource_arn: "${aws_s3_bucket.storage_logs.arn}/cloudfront" },
    ]);
    expect(policyDocument(json, "storage_logs_policy_document").statement).toEqual(
      expect.arrayContaining([expect.objectContaining({ sid: "CloudFrontLogDelivery", resources: ["${aws_s3_bucket.storage_logs.arn}/cloudfront/*"] })]),
    );
  });

  test("outputs the distribution's domain name", () => {
    expect(json.output?.cloudfront_domain_name.value).toBe("${aws_cloudfront_distribution.cdn.domain_name}");
  });

  test("an environment with edge.cloudfront.enabled false has no distribution", () => {
    const without = synthEnvironment("dev", { edge: { cloudfront: { enabled: false } }, acceptUnencryptedHttp: true }).json;
    expect(resourcesOf(without, "aws_cloudfront_distribution")).toEqual({});
    expect(Object.keys(resourcesOf(synthEnvironment("dev").json, "aws_cloudfront_distribution"))).toEqual(["cdn"]);
  });
});
