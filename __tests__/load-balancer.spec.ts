/**
 * The LoadBalancer alone in a bare stack, with explicit props (the presets' timeouts and CIDRs are
 * config.spec's); how the environment stack wires it, and the security groups around it, are in
 * the last block.
 */
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { Testing } from "cdktf";
import { LoadBalancer, type LoadBalancerProps } from "../src/constructs/load-balancer";
import { bareStack } from "./bare-stack";
import { resource, resourcesOf, synthEnvironment, type TerraformJson } from "./helpers";

const CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666";

/** An internet-facing ALB over HTTP in a bare stack, logging to a bucket of its own; `props` replace the defaults under test. */
function loadBalancer(props: Partial<LoadBalancerProps> = {}): { synthesized: string; json: TerraformJson } {
  const bare = bareStack("test");
  const bucket = new S3Bucket(bare.stack, "logs", { bucket: "smh-dashboard-test-logs" });
  const policy = new S3BucketPolicy(bare.stack, "logs-policy", { bucket: bucket.id, policy: "{}" });
  new LoadBalancer(bare.stack, "load-balancer", {
    ingressCidrs: ["203.0.113.0/24"],
    httpsEnabled: false,
    targetProtocol: "HTTP",
    idleTimeoutSeconds: 120,
    deregistrationDelaySeconds: 45,
    target: { port: 8501, healthCheckPath: "/_stcore/health" },
    network: bare.network,
    protectData: false,
    accessLogs: { bucket, policy, prefix: "alb" },
    names: bare.context.names,
    ...props,
  });
  const synthesized = Testing.synth(bare.stack);
  return { synthesized, json: JSON.parse(synthesized) };
}

/** The ALB's own ingress rules, by name. */
function albIngress(json: TerraformJson): [string, Record<string, any>][] {
  return Object.entries(resourcesOf(json, "aws_vpc_security_group_ingress_rule")).filter(([name]) => name.startsWith("load_balancer_"));
}

