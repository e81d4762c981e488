/**
 * The change review's flag rules: each one small function with an id, the kind of flag it raises
 * and a line saying when (docs/change-review.md's table is generated from RULES). A rule reads one
 * resource change of the plan, with what the rest of the plan and the configurations say about
 * it; the gate (acknowledgements.ts) fails on any unacknowledged "data at risk" or "refused" flag.
 *
 * An offline plan is not AWS: where AWS refuses or deletes something that the plan shows as an
 * ordinary update, the rule says so and cites the source.
 */
import { MAJOR_UPGRADE_SETTING } from "../../../src/config/engines";
import type { ResourceChange } from "../terraform/plan-json";
import type { Reference } from "./configuration";

export type Action = "create" | "update" | "replace" | "destroy" | "move" | "no-op";

export function actionOf(rc: ResourceChange): Action {
  const actions = rc.change.actions.join();
  if (actions === "create") return "create";
  if (actions === "delete") return "destroy";
  if (actions === "delete,create" || actions === "create,delete") return "replace";
  if (actions === "update") return "update";
  return rc.previous_address ? "move" : "no-op";
}

/**
 * "refused": AWS will not make the change, so the apply fails there, with whatever it changed
 * before left as it is; a plan shows none of this.
 */
export type FlagKind = "refused" | "data at risk" | "exposure" | "availability";

/** The kinds the gate fails on unless acknowledged, and the order reports list kinds in. */
export const BLOCKING_KINDS: readonly FlagKind[] = ["refused", "data at risk"];
export const KIND_ORDER: readonly FlagKind[] = ["refused", "data at risk", "exposure", "availability"];

/** What a rule finds on one resource: the attribute, its value before and after, and what it means. */
export interface Finding {
  /** The attribute (path) that causes it, or `(resource)` for a whole-resource action. */
  readonly attribute: string;
  /** The value before and after (UNKNOWN when only apply knows it): what an acknowledgement accepts. */
  readonly from: unknown;
  readonly to: unknown;
  /** In words, for ops: what happens, and to what. */
  readonly detail: string;
  /** The rule's own kind unless said here (a rule may raise a flag of each of its kinds). */
  readonly kind?: FlagKind;
  /**
   * The detail says nothing of this resource in particular (a value only apply knows): a stack
   * prints it in full once, and each later flag with the same words refers to the first.
   */
  readonly sayOnce?: boolean;
}

/** How the plan shows a value that only apply will know. */
export const UNKNOWN = "(known after apply)";

/** What the rules know of the whole plan besides the resource they look at. */
export interface PlanView {
  /** Every managed resource change of the plan (no-ops included), by address. */
  readonly changes: ReadonlyMap<string, ResourceChange>;
  /** References between resources in the deployed (base) configuration, changed or not. */
  readonly baseReferences: readonly Reference[];
  /** References in the planned (working tree) configuration. */
  readonly headReferences: readonly Reference[];
  /** Resources whose planned configuration sets prevent_destroy (lifted for the review's plan). */
  readonly preventDestroy: ReadonlySet<string>;
  /** Read replicas of a database anywhere in the review (`prod-dr: aws_db_instance.replica`), by source identifier. */
  readonly replicas: ReadonlyMap<string, readonly string[]>;
}

/** One resource change as the rules read it. */
export interface Subject {
  readonly rc: ResourceChange;
  readonly address: string;
  readonly type: string;
  readonly action: Action;
  readonly before: Record<string, any>;
  readonly after: Record<string, any>;
  readonly unknown: Record<string, any>;
  /** The attribute paths that force a replacement, as the provider reports them. */
  readonly replacedBy: string[];
  readonly plan: PlanView;
}

export interface Rule {
  /** Stable id: acknowledgements and docs name it. */
  readonly id: string;
  /** The kinds of flag it raises; a finding is of the first unless it says otherwise. */
  readonly kinds: readonly FlagKind[];
  /** When it is raised, one line (docs/change-review.md). */
  readonly raisedFor: string;
  readonly check: (subject: Subject) => Finding[];
}

// ---------------------------------------------------------------- helpers

export const pathText = (path: (string | number)[]): string => path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const at = (value: any, path: (string | number)[]) => path.reduce((v, key) => (v === null || v === undefined ? undefined : v[key]), value);

/** The value `subject` has after the change at `key`, or UNKNOWN. */
const afterOf = (s: Subject, key: string) => (s.unknown[key] === true ? UNKNOWN : s.after[key]);

/** The attribute changes (or becomes unknown) in an update or an unchanged resource. */
const changed = (s: Subject, key: string) =>
  (s.action === "update" || s.action === "no-op" || s.action === "move") && (s.unknown[key] === true || !same(s.before[key], s.after[key]));

const isUpdate = (s: Subject) => s.action === "update";
const goes = (s: Subject) => s.action === "replace" || s.action === "destroy";
const removing = (rc: ResourceChange | undefined) => rc !== undefined && ["replace", "destroy"].includes(actionOf(rc));
/** What a replace or destroy does to the resource, as a flag's value after. */
const fate = (s: Subject) => (s.action === "replace" ? "replaced" : "destroyed");
const lowered = (s: Subject, key: string) => typeof s.before[key] === "number" && typeof s.after[key] === "number" && s.after[key] < s.before[key];
const typeOf = (address: string) => address.split(".")[0];
const one = (list: unknown) => (Array.isArray(list) ? list[0] : list);

/** The resource a `from` resource refers to at `path` (the planned configuration first). */
function referred(s: Subject, path: string, type: string): string | undefined {
  const hit = (refs: readonly Reference[]) => refs.find((r) => r.from === s.address && r.path === path && r.to.startsWith(`${type}.`))?.to;
  return hit(s.plan.headReferences) ?? hit(s.plan.baseReferences);
}

/** The values at the replace paths: one value, or an object of path -> value for several. */
function valuesAt(values: Record<string, any>, paths: (string | number)[][], unknown?: Record<string, any>): unknown {
  const valueAt = (p: (string | number)[]) => (unknown && at(unknown, p) === true ? UNKNOWN : (at(values, p) ?? null));
  if (paths.length === 1) return valueAt(paths[0]);
  return Object.fromEntries(paths.map((p) => [pathText(p), valueAt(p)]));
}

const text = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

// ---------------------------------------------------------------- type tables

/** Resource types that hold data: replacing or destroying one loses it. A new type is one row. */
export const DATA_TYPES: Record<string, string> = {
  aws_db_instance: "database instance",
  aws_rds_cluster: "database cluster",
  aws_rds_global_cluster: "global database (its secondary clusters are re-created from the primary)",
  aws_s3_bucket: "bucket",
  aws_cloudwatch_log_group: "log group",
  aws_ecr_repository: "image repository",
  aws_secretsmanager_secret: "secret",
  aws_dynamodb_table: "table",
  aws_efs_file_system: "file system",
  aws_backup_vault: "backup vault",
  aws_elasticache_replication_group: "cache (replication group)",
  aws_elasticache_cluster: "cache cluster",
};

/** Database types: destroying one while creating another is an engine move, which copies no data. */
const DATABASE_TYPES = ["aws_db_instance", "aws_rds_cluster"];

/** The switch that keeps a resource from being deleted, per type, and the call AWS refuses while it is on. */
const DELETION_PROTECTION: Record<string, { readonly attribute: string; readonly call: string }> = {
  aws_db_instance: { attribute: "deletion_protection", call: "DeleteDBInstance" },
  aws_rds_cluster: { attribute: "deletion_protection", call: "DeleteDBCluster" },
  aws_rds_global_cluster: { attribute: "deletion_protection", call: "DeleteGlobalCluster" },
  aws_dynamodb_table: { attribute: "deletion_protection_enabled", call: "DeleteTable" },
};

/** Deletion protection that AWS enforces on a delete: the data stores' switches, and the load balancer's. */
const REFUSED_DELETES: Record<string, { readonly attribute: string; readonly call: string }> = {
  ...DELETION_PROTECTION,
  aws_lb: { attribute: "enable_deletion_protection", call: "DeleteLoadBalancer" },
};

/**
 * The switch that lets a destroy delete what a resource still holds, per type; `refusal`: how AWS
 * refuses the delete without it while anything is held (the plan cannot tell whether it is).
 */
const FORCE_DELETE: Record<string, { readonly attribute: string; readonly holds: string; readonly refusal?: string }> = {
  aws_s3_bucket: {
    attribute: "force_destroy",
    holds: "every object",
    refusal: 'S3 refuses DeleteBucket while the bucket holds any object or object version ("BucketNotEmpty")',
  },
  aws_ecr_repository: {
    attribute: "force_delete",
    holds: "every image",
    refusal: 'ECR refuses DeleteRepository while the repository holds any image ("RepositoryNotEmptyException")',
  },
  aws_rds_global_cluster: { attribute: "force_destroy", holds: "its member clusters" },
};

