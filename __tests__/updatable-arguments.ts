/**
 * One updatable argument per resource type of the stacks: an argument that the AWS provider
 * (5.100.0) changes in place, never with a replacement. terraform.spec changes it on every
 * resource of the type at once and plans that against the stack deployed offline
 * (tools/lib/review/state.ts): each must plan an update, so that the change review never shows an
 * ordinary update as a replace because its offline state lacks what the provider writes on create.
 *
 * Which arguments force a replacement is not in `terraform providers schema -json`; the picks
 * follow the provider's resource documentation (argument references that do not say "Forces new
 * resource") and, for the few below without any such argument, its source.
 */

/** A synthesized resource's configuration (cdk.tf.json), edited in place. */
type Config = Record<string, any>;

/** Every resource of the stack, by type and name, for edits that point at a sibling. */
type Resources = Record<string, Record<string, Config>>;

export interface UpdatableArgument {
  /** The argument (path) that the edit changes. */
  readonly argument: string;
  /** Changes it in `config`; false when this resource has nothing to change it to (it is left alone). */
  readonly change: (config: Config, resources: Resources, name: string) => boolean;
}

const PROBE = "review probe";

const appendText = (key: string): UpdatableArgument => ({
  argument: key,
  change: (c) => {
    c[key] = `${c[key] ?? ""} (${PROBE})`.trim();
    return true;
  },
});
const add = (key: string, by = 1): UpdatableArgument => ({
  argument: key,
  change: (c) => {
    c[key] = Number(c[key] ?? 0) + by;
    return true;
  },
});
const set = (key: string, value: unknown): UpdatableArgument => ({
  argument: key,
  change: (c) => {
    if (JSON.stringify(c[key]) === JSON.stringify(value)) return false;
    c[key] = value;
    return true;
  },
});
const flip = (key: string): UpdatableArgument => ({
  argument: key,
  change: (c) => {
    c[key] = !(c[key] ?? false);
    return true;
  },
});
/** The AWS provider updates tags in place on every resource that has them (TagResource). */
const tags: UpdatableArgument = {
  argument: "tags",
  change: (c) => {
    c.tags = { ...(c.tags ?? {}), ReviewProbe: "1" };
    return true;
  },
};
/** A block that cdktf writes as an object or a one-element list. */
const block = (c: Config, key: string): Config => (Array.isArray(c[key]) ? c[key][0] : c[key]);
/** Changes an argument inside the block named by the first part of `path`. */
const nested = (path: string, change: (b: Config) => void): UpdatableArgument => ({
  argument: path,
  change: (c) => {
    const b = block(c, path.split(".")[0]);
    if (!b) return false;
    change(b);
    return true;
  },
});
/** Points a reference at another resource of the same type (`${aws_x.<other>.attr}`), if there is one. */
const sibling = (key: string, type: string): UpdatableArgument => ({
  argument: key,
  change: (c, resources) => {
    const match = new RegExp(`^\\$\\{${type}\\.([A-Za-z0-9_-]+)\\.([a-z_]+)\\}$`).exec(String(c[key]));
    const other = match && Object.keys(resources[type] ?? {}).find((n) => n !== match[1]);
    if (!match || !other) return false;
    c[key] = `\${${type}.${other}.${match[2]}}`;
    return true;
  },
});
/** Parameter groups change their parameters in place (ModifyDBParameterGroup, ModifyCacheParameterGroup). */
const addParameter = (name: string, value: string): UpdatableArgument => ({
  argument: "parameter",
  change: (c) => {
    c.parameter = [...(c.parameter ?? []), { name, value }];
    return true;
  },
});
const STATIC_POLICY = JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "ReviewProbe", Effect: "Deny", Action: "s3:DeleteBucket", Resource: "*" }] });

/**
 * Resource types with no argument the provider updates in place (each argument forces a new
 * resource), so an edit of them is a replacement by design, not by the offline state.
 */
export const NO_UPDATABLE_ARGUMENT: Record<string, string> = {
  aws_iam_role_policy_attachment: "role and policy_arn both force a new attachment",
  // internal/service/ecr/lifecycle_policy.go: policy and repository are ForceNew (no Update).
  aws_ecr_lifecycle_policy: "policy and repository both force a new policy",
  aws_securityhub_standards_subscription: "standards_arn, its only argument, forces a new subscription",
};

