/**
 * Plans a change against a stack as if its base were deployed, offline: the base configuration
 * is planned, turned into a state (state.ts) and re-planned until the provider sees nothing to
 * do; then the changed configuration is planned against that state with `-refresh=false`, so the
 * AWS provider's own diff logic decides update versus replace.
 */
import * as fs from "fs";
import * as path from "path";
import {
  cachedActions,
  cachedPlan,
  clearWorkDir,
  effectiveChanges,
  initOffline,
  OFFLINE_PLAN_ARGS,
  PLAN_CACHE_ENV,
  planKey,
  readCached,
  savedPlan,
  storePlan,
  terraformOk,
  type TerraformSetup,
  writeOfflineConfiguration,
} from "../terraform/harness";
import { type StackConfiguration, withoutPreventDestroy } from "./configuration";
import type { ResourceChange, ReviewPlan } from "../terraform/plan-json";
import { resourceSchemas, stateFromPlan, type TerraformState, withReferencedValues } from "./state";

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

/** The base plan's file in a deployed base's directory. */
const BASE_PLAN = "base.tfplan";

/**
 * Deploys `baseJson` into a state in `dir`, offline: plan, state from the planned values, and
 * plan again until nothing changes or MAX_ROUNDS plans were made. `createPlan`, a plan of the
 * same configuration against an empty state made elsewhere, saves the first plan.
 *
 * Within a test run (PLAN_CACHE_ENV), a base is deployed once and shared: the suite's round trip
 * of each stack and the review scenarios deploy the same configurations. A second caller of the
 * same base waits for the first one's state instead of planning it again.
 */
export function deployBase(setup: TerraformSetup, stack: string, baseJson: object, dir: string, createPlan?: ReviewPlan): DeployedBase {
  clearWorkDir(dir);
  writeOfflineConfiguration(dir, baseJson);
  initOffline(setup, dir);
  const cacheDir = setup.env[PLAN_CACHE_ENV];
  if (!cacheDir) return converge(setup, stack, baseJson, dir, createPlan);
  const cached = path.join(cacheDir, `deployed-${planKey(setup, dir, ["deployed"])}`);
  const shared = awaitShared(cached);
  if (shared) return fromShared(setup, dir, cached, shared);
  try {
    const deployed = converge(setup, stack, baseJson, dir, createPlan);
    if (deployed.residual.length > 0) storePlan(`${cached}.plan.json`, JSON.stringify(deployed.plan));
    else fs.copyFileSync(path.join(dir, BASE_PLAN), `${cached}.tfplan`);
    const { state, rounds, residual } = deployed;
    storePlan(`${cached}.json`, JSON.stringify({ state, rounds, residual }));
    return deployed;
  } finally {
    fs.rmSync(`${cached}.lock`, { force: true });
  }
}

/** What another caller stored of a base it deployed. */
interface SharedBase {
  readonly state: TerraformState;
  readonly rounds: number;
  readonly residual: ResourceChange[];
}

/** The most a caller waits for another one's deployment of the same base. */
const SHARED_WAIT_MS = 15 * 60_000;

/**
 * The shared base at `cached` once it is there: undefined when nobody deploys it, after taking
 * the lock (the caller deploys it then); waits while another caller holds the lock.
 */
