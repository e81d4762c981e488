import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { Testing } from "cdktf";
import { EnvironmentStack } from "../src/stacks/environment-stack";
import { configOf, resource, resourcesOf, synthEnvironment } from "./helpers";

const CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666";

/** Prod as it goes live: certificates on the ALB, HTTPS to the tasks, no demo setting. */
const GOING_LIVE = {
  acceptUnencryptedHttp: false,
  loadBalancer: { httpsEnabled: true, certificateArn: CERTIFICATE, targetProtocol: "HTTPS" as const },
  edge: { cloudfront: { albOriginDomain: "origin.dashboard.example.edu" } },
  // prod's standby serves HTTPS too, with a certificate of the DR region
  dr: { certificateArn: "arn:aws:acm:us-west-2:123456789012:certificate/5a6b7c8d-1111-2222-3333-444455556666" },
};

describe("LoadBalancer", () => {
  const { synthesized, json } = synthEnvironment("prod");
  const dev = synthEnvironment("dev");

  test("behind CloudFront (prod): internal, in both private subnets, dropping invalid headers, protected", () => {
    expect(synthesized).toHaveResourceWithProperties(Lb, {
      name: "smh-dashboard-prod-alb",
      internal: true,
      load_balancer_type: "application",
      subnets: ["${aws_subnet.network_private_a.id}", "${aws_subnet.network_private_b.id}"],
      drop_invalid_header_fields: true,
      idle_timeout: 300,
      enable_deletion_protection: true,
    });
    // Named apart in the console; the name is a prefix, so a replacement can exist beside it.
    expect(resource(json, "aws_security_group", "load_balancer_security_group")).toMatchObject({ name_prefix: "smh-dashboard-prod-alb-internal-", tags: { Name: "smh-dashboard-prod-alb-internal" } });
    expect(resource(dev.json, "aws_security_group", "load_balancer_security_group").name_prefix).toBe("smh-dashboard-dev-alb-");
  });

  test("without CloudFront (dev): internet-facing in both public subnets, not deletion-protected", () => {
    expect(dev.synthesized).toHaveResourceWithProperties(Lb, {
      internal: false,
      subnets: ["${aws_subnet.network_public_a.id}", "${aws_subnet.network_public_b.id}"],
      enable_deletion_protection: false,
    });
  });

  test("access logs go to the logs bucket after its policy exists", () => {
    expect(resource(json, "aws_lb", "load_balancer")).toMatchObject({
      access_logs: { bucket: "${aws_s3_bucket.storage_logs.id}", prefix: "alb", enabled: true },
      depends_on: ["aws_s3_bucket_policy.storage_logs_policy"],
    });
  });

  test("target group: 8501 to task IPs, Streamlit health check, sticky sessions, short deregistration", () => {
    expect(synthesized).toHaveResourceWithProperties(LbTargetGroup, {
      port: 8501,
      protocol: "HTTP",
      target_type: "ip",
      deregistration_delay: "30",
      health_check: expect.objectContaining({ path: "/_stcore/health", matcher: "200" }),
      stickiness: { type: "lb_cookie", enabled: true, cookie_duration: 86400 },
    });
  });

  test("targetProtocol HTTPS: the target group and its health check use TLS, and the tasks learn where their certificate is", () => {
    const live = synthEnvironment("prod", GOING_LIVE).json;
    expect(resource(live, "aws_lb_target_group", "load_balancer_app")).toMatchObject({ protocol: "HTTPS", health_check: { protocol: "HTTPS" } });
    const container = resource(live, "aws_ecs_task_definition", "app_task_definition").container_definitions as string;
    expect(container).toContain('{"name" = "STREAMLIT_SERVER_SSL_CERT_FILE", "value" = "/etc/dashboard/tls/cert.pem"}');
    expect(container).toContain('{"name" = "STREAMLIT_SERVER_SSL_KEY_FILE", "value" = "/etc/dashboard/tls/key.pem"}');
    expect(resource(dev.json, "aws_ecs_task_definition", "app_task_definition").container_definitions).not.toContain("STREAMLIT_SERVER_SSL");
  });

  test("GIVEN the tasks move from HTTP to HTTPS (the way to real data) WHEN the target group is replaced THEN its successor is created first, under a name of its own", () => {
    // AWS deletes no target group a listener forwards to: create_before_destroy moves the
    // listener first, and the name (target groups take 6 characters of prefix) carries a hash of
    // the arguments that force a replacement, so the two groups never share one.
    const http = resource(json, "aws_lb_target_group", "load_balancer_app");
    const https = resource(synthEnvironment("prod", GOING_LIVE).json, "aws_lb_target_group", "load_balancer_app");
    expect(http.lifecycle).toEqual({ create_before_destroy: true });
    expect(http.name).toMatch(/^smh-dashboard-prod-[0-9a-f]{3}$/);
    expect(https.name).toMatch(/^smh-dashboard-prod-[0-9a-f]{3}$/);
    expect(https.name).not.toBe(http.name);
    // as long as the ALB's name: a project and environment whose ALB name AWS accepts (32
    // characters) get a target group name it accepts too
    expect(http.name.length).toBe(resource(json, "aws_lb", "load_balancer").name.length);
    // settings that update in place keep the name
    expect(resource(synthEnvironment("prod", { loadBalancer: { deregistrationDelaySeconds: 60 } }).json, "aws_lb_target_group", "load_balancer_app").name).toBe(http.name);
  });

  test("HTTPS without a certificate is refused by the construct, not turned into HTTP", () => {
    // Settings validation refuses this first; the construct refuses it too when built directly.
    const config = configOf("dev");
    const unchecked = { ...config, loadBalancer: { ...config.loadBalancer, httpsEnabled: true } };
    expect(() => new EnvironmentStack(Testing.app(), "dev", { config: unchecked })).toThrow(
      "dev/load-balancer: certificateArn is required when httpsEnabled is true. Fix: set it to an ACM certificate ARN of the ALB's region, or set httpsEnabled to false.",
    );
  });

  test("without a certificate, port 80 forwards to the app", () => {
    expect(Object.keys(resourcesOf(json, "aws_lb_listener"))).toEqual(["load_balancer_http"]);
    expect(resource(json, "aws_lb_listener", "load_balancer_http").default_action).toEqual([
      { type: "forward", target_group_arn: "${aws_lb_target_group.load_balancer_app.arn}" },
    ]);
  });

  test("internet-facing with a certificate: 443 serves TLS 1.2+ and 80 redirects to it", () => {
    const https = synthEnvironment("dev", { environments: { dev: { loadBalancer: { httpsEnabled: true, certificateArn: CERTIFICATE } } } }).json;
    expect(resource(https, "aws_lb_listener", "load_balancer_https")).toMatchObject({
      port: 443,
      protocol: "HTTPS",
      ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      certificate_arn: CERTIFICATE,
    });
    expect(resource(https, "aws_lb_listener", "load_balancer_http").default_action).toEqual([
      { type: "redirect", redirect: { port: "443", protocol: "HTTPS", status_code: "HTTP_301" } },
    ]);
  });

  test("internal with a certificate: 443 only, since CloudFront never uses 80", () => {
    const live = synthEnvironment("prod", GOING_LIVE).json;
    expect(Object.keys(resourcesOf(live, "aws_lb_listener"))).toEqual(["load_balancer_https"]);
  });

  test("names fit the 32-character limit of ALBs and target groups", () => {
    for (const name of [resource(json, "aws_lb", "load_balancer").name, resource(json, "aws_lb_target_group", "load_balancer_app").name]) {
      expect(name.length).toBeLessThanOrEqual(32);
    }
  });
});

