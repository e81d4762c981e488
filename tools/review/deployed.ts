/**
 * Plans a change against a stack as if its base were deployed, offline: the base configuration
 * is planned, turned into a state (state.ts) and re-planned until the provider sees nothing to
 * do; then the changed configuration is planned against that state with `-refresh=false`, so the
 * AWS provider's own diff logic decides update versus replace.
 */
import * as fs from "fs";
import * as path from "path";
import {
  cachedPlan,
  clearWorkDir,
  effectiveChanges,
  initOffline,
  OFFLINE_PLAN_ARGS,
  savedPlan,
  type TerraformSetup,
  writeOfflineConfiguration,
} from "../offline/terraform";
import { type PlanForState, resourceSchemas, stateFromPlan, type SynthesizedConfiguration, type TerraformState, withReferencedValues } from "./state";

/** One resource change of a plan (`terraform show -json`), as the review reads it. */
export interface ResourceChange {
  address: string;
  previous_address?: string;
  mode: string;
  type: string;
  name: string;
  index?: string | number;
  provider_name: string;
  action_reason?: string;
  change: {
    actions: string[];
    before: any;
    after: any;
    after_unknown?: any;
    replace_paths?: (string | number)[][];
  };
}

/** The plan JSON the review reads. */
export interface ReviewPlan extends PlanForState {
  resource_changes?: ResourceChange[];
  /** The state planned against, with the data sources read while planning. */
  prior_state?: { values?: { root_module?: { resources?: { address: string; mode: string; values: Record<string, unknown> }[] } } };
}

/** A stack's base, "deployed" into a state offline. */
export interface DeployedBase {
  /** The working directory; holds the state as terraform.tfstate. */
  readonly dir: string;
  readonly state: TerraformState;
  /** Planning the base again against its state until it converged took this many plans. */
  readonly rounds: number;
  /**
   * Changes the provider still plans for the unchanged base after the last round: values it
   * cannot round-trip without AWS. The review reports them and does not count them as changes.
   */
  readonly residual: ResourceChange[];
  /** The last plan of the base against its state (its data sources as read when deployed). */
  readonly plan: ReviewPlan;
}

export { effectiveChanges };

/** `terraform plan -refresh=false` of what is in `dir` against its state, as plan JSON. */
export function planInDir(setup: TerraformSetup, dir: string, extra: string[] = []): ReviewPlan {
  return cachedPlan(setup, dir, [...OFFLINE_PLAN_ARGS, ...extra]);
}

function writeState(dir: string, state: TerraformState | undefined): void {
  const file = path.join(dir, "terraform.tfstate");
  if (state) fs.writeFileSync(file, JSON.stringify(state, null, 2));
  else fs.rmSync(file, { force: true });
}

/** The most plans spent making the base's state round-trip. */
export const MAX_ROUNDS = 5;

/**
 * Deploys `baseJson` into a state in `dir`, offline: plan, state from the planned values, and
 * plan again until nothing changes or MAX_ROUNDS plans were made. `createPlan`, a plan of the
 * same configuration against an empty state made elsewhere, saves the first plan.
 */
export function deployBase(setup: TerraformSetup, stack: string, baseJson: object, dir: string, createPlan?: ReviewPlan): DeployedBase {
  clearWorkDir(dir);
  writeOfflineConfiguration(dir, baseJson);
  initOffline(setup, dir);
  const schemas = resourceSchemas(setup, dir);
  const identity = { lineage: `review-${stack}`, terraformVersion: setup.version };
  writeState(dir, undefined);
  const configuration = baseJson as SynthesizedConfiguration;
  let state = stateFromPlan(createPlan ?? planInDir(setup, dir), schemas, undefined, identity, configuration);
  for (let rounds = 2; ; rounds += 1) {
    writeState(dir, state);
    // Its own plan file: planChange's plans in the same directory must not overwrite it.
    const saved = savedPlan(setup, dir, OFFLINE_PLAN_ARGS, "base.tfplan");
    // Converged: the plan's JSON (the data sources as read) only if a review asks for it.
    if (saved.changes === 0) return { dir, state, rounds, residual: [], get plan() { return saved.json(); } };
    const plan = saved.json();
    const residual = effectiveChanges(plan);
    if (rounds >= MAX_ROUNDS) return { dir, state, rounds, residual, plan };
    state = stateFromPlan(plan, schemas, state, identity, configuration);
  }
}

/**
 * Plans `headJson` (undefined: the stack is removed, so a destroy plan of the base) against a
 * deployed base. The state is left as the base's, so the same base serves several heads.
 */
export function planChange(setup: TerraformSetup, base: DeployedBase, baseJson: object, headJson: object | undefined): ReviewPlan {
  writeOfflineConfiguration(base.dir, headJson ?? baseJson);
  initOffline(setup, base.dir);
  // What the head reads of the base's resources, as a real state would have it.
  if (headJson) writeState(base.dir, withReferencedValues(base.state, headJson, resourceSchemas(setup, base.dir)));
  try {
    return planInDir(setup, base.dir, headJson ? [] : ["-destroy"]);
  } finally {
    writeState(base.dir, base.state);
  }
}

/** Plans a stack that did not exist in the base: everything is a create. */
export function planNewStack(setup: TerraformSetup, headJson: object, dir: string): ReviewPlan {
  clearWorkDir(dir);
  writeOfflineConfiguration(dir, headJson);
  initOffline(setup, dir);
  return planInDir(setup, dir);
}
