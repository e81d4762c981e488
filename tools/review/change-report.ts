/**
 * What a change does to a deployed stack, read from the plan of the change against the deployed
 * base (deployed.ts): counts by action, every change with the attributes that cause it, and
 * flags for ops: data at risk, exposure, availability.
 */
import type { DeployedBase, ResourceChange, ReviewPlan } from "./deployed";

export type Action = "create" | "update" | "replace" | "destroy" | "move" | "no-op";

export interface Change {
  readonly address: string;
  /** The address before a `moved` block renamed it. */
  readonly previousAddress?: string;
  readonly type: string;
  readonly action: Action;
  /** Top-level attributes whose value changes (or becomes unknown until apply). */
  readonly attributes: string[];
  /** For a replace: the attribute paths that force it, as the provider reports them. */
  readonly replacedBy: string[];
  /**
   * Attributes Terraform shows as known only after apply because it defers a data source read
   * (a policy document) whose inputs are unchanged: the same value, re-read at apply.
   */
  readonly rereadAtApply: string[];
}

export type FlagKind = "data at risk" | "exposure" | "availability";

export interface Flag {
  readonly kind: FlagKind;
  readonly address: string;
  /** The attribute (path) that causes it, or `(resource)` for a whole-resource action. */
  readonly attribute: string;
  readonly detail: string;
}

export interface StackChange {
  readonly stack: string;
  readonly counts: Record<Action, number>;
  /** Every change except no-ops. */
  readonly changes: Change[];
  readonly flags: Flag[];
  /** Addresses whose values cannot round-trip offline (their changes are left out), and why. */
  readonly unverifiable: string[];
}

/** Resource types that hold data: replacing or destroying one loses it. */
export const DATA_TYPES: Record<string, string> = {
  aws_db_instance: "database instance",
  aws_rds_cluster: "database cluster",
  aws_s3_bucket: "bucket",
  aws_kms_key: "encryption key (data encrypted with it becomes unreadable)",
  aws_cloudwatch_log_group: "log group",
  aws_ecr_repository: "image repository",
  aws_secretsmanager_secret: "secret",
  aws_dynamodb_table: "table",
  aws_efs_file_system: "file system",
  aws_backup_vault: "backup vault",
};

const pathText = (path: (string | number)[]): string =>
  path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");

function actionOf(rc: ResourceChange): Action {
  const actions = rc.change.actions.join();
  if (actions === "create") return "create";
  if (actions === "delete") return "destroy";
  if (actions === "delete,create" || actions === "create,delete") return "replace";
  if (actions === "update") return "update";
  return rc.previous_address ? "move" : "no-op";
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function changedAttributes(rc: ResourceChange): string[] {
  const before = rc.change.before ?? {};
  const after = rc.change.after ?? {};
  const unknown = rc.change.after_unknown ?? {};
  // A replacement makes every computed value unknown; only known differences explain it.
  const replacing = rc.change.actions.includes("delete") && rc.change.actions.includes("create");
  return [...new Set([...Object.keys(before), ...Object.keys(after), ...Object.keys(unknown)])]
    .filter((k) => (unknown[k] === true ? !replacing : !same(canonical(before[k]), canonical(after[k]))))
    .sort();
}

/** The changes of a plan, with the counts of each action. */
export function changesOf(plan: ReviewPlan, deferredOf = new Map<ResourceChange, string[]>()): { counts: Record<Action, number>; changes: Change[] } {
  const counts: Record<Action, number> = { create: 0, update: 0, replace: 0, destroy: 0, move: 0, "no-op": 0 };
  const changes: Change[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== "managed") continue;
    const action = actionOf(rc);
    counts[action] += 1;
    if (rc.previous_address && action !== "move") counts.move += 1;
    if (action === "no-op") continue;
    changes.push({
      address: rc.address,
      ...(rc.previous_address ? { previousAddress: rc.previous_address } : {}),
      type: rc.type,
      action,
      attributes: action === "create" || action === "destroy" || action === "move" ? [] : changedAttributes(rc),
      replacedBy: (rc.change.replace_paths ?? []).map(pathText),
      rereadAtApply: deferredOf.get(rc) ?? [],
    });
  }
  return { counts, changes };
}

// ---------------------------------------------------------------- policy documents

