import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { Construct } from "constructs";
import type { EdgeConfig } from "../config/schema";
import { type NameContext, PRIMARY_ID, resourceName, wafLogGroupName } from "../config/naming";

/** How cdktf's HCL renderer is told what a value is: an attribute or a list of nested blocks. */
interface HclValue {
  readonly value: unknown;
  readonly isBlock: boolean;
  readonly type: "simple" | "list";
  readonly storageClassType: string;
}

const isBlockList = (v: unknown): v is Record<string, unknown>[] =>
  Array.isArray(v) && v.length > 0 && v.every((item) => item !== null && typeof item === "object" && !Array.isArray(item));

/** A value in Terraform JSON's shape (nested blocks as lists of objects), described for the renderer. */
function hclValue(v: unknown): HclValue {
  if (isBlockList(v)) return { value: v.map(hclAttributes), isBlock: true, type: "list", storageClassType: "blockList" };
  if (Array.isArray(v)) return { value: v, isBlock: false, type: "list", storageClassType: typeof v[0] === "number" ? "numberList" : "stringList" };
  return { value: v, isBlock: false, type: "simple", storageClassType: typeof v === "number" ? "number" : typeof v === "boolean" ? "boolean" : "string" };
}

function hclAttributes(block: Record<string, unknown>): Record<string, HclValue> {
  return Object.fromEntries(
    Object.entries(block)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, hclValue(v)]),
  );
}

/**
 * The web ACL, with each rule's `statement` described to cdktf's HCL renderer as nested blocks.
 * cdktf's bindings type `statement` as `any` (its schema nests too deeply), so `cdktf synth
 * --hcl` would otherwise write `statement = {...}`, an attribute Terraform rejects.
 */
class WebAcl extends Wafv2WebAcl {
  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attributes = super.synthesizeHclAttributes();
    for (const rule of (attributes.rule?.value ?? []) as Record<string, HclValue>[]) {
      if (rule.statement) rule.statement = hclValue(rule.statement.value);
    }
    return attributes;
  }
}

/** A rule of an AWS managed rule group whose action this web ACL overrides, and why. */
export interface RuleOverride {
  /** The rule's name in the group (AWS WAF Developer Guide, "AWS Managed Rules rule groups list"). */
  readonly rule: string;
  readonly action: "count" | "challenge";
  readonly why: string;
}

/** An AWS managed rule group of the web ACL: its rules act as AWS set them, except `overrides`. */
export interface ManagedRuleGroup {
  readonly name: string;
  readonly why: string;
  /** @default none: every rule of the group keeps its own action */
  readonly overrides?: readonly RuleOverride[];
}

/**
 * Label that AWSManagedRulesAnonymousIpList's AnonymousIPList rule puts on a request from a VPN,
 * Tor node or relay (AWS WAF Developer Guide, "IP reputation rule groups"); a later rule of the
 * web ACL can match it.
 */
export const ANONYMOUS_IP_LABEL = "awswaf:managed:aws:anonymous-ip-list:AnonymousIPList";

/** AWS managed rule groups of the web ACL, in priority order (seed "Enable AWS WAF"). */
export const MANAGED_RULE_GROUPS: readonly ManagedRuleGroup[] = [
  {
    name: "AWSManagedRulesCommonRuleSet",
    why: "protection against common web exploits, OWASP Top 10 among them",
    overrides: [{ rule: "SizeRestrictions_BODY", action: "count", why: "Streamlit uploads (CSV of student data) exceed the set's 8 KB body limit" }],
  },
  { name: "AWSManagedRulesKnownBadInputsRuleSet", why: "request patterns tied to the exploitation of known vulnerabilities, Log4j among them" },
  { name: "AWSManagedRulesAmazonIpReputationList", why: "addresses Amazon's threat intelligence ties to bots and attacks" },
  {
    name: "AWSManagedRulesAnonymousIpList",
    why: "addresses that hide who is asking; with the known-bad-inputs set it is what checkov's CKV2_AWS_47 asks of a distribution's web ACL",
    overrides: [
      {
        rule: "AnonymousIPList",
        action: "count",
        why: "a student may reach a mental-health service through a VPN, Tor or a privacy relay so that nobody sees it: their requests pass, labelled, and meet a tighter rate limit",
      },
      {
        rule: "HostingProviderIPList",
        action: "challenge",
        why: "data-centre addresses send mostly bots, but also students on cloud desktops (a university's virtual lab); a browser passes the silent challenge, a script does not",
      },
    ],
  },
];

/**
 * How long a passed challenge counts (AWS's default is 300 s). Streamlit loads one page and then
 * talks over a websocket and uploads without loading another; a request that is not a page
 * cannot answer a challenge, so a token that expired mid-session would break the session of a
 * student on a hosting-provider address. Four hours covers a session; a bot must still run a
 * browser to get a token.
 */
export const CHALLENGE_IMMUNITY_SECONDS = 4 * 60 * 60;

/** The WAF settings a web ACL is built from (config/schema.ts describes each). */
export const WAF_SETTINGS = ["rateLimitPer5Minutes", "anonymousRateLimitPer5Minutes"] as const satisfies readonly (keyof EdgeConfig["waf"])[];

