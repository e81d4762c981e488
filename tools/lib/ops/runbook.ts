/**
 * The runbook commands, `npm run failover` and `npm run migrate`: a runbook's steps (dr-runbook.ts,
 * aurora-migration.ts) with the exact commands. Without --execute they are only printed (a dry
 * run, offline); with it, they run in order from the project root and stop at the first
 * failure, saying how to resume.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { environmentNames } from "../../../src/validation";
import type { EnvironmentConfig } from "../../../src/validation";
import {
  committedSettings,
  environmentFile,
  loadSettings,
  PROJECT_ROOT,
  readEnvironmentsFolder,
  resolveDeployment,
  SETTINGS_CONTEXT_KEY,
} from "../../../src/validation/deployment";
import { ENVIRONMENTS_DIR, SETTINGS_FILE_VARIABLE } from "../../../src/config/settings";
import { migrationPhase, migrationSteps } from "./aurora-migration";
import { failbackSteps, failoverSteps, recoveryMinutes, type RunbookStep } from "./dr-runbook";
import { drStackName } from "../../../src/config/naming";

export interface Executor {
  /** Runs one step's commands as one bash script; true when it succeeded. */
  run(script: string): boolean;
  /** Sets a dotted path (as in cdktf.json) of the settings file that declares the environment to a value. */
  setSetting(dottedPath: string, value: unknown): void;
  log(line: string): void;
}

/** The settings file a step's settings change goes to, and the path in it. */
export interface SettingTarget {
  /** The file, absolute. */
  readonly file: string;
  /** The dotted path in that file of a path given relative to cdktf.json. */
  readonly path: (cdktfJsonPath: string) => string;
  /** A committed file (cdktf.json, environments/<name>.json), as opposed to the DEPLOYMENT_SETTINGS file. */
  readonly committed: boolean;
}

const CDKTF_JSON: SettingTarget = { file: path.join(PROJECT_ROOT, "cdktf.json"), path: (p) => p, committed: true };

/** `p` without `prefix`, when it starts with it. */
const without = (prefix: string) => (p: string) => (p.startsWith(prefix) ? p.slice(prefix.length) : p);

/**
 * Where `environment` is declared: its file in environments/, cdktf.json's environments (the
 * committed settings), or else the DEPLOYMENT_SETTINGS file, whose `environments` has no
 * `context.deployment` above it.
 */
export function settingTarget(environment: string, env: NodeJS.ProcessEnv = process.env): SettingTarget {
  const inEnvironments = `context.${SETTINGS_CONTEXT_KEY}.environments.${environment}.`;
  if (Object.hasOwn(readEnvironmentsFolder(), environment))
    return { file: path.join(PROJECT_ROOT, environmentFile(environment)), path: without(inEnvironments), committed: true };
  const overlay = env[SETTINGS_FILE_VARIABLE];
  if (environmentNames(committedSettings()).includes(environment) || !overlay) return CDKTF_JSON;
  return { file: path.resolve(overlay), path: without(`context.${SETTINGS_CONTEXT_KEY}.`), committed: false };
}

/** The text of one step, as printed; a settings change names the file it goes to. */
export function describeStep(step: RunbookStep, index: number, target: SettingTarget = CDKTF_JSON): string[] {
  const lines = [`${index + 1}. ${step.title}${step.budget ? ` (${step.budget.minutes[0]}-${step.budget.minutes[1]} min)` : ""}`, `   ${step.why}`];
  if (step.setting) lines.push(`   ${path.relative(PROJECT_ROOT, target.file)}: set ${target.path(step.setting.path)} = ${JSON.stringify(step.setting.value)}`);
  for (const command of step.commands) lines.push(`   $ ${command}`);
  return lines;
}

