import { App } from "cdktf";
import * as fs from "fs";
import * as path from "path";
import {
  type BaselineConfig,
  ConfigurationError,
  type DeploymentSettings,
  type EnvironmentConfig,
  resolveBaseline,
  resolveEnvironments,
} from "./config";
import { readSettingsOverlay } from "./config/settings";
import { standardTags } from "./constructs/providers";
import { BaselineStack } from "./stacks/baseline-stack";
import { EnvironmentStack } from "./stacks/environment-stack";
import { StateBootstrapStack } from "./stacks/state-bootstrap-stack";
import { BASELINE_STACK, STATE_STACK } from "./naming";

export { BASELINE_STACK, STATE_STACK } from "./naming";

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

/** The validated configuration of a whole deployment. */
export interface Deployment {
  readonly environments: EnvironmentConfig[];
  readonly baseline: BaselineConfig;
}

/**
 * Every environment's and the baseline's validated configuration. Throws one
 * ConfigurationError listing every problem, including environments that disagree on where
 * the shared state bucket is.
 */
export function resolveDeployment(settings: DeploymentSettings[]): Deployment {
  const problems: string[] = [];
  const attempt = <T>(resolve: () => T): T | undefined => {
    try {
      return resolve();
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      problems.push(...error.problems);
      return undefined;
    }
  };
  const environments = attempt(() => sharedStateLocation(resolveEnvironments(...settings)));
  const baseline = attempt(() => resolveBaseline(...settings));
  if (!environments || !baseline) throw new ConfigurationError(problems);
  return { environments, baseline };
}

function sharedStateLocation(configs: EnvironmentConfig[]): EnvironmentConfig[] {
  const [first, ...rest] = configs;
  const problems = rest.flatMap((c) =>
    (["project", "accountId", "region", "stateRegion"] as const)
      .filter((key) => c[key] !== first[key])
      .map(
        (key) =>
          `environment "${c.environment}": ${key} "${c[key]}" differs from environment "${first.environment}" ("${first[key]}"); the environments share the state bucket of the ${STATE_STACK} stack and the ${BASELINE_STACK} stack of one account and region. Fix: set ${key} once, at the top level of the settings.`,
      ),
  );
  if (problems.length > 0) throw new ConfigurationError(problems);
  return configs;
}

/**
 * Adds every stack to the app: the state bootstrap stack, the account baseline (unless
 * switched off) and one stack per environment.
 */
export function buildApp(app: App, deployment: Deployment): void {
  const configs = deployment.environments;
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
  if (deployment.baseline.enabled) {
    new BaselineStack(app, BASELINE_STACK, {
      config: deployment.baseline,
      project: shared.project,
      accountId: shared.accountId,
      region: shared.region,
      stateRegion: shared.stateRegion,
      tags: standardTags({
        project: shared.project,
        environment: "account",
        dataClassification: shared.dataClassification,
        extra: shared.tags,
      }),
    });
  }
  for (const config of configs) {
    new EnvironmentStack(app, config.environment, { config });
  }
}