/** How a destroy keeps a last copy, per type: a skip switch or a snapshot name. */
const FINAL_SNAPSHOT: Record<string, { readonly skip?: string; readonly identifier?: string }> = {
  aws_db_instance: { skip: "skip_final_snapshot" },
  aws_rds_cluster: { skip: "skip_final_snapshot" },
  aws_elasticache_replication_group: { identifier: "final_snapshot_identifier" },
  aws_elasticache_cluster: { identifier: "final_snapshot_identifier" },
};

/**
 * Automated backups, per type. RDS: a retention of 0 turns automated backups off and deletes the
 * existing ones (RDS User Guide, "Introduction to backups": "Disabling automated backups ...
 * deletes all existing automated backups"); ElastiCache: snapshot_retention_limit 0 turns
 * automatic snapshots off.
 */
const BACKUP_RETENTION: Record<string, { readonly attribute: string; readonly what: string }> = {
  aws_db_instance: { attribute: "backup_retention_period", what: "automated backups" },
  aws_rds_cluster: { attribute: "backup_retention_period", what: "automated backups" },
  aws_elasticache_replication_group: { attribute: "snapshot_retention_limit", what: "automatic snapshots" },
  aws_elasticache_cluster: { attribute: "snapshot_retention_limit", what: "automatic snapshots" },
};

/** The subnet group a database runs in, per type, and the subnet group's type. */
const SUBNET_GROUP: Record<string, { readonly attribute: string; readonly group: string }> = {
  aws_db_instance: { attribute: "db_subnet_group_name", group: "aws_db_subnet_group" },
  aws_rds_cluster: { attribute: "db_subnet_group_name", group: "aws_db_subnet_group" },
  aws_elasticache_replication_group: { attribute: "subnet_group_name", group: "aws_elasticache_subnet_group" },
  aws_elasticache_cluster: { attribute: "subnet_group_name", group: "aws_elasticache_subnet_group" },
};

/** Settings whose change restarts or fails over a database, per type. */
const RESTARTS: Record<string, string[]> = {
  aws_db_instance: ["instance_class", "engine_version", "multi_az", "allocated_storage"],
  aws_rds_cluster: ["engine_version", "db_cluster_instance_class", "allocated_storage"],
  aws_rds_cluster_instance: ["instance_class", "engine_version"],
  aws_elasticache_replication_group: ["node_type", "engine_version", "num_cache_clusters"],
};

/** Entry points that clients reach by a DNS name AWS gives them. */
const DNS_NAMED = ["aws_lb", "aws_cloudfront_distribution"];
/** Entry points whose replacement drops requests. */
const ENTRY_POINTS = ["aws_lb", "aws_lb_listener", "aws_lb_target_group", "aws_cloudfront_distribution", "aws_rds_cluster_instance"];

// ---------------------------------------------------------------- refused

/** What the plan does to `address` (a no-op where the plan does not list it). */
const actionAt = (s: Subject, address: string): Action => {
  const rc = s.plan.changes.get(address);
  return rc ? actionOf(rc) : "no-op";
};

const DONE: Record<Action, string> = { create: "created", update: "updated", replace: "replaced", destroy: "destroyed", move: "moved", "no-op": "kept" };

/**
 * What the apply has changed by the time it reaches `s`, as the plan shows it: Terraform creates
 * or updates a resource after the changes of what it refers to (`atDelete` false), and deletes one
 * after the resources that refer to it are destroyed or replaced (`atDelete` true).
 */
function changedBefore(s: Subject, atDelete: boolean): string[] {
  const addresses = atDelete
    ? s.plan.baseReferences.filter((r) => r.to === s.address && removing(s.plan.changes.get(r.from))).map((r) => r.from)
    : (s.action === "destroy" ? [] : s.plan.headReferences)
        .filter((r) => r.from === s.address && r.to !== s.address)
        .map((r) => r.to)
        .filter((a) => ["create", "update", "replace"].includes(actionAt(s, a)));
  // A dependent that is replaced is destroyed first; its new one would be created after this resource.
  return [...new Set(addresses)].sort().map((a) => (atDelete && actionAt(s, a) === "replace" ? `destroyed the old ${a}` : `${DONE[actionAt(s, a)]} ${a}`));
}

/** Where a refused change leaves the stack, for a flag's detail. */
function failsHere(s: Subject, atDelete: boolean): string {
  const done = changedBefore(s, atDelete);
  return `the apply fails here${done.length > 0 ? `, after it has ${done.join(", ")}` : ""}; changes that do not depend on this one may be made too, so the stack is left partway`;
}

