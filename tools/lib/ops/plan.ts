/**
 * `npm run plan`: every stack of main.ts through an offline `terraform plan` (the mechanism of
 * the test suite), saved as review/<stack>/plan.json (`terraform show -json`) and summarized in
 * review/<stack>/summary.md. Plans come from the plan cache the suite and the review share
 * (harness.ts, PLAN_CACHE_ENV) when a stack's configuration was planned before.
 *
 * Loaded as a worker thread by the command (plan-run.ts): Terraform's commands block the thread
 * that runs them, and the command's thread says meanwhile what is being planned.
 */
import * as fs from "fs";
import * as path from "path";
import { parentPort, workerData } from "worker_threads";
import { ConfigurationError } from "../../../src/validation";
import { PROJECT_ROOT } from "../../../src/validation/deployment";
import { cachedSynthesis } from "../../../src/synth/cache";
import { projectSettings } from "../../../src/synth/synthesize";
import {
  initOffline,
  OFFLINE_PLAN_ARGS,
  PLAN_CACHE_ENV,
  prepareWorkDir,
  prunePlanCache,
  REVIEW_DIR,
  setupTerraform,
  sourcedPlan,
  WORK_ROOT,
} from "../terraform/harness";
import { summarizePlan } from "./plan-summary";

/** What planStacks says as it goes, in order: the synthesis, then each stack as it starts and as it is done. */
export type PlanEvent =
  | { readonly kind: "synthesizing" }
  | { readonly kind: "planning"; readonly stack: string }
  /** `line`: what `npm run plan` prints of the stack; `fromCache`: its plan was read from the plan cache. */
  | { readonly kind: "planned"; readonly stack: string; readonly line: string; readonly fromCache: boolean };

/**
 * What a worker running planStacks posts: its events, or that the run stopped (`configuration`:
 * a ConfigurationError, whose message lists every problem of the settings).
 */
export type PlanMessage = PlanEvent | { readonly kind: "failed"; readonly message: string; readonly configuration: boolean };

/** Plans every stack the settings of `env` produce and writes its plan and summary, telling `on` as it goes. */
export function planStacks(on: (event: PlanEvent) => void, env: NodeJS.ProcessEnv = process.env): void {
  on({ kind: "synthesizing" });
  // Synthesis validates the settings first: their problems are said whether or not Terraform is there.
  const { stacks } = cachedSynthesis({ outdir: path.join(REVIEW_DIR, ".synth"), settings: projectSettings(env) });
  const setup = setupTerraform(env);
  prunePlanCache(setup.env[PLAN_CACHE_ENV]!);
  for (const stack of stacks) {
    on({ kind: "planning", stack: stack.name });
    const dir = prepareWorkDir(stack.name, stack.file, stack.isEnvironment, path.join(WORK_ROOT, "plan"));
    initOffline(setup, dir);
    const { plan, source } = sourcedPlan(setup, dir, OFFLINE_PLAN_ARGS);
    const out = path.join(REVIEW_DIR, stack.name);
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, "plan.json"), JSON.stringify(plan, null, 2));
    const summary = summarizePlan(stack.name, plan);
    fs.writeFileSync(path.join(out, "summary.md"), summary);
    const line = `${stack.name}: ${summary.split("\n")[2]} -> ${path.relative(PROJECT_ROOT, out)}/summary.md, plan.json`;
    on({ kind: "planned", stack: stack.name, line, fromCache: source === "plan cache" });
  }
}

/** The data a worker of plan-run.ts is started with. */
export interface PlanWorkerData {
  readonly planStacks: true;
}

if (parentPort && (workerData as Partial<PlanWorkerData> | null)?.planStacks) {
  const port = parentPort;
  try {
    planStacks((event) => port.postMessage(event));
  } catch (error) {
    // An error does not cross to the command's thread as itself: its message and kind do.
    port.postMessage({ kind: "failed", message: (error as Error).message, configuration: error instanceof ConfigurationError } satisfies PlanMessage);
  }
}
