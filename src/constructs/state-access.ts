import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import type { AccountTarget, DeploymentAccount } from "../config/accounts";
import type { BaselineConfig } from "../config/baseline";
import type { CiConfig } from "../config/ci";
import { drStackName, pipelineRoleName, stateKey } from "../config/naming";
import type { EnvironmentConfig } from "../config/schema";
import { arn, type DeploymentContext, s3Arn } from "./context";

/**
 * What of a validated deployment decides who reaches the state (src/validation/deployment.ts's
 * Deployment is one): its accounts, which of their stacks exist, and the project.
 */
export interface StateReachLayout {
  readonly environments: readonly Pick<EnvironmentConfig, "project">[];
  readonly accounts: readonly DeploymentAccount[];
  readonly stateAccount: AccountTarget;
  readonly baseline: Pick<BaselineConfig, "enabled">;
  readonly ci: Pick<CiConfig, "githubRepository">;
}

/** Deployers of another account than the state bucket's, and the state keys they may use. */
export interface StateReach {
  /** The account they are in: the bucket policy's principal is its root, narrowed by aws:PrincipalArn. */
  readonly accountId: string;
  /** The roles (ARNs, or `role/<name>` to be completed in the account) that may use the keys; none: any identity the account allows. */
  readonly roles: readonly string[];
  /** State object keys (backend.ts `key`s) they use; their lock files go with them. */
  readonly keys: readonly string[];
  /** `read`: a plan; `write`: a deploy. */
  readonly mode: "read" | "write";
  /** What the grant is for, as the statement id says it (letters and digits). */
  readonly sid: string;
}

/** Letters and digits of a name, first letters capitalized: a statement id part (`prod-dr` -> `ProdDr`). */
const sidPart = (name: string) => name.replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_m, _sep, c: string) => c.toUpperCase());

/**
 * Who of every account but the state account reaches which state keys: the account's deploy role
 * (or, without one, the account itself) its stacks' keys (baseline, ci, each environment and
 * standby), and each environment's pipeline deployer and plan reader that environment's keys.
 * Nobody of one account reaches a key of another account's stack.
 */
export function stateReach(deployment: StateReachLayout): StateReach[] {
  const project = deployment.environments[0].project;
  const key = (stack: string) => stateKey(project, stack);
  const envKeys = (c: DeploymentAccount["environments"][number]) => [key(c.environment), ...(c.dr.enabled ? [key(drStackName(c.environment))] : [])];
  return deployment.accounts
    .filter((account) => account.accountId !== deployment.stateAccount.accountId)
    .flatMap((account) => {
      const stacks = [
        ...(deployment.baseline.enabled ? [account.baselineStack] : []),
        ...(deployment.ci.githubRepository && account.ciStack ? [account.ciStack] : []),
      ];
      const reach: StateReach[] = [
        {
          accountId: account.accountId,
          roles: account.deployRoleArn ? [account.deployRoleArn] : [],
          keys: [...stacks.map(key), ...account.environments.flatMap(envKeys)],
          mode: "write",
          sid: `Account${account.accountId}`,
        },
      ];
      if (!deployment.ci.githubRepository) return reach;
      for (const c of account.environments) {
        const pipelineRole = (job: string) => `role/${pipelineRoleName(project, c.environment, job)}`;
        reach.push(
          { accountId: account.accountId, roles: [pipelineRole("deployer")], keys: envKeys(c), mode: "write", sid: `${sidPart(c.environment)}Deployer` },
          { accountId: account.accountId, roles: [pipelineRole("plan-reader")], keys: envKeys(c), mode: "read", sid: `${sidPart(c.environment)}PlanReader` },
        );
      }
      return reach;
    });
}

/**
 * The state bucket's statements for deployers of other accounts: list their keys, read (and for
 * a deploy, write) them, and hold their lock files (a plan takes the lock too). The principal is
 * the account's root narrowed by aws:PrincipalArn, because a bucket policy that names a role
 * which does not exist yet (the pipeline's, created after the state stack) is refused by S3.
 */
export function stateReachStatements(context: DeploymentContext, bucketName: string, reach: readonly StateReach[]): DataAwsIamPolicyDocumentStatement[] {
  return reach.flatMap((r) => {
    const principals = [{ type: "AWS", identifiers: [arn(context, { service: "iam", region: "", account: r.accountId, resource: "root" })] }];
    const roleArns = r.roles.map((role) =>
      role.startsWith("arn:") ? role : arn(context, { service: "iam", region: "", account: r.accountId, resource: role }),
    );
    const who = roleArns.length > 0 ? [{ test: "ArnEquals", variable: "aws:PrincipalArn", values: roleArns }] : [];
    const objects = r.keys.map((k) => s3Arn(context, `${bucketName}/${k}`));
    return [
      {
        sid: `${r.sid}ListsOwnState`,
        effect: "Allow",
        principals,
        actions: ["s3:ListBucket"],
        resources: [s3Arn(context, bucketName)],
        condition: [...who, { test: "StringEquals", variable: "s3:prefix", values: r.keys.flatMap((k) => [k, `${k}.tflock`]) }],
      },
      {
        sid: r.mode === "read" ? `${r.sid}ReadsOwnState` : `${r.sid}WritesOwnState`,
        effect: "Allow",
        principals,
        actions: r.mode === "read" ? ["s3:GetObject"] : ["s3:GetObject", "s3:PutObject"],
        resources: objects,
        condition: who.length > 0 ? who : undefined,
      },
      {
        sid: `${r.sid}HoldsOwnStateLock`,
        effect: "Allow",
        principals,
        actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        resources: objects.map((o) => `${o}.tflock`),
        condition: who.length > 0 ? who : undefined,
      },
    ];
  });
}
