import { accountStackName, BASELINE_STACK, CI_STACK } from "./naming";
import type { EnvironmentConfig } from "./schema";

/** An AWS account Terraform deploys into, and how it is reached. */
export interface AccountTarget {
  /** The 12-digit account id: the providers' only allowed account. */
  readonly accountId: string;
  /** The role Terraform assumes in it (provider and state backend). @default the deploying identity's own credentials */
  readonly deployRoleArn?: string;
}

/**
 * An account the deployment deploys into: each environment's, and the default one, which holds the
 * Terraform state. Each gets a baseline stack (its guardrails), and a CI stack when environments
 * deploy into it.
 */
export interface DeploymentAccount extends AccountTarget {
  /** The top-level accountId, the state's account: its stacks keep the names `baseline` and `ci`. */
  readonly isDefault: boolean;
  /** The environments deployed into it, in the settings' order; none in a default account that holds the state only. */
  readonly environments: readonly EnvironmentConfig[];
  /** Its guardrails' stack: `baseline`, or `baseline-<account id>`. */
  readonly baselineStack: string;
  /**
   * Its pipeline identities' stack: `ci`, or `ci-<account id>`; none where no environment deploys
   * (the pipeline deploys environments only, and the state stack is deployed by hand).
   */
  readonly ciStack?: string;
}

/**
 * The accounts of a deployment: the default one (the top-level accountId, where the state is)
 * first, even when no environment deploys into it, because the state and the audit trails kept
 * there need its guardrails as much as any workload; then the others in the order their first
 * environment is named. Each account's deploy role is its environments' (the settings validation
 * holds them to one per account), the default account's the top-level one.
 */
export function deploymentAccounts(environments: readonly EnvironmentConfig[], defaultAccount: AccountTarget): DeploymentAccount[] {
  const ids = [...new Set([defaultAccount.accountId, ...environments.map((c) => c.accountId)])];
  return ids.map((accountId) => {
    const members = environments.filter((c) => c.accountId === accountId);
    const isDefault = accountId === defaultAccount.accountId;
    const deployRoleArn = isDefault ? defaultAccount.deployRoleArn : members.find((c) => c.deployRoleArn !== undefined)?.deployRoleArn;
    return {
      accountId,
      ...(deployRoleArn ? { deployRoleArn } : {}),
      isDefault,
      environments: members,
      baselineStack: accountStackName(BASELINE_STACK, { accountId, isDefault }),
      ...(members.length > 0 ? { ciStack: accountStackName(CI_STACK, { accountId, isDefault }) } : {}),
    };
  });
}

/** What an account holds, as the deploy order and the cost report name it: its environments, or the Terraform state. */
export function accountContents(account: DeploymentAccount): string {
  return account.environments.length > 0 ? account.environments.map((c) => c.environment).join(", ") : "the Terraform state";
}

/** The account an environment deploys into, among the deployment's. */
export function accountOf(accounts: readonly DeploymentAccount[], environment: EnvironmentConfig): DeploymentAccount {
  const found = accounts.find((a) => a.accountId === environment.accountId);
  if (!found)
    throw new Error(`environment "${environment.environment}" deploys into account ${environment.accountId}, which the deployment's accounts do not list`);
  return found;
}