describe("LoadBalancer", () => {
  const { synthesized, json } = loadBalancer();
  const internal = loadBalancer({ internal: true, protectData: true });
  const httpsTargets = loadBalancer({ targetProtocol: "HTTPS" }).json;
  const internalHttps = loadBalancer({ internal: true, httpsEnabled: true, certificateArn: CERTIFICATE }).json;

  test("internal: in both private subnets, dropping invalid headers, idleTimeoutSeconds, deletion-protected with protectData", () => {
    expect(internal.synthesized).toHaveResourceWithProperties(Lb, {
      name: "smh-dashboard-test-alb",
      internal: true,
      load_balancer_type: "application",
      subnets: ["${aws_subnet.network_private_a.id}", "${aws_subnet.network_private_b.id}"],
      drop_invalid_header_fields: true,
      idle_timeout: 120,
      enable_deletion_protection: true,
    });
  });

  test("the security group is named apart in the console by a prefix (internal or not), so a replacement can exist beside it", () => {
    expect(resource(internal.json, "aws_security_group", "load_balancer_security_group")).toMatchObject({
      name_prefix: "smh-dashboard-test-alb-internal-",
      tags: { Name: "smh-dashboard-test-alb-internal" },
    });
    expect(resource(json, "aws_security_group", "load_balancer_security_group").name_prefix).toBe("smh-dashboard-test-alb-");
  });

  test("internet-facing: in both public subnets, not deletion-protected without protectData", () => {
    expect(synthesized).toHaveResourceWithProperties(Lb, {
      internal: false,
      subnets: ["${aws_subnet.network_public_a.id}", "${aws_subnet.network_public_b.id}"],
      enable_deletion_protection: false,
    });
  });

  test("access logs go to the given bucket under the given prefix, after its policy exists", () => {
    expect(resource(json, "aws_lb", "load_balancer")).toMatchObject({
      access_logs: { bucket: "${aws_s3_bucket.logs.id}", prefix: "alb", enabled: true },
      depends_on: expect.arrayContaining(["aws_s3_bucket_policy.logs_policy"]),
    });
  });

  test("target group: the target's port to task IPs, its health check, sticky sessions, deregistrationDelaySeconds", () => {
    expect(synthesized).toHaveResourceWithProperties(LbTargetGroup, {
      port: 8501,
      protocol: "HTTP",
      target_type: "ip",
      deregistration_delay: "45",
      health_check: expect.objectContaining({ path: "/_stcore/health", matcher: "200" }),
      stickiness: { type: "lb_cookie", enabled: true, cookie_duration: 86400 },
    });
  });

  test("targetProtocol HTTPS: the target group and its health check use TLS", () => {
    expect(resource(httpsTargets, "aws_lb_target_group", "load_balancer_app")).toMatchObject({ protocol: "HTTPS", health_check: { protocol: "HTTPS" } });
  });

  test("GIVEN the tasks move from HTTP to HTTPS (the way to real data) WHEN the target group is replaced THEN its successor is created first, under a name of its own", () => {
    // AWS deletes no target group a listener forwards to: create_before_destroy moves the
    // listener first, and the name (target groups take 6 characters of prefix) carries a hash of
    // the arguments that force a replacement, so the two groups never share one.
    const http = resource(json, "aws_lb_target_group", "load_balancer_app");
    const https = resource(httpsTargets, "aws_lb_target_group", "load_balancer_app");
    expect(http.lifecycle).toEqual({ create_before_destroy: true });
    expect(http.name).toMatch(/^smh-dashboard-test-[0-9a-f]{3}$/);
    expect(https.name).toMatch(/^smh-dashboard-test-[0-9a-f]{3}$/);
    expect(https.name).not.toBe(http.name);
    // as long as the ALB's name: a project and environment whose ALB name AWS accepts (32
    // characters) get a target group name it accepts too
    expect(http.name.length).toBe(resource(json, "aws_lb", "load_balancer").name.length);
    // settings that update in place keep the name
    expect(resource(loadBalancer({ deregistrationDelaySeconds: 60 }).json, "aws_lb_target_group", "load_balancer_app").name).toBe(http.name);
  });

  test("HTTPS without a certificate is refused by the construct, not turned into HTTP", () => {
    // Settings validation refuses this first; the construct refuses it too when built directly.
    expect(() => loadBalancer({ httpsEnabled: true })).toThrow(
      "test/load-balancer: certificateArn is required when httpsEnabled is true. Fix: set it to an ACM certificate ARN of the ALB's region, or set httpsEnabled to false.",
    );
  });

  test("without a certificate, port 80 forwards to the app", () => {
    expect(Object.keys(resourcesOf(json, "aws_lb_listener"))).toEqual(["load_balancer_http"]);
    expect(resource(json, "aws_lb_listener", "load_balancer_http").default_action).toEqual([
      { type: "forward", target_group_arn: "${aws_lb_target_group.load_balancer_app.arn}" },
    ]);
  });

  test("internet-facing with a certificate: 443 serves TLS 1.2+ and 80 redirects to it", () => {
    const https = loadBalancer({ httpsEnabled: true, certificateArn: CERTIFICATE }).json;
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
    expect(Object.keys(resourcesOf(internalHttps, "aws_lb_listener"))).toEqual(["load_balancer_https"]);
  });

  test("names fit the 32-character limit of ALBs and target groups", () => {
    for (const name of [resource(json, "aws_lb", "load_balancer").name, resource(json, "aws_lb_target_group", "load_balancer_app").name]) {
      expect(name.length).toBeLessThanOrEqual(32);
    }
  });

  test("GIVEN an internet-facing ALB without a certificate WHEN synthesized THEN only 80, its one listener's port, is open to each of ingressCidrs", () => {
    expect(albIngress(loadBalancer({ ingressCidrs: ["203.0.113.0/24", "198.51.100.0/24"] }).json)).toEqual([
      ["load_balancer_security_group_http_in_1", expect.objectContaining({ from_port: 80, to_port: 80, cidr_ipv4: "203.0.113.0/24" })],
      ["load_balancer_security_group_http_in_2", expect.objectContaining({ from_port: 80, to_port: 80, cidr_ipv4: "198.51.100.0/24" })],
    ]);
  });

  test("GIVEN an internet-facing ALB with a certificate WHEN synthesized THEN 80 (the redirect) and 443 are open to each of ingressCidrs", () => {
    expect(albIngress(loadBalancer({ httpsEnabled: true, certificateArn: CERTIFICATE }).json)).toEqual([
      ["load_balancer_security_group_http_in", expect.objectContaining({ from_port: 80, to_port: 80, cidr_ipv4: "203.0.113.0/24" })],
      ["load_balancer_security_group_https_in", expect.objectContaining({ from_port: 443, to_port: 443, cidr_ipv4: "203.0.113.0/24" })],
    ]);
  });

  test("internal: only its listener port from inside the VPC, where the CloudFront VPC origin lives", () => {
    expect(albIngress(internal.json)).toEqual([
      ["load_balancer_security_group_vpc_origin_in", expect.objectContaining({ from_port: 80, to_port: 80, cidr_ipv4: "${aws_vpc.network_vpc.cidr_block}" })],
    ]);
    expect(albIngress(internalHttps)).toEqual([
      ["load_balancer_security_group_vpc_origin_in", expect.objectContaining({ from_port: 443, to_port: 443, cidr_ipv4: "${aws_vpc.network_vpc.cidr_block}" })],
    ]);
  });
});

