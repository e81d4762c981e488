/**
 * Runs real Terraform over synthesized stacks without AWS: local backend, dummy credentials,
 * no account look-up, the AWS provider from a filesystem mirror when there is one (else the
 * registry, through one shared plugin cache). Used by the test suite and by `npm run plan`.
 */
import { execFileSync, spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_ROOT } from "../../../src/validation/deployment";
import { CI_STACK, DEPLOY_ROLE_VARIABLE, sharedStackKind } from "../../../src/config/naming";
import type { ResourceChange, ReviewPlan } from "./plan-json";
import { TEST_TIER_ENV } from "./test-tier";

/** Working directories, CLI config and plugin cache of the offline checks (git-ignored). */
export const WORK_ROOT = path.join(PROJECT_ROOT, ".tfcheck");
/** What the ops commands write for a person to read (`npm run plan`, `review`, `cost`; git-ignored). */
export const REVIEW_DIR = path.join(PROJECT_ROOT, "review");
/**
 * The project's `terraform test` files: `<stack>/` for one stack, `baseline/` and `ci/` for
 * every account's stack of that kind too (`baseline-<account id>`), `environment/` for every
 * environment, `mocks/` the shared mock data they load with `source = "./tests/mocks"`. Each file
 * may read `var.account_id`, the account the stack deploys into (TFTEST_VARIABLES).
 */
export const TFTEST_ROOT = path.join(PROJECT_ROOT, "tests", "terraform");

/**
 * Where prepareWorkDir gives every test file its stack's values: `terraform test` reads a
 * `terraform.tfvars` of the tests directory, and a test file may read a variable that the
 * configuration does not declare. `account_id`: the account of the stack's default provider.
 */
const TFTEST_VARIABLES = "terraform.tfvars";

/**
 * The environment whose pipeline roles the `ci/` test files name. A ci stack names each
 * environment's roles after it (`aws_iam_role.prod_deployer`), and a test file cannot name a
 * resource by a computed name, so a ci stack runs each file once per environment it holds, with
 * this one's name replaced by that environment's (`prod_` and `prod's`).
 */
const CI_TEST_ENVIRONMENT = "prod";

/** Where a provider mirror is looked for unless TF_PROVIDER_MIRROR names another. */
export const DEFAULT_MIRROR = "/opt/tf-plugins";

export interface TerraformSetup {
  /** `terraform` version, e.g. `1.11.4`. */
  readonly version: string;
  /** The provider mirror in use, or undefined for the registry. */
  readonly mirror?: string;
  /** Environment to run terraform with. */
  readonly env: NodeJS.ProcessEnv;
}

/** The oldest Terraform the stacks work with: their S3 backend locks with a lock file (use_lockfile), new in 1.10. */
export const TERRAFORM_MIN_VERSION = "1.10";

/**
 * The environment variable that sets a stack's deploy role variable (DEPLOY_ROLE_VARIABLE); ""
 * for the offline checks, as in the pipeline. A stack without deployRoleArn declares no such
 * variable, and Terraform ignores the environment's value then.
 */
export const DEPLOY_ROLE_ENV = `TF_VAR_${DEPLOY_ROLE_VARIABLE}`;

/**
 * Finds terraform and the provider source and writes the CLI config. Throws, saying what is
 * missing, when terraform is not installed.
 */