export const UPDATABLE_ARGUMENTS: Record<string, UpdatableArgument> = {
  aws_appautoscaling_policy: nested("step_scaling_policy_configuration.cooldown", (b) => (b.cooldown += 1)),
  // With working hours the schedule owns the range (lifecycle ignore_changes): its tags change instead.
  aws_appautoscaling_target: {
    argument: "max_capacity (tags where the range is ignored)",
    change: (c, resources, name) =>
      ((c.lifecycle?.ignore_changes ?? []) as string[]).includes("max_capacity")
        ? tags.change(c, resources, name)
        : add("max_capacity").change(c, resources, name),
  },
  // internal/service/appautoscaling/scheduled_action.go: schedule, timezone and the action are put again in place.
  aws_appautoscaling_scheduled_action: set("timezone", "UTC"),
  aws_cloudfront_cache_policy: appendText("comment"),
  aws_cloudfront_distribution: appendText("comment"),
  aws_cloudfront_origin_access_control: appendText("description"),
  aws_cloudfront_response_headers_policy: appendText("comment"),
  aws_cloudfront_vpc_origin: nested("vpc_origin_endpoint_config.http_port", (b) => (b.http_port = 8080)),
  aws_cloudtrail: flip("include_global_service_events"),
  aws_cloudwatch_dashboard: {
    argument: "dashboard_body",
    change: (c) => {
      const before = c.dashboard_body;
      c.dashboard_body = String(before).replace('jsonencode({"widgets" =', 'jsonencode({"start" = "-PT6H", "widgets" =');
      return c.dashboard_body !== before;
    },
  },
  aws_cloudwatch_log_delivery: tags,
  aws_cloudwatch_log_delivery_destination: tags,
  aws_cloudwatch_log_delivery_source: tags,
  aws_cloudwatch_log_group: {
    argument: "retention_in_days",
    change: (c) => {
      c.retention_in_days = c.retention_in_days === 400 ? 545 : 400;
      return true;
    },
  },
  aws_cloudwatch_metric_alarm: appendText("alarm_description"),
  aws_config_config_rule: appendText("description"),
  aws_config_configuration_recorder: nested(
    "recording_group.include_global_resource_types",
    (b) => (b.include_global_resource_types = !b.include_global_resource_types),
  ),
  aws_config_configuration_recorder_status: flip("is_enabled"),
  aws_config_delivery_channel: nested(
    "snapshot_delivery_properties.delivery_frequency",
    (b) => (b.delivery_frequency = b.delivery_frequency === "Twelve_Hours" ? "Six_Hours" : "Twelve_Hours"),
  ),
  aws_db_instance: set("backup_window", "01:00-02:00"),
  aws_db_parameter_group: addParameter("log_min_duration_statement", "1000"),
  aws_db_subnet_group: appendText("description"),
  aws_default_security_group: tags,
  aws_ecr_replication_configuration: {
    argument: "replication_configuration.rule.repository_filter.filter",
    change: (c) => {
      const filter = block(block(c, "replication_configuration").rule[0], "repository_filter");
      filter.filter = `${filter.filter}-probe`;
      return true;
    },
  },
  aws_ecr_repository: nested("image_scanning_configuration.scan_on_push", (b) => (b.scan_on_push = !b.scan_on_push)),
  aws_ecs_cluster: {
    argument: "setting",
    change: (c) => {
      c.setting = (c.setting ?? []).map((s: Config) => (s.name === "containerInsights" ? { ...s, value: s.value === "disabled" ? "enabled" : "disabled" } : s));
      return c.setting.length > 0;
    },
  },
  aws_ecs_cluster_capacity_providers: set("default_capacity_provider_strategy", [{ capacity_provider: "FARGATE", weight: 1, base: 1 }]),
  aws_ecs_service: add("health_check_grace_period_seconds"),
  // Every other argument of a task definition forces a new revision.
  aws_ecs_task_definition: tags,
  aws_eip: tags,
  aws_flow_log: tags,
  aws_guardduty_detector: set("finding_publishing_frequency", "ONE_HOUR"),
  aws_guardduty_detector_feature: {
    argument: "additional_configuration.status",
    change: (c) => {
      if (!c.additional_configuration?.length) return false;
      c.additional_configuration = c.additional_configuration.map((a: Config) => ({ ...a, status: a.status === "ENABLED" ? "DISABLED" : "ENABLED" }));
      return true;
    },
  },
  aws_iam_openid_connect_provider: {
    argument: "client_id_list",
    change: (c) => {
      c.client_id_list = [...(c.client_id_list ?? []), "review-probe.example.edu"];
      return true;
    },
  },
  aws_iam_role: set("max_session_duration", 7200),
  aws_iam_policy: set("policy", STATIC_POLICY),
  aws_iam_role_policy: set("policy", STATIC_POLICY),
  aws_internet_gateway: tags,
  aws_kms_alias: sibling("target_key_id", "aws_kms_key"),
  aws_kms_key: appendText("description"),
  aws_lb: add("idle_timeout"),
  aws_lb_listener: {
    argument: "port",
    change: (c) => {
      c.port = c.port + 8000;
      return true;
    },
  },
  aws_lb_target_group: {
    argument: "deregistration_delay",
    change: (c) => {
      c.deregistration_delay = String(Number(c.deregistration_delay ?? 300) + 1);
      return true;
    },
  },
  aws_nat_gateway: tags,
  aws_route: sibling("nat_gateway_id", "aws_nat_gateway"),
  aws_route_table: tags,
  aws_route_table_association: sibling("route_table_id", "aws_route_table"),
  aws_s3_bucket: tags,
  aws_s3_bucket_cors_configuration: {
    argument: "cors_rule.max_age_seconds",
    change: (c) => {
      c.cors_rule = c.cors_rule.map((r: Config) => ({ ...r, max_age_seconds: (r.max_age_seconds ?? 0) + 1 }));
      return true;
    },
  },
  aws_s3_bucket_lifecycle_configuration: {
    argument: "rule.id",
    change: (c) => {
      c.rule = c.rule.map((r: Config, i: number) => (i === 0 ? { ...r, id: `${r.id}-probe` } : r));
      return true;
    },
  },
  aws_s3_bucket_logging: appendText("target_prefix"),
  aws_s3_bucket_notification: flip("eventbridge"),
  aws_s3_bucket_ownership_controls: nested(
    "rule.object_ownership",
    (b) => (b.object_ownership = b.object_ownership === "BucketOwnerPreferred" ? "ObjectWriter" : "BucketOwnerPreferred"),
  ),
  aws_s3_bucket_policy: set("policy", STATIC_POLICY),
  aws_s3_bucket_public_access_block: flip("block_public_acls"),
  aws_s3_account_public_access_block: flip("block_public_acls"),
  aws_s3_bucket_replication_configuration: {
    argument: "rule.status",
    change: (c) => {
      c.rule = c.rule.map((r: Config, i: number) => (i === 0 ? { ...r, status: r.status === "Enabled" ? "Disabled" : "Enabled" } : r));
      return true;
    },
  },
  aws_s3_bucket_server_side_encryption_configuration: {
    argument: "rule.bucket_key_enabled",
    change: (c) => {
      c.rule = c.rule.map((r: Config) => ({ ...r, bucket_key_enabled: !r.bucket_key_enabled }));
      return true;
    },
  },
  aws_s3_bucket_versioning: nested("versioning_configuration.status", (b) => (b.status = b.status === "Enabled" ? "Suspended" : "Enabled")),
  aws_s3_bucket_website_configuration: nested("index_document.suffix", (b) => (b.suffix = "home.html")),
  // UpdateSchedule rewrites a schedule in place; only name and group_name force a new one.
  aws_scheduler_schedule: appendText("description"),
  aws_security_group: tags,
  aws_securityhub_account: set("control_finding_generator", "STANDARD_CONTROL"),
  aws_sns_topic: appendText("display_name"),
  aws_subnet: flip("map_public_ip_on_launch"),
  aws_vpc: flip("enable_dns_hostnames"),
  aws_vpc_endpoint: tags,
  aws_vpc_security_group_egress_rule: appendText("description"),
  aws_vpc_security_group_ingress_rule: appendText("description"),
  aws_wafv2_web_acl: appendText("description"),
  // Aurora and ElastiCache, as their constructs come in.
  aws_rds_cluster: set("preferred_backup_window", "01:00-02:00"),
  aws_rds_cluster_instance: add("promotion_tier"),
  aws_rds_cluster_parameter_group: addParameter("log_min_duration_statement", "1000"),
  aws_rds_global_cluster: flip("deletion_protection"),
  aws_elasticache_replication_group: appendText("description"),
  aws_elasticache_subnet_group: appendText("description"),
  aws_elasticache_parameter_group: addParameter("maxmemory-policy", "allkeys-lru"),
  aws_wafv2_web_acl_logging_configuration: {
    argument: "redacted_fields",
    change: (c) => {
      c.redacted_fields = [...(c.redacted_fields ?? []), { single_header: { name: "x-review-probe" } }];
      return true;
    },
  },
};

