import * as fs from "fs";
import { ConfigurationError } from "./errors";
import type { EnvironmentConfig } from "./schema";
import type { BaselineSettings } from "./baseline";
import type { CiSettings } from "./ci";
import type { DeepPartial } from "./presets";

/**
 * What a deployment supplies: settings shared by every environment at the top level, and
 * per-environment overrides under `environments`. Committed: the `deployment` key of cdktf.json's
 * `context`, and one file per environment in the ENVIRONMENTS_DIR folder; then overlaid by the
 * JSON file that the `DEPLOYMENT_SETTINGS` environment variable names (for values that should not
 * be committed, and personal environments). docs/settings.md lists every key.
 */
export type DeploymentSettings = DeepPartial<Omit<EnvironmentConfig, "environment">> & {
  readonly environments?: Readonly<Record<string, EnvironmentSettings>>;
  /** The account baseline stack (config/baseline.ts). */
  readonly baseline?: BaselineSettings;
  /** Keyless CI identities, the ci stack (config/ci.ts). */
  readonly ci?: CiSettings;
  /**
   * Not a setting: marks the layer of a DEPLOYMENT_SETTINGS file (loadSettings sets it). An
   * environment that only such layers declare is personal: it gets its own stack and nothing in
   * the shared stacks (no CI roles, no image replication), so that whoever synthesizes without the
   * file builds the same shared stacks. @default false (a committed layer)
   */
  readonly personal?: boolean;
};

/**
 * The committed folder of the team's environments, relative to the project root: one JSON file
 * per environment, `<name>.json`, holding what `environments.<name>` holds; every synthesis reads
 * them all.
 */
export const ENVIRONMENTS_DIR = "environments";

/**
 * One environment's settings: the preset it starts from and its own overrides. Any name works
 * (2-10 lower-case letters or digits); dev and prod start from their own presets unless told.
 */
export type EnvironmentSettings = DeepPartial<EnvironmentConfig> & {
  /** The preset this environment starts from: "dev" (disposable) or "prod" (protected). @default its own name */
  readonly preset?: string;
};

/** Name of the environment variable that points at a settings overlay file. */
export const SETTINGS_FILE_VARIABLE = "DEPLOYMENT_SETTINGS";

/**
 * Where a settings layer was read from, so that a problem names the file to edit and the key in
 * it (src/validation/places.ts). Recorded beside the layer, not in it: it is no setting, and a
 * layer built in code (a test's, the estimate's variants) has none.
 */
export interface LayerSource {
  /** The file of the layer's own keys, as the user names it: `cdktf.json`, the DEPLOYMENT_SETTINGS file. */
  readonly file: string;
  /** Where the layer's settings are in that file: `context.deployment` in cdktf.json; "" for a settings file's top level. */
  readonly key: string;
  /** The layer's environments read from a file of their own (environments/<name>.json, holding what environments.<name> would), by name. */
  readonly environmentFiles?: Readonly<Record<string, string>>;
}

const SOURCES = new WeakMap<DeploymentSettings, LayerSource>();

/** Records where `layer` was read from; returns it. */
export function withSource(layer: DeploymentSettings, source: LayerSource): DeploymentSettings {
  SOURCES.set(layer, source);
  return layer;
}

/** Where `layer` was read from; undefined for a layer built in code. */
export const sourceOf = (layer: DeploymentSettings): LayerSource | undefined => SOURCES.get(layer);

/**
 * `text` parsed as JSON; a syntax error becomes a ConfigurationError naming `file`, the line and
 * the column (JSON.parse only says the offset).
 */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const offset = Number(/position (\d+)/.exec(message)?.[1] ?? text.length);
    const lines = text.slice(0, offset).split("\n");
    const reason = message.replace(/ in JSON at position \d+.*$/, "");
    throw new ConfigurationError([
      `${file}:${lines.length}:${lines[lines.length - 1].length + 1}: not valid JSON (${reason}). Fix: correct the JSON at that line and column; a trailing comma, a missing comma or an unquoted key is the usual cause.`,
    ]);
  }
}

/** Refuses settings that are not a JSON object (`[]`, `null`, `true`): `source` says where they come from. */
export function asSettings(value: unknown, source: string): DeploymentSettings {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    const kind = value === null ? "null" : Array.isArray(value) ? "an array" : `the ${typeof value} ${JSON.stringify(value)}`;
    throw new ConfigurationError([
      `${source} is ${kind}; the deployment settings are an object. Fix: write an object such as { "accountId": "...", "environments": { "dev": {} } } (docs/settings.md).`,
    ]);
  }
  return value;
}

/** Reads the overlay file named by DEPLOYMENT_SETTINGS, marked personal, or returns undefined when it is unset. */
export function readSettingsOverlay(env: NodeJS.ProcessEnv = process.env): DeploymentSettings | undefined {
  const file = env[SETTINGS_FILE_VARIABLE];
  if (!file) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigurationError([
      `${SETTINGS_FILE_VARIABLE}=${file}: cannot read the settings file (${(error as Error).message}). Fix: point ${SETTINGS_FILE_VARIABLE} at a JSON file, or unset it.`,
    ]);
  }
  return withSource({ ...asSettings(parseJson(text, file), `${SETTINGS_FILE_VARIABLE}=${file}`), personal: true }, { file, key: "" });
}