export function setupTerraform(env: NodeJS.ProcessEnv = process.env): TerraformSetup {
  if (process.env[TEST_TIER_ENV] === "unit") {
    throw new Error(
      "The unit tier (npm run test:unit) starts no Terraform, and this spec does: list it in TERRAFORM_SPECS in jest.config.js, " +
        "or move the part that plans into a spec of its own there.",
    );
  }
  let version: string;
  try {
    version = JSON.parse(execFileSync("terraform", ["version", "-json"], { encoding: "utf8", env: { ...env, TF_CLI_CONFIG_FILE: "" } }))
      .terraform_version as string;
  } catch (error) {
    throw new Error(
      `terraform is not installed or not on PATH (${(error as Error).message.split("\n")[0]}). ` +
        `Install Terraform >= ${TERRAFORM_MIN_VERSION} (S3 lock files need it) from https://developer.hashicorp.com/terraform/install.`,
    );
  }
  const candidate = env.TF_PROVIDER_MIRROR ?? DEFAULT_MIRROR;
  const mirror = fs.existsSync(path.join(candidate, "registry.terraform.io", "hashicorp", "aws")) ? candidate : undefined;
  // From an unpacked mirror, init links each working directory's provider straight to the mirror:
  // no cache. A shared plugin cache there made parallel runs flaky: an init in one directory
  // re-created the cache's link while a plan in another directory was loading the provider through
  // it ("there is no package for registry.terraform.io/hashicorp/aws 5.100.0 cached"). From the
  // registry, the cache saves a download of the provider per directory, and Terraform takes the cached
  // package as it is (plugin_cache_may_break_dependency_lock_file) instead of installing it again.
  const cache = path.join(WORK_ROOT, "plugin-cache");
  const installation = mirror
    ? `provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(mirror)}
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }
}
`
    : `plugin_cache_dir = ${JSON.stringify(cache)}
plugin_cache_may_break_dependency_lock_file = true
`;
  if (!mirror) fs.mkdirSync(cache, { recursive: true });
  const cliConfig = path.join(WORK_ROOT, "cli.tfrc");
  fs.mkdirSync(WORK_ROOT, { recursive: true });
  fs.writeFileSync(cliConfig, installation);
  return {
    version,
    mirror,
    env: {
      ...env,
      [PLAN_CACHE_ENV]: env[PLAN_CACHE_ENV] ?? DEFAULT_PLAN_CACHE,
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      CHECKPOINT_DISABLE: "1",
      // What the pipeline sets (docs/ci): a stack's providers assume no deploy role, which offline
      // no one could. The offline plans of a stack with deployRoleArn take the pipeline's path.
      [DEPLOY_ROLE_ENV]: "",
      // Terraform and the AWS provider are Go programs that spend a good part of their CPU
      // collecting garbage while they decode the provider's schema (`npm run bench` measures the
      // suite). No collection until a process holds 1 GiB; the caller's own GOGC / GOMEMLIMIT win.
      GOGC: env.GOGC ?? "off",
      GOMEMLIMIT: env.GOMEMLIMIT ?? "1GiB",
    },
  };
}

