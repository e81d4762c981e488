import { createHash } from "crypto";
import { NAME_RULES, nameProblems } from "../aws/name-rules";

/**
 * Names, in two senses:
 * - Terraform addresses (`aws_subnet.network_public_a`): what ops read in a plan and what state is
 *   keyed on. They come from the construct path below the stack, so they are readable and only
 *   change when a construct id changes.
 * - Physical AWS names (`smh-dashboard-prod-alb`): what shows in the console, within AWS limits.
 */

/**
 * Construct id of a construct's main resource, left out of addresses (AWS CDK's convention):
 * the role of `ServiceRole` "flow-logs-role" is `aws_iam_role.network_flow_logs_role`.
 */
export const PRIMARY_ID = "Resource";

/**
 * The Terraform variable a stack's AWS providers read their deploy role from, when the settings
 * name one (src/constructs/providers.ts, DeployRole): the pipeline sets `TF_VAR_deploy_role_arn`
 * to "" (docs/ci), and so do the offline checks (tools/lib/terraform/harness.ts).
 */
export const DEPLOY_ROLE_VARIABLE = "deploy_role_arn";

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

/**
 * `smh-dashboard-prod-`: how every physical name of an environment begins (its standby's too:
 * `smh-dashboard-prod-dr-`), which the pipeline's policies grant on.
 */
export function namePrefix(ctx: NameContext): string {
  return resourceName(ctx, "");
}

/** The names of an environment's DR standby: `smh-dashboard-prod-dr-<role>`. */
export function standbyNames(ctx: NameContext): NameContext {
  return { project: ctx.project, environment: drStackName(ctx.environment) };
}

/** Name of the ECS service in its cluster; the task definition family and log group are named after it. */
export const SERVICE_NAME = "dashboard";

/** The ECS cluster of an environment (or of its standby): `smh-dashboard-prod-cluster`. */
export function clusterName(ctx: NameContext): string {
  return resourceName(ctx, "cluster");
}

/** The task definition family of the dashboard: `smh-dashboard-prod-dashboard`. */
export function taskFamilyName(ctx: NameContext): string {
  return resourceName(ctx, SERVICE_NAME);
}

/** The dashboard image's repository: `smh-dashboard-prod-dashboard` (the standby's region holds ECR's replica under the same name). */
export function repositoryName(ctx: NameContext): string {
  return resourceName(ctx, "dashboard");
}

/** Identifier of an environment's RDS instance (and of its parameter and subnet groups): `smh-dashboard-prod-db`. */
export function dbInstanceName(ctx: NameContext): string {
  return resourceName(ctx, "db");
}

/** The name a failback moves a failed-over primary's RDS instance to, kept until the restored one serves. */
export function setAsideDbInstanceName(ctx: NameContext): string {
  return `${dbInstanceName(ctx)}-pre-failover`;
}

/** The CloudFront distribution's comment, by which the runbooks find its generated id. */
export function distributionComment(ctx: NameContext): string {
  return resourceName(ctx, "dashboard");
}

/** A KMS key's alias without `alias/`: `smh-dashboard-prod-<role>` (data, logs, dr, database, cache). */
export function keyAliasName(ctx: NameContext, role: string): string {
  return resourceName(ctx, role);
}

/** The ALB (internet-facing or internal) and its VPC origin: `smh-dashboard-prod-alb`; AWS-1 (src/aws/name-rules.ts) holds it to 32 characters. */
export function loadBalancerName(ctx: NameContext): string {
  return resourceName(ctx, "alb");
}

/**
 * Where each log group's name begins: CloudWatch Logs has no other namespace, so the pipeline's
 * policies grant on these. WAF requires its prefix; RDS chooses its own.
 */
export const LOG_GROUP_PREFIX = {
  service: "/ecs/",
  flowLogs: "/aws/vpc/flow-logs/",
  waf: "aws-waf-logs-",
  cache: "/elasticache/",
  rds: "/aws/rds/instance/",
} as const;

/** The dashboard tasks' log group: `/ecs/smh-dashboard-prod-dashboard`. */
export function serviceLogGroupName(ctx: NameContext): string {
  return `${LOG_GROUP_PREFIX.service}${taskFamilyName(ctx)}`;
}

/** The VPC's flow log group: `/aws/vpc/flow-logs/smh-dashboard-prod-vpc`. */
export function flowLogGroupName(ctx: NameContext): string {
  return `${LOG_GROUP_PREFIX.flowLogs}${resourceName(ctx, "vpc")}`;
}