export interface WafProps extends Readonly<Pick<EdgeConfig["waf"], (typeof WAF_SETTINGS)[number]>> {
  /** CLOUDFRONT (created in us-east-1, attached by the distribution) or REGIONAL (on the ALB). */
  readonly scope: "CLOUDFRONT" | "REGIONAL";
  /** ALB to associate with; required for REGIONAL scope, refused for CLOUDFRONT. @default none */
  readonly albArn?: string;
  /** us-east-1 provider for CLOUDFRONT scope; the stack's default otherwise. */
  readonly provider?: AwsProvider;
  /** Retention of the WAF log group. */
  readonly logRetentionDays: number;
  readonly names: NameContext;
  /** KMS key of the WAF log group (must be in the log group's region). @default CloudWatch Logs' own */
  readonly logsKeyArn?: string;
}

/** The settings a web ACL's rate limits come from. */
export type RateLimits = Pick<WafProps, "rateLimitPer5Minutes" | "anonymousRateLimitPer5Minutes">;

/** The web ACL's rate limits, after the managed groups, in priority order. */
export const RATE_LIMITS: readonly { name: string; limit: (limits: RateLimits) => number; anonymousOnly: boolean; why: string }[] = [
  { name: "rate-limit-per-ip", limit: (p) => p.rateLimitPer5Minutes, anonymousOnly: false, why: "floods and scraping from one address" },
  {
    name: "rate-limit-anonymous-ip",
    limit: (p) => p.anonymousRateLimitPer5Minutes,
    anonymousOnly: true,
    why: "abuse hides behind anonymizing addresses too; they get a tighter limit instead of a block",
  },
];

// cdktf types a rule's `statement` as `any`, so the rules write it in Terraform JSON's shape for
// nested blocks (lists of objects), which scanners that read the configuration as Terraform does
// (checkov's CKV2_AWS_47) recognise; a bare object would also plan.

/** The web ACL's rules for the AWS managed rule groups, first in priority. */
function managedRules() {
  return MANAGED_RULE_GROUPS.map((group, i) => ({
    name: group.name,
    priority: i + 1,
    overrideAction: { none: {} },
    statement: [
      {
        managed_rule_group_statement: [
          {
            name: group.name,
            vendor_name: "AWS",
            rule_action_override: group.overrides?.map((o) => ({ name: o.rule, action_to_use: [{ [o.action]: [{}] }] })),
          },
        ],
      },
    ],
    visibilityConfig: {
      cloudwatchMetricsEnabled: true,
      metricName: group.name,
      sampledRequestsEnabled: true,
    },
  }));
}

/** The web ACL's rate-limit rules, after the managed groups. */
function rateLimitRules(limits: RateLimits) {
  return RATE_LIMITS.map((r, i) => ({
    name: r.name,
    priority: MANAGED_RULE_GROUPS.length + i + 1,
    action: { block: {} },
    statement: [
      {
        rate_based_statement: [
          {
            limit: r.limit(limits),
            aggregate_key_type: "IP",
            // The anonymous-IP group ran earlier: a rule sees only earlier rules' labels.
            scope_down_statement: r.anonymousOnly ? [{ label_match_statement: [{ scope: "LABEL", key: ANONYMOUS_IP_LABEL }] }] : undefined,
          },
        ],
      },
    ],
    visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: r.name, sampledRequestsEnabled: true },
  }));
}

/**
 * A web ACL with AWS's common, known-bad-inputs, IP-reputation and anonymous-IP rule groups, a
 * per-IP rate limit and a tighter one for anonymizing addresses, logging to CloudWatch Logs.
 */
export class Waf extends Construct {
  public readonly acl: Wafv2WebAcl;

  constructor(scope: Construct, id: string, props: WafProps) {
    super(scope, id);
    if ((props.scope === "REGIONAL") !== (props.albArn !== undefined)) {
      throw new Error(
        props.scope === "REGIONAL"
          ? `${this.node.path}: a REGIONAL web ACL without albArn would protect nothing. Fix: pass the ALB's ARN, or use CLOUDFRONT scope and attach the ACL to the distribution.`
          : `${this.node.path}: a CLOUDFRONT web ACL cannot be associated with an ALB (albArn is set). Fix: drop albArn; the distribution attaches the ACL.`,
      );
    }
    const name = resourceName(props.names, "web-acl");
    const provider = props.provider;
    this.acl = new WebAcl(this, PRIMARY_ID, {
      provider,
      name,
      description: "Dashboard web ACL: AWS managed rules and per-IP rate limits",
      scope: props.scope,
      defaultAction: { allow: {} },
      visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true },
      challengeConfig: { immunityTimeProperty: { immunityTime: CHALLENGE_IMMUNITY_SECONDS } },
      rule: [...managedRules(), ...rateLimitRules(props)],
    });

    // WAF writes only to log groups whose name starts with aws-waf-logs-.
    const logGroup = new CloudwatchLogGroup(this, "logs", {
      provider,
      name: wafLogGroupName(name),
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logsKeyArn,
    });
    new Wafv2WebAclLoggingConfiguration(this, "logging", {
      provider,
      resourceArn: this.acl.arn,
      logDestinationConfigs: [logGroup.arn],
    });

    if (props.albArn) {
      new Wafv2WebAclAssociation(this, "alb", { resourceArn: props.albArn, webAclArn: this.acl.arn });
    }
  }
}
