import { App } from "cdktf";
import type { Deployment } from "./config/deployment";
import { standardTags } from "./constructs/providers";
import { imageRepositoryName } from "./constructs/registry";
import { BaselineStack } from "./stacks/baseline-stack";
import { CiStack } from "./stacks/ci-stack";
import { DisasterRecoveryStack } from "./stacks/dr-stack";
import { EnvironmentStack } from "./stacks/environment-stack";
import { StateBootstrapStack } from "./stacks/state-bootstrap-stack";
import { BASELINE_STACK, CI_STACK, drStackName, STATE_STACK } from "./naming";

export { BASELINE_STACK, CI_STACK, STATE_STACK } from "./naming";

/**
 * Adds every stack to the app: the state bootstrap stack, the account baseline (unless
 * switched off), one stack per environment, and the CI identities (when a repository is set).
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
      // ECR keeps one replication configuration per registry: the baseline's, for every standby.
      imageReplicas: configs
        .filter((c) => c.dr.enabled)
        .map((c) => ({ repositoryName: imageRepositoryName({ project: c.project, environment: c.environment }), region: c.stateRegion })),
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
    if (config.dr.enabled) new DisasterRecoveryStack(app, drStackName(config.environment), { config });
  }
  const repository = deployment.ci.githubRepository;
  if (repository) {
    new CiStack(app, CI_STACK, {
      ci: { ...deployment.ci, githubRepository: repository },
      environments: configs,
      tags: standardTags({ project: shared.project, environment: "ci", dataClassification: "internal", extra: shared.tags }),
    });
  }
}
