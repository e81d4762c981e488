/**
 * Rules on a stack as a whole, compared between the base and the working tree before anything is
 * planned: where its state lives (the backend), the regions its providers deploy to, and whether
 * it is in the configuration at all. A plan cannot show these: it is made against one state and
 * one region, so it reports the resources as unchanged while the deploy would lose track of them.
 */
import * as path from "path";
import type { Finding, FlagKind } from "./rules";
import { environmentFile } from "../../../src/validation/deployment";

/** A synthesized stack as these rules read it. */
export interface StackShape {
  readonly terraform?: { readonly backend?: Record<string, Record<string, unknown>> };
  readonly provider?: { readonly aws?: readonly { readonly alias?: string; readonly region?: string }[] };
  readonly resource?: Record<string, Record<string, unknown>>;
}

/** One side of the comparison: the stack (absent when the side has none) and the tree it was synthesized in. */
export interface StackSide {
  readonly json?: StackShape;
  /** The tree's root: a local backend's path is read from `<root>/cdktf.out/stacks/<stack>`, where cdktf runs Terraform. */
  readonly root: string;
}

/** A finding of a stack rule, on the part of the stack it is about (`terraform.backend`, `provider.aws.dr`, `(stack)`). */
export interface StackFinding extends Finding {
  readonly address: string;
}

export interface StackRule {
  readonly id: string;
  readonly kinds: readonly FlagKind[];
  readonly raisedFor: string;
  readonly check: (stack: string, base: StackSide, head: StackSide) => StackFinding[];
}

const resourceCount = (json: StackShape) => Object.values(json.resource ?? {}).reduce((n, r) => n + Object.keys(r).length, 0);

/**
 * Where a backend keeps the state, in words that compare equal for the same place: an S3
 * bucket, key and region; a local file as the path from the stack's directory (an absolute path
 * inside the tree and the relative path to the same file are one place).
 */
export function stateLocation(stack: string, side: StackSide): string {
  const backend = side.json?.terraform?.backend ?? {};
  const [type] = Object.keys(backend);
  if (!type) return "local terraform.tfstate (no backend)";
  const config = backend[type];
  if (type === "s3") return `s3://${String(config.bucket)}/${String(config.key)} (${String(config.region)})`;
  if (type === "local") {
    const dir = path.join(side.root, "cdktf.out", "stacks", stack);
    const file = typeof config.path === "string" ? config.path : "terraform.tfstate";
    return `local ${path.relative(dir, path.resolve(dir, file))}`;
  }
  return `${type} ${JSON.stringify(config)}`;
}

const stateMoved: StackRule = {
  id: "state-moved",
  kinds: ["data at risk"],
  raisedFor: "a stack's backend (state bucket, key, region or local file) changes: the next deploy reads an empty state and plans to create what exists",
  check: (stack, base, head) => {
    if (!base.json || !head.json) return [];
    const [from, to] = [stateLocation(stack, base), stateLocation(stack, head)];
    if (from === to) return [];
    return [
      {
        address: "terraform.backend",
        attribute: "backend",
        from,
        to,
        detail:
          `the state moves from ${from} to ${to}: Terraform does not carry it over by itself, so the next deploy reads an empty state and plans to create the ` +
          `${resourceCount(base.json)} resources that already exist (AWS refuses the names taken; the rest are created twice and the originals are no longer managed), ` +
          `or init stops because the backend changed. Move the state first: terraform init -migrate-state in cdktf.out/stacks/${stack} (or copy the state object), then deploy`,
      },
    ];
  },
};

/** The region of each AWS provider of a stack, by alias (`default` for the one without). */
const regionsOf = (json: StackShape) => new Map((json.provider?.aws ?? []).map((p) => [p.alias ?? "default", p.region]));

const regionMoved: StackRule = {
  id: "region-moved",
  kinds: ["data at risk"],
  raisedFor: "an AWS provider of a stack changes region: its resources stay where they are, no longer managed, and a second set is created in the new region",
  check: (stack, base, head) => {
    if (!base.json || !head.json) return [];
    const after = regionsOf(head.json);
    return [...regionsOf(base.json)]
      .filter(([alias, region]) => after.has(alias) && after.get(alias) !== region)
      .map(([alias, region]) => ({
        address: `provider.aws.${alias}`,
        attribute: "region",
        from: region,
        to: after.get(alias),
        detail:
          `the provider ${alias} moves from ${region} to ${after.get(alias)}: the resources it deployed stay in ${region}, running and no longer managed, ` +
          `and the next deploy looks for them in ${after.get(alias)} and creates a second set there (the plan, made against the old state, cannot show this). ` +
          `Destroy the old set from the base first (npm run destroy -- ${stack} at the base commit), or move the stack in a change of its own`,
      }));
  },
};

