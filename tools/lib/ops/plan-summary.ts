/**
 * A short Markdown review of one stack's plan (`terraform show -json`): what it adds, the
 * settings an ops reviewer checks, and warnings about anything public or unencrypted.
 */

/** The parts of Terraform's plan JSON this reads. */
export interface PlanJson {
  resource_changes?: {
    address: string;
    mode?: string;
    type: string;
    change: { actions: string[]; after: Record<string, any> | null };
  }[];
  configuration?: { root_module?: { resources?: { address: string; expressions?: Record<string, any> }[] } };
}

interface Change {
  readonly address: string;
  readonly type: string;
  readonly actions: string[];
  readonly after: Record<string, any>;
}

function managedChanges(plan: PlanJson): Change[] {
  return (plan.resource_changes ?? [])
    .filter((rc) => rc.mode !== "data" && !rc.address.startsWith("data."))
    .map((rc) => ({ address: rc.address, type: rc.type, actions: rc.change.actions, after: rc.change.after ?? {} }));
}

/** The addresses a resource's `attribute` refers to, from the plan's configuration section. */
function referencesOf(plan: PlanJson, address: string, attribute: string): string[] {
  const resource = plan.configuration?.root_module?.resources?.find((r) => r.address === address);
  return resource?.expressions?.[attribute]?.references ?? [];
}