/** Compares dotted versions part by part as numbers ("10.11" is after "10.6"). */
function compareVersions(a: string, b: string): number {
  const [x, y] = [a.split(".").map(Number), b.split(".").map(Number)];
  for (let i = 0; i < Math.max(x.length, y.length); i += 1) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/**
 * The major version of an engine version: PostgreSQL from 10 on is its first number ("16.4" ->
 * "16"); PostgreSQL 9, MySQL, MariaDB and Aurora MySQL their first two ("9.6", "8.0").
 * An engine the plan does not name is taken as PostgreSQL, this project's engine.
 */
function majorOf(version: unknown, engine: unknown): string | undefined {
  if (typeof version !== "string" || !/^\d/.test(version)) return undefined;
  const parts = version.split(".");
  const postgres = typeof engine !== "string" || engine === "" || engine.includes("postgres");
  return postgres && Number(parts[0]) >= 10 ? parts[0] : parts.slice(0, 2).join(".");
}

const engineOf = (s: Subject) => s.after.engine ?? s.before.engine;

/** The major versions before and after, when an update raises it. */
function majorUpgrade(s: Subject): { readonly from: string; readonly to: string } | undefined {
  if (!isUpdate(s) || !["aws_db_instance", "aws_rds_cluster"].includes(s.type) || s.unknown.engine_version === true) return undefined;
  const [from, to] = [majorOf(s.before.engine_version, engineOf(s)), majorOf(s.after.engine_version, engineOf(s))];
  return from !== undefined && to !== undefined && compareVersions(to, from) > 0 ? { from, to } : undefined;
}

const STORAGE_TYPES = ["aws_db_instance", "aws_rds_cluster"];
const storageShrinks = (s: Subject) => STORAGE_TYPES.includes(s.type) && isUpdate(s) && lowered(s, "allocated_storage");

const storageShrunk: Rule = {
  id: "storage-shrunk",
  kinds: ["refused"],
  raisedFor: "a database's allocated storage lowered: RDS never shrinks storage, so the apply fails there",
  check: (s) =>
    storageShrinks(s)
      ? [
          {
            attribute: "allocated_storage",
            from: s.before.allocated_storage,
            to: s.after.allocated_storage,
            detail:
              `allocated_storage drops from ${s.before.allocated_storage} to ${s.after.allocated_storage} GiB, which RDS refuses (RDS User Guide, "Increasing DB instance storage capacity": storage cannot be reduced once allocated): ${failsHere(s, false)}. ` +
              "Fix: keep the size; a smaller database is a new one, with the data moved into it",
          },
        ]
      : [],
};

/**
 * What AWS does to the read replicas of an instance whose major goes up, and the order that
 * follows: RDS upgrades in-Region replicas with their source ("An upgrade of a Single-AZ DB
 * instance or Multi-AZ DB instance deployment also upgrades the in-Region read replicas") and
 * documents nothing of cross-Region ones; a replica takes a custom parameter group of the new
 * family "only after the upgrade completes" (RDS User Guide, "How to perform a major version
 * upgrade for RDS for PostgreSQL", Handle read replicas).
 */
function replicaOrder(s: Subject): string {
  const replicas = s.plan.replicas.get(String(s.before.identifier ?? "")) ?? [];
  if (replicas.length === 0) return "";
  return (
    `; its read replica${replicas.length > 1 ? "s" : ""} ${replicas.join(", ")} ${replicas.length > 1 ? "keep" : "keeps"} the old family's parameter group until the upgrade has completed ` +
    "(RDS upgrades in-Region replicas with their source and documents nothing of a cross-Region one, and gives a replica a group of the new family only after the upgrade): " +
    `deploy this stack, wait for the upgrade (the new major on the replica too, aws rds describe-db-instances), then remove ${MAJOR_UPGRADE_SETTING} and deploy the replica's stack, then this one`
  );
}

const majorVersionUpgrade: Rule = {
  id: "major-upgrade",
  kinds: ["refused", "availability"],
  raisedFor:
    "a database's engine goes up a major version: refused unless allow_major_version_upgrade is true in the planned values (the apply fails there); with it, a long outage, and the order its read replicas follow",
  check: (s) => {
    const major = majorUpgrade(s);
    if (!major) return [];
    const what = s.type === "aws_rds_cluster" ? "cluster" : "instance";
    const versions = `${text(s.before.engine_version)} -> ${text(s.after.engine_version)}`;
    const change = `engine_version ${versions} is a major upgrade${versions === `${major.from} -> ${major.to}` ? "" : ` (${major.from} -> ${major.to})`}`;
    const finding = { attribute: "engine_version", from: s.before.engine_version, to: s.after.engine_version };
    if (s.after.allow_major_version_upgrade !== true) {
      return [
        {
          ...finding,
          detail: `${change} and allow_major_version_upgrade is not true: RDS refuses it (ModifyDB${s.type === "aws_rds_cluster" ? "Cluster" : "Instance"} AllowMajorVersionUpgrade must be true for another major version): ${failsHere(s, false)}. Fix: ${s.type === "aws_db_instance" ? `set ${MAJOR_UPGRADE_SETTING} to the major it runs now, which sets allow_major_version_upgrade with the new version (docs/operations.md, "Upgrading PostgreSQL to a new major version")` : "set allow_major_version_upgrade to true with the new version"}`,
        },
      ];
    }
    return [
      {
        ...finding,
        kind: "availability",
        detail: `${change}: a major upgrade is a long outage: the ${what} is unavailable for the upgrade's duration (minutes to hours, with the size of the catalog), its read replicas with it${s.after.apply_immediately === true ? "" : ", in the next maintenance window"}${replicaOrder(s)}`,
      },
    ];
  },
};

/**
 * The parameter group family a database's parameter_group_name names, where the plan shows it:
 * the aws_db_parameter_group it refers to, or a default group by its name (`default.postgres16`).
 */
function parameterFamily(s: Subject): { readonly group: string; readonly family: string; readonly changes: boolean } | undefined {
  const group = referred(s, "parameter_group_name", "aws_db_parameter_group");
  const rc = group ? s.plan.changes.get(group) : undefined;
  if (group && rc) {
    const family = rc.change.after_unknown?.family === true ? undefined : (rc.change.after?.family ?? rc.change.before?.family);
    return typeof family === "string" ? { group, family, changes: actionOf(rc) !== "no-op" } : undefined;
  }
  const name = s.unknown.parameter_group_name === true ? undefined : s.after.parameter_group_name;
  const fromName = typeof name === "string" ? /^default\.(.+)$/.exec(name)?.[1] : undefined;
  // A group made outside this stack's plan: its family is not in the plan data, so it is not checked.
  return fromName ? { group: name, family: fromName, changes: false } : undefined;
}

/**
 * The major a replica runs: its engine_version where the plan knows it; otherwise (a replica
 * takes its version from its source, so the offline state has none) the family of the group it
 * has now, which RDS requires to be its engine's.
 */
function replicaEngine(s: Subject, group: string | undefined): { readonly version: string; readonly fromGroup: boolean } | undefined {
  const version = s.unknown.engine_version === true ? undefined : (s.after.engine_version ?? s.before.engine_version);
  if (typeof version === "string" && /^\d/.test(version)) return { version, fromGroup: false };
  const family = group ? s.plan.changes.get(group)?.change.before?.family : undefined;
  const current = typeof family === "string" ? /^[a-z-]+?(\d[\d.]*)$/.exec(family)?.[1] : undefined;
  return current ? { version: current, fromGroup: true } : undefined;
}

const replicaParameterFamily: Rule = {
  id: "replica-parameter-family",
  kinds: ["refused"],
  raisedFor:
    "a read replica given a parameter group whose family is not its engine's major (ahead of it, when the group follows an upgrade the replica has not had; its engine read from its current group where the plan has no version): RDS refuses the group, so the apply fails there",
  check: (s) => {
    if (s.type !== "aws_db_instance" || s.action === "destroy" || !(s.after.replicate_source_db ?? s.before.replicate_source_db)) return [];
    const found = parameterFamily(s);
    const engineNow = replicaEngine(s, found?.group);
    const familyParts = found ? /^([a-z-]+?)(\d[\d.]*)$/.exec(found.family) : null;
    if (!found || !familyParts || !engineNow) return [];
    if (s.action === "no-op" && !found.changes) return [];
    const [, engine, familyVersion] = familyParts;
    const { version } = engineNow;
    const major = majorOf(version, engine);
    if (major === undefined || compareVersions(familyVersion, major) === 0) return [];
    const ahead = compareVersions(familyVersion, major) > 0;
    const runs = engineNow.fromGroup ? `the replica's engine (${engine}${major}, the family of the group it has now)` : `the replica's engine ${version}`;
    return [
      {
        attribute: "parameter_group_name",
        from: `${engine}${major}`,
        to: found.family,
        detail:
          `the read replica would take ${found.group} of family ${found.family}, ${ahead ? "ahead of" : "behind"} ${runs}: RDS takes only a group of the engine's family (${engine}${major}); ` +
          `a replica's engine moves with its source's upgrade, not with its own parameter group, and takes a group of the new family only after that upgrade has completed: ${failsHere(s, false)}. ` +
          (ahead
            ? `Fix: once its source's upgrade has completed, which the review cannot see, acknowledge this flag saying so (the replica runs ${found.family.slice(engine.length)}: aws rds describe-db-instances); until then keep the replica on its engine's family (${MAJOR_UPGRADE_SETTING})`
            : "Fix: give the replica a group of its engine's family"),
      },
    ];
  },
};

const deleteRefused: Rule = {
  id: "delete-refused",
  kinds: ["refused"],
  raisedFor:
    "a destroy or replace that AWS refuses: a database, table or load balancer with deletion protection on, a bucket without force_destroy or a repository without force_delete that holds anything; the apply stops there, after what is removed before it (named)",
  check: (s) => {
    if (!goes(s)) return [];
    const protection = REFUSED_DELETES[s.type];
    const verb = s.action === "replace" ? "the replace starts with a delete, which" : "the delete";
    if (protection && s.before[protection.attribute] === true) {
      return [
        {
          attribute: protection.attribute,
          from: true,
          to: fate(s),
          detail: `deletion protection is on, so ${verb} is refused (${protection.call}): ${failsHere(s, true)}. Fix: turn deletion protection off in a change of its own first (deletion-protection-off), if the delete is intended`,
        },
      ];
    }
    const force = FORCE_DELETE[s.type];
    if (force?.refusal && s.before[force.attribute] === false) {
      return [
        {
          attribute: force.attribute,
          from: false,
          to: fate(s),
          detail: `${force.refusal}, and ${force.attribute} is false: unless it is empty (the plan cannot tell), ${verb} is refused: ${failsHere(s, true)}. Fix: keep it, or move its contents out and empty it before the change is applied (it was created with ${force.attribute} false to stop exactly this)`,
        },
      ];
    }
    return [];
  },
};

/**
 * The subnets a load balancer is given that lie in another VPC than its own: created or replaced
 * subnets whose VPC is new (unknown until apply) or another one.
 */
function subnetsOfAnotherVpc(s: Subject): string[] {
  const subnets = s.plan.headReferences
    .filter((r) => r.from === s.address && (r.path === "subnets" || r.path === "subnet_mapping.subnet_id") && typeOf(r.to) === "aws_subnet")
    .map((r) => r.to);
  return [...new Set(subnets)].filter((address) => {
    const rc = s.plan.changes.get(address);
    if (!rc || !["create", "replace", "update"].includes(actionOf(rc))) return false;
    if (rc.change.after_unknown?.vpc_id === true) return true;
    const vpc = rc.change.after?.vpc_id;
    return (
      (rc.change.before && !same(rc.change.before.vpc_id, vpc)) || (typeof s.before.vpc_id === "string" && typeof vpc === "string" && vpc !== s.before.vpc_id)
    );
  });
}

const loadBalancerMovesVpc: Rule = {
  id: "load-balancer-moves-vpc",
  kinds: ["refused"],
  raisedFor:
    "a load balancer updated in place onto subnets of another VPC (a replaced VPC, or subnets whose VPC changes): a load balancer stays in the VPC it was created in, so the apply fails there",
  check: (s) => {
    if (s.type !== "aws_lb" || !isUpdate(s) || !(changed(s, "subnets") || changed(s, "subnet_mapping"))) return [];
    const moved = subnetsOfAnotherVpc(s);
    if (moved.length === 0) return [];
    const vpcs = [...s.plan.changes.values()].filter((rc) => rc.type === "aws_vpc" && removing(rc)).map((rc) => rc.address);
    const attribute = changed(s, "subnets") ? "subnets" : "subnet_mapping";
    return [
      {
        attribute,
        from: s.before[attribute] ?? null,
        to: afterOf(s, attribute) ?? null,
        detail:
          `the load balancer would move to another VPC${vpcs.length > 0 ? ` (${vpcs.join(", ")} is replaced)` : ""}: its subnets become ${moved.join(", ")}, and a load balancer stays in the VPC it was created in (SetSubnets takes subnets of that VPC only): ` +
          `${failsHere(s, false)} (if it gets that far: an old subnet is not deleted while the load balancer's network interfaces are in it, see network-replaced). ` +
          "Fix: the way AWS supports is a new load balancer in the new VPC (a new DNS name), traffic moved to it, then the old one removed",
      },
    ];
  },
};

// ---------------------------------------------------------------- data at risk

const dataReplaced: Rule = {
  id: "data-replaced",
  kinds: ["data at risk"],
  raisedFor:
    "a resource that holds data is replaced (destroyed and created empty): RDS instances and clusters, S3 buckets, log groups (except 1-day ones), ECR repositories, secrets, DynamoDB tables, EFS, backup vaults, ElastiCache",
  check: (s) => {
    if (s.action !== "replace" || !DATA_TYPES[s.type] || ephemeralLogs(s)) return [];
    const paths = s.rc.change.replace_paths ?? [];
    const forced = paths.map((p) => `${pathText(p)}: ${text(valuesAt(s.before, [p]))} -> ${text(valuesAt(s.after, [p], s.unknown))}`);
    return [
      {
        attribute: s.replacedBy.join(", ") || "(resource)",
        from: valuesAt(s.before, paths),
        to: valuesAt(s.after, paths, s.unknown),
        detail: `the ${DATA_TYPES[s.type]} is replaced: destroyed and created empty (forced by ${forced.join("; ") || "the provider"})`,
      },
    ];
  },
};

/** A log group that keeps a day of logs holds nothing worth a flag. */
const ephemeralLogs = (s: Subject) => s.type === "aws_cloudwatch_log_group" && s.before.retention_in_days === 1;

const dataDestroyed: Rule = {
  id: "data-destroyed",
  kinds: ["data at risk"],
  raisedFor:
    "a resource that holds data is destroyed (removed, or renamed without a moved block); an engine move (an RDS instance destroyed while an Aurora cluster is created) says that no data is copied",
  check: (s) => {
    if (s.action !== "destroy" || !DATA_TYPES[s.type] || ephemeralLogs(s)) return [];
    const notes: string[] = [];
    if (DATABASE_TYPES.includes(s.type)) {
      const created = [...s.plan.changes.values()].filter((rc) => DATABASE_TYPES.includes(rc.type) && rc.type !== s.type && actionOf(rc) === "create");
      if (created.length > 0) {
        notes.push(
          `${created.map((rc) => rc.address).join(", ")} is created in the same change, empty: Terraform copies no data from one engine to the other; move the data first (a snapshot restored into the new engine, or an Aurora read replica promoted) and remove the old database in a later change`,
        );
      }
    }
    const snapshot = FINAL_SNAPSHOT[s.type];
    if (snapshot?.skip && s.before[snapshot.skip] === true) notes.push(`no final snapshot is taken (${snapshot.skip})`);
    if (snapshot?.identifier && !s.before[snapshot.identifier]) notes.push(`no final snapshot is taken (no ${snapshot.identifier})`);
    return [
      {
        attribute: "(resource)",
        from: "present",
        to: "destroyed",
        detail: `the ${DATA_TYPES[s.type]} is destroyed${s.rc.previous_address ? "" : " (removed from the configuration, or renamed without a moved block)"}${notes.map((n) => `; ${n}`).join("")}`,
      },
    ];
  },
};

const auroraStartsEmpty: Rule = {
  id: "aurora-starts-empty",
  kinds: ["data at risk"],
  raisedFor:
    "a new Aurora cluster beside a deployed RDS instance that neither replicates the instance nor joins a global database: it starts empty, and tasks pointed at it see none of the data (the reviewed path replicates first: npm run migrate)",
  check: (s) => {
    if (s.type !== "aws_rds_cluster" || s.action !== "create" || s.after.replication_source_identifier || s.after.global_cluster_identifier) return [];
    const instances = [...s.plan.changes.values()].filter((rc) => rc.type === "aws_db_instance" && ["no-op", "update", "move"].includes(actionOf(rc)));
    if (instances.length === 0) return [];
    return [
      {
        attribute: "replication_source_identifier",
        from: null,
        to: null,
        detail: `a new, empty Aurora cluster beside the deployed ${instances.map((rc) => rc.address).join(", ")}: the instance's data does not move by itself. Move it with \`npm run migrate\` (docs/operations.md, "Moving to Aurora"), or acknowledge that the cluster starts empty`,
      },
    ];
  },
};

const preventDestroy: Rule = {
  id: "prevent-destroy",
  kinds: ["data at risk"],
  raisedFor:
    "a resource whose configuration sets prevent_destroy would be destroyed or replaced: the real plan stops there (the review plans a copy with prevent_destroy lifted, to report the rest)",
  check: (s) =>
    goes(s) && s.plan.preventDestroy.has(s.address)
      ? [
          {
            attribute: "lifecycle.prevent_destroy",
            from: "present",
            to: fate(s),
            detail: `prevent_destroy is set, so Terraform refuses this change ("Instance cannot be destroyed"): the real plan stops here and nothing of this stack is applied; this review planned it with prevent_destroy lifted to report the rest of the change`,
          },
        ]
      : [],
};

/**
 * Every resource of the configuration that names `key` (or an alias of it) in an encryption
 * attribute (any attribute whose name says kms), with those attributes and, for a bucket's
 * settings, the bucket.
 */
export function encryptedWith(key: string, references: readonly Reference[]): string[] {
  const aliases = new Set(references.filter((r) => r.to === key && typeOf(r.from) === "aws_kms_alias").map((r) => r.from));
  const users = new Map<string, Set<string>>();
  for (const r of references) {
    if ((r.to !== key && !aliases.has(r.to)) || r.from.startsWith("aws_kms_") || !/kms/.test(r.path)) continue;
    if (!users.has(r.from)) users.set(r.from, new Set());
    users.get(r.from)!.add(r.path);
  }
  return [...users.entries()].map(([user, paths]) => {
    const bucket = references.find((r) => r.from === user && r.path === "bucket" && typeOf(r.to) === "aws_s3_bucket")?.to;
    return `${user} (${[...paths].join(", ")}${bucket ? `: objects of ${bucket}` : ""})`;
  });
}

const keyDeleted: Rule = {
  id: "key-deleted",
  kinds: ["data at risk"],
  raisedFor:
    "a KMS key is destroyed or replaced (scheduled for deletion: unusable at once, deleted after the waiting period), naming every resource of the stack encrypted with it, changed or not: what they wrote with it (storage, snapshots, backups, secrets, log events, objects, images, replicas) becomes unreadable",
  check: (s) => {
    if (s.type !== "aws_kms_key" || !goes(s)) return [];
    const users = encryptedWith(s.address, s.plan.baseReferences);
    const window = s.before.deletion_window_in_days ?? 30;
    return [
      {
        attribute: "(resource)",
        from: "enabled",
        to: "scheduled for deletion",
        detail:
          `${s.action === "replace" ? "the key is replaced: the old one is" : "the key is"} scheduled for deletion, and a key pending deletion is unusable at once: every resource encrypted with it fails on its next use of the key (a database can no longer read its storage, and an apply that touches one fails); ` +
          `the ${window}-day waiting period is the time to cancel the deletion (CancelKeyDeletion), and after it nothing encrypted with the key can be decrypted again. ` +
          (users.length > 0
            ? `Encrypted with it, and staying so (with their snapshots, backups, old log events and object versions): ${users.join("; ")}`
            : "No resource of this stack names it; check other stacks and accounts that use it"),
      },
    ];
  },
};

const deletionProtectionOff: Rule = {
  id: "deletion-protection-off",
  kinds: ["data at risk"],
  raisedFor: `deletion protection turned off (${Object.keys(DELETION_PROTECTION).join(", ")})`,
  check: (s) => {
    const k = DELETION_PROTECTION[s.type]?.attribute;
    return k && isUpdate(s) && s.before[k] === true && s.after[k] === false
      ? [{ attribute: k, from: true, to: false, detail: "deletion protection is turned off: a destroy is no longer refused" }]
      : [];
  },
};

const forceDeleteOn: Rule = {
  id: "force-delete-on",
  kinds: ["data at risk"],
  raisedFor: "a destroy would delete what is still held: S3 force_destroy, ECR force_delete, global cluster force_destroy turned on",
  check: (s) => {
    const f = FORCE_DELETE[s.type];
    return f && isUpdate(s) && s.before[f.attribute] !== true && s.after[f.attribute] === true
      ? [{ attribute: f.attribute, from: s.before[f.attribute] ?? false, to: true, detail: `a destroy would now delete ${f.holds} (${f.attribute})` }]
      : [];
  },
};

const finalSnapshotOff: Rule = {
  id: "final-snapshot-off",
  kinds: ["data at risk"],
  raisedFor: "a destroy would take no final snapshot: skip_final_snapshot turned on (RDS), final_snapshot_identifier removed (ElastiCache)",
  check: (s) => {
    const f = FINAL_SNAPSHOT[s.type];
    if (!f || !isUpdate(s)) return [];
    if (f.skip && s.before[f.skip] === false && s.after[f.skip] === true) {
      return [{ attribute: f.skip, from: false, to: true, detail: "a destroy would now take no final snapshot" }];
    }
    if (f.identifier && s.before[f.identifier] && !s.after[f.identifier] && s.unknown[f.identifier] !== true) {
      return [{ attribute: f.identifier, from: s.before[f.identifier], to: null, detail: "a destroy would now take no final snapshot" }];
    }
    return [];
  },
};

const backupRetentionShortened: Rule = {
  id: "backup-retention-shortened",
  kinds: ["data at risk"],
  raisedFor: `backup retention shortened or turned off (${Object.entries(BACKUP_RETENTION)
    .map(([t, b]) => `${t}.${b.attribute}`)
    .join(", ")})`,
  check: (s) => {
    const b = BACKUP_RETENTION[s.type];
    if (!b || !isUpdate(s) || !lowered(s, b.attribute)) return [];
    const [was, now] = [s.before[b.attribute], s.after[b.attribute]];
    const detail =
      now === 0
        ? `${b.what} are turned off: AWS deletes the existing ones, and there is no point-in-time recovery`
        : `retention shortens from ${was} to ${now} days: older ${b.what} are deleted, and recovery reaches back ${now} days instead of ${was}`;
    return [{ attribute: b.attribute, from: was, to: now, detail }];
  },
};

/** CloudWatch Logs: a retention of 0 or none keeps events forever. */
const retentionDays = (v: unknown) => (typeof v === "number" && v > 0 ? v : Infinity);

const logRetentionShortened: Rule = {
  id: "log-retention-shortened",
  kinds: ["data at risk"],
  raisedFor: "a log group keeps its events for less time (from never-expire to a number of days included)",
  check: (s) => {
    if (s.type !== "aws_cloudwatch_log_group" || !isUpdate(s) || s.unknown.retention_in_days === true) return [];
    const [was, now] = [retentionDays(s.before.retention_in_days), retentionDays(s.after.retention_in_days)];
    if (!(now < was)) return [];
    return [
      {
        attribute: "retention_in_days",
        from: s.before.retention_in_days ?? null,
        to: s.after.retention_in_days,
        detail: `retention shortens from ${was === Infinity ? "never expire" : `${was} days`} to ${now} days: log events older than ${now} days are deleted`,
      },
    ];
  },
};

/** A rule of an S3 lifecycle configuration, as the plan shows it. */
interface LifecycleRule {
  id: string;
  status: string;
  filter?: unknown[];
  prefix?: string;
  expiration?: { days?: number | null; date?: string | null }[];
  noncurrent_version_expiration?: { noncurrent_days?: number | null; newer_noncurrent_versions?: number | null }[];
}

/** Whether the plan creates the bucket a bucket setting belongs to (a new bucket holds nothing yet). */
function newBucket(s: Subject): boolean {
  const bucket = referred(s, "bucket", "aws_s3_bucket");
  const rc = bucket ? s.plan.changes.get(bucket) : undefined;
  return rc !== undefined && actionOf(rc) === "create";
}

const lifecycleExpiration: Rule = {
  id: "lifecycle-expiration",
  kinds: ["data at risk"],
  raisedFor:
    "an S3 lifecycle rule deletes objects sooner or more of them, on any bucket (the audit and state buckets included): an expiration or a noncurrent-version expiration added, shortened, newly enabled or applied to a wider filter, or fewer newer noncurrent versions kept",
  check: (s) => {
    if (s.type !== "aws_s3_bucket_lifecycle_configuration" || s.action === "destroy" || s.action === "no-op" || s.action === "move") return [];
    if (s.action === "create" && newBucket(s)) return [];
    const enabled = (rules: unknown) => ((rules ?? []) as LifecycleRule[]).filter((r) => r.status === "Enabled");
    const beforeRules = s.action === "create" ? [] : enabled(s.before.rule);
    const findings: Finding[] = [];
    for (const rule of enabled(s.after.rule)) {
      const previous = beforeRules.find((r) => r.id === rule.id && same(r.filter, rule.filter) && (r.prefix ?? "") === (rule.prefix ?? ""));
      const scope = previous || !beforeRules.some((r) => r.id === rule.id) ? "" : " (the rule now applies to other objects)";
      const days = one(rule.expiration)?.days ?? null;
      const wasDays = one(previous?.expiration)?.days ?? null;
      if (days !== null && (wasDays === null || days < wasDays)) {
        findings.push({
          attribute: `rule[${rule.id}].expiration.days`,
          from: wasDays,
          to: days,
          detail: `objects are deleted ${days} days after they are written (before: ${wasDays === null ? "kept until deleted" : `${wasDays} days`})${scope}`,
        });
      }
      const date = one(rule.expiration)?.date ?? null;
      const wasDate = one(previous?.expiration)?.date ?? null;
      if (date !== null && (wasDate === null || date < wasDate)) {
        findings.push({ attribute: `rule[${rule.id}].expiration.date`, from: wasDate, to: date, detail: `objects are deleted on ${date}${scope}` });
      }
      const noncurrent = one(rule.noncurrent_version_expiration);
      const wasNoncurrent = one(previous?.noncurrent_version_expiration);
      const ncDays = noncurrent?.noncurrent_days ?? null;
      const wasNcDays = wasNoncurrent?.noncurrent_days ?? null;
      if (ncDays !== null && (wasNcDays === null || ncDays < wasNcDays)) {
        findings.push({
          attribute: `rule[${rule.id}].noncurrent_version_expiration.noncurrent_days`,
          from: wasNcDays,
          to: ncDays,
          detail: `replaced and deleted object versions are deleted ${ncDays} days after they stop being current (before: ${wasNcDays === null ? "kept" : `${wasNcDays} days`})${scope}`,
        });
      }
      const newer = noncurrent?.newer_noncurrent_versions ?? null;
      const wasNewer = wasNoncurrent?.newer_noncurrent_versions ?? null;
      if (ncDays !== null && wasNcDays !== null && wasNewer !== null && (newer === null || newer < wasNewer)) {
        findings.push({
          attribute: `rule[${rule.id}].noncurrent_version_expiration.newer_noncurrent_versions`,
          from: wasNewer,
          to: newer,
          detail: `${newer === null ? "no" : newer} newer noncurrent versions are kept past ${ncDays} days (before: ${wasNewer})`,
        });
      }
    }
    return findings;
  },
};

/** An "expire" rule of an ECR lifecycle policy. */
interface ImageRule {
  selection?: { tagStatus?: string; tagPrefixList?: string[]; tagPatternList?: string[]; countType?: string; countUnit?: string; countNumber?: number };
  action?: { type?: string };
}

function expiringRules(policy: unknown): ImageRule[] | undefined {
  if (typeof policy !== "string") return undefined;
  try {
    return ((JSON.parse(policy).rules ?? []) as ImageRule[]).filter((r) => r.action?.type === "expire");
  } catch {
    return undefined;
  }
}

const imageExpiration: Rule = {
  id: "image-expiration",
  kinds: ["data at risk"],
  raisedFor: "an ECR lifecycle policy keeps fewer images, expires younger ones, or expires images no rule expired before (on an existing repository)",
  check: (s) => {
    if (s.type !== "aws_ecr_lifecycle_policy" || s.action === "destroy" || s.action === "no-op" || s.action === "move") return [];
    const repository = referred(s, "repository", "aws_ecr_repository");
    if (s.action === "create" && repository && s.plan.changes.get(repository) && actionOf(s.plan.changes.get(repository)!) === "create") return [];
    if (s.unknown.policy === true) {
      return [
        {
          attribute: "policy",
          from: s.before.policy ?? null,
          to: UNKNOWN,
          detail: "the lifecycle policy is only known after apply: read it in the real plan for images it expires",
          sayOnce: true,
        },
      ];
    }
    const before = s.action === "create" ? [] : (expiringRules(s.before.policy) ?? []);
    const after = expiringRules(s.after.policy) ?? [];
    const scope = (r: ImageRule) =>
      JSON.stringify([
        r.selection?.tagStatus,
        r.selection?.tagPrefixList ?? [],
        r.selection?.tagPatternList ?? [],
        r.selection?.countType,
        r.selection?.countUnit,
      ]);
    const findings: Finding[] = [];
    for (const rule of after) {
      const previous = before.find((r) => scope(r) === scope(rule));
      const n = rule.selection?.countNumber;
      const was = previous?.selection?.countNumber;
      const what = `${rule.selection?.tagStatus ?? "any"} images${rule.selection?.tagPrefixList?.length ? ` tagged ${rule.selection.tagPrefixList.join(", ")}*` : ""}`;
      const keeps =
        rule.selection?.countType === "imageCountMoreThan"
          ? `the newest ${n} ${what} are kept`
          : `${what} pushed more than ${n} ${rule.selection?.countUnit ?? "days"} ago expire`;
      if (previous === undefined) {
        findings.push({ attribute: "policy", from: null, to: n ?? null, detail: `a new expiry: ${keeps}, the rest are deleted` });
      } else if (typeof n === "number" && typeof was === "number" && n < was) {
        findings.push({ attribute: "policy", from: was, to: n, detail: `${keeps} (before: ${was}), the rest are deleted` });
      }
    }
    return findings;
  },
};

/** How a database would move: the attribute, its value before and after, and what moves. */
interface NetworkMove {
  readonly attribute: string;
  readonly from: unknown;
  readonly to: unknown;
  readonly what: string;
  /** The subnet group keeps its name and changes its subnets (else the database changes group). */
  readonly subnetsOfGroup: boolean;
}

/** Whether and how a database would move to another subnet group or other subnets. */
function networkMove(s: Subject): NetworkMove | undefined {
  const table = SUBNET_GROUP[s.type];
  if (!table || s.action === "create" || goes(s)) return undefined;
  if (changed(s, table.attribute)) {
    const [from, to] = [s.before[table.attribute], afterOf(s, table.attribute)];
    return { attribute: table.attribute, from, to, what: `its ${table.attribute} changes (${text(from)} -> ${text(to)})`, subnetsOfGroup: false };
  }
  const group = referred(s, table.attribute, table.group);
  const rc = group ? s.plan.changes.get(group) : undefined;
  if (!group || !rc) return undefined;
  const replaced = actionOf(rc) === "replace";
  const subnetsChange =
    replaced ||
    (actionOf(rc) === "update" && (rc.change.after_unknown?.subnet_ids === true || !same(rc.change.before?.subnet_ids, rc.change.after?.subnet_ids)));
  if (!subnetsChange) return undefined;
  return {
    attribute: `${group}.subnet_ids`,
    from: rc.change.before?.subnet_ids ?? null,
    to: rc.change.after_unknown?.subnet_ids === true ? UNKNOWN : (rc.change.after?.subnet_ids ?? null),
    what: `the subnets of ${group} are replaced${replaced ? " with the group" : ""}`,
    subnetsOfGroup: true,
  };
}

const databaseMovesNetwork: Rule = {
  id: "database-moves-network",
  kinds: ["data at risk", "availability"],
  raisedFor:
    "a database or replica would move to another subnet group, other subnets or another VPC (its subnet group changes, or the group's subnets are replaced): AWS refuses a new group in the same VPC, subnets of another VPC in a group, and a move to another VPC for a Multi-AZ instance or one with read replicas, so the apply fails halfway; where it succeeds, an outage",
  check: (s) => {
    const move = networkMove(s);
    if (!move) return [];
    const vpcReplaced = [...s.plan.changes.values()].some((rc) => rc.type === "aws_vpc" && removing(rc));
    const blockers = [
      ...(s.before.multi_az === true ? ["it is Multi-AZ"] : []),
      ...(s.plan.replicas.get(String(s.before.identifier ?? s.before.cluster_identifier ?? "")) ?? []).map((r) => `it has the read replica ${r}`),
    ];
    const refusals = [
      ...(move.subnetsOfGroup
        ? [
            `RDS takes a subnet out of a subnet group only when no instance runs in it (AWS knowledge center, "delete a subnet from an RDS DB subnet group")${vpcReplaced ? ' and refuses subnets of another VPC in an existing group ("The new Subnets are not in the same Vpc as the existing subnet group", hashicorp/terraform-provider-aws#27459)' : ""}`,
          ]
        : vpcReplaced
          ? []
          : [
              'RDS refuses to move an instance to another subnet group in the same VPC ("InvalidVPCNetworkStateFault: The specified DB subnet group and DB instance are in the same VPC", hashicorp/terraform-provider-aws#512)',
            ]),
      ...(vpcReplaced
        ? [
            `RDS moves an instance to another VPC only when it is single-AZ without read replicas (RDS User Guide, "Working with a DB instance in a VPC")${blockers.length > 0 ? `, and here ${blockers.join(" and ")}` : ""}`,
          ]
        : []),
    ];
    const detail =
      `the database would move to ${vpcReplaced ? "another VPC" : move.subnetsOfGroup ? "other subnets" : "another subnet group"}: ${move.what}. ` +
      `${refusals.join("; ")}: the apply fails here, after the resources planned before it are already changed, and where a move does succeed it is an outage (ModifyDBInstance DBSubnetGroupName). ` +
      "The way out that AWS supports is a snapshot restored into the new network: a new database, without the writes made after the snapshot";
    const finding = { attribute: move.attribute, from: move.from, to: move.to, detail };
    return [finding, { ...finding, kind: "availability" as const }];
  },
};

// ---------------------------------------------------------------- exposure

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
const RULE_CONTENT = ["cidr_ipv4", "cidr_ipv6", "from_port", "to_port", "ip_protocol", "referenced_security_group_id", "prefix_list_id"];

interface Grant {
  readonly effect: string;
  readonly action: string;
  readonly resource: string;
  readonly principal: string;
}

// A malformed principal (an object) shows as JSON, not as `[object Object]`.
const list = (v: unknown): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(text) : [text(v)]);

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
      resources.flatMap((resource) =>
        principals(s.Principal ?? s.NotPrincipal).map((principal) => ({ effect: s.Effect, action, resource, principal: `${principal}${condition}` })),
      ),
    );
  });
}

