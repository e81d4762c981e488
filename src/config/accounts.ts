import { accountStackName, BASELINE_STACK, CI_STACK } from "./naming";
import type { EnvironmentConfig } from "./schema";

/** An AWS account Terraform deploys into, and how it is reached. */
export interface AccountTarget {
  /** The 12-digit account id: the providers' only allowed account. */
  readonly accountId: string;
  /** The role Terraform assumes in it (provider and state backend). @default the deploying identity's own credentials */
  readonly deployRoleArn?: string;
}

/** An account that environments deploy into: it gets a baseline stack and a CI stack of its own. */
export interface DeploymentAccount extends AccountTarget {
  /** The top-level accountId: its stacks keep the names `baseline` and `ci`. */
  readonly isDefault: boolean;
  /** The environments deployed into it, in the settings' order. */
  readonly environments: readonly EnvironmentConfig[];
  /** Its guardrails' stack: `baseline`, or `baseline-<account id>`. */
  readonly baselineStack: string;
  /** Its pipeline identities' stack: `ci`, or `ci-<account id>`. */
  readonly ciStack: string;
}

/**
 * The accounts the environments deploy into, the default one (the top-level accountId) first,
 * then the others in the order their first environment is named. Each account's deploy role is
 * its environments' (the settings validation holds them to one per account).
 */
export function deploymentAccounts(environments: readonly EnvironmentConfig[], defaultAccountId: string): DeploymentAccount[] {
  const ids = [...new Set(environments.map((c) => c.accountId))].sort((a, b) => Number(b === defaultAccountId) - Number(a === defaultAccountId));
  return ids.map((accountId) => {
    const members = environments.filter((c) => c.accountId === accountId);
    const isDefault = accountId === defaultAccountId;
    const deployRoleArn = members.find((c) => c.deployRoleArn !== undefined)?.deployRoleArn;
    return {
      accountId,
      ...(deployRoleArn ? { deployRoleArn } : {}),
      isDefault,
      environments: members,
      baselineStack: accountStackName(BASELINE_STACK, { accountId, isDefault }),
      ciStack: accountStackName(CI_STACK, { accountId, isDefault }),
    };
  });
}

/** The account an environment deploys into, among the deployment's. */
export function accountOf(accounts: readonly DeploymentAccount[], environment: EnvironmentConfig): DeploymentAccount {
  const found = accounts.find((a) => a.accountId === environment.accountId);
  if (!found)
    throw new Error(`environment "${environment.environment}" deploys into account ${environment.accountId}, which the deployment's accounts do not list`);
  return found;
}
