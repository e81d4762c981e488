import type { z } from "zod";
import { BASELINE_DEFAULTS, type BaselineConfig, baselineSchema } from "../config/baseline";
import { CI_DEFAULTS, type CiConfig, ciSchema } from "../config/ci";
import { ConfigurationError } from "../config/errors";
import { settingMessage } from "../config/messages";
import { BASELINE_STACK, CI_STACK, STATE_STACK } from "../config/naming";
import { BASE, type DeepPartial, DEFAULT_ENVIRONMENTS, PRESETS } from "../config/presets";
import { SIZE_PRESETS, type SizeName } from "../config/sizes";
import { RULES, type Problem } from "./rules";
import { environmentSchema, type EnvironmentConfig } from "../config/schema";
import type { DeploymentSettings } from "../config/settings";
import { type Place, placed, SettingsPlaces } from "./places";

export * from "../config/schema";
export { ConfigurationError } from "../config/errors";
export type { BaselineConfig } from "../config/baseline";
export type { CiConfig } from "../config/ci";
export type { DeploymentSettings } from "../config/settings";
export type { Problem } from "./rules";

/** Stack names of the shared stacks, which no environment may take. */
const RESERVED_NAMES = [STATE_STACK, BASELINE_STACK, CI_STACK];

/** What deepmerge merges key by key: an object that is not an array, a Date or a RegExp. */
function isMergeable(value: unknown): value is Record<PropertyKey, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const tag = Object.prototype.toString.call(value);
  return tag !== "[object Date]" && tag !== "[object RegExp]";
}

const isOwnEnumerable = (object: object, key: PropertyKey) => Object.prototype.propertyIsEnumerable.call(object, key);
const ownKeys = (object: object): PropertyKey[] => [...Object.keys(object), ...Object.getOwnPropertySymbols(object).filter((s) => isOwnEnumerable(object, s))];

/** Where the keys that every object inherits are looked up. */
const INHERITED = {};

/**
 * The values one key has in successive layers, merged as deepmerge.all merges them with arrays
 * replaced: the last value, unless it is an object; then the objects since the last value that is
 * not one, merged key by key (new objects; arrays and other values as given). A key every object
 * inherits (`constructor`, `toString`, `__proto__`) sets nothing: deepmerge left it out too, except
 * in an object replacing a value in the last layer (where `__proto__` set the merged object's
 * prototype).
 */
function mergeValues(values: readonly unknown[]): unknown {
  let from = values.length - 1;
  while (from >= 0 && isMergeable(values[from])) from -= 1;
  if (from === values.length - 1) return values[from];
  const sections = values.slice(from + 1) as Record<PropertyKey, unknown>[];
  const merged: Record<PropertyKey, unknown> = {};
  for (const key of new Set(sections.flatMap(ownKeys))) {
    if (key in INHERITED) continue;
    merged[key] = mergeValues(sections.filter((section) => isOwnEnumerable(section, key)).map((section) => section[key]));
  }
  return merged;
}

// Arrays (CIDR lists, zones) are values, not collections to concatenate. One pass over the layers:
// deepmerge.all copied the whole configuration once per layer, most of the time spent resolving
// settings (config.spec compares the two on the presets and on generated layers).
const merge = <T>(...layers: object[]): T => mergeValues([{}, ...layers]) as T;

/** Settings layers merged into one, later layers winning, as the environments' layers are merged. */
export const mergeSettings = (...layers: DeploymentSettings[]): DeploymentSettings => merge<DeploymentSettings>({}, ...layers);

/**
 * The environments a deployment declares, in the order the settings name them: every key of
 * `environments` in any layer; dev and prod when no committed layer names one (a personal layer's
 * environments come beside them, not instead).
 */
