import { App } from "cdktf";
import * as fs from "fs";
import * as path from "path";
import { ConfigurationError, resolveEnvironments, type DeploymentSettings, type EnvironmentConfig } from "./config";
import { readSettingsOverlay } from "./config/settings";
import { standardTags } from "./constructs/providers";
import { EnvironmentStack } from "./stacks/environment-stack";
import { StateBootstrapStack } from "./stacks/state-bootstrap-stack";

/** Name of the state bootstrap stack. */
export const STATE_STACK = "state";

/** The key of cdktf.json's `context` that holds the deployment settings. */
export const SETTINGS_CONTEXT_KEY = "deployment";

/**
 * The settings layers, as `cdktf synth` sees them: cdktf.json's context (which the CLI passes in
 * CDKTF_CONTEXT_JSON; read from ./cdktf.json when run without the CLI), then the file that
 * DEPLOYMENT_SETTINGS names.
 */
export function loadSettings(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): DeploymentSettings[] {
  const context = env.CDKTF_CONTEXT_JSON
    ? JSON.parse(env.CDKTF_CONTEXT_JSON)
    : JSON.parse(fs.readFileSync(path.join(cwd, "cdktf.json"), "utf8")).context ?? {};
  const layers: DeploymentSettings[] = [];
  if (context[SETTINGS_CONTEXT_KEY]) layers.push(context[SETTINGS_CONTEXT_KEY]);
  const overlay = readSettingsOverlay(env);
  if (overlay) layers.push(overlay);
  return layers;
}

/**
 * Every environment's validated configuration. Throws one ConfigurationError listing every
 * problem, including environments that disagree on where the shared state bucket is.
 */
export function resolveDeployment(settings: DeploymentSettings[]): EnvironmentConfig[] {
  const configs = resolveEnvironments(...settings);
  const [first, ...rest] = configs;
  const problems = rest.flatMap((c) =>
    (["project", "accountId", "stateRegion"] as const)
      .filter((key) => c[key] !== first[key])
      .map(
        (key) =>
          `environment "${c.environment}": ${key} "${c[key]}" differs from environment "${first.environment}" ("${first[key]}"); every environment keeps its state in the one bucket of the ${STATE_STACK} stack. Fix: set ${key} once, at the top level of the settings.`,
      ),
  );
  if (problems.length > 0) throw new ConfigurationError(problems);
  return configs;
}

/** Adds every stack to the app: the state bootstrap stack and one stack per environment. */
export function buildApp(app: App, configs: EnvironmentConfig[]): void {
  const [shared] = configs;
  new StateBootstrapStack(app, STATE_STACK, {
    project: shared.project,
    accountId: shared.accountId,
    stateRegion: shared.stateRegion,
    tags: standardTags({
      project: shared.project,
      environment: "shared",
      dataClassification: "internal",
      extra: shared.tags,
    }),
  });
  for (const config of configs) {
    new EnvironmentStack(app, config.environment, { config });
  }
}