const grantText = (g: Grant) => `${g.action} on ${g.resource}${g.principal === "-" ? "" : ` for ${g.principal}`}`;

/** Allows that `after` has and `before` lacks, and Denies that `before` has and `after` lacks. */
function loosening(before: unknown, after: unknown, peers: { before: unknown[]; after: unknown[] } = { before: [], after: [] }): string[] {
  const key = (g: Grant) => JSON.stringify(g);
  // A grant that another policy of the same role held before is not new to the role, and a Deny
  // that another of its policies holds after is still there: statements repack across a role's
  // managed policies as they grow (IAM's size per policy), which loosens nothing.
  const was = new Set([before, ...peers.before].flatMap(grantsOf).map(key));
  const now = new Set([after, ...peers.after].flatMap(grantsOf).map(key));
  const added = grantsOf(after)
    .filter((g) => g.effect === "Allow" && !was.has(key(g)))
    .map((g) => `allows ${grantText(g)}`);
  const removed = grantsOf(before)
    .filter((g) => g.effect === "Deny" && !now.has(key(g)))
    .map((g) => `no longer denies ${grantText(g)}`);
  return [...new Set([...added, ...removed])];
}

/**
 * The other managed policies attached to a role that `s` (an aws_iam_policy) is attached to, in
 * the base or the working tree's configuration: a role's grants are the union of its policies.
 */
