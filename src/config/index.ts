import deepmerge from "deepmerge";
import { BASELINE_DEFAULTS, type BaselineConfig, baselineSchema } from "./baseline";
import { CI_DEFAULTS, type CiConfig, ciSchema } from "./ci";
import { ConfigurationError } from "./errors";
import { settingMessage } from "./messages";
import { BASELINE_STACK, CI_STACK, STATE_STACK } from "../naming";
import { BASE, PRESETS } from "./presets";
import { SIZE_PRESETS, type SizeName } from "./sizes";
import { RULES, type Problem } from "./rules";
import { environmentSchema, type EnvironmentConfig } from "./schema";
import type { DeploymentSettings } from "./settings";

export * from "./schema";
export { ConfigurationError } from "./errors";
export type { BaselineConfig } from "./baseline";
export type { CiConfig } from "./ci";
export type { DeploymentSettings } from "./settings";
export type { Problem } from "./rules";

/** Stack names of the shared stacks, which no environment may take. */
const RESERVED_NAMES = [STATE_STACK, BASELINE_STACK, CI_STACK];

// Arrays (CIDR lists, zones) are values, not collections to concatenate.
const merge = <T>(...layers: object[]): T =>
  deepmerge.all(layers, { arrayMerge: (_target, source) => source }) as T;

/**
 * The environments a deployment declares, in the order the settings name them: every key of
 * `environments` in any layer; dev and prod when no layer names one.
 */
export function environmentNames(...settings: DeploymentSettings[]): string[] {
  const named = [...new Set(settings.flatMap((s) => Object.keys(s.environments ?? {})))];
  return named.length > 0 ? named : Object.keys(PRESETS);
}

/** The preset an environment starts from: its `preset` setting (last layer wins), else its own name. */
export function presetOf(environment: string, ...settings: DeploymentSettings[]): string | undefined {
  const declared = settings.map((s) => s.environments?.[environment]?.preset).filter((p): p is string => p !== undefined).at(-1);
  return declared ?? (environment in PRESETS ? environment : undefined);
}

/** Merges BASE, the preset and the settings of one environment; validates nothing. */
export function mergeEnvironment(environment: string, ...settings: DeploymentSettings[]): unknown {
  const userLayers: object[] = settings.flatMap(({ environments, baseline: _baseline, ci: _ci, ...shared }) => {
    const { preset: _preset, ...own } = environments?.[environment] ?? {};
    return [shared, own];
  });
  // The size preset sits between the environment preset and the user's own settings.
  const size = merge<{ size?: string }>({ size: BASE.size }, ...userLayers).size;
  const sizeLayer = size && size in SIZE_PRESETS ? SIZE_PRESETS[size as SizeName] : {};
  const preset = PRESETS[presetOf(environment, ...settings) ?? ""] ?? {};
  return merge<object>(BASE, preset, sizeLayer, ...userLayers, { environment });
}

const pathText = (path: readonly PropertyKey[]): string =>
  path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "");