describe("security groups", () => {
  // dev: no CloudFront, so the ALB takes the configured CIDRs.
  const { json } = synthEnvironment("dev", { loadBalancer: { ingressCidrs: ["203.0.113.0/24"] } });
  const ingress = resourcesOf(json, "aws_vpc_security_group_ingress_rule");
  const egress = resourcesOf(json, "aws_vpc_security_group_egress_rule");

  test("ALB: 80 and 443 in from the configured CIDRs; out only to the tasks on 8501", () => {
    expect(ingress.load_balancer_security_group_http_in).toMatchObject({ from_port: 80, to_port: 80, cidr_ipv4: "203.0.113.0/24" });
    expect(ingress.load_balancer_security_group_https_in).toMatchObject({ from_port: 443, to_port: 443, cidr_ipv4: "203.0.113.0/24" });
    expect(egress.load_balancer_security_group_app_to_tasks).toMatchObject({
      from_port: 8501,
      referenced_security_group_id: "${aws_security_group.app_security_group.id}",
    });
  });

  test("tasks: 8501 in from the ALB only; 443 out", () => {
    expect(ingress.app_security_group_app_from_alb).toMatchObject({
      from_port: 8501,
      to_port: 8501,
      referenced_security_group_id: "${aws_security_group.load_balancer_security_group.id}",
    });
    expect(egress.app_security_group_https_out).toMatchObject({ from_port: 443, to_port: 443, cidr_ipv4: "0.0.0.0/0" });
  });

  test("endpoints: 443 in from the VPC CIDR", () => {
    expect(ingress.endpoints_security_group_https_from_vpc).toMatchObject({ from_port: 443, cidr_ipv4: "${aws_vpc.network_vpc.cidr_block}" });
  });

  test("every rule is TCP on one port and has a description", () => {
    for (const rule of [...Object.values(ingress), ...Object.values(egress)]) {
      expect(rule).toMatchObject({ ip_protocol: "tcp", description: expect.stringMatching(/\S/) });
      expect(rule.from_port).toBe(rule.to_port);
    }
  });

  test("the ALB defaults to 0.0.0.0/0 (seed)", () => {
    const rules = resourcesOf(synthEnvironment("dev").json, "aws_vpc_security_group_ingress_rule");
    expect(rules.load_balancer_security_group_http_in.cidr_ipv4).toBe("0.0.0.0/0");
  });

  test("behind CloudFront the ALB accepts only its listener port from inside the VPC, where the VPC origin lives", () => {
    const { json } = synthEnvironment("prod");
    const alb = (json: Parameters<typeof resourcesOf>[0]) =>
      Object.entries(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).filter(([name]) => name.startsWith("load_balancer_"));
    expect(alb(json)).toEqual([
      ["load_balancer_security_group_vpc_origin_in", expect.objectContaining({ from_port: 80, to_port: 80, cidr_ipv4: "${aws_vpc.network_vpc.cidr_block}" })],
    ]);
    expect(alb(synthEnvironment("prod", GOING_LIVE).json)).toEqual([
      ["load_balancer_security_group_vpc_origin_in", expect.objectContaining({ from_port: 443, to_port: 443, cidr_ipv4: "${aws_vpc.network_vpc.cidr_block}" })],
    ]);
  });
});