function rolePeers(s: Subject): string[] {
  if (s.type !== "aws_iam_policy") return [];
  const peers = new Set<string>();
  for (const refs of [s.plan.baseReferences, s.plan.headReferences]) {
    const attachments = refs.filter((r) => r.from.startsWith("aws_iam_role_policy_attachment.") && r.path === "policy_arn");
    const roleOf = (attachment: string) => refs.find((r) => r.from === attachment && r.path === "role")?.to;
    const roles = new Set(attachments.filter((r) => r.to === s.address).map((r) => roleOf(r.from)));
    for (const r of attachments) if (r.to !== s.address && roles.has(roleOf(r.from))) peers.add(r.to);
  }
  return [...peers];
}

/**
 * The source or peer of a security group rule, by what it is: a CIDR as written, a group or
 * prefix list by the address the configuration names (a replaced group's new id is only known
 * after apply, and the old one is a value AWS assigned), else as the state has it.
 */
function ruleSource(s: Subject, values: Record<string, any>, unknown: Record<string, any>, references: readonly Reference[]): string {
  const ref = (key: string) => references.find((r) => r.from === s.address && r.path === key)?.to;
  for (const key of ["cidr_ipv4", "cidr_ipv6", "prefix_list_id", "referenced_security_group_id"]) {
    if (unknown[key] === true) return ref(key) ?? UNKNOWN;
    if (values[key] === null || values[key] === undefined || values[key] === "") continue;
    return key.startsWith("cidr") ? String(values[key]) : (ref(key) ?? String(values[key]));
  }
  return "?";
}