interface Grant {
  readonly effect: string;
  readonly action: string;
  readonly resource: string;
  readonly principal: string;
}

const list = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

function principals(p: unknown): string[] {
  if (p === undefined) return ["-"];
  if (typeof p === "string") return [p];
  return Object.entries(p as Record<string, unknown>).flatMap(([kind, ids]) => list(ids).map((id) => `${kind}:${id}`));
}

/** Each (effect, action, resource, principal) a policy document names, conditions folded in. */
export function grantsOf(policy: unknown): Grant[] {
  if (typeof policy !== "string" || policy === "") return [];
  let doc: { Statement?: unknown };
  try {
    doc = JSON.parse(policy);
  } catch {
    return [];
  }
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  return statements.flatMap((s: any) => {
    const condition = s.Condition ? ` if ${JSON.stringify(s.Condition)}` : "";
    const actions = s.Action !== undefined ? list(s.Action) : list(s.NotAction).map((a) => `NOT ${a}`);
    const resources = s.Resource !== undefined ? list(s.Resource) : s.NotResource !== undefined ? list(s.NotResource).map((r) => `NOT ${r}`) : ["-"];
    return actions.flatMap((action) =>
      resources.flatMap((resource) => principals(s.Principal ?? s.NotPrincipal).map((principal) => ({ effect: s.Effect, action, resource, principal: `${principal}${condition}` }))),
    );
  });
}

const grantText = (g: Grant) => `${g.action} on ${g.resource}${g.principal === "-" ? "" : ` for ${g.principal}`}`;

/** Allows that `after` has and `before` lacks, and Denies that `before` has and `after` lacks. */
function loosening(before: unknown, after: unknown): string[] {
  const key = (g: Grant) => JSON.stringify(g);
  const was = new Set(grantsOf(before).map(key));
  const now = new Set(grantsOf(after).map(key));
  const added = grantsOf(after).filter((g) => g.effect === "Allow" && !was.has(key(g))).map((g) => `allows ${grantText(g)}`);
  const removed = grantsOf(before).filter((g) => g.effect === "Deny" && !now.has(key(g))).map((g) => `no longer denies ${grantText(g)}`);
  return [...new Set([...added, ...removed])];
}

// ---------------------------------------------------------------- flags

/** Above this many new grants in one policy, the report says how many instead of listing each. */
export const MAX_GRANT_FLAGS = 12;

const OPEN_CIDRS = ["0.0.0.0/0", "::/0"];
const POLICY_ATTRIBUTES: Record<string, string[]> = {
  aws_iam_role_policy: ["policy"],
  aws_iam_policy: ["policy"],
  aws_iam_role: ["assume_role_policy"],
  aws_s3_bucket_policy: ["policy"],
  aws_kms_key: ["policy"],
  aws_sns_topic_policy: ["policy"],
  aws_ecr_repository_policy: ["policy"],
  aws_secretsmanager_secret_policy: ["policy"],
  aws_cloudwatch_log_resource_policy: ["policy_document"],
};
/** Attributes that carry encryption: losing a value (or `true`) removes encryption. */
const ENCRYPTION_ATTRIBUTES = ["kms_key_id", "kms_master_key_id", "kms_key_arn", "storage_encrypted", "encrypted", "performance_insights_kms_key_id"];

