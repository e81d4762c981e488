import { App } from "cdktf";
import type { Deployment } from "./config/deployment";
import { standardTags } from "./constructs/providers";
import { BaselineStack } from "./stacks/baseline-stack";
import { EnvironmentStack } from "./stacks/environment-stack";
import { StateBootstrapStack } from "./stacks/state-bootstrap-stack";
import { BASELINE_STACK, STATE_STACK } from "./naming";

export { BASELINE_STACK, STATE_STACK } from "./naming";

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