export interface TerraformResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs one terraform command in a directory and returns its output (never throws on exit code). */
export function terraform(setup: TerraformSetup, cwd: string, args: string[]): TerraformResult {
  const result = spawnSync("terraform", [...args, "-no-color"], {
    cwd,
    env: setup.env,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}

/** Like `terraform`, but throws with terraform's own output when the command fails. */
export function terraformOk(setup: TerraformSetup, cwd: string, args: string[]): string {
  const result = terraform(setup, cwd, args);
  if (result.code !== 0) {
    const hint =
      args[0] === "init"
        ? setup.mirror
          ? ` (the AWS provider is expected in the mirror ${setup.mirror})`
          : ` (no provider mirror at ${process.env.TF_PROVIDER_MIRROR ?? DEFAULT_MIRROR}, so the AWS provider must come from registry.terraform.io; set TF_PROVIDER_MIRROR to a mirror directory when offline)`
        : "";
    throw new Error(`terraform ${args.join(" ")} failed in ${cwd}${hint}:\n${result.stderr}\n${result.stdout}`);
  }
  return result.stdout;
}

/** Where `initOffline` records what a working directory was initialized for. */
const INIT_MARKER = path.join(".terraform", "offline-init.key");

/**
 * What an initialization depends on: terraform's version, the provider source and every
 * configuration file's `terraform` block (required providers, backend). Another configuration
 * with the same block (the same stack after a code change, a review's next head) needs no new init.
 */
export function initKey(setup: TerraformSetup, dir: string): string {
  const hash = createHash("sha256").update(JSON.stringify([setup.version, setup.mirror ?? "registry"]));
  for (const file of fs.readdirSync(dir).sort()) {
    if (file.endsWith(".tf.json")) {
      hash.update(`\0${file}\0`).update(JSON.stringify(JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")).terraform ?? null));
    } else if (file.endsWith(".tf")) {
      hash.update(`\0${file}\0`).update(terraformBlock(fs.readFileSync(path.join(dir, file), "utf8")));
    }
  }
  return hash.digest("hex");
}

/** The text of the top-level `terraform { ... }` blocks of an HCL file. */
function terraformBlock(hcl: string): string {
  const blocks: string[] = [];
  for (const match of hcl.matchAll(/^terraform\s*\{/gm)) {
    let depth = 0;
    for (let i = match.index; i < hcl.length; i += 1) {
      if (hcl[i] === "{") depth += 1;
      else if (hcl[i] === "}" && --depth === 0) {
        blocks.push(hcl.slice(match.index, i + 1));
        break;
      }
    }
  }
  return blocks.join("\n");
}

/**
 * Whether every provider package `.terraform/providers` names is there: init links them from the
 * mirror or the shared plugin cache, so deleting either leaves links to nothing.
 */
function providersPresent(dir: string): boolean {
  // .terraform/providers/<host>/<namespace>/<type>/<version>/<platform>
  const packages = (at: string, depth: number): string[] =>
    depth === 0 ? [at] : fs.readdirSync(at).flatMap((entry) => packages(path.join(at, entry), depth - 1));
  try {
    const found = packages(path.join(dir, ".terraform", "providers"), 5);
    return found.length > 0 && found.every((p) => fs.existsSync(p));
  } catch {
    return false;
  }
}

/** The init key when `dir` needs `terraform init`, undefined when it is initialized for its configuration. */
export function pendingInit(setup: TerraformSetup, dir: string): string | undefined {
  const key = initKey(setup, dir);
  const marker = path.join(dir, INIT_MARKER);
  const initialized =
    fs.existsSync(marker) && fs.readFileSync(marker, "utf8") === key && fs.existsSync(path.join(dir, ".terraform.lock.hcl")) && providersPresent(dir);
  return initialized ? undefined : key;
}

/**
 * After `terraform init` in a working directory of the offline checks: drops the package
 * checksums from its lock file and records the init key. With checksums, every later terraform
 * command hashes the provider's binary (hundreds of MB) again, for every command of a test run;
 * init has just installed that binary from the mirror or the registry and verified it.
 * Only these git-ignored working directories are touched, never a lock file of the project.
 */
export function markInitialized(dir: string, key: string): void {
  const lockFile = path.join(dir, ".terraform.lock.hcl");
  fs.writeFileSync(lockFile, fs.readFileSync(lockFile, "utf8").replace(/^\s*hashes\s*=\s*\[[^\]]*\]\s*\n/gm, ""));
  fs.writeFileSync(path.join(dir, INIT_MARKER), key);
}

/** `terraform init` in `dir`, unless it is already initialized for its configuration (pendingInit). */
export function initOffline(setup: TerraformSetup, dir: string): void {
  const key = pendingInit(setup, dir);
  if (key === undefined) return;
  terraformOk(setup, dir, ["init", "-input=false"]);
  markInitialized(dir, key);
}

type ProviderBlocks = { provider?: { aws?: { alias?: string }[] } };

/**
 * The override that makes a synthesized stack plannable offline: local state instead of the S3
 * backend, and for every AWS provider block (by alias) dummy credentials, no STS or metadata
 * calls, and no allowed-account check (the account cannot be known without STS). A provider
 * that assumes the deploy role would call STS even so; setupTerraform's environment sets the
 * role to "", as the pipeline does, and the provider assumes none.
 */
export function offlineOverride(stack: ProviderBlocks): object {
  const providers = (stack.provider?.aws ?? [{}]).map((p) => ({
    ...(p.alias ? { alias: p.alias } : {}),
    access_key: "offline-check",
    secret_key: "offline-check",
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
    allowed_account_ids: null,
  }));
  return { terraform: { backend: { local: { path: "terraform.tfstate" } } }, provider: { aws: providers } };
}

/**
 * Writes a stack's configuration into `dir` with the offline override beside it, replacing the
 * configuration files there and keeping everything else (.terraform, a state). `hcl`: the stack
 * rendered as HCL, written as cdk.tf instead of the JSON (the override is computed from the JSON).
 */
export function writeOfflineConfiguration(dir: string, stackJson: object, hcl?: string): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of fs.readdirSync(dir)) {
    if (entry.endsWith(".tf") || entry.endsWith(".tf.json")) fs.rmSync(path.join(dir, entry));
  }
  if (hcl === undefined) fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(stackJson, null, 2));
  else fs.writeFileSync(path.join(dir, "cdk.tf"), hcl);
  fs.writeFileSync(path.join(dir, "offline_override.tf.json"), JSON.stringify(offlineOverride(stackJson), null, 2));
}

/** The `terraform test` files that apply to a stack: its own folder's, its kind's (an account's baseline or ci stack), an environment's. */
export function tftestFiles(stackName: string, isEnvironment: boolean): string[] {
  const kind = sharedStackKind(stackName);
  const folders = [stackName, ...(kind && kind !== stackName ? [kind] : []), ...(isEnvironment ? ["environment"] : [])];
  return folders
    .map((folder) => path.join(TFTEST_ROOT, folder))
    .filter((dir) => fs.existsSync(dir))
    .flatMap((dir) =>
      fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".tftest.hcl"))
        .map((f) => path.join(dir, f)),
    );
}