const ruleOpened: Rule = {
  id: "rule-opened",
  kinds: ["exposure"],
  raisedFor:
    "a security group rule created or changed that lets in (ingress) or out to the internet (egress to 0.0.0.0/0): port, CIDR or peer; a rule re-created with the same content (its group or peer replaced) is not one",
  check: (s) => {
    if (s.type !== "aws_vpc_security_group_ingress_rule" && s.type !== "aws_vpc_security_group_egress_rule") return [];
    if (s.action === "destroy" || s.action === "no-op" || s.action === "move") return [];
    const direction = s.type.endsWith("ingress_rule") ? "ingress" : "egress";
    const source = ruleSource(s, s.after, s.unknown, s.plan.headReferences);
    const ports = ["ip_protocol", "from_port", "to_port"];
    // The same rule created again because its group or its peer is replaced: nothing new gets in.
    if (s.action !== "create" && ruleSource(s, s.before, {}, s.plan.baseReferences) === source && ports.every((k) => same(s.before[k], s.after[k]))) return [];
    if (direction === "egress" && !OPEN_CIDRS.includes(source)) return [];
    const portText = s.after.from_port === s.after.to_port ? `port ${s.after.from_port}` : `ports ${s.after.from_port}-${s.after.to_port}`;
    const replacedPeer = removing(s.plan.changes.get(source)) ? " (a group being replaced)" : "";
    const attribute = s.action === "create" ? "(resource)" : RULE_CONTENT.filter((k) => changed(s, k)).join(", ") || "(resource)";
    return [
      {
        attribute,
        from:
          s.action === "create"
            ? null
            : `${s.before.ip_protocol} ${s.before.from_port}-${s.before.to_port} ${ruleSource(s, s.before, {}, s.plan.baseReferences)}`,
        to: `${s.after.ip_protocol} ${s.after.from_port}-${s.after.to_port} ${source}`,
        detail: `${direction} ${portText} (${s.after.ip_protocol}) ${direction === "ingress" ? "from" : "to"} ${source}${replacedPeer}${OPEN_CIDRS.includes(source) ? ": the whole internet" : ""}`,
      },
    ];
  },
};