export function environmentNames(...settings: DeploymentSettings[]): string[] {
  const names = (layers: DeploymentSettings[]) => layers.flatMap((s) => Object.keys(s.environments ?? {}));
  const team = names(settings.filter((s) => !s.personal));
  return [...new Set([...(team.length > 0 ? team : DEFAULT_ENVIRONMENTS), ...names(settings)])];
}

/**
 * The personal environments: those that only personal layers (a DEPLOYMENT_SETTINGS file)
 * declare. The shared stacks (baseline, ci, state) leave them out, so that they are the same
 * whoever synthesizes them, with or without such a file.
 */
export function personalEnvironments(...settings: DeploymentSettings[]): string[] {
  const team = new Set(environmentNames(...settings.filter((s) => !s.personal)));
  return environmentNames(...settings).filter((name) => !team.has(name));
}

/** The preset an environment starts from: its `preset` setting (last layer wins), else its own name. */
export function presetOf(environment: string, ...settings: DeploymentSettings[]): string | undefined {
  const declared = settings
    .map((s) => s.environments?.[environment]?.preset)
    .filter((p): p is string => p !== undefined)
    .at(-1);
  return declared ?? (environment in PRESETS ? environment : undefined);
}

/** The layers of the deployment's own settings of one environment, shared then own, in the order they win. */
const userLayers = (environment: string, settings: readonly DeploymentSettings[]): object[] =>
  settings.flatMap(({ environments, baseline: _baseline, ci: _ci, personal: _personal, ...shared }) => {
    const { preset: _preset, ...own } = environments?.[environment] ?? {};
    return [shared, own];
  });

/** What the settings themselves set for one environment, without BASE and the presets. */
export const givenSettings = (environment: string, ...settings: DeploymentSettings[]): DeepPartial<EnvironmentConfig> =>
  merge<DeepPartial<EnvironmentConfig>>({}, ...userLayers(environment, settings));

/** Merges BASE, the preset and the settings of one environment; validates nothing. */
export function mergeEnvironment(environment: string, ...settings: DeploymentSettings[]): unknown {
  const own = userLayers(environment, settings);
  // The size preset sits between the environment preset and the user's own settings.
  const size = merge<{ size?: string }>({ size: BASE.size }, ...own).size;
  const sizeLayer = size && size in SIZE_PRESETS ? SIZE_PRESETS[size as SizeName] : {};
  const preset = PRESETS[presetOf(environment, ...settings) ?? ""] ?? {};
  return merge<object>(BASE, preset, sizeLayer, ...own, { environment });
}

/** Whether `value` is a JSON object (a section of settings): not an array, not null. */
const isSection = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/** What a settings value is, as a message says it: `an array`, `null`, `the boolean true`. */
function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `the ${typeof value} ${JSON.stringify(value)}`;
}

const EXPECTED: Readonly<Record<string, string>> = {
  object: "an object (a section of settings, { ... })",
  array: "a list ([ ... ])",
  string: "a string",
  number: "a number",
  boolean: "true or false",
};

/** The message of a zod issue about `root`: a wrong type says what was given, what is expected, and the fix. */
function issueMessage(issue: z.core.$ZodIssue, root: unknown): string {
  if (issue.code === "unrecognized_keys") {
    return `has unknown setting(s) ${issue.keys.map((k) => `"${k}"`).join(", ")}. Fix: correct the spelling or remove them; docs/settings.md lists every key.`;
  }
  // A missing setting (one key of a section given without the other) takes settingMessage's "is missing".
  if (issue.code === "invalid_type" && valueAt(root, issue.path) !== undefined) {
    return `is ${kindOf(valueAt(root, issue.path))}; it must be ${EXPECTED[issue.expected] ?? issue.expected}. Fix: write it so (docs/settings.md lists every key), or remove it to keep the preset's value.`;
  }
  return issue.message;
}

/** A problem of a section's shape: which section it is of (its resolver reports it), and its line. */
interface ShapeProblem {
  readonly section: "environments" | "baseline" | "ci";
  readonly text: string;
}

