import type { App } from "cdktf";
import { guardDutyManagesFargateAgent } from "../config/baseline";
import { type Deployment, teamEnvironments } from "../validation/deployment";
import { standardTags } from "../constructs/providers";
import { BaselineStack } from "./baseline-stack";
import { CiStack } from "./ci-stack";
import { DisasterRecoveryStack } from "./dr-stack";
import { EnvironmentStack } from "./environment-stack";
import { StateBootstrapStack } from "./state-bootstrap-stack";
import { BASELINE_STACK, CI_STACK, drStackName, repositoryName, STATE_STACK } from "../config/naming";

export { BASELINE_STACK, CI_STACK, STATE_STACK } from "../config/naming";

/**
 * Adds every stack to the app: the state bootstrap stack, the account baseline (unless
 * switched off), one stack per environment, and the CI identities (when a repository is set).
 * The shared stacks (state, baseline, ci) are built from the team's environments only: a
 * personal one (deployment.personal) has its own stack and changes none of them.
 * `only`: the stacks to build (the cost estimate reads one or two of many settings variants);
 * stacks reference nothing across, so each is the same as when every stack is built, and the
 * settings were validated as a whole already (resolveDeployment). @default every stack
 */
export function buildApp(app: App, deployment: Deployment, only?: readonly string[]): void {
  const configs = deployment.environments;
  const team = teamEnvironments(deployment);
  // environmentNames gives the team dev and prod when no committed layer names an environment.
  const [shared] = team;
  const wanted = (name: string) => !only || only.includes(name);
  if (wanted(STATE_STACK))
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
  if (deployment.baseline.enabled && wanted(BASELINE_STACK)) {
    new BaselineStack(app, BASELINE_STACK, {
      config: deployment.baseline,
      project: shared.project,
      accountId: shared.accountId,
      region: shared.region,
      stateRegion: shared.stateRegion,
      // ECR keeps one replication configuration per registry: the baseline's, for every standby.
      imageReplicas: team
        .filter((c) => c.dr.enabled)
        .map((c) => ({ repositoryName: repositoryName({ project: c.project, environment: c.environment }), region: c.stateRegion })),
      tags: standardTags({
        project: shared.project,
        environment: "account",
        dataClassification: shared.dataClassification,
        extra: shared.tags,
      }),
    });
  }
  // With the baseline's agent management, every task's execution role may pull GuardDuty's agent in
  // its own region: the standby's too, for GuardDuty running in the DR region (an organization's
  // detector, or the baseline's deployed there after a failover).
  const guardDutyAgent = guardDutyManagesFargateAgent(deployment.baseline);
  for (const config of configs) {
    if (wanted(config.environment)) new EnvironmentStack(app, config.environment, { config, guardDutyAgent });
    if (config.dr.enabled && wanted(drStackName(config.environment)))
      new DisasterRecoveryStack(app, drStackName(config.environment), { config, guardDutyAgent });
  }
  const repository = deployment.ci.githubRepository;
  if (repository && wanted(CI_STACK)) {
    new CiStack(app, CI_STACK, {
      ci: { ...deployment.ci, githubRepository: repository },
      environments: team,
      tags: standardTags({ project: shared.project, environment: "ci", dataClassification: "internal", extra: shared.tags }),
    });
  }
}

/** One stack of a first deploy, in order. */
export interface DeployStep {
  readonly stack: string;
  /** Why it comes at this point of the order. */
  readonly why: string;
}

/**
 * The stacks `buildApp` adds, in the order a first deploy applies them: the state bucket that
 * every other stack's backend names, the account baseline, the pipeline's roles, then each
 * environment followed by its standby, which reads the environment's DR key, bucket replicas,
 * database and replicated images by name.
 */
export function deployOrder(deployment: Deployment): DeployStep[] {
  const steps: DeployStep[] = [{ stack: STATE_STACK, why: "the S3 bucket that holds every other stack's state; its own state stays in a local file" }];
  if (deployment.baseline.enabled)
    steps.push({
      stack: BASELINE_STACK,
      why: "once per account: the audit trail, AWS Config, GuardDuty and Security Hub record everything deployed after it; it also holds the registry's one ECR replication configuration (deploy it again when an environment gets or loses dr.enabled)",
    });
  if (deployment.ci.githubRepository)
    steps.push({ stack: CI_STACK, why: "the pipeline's OIDC provider and roles, with which CI deploys the environments from then on" });
  for (const config of deployment.environments) {
    steps.push({
      stack: config.environment,
      why: config.dr.enabled ? `the environment, with the DR key and the bucket replicas its standby needs` : "the environment",
    });
    if (config.dr.enabled) {
      steps.push({
        stack: drStackName(config.environment),
        why: `${config.environment}'s standby in ${config.stateRegion}: its database replica and task read what ${config.environment} created; then set dr.failoverOrigin from its outputs and deploy ${config.environment} again`,
      });
    }
  }
  return steps;
}
