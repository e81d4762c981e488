import { spawnSync } from "child_process";
import { Testing } from "cdktf";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigurationError, resolveEnvironment, resolveEnvironments, type DeploymentSettings, type EnvironmentConfig } from "../src/validation";
import { committedSettings, PROJECT_ROOT } from "../src/validation/deployment";
import { drStackName } from "../src/config/naming";
import { DisasterRecoveryStack } from "../src/stacks/dr-stack";
import { EnvironmentStack } from "../src/stacks/environment-stack";
import { withoutMetadata } from "../tools/lib/review/configuration";
import { cachedStacks, cachedText } from "../src/synth/cache";

/** How synthesized ARNs begin: the partition comes from `data.aws_partition` (src/constructs/context.ts). */
export const ARN = "arn:${data.aws_partition.partition.partition}";

/** The settings committed in cdktf.json, as a newcomer synthesizes them. */
export const COMMITTED: DeploymentSettings = committedSettings();

/** The problems that resolving these settings on top of the committed ones reports (empty when valid). */
export function problemsOf(settings: DeploymentSettings): string[] {
  try {
    resolveEnvironments(COMMITTED, settings);
    return [];
  } catch (error) {
    if (error instanceof ConfigurationError) return [...error.problems];
    throw error;
  }
}

/** The documented multi-account example (docs/operations.md): dev, prod and the state in three accounts. */
export const MULTI_ACCOUNT: DeploymentSettings = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "multi-account.json"), "utf8"));

/** The validated configuration of an environment with extra settings over the committed ones. */
export function configOf(environment: string, settings: DeploymentSettings = {}): EnvironmentConfig {
  return resolveEnvironment(environment, COMMITTED, settings);
}

export interface SynthesizedEnvironment {
  readonly stack: EnvironmentStack;
  /** The stack's Terraform JSON as a string, for cdktf's matchers. */
  readonly synthesized: string;
  /** The same, parsed. */
  readonly json: TerraformJson;
}

export interface TerraformJson {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown; description?: string }>;
  variable?: Record<string, Record<string, unknown>>;
  terraform: Record<string, any>;
  provider: Record<string, Record<string, unknown>[]>;
}

/** This file's own text: how synthEnvironment builds a stack is part of what its cached JSON depends on. */
const HELPERS = fs.readFileSync(__filename, "utf8");

/**
 * Synthesizes one environment stack in isolation. The JSON comes from the synthesis cache
 * (src/synth/cache.ts) when any spec file of this or an earlier run built the same stack
 * from the same sources and settings; the construct tree is built only when a test reads `stack`.
 */
export function synthEnvironment(environment: string, settings: DeploymentSettings = {}): SynthesizedEnvironment {
  const config = configOf(environment, settings);
  let stack: EnvironmentStack | undefined;
  const build = () => (stack ??= new EnvironmentStack(Testing.app(), environment, { config }));
  const synthesized = cachedText(["environment stack", HELPERS, environment, COMMITTED, settings], () => Testing.synth(build()));
  return {
    get stack() {
      return build();
    },
    synthesized,
    json: JSON.parse(synthesized),
  };
}

/**
 * The standby of `environment` (its DisasterRecoveryStack, `<environment>-dr`) synthesized in
 * isolation, as synthEnvironment does its own stack: from the synthesis cache when any spec file
 * of this or an earlier run built it from the same sources and settings.
 */
export function synthStandby(environment: string, settings: DeploymentSettings = {}): TerraformJson {
  const config = configOf(environment, settings);
  const synthesized = cachedText(["standby stack", HELPERS, environment, COMMITTED, settings], () =>
    Testing.synth(new DisasterRecoveryStack(Testing.app(), drStackName(environment), { config })),
  );
  return JSON.parse(synthesized);
}

/**
 * Every stack main.ts builds with the committed settings plus `extra`, by name, as Testing.synth
 * renders them (without cdktf's metadata), from the synthesis cache: a settings variant is
 * synthesized once for all spec files. The settings are validated and the policy checks run as in
 * main.ts.
 */
export function appStacks(extra: DeploymentSettings = {}): Map<string, TerraformJson> {
  return new Map([...cachedStacks([COMMITTED, extra])].map(([name, text]) => [name, withoutMetadata(JSON.parse(text)) as TerraformJson]));
}

/** The resources of one Terraform type, by name. */
export function resourcesOf(json: TerraformJson, type: string): Record<string, Record<string, any>> {
  return (json.resource[type] ?? {}) as Record<string, Record<string, any>>;
}

/** One resource by Terraform type and name; fails the test when absent. */
export function resource(json: TerraformJson, type: string, name: string): Record<string, any> {
  const found = resourcesOf(json, type)[name];
  if (!found) throw new Error(`${type}.${name} is not in the stack; it has: ${Object.keys(resourcesOf(json, type)).join(", ") || "none"}`);
  return found;
}

/** A policy document data source, by name. */
export function policyDocument(json: TerraformJson, name: string): { statement: any[] } {
  const doc = json.data?.aws_iam_policy_document?.[name];
  if (!doc) throw new Error(`data.aws_iam_policy_document.${name} is not in the stack`);
  return doc as { statement: any[] };
}

/** What the app needs to run (cdktf.json's `node tools/app.cjs`): copied by copyOfApp, the installed packages linked. */
const APP_FILES = ["main.ts", "backend.ts", "cdktf.json", "environments", "package.json", "package-lock.json", "tsconfig.json", "src", "tools", "security"];

/**
 * A copy of the project's app in a new temporary directory named `prefix...`. With
 * `projectCaches`, its .cache is the project's: the app's bundle and the synthesis cache are keyed
 * by the content they are built from, not by where, so the copy reuses what the project built from
 * the same sources instead of bundling and synthesizing again (a test of the caches themselves
 * leaves it out).
 */
export function copyOfApp(prefix: string, projectCaches = false): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const entry of APP_FILES) fs.cpSync(path.join(PROJECT_ROOT, entry), path.join(copy, entry), { recursive: true });
  fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(copy, "node_modules"), "dir");
  if (projectCaches) {
    fs.mkdirSync(path.join(PROJECT_ROOT, ".cache"), { recursive: true });
    fs.symlinkSync(path.join(PROJECT_ROOT, ".cache"), path.join(copy, ".cache"), "dir");
  }
  return copy;
}

/** Runs the app as cdktf.json does in `root`, into `root`/cdktf.out, which it returns; fails on any error output. */
export function runApp(root: string): string {
  const outdir = path.join(root, "cdktf.out");
  const result = spawnSync(process.execPath, ["tools/app.cjs"], { cwd: root, env: { ...process.env, CDKTF_OUTDIR: outdir }, encoding: "utf8" });
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: "" });
  return outdir;
}
