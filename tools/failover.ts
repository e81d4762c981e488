/**
 * `npm run failover -- <env> [--execute] [--back] [--from N]`: the regional failover of an
 * environment to its standby (or with --back, the return to the primary region), step by step
 * with the exact commands. Without --execute it only prints them (a dry run, offline); with it,
 * it runs them in order from the project root and stops at the first failure, saying how to
 * resume.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { loadSettings, PROJECT_ROOT, resolveDeployment } from "../src/config/deployment";
import type { EnvironmentConfig } from "../src/config";
import { failbackSteps, failoverSteps, recoveryMinutes, type RunbookStep } from "../src/dr-runbook";
import { drStackName } from "../src/naming";

export interface Executor {
  /** Runs one step's commands as one bash script; true when it succeeded. */
  run(script: string): boolean;
  /** Sets a dotted path of cdktf.json to a value. */
  setSetting(dottedPath: string, value: unknown): void;
  log(line: string): void;
}

/** The text of one step, as printed. */
export function describeStep(step: RunbookStep, index: number): string[] {
  const lines = [`${index + 1}. ${step.title}${step.budget ? ` (${step.budget.minutes[0]}-${step.budget.minutes[1]} min)` : ""}`, `   ${step.why}`];
  if (step.setting) lines.push(`   cdktf.json: set ${step.setting.path} = ${JSON.stringify(step.setting.value)}`);
  for (const command of step.commands) lines.push(`   $ ${command}`);
  return lines;
}

/** Runs the steps from `from` (1-based) on; returns the number of the failed step, or 0. */
export function executeSteps(steps: readonly RunbookStep[], executor: Executor, from = 1): number {
  for (let i = from - 1; i < steps.length; i++) {
    const step = steps[i];
    for (const line of describeStep(step, i)) executor.log(line);
    if (step.setting) executor.setSetting(step.setting.path, step.setting.value);
    if (step.commands.length > 0 && !executor.run(step.commands.join("\n"))) {
      executor.log(`step ${i + 1} failed: fix the cause, then resume with --from ${i + 1}`);
      return i + 1;
    }
  }
  return 0;
}

/** Sets `dottedPath` in the JSON file, creating the objects on the way. */
export function setJsonPath(file: string, dottedPath: string, value: unknown): void {
  const json = JSON.parse(fs.readFileSync(file, "utf8"));
  const keys = dottedPath.split(".");
  let node = json;
  for (const key of keys.slice(0, -1)) node = node[key] ??= {};
  node[keys[keys.length - 1]] = value;
  fs.writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
}

/** A runbook command's arguments: the environment's validated configuration, --execute, --from N. */
export interface RunbookArguments {
  readonly config: EnvironmentConfig;
  readonly execute: boolean;
  readonly from: number;
}

/** Reads `<environment> [--execute] [--from N]`; undefined (after saying why) when it cannot. */
export function runbookArguments(argv: string[], usage: string): RunbookArguments | undefined {
  const environment = argv.find((a) => !a.startsWith("--") && !/^\d+$/.test(a));
  const fromIndex = argv.indexOf("--from");
  if (!environment) {
    console.error(`usage: ${usage}`);
    return undefined;
  }
  const config = resolveDeployment(loadSettings()).environments.find((c) => c.environment === environment);
  if (!config) {
    console.error(`no environment "${environment}" in cdktf.json`);
    return undefined;
  }
  return { config, execute: argv.includes("--execute"), from: fromIndex >= 0 ? Number(argv[fromIndex + 1]) : 1 };
}

/** Prints the steps (a dry run), or runs them from `from` in the project root; the exit code. */
export function printOrRun(steps: readonly RunbookStep[], { execute, from }: RunbookArguments, done: string): number {
  if (!execute) {
    steps.forEach((step, i) => console.log([...describeStep(step, i), ""].join("\n")));
    return 0;
  }
  const failed = executeSteps(steps, {
    run: (script) => spawnSync("bash", ["-euo", "pipefail", "-c", script], { cwd: PROJECT_ROOT, stdio: "inherit" }).status === 0,
    setSetting: (dottedPath, value) => setJsonPath(path.join(PROJECT_ROOT, "cdktf.json"), dottedPath, value),
    log: (line) => console.log(line),
  }, from);
  if (failed === 0) console.log(`\nDone. ${done}`);
  return failed === 0 ? 0 : 1;
}

function main(argv: string[]): number {
  const args = runbookArguments(argv, "npm run failover -- <environment> [--execute] [--back] [--from N]");
  if (!args) return 2;
  const { config, execute } = args;
  const environment = config.environment;
  const back = argv.includes("--back");
  const steps = back ? failbackSteps(config) : failoverSteps(config);
  const what = back ? `Fail-back of ${environment} from ${drStackName(environment)} (${config.stateRegion}) to ${config.region}` : `Failover of ${environment} to ${drStackName(environment)} in ${config.stateRegion}, from ${config.dr.mode}`;
  console.log(`${what}: ${steps.length} steps.${execute ? "" : " Dry run: nothing is run; add --execute to run them."}`);
  if (!back) {
    const [low, high] = recoveryMinutes(config, steps);
    console.log(`Expected recovery: ${low}-${high} min from the outage (docs/disaster-recovery.md explains each figure).`);
  }
  console.log("");
  return printOrRun(steps, args, `Commit cdktf.json: it records ${drStackName(environment)}'s mode.`);
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
  }
}
