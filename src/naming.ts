import { createHash } from "crypto";

/**
 * Names, in two senses:
 * - Terraform addresses (`aws_subnet.network_public_a`): what ops read in a plan and what state is
 *   keyed on. They come from the construct path below the stack, so they are readable and only
 *   change when a construct id changes.
 * - Physical AWS names (`smh-dashboard-prod-alb`): what shows in the console, within AWS limits.
 */

/** Largest length AWS allows for ALB and target group names. */
export const LB_NAME_MAX = 32;
/** Largest length AWS allows for S3 bucket names. */
export const BUCKET_NAME_MAX = 63;
/** Largest length AWS allows for RDS DB cluster, instance and global cluster identifiers. */
export const RDS_IDENTIFIER_MAX = 63;
/** Largest length AWS allows for an ElastiCache replication group id (and user and user group ids). */
export const ELASTICACHE_ID_MAX = 40;

/**
 * Construct id of a construct's main resource, left out of addresses (AWS CDK's convention):
 * the role of `ServiceRole` "flow-logs-role" is `aws_iam_role.network_flow_logs_role`.
 */
export const PRIMARY_ID = "Resource";

/**
 * The Terraform logical id for a construct path below its stack:
 * `["network", "public-a"]` -> `network_public_a`.
 */
export function logicalId(pathBelowStack: readonly string[]): string {
  const id = pathBelowStack
    .filter((part) => part !== PRIMARY_ID)
    .map((part) => part.replace(/([a-z0-9])([A-Z])/g, "$1_$2"))
    .join("_")
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^_|_$/g, "");
  if (!/^[a-z]/.test(id)) {
    throw new Error(`construct path "${pathBelowStack.join("/")}" gives the Terraform name "${id}", which must start with a letter`);
  }
  return id;
}

/** Identity that every physical name of one environment is derived from. */
export interface NameContext {
  /** Project slug, e.g. `smh-dashboard`. */
  readonly project: string;
  /** Environment name, e.g. `prod`. */
  readonly environment: string;
}

/** `smh-dashboard-prod-<role>`: the physical name of a regional resource. */
export function resourceName(ctx: NameContext, role: string): string {
  return `${ctx.project}-${ctx.environment}-${role}`;
}

/** Identifier of an environment's Aurora DB cluster (its instances add `-a`, `-b`, ...): `smh-dashboard-prod-aurora`. */
export function auroraClusterName(ctx: NameContext): string {
  return resourceName(ctx, "aurora");
}

/** Identifier of the Aurora global database of an environment, which its DR standby joins by this name. */
export function globalClusterName(ctx: NameContext): string {
  return resourceName(ctx, "global");
}

/** Id of an environment's ElastiCache replication group (and of its user group): `smh-dashboard-prod-cache`. */
export function cacheName(ctx: NameContext): string {
  return resourceName(ctx, "cache");
}

/** Id and user name of the ElastiCache user the tasks connect as (IAM authentication needs both equal). */
export function cacheUserName(ctx: NameContext): string {
  return resourceName(ctx, "app");
}

/**
 * The ElastiCache ids a cache takes: its replication group (and user group), its user, and with
 * Redis OSS the switched-off user named "default" that a Redis OSS user group must hold.
 */
export function cacheIds(ctx: NameContext, engine: "valkey" | "redis"): string[] {
  return [cacheName(ctx), cacheUserName(ctx), ...(engine === "redis" ? [`${cacheName(ctx)}-default`] : [])];
}

/**
 * The physical name of a resource that is created before the one it replaces
 * (create_before_destroy) where AWS offers no usable name prefix: `<base>-<hash>`, the hash of
 * every argument that forces a replacement, so a replacement never asks for the name of the
 * resource it replaces while that still exists (AWS refuses the duplicate).
 */
export function replacementSafeName(base: string, forceNew: readonly unknown[], hashLength = 6): string {
  return `${base}-${createHash("sha256").update(JSON.stringify(forceNew)).digest("hex").slice(0, hashLength)}`;
}