/**
 * Empties (or creates) a working directory except for its initialization (`.terraform` and the
 * lock file), which initOffline reuses when the next configuration needs the same.
 */
export function clearWorkDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const entry of fs.readdirSync(dir)) {
    if (entry !== ".terraform" && entry !== ".terraform.lock.hcl") fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
  }
}

/**
 * A fresh working directory for one stack (below `root`, so that runs that may overlap, such as
 * the test suite and `npm run plan`, keep apart): its synthesized JSON, the offline override and
 * its test files. Keeps `.terraform` and the lock file so a second run skips most of init.
 */
export function prepareWorkDir(stackName: string, stackJsonFile: string, isEnvironment: boolean, root = path.join(WORK_ROOT, "stacks")): string {
  const dir = path.join(root, stackName);
  clearWorkDir(dir);
  const stackJson = JSON.parse(fs.readFileSync(stackJsonFile, "utf8")) as StackForTests;
  writeOfflineConfiguration(dir, stackJson);
  const tests = tftestFiles(stackName, isEnvironment);
  if (tests.length > 0) {
    const testsDir = path.join(dir, "tests");
    fs.mkdirSync(testsDir);
    for (const file of tests) {
      const name = path.basename(file);
      if (path.basename(path.dirname(file)) !== CI_STACK) fs.copyFileSync(file, path.join(testsDir, name));
      else
        for (const environment of pipelineEnvironments(stackJson))
          fs.writeFileSync(path.join(testsDir, name.replace(/\.tftest\.hcl$/, `.${environment}$&`)), forEnvironment(file, environment));
    }
    fs.cpSync(path.join(TFTEST_ROOT, "mocks"), path.join(testsDir, "mocks"), { recursive: true });
    const accountId = stackJson.provider?.aws?.find((p) => !p.alias)?.allowed_account_ids?.[0];
    if (accountId) fs.writeFileSync(path.join(testsDir, TFTEST_VARIABLES), `account_id = ${JSON.stringify(accountId)}\n`);
  }
  return dir;
}

/** What prepareWorkDir reads of a stack for its test files. */
interface StackForTests {
  readonly provider?: { readonly aws?: readonly { readonly alias?: string; readonly allowed_account_ids?: readonly string[] }[] };
  readonly resource?: { readonly aws_iam_role?: Readonly<Record<string, unknown>> };
}