/** Runs the steps from `from` (1-based) on; returns the number of the failed step, or 0. */
export function executeSteps(steps: readonly RunbookStep[], executor: Executor, from = 1, target: SettingTarget = CDKTF_JSON): number {
  for (let i = from - 1; i < steps.length; i++) {
    const step = steps[i];
    for (const line of describeStep(step, i, target)) executor.log(line);
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

/** A runbook command's arguments: the environment's validated configuration, --execute, --from N, and where its settings live. */
export interface RunbookArguments {
  readonly config: EnvironmentConfig;
  readonly execute: boolean;
  /** The first step to print or run, 1-based. */
  readonly from: number;
  /** Where a step's settings change goes: the file that declares the environment (settingTarget). */
  readonly target: SettingTarget;
}

/** Reads `<environment> [--execute] [--from N]`; undefined (after saying why) when it cannot. */
export function runbookArguments(argv: string[], usage: string): RunbookArguments | undefined {
  const environment = argv.find((a, i) => !a.startsWith("--") && argv[i - 1] !== "--from");
  const fromIndex = argv.indexOf("--from");
  if (!environment) {
    console.error(`usage: ${usage}`);
    return undefined;
  }
  const config = resolveDeployment(loadSettings()).environments.find((c) => c.environment === environment);
  if (!config) {
    const committed = `${ENVIRONMENTS_DIR}/ or cdktf.json`;
    const where = process.env[SETTINGS_FILE_VARIABLE]
      ? `${committed} or ${SETTINGS_FILE_VARIABLE}=${process.env[SETTINGS_FILE_VARIABLE]}`
      : `${committed} (an environment declared in a personal settings file needs ${SETTINGS_FILE_VARIABLE} pointing at it)`;
    console.error(`no environment "${environment}" in ${where}`);
    return undefined;
  }
  return { config, execute: argv.includes("--execute"), from: fromIndex >= 0 ? Number(argv[fromIndex + 1]) : 1, target: settingTarget(environment) };
}

/**
 * Prints the steps from `from` on (a dry run), or runs them in the project root; the exit code.
 * `records`: what the settings file keeps once the steps are done, for the closing line.
 */
export function printOrRun(steps: readonly RunbookStep[], { execute, from, target }: RunbookArguments, records: string): number {
  if (!Number.isInteger(from) || from < 1 || from > steps.length) {
    console.error(`--from ${Number.isNaN(from) ? "" : from}: must be a step number from 1 to ${steps.length}`);
    return 2;
  }
  if (!execute) {
    steps.forEach((step, i) => {
      if (i + 1 >= from) console.log([...describeStep(step, i, target), ""].join("\n"));
    });
    return 0;
  }
  const failed = executeSteps(
    steps,
    {
      run: (script) => spawnSync("bash", ["-euo", "pipefail", "-c", script], { cwd: PROJECT_ROOT, stdio: "inherit" }).status === 0,
      setSetting: (dottedPath, value) => setJsonPath(target.file, target.path(dottedPath), value),
      log: (line) => console.log(line),
    },
    from,
    target,
  );
  if (failed === 0) {
    const file = path.relative(PROJECT_ROOT, target.file);
    console.log(`\nDone. ${target.committed ? `Commit ${file}` : `Keep ${file}`}: it records ${records}.`);
  }
  return failed === 0 ? 0 : 1;
}

/**
 * A runbook command as its entry point runs it (tools/failover.ts, tools/migrate.ts): its exit
 * code, and for an error (settings refused, no standby) its message on stderr and exit code 1.
 */
export function runbookCommand(command: (argv: string[]) => number, argv: string[]): number {
  try {
    return command(argv);
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
}

/**
 * `npm run failover -- <env> [--execute] [--back] [--from N]`: the regional failover of an
 * environment to its standby, or with --back the return to the primary region; the exit code.
 */
export function failover(argv: string[]): number {
  const args = runbookArguments(argv, "npm run failover -- <environment> [--execute] [--back] [--from N]");
  if (!args) return 2;
  const { config, execute, from } = args;
  const environment = config.environment;
  const back = argv.includes("--back");
  const steps = back ? failbackSteps(config) : failoverSteps(config);
  const what = back
    ? `Fail-back of ${environment} from ${drStackName(environment)} (${config.stateRegion}) to ${config.region}`
    : `Failover of ${environment} to ${drStackName(environment)} in ${config.stateRegion}, from ${config.dr.mode}`;
  const shown = from > 1 ? `, from step ${from}` : "";
  console.log(`${what}: ${steps.length} steps${shown}.${execute ? "" : " Dry run: nothing is run; add --execute to run them."}`);
  if (!back) {
    const [low, high] = recoveryMinutes(config, steps);
    console.log(`Expected recovery: ${low}-${high} min from the outage (docs/disaster-recovery.md explains each figure).`);
  }
  console.log("");
  return printOrRun(steps, args, `${drStackName(environment)}'s mode`);
}

/**
 * `npm run migrate -- <env> [--execute] [--from N]`: the next phase of moving an environment from
 * its RDS PostgreSQL instance to Aurora (aurora-migration.ts); the exit code.
 */
export function migrate(argv: string[]): number {
  const args = runbookArguments(argv, "npm run migrate -- <environment> [--execute] [--from N]");
  if (!args) return 2;
  const steps = migrationSteps(args.config);
  console.log(
    `Moving ${args.config.environment} to Aurora, phase "${migrationPhase(args.config)}": ${steps.length} steps${args.from > 1 ? `, from step ${args.from}` : ""}.${args.execute ? "" : " Dry run: nothing is run; add --execute to run them."}\n`,
  );
  return printOrRun(steps, args, "the move's phase");
}
