import type { App } from "cdktf";
import { guardDutyManagesFargateAgent } from "../config/baseline";
import { accountContents, type DeploymentAccount } from "../config/accounts";
import { type Deployment, teamEnvironments } from "../validation/deployment";
import { standardTags } from "../constructs/providers";
import { BaselineStack } from "./baseline-stack";
import { CiStack } from "./ci-stack";
import { DisasterRecoveryStack } from "./dr-stack";
import { EnvironmentStack } from "./environment-stack";
import { StateBootstrapStack } from "./state-bootstrap-stack";
import { auditTrailsOf } from "../constructs/audit-trail";
import { stateReach } from "../constructs/state-access";
import { drStackName, repositoryName, STATE_STACK } from "../config/naming";

export { BASELINE_STACK, CI_STACK, STATE_STACK } from "../config/naming";

/**
 * Adds every stack to the app: the state bootstrap stack, each account's baseline (unless
 * switched off; the state's account has one even when no environment deploys there), one stack
 * per environment, and each environment account's CI identities (when a repository is set).
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
  const { stateAccount } = deployment;
  const wanted = (name: string) => !only || only.includes(name);
  // Every account's trail delivers to the state account's audit bucket, with baseline.cloudTrailToStateAccount.
  const auditTrails = auditTrailsOf(deployment);
  if (wanted(STATE_STACK))
    new StateBootstrapStack(app, STATE_STACK, {
      project: shared.project,
      accountId: stateAccount.accountId,
      deployRoleArn: stateAccount.deployRoleArn,
      stateRegion: shared.stateRegion,
      crossAccountReach: stateReach(deployment),
      auditTrails,
      tags: standardTags({
        project: shared.project,
        environment: "shared",
        dataClassification: "internal",
        extra: shared.tags,
      }),
    });
  for (const account of deployment.accounts) {
    if (!deployment.baseline.enabled || !wanted(account.baselineStack)) continue;
    new BaselineStack(app, account.baselineStack, {
      config: deployment.baseline,
      project: shared.project,
      accountId: account.accountId,
      deployRoleArn: account.deployRoleArn,
      stateAccountId: stateAccount.accountId,
      auditAccountId: auditTrails ? stateAccount.accountId : undefined,
      region: shared.region,
      stateRegion: shared.stateRegion,
      // ECR keeps one replication configuration per registry: the account baseline's, for every standby in the account.
      imageReplicas: account.environments
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
    const stateAccountId = stateAccount.accountId;
    if (wanted(config.environment)) new EnvironmentStack(app, config.environment, { config, guardDutyAgent, stateAccountId });
    if (config.dr.enabled && wanted(drStackName(config.environment)))
      new DisasterRecoveryStack(app, drStackName(config.environment), { config, guardDutyAgent, stateAccountId });
  }
  const repository = deployment.ci.githubRepository;
  for (const account of deployment.accounts) {
    if (!repository || !account.ciStack || !wanted(account.ciStack)) continue;
    new CiStack(app, account.ciStack, {
      ci: { ...deployment.ci, githubRepository: repository },
      environments: account.environments,
      deployRoleArn: account.deployRoleArn,
      stateAccountId: stateAccount.accountId,
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
 * every other stack's backend names (and, with baseline.cloudTrailToStateAccount, every trail's
 * audit bucket), each account's baseline, the pipeline's roles, then each environment followed by
 * its standby, which reads the environment's DR key, bucket replicas, database and replicated
 * images by name.
 */
export function deployOrder(deployment: Deployment): DeployStep[] {
  const { stateAccount } = deployment;
  const shared = deployment.accounts.some((account) => account.accountId !== stateAccount.accountId)
    ? `; in account ${stateAccount.accountId}, whose bucket policy lets every other account's deployers use their own stacks' keys only`
    : "";
  const steps: DeployStep[] = [{ stack: STATE_STACK, why: `the S3 bucket that holds every other stack's state; its own state stays in a local file${shared}` }];
  const several = deployment.accounts.length > 1;
  const inAccount = (account: DeploymentAccount) => (several ? ` in account ${account.accountId} (${accountContents(account)})` : "");
  // The registry's replication is the baseline's only where environments push images.
  const registry = (account: DeploymentAccount) =>
    account.environments.length > 0
      ? "; it also holds the registry's one ECR replication configuration (deploy it again when an environment gets or loses dr.enabled)"
      : "";
  if (deployment.baseline.enabled)
    for (const account of deployment.accounts)
      steps.push({
        stack: account.baselineStack,
        why: `once per account${several ? `, here${inAccount(account)}` : ""}: the audit trail, AWS Config, GuardDuty and Security Hub record everything deployed after it${registry(account)}`,
      });
  if (deployment.ci.githubRepository)
    for (const account of deployment.accounts)
      if (account.ciStack)
        steps.push({
          stack: account.ciStack,
          why: `the pipeline's OIDC provider and roles${inAccount(account)}, with which CI deploys the environments from then on`,
        });
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