/** The environments whose pipeline roles a ci stack holds: `aws_iam_role.<environment>_deployer`. */
function pipelineEnvironments(stack: StackForTests): string[] {
  return Object.keys(stack.resource?.aws_iam_role ?? {}).flatMap((name) => /^([a-z0-9]+)_deployer$/.exec(name)?.[1] ?? []);
}

/** A `ci/` test file for `environment`'s roles: CI_TEST_ENVIRONMENT's name replaced where it names a role or its owner. */
function forEnvironment(file: string, environment: string): string {
  return fs.readFileSync(file, "utf8").replace(new RegExp(`\\b${CI_TEST_ENVIRONMENT}(?=_|'s\\b)`, "g"), environment);
}

/**
 * Where plans and deployed bases are kept (DEFAULT_PLAN_CACHE unless set; CI may point it at a
 * directory it caches between jobs): a plan is the same for the same configuration, state,
 * provider lock, terraform version and arguments, so the second spec, `npm run plan` or
 * `npm run review` to plan the same stack reads the first one's result instead of starting the
 * provider again, in this run or a later one, in this clone or another (planKey).
 */
export const PLAN_CACHE_ENV = "TF_PLAN_CACHE_DIR";

/** The plan cache of the project's own runs: the suite, `npm run plan` and `npm run review` share it. */
export const DEFAULT_PLAN_CACHE = path.join(WORK_ROOT, "plan-cache");

/** A week: an entry nobody has read for that long belongs to configurations long gone. */
const UNUSED_FOR_MS = 7 * 24 * 3600_000;

/**
 * Removes from the plan cache what nobody has used for a week, and what an interrupted run left
 * (a deployment's lock, a half-written entry) once it is `leftoverAfterMs` old: 0 before a test
 * run's workers start, an hour for a command that may run beside another one.
 */
export function prunePlanCache(cacheDir: string, leftoverAfterMs = 3600_000): void {
  fs.mkdirSync(cacheDir, { recursive: true });
  for (const name of fs.readdirSync(cacheDir)) {
    const file = path.join(cacheDir, name);
    const age = Date.now() - (fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    const leftover = name.endsWith(".lock") || name.includes(".tmp-");
    if ((leftover && age >= leftoverAfterMs) || age > UNUSED_FOR_MS) fs.rmSync(file, { force: true });
  }
}

/**
 * `SMH_PLAN_CACHE=run` keeps the suite's plan cache for one run only (every plan made again, as
 * on a clean clone); by default it is kept between runs, content-addressed by planKey, and
 * entries unused for a week are removed.
 */
export const PLAN_CACHE_KEEP_ENV = "SMH_PLAN_CACHE";

let harnessHash: string | undefined;

/**
 * A hash of the harness's own code (every .ts under tools/): a deployed base is built by the
 * offline state builder, so a cached one is stale once that code changes, whatever the stack.
 */
function harnessCode(): string {
  if (harnessHash) return harnessHash;
  const hash = createHash("sha256");
  const files = (fs.readdirSync(path.join(PROJECT_ROOT, "tools"), { recursive: true }) as string[]).filter((f) => f.endsWith(".ts")).sort();
  for (const file of files) hash.update(`\0${file}\0`).update(fs.readFileSync(path.join(PROJECT_ROOT, "tools", file)));
  harnessHash = hash.digest("hex");
  return harnessHash;
}

/**
 * The key of a plan in `dir` with `args`: a hash of everything the plan depends on (the
 * configuration, state and lock file in `dir`, Terraform's version, the provider's source, the
 * arguments, the variables set in its environment: TF_VAR_*) and of the harness's code.
 */
export function planKey(setup: TerraformSetup, dir: string, args: readonly string[]): string {
  const variables = Object.entries(setup.env)
    .filter(([name]) => name.startsWith("TF_VAR_"))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const hash = createHash("sha256").update(JSON.stringify([setup.version, setup.mirror ?? "registry", args, variables, harnessCode()]));
  const inputs = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".tf") || f.endsWith(".tf.json") || f === "terraform.tfstate" || f === ".terraform.lock.hcl")
    .sort();
  for (const file of inputs) hash.update(`\0${file}\0`).update(fs.readFileSync(path.join(dir, file)));
  return hash.digest("hex");
}

