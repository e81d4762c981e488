/**
 * `npm run plan`: every stack of main.ts through an offline `terraform plan` (the mechanism of
 * the test suite), saved as review/<stack>/plan.json (`terraform show -json`) and summarized in
 * review/<stack>/summary.md. Plans come from the plan cache the suite and the review share
 * (harness.ts, PLAN_CACHE_ENV) when a stack's configuration was planned before.
 */
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../../src/validation/deployment";
import { cachedSynthesis } from "../../../src/synth/cache";
import { projectSettings } from "../../../src/synth/synthesize";
import { initOffline, PLAN_CACHE_ENV, planJson, prepareWorkDir, prunePlanCache, REVIEW_DIR, setupTerraform, WORK_ROOT } from "../terraform/harness";
import { summarizePlan } from "./plan-summary";

/** Plans every stack the settings of `env` produce and writes its plan and summary; `done` gets a line per stack. */
export function planStacks(done: (line: string) => void, env: NodeJS.ProcessEnv = process.env): void {
  const setup = setupTerraform(env);
  prunePlanCache(setup.env[PLAN_CACHE_ENV]!);
  const { stacks } = cachedSynthesis({ outdir: path.join(REVIEW_DIR, ".synth"), settings: projectSettings(env) });
  for (const stack of stacks) {
    const dir = prepareWorkDir(stack.name, stack.file, stack.isEnvironment, path.join(WORK_ROOT, "plan"));
    initOffline(setup, dir);
    const plan = planJson(setup, dir);
    const out = path.join(REVIEW_DIR, stack.name);
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, "plan.json"), JSON.stringify(plan, null, 2));
    const summary = summarizePlan(stack.name, plan);
    fs.writeFileSync(path.join(out, "summary.md"), summary);
    done(`${stack.name}: ${summary.split("\n")[2]} -> ${path.relative(PROJECT_ROOT, out)}/summary.md, plan.json`);
  }
}
