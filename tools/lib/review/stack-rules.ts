/**
 * Rules on a stack as a whole, compared between the base and the working tree before anything is
 * planned: where its state lives (the backend), the regions its providers deploy to, and whether
 * it is in the configuration at all. A plan cannot show these: it is made against one state and
 * one region, so it reports the resources as unchanged while the deploy would lose track of them.
 */
import * as path from "path";
import type { Finding, FlagKind } from "./rules";

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

/** Every stack rule. */
export const STACK_RULES: readonly StackRule[] = [stateMoved, regionMoved, stackLeft];