function flagsOf(rc: ResourceChange, action: Action): Flag[] {
  const flags: Flag[] = [];
  const flag = (kind: FlagKind, attribute: string, detail: string) => flags.push({ kind, address: rc.address, attribute, detail });
  const before = rc.change.before ?? {};
  const after = rc.change.after ?? {};
  const unknown = rc.change.after_unknown ?? {};
  const replacedBy = (rc.change.replace_paths ?? []).map(pathText);
  const changed = (k: string) => action !== "create" && action !== "destroy" && (unknown[k] === true || !same(before[k], after[k]));
  const lowered = (k: string) => typeof before[k] === "number" && typeof after[k] === "number" && after[k] < before[k];

  // data at risk
  const dataKind = DATA_TYPES[rc.type];
  if (dataKind && (action === "replace" || action === "destroy")) {
    const worthy = rc.type !== "aws_cloudwatch_log_group" || (before.retention_in_days ?? 0) !== 1;
    if (worthy) {
      flag(
        "data at risk",
        action === "replace" ? replacedBy.join(", ") || "(resource)" : "(resource)",
        action === "replace"
          ? `the ${dataKind} is replaced: destroyed and created empty (forced by ${replacedBy.join(", ") || "the provider"})`
          : `the ${dataKind} is destroyed${rc.previous_address ? "" : " (removed or renamed without a moved block)"}`,
      );
    }
  }
  if (action === "update") {
    if (before.deletion_protection === true && after.deletion_protection === false) flag("data at risk", "deletion_protection", "deletion protection is turned off");
    if (before.force_destroy === false && after.force_destroy === true) flag("data at risk", "force_destroy", "a destroy would now delete every object");
    if (before.skip_final_snapshot === false && after.skip_final_snapshot === true) flag("data at risk", "skip_final_snapshot", "a destroy would now take no final snapshot");
    for (const k of ["retention_in_days", "backup_retention_period"]) {
      if (lowered(k) && after[k] !== 0) flag("data at risk", k, `retention shortens from ${before[k]} to ${after[k]} days: older data is deleted`);
      if (before[k] > 0 && after[k] === 0 && k === "backup_retention_period") flag("data at risk", k, "automated backups are turned off");
    }
  }

  // exposure
  if (rc.type === "aws_vpc_security_group_ingress_rule" || rc.type === "aws_vpc_security_group_egress_rule") {
    const direction = rc.type.endsWith("ingress_rule") ? "ingress" : "egress";
    const source = after.cidr_ipv4 ?? after.cidr_ipv6 ?? after.referenced_security_group_id ?? after.prefix_list_id ?? "?";
    const ports = after.from_port === after.to_port ? `port ${after.from_port}` : `ports ${after.from_port}-${after.to_port}`;
    const opens = action === "create" || action === "replace" || ["cidr_ipv4", "cidr_ipv6", "from_port", "to_port", "ip_protocol", "referenced_security_group_id", "prefix_list_id"].some(changed);
    if (opens && action !== "destroy" && (direction === "ingress" || OPEN_CIDRS.includes(source))) {
      flag(
        "exposure",
        action === "create" ? "(resource)" : ["cidr_ipv4", "cidr_ipv6", "from_port", "to_port", "ip_protocol", "referenced_security_group_id", "prefix_list_id"].filter(changed).join(", ") || "(resource)",
        `${direction} ${ports} (${after.ip_protocol}) ${direction === "ingress" ? "from" : "to"} ${source}${OPEN_CIDRS.includes(source) ? ": the whole internet" : ""}`,
      );
    }
  }
  if (rc.type === "aws_lb" && after.internal === false && (action === "create" || before.internal === true)) {
    flag("exposure", "internal", "the load balancer is internet-facing");
  }
  if (rc.type === "aws_lb_listener" && after.protocol === "HTTP" && (action === "create" || before.protocol === "HTTPS")) {
    const redirects = (after.default_action ?? []).some((a: any) => a.type === "redirect");
    if (!redirects) flag("exposure", "protocol", `plain HTTP on port ${after.port} without a redirect to HTTPS`);
  }
  if (rc.type === "aws_cloudfront_distribution" && action !== "destroy") {
    const behaviours = [...(after.default_cache_behavior ?? []), ...(after.ordered_cache_behavior ?? [])];
    const wasAllowAll = [...(before.default_cache_behavior ?? []), ...(before.ordered_cache_behavior ?? [])].some((b: any) => b.viewer_protocol_policy === "allow-all");
    if (behaviours.some((b: any) => b.viewer_protocol_policy === "allow-all") && !wasAllowAll) flag("exposure", "viewer_protocol_policy", "viewers may use plain HTTP");
    if (before.web_acl_id && !after.web_acl_id && unknown.web_acl_id !== true) flag("exposure", "web_acl_id", "the web ACL is removed");
  }
  if (rc.type === "aws_s3_bucket_public_access_block") {
    const keys = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];
    if (action === "destroy") flag("exposure", "(resource)", "the bucket's public access block is removed");
    else for (const k of keys.filter((k) => before[k] === true && after[k] === false)) flag("exposure", k, `${k} is turned off`);
  }
  for (const attribute of POLICY_ATTRIBUTES[rc.type] ?? []) {
    if (action === "destroy" || (!changed(attribute) && action !== "create")) continue;
    if (unknown[attribute] === true) {
      flag("exposure", attribute, "the policy is only known after apply: review it in the real plan");
      continue;
    }
    const loosened = loosening(action === "create" ? undefined : before[attribute], after[attribute]);
    if (action === "create" && rc.type !== "aws_iam_role_policy" && rc.type !== "aws_iam_policy") continue;
    // A whole new policy would list hundreds of pairs: past a screenful, one line says how many.
    if (loosened.length > MAX_GRANT_FLAGS) {
      flag("exposure", attribute, `${loosened.length} new grants, e.g. ${loosened.slice(0, 3).join("; ")}: read the policy in the plan`);
    } else {
      for (const detail of loosened) flag("exposure", attribute, detail);
    }
  }
  if (rc.type === "aws_iam_role_policy_attachment" && (action === "create" || changed("policy_arn"))) {
    flag("exposure", "policy_arn", `attaches ${after.policy_arn} to ${after.role}`);
  }
  if (action === "update" || action === "replace") {
    for (const k of ENCRYPTION_ATTRIBUTES) {
      if ((before[k] === true || (typeof before[k] === "string" && before[k] !== "")) && (after[k] === null || after[k] === false || after[k] === "") && unknown[k] !== true) {
        flag("exposure", k, "encryption is removed");
      }
    }
  }
  if (rc.type === "aws_s3_bucket_server_side_encryption_configuration" && action === "destroy") flag("exposure", "(resource)", "the bucket's default encryption is removed");

  // availability
  if (rc.type === "aws_ecs_service") {
    if (action === "replace" || action === "destroy") flag("availability", replacedBy.join(", ") || "(resource)", `the service is ${action === "replace" ? "replaced: every task stops" : "destroyed"}`);
    else if (action === "update" && changed("task_definition")) flag("availability", "task_definition", "a new task definition: the service rolls every task");
    if (lowered("desired_count")) flag("availability", "desired_count", `desired tasks drop from ${before.desired_count} to ${after.desired_count}`);
  }
  if (["aws_lb", "aws_lb_listener", "aws_lb_target_group", "aws_cloudfront_distribution"].includes(rc.type) && (action === "replace" || action === "destroy")) {
    flag("availability", replacedBy.join(", ") || "(resource)", `${rc.type.replace("aws_", "")} is ${action === "replace" ? "replaced (requests fail until the new one is ready; its DNS name changes)" : "destroyed"}`);
  }
  if (rc.type === "aws_appautoscaling_target") {
    for (const k of ["min_capacity", "max_capacity"]) if (lowered(k)) flag("availability", k, `${k} drops from ${before[k]} to ${after[k]}`);
  }
  if (["aws_rds_cluster_instance", "aws_elasticache_replication_group"].includes(rc.type) && (action === "replace" || action === "destroy")) {
    flag("availability", replacedBy.join(", ") || "(resource)", `${rc.type === "aws_rds_cluster_instance" ? "an Aurora instance" : "the cache"} is ${action === "replace" ? "replaced: it is unavailable until the new one is ready" : "destroyed"}`);
  }
  if (rc.type === "aws_rds_cluster_instance" && action === "update" && changed("instance_class")) {
    flag("availability", "instance_class", `instance_class changes (${JSON.stringify(before.instance_class)} -> ${JSON.stringify(after.instance_class)}): the instance restarts in its maintenance window`);
  }
  if (rc.type === "aws_db_instance" && action === "update") {
    for (const k of ["instance_class", "engine_version", "multi_az", "allocated_storage"].filter(changed)) {
      flag("availability", k, `${k} changes (${JSON.stringify(before[k])} -> ${unknown[k] === true ? "known after apply" : JSON.stringify(after[k])}): the database restarts or fails over in its maintenance window`);
    }
  }
  return flags;
}