const table = (header: string[], rows: (string | number)[][]): string[] =>
  rows.length === 0 ? ["(none)"] : [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.join(" | ")} |`)];

/** Counts of planned actions by resource type: `{ aws_s3_bucket: { create: 6 } }`. */
export function countsByType(plan: PlanJson): Record<string, Record<string, number>> {
  const counts: Record<string, Record<string, number>> = {};
  for (const change of managedChanges(plan)) {
    const action = change.actions.join("/");
    counts[change.type] ??= {};
    counts[change.type][action] = (counts[change.type][action] ?? 0) + 1;
  }
  return counts;
}

/** Everything public or unencrypted that the plan creates, one sentence each. */
export function planWarnings(plan: PlanJson): string[] {
  const changes = managedChanges(plan);
  const ofType = (type: string) => changes.filter((c) => c.type === type);
  const warnings: string[] = [];
  for (const lb of ofType("aws_lb").filter((c) => c.after.internal === false)) {
    warnings.push(`public: ${lb.address} is internet-facing`);
  }
  for (const cdn of ofType("aws_cloudfront_distribution")) {
    const certificate = cdn.after.viewer_certificate?.[0] ?? {};
    warnings.push(
      `public: ${cdn.address} serves the internet${certificate.cloudfront_default_certificate ? " on the default certificate (viewers may use TLS 1.0)" : ""}`,
    );
  }
  for (const rule of ofType("aws_vpc_security_group_ingress_rule").filter((c) => ["0.0.0.0/0", "::/0"].includes(c.after.cidr_ipv4 ?? c.after.cidr_ipv6))) {
    warnings.push(`public: ${rule.address} admits port ${rule.after.from_port} from anywhere`);
  }
  for (const listener of ofType("aws_lb_listener").filter((c) => c.after.protocol === "HTTP")) {
    const redirects = (listener.after.default_action ?? []).some((a: any) => a.type === "redirect");
    if (!redirects) warnings.push(`unencrypted in transit: ${listener.address} serves HTTP on port ${listener.after.port} without redirecting to HTTPS`);
  }
  const encryptedBuckets = new Set(ofType("aws_s3_bucket_server_side_encryption_configuration").flatMap((c) => referencesOf(plan, c.address, "bucket")));
  for (const bucket of ofType("aws_s3_bucket").filter((c) => !encryptedBuckets.has(c.address))) {
    warnings.push(`unencrypted: ${bucket.address} has no server-side encryption configuration`);
  }
  for (const db of ofType("aws_db_instance").filter((c) => c.after.storage_encrypted !== true)) {
    warnings.push(`unencrypted: ${db.address} storage is not encrypted`);
  }
  for (const topic of ofType("aws_sns_topic").filter((c) => !c.after.kms_master_key_id && referencesOf(plan, c.address, "kms_master_key_id").length === 0)) {
    warnings.push(`unencrypted: ${topic.address} has no KMS key`);
  }
  return warnings;
}

/** The Markdown summary of one stack's plan. */
export function summarizePlan(stack: string, plan: PlanJson): string {
  const changes = managedChanges(plan);
  const ofType = (type: string) => changes.filter((c) => c.type === type);
  const counts = countsByType(plan);
  const lines: string[] = [`# Plan of stack \`${stack}\``, ""];
  const byAction: Record<string, number> = {};
  for (const c of changes) byAction[c.actions.join("/")] = (byAction[c.actions.join("/")] ?? 0) + 1;
  lines.push(
    `Resources: ${
      Object.entries(byAction)
        .map(([a, n]) => `${n} to ${a}`)
        .join(", ") || "no changes"
    }.`,
    "",
  );

  lines.push("## Resources by type", "");
  lines.push(
    ...table(
      ["Type", "Actions"],
      Object.entries(counts)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([type, actions]) => [
          type,
          Object.entries(actions)
            .map(([a, n]) => `${n} ${a}`)
            .join(", "),
        ]),
    ),
    "",
  );

  lines.push("## Key settings", "");
  const vpcs = ofType("aws_vpc");
  const subnets = ofType("aws_subnet");
  if (vpcs.length > 0) {
    lines.push("### Network", "");
    lines.push(
      ...table(
        ["Resource", "CIDR", "Zone"],
        [...vpcs, ...subnets].map((c) => [c.address, c.after.cidr_block, c.after.availability_zone ?? ""]),
      ),
    );
    lines.push(
      "",
      `NAT gateways: ${ofType("aws_nat_gateway").length}; VPC endpoints: ${
        ofType("aws_vpc_endpoint")
          .map((c) => c.after.service_name)
          .join(", ") || "none"
      }.`,
      "",
    );
  }
  const tasks = ofType("aws_ecs_task_definition");
  if (tasks.length > 0) {
    lines.push("### Compute", "");
    const scaling = ofType("aws_appautoscaling_target");
    lines.push(
      ...table(
        ["Resource", "Setting"],
        [
          ...tasks.map((t) => [t.address, `${t.after.cpu} CPU units, ${t.after.memory} MiB, ${t.after.network_mode}`]),
          ...ofType("aws_ecs_service").map((s) => [s.address, `desired ${s.after.desired_count}, grace ${s.after.health_check_grace_period_seconds} s`]),
          ...scaling.map((s) => [s.address, `${s.after.min_capacity}..${s.after.max_capacity} tasks`]),
        ],
      ),
      "",
    );
  }
  const listeners = ofType("aws_lb_listener");
  if (listeners.length > 0) {
    lines.push("### Load balancing", "");
    lines.push(
      ...table(
        ["Resource", "Setting"],
        [
          ...ofType("aws_lb").map((l) => [
            l.address,
            `${l.after.internal ? "internal" : "internet-facing"}, deletion protection ${l.after.enable_deletion_protection}, idle ${l.after.idle_timeout} s`,
          ]),
          ...listeners.map((l) => [
            l.address,
            `${l.after.protocol} ${l.after.port}${l.after.ssl_policy ? ` (${l.after.ssl_policy})` : ""} -> ${(l.after.default_action ?? []).map((a: any) => a.type).join(", ")}`,
          ]),
        ],
      ),
      "",
    );
  }
  const alarms = ofType("aws_cloudwatch_metric_alarm");
  if (alarms.length > 0) {
    lines.push("### Alarms", "");
    lines.push(
      ...table(
        ["Alarm", "Metric", "Condition", "Window"],
        alarms.map((a) => [
          a.after.alarm_name ?? a.address,
          a.after.metric_name ??
            (a.after.metric_query ?? [])
              .map((q: any) => q.expression)
              .filter(Boolean)
              .join(" "),
          `${a.after.comparison_operator} ${a.after.threshold}`,
          `${a.after.evaluation_periods} x ${a.after.period ?? (a.after.metric_query ?? []).find((q: any) => q.metric?.length)?.metric?.[0]?.period ?? "?"} s`,
        ]),
      ),
      "",
    );
  }
  const encryption = ofType("aws_s3_bucket_server_side_encryption_configuration");
  const databases = ofType("aws_db_instance");
  if (encryption.length > 0 || databases.length > 0) {
    lines.push("### Data protection", "");
    lines.push(
      ...table(
        ["Resource", "Setting"],
        [
          ...encryption.map((e) => [
            referencesOf(plan, e.address, "bucket").find((r) => r.split(".").length === 2) ?? e.address,
            `SSE ${e.after.rule?.[0]?.apply_server_side_encryption_by_default?.[0]?.sse_algorithm}`,
          ]),
          ...ofType("aws_s3_bucket").map((b) => [b.address, `force_destroy ${b.after.force_destroy}`]),
          ...databases.map((d) => [
            d.address,
            `${d.after.engine} ${d.after.engine_version} ${d.after.instance_class}, encrypted ${d.after.storage_encrypted}, multi-AZ ${d.after.multi_az}, backups ${d.after.backup_retention_period} days, deletion protection ${d.after.deletion_protection}`,
          ]),
        ],
      ),
      "",
    );
  }

  lines.push("## Warnings", "");
  const warnings = planWarnings(plan);
  lines.push(...(warnings.length > 0 ? warnings.map((w) => `- ${w}`) : ["(none)"]), "");
  return lines.join("\n");
}
