/**
 * What AWS accepts as a physical name, one row per Terraform resource type and name attribute:
 * length, characters, leading character, reserved prefixes and suffixes. `terraform plan` offline
 * calls no AWS API, and the provider validates only some of these, so a name outside them would
 * first fail at `cdktf deploy`; the policy rule AWS-1 (src/policy/rules.ts) checks every name each
 * stack emits against this table at synthesis.
 *
 * Each row cites the AWS API reference that states the rule; where the AWS provider validates
 * the same attribute, its validator (hashicorp/terraform-provider-aws, the file named in
 * `source`) encodes the same limits. `name_prefix` rows allow the name's limit less the 26
 * characters the provider appends (`id.UniqueIDSuffixLength`).
 */

import { valuesAt } from "./attributes";

/** One rule about a name beyond its length and characters: the problem, or undefined. */
type NameCheck = (name: string) => string | undefined;

export interface NameRule {
  /** Terraform resource type, e.g. `aws_lb`. */
  readonly type: string;
  /** The attribute holding the name; a nested block's as `block.attribute` (every element is checked). */
  readonly attribute: string;
  /** Shortest and longest length AWS accepts. */
  readonly length: readonly [number, number];
  /** The characters (and shape) AWS accepts, and how to say so. */
  readonly pattern?: { readonly regex: RegExp; readonly says: string };
  /** Further rules: leading character, reserved prefixes, consecutive hyphens... */
  readonly checks?: readonly NameCheck[];
  /** Where AWS states the rule (and the provider validator that encodes it, if any). */
  readonly source: string;
}

const startsWithLetter: NameCheck = (n) => (/^[A-Za-z]/.test(n) ? undefined : "must start with a letter");
const noDoubleHyphen: NameCheck = (n) => (n.includes("--") ? "must not contain two consecutive hyphens" : undefined);
const noTrailingHyphen: NameCheck = (n) => (n.endsWith("-") ? "must not end with a hyphen" : undefined);
const noLeadingHyphen: NameCheck = (n) => (n.startsWith("-") ? "must not start with a hyphen" : undefined);
const notPrefixed =
  (...prefixes: string[]): NameCheck =>
  (n) => {
    const found = prefixes.find((p) => n.toLowerCase().startsWith(p));
    return found ? `must not start with "${found}" (reserved)` : undefined;
  };
const notSuffixed =
  (...suffixes: string[]): NameCheck =>
  (n) => {
    const found = suffixes.find((s) => n.endsWith(s));
    return found ? `must not end with "${found}" (reserved)` : undefined;
  };
const notIpAddress: NameCheck = (n) => (/^\d+\.\d+\.\d+\.\d+$/.test(n) ? "must not be formatted as an IP address" : undefined);
const notEqual =
  (reserved: string): NameCheck =>
  (n) =>
    n.toLowerCase() === reserved ? `must not be "${reserved}" (reserved)` : undefined;