/** Prod as it goes live: certificates on the ALB, HTTPS to the tasks, no demo setting. */
const GOING_LIVE = {
  acceptUnencryptedHttp: false,
  loadBalancer: { httpsEnabled: true, certificateArn: CERTIFICATE, targetProtocol: "HTTPS" as const },
  edge: { cloudfront: { albOriginDomain: "origin.dashboard.example.edu" } },
  // prod's standby serves HTTPS too, with a certificate of the DR region
  dr: { certificateArn: "arn:aws:acm:us-west-2:123456789012:certificate/5a6b7c8d-1111-2222-3333-444455556666" },
};

/** dev as it was before its preset put CloudFront in front: an internet-facing ALB, its plain HTTP accepted. */
const WITHOUT_CLOUDFRONT = { edge: { cloudfront: { enabled: false } }, storage: { staticAssets: false }, acceptUnencryptedHttp: true };

describe("the environment stack's load balancer", () => {
  const prod = synthEnvironment("prod").json;
  // dev without its preset's CloudFront (plain HTTP accepted), so the ALB faces the internet and takes the configured CIDRs.
  const dev = synthEnvironment("dev", { ...WITHOUT_CLOUDFRONT, loadBalancer: { ingressCidrs: ["203.0.113.0/24"] } }).json;
  const live = synthEnvironment("prod", GOING_LIVE).json;

  test("behind CloudFront (prod): internal and, with protectData, deletion-protected; without it (dev without CloudFront): internet-facing, not protected", () => {
    expect(resource(prod, "aws_lb", "load_balancer")).toMatchObject({ name: "smh-dashboard-prod-alb", internal: true, enable_deletion_protection: true });
    expect(resource(dev, "aws_lb", "load_balancer")).toMatchObject({ internal: false, enable_deletion_protection: false });
  });

  test("access logs go to the logs bucket under alb/ after its policy exists", () => {
    expect(resource(prod, "aws_lb", "load_balancer")).toMatchObject({
      access_logs: { bucket: "${aws_s3_bucket.storage_logs.id}", prefix: "alb", enabled: true },
      depends_on: expect.arrayContaining(["aws_s3_bucket_policy.storage_logs_policy"]),
    });
  });

  test("the target is the service's container port and health check path", () => {
    expect(resource(prod, "aws_lb_target_group", "load_balancer_app")).toMatchObject({ port: 8501, health_check: { path: "/_stcore/health" } });
  });

  test("targetProtocol HTTPS reaches the target group, and the tasks learn where their certificate is", () => {
    expect(resource(live, "aws_lb_target_group", "load_balancer_app")).toMatchObject({ protocol: "HTTPS", health_check: { protocol: "HTTPS" } });
    const container = resource(live, "aws_ecs_task_definition", "app_task_definition").container_definitions as string;
    expect(container).toContain('{"name" = "STREAMLIT_SERVER_SSL_CERT_FILE", "value" = "/etc/dashboard/tls/cert.pem"}');
    expect(container).toContain('{"name" = "STREAMLIT_SERVER_SSL_KEY_FILE", "value" = "/etc/dashboard/tls/key.pem"}');
    expect(resource(dev, "aws_ecs_task_definition", "app_task_definition").container_definitions).not.toContain("STREAMLIT_SERVER_SSL");
  });

  test("loadBalancer.certificateArn reaches the HTTPS listener", () => {
    expect(resource(live, "aws_lb_listener", "load_balancer_https").certificate_arn).toBe(CERTIFICATE);
  });

  describe("security groups", () => {
    const ingress = resourcesOf(dev, "aws_vpc_security_group_ingress_rule");
    const egress = resourcesOf(dev, "aws_vpc_security_group_egress_rule");

    test("ALB of dev (no HTTPS listener): only 80 in from loadBalancer.ingressCidrs; out only to the tasks on 8501", () => {
      expect(albIngress(dev)).toEqual([
        ["load_balancer_security_group_http_in", expect.objectContaining({ from_port: 80, to_port: 80, cidr_ipv4: "203.0.113.0/24" })],
      ]);
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

    test("endpoints (prod's; dev has none since its profile drops the interface endpoints): 443 in from the VPC CIDR", () => {
      expect(resourcesOf(prod, "aws_vpc_security_group_ingress_rule").endpoints_security_group_https_from_vpc).toMatchObject({
        from_port: 443,
        cidr_ipv4: "${aws_vpc.network_vpc.cidr_block}",
      });
      expect(ingress.endpoints_security_group_https_from_vpc).toBeUndefined();
    });

    test("a replaced group keeps traffic flowing: every rule is created before the one it replaces, and the ALB, the service and the database wait for their group's rules", () => {
      for (const json of [dev, prod]) {
        for (const type of ["aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"]) {
          for (const [name, rule] of Object.entries(resourcesOf(json, type))) {
            expect({ rule: `${type}.${name}`, lifecycle: rule.lifecycle }).toEqual({ rule: `${type}.${name}`, lifecycle: { create_before_destroy: true } });
          }
        }
      }
      const rulesOn = (json: TerraformJson, group: string) =>
        ["aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"].flatMap((type) =>
          Object.entries(resourcesOf(json, type))
            .filter(([, rule]) => rule.security_group_id === `\${aws_security_group.${group}.id}`)
            .map(([name]) => `${type}.${name}`),
        );
      const users: [string, string, string][] = [
        ["aws_lb", "load_balancer", "load_balancer_security_group"],
        ["aws_ecs_service", "app_service", "app_security_group"],
        ["aws_db_instance", "database", "database_security_group"],
      ];
      for (const [type, name, group] of users) {
        const expected = rulesOn(prod, group);
        expect(expected.length).toBeGreaterThan(0);
        expect({ user: `${type}.${name}`, depends_on: resource(prod, type, name).depends_on }).toEqual({
          user: `${type}.${name}`,
          depends_on: expect.arrayContaining(expected),
        });
      }
    });

    test("every rule is TCP on one port and has a description", () => {
      for (const rule of [...Object.values(ingress), ...Object.values(egress)]) {
        expect(rule).toMatchObject({ ip_protocol: "tcp", description: expect.stringMatching(/\S/) });
        expect(rule.from_port).toBe(rule.to_port);
      }
    });

    test("GIVEN an environment with HTTPS and no CloudFront WHEN synthesized THEN its ALB takes 443 and 80 from loadBalancer.ingressCidrs", () => {
      const https = synthEnvironment("dev", {
        environments: {
          dev: {
            edge: { cloudfront: { enabled: false } },
            loadBalancer: { ingressCidrs: ["203.0.113.0/24"], httpsEnabled: true, certificateArn: CERTIFICATE },
          },
        },
      }).json;
      expect(albIngress(https).map(([name, rule]) => [name, rule.from_port, rule.cidr_ipv4])).toEqual([
        ["load_balancer_security_group_http_in", 80, "203.0.113.0/24"],
        ["load_balancer_security_group_https_in", 443, "203.0.113.0/24"],
      ]);
    });

    test("behind CloudFront (prod) the ALB accepts only its listener port from inside the VPC", () => {
      expect(albIngress(prod).map(([name]) => name)).toEqual(["load_balancer_security_group_vpc_origin_in"]);
      expect(albIngress(live)[0][1]).toMatchObject({ from_port: 443 });
    });
  });
});