function awaitShared(cached: string): SharedBase | undefined {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (const start = Date.now(); Date.now() - start < SHARED_WAIT_MS; Atomics.wait(pause, 0, 0, 500)) {
    if (fs.existsSync(`${cached}.json`)) {
      // the base's files are used together: each counts as used now
      const now = new Date();
      for (const suffix of [".tfplan", ".plan.json"]) if (fs.existsSync(`${cached}${suffix}`)) fs.utimesSync(`${cached}${suffix}`, now, now);
      return JSON.parse(readCached(`${cached}.json`));
    }
    try {
      fs.closeSync(fs.openSync(`${cached}.lock`, "wx"));
      return undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  return undefined;
}

/**
 * A base another caller deployed, in `dir`: its state, and its last plan when asked for. A
 * converged base's plan is shown as JSON the first time a caller asks for it, and kept beside
 * the base (`.plan.json`), so a later review of the same base does not show it again.
 */
function fromShared(setup: TerraformSetup, dir: string, cached: string, shared: SharedBase): DeployedBase {
  writeState(dir, shared.state);
  let plan: ReviewPlan | undefined = fs.existsSync(`${cached}.plan.json`) ? JSON.parse(fs.readFileSync(`${cached}.plan.json`, "utf8")) : undefined;
  return {
    dir,
    ...shared,
    get plan() {
      if (!plan) {
        fs.copyFileSync(`${cached}.tfplan`, path.join(dir, BASE_PLAN));
        const text = terraformOk(setup, dir, ["show", "-json", BASE_PLAN]);
        storePlan(`${cached}.plan.json`, text);
        plan = JSON.parse(text) as ReviewPlan;
      }
      return plan;
    },
  };
}

/** deployBase's rounds in `dir`, initialized for `baseJson`: plan, state, plan again. */
function converge(setup: TerraformSetup, stack: string, baseJson: object, dir: string, createPlan?: ReviewPlan): DeployedBase {
  const schemas = resourceSchemas(setup, dir);
  const identity = { lineage: `review-${stack}`, terraformVersion: setup.version };
  writeState(dir, undefined);
  const configuration = baseJson as StackConfiguration;
  let state = stateFromPlan(createPlan ?? planInDir(setup, dir), schemas, undefined, identity, configuration);
  for (let rounds = 2; ; rounds += 1) {
    writeState(dir, state);
    // Its own plan file: planChange's plans in the same directory must not overwrite it.
    const saved = savedPlan(setup, dir, OFFLINE_PLAN_ARGS, BASE_PLAN);
    // Converged: the plan's JSON (the data sources as read) only if a review asks for it.
    if (saved.changes === 0)
      return {
        dir,
        state,
        rounds,
        residual: [],
        get plan() {
          return saved.json();
        },
      };
    const plan = saved.json();
    const residual = effectiveChanges(plan);
    if (rounds >= MAX_ROUNDS) return { dir, state, rounds, residual, plan };
    state = stateFromPlan(plan, schemas, state, identity, configuration);
  }
}

/**
 * Plans `headJson` (undefined: the stack is removed, so a destroy plan of the base) against a
 * deployed base. The state is left as the base's, so the same base serves several heads.
 *
 * The configuration planned is a copy without `prevent_destroy`: Terraform refuses a plan that
 * destroys such a resource and reports nothing else, so the review plans the change whole and
 * flags those destroys itself (rules.ts, prevent-destroy).
 */
export function planChange(setup: TerraformSetup, base: DeployedBase, baseJson: object, headJson: object | undefined): ReviewPlan {
  writeOfflineConfiguration(base.dir, withoutPreventDestroy(headJson ?? baseJson));
  initOffline(setup, base.dir);
  // What the head reads of the base's resources, as a real state would have it.
  if (headJson) writeState(base.dir, withReferencedValues(base.state, headJson, resourceSchemas(setup, base.dir)));
  try {
    return planInDir(setup, base.dir, headJson ? [] : ["-destroy"]);
  } finally {
    writeState(base.dir, base.state);
  }
}

/**
 * What a plan of `headJson` against a deployed base does to each managed resource
 * (`create`, `update`, `replace`, `delete`, `move`, ...; no-ops left out), from Terraform's
 * machine-readable plan output alone: one process fewer than planChange, for checks that need
 * only the actions; kept in the plan cache, so the same head against the same base is planned once
 * (cachedActions).
 */
export function plannedActions(setup: TerraformSetup, base: DeployedBase, headJson: object): Map<string, string> {
  writeOfflineConfiguration(base.dir, withoutPreventDestroy(headJson));
  initOffline(setup, base.dir);
  writeState(base.dir, withReferencedValues(base.state, headJson, resourceSchemas(setup, base.dir)));
  try {
    return cachedActions(setup, base.dir, OFFLINE_PLAN_ARGS, "actions.tfplan");
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