/**
 * Sections of the settings that are not objects: `environments` itself, an environment's
 * settings (`"dev": []`, `null`, `true`) or the `baseline` / `ci` section. Each is reported with
 * its fix and where it is written (`places`), and left out, so that the rest is still validated
 * and every problem is reported at once.
 */
function sectionShapes(settings: readonly DeploymentSettings[], places: SettingsPlaces): { layers: DeploymentSettings[]; problems: ShapeProblem[] } {
  const problems: ShapeProblem[] = [];
  const layers = settings.map((layer) => {
    const at = places.topLevelOf(layer);
    const usable: Record<string, unknown> = { ...layer };
    const { environments } = layer as Record<string, unknown>;
    if (environments !== undefined && !isSection(environments)) {
      problems.push({
        section: "environments",
        text: placed(
          at,
          "environments",
          `is ${kindOf(environments)}; it maps each environment's name to its settings. Fix: write "environments": { "dev": {}, "prod": {} } with the environments you deploy.`,
        ),
      });
      delete usable.environments;
    } else if (environments) {
      usable.environments = Object.fromEntries(
        Object.entries(environments).map(([name, own]) => {
          if (isSection(own)) return [name, own];
          problems.push({
            section: "environments",
            text: placed(
              at,
              `environments.${name}`,
              `is ${kindOf(own)}; an environment's settings are an object. Fix: write "${name}": {} to take its preset as it is, or remove "${name}".`,
            ),
          });
          return [name, {}];
        }),
      );
    }
    for (const section of ["baseline", "ci"] as const) {
      const value = (layer as Record<string, unknown>)[section];
      if (value !== undefined && !isSection(value)) {
        problems.push({
          section,
          text: placed(
            at,
            section,
            `is ${kindOf(value)}; it is a section of settings. Fix: write "${section}": { ... } with the keys docs/settings.md lists, or remove it.`,
          ),
        });
        delete usable[section];
      }
    }
    return usable;
  });
  return { layers, problems };
}

const pathText = (path: readonly PropertyKey[]): string =>
  path
    .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
    .join("")
    .replace(/^\./, "");

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

/** Settings checked against another one: a refused region or account leaves its zones and certificates unchecked. */
const CHECKED_AGAINST: Readonly<Record<string, readonly string[]>> = {
  accountId: ["deployRoleArn", "loadBalancer.certificateArn", "dr.certificateArn", "edge.cloudfront.certificateArn"],
  region: ["availabilityZones", "loadBalancer.certificateArn", "deployRoleArn"],
  stateRegion: ["dr.availabilityZones", "dr.certificateArn"],
};

/**
 * Every problem of one merged environment, schema and cross-field rules alike. Where the schema
 * refuses a setting, the rules still run, on the preset's value for it, and only their problems
 * in other sections (first path segment) are kept: a problem computed from a stand-in value
 * would be about a value the user did not write.
 */