const ALPHANUMERIC_HYPHEN = { regex: /^[A-Za-z0-9-]+$/, says: "only letters, digits and hyphens" };
const ECS_NAME = { regex: /^[A-Za-z0-9_-]+$/, says: "only letters, digits, hyphens and underscores" };
const IAM_NAME = { regex: /^[\w+=,.@-]+$/, says: "only letters, digits and + = , . @ _ -" };
const LOWER_CASE_NAME = { regex: /^[a-z0-9-]+$/, says: "only lower-case letters, digits and hyphens" };
const SECURITY_GROUP_NAME = {
  regex: /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/,
  says: "only letters, digits, spaces and . _ - : / ( ) # , @ [ ] + = & ; { } ! $ *",
};
const LOWER_CASE_NAME_CHECKS = [startsWithLetter, noDoubleHyphen, noTrailingHyphen];
const WAF_NAME = { regex: /^[\w-]+$/, says: "only letters, digits, hyphens and underscores" };
const WAF_METRIC = { regex: /^[\w#:.\-/]+$/, says: "only letters, digits and # : . - / _, no spaces" };

const ELB = "https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference";
const RDS = "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference";

/** Every rule, one row per resource type and name attribute. */
export const NAME_RULES: readonly NameRule[] = [
  // Load balancing
  {
    type: "aws_lb",
    attribute: "name",
    length: [1, 32],
    pattern: ALPHANUMERIC_HYPHEN,
    checks: [noLeadingHyphen, noTrailingHyphen, notPrefixed("internal-")],
    source: `${ELB}/API_CreateLoadBalancer.html (Name); provider internal/service/elbv2/validate.go validName`,
  },
  {
    type: "aws_lb",
    attribute: "name_prefix",
    length: [1, 6],
    pattern: ALPHANUMERIC_HYPHEN,
    checks: [noLeadingHyphen, notPrefixed("internal-")],
    source: "provider internal/service/elbv2/validate.go validNamePrefix",
  },
  {
    type: "aws_lb_target_group",
    attribute: "name",
    length: [1, 32],
    pattern: ALPHANUMERIC_HYPHEN,
    checks: [noLeadingHyphen, noTrailingHyphen],
    source: `${ELB}/API_CreateTargetGroup.html (Name); provider internal/service/elbv2/validate.go validTargetGroupName`,
  },
  {
    type: "aws_lb_target_group",
    attribute: "name_prefix",
    length: [1, 6],
    pattern: ALPHANUMERIC_HYPHEN,
    checks: [noLeadingHyphen],
    source: "provider internal/service/elbv2/validate.go validTargetGroupNamePrefix (32 less the 26-character suffix)",
  },
  // Storage
  {
    type: "aws_s3_bucket",
    attribute: "bucket",
    length: [3, 63],
    pattern: {
      regex: /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/,
      says: "only lower-case letters, digits, periods and hyphens, starting and ending with a letter or digit",
    },
    checks: [
      (n) => (n.includes("..") ? "must not contain two adjacent periods" : undefined),
      notIpAddress,
      notPrefixed("xn--", "sthree-", "amzn-s3-demo-"),
      notSuffixed("-s3alias", "--ol-s3", "--x-s3", "--table-s3"),
    ],
    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html (general purpose buckets)",
  },
  {
    type: "aws_s3_bucket",
    attribute: "bucket_prefix",
    length: [1, 37],
    pattern: { regex: /^[a-z0-9][a-z0-9.-]*$/, says: "only lower-case letters, digits, periods and hyphens" },
    source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html (63 less the 26-character suffix)",
  },
  {
    type: "aws_ecr_repository",
    attribute: "name",
    length: [2, 256],
    pattern: {
      regex: /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/,
      says: "lower-case letters and digits, separated by single . _ - or /",
    },
    source: "https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html (repositoryName)",
  },
  // IAM (global: names are unique in the account)
  {
    type: "aws_iam_role",
    attribute: "name",
    length: [1, 64],
    pattern: IAM_NAME,
    source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (RoleName)",
  },
  {
    type: "aws_iam_role",
    attribute: "name_prefix",
    length: [1, 38],
    pattern: IAM_NAME,
    source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (64 less the 26-character suffix)",
  },
  {
    type: "aws_iam_role_policy",
    attribute: "name",
    length: [1, 128],
    pattern: IAM_NAME,
    source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html (PolicyName)",
  },
  {
    type: "aws_iam_policy",
    attribute: "name",
    length: [1, 128],
    pattern: IAM_NAME,
    source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html (PolicyName)",
  },
  {
    type: "aws_iam_policy",
    attribute: "name_prefix",
    length: [1, 102],
    pattern: IAM_NAME,
    source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html (128 less the 26-character suffix)",
  },
  // Network
  {
    type: "aws_security_group",
    attribute: "name",
    length: [1, 255],
    pattern: SECURITY_GROUP_NAME,
    checks: [notPrefixed("sg-")],
    source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html (GroupName)",
  },
  {
    type: "aws_security_group",
    attribute: "name_prefix",
    length: [1, 100],
    pattern: SECURITY_GROUP_NAME,
    checks: [notPrefixed("sg-")],
    source:
      "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html (GroupName); provider internal/service/ec2/vpc_security_group.go (name_prefix at most 100)",
  },
  // Databases and caches
  {
    type: "aws_db_instance",
    attribute: "identifier",
    length: [1, 63],
    pattern: LOWER_CASE_NAME,
    checks: LOWER_CASE_NAME_CHECKS,
    source: `${RDS}/API_CreateDBInstance.html (DBInstanceIdentifier); provider internal/service/rds/validate.go validIdentifier`,
  },
  {
    type: "aws_db_instance",
    attribute: "identifier_prefix",
    length: [1, 37],
    pattern: LOWER_CASE_NAME,
    checks: [startsWithLetter, noDoubleHyphen],
    source: `${RDS}/API_CreateDBInstance.html (63 less the 26-character suffix); provider validIdentifierPrefix`,
  },
  {
    type: "aws_rds_cluster",
    attribute: "cluster_identifier",
    length: [1, 63],
    pattern: LOWER_CASE_NAME,
    checks: LOWER_CASE_NAME_CHECKS,
    source: `${RDS}/API_CreateDBCluster.html (DBClusterIdentifier); provider internal/service/rds/validate.go validIdentifier`,
  },
  {
    type: "aws_rds_cluster_instance",
    attribute: "identifier",
    length: [1, 63],
    pattern: LOWER_CASE_NAME,
    checks: LOWER_CASE_NAME_CHECKS,
    source: `${RDS}/API_CreateDBInstance.html (DBInstanceIdentifier); provider validIdentifier`,
  },
  {
    type: "aws_db_parameter_group",
    attribute: "name",
    length: [1, 255],
    pattern: { regex: /^[a-z0-9.-]+$/, says: "only lower-case letters, digits, periods and hyphens" },
    checks: LOWER_CASE_NAME_CHECKS,
    source: `${RDS}/API_CreateDBParameterGroup.html (DBParameterGroupName); provider internal/service/rds/validate.go validParamGroupName`,
  },
  {
    type: "aws_db_parameter_group",
    attribute: "name_prefix",
    length: [1, 229],
    pattern: LOWER_CASE_NAME,
    checks: [startsWithLetter, noDoubleHyphen],
    source: `${RDS}/API_CreateDBParameterGroup.html (255 less the 26-character suffix); provider validParamGroupNamePrefix`,
  },
  {
    type: "aws_rds_cluster_parameter_group",
    attribute: "name",
    length: [1, 255],
    pattern: { regex: /^[a-z0-9.-]+$/, says: "only lower-case letters, digits, periods and hyphens" },
    checks: LOWER_CASE_NAME_CHECKS,
    source: `${RDS}/API_CreateDBClusterParameterGroup.html (DBClusterParameterGroupName); provider validParamGroupName`,
  },
  {
    type: "aws_rds_cluster_parameter_group",
    attribute: "name_prefix",
    length: [1, 229],
    pattern: LOWER_CASE_NAME,
    checks: [startsWithLetter, noDoubleHyphen],
    source: `${RDS}/API_CreateDBClusterParameterGroup.html (255 less the 26-character suffix); provider validParamGroupNamePrefix`,
  },
  {
    type: "aws_db_subnet_group",
    attribute: "name",
    length: [1, 255],
    pattern: { regex: /^[a-z0-9_ .-]+$/, says: "only lower-case letters, digits, spaces and . _ -" },
    checks: [notEqual("default")],
    source: `${RDS}/API_CreateDBSubnetGroup.html (DBSubnetGroupName); provider internal/service/rds/validate.go validSubnetGroupName`,
  },
  {
    type: "aws_elasticache_replication_group",
    attribute: "replication_group_id",
    length: [1, 40],
    pattern: LOWER_CASE_NAME,
    checks: LOWER_CASE_NAME_CHECKS,
    source: "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html (ReplicationGroupId)",
  },
  {
    type: "aws_elasticache_subnet_group",
    attribute: "name",
    length: [1, 255],
    pattern: LOWER_CASE_NAME,
    source: "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateCacheSubnetGroup.html (CacheSubnetGroupName)",
  },
  {
    type: "aws_elasticache_parameter_group",
    attribute: "name",
    length: [1, 255],
    pattern: LOWER_CASE_NAME,
    checks: LOWER_CASE_NAME_CHECKS,
    source: "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateCacheParameterGroup.html (CacheParameterGroupName)",
  },
  // Logs, metrics, alarms, notifications
  {
    type: "aws_cloudwatch_log_group",
    attribute: "name",
    length: [1, 512],
    pattern: { regex: /^[A-Za-z0-9._\-/#]+$/, says: "only letters, digits and . _ - / #" },
    checks: [notPrefixed("aws/")],
    source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html (logGroupName)",
  },
  {
    type: "aws_cloudwatch_log_delivery_source",
    attribute: "name",
    length: [1, 60],
    pattern: WAF_NAME,
    source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutDeliverySource.html (name)",
  },
  {
    type: "aws_cloudwatch_log_delivery_destination",
    attribute: "name",
    length: [1, 60],
    pattern: WAF_NAME,
    source: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutDeliveryDestination.html (name)",
  },
  {
    type: "aws_cloudwatch_metric_alarm",
    attribute: "alarm_name",
    length: [1, 255],
    pattern: { regex: /^[^\x00-\x1f\x7f]+$/, says: "no ASCII control characters" },
    source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html (AlarmName)",
  },
  {
    type: "aws_cloudwatch_dashboard",
    attribute: "dashboard_name",
    length: [1, 255],
    pattern: ECS_NAME,
    source: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutDashboard.html (DashboardName)",
  },
  {
    type: "aws_sns_topic",
    attribute: "name",
    length: [1, 256],
    pattern: { regex: /^[A-Za-z0-9_-]+(\.fifo)?$/, says: "only letters, digits, hyphens and underscores (a FIFO topic ends in .fifo)" },
    source: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html (Name)",
  },
  {
    type: "aws_appautoscaling_policy",
    attribute: "name",
    length: [1, 255],
    pattern: { regex: /^[\x20-\x7e]+$/, says: "only printable characters" },
    source: "https://docs.aws.amazon.com/autoscaling/application/APIReference/API_PutScalingPolicy.html (PolicyName); provider: at most 255",
  },
  // Keys and secrets
  {
    type: "aws_kms_alias",
    attribute: "name",
    length: [7, 256],
    pattern: { regex: /^alias\/[A-Za-z0-9/_-]+$/, says: '"alias/" followed by letters, digits and / _ -' },
    checks: [notPrefixed("alias/aws/")],
    source: "https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateAlias.html (AliasName); provider internal/service/kms/validate.go",
  },
  {
    type: "aws_secretsmanager_secret",
    attribute: "name",
    length: [1, 512],
    pattern: { regex: /^[\w/+=.@-]+$/, says: "only letters, digits and / _ + = . @ -" },
    source: "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html (Name)",
  },
  // Containers
  {
    type: "aws_ecs_cluster",
    attribute: "name",
    length: [1, 255],
    pattern: ECS_NAME,
    source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateCluster.html (clusterName)",
  },
  {
    type: "aws_ecs_service",
    attribute: "name",
    length: [1, 255],
    pattern: ECS_NAME,
    source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CreateService.html (serviceName)",
  },
  {
    type: "aws_ecs_task_definition",
    attribute: "family",
    length: [1, 255],
    pattern: ECS_NAME,
    source: "https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html (family)",
  },
  // Edge
  {
    type: "aws_wafv2_web_acl",
    attribute: "name",
    length: [1, 128],
    pattern: WAF_NAME,
    source: "https://docs.aws.amazon.com/waf/latest/APIReference/API_CreateWebACL.html (Name)",
  },
  {
    type: "aws_wafv2_web_acl",
    attribute: "rule.name",
    length: [1, 128],
    pattern: WAF_NAME,
    source: "https://docs.aws.amazon.com/waf/latest/APIReference/API_Rule.html (Name)",
  },
  {
    type: "aws_wafv2_web_acl",
    attribute: "visibility_config.metric_name",
    length: [1, 255],
    pattern: WAF_METRIC,
    source: "https://docs.aws.amazon.com/waf/latest/APIReference/API_VisibilityConfig.html (MetricName)",
  },
  {
    type: "aws_wafv2_web_acl",
    attribute: "rule.visibility_config.metric_name",
    length: [1, 255],
    pattern: WAF_METRIC,
    source: "https://docs.aws.amazon.com/waf/latest/APIReference/API_VisibilityConfig.html (MetricName)",
  },
  {
    type: "aws_cloudfront_cache_policy",
    attribute: "name",
    length: [1, 128],
    pattern: ECS_NAME,
    source:
      "AWS::CloudFront::CachePolicy CachePolicyConfig.Name, pattern ^[a-zA-Z0-9-_]{1,128}$ (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-cloudfront-cachepolicy-cachepolicyconfig.html)",
  },
  {
    type: "aws_cloudfront_response_headers_policy",
    attribute: "name",
    length: [1, 128],
    pattern: ECS_NAME,
    source:
      "AWS::CloudFront::ResponseHeadersPolicy ResponseHeadersPolicyConfig.Name, pattern ^[a-zA-Z0-9-_]{1,128}$ (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-cloudfront-responseheaderspolicy-responseheaderspolicyconfig.html)",
  },
  {
    type: "aws_cloudfront_origin_access_control",
    attribute: "name",
    length: [1, 64],
    source: "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_OriginAccessControlConfig.html (Name: up to 64 characters)",
  },
  {
    type: "aws_cloudfront_vpc_origin",
    attribute: "vpc_origin_endpoint_config.name",
    length: [1, 64],
    pattern: ECS_NAME,
    source: "https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_VpcOriginEndpointConfig.html (Name), as the CloudFront console limits it",
  },
  // Account baseline
  {
    type: "aws_cloudtrail",
    attribute: "name",
    length: [3, 128],
    pattern: { regex: /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/, says: "only letters, digits and . _ -, starting and ending with a letter or digit" },
    checks: [(n) => (/[._-]{2}/.test(n) ? "must not have adjacent periods, underscores or hyphens" : undefined), notIpAddress],
    source: "https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateTrail.html (Name)",
  },
  {
    type: "aws_config_config_rule",
    attribute: "name",
    length: [1, 128],
    pattern: { regex: /\S/, says: "at least one character that is not a space" },
    source: "https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigRule.html (ConfigRuleName)",
  },
  {
    type: "aws_config_configuration_recorder",
    attribute: "name",
    length: [1, 256],
    source: "https://docs.aws.amazon.com/config/latest/APIReference/API_ConfigurationRecorder.html (name)",
  },
  {
    type: "aws_config_delivery_channel",
    attribute: "name",
    length: [1, 256],
    source: "https://docs.aws.amazon.com/config/latest/APIReference/API_DeliveryChannel.html (name)",
  },
];

/** The problems of `name` under `rule`, each a phrase ("is 35 characters; AWS allows 1-32"); empty when AWS accepts it. */
export function nameProblems(rule: NameRule, name: string): string[] {
  const [min, max] = rule.length;
  const problems: string[] = [];
  if (name.length < min || name.length > max) problems.push(`is ${name.length} characters; AWS allows ${min === 1 ? `at most ${max}` : `${min}-${max}`}`);
  if (rule.pattern && !rule.pattern.regex.test(name)) problems.push(`may hold ${rule.pattern.says}`);
  for (const check of rule.checks ?? []) {
    const problem = check(name);
    if (problem) problems.push(problem);
  }
  return problems;
}

/**
 * Where AWS requires a physical name to be unique, by resource type: within the account and
 * region (the default), within the account (IAM and CloudFront are global services; S3 bucket
 * names are global), or within a parent resource that an attribute names (a role's inline
 * policies, a cluster's services, a VPC's security groups, a scalable target's policies). Names
 * of nested blocks (a web ACL's rules) are unique within their resource and are not compared.
 */
export const NAME_SCOPES: Readonly<Record<string, "account" | { readonly within: string }>> = {
  aws_s3_bucket: "account",
  aws_iam_role: "account",
  aws_iam_policy: "account",
  aws_cloudfront_cache_policy: "account",
  aws_cloudfront_origin_access_control: "account",
  aws_cloudfront_response_headers_policy: "account",
  aws_iam_role_policy: { within: "role" },
  aws_ecs_service: { within: "cluster" },
  aws_security_group: { within: "vpc_id" },
  aws_appautoscaling_policy: { within: "resource_id" },
};

/** A name in a resource's configuration, with the rule it must follow. */
export interface PhysicalName {
  readonly rule: NameRule;
  readonly name: string;
}

/**
 * Every physical name a resource of `type` sets, with its rule. Names that hold a Terraform
 * reference are left out: their value is only known when applying.
 */
export function physicalNames(type: string, config: unknown): PhysicalName[] {
  return NAME_RULES.filter((rule) => rule.type === type).flatMap((rule) =>
    valuesAt(config, rule.attribute)
      .filter((v): v is string => typeof v === "string" && !v.includes("${"))
      .map((name) => ({ rule, name })),
  );
}

/** A setting whose value physical names are built from, e.g. `project` = `smh-dashboard`. */
export interface NameSource {
  /** How the settings name it: `project`, `storage.bucketSuffix`, `the environment name (a key of environments)`. */
  readonly setting: string;
  readonly value: string;
  /**
   * The resource types whose names it is part of (`storage.bucketSuffix`: the buckets'), so that
   * a name of another type that merely contains its value is not blamed on it. @default every type
   */
  readonly resourceTypes?: readonly string[];
}

/** The fix for a refused name of a resource of `type`: the settings it is built from (longest first), or the code when none is. */
export function nameFix(name: string, sources: readonly NameSource[], type: string): string {
  const parts = sources
    .filter((s) => s.value.length > 0 && name.includes(s.value) && (s.resourceTypes?.includes(type) ?? true))
    .sort((a, b) => b.value.length - a.value.length);
  return parts.length > 0
    ? `shorten or change ${parts.map((s) => `${s.setting} "${s.value}" (${s.value.length})`).join(" or ")}`
    : "the name is fixed in the construct that creates it: change it there";
}