/** The log group of a web ACL. */
export function wafLogGroupName(webAclName: string): string {
  return `${LOG_GROUP_PREFIX.waf}${webAclName}`;
}

/** A cache's slow or engine log group. */
export function cacheLogGroupName(replicationGroupId: string, type: "slow-log" | "engine-log"): string {
  return `${LOG_GROUP_PREFIX.cache}${replicationGroupId}/${type}`;
}

/** A pipeline role of an environment: `smh-dashboard-ci-prod-deployer`; outside the environment's prefix, so its deployer cannot change it. */
export function pipelineRoleName(project: string, environment: string, job: string): string {
  return resourceName({ project, environment: `ci-${environment}` }, job);
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

/**
 * The problems of a physical name by AWS's rule for its resource type and attribute
 * (src/aws/name-rules.ts, which policy rule AWS-1 applies to every synthesized name), each
 * naming it; the settings validation reports them before synthesis, with the setting to change.
 */
function nameRuleProblems(type: string, attribute: string, name: string): string[] {
  const rule = NAME_RULES.find((r) => r.type === type && r.attribute === attribute);
  if (!rule) throw new Error(`src/aws/name-rules.ts has no rule for ${type}.${attribute}`);
  return nameProblems(rule, name).map((problem) => `"${name}" ${problem}`);
}

/** Problems with a bucket name by S3's rules (empty when valid). */
export function bucketNameProblems(name: string): string[] {
  return nameRuleProblems("aws_s3_bucket", "bucket", name);
}

/** Problems with an RDS identifier (cluster, instance, global cluster) by RDS's rules (empty when valid). */
export function rdsIdentifierProblems(name: string): string[] {
  return nameRuleProblems("aws_rds_cluster", "cluster_identifier", name);
}

/** Problems with an ElastiCache replication group, user or user group id by ElastiCache's rules (empty when valid). */
export function elastiCacheIdProblems(name: string): string[] {
  return nameRuleProblems("aws_elasticache_replication_group", "replication_group_id", name);
}

/** Roles of the account baseline's buckets. */
export const ACCOUNT_BUCKET_ROLES = ["config", "cloudtrail"] as const;
export type AccountBucketRole = (typeof ACCOUNT_BUCKET_ROLES)[number];

/** `smh-dashboard-cloudtrail-us-east-1-123456789012`: a bucket of the account baseline (one per account and region). */
export function accountBucketName(project: string, role: AccountBucketRole, region: string, accountId: string): string {
  return `${project}-${role}-${region}-${accountId}`;
}

/**
 * `smh-dashboard-cloudtrail-us-west-2-333333333333`: the bucket in the state account (and the
 * state region) that every account's trail delivers to with baseline.cloudTrailToStateAccount; a
 * region apart from any account baseline's own trail bucket.
 */
export function auditBucketName(project: string, stateRegion: string, stateAccountId: string): string {
  return accountBucketName(project, "cloudtrail", stateRegion, stateAccountId);
}

/** The name of every account's audit trail: `smh-dashboard-audit-trail`. */
export function trailName(project: string): string {
  return resourceName({ project, environment: "audit" }, "trail");
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

/** The stacks an account has once: its guardrails and its pipeline identities. */
export type AccountStackKind = typeof BASELINE_STACK | typeof CI_STACK;

/**
 * The stack of `kind` for one account: `baseline` and `ci` in the default account (the top-level
 * accountId: a single-account deployment keeps its names and state keys), `baseline-<account id>`
 * and `ci-<account id>` in any other. Environment names have no hyphen, so none collides.
 */
export function accountStackName(kind: AccountStackKind, account: { readonly accountId: string; readonly isDefault: boolean }): string {
  return account.isDefault ? kind : `${kind}-${account.accountId}`;
}

/** The shared stack a name belongs to (state, an account's baseline or CI stack), or undefined for an environment's or a standby's. */
export function sharedStackKind(name: string): typeof STATE_STACK | AccountStackKind | undefined {
  if (name === STATE_STACK) return STATE_STACK;
  for (const kind of [BASELINE_STACK, CI_STACK] as const) if (name === kind || new RegExp(`^${kind}-\\d{12}$`).test(name)) return kind;
  return undefined;
}

/** The bucket that receives the state bucket's server access logs, beside it in the DR region. */
export function stateAccessLogsBucketName(project: string, stateRegion: string, suffix: string): string {
  return `${project}-tfstate-logs-${stateRegion}-${suffix}`;
}

/** The state object key of one environment in the state bucket. */
export function stateKey(project: string, environment: string): string {
  return `${project}/${environment}/terraform.tfstate`;
}
