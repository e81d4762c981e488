/**
 * An account per environment: each stack's providers allow only the account it deploys into and
 * reach it through that account's deploy role; the state backend names the state account's
 * bucket; settings that would point a stack at another account are refused at synthesis.
 */
import { ConfigurationError, type DeploymentSettings } from "../src/validation";
import { resolveDeployment } from "../src/validation/deployment";
import { appStacks, COMMITTED, MULTI_ACCOUNT } from "./helpers";

const [DEV, PROD, STATE] = ["111111111111", "222222222222", "333333333333"];
const role = (account: string) => `arn:aws:iam::${account}:role/terraform-deploy`;

function problemsOf(settings: DeploymentSettings): string[] {
  try {
    resolveDeployment([COMMITTED, settings]);
    return [];
  } catch (error) {
    if (error instanceof ConfigurationError) return [...error.problems];
    throw error;
  }
}

describe("GIVEN dev, prod and the state in three accounts", () => {
  const stacks = appStacks(MULTI_ACCOUNT);

  test("WHEN synthesized THEN each account that an environment uses gets its baseline and CI stacks, and the state stack stays one", () => {
    expect([...stacks.keys()].sort()).toEqual([`baseline-${DEV}`, `baseline-${PROD}`, `ci-${DEV}`, `ci-${PROD}`, "dev", "prod", "prod-dr", "state"]);
  });

  test.each([
    ["state", STATE],
    [`baseline-${DEV}`, DEV],
    [`ci-${DEV}`, DEV],
    ["dev", DEV],
    [`baseline-${PROD}`, PROD],
    [`ci-${PROD}`, PROD],
    ["prod", PROD],
    ["prod-dr", PROD],
  ])("WHEN %s is synthesized THEN every provider allows only account %s and assumes that account's deploy role", (stack, account) => {
    const providers = stacks.get(stack)!.provider.aws;
    expect(providers.length).toBeGreaterThan(0);
    for (const provider of providers) {
      expect({ allowed: provider.allowed_account_ids, assume: provider.assume_role }).toEqual({ allowed: [account], assume: [{ role_arn: role(account) }] });
    }
  });

  test.each([`baseline-${DEV}`, `ci-${DEV}`, "dev", `baseline-${PROD}`, `ci-${PROD}`, "prod", "prod-dr"])(
    "WHEN %s is synthesized THEN its state is its own key in the state account's bucket, reached with its account's deploy role",
    (stack) => {
      const account = stack === "dev" || stack.endsWith(DEV) ? DEV : PROD;
      expect(stacks.get(stack)!.terraform.backend.s3).toEqual({
        bucket: `smh-dashboard-tfstate-us-west-2-${STATE}`,
        key: `smh-dashboard/${stack}/terraform.tfstate`,
        region: "us-west-2",
        encrypt: true,
        use_lockfile: true,
        assume_role: { role_arn: role(account) },
      });
    },
  );
});

describe("GIVEN the committed single-account settings", () => {
  test("WHEN synthesized THEN no provider and no backend assumes a role: the deploying identity's credentials reach the one account", () => {
    for (const [name, json] of appStacks()) {
      for (const provider of json.provider.aws) expect({ name, assume: provider.assume_role }).toEqual({ name, assume: undefined });
      expect({ name, assume: json.terraform.backend.s3?.assume_role }).toEqual({ name, assume: undefined });
    }
  });
});

describe("deploy roles and accounts are checked at synthesis", () => {
  test("GIVEN an environment's deployRoleArn of another account WHEN resolved THEN it is refused with the account and the fix", () => {
    expect(problemsOf({ environments: { dev: { accountId: DEV, deployRoleArn: role(PROD) } } })).toContain(
      `environment "dev": deployRoleArn "${role(PROD)}" is a role of account ${PROD}, not of the environment's accountId ${DEV}; Terraform would act in account ${PROD}, which the provider's allowed_account_ids refuses. Fix: name the deploy role in account ${DEV} ("arn:aws:iam::${DEV}:role/<name>"), or set accountId to ${PROD} if that is the account meant.`,
    );
  });

  test("GIVEN a deployRoleArn that is not a role ARN WHEN resolved THEN it is refused with an example", () => {
    expect(problemsOf({ deployRoleArn: "arn:aws:iam::123456789012:user/deployer" })).toContain(
      `deployRoleArn is "arn:aws:iam::123456789012:user/deplo...; it must be an IAM role ARN (arn:aws:iam::<account id>:role/<name>). Fix: copy the role's ARN from IAM, e.g. "arn:aws:iam::123456789012:role/terraform-deploy".`,
    );
  });

  test("GIVEN a deployRoleArn of another partition WHEN resolved THEN it is refused with the ARN's beginning", () => {
    expect(problemsOf({ deployRoleArn: "arn:aws-cn:iam::123456789012:role/deploy" }).join("\n")).toContain(
      `deployRoleArn "arn:aws-cn:iam::123456789012:role/deploy" is an ARN of partition aws-cn, but us-east-1 is in partition aws; a role acts in its own partition only. Fix: use the ARN of a role in account 123456789012, which begins "arn:aws:iam::123456789012:role/".`,
    );
  });

  test("GIVEN two environments of one account with different deploy roles WHEN resolved THEN it is refused: the account's shared stacks have one role", () => {
    const other = "arn:aws:iam::123456789012:role/other";
    expect(problemsOf({ deployRoleArn: role("123456789012"), environments: { prod: { deployRoleArn: other } } })).toContain(
      `environment "prod": deployRoleArn "${other}" differs from environment "dev" ("${role("123456789012")}"), which deploys into the same account 123456789012; the account's baseline and ci stacks are deployed with one role. Fix: give both environments the same deployRoleArn, or none.`,
    );
  });

  test("GIVEN a top-level deployRoleArn of another account than the top-level accountId, which no environment uses WHEN resolved THEN it is refused", () => {
    const settings: DeploymentSettings = { ...MULTI_ACCOUNT, deployRoleArn: role(DEV) };
    expect(problemsOf(settings)).toContain(
      `deployRoleArn "${role(DEV)}" is a role of account ${DEV}, not of the top-level accountId ${STATE}; Terraform would act in account ${DEV}, which the provider's allowed_account_ids refuses. Fix: name the deploy role in account ${STATE} ("arn:aws:iam::${STATE}:role/<name>"), or set accountId to ${DEV} if that is the account meant.`,
    );
  });

  test("GIVEN the example WHEN resolved THEN the accounts are listed with their environments, the state account apart", () => {
    const deployment = resolveDeployment([COMMITTED, MULTI_ACCOUNT]);
    expect(deployment.accounts.map((a) => [a.accountId, a.environments.map((c) => c.environment), a.baselineStack, a.ciStack])).toEqual([
      [DEV, ["dev"], `baseline-${DEV}`, `ci-${DEV}`],
      [PROD, ["prod"], `baseline-${PROD}`, `ci-${PROD}`],
    ]);
    expect(deployment.stateAccount).toEqual({ accountId: STATE, deployRoleArn: role(STATE) });
  });
});