/**
 * `stack` (a synthesized cdk.tf.json) with UPDATABLE_ARGUMENTS' edit applied to every resource
 * it fits; returns the edited copy, the addresses edited with their argument, and the types of
 * the stack that have neither an edit nor a NO_UPDATABLE_ARGUMENT entry.
 */
export function withUpdatableArgumentsChanged(stack: { resource?: Resources }): {
  head: { resource: Resources };
  changed: Map<string, string>;
  missing: string[];
} {
  const head = JSON.parse(JSON.stringify(stack));
  const changed = new Map<string, string>();
  const missing: string[] = [];
  for (const [type, resources] of Object.entries(head.resource as Resources)) {
    const edit = UPDATABLE_ARGUMENTS[type];
    if (!edit) {
      if (!(type in NO_UPDATABLE_ARGUMENT)) missing.push(type);
      continue;
    }
    for (const [name, config] of Object.entries(resources)) {
      if (edit.change(config, head.resource, name)) changed.set(`${type}.${name}`, edit.argument);
    }
  }
  return { head, changed, missing };
}

/**
 * The fewest stacks, largest first, that between them hold every resource type of `stacks`, each
 * with the types it is the first to hold.
 */
export function typesCoveredBy(stacks: ReadonlyMap<string, { resource?: Resources }>): Map<string, string[]> {
  const covered = new Set<string>();
  const chosen = new Map<string, string[]>();
  const typesOf = (name: string) => Object.keys(stacks.get(name)?.resource ?? {});
  for (const name of [...stacks.keys()].sort((a, b) => typesOf(b).length - typesOf(a).length)) {
    const fresh = typesOf(name).filter((t) => !covered.has(t));
    if (fresh.length === 0) continue;
    fresh.forEach((t) => covered.add(t));
    chosen.set(name, fresh);
  }
  return chosen;
}
