/**
 * The state stack's shared buckets keep policies S3 accepts (20,480 bytes, src/aws/policy-size.ts):
 * the settings validation measures the state bucket's policy, which grows with each account and
 * environment, and the audit bucket's, which grows with each account, and refuses a layout that
 * S3 would refuse at the state stack's deploy. What it measures is the synthesized policy (here,
 * statement by statement; environments.spec renders it with the provider and compares the size).
 */
import { BUCKET_POLICY_QUOTA } from "../src/aws/policy-size";
import type { DeploymentSettings } from "../src/validation";
import { resolveDeployment } from "../src/validation/deployment";
import { sharedBucketPolicies } from "../src/validation/rules/bucket-policies";
import { appStacks, COMMITTED, MULTI_ACCOUNT, policyDocument } from "./helpers";

const [DEV, PROD, STATE] = ["111111111111", "222222222222", "333333333333"];
const role = (account: string) => `arn:aws:iam::${account}:role/terraform-deploy`;

/** The multi-account example with `names` as more environments, alternately in dev's and prod's accounts. */
function withEnvironments(names: readonly string[]): DeploymentSettings {
  const environments = Object.fromEntries(
    names.map((name, i) => {
      const account = i % 2 === 0 ? DEV : PROD;
      return [name, { preset: "dev", accountId: account, deployRoleArn: role(account) }];
    }),
  );
  return { ...MULTI_ACCOUNT, environments: { ...MULTI_ACCOUNT.environments, ...environments } };
}

/** The state bucket's policy size, or the problems that refuse the layout. */
function measured(settings: DeploymentSettings): { size: number } | { problems: readonly string[] } {
  try {
    return { size: sharedBucketPolicies(resolveDeployment([COMMITTED, settings])).state.size };
  } catch (error) {
    return { problems: (error as { problems?: readonly string[] }).problems ?? [String(error)] };
  }
}

/**
 * The layouts on either side of the quota: four more environments, their names lengthened one
 * character at a time (each character lengthens the policy by the dozen places it is named) until
 * the policy no longer fits.
 */
function layoutsAroundTheQuota(): { under: DeploymentSettings; underSize: number; over: DeploymentSettings } {
  let previous: { settings: DeploymentSettings; size: number } | undefined;
  for (let extra = 0; extra < 36; extra += 1) {
    // Names of 2 to 10 characters (the schema's limit), `extra` characters in all beyond 2 each.
    const names = ["qa", "ua", "sa", "ta"].map((base, i) => base + "x".repeat(Math.floor(extra / 4) + (i < extra % 4 ? 1 : 0)));
    const settings = withEnvironments(names);
    const result = measured(settings);
    if (!("size" in result)) {
      if (!previous) throw new Error(`the shortest layout is refused already: ${result.problems.join("\n")}`);
      return { under: previous.settings, underSize: previous.size, over: settings };
    }
    previous = { settings, size: result.size };
  }
  throw new Error(`no layout of four more environments reaches ${BUCKET_POLICY_QUOTA} bytes; the largest measured ${previous?.size}`);
}

describe("GIVEN the multi-account example with four more environments in dev's and prod's accounts", () => {
  const { under, underSize, over } = layoutsAroundTheQuota();

  test("WHEN the state bucket's policy just fits (within 20 bytes of 20,480) THEN the layout is accepted", () => {
    expect(underSize).toBeLessThanOrEqual(BUCKET_POLICY_QUOTA);
    expect(underSize).toBeGreaterThan(BUCKET_POLICY_QUOTA - 20);
    expect(() => resolveDeployment([COMMITTED, under])).not.toThrow();
  });

  test("WHEN one more character of a name makes it too large THEN the layout is refused, with the size, the accounts and environments that grow it, and the fix", () => {
    const { state } = sharedBucketPolicies(resolveDeployment([COMMITTED, under]));
    const problems = (measured(over) as { problems: readonly string[] }).problems;
    expect(problems).toHaveLength(1);
    const [size] = /of ([\d,]+) bytes/.exec(problems[0])!.slice(1);
    expect(Number(size.replace(/,/g, ""))).toBeGreaterThan(BUCKET_POLICY_QUOTA);
    expect(problems[0]).toBe(
      `the state stack's bucket ${state.bucket} would get a policy of ${size} bytes (its JSON without white space, as rendered), over the 20,480 that S3 accepts for a bucket policy; the deploy of the state stack would fail. It grants 2 accounts other than the state account ${STATE} their own stacks' state keys, three statements for each account (its deploy role, or the account itself without one), and each of their 6 environments' pipeline deployer and plan reader, three each. Fix: keep fewer accounts and environments per state bucket: split them over several deployments, each with a state bucket of its own (another top-level accountId or another project, which name the bucket).`,
    );
  });
});