const internetFacing: Rule = {
  id: "internet-facing",
  kinds: ["exposure"],
  raisedFor: "a load balancer that becomes internet-facing",
  check: (s) =>
    s.type === "aws_lb" && s.after.internal === false && (s.action === "create" || s.before.internal === true)
      ? [{ attribute: "internal", from: s.before.internal ?? null, to: false, detail: "the load balancer is internet-facing" }]
      : [],
};

const plainHttp: Rule = {
  id: "plain-http",
  kinds: ["exposure"],
  raisedFor: "an HTTP listener without a redirect to HTTPS; CloudFront behaviours that allow plain HTTP",
  check: (s) => {
    if (s.type === "aws_lb_listener" && s.after.protocol === "HTTP" && (s.action === "create" || s.before.protocol === "HTTPS")) {
      const redirects = (s.after.default_action ?? []).some((a: any) => a.type === "redirect");
      return redirects
        ? []
        : [{ attribute: "protocol", from: s.before.protocol ?? null, to: "HTTP", detail: `plain HTTP on port ${s.after.port} without a redirect to HTTPS` }];
    }
    if (s.type === "aws_cloudfront_distribution" && s.action !== "destroy") {
      const policies = (v: Record<string, any>) =>
        [...(v.default_cache_behavior ?? []), ...(v.ordered_cache_behavior ?? [])].map((b: any) => b.viewer_protocol_policy);
      if (policies(s.after).includes("allow-all") && !policies(s.before).includes("allow-all")) {
        return [{ attribute: "viewer_protocol_policy", from: null, to: "allow-all", detail: "viewers may use plain HTTP" }];
      }
    }
    return [];
  },
};

const webAclRemoved: Rule = {
  id: "web-acl-removed",
  kinds: ["exposure"],
  raisedFor: "the CloudFront distribution loses its web ACL",
  check: (s) =>
    s.type === "aws_cloudfront_distribution" && s.action !== "destroy" && s.before.web_acl_id && !s.after.web_acl_id && s.unknown.web_acl_id !== true
      ? [{ attribute: "web_acl_id", from: s.before.web_acl_id, to: null, detail: "the web ACL is removed" }]
      : [],
};

const publicAccessLoosened: Rule = {
  id: "public-access-loosened",
  kinds: ["exposure"],
  raisedFor: "a bucket's public access block that loosens or goes",
  check: (s) => {
    if (s.type !== "aws_s3_bucket_public_access_block") return [];
    if (s.action === "destroy") return [{ attribute: "(resource)", from: "present", to: "destroyed", detail: "the bucket's public access block is removed" }];
    return ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]
      .filter((k) => s.before[k] === true && s.after[k] === false)
      .map((k) => ({ attribute: k, from: true, to: false, detail: `${k} is turned off` }));
  },
};

const policyLoosened: Rule = {
  id: "policy-loosened",
  kinds: ["exposure"],
  raisedFor:
    "a bucket, key, topic, repository or secret policy, or an IAM role or inline policy, that allows a new (action, resource, principal) or drops a Deny (each named); a policy only known after apply",
  check: (s) =>
    (POLICY_ATTRIBUTES[s.type] ?? []).flatMap((attribute): Finding[] => {
      if (s.action === "destroy" || (!changed(s, attribute) && s.action !== "create" && s.action !== "replace")) return [];
      if (s.unknown[attribute] === true)
        return [{ attribute, from: null, to: UNKNOWN, detail: "the policy is only known after apply: review it in the real plan", sayOnce: true }];
      if (s.action === "create" && s.type !== "aws_iam_role_policy" && s.type !== "aws_iam_policy") return [];
      const peers = rolePeers(s).map((address) => s.plan.changes.get(address)?.change);
      const loosened = loosening(s.action === "create" ? undefined : s.before[attribute], s.after[attribute], {
        before: peers.map((c) => c?.before?.[attribute]),
        after: peers.map((c) => c?.after?.[attribute]),
      });
      // A whole new policy would list hundreds of pairs: past a screenful, one line says how many.
      if (loosened.length > MAX_GRANT_FLAGS) {
        return [
          {
            attribute,
            from: null,
            to: loosened.length,
            detail: `${loosened.length} new grants, e.g. ${loosened.slice(0, 3).join("; ")}: read the policy in the plan`,
          },
        ];
      }
      return loosened.map((detail) => ({ attribute, from: null, to: detail, detail }));
    }),
};

const managedPolicyAttached: Rule = {
  id: "managed-policy-attached",
  kinds: ["exposure"],
  raisedFor: "a managed policy attached to a role",
  check: (s) =>
    s.type === "aws_iam_role_policy_attachment" && (s.action === "create" || changed(s, "policy_arn"))
      ? [
          {
            attribute: "policy_arn",
            from: s.before.policy_arn ?? null,
            to: afterOf(s, "policy_arn") ?? null,
            // A policy created in the same change has no ARN before apply: it is named by address.
            detail: `attaches ${s.unknown.policy_arn === true ? (referred(s, "policy_arn", "aws_iam_policy") ?? UNKNOWN) : s.after.policy_arn} to ${s.after.role ?? referred(s, "role", "aws_iam_role") ?? UNKNOWN}`,
          },
        ]
      : [],
};

const encryptionRemoved: Rule = {
  id: "encryption-removed",
  kinds: ["exposure"],
  raisedFor: "encryption removed: a KMS key or storage_encrypted taken away, a bucket's default encryption destroyed",
  check: (s) => {
    if (s.type === "aws_s3_bucket_server_side_encryption_configuration" && s.action === "destroy") {
      return [{ attribute: "(resource)", from: "present", to: "destroyed", detail: "the bucket's default encryption is removed" }];
    }
    if (s.action !== "update" && s.action !== "replace") return [];
    return ENCRYPTION_ATTRIBUTES.filter(
      (k) =>
        (s.before[k] === true || (typeof s.before[k] === "string" && s.before[k] !== "")) &&
        (s.after[k] === null || s.after[k] === false || s.after[k] === "") &&
        s.unknown[k] !== true,
    ).map((k) => ({ attribute: k, from: s.before[k], to: s.after[k], detail: "encryption is removed" }));
  },
};

// ---------------------------------------------------------------- availability

const serviceRestarts: Rule = {
  id: "service-restarts",
  kinds: ["availability"],
  raisedFor:
    "the ECS service replaced or destroyed; a new task definition or a new network configuration (subnets, security groups), which restarts every task; fewer desired tasks",
  check: (s) => {
    if (s.type !== "aws_ecs_service") return [];
    if (goes(s)) {
      return [
        {
          attribute: s.replacedBy.join(", ") || "(resource)",
          from: "present",
          to: fate(s),
          detail: `the service is ${s.action === "replace" ? "replaced: every task stops" : "destroyed"}`,
        },
      ];
    }
    const findings: Finding[] = [];
    if (isUpdate(s) && changed(s, "task_definition")) {
      findings.push({
        attribute: "task_definition",
        from: s.before.task_definition,
        to: afterOf(s, "task_definition"),
        detail: "a new task definition: the service rolls every task",
      });
    }
    if (isUpdate(s) && changed(s, "network_configuration")) {
      findings.push({
        attribute: "network_configuration",
        from: "current",
        to: "changed",
        detail: "a new network configuration (subnets, security groups or public IP): the service restarts every task in a new deployment",
      });
    }
    if (lowered(s, "desired_count")) {
      findings.push({
        attribute: "desired_count",
        from: s.before.desired_count,
        to: s.after.desired_count,
        detail: `desired tasks drop from ${s.before.desired_count} to ${s.after.desired_count}`,
      });
    }
    return findings;
  },
};

const entryPointReplaced: Rule = {
  id: "entry-point-replaced",
  kinds: ["availability"],
  raisedFor: "the ALB, a listener, a target group, the CloudFront distribution or an Aurora instance replaced or destroyed",
  check: (s) =>
    ENTRY_POINTS.includes(s.type) && goes(s)
      ? [
          {
            attribute: s.replacedBy.join(", ") || "(resource)",
            from: "present",
            to: fate(s),
            detail: `${s.type.replace("aws_", "")} is ${s.action === "replace" ? `replaced: requests fail until the new one is ready${DNS_NAMED.includes(s.type) ? ", and its DNS name changes" : ""}` : "destroyed"}`,
          },
        ]
      : [],
};

