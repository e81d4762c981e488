import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { policyDocument, resource, resourcesOf, synthEnvironment } from "./helpers";

const CF_CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555";
const ALB_CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/66666666-7777-8888-9999-000000000000";

describe("Edge (CloudFront)", () => {
  const { synthesized, json } = synthEnvironment("prod");
  const distribution = resource(json, "aws_cloudfront_distribution", "cdn");

  test("every behaviour sends the project's own security headers, with a Content-Security-Policy", () => {
    const behaviours = [distribution.default_cache_behavior, ...(distribution.ordered_cache_behavior as any[])];
    expect(behaviours.length).toBeGreaterThan(1);
    for (const b of behaviours) expect(b.response_headers_policy_id).toBe("${aws_cloudfront_response_headers_policy.cdn_security_headers.id}");
    const headers = resource(json, "aws_cloudfront_response_headers_policy", "cdn_security_headers").security_headers_config;
    expect(headers).toMatchObject({
      strict_transport_security: { access_control_max_age_sec: 63072000, include_subdomains: true, preload: true, override: true },
      content_type_options: { override: true },
      frame_options: { frame_option: "DENY", override: true },
      referrer_policy: { referrer_policy: "strict-origin-when-cross-origin", override: true },
    });
    const csp: string = headers.content_security_policy.content_security_policy;
    // Streamlit: websockets and fetches to its own origin, emotion's inline styles; nothing framed.
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  });

  test("geo restriction: none by default, an allow-list when countries are set", () => {
    expect(distribution.restrictions).toEqual({ geo_restriction: { restriction_type: "none" } });
    const limited = resource(synthEnvironment("prod", { edge: { cloudfront: { allowedCountries: ["US", "CA"] } } }).json, "aws_cloudfront_distribution", "cdn");
    expect(limited.restrictions).toEqual({ geo_restriction: { restriction_type: "whitelist", locations: ["US", "CA"] } });
  });

  test("dev has no distribution", () => {
    expect(resourcesOf(synthEnvironment("dev").json, "aws_cloudfront_distribution")).toEqual({});
  });

  test("two origins: the static bucket through origin access control, and the internal ALB through a VPC origin", () => {
    expect(distribution.origin).toEqual([
      expect.objectContaining({
        origin_id: "static",
        domain_name: "${aws_s3_bucket.storage_static.bucket_regional_domain_name}",
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

  test("static paths go to S3 with a 1-hour default TTL", () => {
    expect(distribution.ordered_cache_behavior).toEqual([
      expect.objectContaining({
        path_pattern: "/static/*",
        target_origin_id: "static",
        viewer_protocol_policy: "redirect-to-https",
        cache_policy_id: "${aws_cloudfront_cache_policy.cdn_static_cache.id}",
        compress: true,
      }),
    ]);
    expect(resource(json, "aws_cloudfront_cache_policy", "cdn_static_cache").default_ttl).toBe(3600);
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

  test("price class 100 (US, Canada, Europe)", () => {
    expect(synthesized).toHaveResourceWithProperties(CloudfrontDistribution, { price_class: "PriceClass_100" });
  });

  test("the default certificate only when accepted explicitly; a custom one gets TLSv1.2_2021 and the domains", () => {
    expect(distribution.viewer_certificate).toEqual({ cloudfront_default_certificate: true });
    const custom = synthEnvironment("prod", {
      edge: { cloudfront: { acceptDefaultCertificate: false, certificateArn: CF_CERTIFICATE, domainNames: ["dashboard.example.edu"] } },
    }).json;
    const cdn = resource(custom, "aws_cloudfront_distribution", "cdn");
    expect(cdn.viewer_certificate).toEqual({
      acm_certificate_arn: CF_CERTIFICATE,
      ssl_support_method: "sni-only",
      minimum_protocol_version: "TLSv1.2_2021",
    });
    expect(cdn.aliases).toEqual(["dashboard.example.edu"]);
  });

  test("the ALB origin uses HTTPS when the ALB has a certificate", () => {
    const https = synthEnvironment("prod", {
      loadBalancer: { httpsEnabled: true, certificateArn: ALB_CERTIFICATE },
      edge: { cloudfront: { albOriginDomain: "origin.dashboard.example.edu" } },
      dr: { certificateArn: "arn:aws:acm:us-west-2:123456789012:certificate/5a6b7c8d-1111-2222-3333-444455556666" },
    }).json;
    expect(resource(https, "aws_cloudfront_distribution", "cdn").origin[1]).toMatchObject({ domain_name: "origin.dashboard.example.edu" });
    expect(resource(https, "aws_cloudfront_vpc_origin", "cdn_alb_origin").vpc_origin_endpoint_config).toEqual([
      expect.objectContaining({ origin_protocol_policy: "https-only", origin_ssl_protocols: [{ items: ["TLSv1.2"], quantity: 1 }] }),
    ]);
  });

  test("access logs are delivered to the logs bucket, which lets only this account's log deliveries write there", () => {
    expect(resource(json, "aws_cloudwatch_log_delivery_source", "cdn_log_source")).toMatchObject({
      log_type: "ACCESS_LOGS",
      resource_arn: "${aws_cloudfront_distribution.cdn.arn}",
    });
    expect(resource(json, "aws_cloudwatch_log_delivery_destination", "cdn_log_destination").delivery_destination_configuration).toEqual([
      { destination_resource_arn: "${aws_s3_bucket.storage_logs.arn}/cloudfront" },
    ]);
    expect(policyDocument(json, "storage_logs_policy_document").statement).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          sid: "CloudFrontLogDelivery",
          principals: [{ type: "Service", identifiers: ["delivery.logs.amazonaws.com"] }],
          resources: ["${aws_s3_bucket.storage_logs.arn}/cloudfront/*"],
        }),
      ]),
    );
  });

  test("outputs the distribution's domain name", () => {
    expect(json.output?.cloudfront_domain_name.value).toBe("${aws_cloudfront_distribution.cdn.domain_name}");
  });
});

describe("edge configuration rules", () => {
  test.each<[string, object, RegExp]>([
    ["CloudFront without a certificate or explicit acceptance", { edge: { cloudfront: { acceptDefaultCertificate: false } } }, /edge.cloudfront.certificateArn is required while CloudFront is on/],
    [
      "a CloudFront certificate outside us-east-1",
      { edge: { cloudfront: { certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/x", domainNames: ["d.example.edu"] } } },
      /CloudFront only uses ACM certificates from us-east-1/,
    ],
    ["a certificate without domain names", { edge: { cloudfront: { certificateArn: CF_CERTIFICATE } } }, /edge.cloudfront.domainNames is empty while certificateArn is set/],
    ["an HTTPS ALB behind CloudFront without its origin domain", { loadBalancer: { httpsEnabled: true, certificateArn: ALB_CERTIFICATE } }, /edge.cloudfront.albOriginDomain is required/],
    ["CloudFront without the static bucket", { storage: { staticAssets: false } }, /edge.cloudfront.enabled is true but storage.staticAssets is false/],
  ])("rejects %s", (_name, settings, expected) => {
    expect(() => synthEnvironment("prod", settings)).toThrow(expected);
  });
});