const stackLeft: StackRule = {
  id: "stack-left",
  kinds: ["exposure"],
  raisedFor: "a stack leaves the configuration: cdktf deploy does not destroy it, so its resources keep running, orphaned",
  check: (stack, base, head) =>
    base.json && !head.json
      ? [
          {
            address: "(stack)",
            attribute: "(stack)",
            from: "deployed",
            to: "left running",
            detail:
              `the stack leaves the configuration, but nothing destroys it: cdktf deploy deploys the stacks it has, so the ${resourceCount(base.json)} resources of ${stack} keep running ` +
              `(and costing), no longer updated or reviewed. To remove them, at the base commit: npm run destroy -- ${stack} (protected data stops it: see docs/operations.md, ` +
              `"Tearing down an environment"); to keep them, keep the stack`,
          },
        ]
      : [],
};

/** Each image replication of an ECR replication configuration: the repository filter and the region it copies to, by the resource's address. */
function imageReplications(json: StackShape): { address: string; filter: string; region: string }[] {
  const configurations = (json.resource?.aws_ecr_replication_configuration ?? {}) as Record<string, { replication_configuration?: ReplicationConfiguration }>;
  return Object.entries(configurations).flatMap(([name, resource]) =>
    (resource.replication_configuration?.rule ?? []).flatMap((rule) =>
      (rule.repository_filter ?? []).flatMap((f) =>
        (rule.destination ?? []).map((d) => ({ address: `aws_ecr_replication_configuration.${name}`, filter: f.filter, region: d.region })),
      ),
    ),
  );
}

interface ReplicationConfiguration {
  readonly rule?: readonly { readonly destination?: readonly { region: string }[]; readonly repository_filter?: readonly { filter: string }[] }[];
}

/** The environments whose pipeline roles a ci stack holds: each has a deployer role, `aws_iam_role.<env>_deployer` (PipelineRoles). */
const pipelineEnvironments = (json: StackShape): string[] =>
  Object.keys(json.resource?.aws_iam_role ?? {})
    .map((name) => /^([a-z0-9]+)_deployer$/.exec(name)?.[1])
    .filter((env): env is string => env !== undefined);

/** The causes of a lost environment, each with its fix: removed on purpose, or declared only in a settings file that the shared stacks now leave out. */
const lostBecause = (environment: string) =>
  `If ${environment} was removed on purpose, deploy this once its stacks are destroyed and acknowledge the flag. If only a DEPLOYMENT_SETTINGS file declares it ` +
  `(a personal environment, which the shared stacks leave out, or a file the base was synthesized with and the working tree not), commit ${environmentFile(environment)} ` +
  `if the team deploys it from CI or gives it a standby; otherwise acknowledge the flag`;

const environmentLost: StackRule = {
  id: "environment-lost",
  kinds: ["data at risk", "availability"],
  raisedFor:
    "a shared stack loses what it holds for an environment: the baseline its image replication to the DR region (data at risk: the standby's copy), ci the pipeline's roles and their state grants (availability)",
  // Read from what the stacks hold, not their names: any stack with the registry's replication
  // configuration (the baseline), any with pipeline roles (ci).
  check: (_stack, base, head) => {
    if (!base.json || !head.json) return [];
    const keptReplications = new Set(imageReplications(head.json).map((r) => `${r.filter} ${r.region}`));
    const keptPipelines = new Set(pipelineEnvironments(head.json));
    return [
      ...imageReplications(base.json)
        .filter((r) => !keptReplications.has(`${r.filter} ${r.region}`))
        .map((r) => ({
          address: r.address,
          attribute: "replication_configuration.rule.repository_filter",
          from: `${r.filter} -> ${r.region}`,
          to: "(not replicated)",
          kind: "data at risk" as const,
          detail:
            `ECR stops copying ${r.filter} to ${r.region}: every image pushed from then on exists in the primary region only, so the standby there cannot start ` +
            `the version in service, and a regional outage leaves it without one. ${lostBecause(r.filter.replace(/^.*-([a-z0-9]+)-dashboard$/, "$1"))}`,
        })),
      ...pipelineEnvironments(base.json)
        .filter((env) => !keptPipelines.has(env))
        .map((env) => ({
          address: `aws_iam_role.${env}_deployer`,
          attribute: "(resource)",
          from: `${env}'s pipeline roles`,
          to: "(destroyed)",
          kind: "availability" as const,
          detail:
            `the pipeline loses ${env}'s roles (image publisher, plan reader, deployer) with the deployer's grants on ${env}'s state: CI can no longer publish, plan or deploy ${env}, ` +
            `and a workflow that assumes them fails. ${lostBecause(env)}`,
        })),
    ];
  },
};

/** Every stack rule. */
export const STACK_RULES: readonly StackRule[] = [stateMoved, regionMoved, stackLeft, environmentLost];