/** The value at `path` in `value`, or undefined. */
const valueAt = (value: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>((v, key) => (v && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[key] : undefined), value);

/** `value` with the setting at `path` replaced (undefined: removed); copies only along the path. */
function withValueAt(value: unknown, path: readonly PropertyKey[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [key, ...rest] = path;
  const copy: Record<PropertyKey, unknown> = Array.isArray(value) ? ([...value] as never) : { ...(value as object) };
  const next = withValueAt(copy[key], rest, replacement);
  if (next === undefined) delete copy[key];
  else copy[key] = next;
  return copy;
}

/**
 * Every problem of one merged environment, schema and cross-field rules alike. Where the schema
 * refuses a setting, the rules still run, on the preset's value for it, and only their problems
 * in other sections (first path segment) are kept: a problem computed from a stand-in value
 * would be about a value the user did not write.
 */
export function environmentProblems(merged: unknown, defaults: unknown = {}): { config?: EnvironmentConfig; problems: Problem[] } {
  const parsed = environmentSchema.safeParse(merged, { error: settingMessage });
  if (parsed.success) return { config: parsed.data, problems: RULES.flatMap((rule) => rule(parsed.data)) };
  const problems: Problem[] = parsed.error.issues.map((issue) => ({
    path: pathText(issue.path),
    message:
      issue.code === "unrecognized_keys"
        ? `has unknown setting(s) ${issue.keys.map((k) => `"${k}"`).join(", ")}. Fix: correct the spelling or remove them; docs/settings.md lists every key.`
        : issue.message,
  }));
  let patched = merged;
  for (const issue of parsed.error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) patched = withValueAt(patched, [...issue.path, key], undefined);
    } else {
      patched = withValueAt(patched, issue.path, valueAt(defaults, issue.path));
    }
  }
  const retried = environmentSchema.safeParse(patched, { error: settingMessage });
  if (!retried.success) return { problems };
  const refused = new Set(parsed.error.issues.map((issue) => String(issue.path[0] ?? "")));
  const others = RULES.flatMap((rule) => rule(retried.data)).filter((p) => !refused.has(p.path.split(/[.[]/)[0]));
  return { problems: [...problems, ...others] };
}

/**
 * The validated configuration of every environment (dev, prod), from the presets and the given
 * settings layers (later layers win). Throws one ConfigurationError listing every problem of
 * every environment.
 */
export function resolveEnvironments(...settings: DeploymentSettings[]): EnvironmentConfig[] {
  const messages: string[] = [];
  const presets = Object.keys(PRESETS).join(", ");
  const environments = environmentNames(...settings);
  // An environment without a valid preset is reported here and not validated further: its
  // settings would only be checked against defaults it does not start from.
  const startable: string[] = [];
  for (const name of environments) {
    const preset = presetOf(name, ...settings);
    if (preset !== undefined && preset in PRESETS) startable.push(name);
    if (preset === undefined) {
      messages.push(`environments.${name}: declares no preset to start from. Fix: add "preset": "dev" (cheap, disposable) or "preset": "prod" (protected, full stack) to environments.${name}.`);
    } else if (!(preset in PRESETS)) {
      messages.push(`environments.${name}.preset "${preset}" is not a preset. Fix: use one of ${presets}.`);
    }
    if (RESERVED_NAMES.includes(name)) {
      messages.push(`environments.${name}: "${name}" is the name of a shared stack. Fix: name the environment otherwise.`);
    }
  }
  // Unknown top-level settings are reported once, here, not once per environment.
  const topLevelKeys = new Set([...Object.keys(environmentSchema.shape), "environments", "baseline", "ci"]);
  const strays = [...new Set(settings.flatMap((s) => Object.keys(s)).filter((key) => !topLevelKeys.has(key)))];
  if (strays.length > 0) {
    messages.push(`${strays.join(", ")}: unknown top-level setting(s) ${strays.map((k) => `"${k}"`).join(", ")}. Fix: correct the spelling or remove them; docs/settings.md lists every key.`);
  }
  const known = settings.map((s) => Object.fromEntries(Object.entries(s).filter(([key]) => topLevelKeys.has(key))) as DeploymentSettings);
  const configs: EnvironmentConfig[] = [];
  for (const environment of startable) {
    const { config, problems } = environmentProblems(mergeEnvironment(environment, ...known), mergeEnvironment(environment));
    messages.push(...problems.map((p) => (p.path ? `environment "${environment}": ${p.path} ${p.message}` : `environment "${environment}": ${p.message}`)));
    if (config) configs.push(config);
  }
  if (messages.length > 0) throw new ConfigurationError(messages);
  return configs;
}

/** The validated baseline configuration; throws a ConfigurationError listing every problem. */
export function resolveBaseline(...settings: DeploymentSettings[]): BaselineConfig {
  const parsed = baselineSchema.safeParse(merge<object>(BASELINE_DEFAULTS, ...settings.map((s) => s.baseline ?? {})), { error: settingMessage });
  if (parsed.success) return parsed.data;
  throw new ConfigurationError(parsed.error.issues.map((issue) => `${["baseline", ...issue.path].join(".")}${issue.path.length > 0 ? "" : ":"} ${issue.message}`));
}

/** The validated CI configuration; throws a ConfigurationError listing every problem. */
export function resolveCi(...settings: DeploymentSettings[]): CiConfig {
  const parsed = ciSchema.safeParse(merge<object>(CI_DEFAULTS, ...settings.map((s) => s.ci ?? {})), { error: settingMessage });
  if (parsed.success) return parsed.data;
  throw new ConfigurationError(parsed.error.issues.map((issue) => `${["ci", ...issue.path].join(".")}${issue.path.length > 0 ? "" : ":"} ${issue.message}`));
}

/** The validated configuration of one environment; convenient for tests. */
export function resolveEnvironment(environment: string, ...settings: DeploymentSettings[]): EnvironmentConfig {
  const config = resolveEnvironments(...settings).find((c) => c.environment === environment);
  if (!config) throw new Error(`no environment "${environment}"`);
  return config;
}
