import { resource, resourcesOf, synthEnvironment } from "./helpers";

describe("Waf", () => {
  const { json } = synthEnvironment("prod");
  const acl = resource(json, "aws_wafv2_web_acl", "waf");

  test("prod attaches a CLOUDFRONT-scope web ACL to the distribution; dev has none", () => {
    expect(acl).toMatchObject({ scope: "CLOUDFRONT", default_action: { allow: {} } });
    expect(resource(json, "aws_cloudfront_distribution", "cdn").web_acl_id).toBe("${aws_wafv2_web_acl.waf.arn}");
    expect(resourcesOf(synthEnvironment("dev").json, "aws_wafv2_web_acl")).toEqual({});
  });

  test("AWS managed common, known-bad-inputs, IP-reputation and anonymous-IP rules, then two rate limits, as nested blocks in Terraform JSON's list shape", () => {
    const rules = acl.rule as any[];
    expect(rules.map((r) => [r.priority, r.statement[0].managed_rule_group_statement?.[0].name ?? r.name])).toEqual([
      [1, "AWSManagedRulesCommonRuleSet"],
      [2, "AWSManagedRulesKnownBadInputsRuleSet"],
      [3, "AWSManagedRulesAmazonIpReputationList"],
      [4, "AWSManagedRulesAnonymousIpList"],
      [5, "rate-limit-per-ip"],
      [6, "rate-limit-anonymous-ip"],
    ]);
    expect(rules[4]).toMatchObject({
      action: { block: {} },
      statement: [{ rate_based_statement: [{ limit: 2000, aggregate_key_type: "IP" }] }],
    });
  });

  test("VPN, Tor and relay addresses are counted and labelled, not blocked; hosting-provider addresses are challenged", () => {
    expect((acl.rule as any[])[3].statement[0].managed_rule_group_statement[0].rule_action_override).toEqual([
      { name: "AnonymousIPList", action_to_use: [{ count: [{}] }] },
      { name: "HostingProviderIPList", action_to_use: [{ challenge: [{}] }] },
    ]);
  });

  test("labelled anonymizing addresses meet the tighter rate limit, after the group that labels them", () => {
    const [group, , anonymous] = (acl.rule as any[]).slice(3);
    expect(anonymous.priority).toBeGreaterThan(group.priority);
    expect(anonymous).toMatchObject({
      action: { block: {} },
      statement: [
        {
          rate_based_statement: [
            {
              limit: 500,
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

  test("prod's distribution has the web ACL with both rule groups checkov's CKV2_AWS_47 asks for", () => {
    const names = (acl.rule as any[]).flatMap((r) => r.statement[0].managed_rule_group_statement?.map((m: any) => m.name) ?? []);
    expect(names).toEqual(expect.arrayContaining(["AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAnonymousIpList"]));
    expect(resource(json, "aws_cloudfront_distribution", "cdn").web_acl_id).toBe("${aws_wafv2_web_acl.waf.arn}");
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