/** The part of a bucket name that makes it globally unique: region and a suffix (default the account id). */
export interface BucketNameContext extends NameContext {
  readonly region: string;
  readonly suffix: string;
}

/** `smh-dashboard-prod-models-us-east-1-123456789012`: globally unique, readable bucket name. */
export function bucketName(ctx: BucketNameContext, role: string): string {
  return `${ctx.project}-${ctx.environment}-${role}-${ctx.region}-${ctx.suffix}`;
}

/** Problems with a bucket name by S3's rules (empty when valid). */
export function bucketNameProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length > BUCKET_NAME_MAX) {
    problems.push(`"${name}" is ${name.length} characters; S3 allows ${BUCKET_NAME_MAX}`);
  }
  if (!/^[a-z0-9][a-z0-9-]*[a-z0-9]$/.test(name)) {
    problems.push(`"${name}" may hold only lower-case letters, digits and hyphens, and must start and end with a letter or digit`);
  }
  return problems;
}

/**
 * Problems with an RDS identifier (cluster, instance, global cluster) by RDS's rules: 1-63
 * letters, digits or hyphens, starting with a letter, no two consecutive hyphens, not ending with
 * a hyphen (RDS User Guide, "Naming constraints"). Empty when valid.
 */
export function rdsIdentifierProblems(name: string): string[] {
  return identifierProblems(name, RDS_IDENTIFIER_MAX, "RDS");
}

/**
 * Problems with an ElastiCache replication group, user or user group id: 1-40 lower-case letters,
 * digits or hyphens, starting with a letter, no two consecutive hyphens, not ending with a hyphen
 * (ElastiCache API reference, CreateReplicationGroup "ReplicationGroupId"). Empty when valid.
 */
export function elastiCacheIdProblems(name: string): string[] {
  return identifierProblems(name, ELASTICACHE_ID_MAX, "ElastiCache");
}

function identifierProblems(name: string, max: number, service: string): string[] {
  const problems: string[] = [];
  if (name.length > max) problems.push(`"${name}" is ${name.length} characters; ${service} allows ${max}`);
  if (!/^[a-z][a-z0-9-]*$/.test(name) || name.includes("--") || name.endsWith("-")) {
    problems.push(`"${name}" must be lower-case letters, digits and single hyphens, start with a letter and not end with a hyphen (${service})`);
  }
  return problems;
}

/** Roles of the account baseline's buckets. */
export const ACCOUNT_BUCKET_ROLES = ["config", "cloudtrail"] as const;
export type AccountBucketRole = (typeof ACCOUNT_BUCKET_ROLES)[number];

/** `smh-dashboard-cloudtrail-us-east-1-123456789012`: a bucket of the account baseline (one per account and region). */
export function accountBucketName(project: string, role: AccountBucketRole, region: string, accountId: string): string {
  return `${project}-${role}-${region}-${accountId}`;
}

/** The bucket that holds Terraform state for every environment, in the state (DR) region. */
export function stateBucketName(project: string, stateRegion: string, suffix: string): string {
  return `${project}-tfstate-${stateRegion}-${suffix}`;
}

/** Name of the state bootstrap stack. */
export const STATE_STACK = "state";
/** Name of the account baseline stack. */
export const BASELINE_STACK = "baseline";
/** Name of the DR standby stack of an environment: `prod-dr` (environment names have no hyphen). */
export function drStackName(environment: string): string {
  return `${environment}-dr`;
}

/** Whether a stack name is an environment's DR standby. */
export function isDrStack(name: string): boolean {
  return name.endsWith("-dr");
}

/** Name of the stack of CI identities (OIDC provider, pipeline roles). */
export const CI_STACK = "ci";

/** The bucket that receives the state bucket's server access logs, beside it in the DR region. */
export function stateAccessLogsBucketName(project: string, stateRegion: string, suffix: string): string {
  return `${project}-tfstate-logs-${stateRegion}-${suffix}`;
}

/** The state object key of one environment in the state bucket. */
export function stateKey(project: string, environment: string): string {
  return `${project}/${environment}/terraform.tfstate`;
}