/**
 * `terraform plan <args> -out=tfplan` in `dir`, then `terraform show -json`: the machine-readable
 * plan, shared through PLAN_CACHE_ENV's directory when it is set.
 */
export function cachedPlan(setup: TerraformSetup, dir: string, args: readonly string[]): ReviewPlan {
  return sourcedPlan(setup, dir, args).plan;
}

/** Where a plan came from: the plan cache, a plan this process saved (savedPlan), or Terraform just now. */
export type PlanSource = "plan cache" | "saved plan" | "terraform";

/** cachedPlan's plan, and where it came from (`npm run plan` says so of each stack). */
export function sourcedPlan(setup: TerraformSetup, dir: string, args: readonly string[]): { plan: ReviewPlan; source: PlanSource } {
  const cacheDir = setup.env[PLAN_CACHE_ENV];
  const file = cacheDir ? planCacheFile(cacheDir, setup, dir, args) : undefined;
  if (file && fs.existsSync(file)) return { plan: JSON.parse(readCached(file)), source: "plan cache" };
  const saved = savedPlans.get(planKey(setup, dir, args));
  if (saved && fs.existsSync(saved.file)) return { plan: saved.plan.json(), source: "saved plan" };
  terraformOk(setup, dir, ["plan", ...args, "-out=tfplan"]);
  const text = terraformOk(setup, dir, ["show", "-json", "tfplan"]);
  if (file) storePlan(file, text);
  return { plan: JSON.parse(text), source: "terraform" };
}

/** A plan saved in its working directory, whose JSON is read only when needed. */
export interface SavedPlan {
  /**
   * Managed resources the plan changes (create, update, delete, replace, move, import, forget),
   * counted from Terraform's machine-readable output; 0 when it plans nothing for them.
   */
  readonly changes: number;
  /**
   * What the plan does to each of those resources, by address, in the words of Terraform's
   * machine-readable output: `create`, `update`, `replace`, `delete`, `move`, ...
   */
  readonly actions: Map<string, string>;
  /** The whole plan (`terraform show -json`), read on first use and kept. */
  json(): ReviewPlan;
}

/** A plan JSON's actions of a resource change, in the words of the streamed planned_change events. */
function eventAction(rc: ResourceChange): string {
  const actions = rc.change.actions.join();
  if (actions === "delete,create" || actions === "create,delete") return "replace";
  if (actions === "no-op") return rc.previous_address ? "move" : "noop";
  return actions;
}

/**
 * `terraform plan <args> -out=<file> -json` in `dir`. Where only "does it change anything?"
 * matters (a deployed base that has converged), this saves `terraform show -json`, which decodes
 * the provider's schema once more; the JSON is still there when asked for, from
 * the saved plan file, which holds the configuration and state it was made from. Shared through
 * PLAN_CACHE_ENV's directory like cachedPlan.
 */
export function savedPlan(setup: TerraformSetup, dir: string, args: readonly string[], file: string): SavedPlan {
  const cacheDir = setup.env[PLAN_CACHE_ENV];
  const cacheFile = cacheDir ? planCacheFile(cacheDir, setup, dir, args) : undefined;
  const key = planKey(setup, dir, args);
  if (cacheFile && fs.existsSync(cacheFile)) {
    const plan: ReviewPlan = JSON.parse(readCached(cacheFile));
    const effective = effectiveChanges(plan);
    return { changes: effective.length, actions: new Map(effective.map((rc) => [rc.address, eventAction(rc)])), json: () => plan };
  }
  const events = terraformOk(setup, dir, ["plan", ...args, `-out=${file}`, "-json"])
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as { type?: string; change?: { resource?: { addr?: string }; action?: string } });
  const planned = events.filter((e) => e.type === "planned_change" && !/(^|\.)data\./.test(e.change?.resource?.addr ?? ""));
  let plan: ReviewPlan | undefined;
  const saved: SavedPlan = {
    changes: planned.length,
    actions: new Map(planned.map((e) => [e.change?.resource?.addr ?? "", e.change?.action ?? ""])),
    json: () => {
      if (!plan) {
        const text = terraformOk(setup, dir, ["show", "-json", file]);
        if (cacheFile) storePlan(cacheFile, text);
        plan = JSON.parse(text) as ReviewPlan;
      }
      return plan;
    },
  };
  // The file now holds this plan: an earlier plan saved under the same name is gone.
  for (const [other, entry] of savedPlans) if (entry.file === path.join(dir, file)) savedPlans.delete(other);
  savedPlans.set(key, { file: path.join(dir, file), plan: saved });
  return saved;
}

