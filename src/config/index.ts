import deepmerge from "deepmerge";
import { BASELINE_DEFAULTS, type BaselineConfig, baselineSchema } from "./baseline";
import { ConfigurationError } from "./errors";
import { BASE, PRESETS } from "./presets";
import { SIZE_PRESETS, type SizeName } from "./sizes";
import { RULES, type Problem } from "./rules";
import { environmentSchema, type EnvironmentConfig } from "./schema";
import type { DeploymentSettings } from "./settings";

export * from "./schema";
export { ConfigurationError } from "./errors";
export type { BaselineConfig } from "./baseline";
export type { DeploymentSettings } from "./settings";
export type { Problem } from "./rules";

// Arrays (CIDR lists, zones) are values, not collections to concatenate.
const merge = <T>(...layers: object[]): T =>
  deepmerge.all(layers, { arrayMerge: (_target, source) => source }) as T;

/** Merges BASE, the preset and the settings of one environment; validates nothing. */
export function mergeEnvironment(environment: string, ...settings: DeploymentSettings[]): unknown {
  const userLayers: object[] = settings.flatMap(({ environments, baseline: _baseline, ...shared }) => [
    shared,
    environments?.[environment] ?? {},
  ]);
  // The size preset sits between the environment preset and the user's own settings.
  const size = merge<{ size?: string }>({ size: BASE.size }, ...userLayers).size;
  const sizeLayer = size && size in SIZE_PRESETS ? SIZE_PRESETS[size as SizeName] : {};
  return merge<object>(BASE, PRESETS[environment] ?? {}, sizeLayer, ...userLayers, { environment });
}

/** Every problem of one merged environment: schema first, then the cross-field rules. */
export function environmentProblems(merged: unknown): { config?: EnvironmentConfig; problems: Problem[] } {
  const parsed = environmentSchema.safeParse(merged);
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map((issue) => ({
        path: issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, ""),
        message:
          issue.code === "unrecognized_keys"
            ? `has unknown setting(s) ${issue.keys.map((k) => `"${k}"`).join(", ")}. Fix: correct the spelling or remove them; README "Settings" lists every key.`
            : issue.message,
      })),
    };
  }
  return { config: parsed.data, problems: RULES.flatMap((rule) => rule(parsed.data)) };
}

/**
 * The validated configuration of every environment (dev, prod), from the presets and the given
 * settings layers (later layers win). Throws one ConfigurationError listing every problem of
 * every environment.
 */
export function resolveEnvironments(...settings: DeploymentSettings[]): EnvironmentConfig[] {
  const messages: string[] = [];
  const unknown = settings.flatMap((s) => Object.keys(s.environments ?? {})).filter((name) => !(name in PRESETS));
  for (const name of new Set(unknown)) {
    messages.push(`environments.${name}: there is no environment "${name}". Fix: use one of ${Object.keys(PRESETS).join(", ")}.`);
  }
  const configs: EnvironmentConfig[] = [];
  for (const environment of Object.keys(PRESETS)) {
    const { config, problems } = environmentProblems(mergeEnvironment(environment, ...settings));
    messages.push(...problems.map((p) => `environment "${environment}": ${p.path} ${p.message}`));
    if (config) configs.push(config);
  }
  if (messages.length > 0) throw new ConfigurationError(messages);
  return configs;
}

/** The validated baseline configuration; throws a ConfigurationError listing every problem. */
export function resolveBaseline(...settings: DeploymentSettings[]): BaselineConfig {
  const parsed = baselineSchema.safeParse(merge<object>(BASELINE_DEFAULTS, ...settings.map((s) => s.baseline ?? {})));
  if (parsed.success) return parsed.data;
  throw new ConfigurationError(parsed.error.issues.map((issue) => `baseline.${issue.path.join(".")} ${issue.message}`));
}

/** The validated configuration of one environment; convenient for tests. */
export function resolveEnvironment(environment: string, ...settings: DeploymentSettings[]): EnvironmentConfig {
  const config = resolveEnvironments(...settings).find((c) => c.environment === environment);
  if (!config) throw new Error(`no environment "${environment}"`);
  return config;
}