/**
 * Drops nulls, empty strings and empty lists (a planned read writes `null` where the read value
 * has `[]` or `""`) and
 * sorts lists (a read returns set blocks, such as a statement's conditions, in hash order).
 */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.length === 0 ? undefined : value.map(canonical).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value).map(([k, v]) => [k, canonical(v)] as const).filter(([, v]) => v !== undefined);
    return Object.fromEntries(entries);
  }
  // An unset optional string reads back as "" (a statement's sid).
  return value === null || value === "" ? undefined : value;
}

/**
 * A data source's inputs: what a read is computed from, not its outputs. A policy document's
 * `version` left unset reads as its default, "2012-10-17".
 */
function inputsOf(values: Record<string, unknown> | null): string {
  const { id: _id, json: _json, minified_json: _minified, ...inputs } = values ?? {};
  if (inputs.version === "2012-10-17") delete inputs.version;
  return JSON.stringify(canonical(inputs));
}
const hasUnknown = (marker: unknown): boolean =>
  marker === true || (Array.isArray(marker) ? marker.some(hasUnknown) : !!marker && typeof marker === "object" && Object.values(marker).some(hasUnknown));

/**
 * Attributes (`address.attribute`) that the plan shows as known only after apply because
 * Terraform defers reading a data source that depends on a resource with changes pending, while
 * every input of that data source (a policy document's statements) is what the base read. The
 * provider computes the same value from the same inputs, so these are not changes of substance.
 */