/**
 * What a plan in `dir` does to each managed resource (savedPlan's actions), for a caller that
 * never reads the plan's JSON (a check of actions only, deployed.ts's plannedActions). savedPlan
 * caches a plan once its JSON is shown; these actions are kept in the plan cache too, as an entry
 * of their own under the same key (`<planKey>.actions.json`), so a later run with the same inputs
 * plans nothing.
 */
export function cachedActions(setup: TerraformSetup, dir: string, args: readonly string[], file: string): Map<string, string> {
  const cacheDir = setup.env[PLAN_CACHE_ENV];
  const entry = cacheDir ? path.join(cacheDir, `${planKey(setup, dir, args)}.actions.json`) : undefined;
  if (entry && fs.existsSync(entry)) return new Map(JSON.parse(readCached(entry)) as [string, string][]);
  const { actions } = savedPlan(setup, dir, args, file);
  if (entry) storePlan(entry, JSON.stringify([...actions]));
  return actions;
}

/** The saved plans of this process by plan key: cachedPlan shows one instead of planning again. */
const savedPlans = new Map<string, { file: string; plan: SavedPlan }>();

/** Managed-resource changes that do something (not no-op, not data-source reads). */
export function effectiveChanges(plan: ReviewPlan): ResourceChange[] {
  return (plan.resource_changes ?? []).filter((rc) => rc.mode === "managed" && rc.change.actions.join() !== "no-op");
}

/** Where the plan of `dir` with `args` is kept in the plan cache `cacheDir`. */
export function planCacheFile(cacheDir: string, setup: TerraformSetup, dir: string, args: readonly string[]): string {
  return path.join(cacheDir, `${planKey(setup, dir, args)}.json`);
}

/** A cache entry's text; the entry counts as used now (global setup removes entries unused for a week). */
export function readCached(file: string): string {
  const now = new Date();
  fs.utimesSync(file, now, now);
  return fs.readFileSync(file, "utf8");
}

/** Writes a plan (`terraform show -json`) into the cache whole, so a reader never sees half of it. */
export function storePlan(file: string, planText: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.tmp-${process.pid}`, planText);
  fs.renameSync(`${file}.tmp-${process.pid}`, file);
}

/**
 * The arguments of every offline plan, of a stack without state (planJson) and against a deployed
 * base's state (deployed.ts): no input, no lock, nothing to refresh. One list, so that the plan
 * cache finds a plan whichever of them made it.
 */
export const OFFLINE_PLAN_ARGS: readonly string[] = ["-input=false", "-lock=false", "-refresh=false"];

/** Runs plan and returns the machine-readable plan (`terraform show -json`). */
export function planJson(setup: TerraformSetup, dir: string): ReviewPlan {
  return cachedPlan(setup, dir, OFFLINE_PLAN_ARGS);
}

/** One planned resource change, flattened. */
export interface PlannedChange {
  readonly address: string;
  readonly type: string;
  readonly actions: string[];
  readonly after: Record<string, unknown> | null;
}

/** The changes of a plan, flattened. */
export function plannedChanges(plan: ReviewPlan): PlannedChange[] {
  return (plan.resource_changes ?? []).map((rc) => ({
    address: rc.address,
    type: rc.type,
    actions: rc.change.actions,
    after: rc.change.after,
  }));
}
