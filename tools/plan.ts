/**
 * `npm run plan`: every stack of main.ts through an offline `terraform plan` (the mechanism of
 * the test suite), saved as review/<stack>/plan.json (`terraform show -json`) and summarized in
 * review/<stack>/summary.md.
 */
import * as fs from "fs";
import * as path from "path";
import { summarizePlan } from "./review/plan-summary";
import { synthesizeAll } from "./offline/synth";
import { initOffline, planJson, prepareWorkDir, ROOT, setupTerraform, WORK_ROOT } from "./offline/terraform";

export const REVIEW_DIR = path.join(ROOT, "review");

function main(): void {
  const setup = setupTerraform();
  const stacks = synthesizeAll(path.join(REVIEW_DIR, ".synth"));
  for (const stack of stacks) {
    const dir = prepareWorkDir(stack.name, stack.file, stack.isEnvironment, path.join(WORK_ROOT, "plan"));
    initOffline(setup, dir);
    const plan = planJson(setup, dir);
    const out = path.join(REVIEW_DIR, stack.name);
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, "plan.json"), JSON.stringify(plan, null, 2));
    const summary = summarizePlan(stack.name, plan);
    fs.writeFileSync(path.join(out, "summary.md"), summary);
    console.log(`${stack.name}: ${summary.split("\n")[2]} -> ${path.relative(ROOT, out)}/summary.md, plan.json`);
  }
}

main();
