/**
 * The Waf construct alone in a bare stack, with explicit props (the presets' values are
 * config.spec's); how the environment stack wires it is in the last block.
 */
import { Waf, type WafProps } from "../src/constructs/waf";
import { bareStack } from "./bare-stack";
import { resource, resourcesOf, synthEnvironment, type TerraformJson } from "./helpers";

/** A web ACL of CLOUDFRONT scope in a bare stack; `props` replace the defaults under test. */
function waf(props: Partial<WafProps> = {}): TerraformJson {
  const bare = bareStack("test");
  new Waf(bare.stack, "waf", {
    rateLimitPer5Minutes: 1000,
    anonymousRateLimitPer5Minutes: 100,
    scope: "CLOUDFRONT",
    logRetentionDays: 30,
    names: bare.context.names,
    ...props,
  });
  return bare.synth();
}

describe("Waf", () => {
  const json = waf();
  const acl = resource(json, "aws_wafv2_web_acl", "waf");
  const rules = acl.rule as any[];

  test("AWS managed common, known-bad-inputs, IP-reputation and anonymous-IP rules, then two rate limits, as nested blocks in Terraform JSON's list shape", () => {
    expect(acl).toMatchObject({ scope: "CLOUDFRONT", default_action: { allow: {} } });
    expect(rules.map((r) => [r.priority, r.statement[0].managed_rule_group_statement?.[0].name ?? r.name])).toEqual([
      [1, "AWSManagedRulesCommonRuleSet"],
      [2, "AWSManagedRulesKnownBadInputsRuleSet"],
      [3, "AWSManagedRulesAmazonIpReputationList"],
      [4, "AWSManagedRulesAnonymousIpList"],
      [5, "rate-limit-per-ip"],
      [6, "rate-limit-anonymous-ip"],
    ]);
  });

  test("the per-IP limit blocks at rateLimitPer5Minutes", () => {
    expect(rules[4]).toMatchObject({
      action: { block: {} },
      statement: [{ rate_based_statement: [{ limit: 1000, aggregate_key_type: "IP" }] }],
    });
  });

  test("VPN, Tor and relay addresses are counted and labelled, not blocked; hosting-provider addresses are challenged", () => {
    expect(rules[3].statement[0].managed_rule_group_statement[0].rule_action_override).toEqual([
      { name: "AnonymousIPList", action_to_use: [{ count: [{}] }] },
      { name: "HostingProviderIPList", action_to_use: [{ challenge: [{}] }] },
    ]);
  });

  test("labelled anonymizing addresses meet anonymousRateLimitPer5Minutes, after the group that labels them", () => {
    const [group, , anonymous] = rules.slice(3);
    expect(anonymous.priority).toBeGreaterThan(group.priority);
    expect(anonymous).toMatchObject({
      action: { block: {} },
      statement: [
        {
          rate_based_statement: [
            {
              limit: 100,
              aggregate_key_type: "IP",
              scope_down_statement: [{ label_match_statement: [{ scope: "LABEL", key: "awswaf:managed:aws:anonymous-ip-list:AnonymousIPList" }] }],
            },
          ],
        },
      ],
    });
  });

  test("a passed challenge lasts a dashboard session (4 hours), not AWS's default 300 seconds", () => {
    expect(acl.challenge_config).toEqual({ immunity_time_property: { immunity_time: 14400 } });
  });

  test("both rule groups checkov's CKV2_AWS_47 asks for", () => {
    const names = rules.flatMap((r) => r.statement[0].managed_rule_group_statement?.map((m: any) => m.name) ?? []);
    expect(names).toEqual(expect.arrayContaining(["AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAnonymousIpList"]));
  });

  test("uploads are not blocked by the common set's 8 KB body limit", () => {
    expect(rules[0].statement[0].managed_rule_group_statement[0].rule_action_override).toEqual([
      { name: "SizeRestrictions_BODY", action_to_use: [{ count: [{}] }] },
    ]);
  });

  test("logs to an aws-waf-logs- group kept logRetentionDays", () => {
    expect(resource(json, "aws_cloudwatch_log_group", "waf_logs")).toMatchObject({ name: "aws-waf-logs-smh-dashboard-test-web-acl", retention_in_days: 30 });
    expect(resource(json, "aws_wafv2_web_acl_logging_configuration", "waf_logging").log_destination_configs).toEqual([
      "${aws_cloudwatch_log_group.waf_logs.arn}",
    ]);
  });

  test("a REGIONAL web ACL is associated with the ALB it is given", () => {
    const regional = waf({ scope: "REGIONAL", albArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/alb/1" });
    expect(resource(regional, "aws_wafv2_web_acl", "waf").scope).toBe("REGIONAL");
    expect(resource(regional, "aws_wafv2_web_acl_association", "waf_alb")).toMatchObject({
      resource_arn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/alb/1",
      web_acl_arn: "${aws_wafv2_web_acl.waf.arn}",
    });
  });

  test("a REGIONAL web ACL without an ALB, or a CLOUDFRONT one with an ALB, is refused", () => {
    expect(() => waf({ scope: "REGIONAL" })).toThrow(/a REGIONAL web ACL without albArn would protect nothing/);
    expect(() => waf({ albArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/alb/1" })).toThrow(
      /a CLOUDFRONT web ACL cannot be associated with an ALB/,
    );
  });
});

describe("the environment stack's web ACL", () => {
  test("with CloudFront: on the distribution; without WAF: none", () => {
    expect(resource(synthEnvironment("prod").json, "aws_cloudfront_distribution", "cdn").web_acl_id).toBe("${aws_wafv2_web_acl.waf.arn}");
    expect(resourcesOf(synthEnvironment("dev", { edge: { waf: { enabled: false } } }).json, "aws_wafv2_web_acl")).toEqual({});
  });

  test("without CloudFront: on the environment's ALB", () => {
    const dev = synthEnvironment("dev", { edge: { waf: { enabled: true }, cloudfront: { enabled: false } }, acceptUnencryptedHttp: true }).json;
    expect(resource(dev, "aws_wafv2_web_acl_association", "waf_alb").resource_arn).toBe("${aws_lb.load_balancer.arn}");
  });
});
