/**
 * Before the specs of a whole run: one offline plan of every stack main.ts synthesizes, two at a
 * time (the machine has two cores and terraform spends them decoding the AWS provider's schema),
 * into the plan cache (content-addressed: a stack whose inputs are unchanged since the last run
 * is not planned again; SMH_PLAN_CACHE=run starts it empty). terraform.spec, the review specs and the
 * documented `npm run plan` (docs.spec) then read each stack's plan instead of planning it again.
 * A run of selected spec files skips this and plans lazily through the same cache.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { cachedSynthesis } from "../src/synth/cache";
import { projectSettings } from "../src/synth/synthesize";
import {
  DEFAULT_PLAN_CACHE,
  markInitialized,
  OFFLINE_PLAN_ARGS,
  PLAN_CACHE_ENV,
  PLAN_CACHE_KEEP_ENV,
  pendingInit,
  planCacheFile,
  prepareWorkDir,
  prunePlanCache,
  setupTerraform,
  storePlan,
  type TerraformSetup,
  WORK_ROOT,
} from "../tools/lib/terraform/harness";

function run(setup: TerraformSetup, cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("terraform", [...args, "-no-color"], { cwd, env: setup.env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => err.push(d));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve(Buffer.concat(out).toString())
        : reject(new Error(`terraform ${args.join(" ")} failed in ${cwd}:\n${Buffer.concat(err).toString()}`)),
    );
  });
}

/** initOffline, without blocking the other lane. */
async function init(setup: TerraformSetup, dir: string): Promise<void> {
  const key = pendingInit(setup, dir);
  if (key === undefined) return;
  await run(setup, dir, ["init", "-input=false"]);
  markInitialized(dir, key);
}

async function planInto(setup: TerraformSetup, cacheDir: string, dir: string): Promise<void> {
  await init(setup, dir);
  const file = planCacheFile(cacheDir, setup, dir, OFFLINE_PLAN_ARGS);
  if (fs.existsSync(file)) return;
  await run(setup, dir, ["plan", ...OFFLINE_PLAN_ARGS, "-out=tfplan"]);
  storePlan(file, await run(setup, dir, ["show", "-json", "tfplan"]));
}

export default async function globalSetup(globalConfig: { testPathPattern?: string }): Promise<void> {
  const cacheDir = process.env[PLAN_CACHE_ENV] ?? DEFAULT_PLAN_CACHE;
  if (process.env[PLAN_CACHE_KEEP_ENV] === "run") fs.rmSync(cacheDir, { recursive: true, force: true });
  // Before any worker starts: what an interrupted run left goes; every other entry is keyed by its inputs (planKey).
  prunePlanCache(cacheDir, 0);
  // Workers start after this and inherit the environment.
  process.env[PLAN_CACHE_ENV] = cacheDir;
  if (globalConfig.testPathPattern) return;

  // A missing terraform fails here with setupTerraform's message, as it would in the specs.
  const setup = setupTerraform();
  const stacks = cachedSynthesis({ outdir: path.join(WORK_ROOT, "global-setup-synth"), settings: projectSettings() }).stacks;
  // Largest first, so the two lanes finish together.
  const bySize = [...stacks].sort((a, b) => fs.statSync(b.file).size - fs.statSync(a.file).size);
  const dirs = bySize.map((s) => prepareWorkDir(s.name, s.file, s.isEnvironment));
  // Without a mirror, Terraform's plugin cache is not safe for concurrent installs: one init fills
  // it alone (the provider's download, on a clean clone); the parallel inits below reuse it.
  await init(setup, dirs[0]);
  const queue = [...dirs];
  const worker = async () => {
    for (let dir = queue.shift(); dir; dir = queue.shift()) await planInto(setup, cacheDir, dir);
  };
  await Promise.all([worker(), worker()]);
}
