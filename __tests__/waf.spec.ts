import { resource, resourcesOf, synthEnvironment } from "./helpers";

describe("Waf", () => {
  const { json } = synthEnvironment("prod");
  const acl = resource(json, "aws_wafv2_web_acl", "waf");

  test("prod attaches a CLOUDFRONT-scope web ACL to the distribution; dev has none", () => {
    expect(acl).toMatchObject({ scope: "CLOUDFRONT", default_action: { allow: {} } });
    expect(resource(json, "aws_cloudfront_distribution", "cdn").web_acl_id).toBe("${aws_wafv2_web_acl.waf.arn}");
    expect(resourcesOf(synthEnvironment("dev").json, "aws_wafv2_web_acl")).toEqual({});
  });

  test("AWS managed common, known-bad-inputs and IP-reputation rules, then a per-IP rate limit, as nested blocks in Terraform JSON's list shape", () => {
    const rules = acl.rule as any[];
    expect(rules.map((r) => [r.priority, r.statement[0].managed_rule_group_statement?.[0].name ?? "rate"])).toEqual([
      [1, "AWSManagedRulesCommonRuleSet"],
      [2, "AWSManagedRulesKnownBadInputsRuleSet"],
      [3, "AWSManagedRulesAmazonIpReputationList"],
      [4, "rate"],
    ]);
    expect(rules[3]).toMatchObject({
      action: { block: {} },
      statement: [{ rate_based_statement: [{ limit: 2000, aggregate_key_type: "IP" }] }],
    });
  });

  test("uploads are not blocked by the common set's 8 KB body limit", () => {
    expect((acl.rule as any[])[0].statement[0].managed_rule_group_statement[0].rule_action_override).toEqual([
      { name: "SizeRestrictions_BODY", action_to_use: [{ count: [{}] }] },
    ]);
  });

  test("logs to an aws-waf-logs- group", () => {
    expect(resource(json, "aws_cloudwatch_log_group", "waf_logs").name).toBe("aws-waf-logs-smh-dashboard-prod-web-acl");
    expect(resource(json, "aws_wafv2_web_acl_logging_configuration", "waf_logging").log_destination_configs).toEqual([
      "${aws_cloudwatch_log_group.waf_logs.arn}",
    ]);
  });

  test("without CloudFront the web ACL is REGIONAL on the ALB", () => {
    const dev = synthEnvironment("dev", { edge: { waf: { enabled: true } } }).json;
    expect(resource(dev, "aws_wafv2_web_acl", "waf").scope).toBe("REGIONAL");
    expect(resource(dev, "aws_wafv2_web_acl_association", "waf_alb")).toMatchObject({
      resource_arn: "${aws_lb.load_balancer.arn}",
      web_acl_arn: "${aws_wafv2_web_acl.waf.arn}",
    });
  });
});
