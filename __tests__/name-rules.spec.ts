import { NAME_RULES, nameFix, nameProblems, physicalNames } from "../src/aws/name-rules";
import { environmentNameSources } from "../src/stacks/environment-stack";
import { configOf } from "./helpers";

const long = (n: number, char = "a") => char.repeat(n);

/**
 * Per row of the table: a name AWS accepts and names it refuses, each with the problem it must
 * report. A row without cases fails, so a new row comes with its own.
 */
const CASES: Record<string, { readonly accepted: string; readonly refused: readonly (readonly [string, RegExp])[] }> = {
  "aws_lb.name": {
    accepted: "smh-dashboard-prod-alb",
    refused: [
      ["student-mh-dashboard-production-alb", /is 35 characters; AWS allows at most 32/],
      ["internal-dashboard", /must not start with "internal-"/],
      ["dashboard-", /must not end with a hyphen/],
      ["dash_board", /may hold only letters, digits and hyphens/],
    ],
  },
  "aws_lb.name_prefix": { accepted: "alb-", refused: [["dashboard-", /is 10 characters; AWS allows at most 6/]] },
  "aws_lb_target_group.name": {
    accepted: "smh-dashboard-prod-app",
    refused: [
      ["student-mh-dashboard-production-app", /at most 32/],
      ["-app", /must not start with a hyphen/],
    ],
  },
  "aws_lb_target_group.name_prefix": { accepted: "app-", refused: [["dashboard-app", /at most 6/]] },
  "aws_s3_bucket.bucket": {
    accepted: "smh-dashboard-prod-models-us-east-1-123456789012",
    refused: [
      [long(64), /is 64 characters; AWS allows 3-63/],
      ["Models", /may hold only lower-case letters/],
      ["models..bucket", /two adjacent periods/],
      ["192.168.5.4", /IP address/],
      ["xn--models", /must not start with "xn--"/],
      ["models-s3alias", /must not end with "-s3alias"/],
    ],
  },
  "aws_s3_bucket.bucket_prefix": { accepted: "smh-dashboard-", refused: [[long(38), /at most 37/]] },
  "aws_ecr_repository.name": {
    accepted: "smh-dashboard-prod-dashboard",
    refused: [
      ["Dashboard", /lower-case letters and digits/],
      ["a", /is 1 characters; AWS allows 2-256/],
      ["dash--board", /separated by single/],
    ],
  },
  "aws_iam_role.name": {
    accepted: "smh-dashboard-prod-task-execution",
    refused: [
      [long(65), /at most 64/],
      ["task role", /only letters, digits and \+ = , \. @ _ -/],
    ],
  },
  "aws_iam_role.name_prefix": { accepted: "smh-dashboard-", refused: [[long(39), /at most 38/]] },
  "aws_iam_role_policy.name": { accepted: "permissions", refused: [[long(129), /at most 128/]] },
  "aws_iam_policy.name": { accepted: "deployer", refused: [["deploy*", /only letters, digits/]] },
  "aws_iam_policy.name_prefix": { accepted: "deployer-", refused: [[long(103), /at most 102/]] },
  "aws_security_group.name": {
    accepted: "smh-dashboard-prod-tasks",
    refused: [
      ["sg-tasks", /must not start with "sg-"/],
      [long(256), /at most 255/],
      ["tasks|db", /may hold only letters/],
    ],
  },
  "aws_security_group.name_prefix": {
    accepted: "smh-dashboard-prod-tasks-",
    refused: [
      ["sg-tasks-", /must not start with "sg-"/],
      [long(101), /at most 100/],
    ],
  },
  "aws_db_instance.identifier": {
    accepted: "smh-dashboard-prod-db",
    refused: [
      [`a${long(63)}`, /is 64 characters; AWS allows at most 63/],
      ["1db", /must start with a letter/],
      ["smh--db", /two consecutive hyphens/],
      ["smh-db-", /must not end with a hyphen/],
      ["SMH-db", /only lower-case letters, digits and hyphens/],
    ],
  },
  "aws_db_instance.identifier_prefix": { accepted: "smh-db-", refused: [[long(38), /at most 37/]] },
  "aws_rds_cluster.cluster_identifier": { accepted: "smh-dashboard-prod-aurora", refused: [["smh-aurora-", /must not end with a hyphen/]] },
  "aws_rds_cluster_instance.identifier": { accepted: "smh-dashboard-prod-aurora-1", refused: [["1-aurora", /must start with a letter/]] },
  "aws_db_parameter_group.name": {
    accepted: "smh-dashboard-prod-db-postgres15",
    refused: [
      ["smh--db", /two consecutive hyphens/],
      ["db_params", /only lower-case letters, digits, periods and hyphens/],
    ],
  },
  "aws_db_parameter_group.name_prefix": {
    accepted: "smh-dashboard-prod-db-postgres15-",
    refused: [
      [long(230), /at most 229/],
      ["9db-", /must start with a letter/],
    ],
  },
  "aws_rds_cluster_parameter_group.name": { accepted: "smh-dashboard-prod-aurora-postgres15", refused: [["aurora-", /must not end with a hyphen/]] },
  "aws_rds_cluster_parameter_group.name_prefix": { accepted: "smh-dashboard-prod-aurora-", refused: [["Aurora-", /only lower-case letters/]] },
  "aws_db_subnet_group.name": {
    accepted: "smh-dashboard-prod-db",
    refused: [
      ["default", /must not be "default"/],
      ["Subnets", /only lower-case letters/],
    ],
  },
  "aws_elasticache_replication_group.replication_group_id": {
    accepted: "smh-dashboard-prod-cache",
    refused: [
      [`a${long(40)}`, /is 41 characters; AWS allows at most 40/],
      ["cache--1", /two consecutive hyphens/],
    ],
  },
  "aws_elasticache_subnet_group.name": { accepted: "smh-dashboard-prod-cache", refused: [["cache_subnets", /only lower-case letters, digits and hyphens/]] },
  "aws_elasticache_parameter_group.name": { accepted: "smh-dashboard-prod-valkey8", refused: [["valkey8-", /must not end with a hyphen/]] },
  "aws_cloudwatch_log_group.name": {
    accepted: "/ecs/smh-dashboard-prod-dashboard",
    refused: [
      ["aws/ecs/app", /must not start with "aws\/"/],
      ["/ecs/app logs", /only letters, digits and \. _ - \/ #/],
      [long(513), /at most 512/],
    ],
  },
  "aws_cloudwatch_log_delivery_source.name": { accepted: "smh-dashboard-prod-cloudfront", refused: [[long(61), /at most 60/]] },
  "aws_cloudwatch_log_delivery_destination.name": {
    accepted: "smh-dashboard-prod-cloudfront-s3",
    refused: [["cloudfront/s3", /only letters, digits, hyphens and underscores/]],
  },
  "aws_cloudwatch_metric_alarm.alarm_name": {
    accepted: "smh-dashboard-prod-cpu-high",
    refused: [
      ["cpu\nhigh", /no ASCII control characters/],
      [long(256), /at most 255/],
    ],
  },
  "aws_cloudwatch_dashboard.dashboard_name": {
    accepted: "smh-dashboard-prod-dashboard",
    refused: [["prod dashboard", /only letters, digits, hyphens and underscores/]],
  },
  "aws_sns_topic.name": {
    accepted: "smh-dashboard-prod-alerts",
    refused: [
      ["alerts.topic", /only letters, digits, hyphens and underscores/],
      [long(257), /at most 256/],
    ],
  },
  "aws_appautoscaling_policy.name": { accepted: "smh-dashboard-prod-scale-in", refused: [[long(256), /at most 255/]] },
  "aws_kms_alias.name": {
    accepted: "alias/smh-dashboard-prod-data",
    refused: [
      ["alias/aws/rds", /must not start with "alias\/aws\/"/],
      ["smh-dashboard-prod-data", /"alias\/" followed by/],
    ],
  },
  "aws_secretsmanager_secret.name": { accepted: "smh-dashboard/prod/db", refused: [["db secret", /only letters, digits and \/ _ \+ = \. @ -/]] },
  "aws_ecs_cluster.name": { accepted: "smh-dashboard-prod-cluster", refused: [["prod.cluster", /only letters, digits, hyphens and underscores/]] },
  "aws_ecs_service.name": { accepted: "dashboard", refused: [[long(256), /at most 255/]] },
  "aws_ecs_task_definition.family": { accepted: "smh-dashboard-prod-dashboard", refused: [["family:1", /only letters, digits, hyphens and underscores/]] },
  "aws_wafv2_web_acl.name": {
    accepted: "smh-dashboard-prod-web-acl",
    refused: [
      [long(129), /at most 128/],
      ["web acl", /only letters, digits, hyphens and underscores/],
    ],
  },
  "aws_wafv2_web_acl.rule.name": { accepted: "rate-limit-per-ip", refused: [["rate limit", /only letters, digits, hyphens and underscores/]] },
  "aws_wafv2_web_acl.visibility_config.metric_name": { accepted: "smh-dashboard-prod-web-acl", refused: [["web acl", /no spaces/]] },
  "aws_wafv2_web_acl.rule.visibility_config.metric_name": { accepted: "AWSManagedRulesCommonRuleSet", refused: [[long(256), /at most 255/]] },
  "aws_cloudfront_cache_policy.name": {
    accepted: "smh-dashboard-prod-static",
    refused: [
      [long(129), /at most 128/],
      ["static.policy", /only letters, digits, hyphens and underscores/],
    ],
  },
  "aws_cloudfront_response_headers_policy.name": {
    accepted: "smh-dashboard-prod-security-headers",
    refused: [["security headers", /only letters, digits, hyphens and underscores/]],
  },
  "aws_cloudfront_origin_access_control.name": { accepted: "smh-dashboard-prod-static", refused: [[long(65), /at most 64/]] },
  "aws_cloudfront_vpc_origin.vpc_origin_endpoint_config.name": { accepted: "smh-dashboard-prod-alb", refused: [[long(65), /at most 64/]] },
  "aws_cloudtrail.name": {
    accepted: "smh-dashboard-audit-trail",
    refused: [
      ["ab", /is 2 characters; AWS allows 3-128/],
      ["audit--trail", /adjacent periods, underscores or hyphens/],
      ["-audit", /starting and ending with a letter or digit/],
      ["10.0.0.1", /IP address/],
    ],
  },
  "aws_config_config_rule.name": { accepted: "cloud-trail-enabled", refused: [["   ", /at least one character that is not a space/]] },
  "aws_config_configuration_recorder.name": { accepted: "default", refused: [[long(257), /at most 256/]] },
  "aws_config_delivery_channel.name": { accepted: "default", refused: [["", /is 0 characters; AWS allows at most 256/]] },
};

describe.each(NAME_RULES.map((rule) => [`${rule.type}.${rule.attribute}`, rule] as const))("AWS name rule %s", (key, rule) => {
  const cases = CASES[key];

  test("cites where AWS documents it and has cases", () => {
    expect(rule.source).toMatch(/https:\/\/docs\.aws\.amazon\.com\/|provider /);
    expect(cases).toBeDefined();
  });

  test("accepts a name AWS accepts", () => {
    expect(nameProblems(rule, cases.accepted)).toEqual([]);
  });

  test.each(cases?.refused ?? [])("refuses %j", (name, problem) => {
    expect(nameProblems(rule, name)).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
  });
});

describe("physicalNames", () => {
  test("GIVEN a nested block WHEN read THEN every element's name is checked, with its rule", () => {
    const config = {
      name: "acl",
      rule: [
        { name: "one", visibility_config: [{ metric_name: "m1" }] },
        { name: "two", visibility_config: [{ metric_name: "m2" }] },
      ],
    };
    expect(physicalNames("aws_wafv2_web_acl", config).map(({ rule, name }) => `${rule.attribute}=${name}`)).toEqual([
      "name=acl",
      "rule.name=one",
      "rule.name=two",
      "rule.visibility_config.metric_name=m1",
      "rule.visibility_config.metric_name=m2",
    ]);
  });

  test("GIVEN a name that holds a Terraform reference WHEN read THEN it is left to apply time", () => {
    expect(physicalNames("aws_config_configuration_recorder", { name: "${aws_config_configuration_recorder.x.name}" })).toEqual([]);
  });
});

describe("nameFix", () => {
  test("GIVEN a name built from settings WHEN refused THEN the fix names each setting in it, longest first, with its length", () => {
    const sources = [
      { setting: "project", value: "student-mh-dashboard" },
      { setting: "the environment name", value: "production" },
      { setting: "storage.bucketSuffix", value: "123456789012" },
    ];
    expect(nameFix("student-mh-dashboard-production-alb", sources, "aws_lb")).toBe(
      'shorten or change project "student-mh-dashboard" (20) or the environment name "production" (10)',
    );
  });

  test("GIVEN a name no setting is in WHEN refused THEN the fix points at the code", () => {
    expect(nameFix("permissions", [{ setting: "project", value: "smh" }], "aws_iam_role_policy")).toMatch(/fixed in the construct/);
  });

  test("GIVEN a bucket suffix whose value is also inside the ALB's name WHEN the ALB's name is refused THEN the fix names only the settings the ALB's name is built from", () => {
    // GIVEN an environment's name sources, its bucket suffix "mh" also a part of its project "student-mh-dashboard"
    const sources = environmentNameSources(configOf("dev", { project: "student-mh-dashboard", storage: { bucketSuffix: "mh" } }));
    // WHEN the fix of a refused ALB name and of a refused bucket name are made
    const albFix = nameFix("student-mh-dashboard-dev-alb-name-too-long", sources, "aws_lb");
    const bucketFix = nameFix("student-mh-dashboard-dev-data-us-east-1-mh", sources, "aws_s3_bucket");
    // THEN the ALB's names project and the environment only; the bucket's the suffix too
    expect(albFix).toBe('shorten or change project "student-mh-dashboard" (20) or the environment name "dev" (3)');
    expect(bucketFix).toContain('storage.bucketSuffix "mh" (2)');
  });
});