describe("GIVEN the trails of many accounts delivered to the state account's audit bucket", () => {
  /** The example with `count` more accounts of one environment each, without CI (fewer grants in the state bucket's policy). */
  function withAccounts(count: number): DeploymentSettings {
    const environments = Object.fromEntries(
      Array.from({ length: count }, (_, i) => {
        const account = String(400000000000 + i);
        return [`acct${i}`, { preset: "dev", accountId: account, deployRoleArn: role(account) }];
      }),
    );
    return { ...MULTI_ACCOUNT, ci: { githubRepository: undefined }, environments: { ...MULTI_ACCOUNT.environments, ...environments } };
  }
  const auditProblem = (settings: DeploymentSettings) => {
    const result = measured(settings);
    return "problems" in result ? result.problems.find((p) => p.includes("smh-dashboard-cloudtrail-us-west-2-333333333333")) : undefined;
  };

  test("WHEN one account more makes the audit bucket's policy too large THEN it is refused too, with the number of accounts and the fix", () => {
    // Each account adds three statements to the state bucket's policy and one to the audit bucket's: the state bucket's is refused long before.
    let count = 36;
    while (count < 60 && auditProblem(withAccounts(count)) === undefined) count += 1;
    expect(auditProblem(withAccounts(count - 1))).toBeUndefined();
    const problem = auditProblem(withAccounts(count))!;
    const [size] = /of ([\d,]+) bytes/.exec(problem)!.slice(1);
    expect(Number(size.replace(/,/g, ""))).toBeGreaterThan(BUCKET_POLICY_QUOTA);
    expect(problem).toBe(
      `the state stack's bucket smh-dashboard-cloudtrail-us-west-2-${STATE} would get a policy of ${size} bytes (its JSON without white space, as rendered), over the 20,480 that S3 accepts for a bucket policy; the deploy of the state stack would fail. It lets the trails of ${count + 3} accounts deliver, one statement each (baseline.cloudTrailToStateAccount). Fix: split the accounts over several deployments, each with a state account of its own; or keep each account's trail in its own account (baseline.cloudTrailToStateAccount false), or collect them with an organization trail in a log-archive account instead (baseline.cloudTrail false).`,
    );
  });
});

describe("GIVEN the multi-account example (dev, prod and the state in three accounts)", () => {
  const state = appStacks(MULTI_ACCOUNT).get("state")!;
  const policies = sharedBucketPolicies(resolveDeployment([COMMITTED, MULTI_ACCOUNT]));
  /** A synthesized document's statements with the values Terraform fills in: the partition of us-west-2, the bucket's ARN. */
  const filledIn = (document: string, bucketAddress: string, bucket: string) =>
    JSON.parse(
      JSON.stringify(policyDocument(state, document).statement)
        .replaceAll("${data.aws_partition.partition.partition}", "aws")
        .replaceAll(`\${${bucketAddress}.arn}`, `arn:aws:s3:::${bucket}`),
    );

  test("WHEN the state bucket's policy is measured THEN it is the synthesized policy's statements, with the partition and the bucket's ARN filled in", () => {
    expect(JSON.parse(JSON.stringify(policies.state.statements))).toEqual(filledIn("state_policy_document", "aws_s3_bucket.state", policies.state.bucket));
  });

  test("WHEN the audit bucket's policy is measured THEN it is the synthesized policy's statements, with the partition and the bucket's ARN filled in", () => {
    expect(JSON.parse(JSON.stringify(policies.audit!.statements))).toEqual(
      filledIn("audit_logs_policy_document", "aws_s3_bucket.audit_logs", policies.audit!.bucket),
    );
  });

  test("WHEN measured THEN both fit, the state bucket's policy with room for two more accounts of an environment each, not three (docs/operations.md says so)", () => {
    expect([policies.state.size, policies.audit!.size].every((size) => size <= BUCKET_POLICY_QUOTA)).toBe(true);
    const more = (names: readonly string[]) =>
      measured({
        ...MULTI_ACCOUNT,
        environments: {
          ...MULTI_ACCOUNT.environments,
          ...Object.fromEntries(
            names.map((name, i) => [name, { preset: "dev", accountId: `${4 + i}`.repeat(12), deployRoleArn: role(`${4 + i}`.repeat(12)) }]),
          ),
        },
      });
    expect(["size" in more(["qa", "uat"]), "size" in more(["qa", "uat", "demo"])]).toEqual([true, false]);
  });
});

describe("GIVEN the committed single-account settings", () => {
  test("WHEN the shared buckets' policies are measured THEN the state bucket's holds the TLS-only denial alone, and there is no audit bucket", () => {
    const policies = sharedBucketPolicies(resolveDeployment([COMMITTED]));
    expect(policies.state.statements.map((s) => s.sid)).toEqual(["DenyInsecureTransport"]);
    expect(policies.audit).toBeUndefined();
  });
});