function deferredButSame(plan: ReviewPlan, base: ReviewPlan | undefined): Set<string> {
  // Data sources read while planning the base are in its prior state, with their values.
  const baseReads = new Map(
    (base?.prior_state?.values?.root_module?.resources ?? []).filter((r) => r.mode === "data").map((r) => [r.address, r.values]),
  );
  const same = new Set(
    (plan.resource_changes ?? [])
      .filter((rc) => rc.mode === "data" && rc.change.actions.join() === "read")
      .filter((rc) => {
        const before = baseReads.get(rc.address);
        const { id: _i, json: _j, minified_json: _m, ...unknownInputs } = rc.change.after_unknown ?? {};
        return before !== undefined && !hasUnknown(unknownInputs) && inputsOf(before) === inputsOf(rc.change.after);
      })
      .map((rc) => rc.address),
  );
  const result = new Set<string>();
  const configuration = (plan as { configuration?: { root_module?: { resources?: { address: string; expressions?: Record<string, { references?: string[] }> }[] } } }).configuration;
  for (const resource of configuration?.root_module?.resources ?? []) {
    for (const [attribute, expression] of Object.entries(resource.expressions ?? {})) {
      const refs = expression.references ?? [];
      const dataRefs = refs.filter((r) => r.startsWith("data.")).map((r) => r.split(".").slice(0, 3).join("."));
      const otherRefs = refs.filter((r) => !r.startsWith("data."));
      if (dataRefs.length > 0 && otherRefs.length === 0 && dataRefs.every((d) => same.has(d))) result.add(`${resource.address}.${attribute}`);
    }
  }
  return result;
}

/**
 * A new Aurora cluster that neither replicates the stack's existing RDS instance nor joins a
 * global database starts empty: the instance's data does not move by itself, and tasks pointed
 * at the cluster would see none of it. The reviewed path replicates first (docs/operations.md,
 * "Moving to Aurora"); anything else needs an acknowledgement.
 */
function emptyAuroraFlags(changes: readonly ResourceChange[]): Flag[] {
  const existing = changes.filter((rc) => rc.mode === "managed" && rc.type === "aws_db_instance" && ["no-op", "update"].includes(actionOf(rc)));
  if (existing.length === 0) return [];
  return changes
    .filter((rc) => rc.mode === "managed" && rc.type === "aws_rds_cluster" && actionOf(rc) === "create")
    .filter((rc) => !rc.change.after?.replication_source_identifier && !rc.change.after?.global_cluster_identifier)
    .map((rc) => ({
      kind: "data at risk" as const,
      address: rc.address,
      attribute: "replication_source_identifier",
      detail: `a new, empty Aurora cluster beside the existing ${existing.map((e) => e.address).join(", ")}: the instance's data does not move by itself. Move it with \`npm run migrate\` (docs/operations.md, "Moving to Aurora"), or acknowledge that the cluster starts empty`,
    }));
}

