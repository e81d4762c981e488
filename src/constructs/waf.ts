import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Wafv2WebAcl } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { Construct } from "constructs";
import { type NameContext, PRIMARY_ID, resourceName } from "../naming";

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
  return Object.fromEntries(Object.entries(block).filter(([, v]) => v !== undefined).map(([k, v]) => [k, hclValue(v)]));
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

/** AWS managed rule groups of the web ACL, in priority order (seed "Enable AWS WAF"). */
export const MANAGED_RULE_GROUPS = [
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesKnownBadInputsRuleSet",
  "AWSManagedRulesAmazonIpReputationList",
] as const;

export interface WafProps {
  /** Requests per 5 minutes one IP may send before it is blocked. */
  readonly rateLimitPer5Minutes: number;
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

/**
 * A web ACL with AWS's common, known-bad-inputs and IP-reputation rule groups and a per-IP rate
 * limit, logging to CloudWatch Logs.
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
    // cdktf types a rule's `statement` as `any`, so it is written here in Terraform JSON's shape
    // for nested blocks (lists of objects), which scanners that read the configuration as
    // Terraform does (checkov's CKV2_AWS_47) recognise; a bare object would also plan.
    const managed = MANAGED_RULE_GROUPS.map((group, i) => ({
      name: group,
      priority: i + 1,
      overrideAction: { none: {} },
      statement: [
        {
          managed_rule_group_statement: [
            {
              name: group,
              vendor_name: "AWS",
              // Streamlit uploads (CSV of student data) exceed the common set's 8 KB body limit.
              rule_action_override:
                group === "AWSManagedRulesCommonRuleSet" ? [{ name: "SizeRestrictions_BODY", action_to_use: [{ count: [{}] }] }] : undefined,
            },
          ],
        },
      ],
      visibilityConfig: {
        cloudwatchMetricsEnabled: true,
        metricName: group,
        sampledRequestsEnabled: true,
      },
    }));
    this.acl = new WebAcl(this, PRIMARY_ID, {
      provider,
      name,
      description: "Dashboard web ACL: AWS managed rules and a per-IP rate limit",
      scope: props.scope,
      defaultAction: { allow: {} },
      visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: name, sampledRequestsEnabled: true },
      rule: [
        ...managed,
        {
          name: "rate-limit-per-ip",
          priority: MANAGED_RULE_GROUPS.length + 1,
          action: { block: {} },
          statement: [{ rate_based_statement: [{ limit: props.rateLimitPer5Minutes, aggregate_key_type: "IP" }] }],
          visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: "rate-limit-per-ip", sampledRequestsEnabled: true },
        },
      ],
    });

    // WAF writes only to log groups whose name starts with aws-waf-logs-.
    const logGroup = new CloudwatchLogGroup(this, "logs", {
      provider,
      name: `aws-waf-logs-${name}`,
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