export function environmentProblems(
  merged: unknown,
  defaults: unknown = {},
  given: DeepPartial<EnvironmentConfig> = {},
): { config?: EnvironmentConfig; problems: Problem[] } {
  const parsed = environmentSchema.safeParse(merged, { error: settingMessage });
  if (parsed.success) return { config: parsed.data, problems: RULES.flatMap((rule) => rule(parsed.data, given)) };
  const problems: Problem[] = parsed.error.issues.map((issue) => ({
    path: pathText(issue.path),
    message: issueMessage(issue, merged),
    ...(issue.code === "unrecognized_keys" ? { setting: pathText([...issue.path, issue.keys[0]]) } : {}),
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
  const readsStandIn = (path: string) =>
    refused.has(path.split(/[.[]/)[0]) || [...refused].some((key) => (CHECKED_AGAINST[key] ?? []).some((dependent) => path.startsWith(dependent)));
  const others = RULES.flatMap((rule) => rule(retried.data, given)).filter((p) => !readsStandIn(p.path));
  return { problems: [...problems, ...others] };
}

/**
 * The validated configuration of every environment (dev, prod), from the presets and the given
 * settings layers (later layers win). Throws one ConfigurationError listing every problem of
 * every environment.
 */
export function resolveEnvironments(...layers: DeploymentSettings[]): EnvironmentConfig[] {
  const places = new SettingsPlaces(layers);
  const { layers: settings, problems: shapes } = sectionShapes(layers, places);
  // The baseline and ci sections are reported by resolveBaseline and resolveCi.
  const messages: string[] = shapes.filter((p) => p.section === "environments").map((p) => p.text);
  const presets = Object.keys(PRESETS).join(", ");
  const environments = environmentNames(...settings);
  // An environment without a valid preset is reported here and not validated further: its
  // settings would only be checked against defaults it does not start from.
  const startable: string[] = [];
  for (const name of environments) {
    const preset = presetOf(name, ...settings);
    const home = places.home(name);
    if (preset !== undefined && preset in PRESETS) startable.push(name);
    if (preset === undefined) {
      messages.push(
        placed(
          home,
          "",
          `declares no preset to start from. Fix: add "preset": "dev" (cheap, disposable), "preset": "sandbox" (one developer's, cheapest) or "preset": "prod" (protected, full stack) to ${home ? where(home) : `environments.${name}`}.`,
          `environments.${name}`,
        ),
      );
    } else if (!(preset in PRESETS)) {
      const { place } = places.ofEnvironment(name, "preset");
      messages.push(placed(place, place ? "preset" : `environments.${name}.preset`, `"${preset}" is not a preset. Fix: use one of ${presets}.`));
    }
    if (RESERVED_NAMES.includes(name)) {
      messages.push(placed(home, "", `"${name}" is the name of a shared stack. Fix: name the environment otherwise.`, `environments.${name}`));
    }
  }
  // Unknown top-level settings are reported once, here, not once per environment: for each file
  // that has them, and once for the layers built in code.
  const topLevelKeys = new Set([...Object.keys(environmentSchema.shape), "environments", "baseline", "ci", "personal"]);
  const straysOf = (of: readonly DeploymentSettings[]) => [...new Set(of.flatMap((s) => Object.keys(s)).filter((key) => !topLevelKeys.has(key)))];
  const strayText = (strays: readonly string[]) =>
    `unknown top-level setting(s) ${strays.map((k) => `"${k}"`).join(", ")}. Fix: correct the spelling or remove them; docs/settings.md lists every key.`;
  for (const [i, layer] of settings.entries()) {
    const strays = straysOf([layer]);
    const at = places.topLevelOf(layers[i]);
    if (at && strays.length > 0) messages.push(placed(at, "", strayText(strays)));
  }
  const unplaced = straysOf(settings.filter((_, i) => !places.topLevelOf(layers[i])));
  if (unplaced.length > 0) messages.push(`${unplaced.join(", ")}: ${strayText(unplaced)}`);
  const known = settings.map((s) => Object.fromEntries(Object.entries(s).filter(([key]) => topLevelKeys.has(key))) as DeploymentSettings);
  const configs: EnvironmentConfig[] = [];
  const found: { environment: string; problem: Problem }[] = [];
  for (const environment of startable) {
    const { config, problems } = environmentProblems(
      mergeEnvironment(environment, ...known),
      mergeEnvironment(environment),
      givenSettings(environment, ...known),
    );
    found.push(...problems.map((problem) => ({ environment, problem })));
    if (config) configs.push(config);
  }
  messages.push(...environmentMessages(found, startable, places));
  if (messages.length > 0) throw new ConfigurationError(messages);
  return configs;
}

/** How a message's end names a place: `environments/qa.json`, `cdktf.json's context.deployment.environments.qa`. */
const where = (place: Place): string => (place.key ? `${place.file}'s ${place.key}` : place.file);

/**
 * Each environment's problems as messages, each naming the file and key it is written in
 * (SettingsPlaces.ofEnvironment): the environment's own file, or the file whose top level sets
 * it. A top-level setting's problem, the same in several environments that take the setting from
 * the top level, is one mistake: it is reported once, naming the environments that have it
 * unless all do. Settings built in code name the environment instead of a file.
 */
function environmentMessages(found: readonly { environment: string; problem: Problem }[], environments: readonly string[], places: SettingsPlaces): string[] {
  const text = (p: Problem) => (p.path ? `${p.path} ${p.message}` : p.message);
  const located = found.map(({ environment, problem }) => ({ environment, problem, ...places.ofEnvironment(environment, problem.setting ?? problem.path) }));
  const sharedKey = (l: (typeof located)[number]) => JSON.stringify([l.place ?? null, text(l.problem)]);
  const shared = new Map<string, string[]>();
  for (const l of located.filter((l) => l.topLevel)) shared.set(sharedKey(l), [...(shared.get(sharedKey(l)) ?? []), l.environment]);
  const messages: string[] = [];
  for (const l of located) {
    const { environment, problem, place } = l;
    const those = l.topLevel ? shared.get(sharedKey(l))! : [environment];
    if (those[0] !== environment) continue;
    const some = those.length === 1 ? `environment "${environment}"` : `environments ${those.map((e) => `"${e}"`).join(", ")}`;
    if (!place) messages.push(those.length === environments.length && those.length > 1 ? text(problem) : `${some}: ${text(problem)}`);
    // A place of the environment's own names it; a top level is qualified unless every environment has the problem.
    else if (!l.topLevel || (those.length === environments.length && those.length > 1)) messages.push(placed(place, problem.path, problem.message));
    else messages.push(placed({ ...place, file: `${place.file} (${some})` }, problem.path, problem.message));
  }
  return messages;
}

/** The validated baseline configuration; throws a ConfigurationError listing every problem. */
export function resolveBaseline(...settings: DeploymentSettings[]): BaselineConfig {
  return resolveSection("baseline", baselineSchema, BASELINE_DEFAULTS, settings);
}

/** The validated CI configuration; throws a ConfigurationError listing every problem. */
export function resolveCi(...settings: DeploymentSettings[]): CiConfig {
  return resolveSection("ci", ciSchema, CI_DEFAULTS, settings);
}

/** A section shared by the deployment (`baseline`, `ci`), merged over its defaults and validated. */
function resolveSection<T>(section: "baseline" | "ci", schema: z.ZodType<T>, defaults: T, settings: readonly DeploymentSettings[]): T {
  const places = new SettingsPlaces(settings);
  const { layers, problems } = sectionShapes(settings, places);
  const merged = merge<object>(defaults as object, ...layers.map((s) => s[section] ?? {}));
  const parsed = schema.safeParse(merged, { error: settingMessage });
  const own = problems.filter((p) => p.section === section).map((p) => p.text);
  if (parsed.success && own.length === 0) return parsed.data;
  const issues = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const path = pathText([section, ...issue.path]);
        // an unknown key is written where its section is: the file that sets it
        const place = places.ofTopLevel(issue.code === "unrecognized_keys" ? `${path}.${issue.keys[0]}` : path);
        return place
          ? placed(place, path, issueMessage(issue, merged))
          : `${section}${issue.path.length > 0 ? `.${pathText(issue.path)}` : ":"} ${issueMessage(issue, merged)}`;
      });
  throw new ConfigurationError([...own, ...issues]);
}

/** The validated configuration of one environment; convenient for tests. */
export function resolveEnvironment(environment: string, ...settings: DeploymentSettings[]): EnvironmentConfig {
  const config = resolveEnvironments(...settings).find((c) => c.environment === environment);
  if (!config) throw new Error(`no environment "${environment}"`);
  return config;
}