/** Reads the plan of a change against its deployed base (undefined for a new stack). */
export function reviewChange(stack: string, plan: ReviewPlan, base?: Pick<DeployedBase, "residual" | "plan">): StackChange {
  const residual = base?.residual ?? [];
  const unverifiable = new Map(residual.map((r) => [r.address, r]));
  const deferred = deferredButSame(plan, base?.plan);
  const kept: ResourceChange[] = [];
  const deferredOf = new Map<ResourceChange, string[]>();
  for (const rc of plan.resource_changes ?? []) {
    const noise = unverifiable.get(rc.address);
    // A change that equals what the unchanged base already planned is an offline artefact.
    if (noise && same(noise.change.actions, rc.change.actions) && same(noise.change.after, rc.change.after)) continue;
    const { change, reread } = withoutDeferred(rc, deferred);
    kept.push(change);
    if (reread.length > 0) deferredOf.set(change, reread);
  }
  const filtered: ReviewPlan = { ...plan, resource_changes: kept };
  const { counts, changes } = changesOf(filtered, deferredOf);
  const flags = [...kept.filter((rc) => rc.mode === "managed").flatMap((rc) => flagsOf(rc, actionOf(rc))), ...emptyAuroraFlags(kept)];
  return {
    stack,
    counts,
    changes,
    flags,
    unverifiable: residual.map((r) => `${r.address}: the unchanged base still plans ${r.change.actions.join("/")} (${changedAttributes(r).join(", ") || "no visible attribute"})`),
  };
}

/**
 * The change with the deferred-but-same attributes given their base value, so that neither the
 * change list nor the flags count them; the update itself stays (Terraform does plan it).
 */
function withoutDeferred(rc: ResourceChange, deferred: Set<string>): { change: ResourceChange; reread: string[] } {
  const keys = Object.keys(rc.change.after_unknown ?? {}).filter((k) => rc.change.after_unknown[k] === true && deferred.has(`${rc.address}.${k}`));
  if (keys.length === 0 || !rc.change.before) return { change: rc, reread: [] };
  const after = { ...rc.change.after };
  const afterUnknown = { ...rc.change.after_unknown };
  for (const k of keys) {
    after[k] = rc.change.before[k];
    delete afterUnknown[k];
  }
  return { change: { ...rc, change: { ...rc.change, after, after_unknown: afterUnknown } }, reread: keys };
}

// ---------------------------------------------------------------- report

const ACTION_ORDER: Action[] = ["create", "update", "replace", "destroy", "move", "no-op"];

/** One line of counts: `create 0, update 1, replace 0, destroy 0, move 0, no-op 95`. */
export const countsLine = (c: Record<Action, number>) => ACTION_ORDER.map((a) => `${a} ${c[a]}`).join(", ");

/** The Markdown report of one stack (review/<stack>/change.md). */
export function renderStackChange(change: StackChange, heading = `Change review of stack \`${change.stack}\``): string {
  const lines = [`# ${heading}`, "", `Resources: ${countsLine(change.counts)}.`, ""];
  lines.push("## Flags", "");
  if (change.flags.length === 0) lines.push("(none)");
  for (const kind of ["data at risk", "exposure", "availability"] as FlagKind[]) {
    for (const f of change.flags.filter((f) => f.kind === kind)) lines.push(`- **${kind}**: \`${f.address}\` (${f.attribute}): ${f.detail}`);
  }
  lines.push("", "## Changes", "");
  if (change.changes.length === 0) lines.push("(none)");
  else {
    lines.push("| Action | Address | Caused by |", "|---|---|---|");
    for (const c of change.changes) {
      const cause =
        c.action === "replace"
          ? `forces replacement: ${c.replacedBy.join(", ") || "?"}; changes: ${c.attributes.join(", ")}`
          : c.action === "move"
            ? `moved from \`${c.previousAddress}\``
            : [
                ...(c.previousAddress ? [`moved from \`${c.previousAddress}\``] : []),
                ...(c.attributes.length > 0 ? [c.attributes.join(", ")] : []),
                ...(c.rereadAtApply.length > 0 ? [`${c.rereadAtApply.join(", ")} re-read at apply from unchanged inputs`] : []),
              ].join("; ");
      lines.push(`| ${c.action} | \`${c.address}\` | ${cause} |`);
    }
  }
  if (change.unverifiable.length > 0) {
    lines.push("", "## Not verifiable offline", "", ...change.unverifiable.map((u) => `- ${u}`));
  }
  return `${lines.join("\n")}\n`;
}