const scalingLowered: Rule = {
  id: "scaling-lowered",
  kinds: ["availability"],
  raisedFor: "autoscaling minimum or maximum lowered",
  check: (s) =>
    s.type === "aws_appautoscaling_target"
      ? ["min_capacity", "max_capacity"]
          .filter((k) => lowered(s, k))
          .map((k) => ({ attribute: k, from: s.before[k], to: s.after[k], detail: `${k} drops from ${s.before[k]} to ${s.after[k]}` }))
      : [],
};

const databaseRestarts: Rule = {
  id: "database-restarts",
  kinds: ["availability"],
  raisedFor:
    "a database's class, engine version (within a major), Multi-AZ, storage (grown) or node count changes (a restart or failover); a major upgrade and a storage shrink are rules of their own",
  check: (s) =>
    isUpdate(s)
      ? (RESTARTS[s.type] ?? [])
          .filter((k) => changed(s, k))
          .filter((k) => !(k === "engine_version" && majorUpgrade(s)) && !(k === "allocated_storage" && storageShrinks(s)))
          .map((k) => ({
            attribute: k,
            from: s.before[k] ?? null,
            to: afterOf(s, k),
            detail: `${k} changes (${JSON.stringify(s.before[k])} -> ${s.unknown[k] === true ? UNKNOWN : JSON.stringify(s.after[k])}): the database restarts or fails over in its maintenance window`,
          }))
      : [],
};

const natReduced: Rule = {
  id: "nat-reduced",
  kinds: ["availability"],
  raisedFor: "fewer NAT gateways: a zone's egress now depends on another zone's NAT gateway (or there is none)",
  check: (s) => {
    if (s.type !== "aws_nat_gateway" || s.action !== "destroy") return [];
    const nats = [...s.plan.changes.values()].filter((rc) => rc.type === "aws_nat_gateway");
    const before = nats.filter((rc) => actionOf(rc) !== "create").length;
    const after = nats.filter((rc) => actionOf(rc) !== "destroy").length;
    if (after >= before) return [];
    return [
      {
        attribute: "(resource)",
        from: before,
        to: after,
        detail:
          after === 0
            ? `NAT gateways drop from ${before} to none: the private subnets reach the internet no more, and AWS only through VPC endpoints`
            : `NAT gateways drop from ${before} to ${after}: the private subnets of this gateway's zone send their egress through another zone's NAT gateway, so an outage of that zone cuts the egress of both`,
      },
    ];
  },
};

const SECURITY_GROUP_RULES = ["aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"];

const securityGroupReplaced: Rule = {
  id: "security-group-replaced",
  kinds: ["availability"],
  raisedFor:
    "a security group replaced: says whether traffic through it stops, from the plan: no gap when its rules are created before the old ones go and its users move first; else from the old rules' deletion until its users have moved",
  check: (s) => {
    if (s.type !== "aws_security_group" || s.action !== "replace") return [];
    const id = s.before.id as unknown;
    const changes = [...s.plan.changes.values()];
    const rules = changes.filter(
      (rc) => SECURITY_GROUP_RULES.includes(rc.type) && (rc.change.before?.security_group_id === id || rc.change.before?.referenced_security_group_id === id),
    );
    // The plan says the order of a replacement: create then delete (create_before_destroy), or delete first.
    const deletedFirst = rules.filter((rc) => rc.change.actions[0] === "delete").map((rc) => rc.address);
    const users = changes
      .filter((rc) => !SECURITY_GROUP_RULES.includes(rc.type) && rc.type !== "aws_security_group" && rc.change.actions.join() !== "no-op")
      .filter((rc) => JSON.stringify(rc.change.before ?? {}).includes(`"${String(id)}"`))
      .map((rc) => rc.address);
    const forced = s.replacedBy.join(", ") || "the provider";
    const moving = users.length > 0 ? ` (${users.join(", ")})` : "";
    const detail =
      deletedFirst.length === 0
        ? `the security group is replaced (forced by ${forced}); its rules are created for the new group before the old ones are deleted (create_before_destroy), and its users${moving} depend on those rules, so they move to the new group first and the old rules and group go last: no gap in traffic is expected`
        : `the security group is replaced (forced by ${forced}); ${deletedFirst.join(", ")} ${deletedFirst.length === 1 ? "is" : "are"} deleted before ${deletedFirst.length === 1 ? "its" : "their"} replacement exists, so connections through the group stop from that deletion until its users${moving} have moved to the new group: for tasks, about the length of the service's redeployment (minutes); for a database or load balancer, its modification`;
    return [{ attribute: s.replacedBy.join(", ") || "(resource)", from: "present", to: "replaced", detail }];
  },
};

const repositoryReplaced: Rule = {
  id: "repository-replaced",
  kinds: ["availability"],
  raisedFor: "the ECR repository replaced or destroyed: the running image is gone, so tasks that start cannot pull it until it is pushed again",
  check: (s) =>
    s.type === "aws_ecr_repository" && goes(s)
      ? [
          {
            attribute: s.replacedBy.join(", ") || "(resource)",
            from: "present",
            to: fate(s),
            detail: `the repository is ${s.action === "replace" ? "replaced" : "destroyed"}: the image the service runs is gone with it, so every task that starts (scaling, a failed task, a deploy) fails to pull it until it is pushed again`,
          },
        ]
      : [],
};

const replicationStopped: Rule = {
  id: "image-replication-stopped",
  kinds: ["availability"],
  raisedFor: "the ECR replication configuration destroyed: images stop reaching the DR region",
  check: (s) =>
    s.type === "aws_ecr_replication_configuration" && s.action === "destroy"
      ? [
          {
            attribute: "(resource)",
            from: "present",
            to: "destroyed",
            detail:
              "image replication stops: images pushed from now on do not reach the other region, so a failover runs only images pushed before (unless another stack replicates them)",
          },
        ]
      : [],
};

const backupReplicationStopped: Rule = {
  id: "backup-replication-stopped",
  kinds: ["availability"],
  raisedFor: "an RDS automated backups replication destroyed: backups stop reaching the DR region",
  check: (s) =>
    s.type === "aws_db_instance_automated_backups_replication" && s.action === "destroy"
      ? [
          {
            attribute: "(resource)",
            from: "present",
            to: "destroyed",
            detail:
              "backup replication stops: the database's automated backups no longer reach the other region, so a restore there (point in time or the latest backup) has only what was replicated before (unless another stack replicates them)",
          },
        ]
      : [],
};

const networkReplaced: Rule = {
  id: "network-replaced",
  kinds: ["availability"],
  raisedFor: "a VPC or subnet replaced or destroyed, naming what runs in it: AWS deletes it only once nothing is left in it",
  check: (s) => {
    if ((s.type !== "aws_subnet" && s.type !== "aws_vpc") || !goes(s)) return [];
    const users = [
      ...new Set(s.plan.baseReferences.filter((r) => r.to === s.address && r.from.split(".")[0] !== "aws_route_table_association").map((r) => r.from)),
    ];
    return [
      {
        attribute: s.replacedBy.join(", ") || "(resource)",
        from: "present",
        to: fate(s),
        detail:
          `the ${s.type === "aws_vpc" ? "VPC" : "subnet"} is ${s.action === "replace" ? "replaced" : "destroyed"}: AWS deletes it only when no network interface is left in it, so what runs in it must move or be replaced first` +
          (users.length > 0 ? ` (${users.join(", ")})` : "") +
          "; what cannot move in place (a database, see database-moves-network) stops the apply here, with the resources planned before it already changed",
      },
    ];
  },
};

/** Every rule, in the order the report lists its flags within a kind. */
export const RULES: readonly Rule[] = [
  dataReplaced,
  dataDestroyed,
  auroraStartsEmpty,
  preventDestroy,
  deleteRefused,
  storageShrunk,
  majorVersionUpgrade,
  replicaParameterFamily,
  loadBalancerMovesVpc,
  keyDeleted,
  deletionProtectionOff,
  forceDeleteOn,
  finalSnapshotOff,
  backupRetentionShortened,
  logRetentionShortened,
  lifecycleExpiration,
  imageExpiration,
  databaseMovesNetwork,
  ruleOpened,
  internetFacing,
  plainHttp,
  webAclRemoved,
  publicAccessLoosened,
  policyLoosened,
  managedPolicyAttached,
  encryptionRemoved,
  serviceRestarts,
  entryPointReplaced,
  scalingLowered,
  databaseRestarts,
  natReduced,
  securityGroupReplaced,
  repositoryReplaced,
  replicationStopped,
  backupReplicationStopped,
  networkReplaced,
];

/** docs/change-review.md's table of the rules (a generated section): `more`, the rules on a stack as a whole, after the resources'. */
export function rulesTable(more: readonly Pick<Rule, "id" | "kinds" | "raisedFor">[] = []): string {
  return ["| Rule | Flag | Raised when |", "|---|---|---|", ...[...RULES, ...more].map((r) => `| \`${r.id}\` | ${r.kinds.join(", ")} | ${r.raisedFor} |`)].join(
    "\n",
  );
}
