/**
 * An account per environment: each stack's providers allow only the account it deploys into and
 * reach it through that account's deploy role; the state backend names the state account's
 * bucket; settings that would point a stack at another account are refused at synthesis.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { deployOrder } from "../src/stacks/app";
import { ConfigurationError, type DeploymentSettings } from "../src/validation";
import { committedSettings, PROJECT_ROOT, readCdktfJson, resolveDeployment } from "../src/validation/deployment";
import { ARN, appStacks, COMMITTED, MULTI_ACCOUNT, policyDocument, resource, type TerraformJson } from "./helpers";
import { stackIdentity } from "../src/validation/exceptions";
import { DEPLOY_ROLE_VARIABLE } from "../src/config/naming";

const [DEV, PROD, STATE] = ["111111111111", "222222222222", "333333333333"];
const role = (account: string) => `arn:aws:iam::${account}:role/terraform-deploy`;

/** A provider's assume_role of the deploy role, left out when the variable is "" (the pipeline). */
const ASSUMES_DEPLOY_ROLE = {
  assume_role: {
    for_each: `\${var.${DEPLOY_ROLE_VARIABLE} == "" ? [] : [var.${DEPLOY_ROLE_VARIABLE}]}`,
    content: { role_arn: "${assume_role.value}" },
  },
};

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

  test("WHEN synthesized THEN each account that an environment uses gets its baseline and CI stacks, the state account its baseline, and the state stack stays one", () => {
    expect([...stacks.keys()].sort()).toEqual([
      "baseline",
      `baseline-${DEV}`,
      `baseline-${PROD}`,
      `ci-${DEV}`,
      `ci-${PROD}`,
      "dev",
      "prod",
      "prod-dr",
      "state",
    ]);
  });

  /** Every stack of the example, with the account it deploys into. */
  const inAccounts: [string, string][] = [
    ["state", STATE],
    ["baseline", STATE],
    [`baseline-${DEV}`, DEV],
    [`ci-${DEV}`, DEV],
    ["dev", DEV],
    [`baseline-${PROD}`, PROD],
    [`ci-${PROD}`, PROD],
    ["prod", PROD],
    ["prod-dr", PROD],
  ];

  test.each(inAccounts)(
    'WHEN %s is synthesized THEN every provider allows only account %s and assumes that account\'s deploy role, unless deploy_role_arn is set to ""',
    (stack, account) => {
      const providers = stacks.get(stack)!.provider.aws;
      expect(providers.length).toBeGreaterThan(0);
      for (const provider of providers) {
        expect({ alias: provider.alias, allowed: provider.allowed_account_ids, assume: provider.assume_role, dynamic: provider.dynamic }).toEqual({
          alias: provider.alias,
          allowed: [account],
          assume: undefined,
          dynamic: ASSUMES_DEPLOY_ROLE,
        });
      }
    },
  );

  test.each(inAccounts)(
    'WHEN %s is synthesized THEN it declares deploy_role_arn: a non-null string whose default is account %s\'s deploy role, which the pipeline sets to ""',
    (stack, account) => {
      expect(stacks.get(stack)!.variable).toEqual({
        [DEPLOY_ROLE_VARIABLE]: {
          type: "string",
          nullable: false,
          default: role(account),
          description: expect.stringContaining('The pipeline (docs/ci) sets it to ""'),
        },
      });
    },
  );

  // The state stack keeps its own state in a local file.
  test.each(inAccounts.filter(([stack]) => stack !== "state"))(
    "WHEN %s is synthesized THEN its state is its own key in the state account's bucket, reached with account %s's deploy role",
    (stack, account) => {
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

describe("GIVEN the three accounts' example with eu-west-1 as the primary region", () => {
  const stacks = appStacks({ ...MULTI_ACCOUNT, region: "eu-west-1", availabilityZones: ["eu-west-1a", "eu-west-1b"] });

  test.each(["dev", "prod", `baseline-${DEV}`])(
    "WHEN %s is synthesized THEN its primary, dr and global providers each assume the deploy role through the variable",
    (stack) => {
      const providers = stacks.get(stack)!.provider.aws;
      expect(providers.map((p) => [p.alias ?? "primary", p.region])).toEqual([
        ["primary", "eu-west-1"],
        ["dr", "us-west-2"],
        ["global", "us-east-1"],
      ]);
      for (const provider of providers)
        expect({ alias: provider.alias, dynamic: provider.dynamic }).toEqual({ alias: provider.alias, dynamic: ASSUMES_DEPLOY_ROLE });
    },
  );
});

describe("GIVEN dev, prod and the state in three accounts, the guardrails and the standby", () => {
  const stacks = appStacks(MULTI_ACCOUNT);

  test.each(["baseline", `baseline-${DEV}`, `baseline-${PROD}`])(
    "WHEN %s is synthesized THEN it holds the guardrails of the single-account baseline (trail, GuardDuty, Config, Security Hub, the account's S3 public access block), in its own account",
    (stack) => {
      const guardrails = (json: TerraformJson) => Object.keys(json.resource).filter((type) => type !== "aws_ecr_replication_configuration");
      expect(guardrails(stacks.get(stack)!)).toEqual(guardrails(appStacks().get("baseline")!));
      expect(guardrails(stacks.get(stack)!)).toEqual(
        expect.arrayContaining([
          "aws_cloudtrail",
          "aws_guardduty_detector",
          "aws_config_configuration_recorder",
          "aws_securityhub_account",
          "aws_s3_account_public_access_block",
        ]),
      );
    },
  );

  test("WHEN the baselines are synthesized THEN prod's account replicates prod's image within itself to the DR region, and dev's account and the state account replicate nothing", () => {
    expect(resource(stacks.get(`baseline-${PROD}`)!, "aws_ecr_replication_configuration", "ecr_replication").replication_configuration.rule).toEqual([
      {
        destination: [{ region: "us-west-2", registry_id: PROD }],
        repository_filter: [{ filter: "smh-dashboard-prod-dashboard", filter_type: "PREFIX_MATCH" }],
      },
    ]);
    expect(stacks.get(`baseline-${DEV}`)!.resource.aws_ecr_replication_configuration).toBeUndefined();
    expect(stacks.get("baseline")!.resource.aws_ecr_replication_configuration).toBeUndefined();
  });

  test("WHEN the accounts are resolved THEN the state account, where no environment deploys, is the top-level one: its baseline is `baseline`, deployed with the top-level deploy role, and it has no CI stack", () => {
    const deployment = resolveDeployment([COMMITTED, MULTI_ACCOUNT]);
    expect(deployment.accounts[0]).toEqual({ accountId: STATE, deployRoleArn: role(STATE), isDefault: true, environments: [], baselineStack: "baseline" });
    expect([...stacks.keys()].filter((name) => /^ci\b/.test(name))).toEqual([`ci-${DEV}`, `ci-${PROD}`]);
  });

  test("WHEN an extra account's baseline or ci stack is written THEN the scanner exceptions of its kind apply to it", () => {
    expect([stackIdentity(`baseline-${DEV}`, []), stackIdentity(`ci-${PROD}`, [])]).toEqual([{ kind: "baseline" }, { kind: "ci" }]);
  });
});

describe("GIVEN dev, prod and the state in three accounts, and the trails delivered to the state account", () => {
  const stacks = appStacks(MULTI_ACCOUNT);
  const auditBucket = `smh-dashboard-cloudtrail-us-west-2-${STATE}`;
  const trail = (account: string) => `${ARN}:cloudtrail:us-east-1:${account}:trail/smh-dashboard-audit-trail`;

  test("WHEN the state stack is synthesized THEN its audit bucket lets each account's trail write under its own AWSLogs prefix, and no one else", () => {
    const state = stacks.get("state")!;
    expect(resource(state, "aws_s3_bucket", "audit_logs").bucket).toBe(auditBucket);
    const grants = policyDocument(state, "audit_logs_policy_document")
      .statement.filter((s) => s.effect === "Allow")
      .map((s) => ({ actions: s.actions, resources: s.resources, principals: s.principals, sourceArns: s.condition[0].values }));
    const cloudTrail = [{ type: "Service", identifiers: ["cloudtrail.amazonaws.com"] }];
    expect(grants).toEqual([
      {
        actions: ["s3:GetBucketAcl"],
        resources: ["${aws_s3_bucket.audit_logs.arn}"],
        principals: cloudTrail,
        sourceArns: [trail(STATE), trail(DEV), trail(PROD)],
      },
      { actions: ["s3:PutObject"], resources: [`\${aws_s3_bucket.audit_logs.arn}/AWSLogs/${STATE}/*`], principals: cloudTrail, sourceArns: [trail(STATE)] },
      { actions: ["s3:PutObject"], resources: [`\${aws_s3_bucket.audit_logs.arn}/AWSLogs/${DEV}/*`], principals: cloudTrail, sourceArns: [trail(DEV)] },
      { actions: ["s3:PutObject"], resources: [`\${aws_s3_bucket.audit_logs.arn}/AWSLogs/${PROD}/*`], principals: cloudTrail, sourceArns: [trail(PROD)] },
    ]);
  });

  test.each([
    [`baseline-${DEV}`, DEV],
    [`baseline-${PROD}`, PROD],
    ["baseline", STATE],
  ])(
    "WHEN %s is synthesized THEN account %s's trail delivers to the audit bucket, encrypted with a key of its own in the bucket's region that the state account may decrypt with, and it keeps no trail bucket",
    (stack, account) => {
      const baseline = stacks.get(stack)!;
      expect(resource(baseline, "aws_cloudtrail", "cloudtrail")).toMatchObject({
        s3_bucket_name: auditBucket,
        kms_key_id: "${aws_kms_key.cloudtrail_delivery_key.arn}",
      });
      expect(resource(baseline, "aws_kms_key", "cloudtrail_delivery_key").provider).toBe("aws.dr");
      expect(baseline.provider.aws.find((p) => p.alias === "dr")).toMatchObject({ region: "us-west-2", allowed_account_ids: [account] });
      const decrypt = policyDocument(baseline, "cloudtrail_delivery_key_policy").statement.find((s) => s.sid === "AuditAccountDecrypts");
      expect(decrypt).toMatchObject({ actions: ["kms:Decrypt"], principals: [{ type: "AWS", identifiers: [`${ARN}:iam::${STATE}:root`] }] });
      expect(Object.values(baseline.resource.aws_s3_bucket).map((b) => b.bucket)).toEqual([`smh-dashboard-config-us-east-1-${account}`]);
    },
  );

  test("WHEN the trails are not delivered to the state account THEN the state stack has no audit bucket and each baseline keeps its own, the state account's too", () => {
    const own = appStacks({ ...MULTI_ACCOUNT, baseline: { cloudTrailToStateAccount: false } });
    expect(own.get("state")!.resource.aws_s3_bucket.audit_logs).toBeUndefined();
    expect(resource(own.get(`baseline-${DEV}`)!, "aws_s3_bucket", "cloudtrail_logs").bucket).toBe(`smh-dashboard-cloudtrail-us-east-1-${DEV}`);
    expect(resource(own.get("baseline")!, "aws_s3_bucket", "cloudtrail_logs").bucket).toBe(`smh-dashboard-cloudtrail-us-east-1-${STATE}`);
  });

  test("GIVEN baseline.cloudTrailToStateAccount without a trail WHEN resolved THEN it is refused: it would do nothing", () => {
    expect(problemsOf({ ...MULTI_ACCOUNT, baseline: { cloudTrailToStateAccount: true, cloudTrail: false } })).toContain(
      "baseline.cloudTrailToStateAccount is true while baseline.cloudTrail is false: no trail of this project delivers to the state account. Fix: remove baseline.cloudTrailToStateAccount, or set baseline.cloudTrail to true.",
    );
  });
});

describe("GIVEN the committed single-account settings", () => {
  test("WHEN synthesized THEN no provider and no backend assumes a role, and no stack declares a deploy role variable: the deploying identity's credentials reach the one account", () => {
    for (const [name, json] of appStacks()) {
      for (const provider of json.provider.aws)
        expect({ name, assume: provider.assume_role, dynamic: provider.dynamic }).toEqual({ name, assume: undefined, dynamic: undefined });
      expect({ name, assume: json.terraform.backend.s3?.assume_role }).toEqual({ name, assume: undefined });
      expect({ name, variables: json.variable }).toEqual({ name, variables: undefined });
    }
  });
});

describe("deploy roles and accounts are checked at synthesis", () => {
  test("GIVEN an environment's deployRoleArn of another account WHEN resolved THEN it is refused with the account and the fix", () => {
    expect(problemsOf({ environments: { dev: { accountId: DEV, deployRoleArn: role(PROD) } } })).toContain(
      `environment "dev": deployRoleArn "${role(PROD)}" is a role of account ${PROD}, not of the environment's accountId ${DEV}; Terraform would act in account ${PROD}, which the provider's allowed_account_ids refuses. Fix: name the deploy role in account ${DEV} ("arn:aws:iam::${DEV}:role/<name>"), or set accountId to ${PROD} if that is the account meant.`,
    );
  });

  test("GIVEN prod in an account of its own and a certificate of the top-level account WHEN resolved THEN the certificate is refused with prod's account", () => {
    const certificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/abc";
    expect(problemsOf({ environments: { prod: { accountId: PROD, loadBalancer: { httpsEnabled: true, certificateArn } } } })).toContain(
      `environment "prod": loadBalancer.certificateArn "${certificateArn}" belongs to account 123456789012, not the environment's accountId ${PROD}; ALBs and CloudFront use certificates of their own account only. Fix: request or import the certificate in account ${PROD} and use its ARN.`,
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

  test("GIVEN an environment of the top-level account with another deploy role than the top level's WHEN resolved THEN it is refused: the state stack is deployed with the top level's", () => {
    const other = "arn:aws:iam::123456789012:role/other";
    expect(problemsOf({ environments: { dev: { deployRoleArn: other } } })).toContain(
      `environment "dev": deployRoleArn "${other}" differs from the top-level deployRoleArn (none) of the same account 123456789012, with which the state stack is deployed; the account's stacks are deployed with one role. Fix: set deployRoleArn once, at the top level.`,
    );
  });

  test("GIVEN a personal environment in an account no team environment uses WHEN resolved THEN it is refused: no baseline there, and the state bucket would not let it in", () => {
    const personal: DeploymentSettings = { personal: true, environments: { sbxalice: { preset: "sandbox", accountId: "444444444444" } } };
    expect(problemsOf(personal).join("\n")).toContain(
      'environment "sbxalice": accountId "444444444444" is an account no team environment deploys into; a personal environment changes no shared stack, so that account would have no baseline stack and the state bucket would not let it in. Fix: commit it as environments/sbxalice.json, or deploy it into the state bucket\'s account by naming accountId "123456789012".',
    );
  });

  test("GIVEN the example WHEN a personal sandbox deploys into dev's account THEN it is refused: the state bucket grants that account only its team environments' keys", () => {
    const settings: DeploymentSettings = {
      ...MULTI_ACCOUNT,
      personal: true,
      environments: { ...MULTI_ACCOUNT.environments, sbxalice: { preset: "sandbox", accountId: DEV, deployRoleArn: role(DEV) } },
    };
    expect(problemsOf(settings)).toEqual([
      `environment "sbxalice": accountId "${DEV}" is not the state bucket's account (${STATE}); the bucket's policy, in the shared state stack, lets another account use only its team environments' state keys, and a personal environment changes no shared stack, so Terraform would be refused its state (AccessDenied at init). Fix: commit it as environments/sbxalice.json (a team environment, whose key the state stack grants), or deploy it into the state bucket's account by naming accountId "${STATE}".`,
    ]);
  });

  test("GIVEN the example WHEN a team environment sets no accountId THEN it is refused: it would land in the state account by default; named explicitly, the state account is accepted", () => {
    const qa = (extra: object) => ({ ...MULTI_ACCOUNT, environments: { ...MULTI_ACCOUNT.environments, qa: { preset: "dev", ...extra } } });
    expect(problemsOf(qa({}))).toEqual([
      `environment "qa": accountId is not set for the environment, so it takes the top-level accountId ${STATE}: the account of the Terraform state and the audit trail, where no workload should land by default while environment "dev" deploys into an account of its own (${DEV}). Fix: set the environment's own accountId, there, to the account it deploys into; to deploy it into the state account, name "${STATE}" as its accountId.`,
    ]);
    expect(problemsOf(qa({ accountId: STATE }))).toEqual([]);
    expect(problemsOf(qa({ accountId: DEV, deployRoleArn: role(DEV) }))).toEqual([]);
  });

  test("GIVEN one account for everything (the committed settings) WHEN an environment sets no accountId THEN the top-level one is its account, as before", () => {
    expect(problemsOf({ environments: { qa: { preset: "dev" } } })).toEqual([]);
  });

  test("GIVEN a top-level deployRoleArn of another account than the top-level accountId, which no environment uses WHEN resolved THEN it is refused", () => {
    const settings: DeploymentSettings = { ...MULTI_ACCOUNT, deployRoleArn: role(DEV) };
    expect(problemsOf(settings)).toContain(
      `deployRoleArn "${role(DEV)}" is a role of account ${DEV}, not of the top-level accountId ${STATE}; Terraform would act in account ${DEV}, which the provider's allowed_account_ids refuses. Fix: name the deploy role in account ${STATE} ("arn:aws:iam::${STATE}:role/<name>"), or set accountId to ${DEV} if that is the account meant.`,
    );
  });

  test("GIVEN the example WHEN resolved THEN the accounts are listed with their environments, the state account first, without environments or CI stack", () => {
    const deployment = resolveDeployment([COMMITTED, MULTI_ACCOUNT]);
    expect(deployment.accounts.map((a) => [a.accountId, a.environments.map((c) => c.environment), a.baselineStack, a.ciStack])).toEqual([
      [STATE, [], "baseline", undefined],
      [DEV, ["dev"], `baseline-${DEV}`, `ci-${DEV}`],
      [PROD, ["prod"], `baseline-${PROD}`, `ci-${PROD}`],
    ]);
    expect(deployment.stateAccount).toEqual({ accountId: STATE, deployRoleArn: role(STATE) });
  });
});

describe("GIVEN dev, prod and the state in three accounts, each deployer's reach", () => {
  const stacks = appStacks(MULTI_ACCOUNT);
  const bucket = `smh-dashboard-tfstate-us-west-2-${STATE}`;
  const key = (stack: string) => `smh-dashboard/${stack}/terraform.tfstate`;

  /** The state bucket policy's grants to other accounts, by the principal ARN they are narrowed to: the object keys each may read or write. */
  function stateGrants(): Map<string, { account: string; objects: Set<string>; writes: boolean }> {
    const grants = new Map<string, { account: string; objects: Set<string>; writes: boolean }>();
    const statements: any[] = policyDocument(stacks.get("state")!, "state_policy_document").statement;
    for (const statement of statements.filter((s) => s.principals?.[0]?.type === "AWS")) {
      const who: string = statement.condition.find((c: any) => c.variable === "aws:PrincipalArn").values.join();
      const account = statement.principals[0].identifiers[0].split(":")[4];
      const grant = grants.get(who) ?? { account, objects: new Set<string>(), writes: false };
      for (const resource of statement.resources as string[]) if (resource.includes("/")) grant.objects.add(resource.split(`:::${bucket}/`)[1]);
      grant.writes ||= statement.actions.includes("s3:PutObject") && !statement.resources.every((r: string) => r.endsWith(".tflock"));
      grants.set(who, grant);
    }
    return grants;
  }

  const withLocks = (...stackNames: string[]) => stackNames.flatMap((s) => [key(s), `${key(s)}.tflock`]).sort();
  const ARN_ROLE = (account: string, name: string) => `${ARN}:iam::${account}:role/${name}`;

  test.each([
    [role(DEV), DEV, withLocks(`baseline-${DEV}`, `ci-${DEV}`, "dev"), true],
    [role(PROD), PROD, withLocks(`baseline-${PROD}`, `ci-${PROD}`, "prod", "prod-dr"), true],
    [ARN_ROLE(DEV, "smh-dashboard-ci-dev-deployer"), DEV, withLocks("dev"), true],
    [ARN_ROLE(DEV, "smh-dashboard-ci-dev-plan-reader"), DEV, withLocks("dev"), false],
    [ARN_ROLE(PROD, "smh-dashboard-ci-prod-deployer"), PROD, withLocks("prod", "prod-dr"), true],
    [ARN_ROLE(PROD, "smh-dashboard-ci-prod-plan-reader"), PROD, withLocks("prod", "prod-dr"), false],
  ])("WHEN the state bucket's policy is read THEN %s, of account %s, reaches its own stacks' state keys only", (principal, account, objects, writes) => {
    const grant = stateGrants().get(principal);
    expect(grant && { account: grant.account, objects: [...grant.objects].sort(), writes: grant.writes }).toEqual({ account, objects, writes });
  });

  test("WHEN the state bucket's policy is read THEN it grants no one else of another account", () => {
    expect(stateGrants().size).toBe(6);
  });

  test("WHEN the state stack is synthesized THEN its bucket encrypts with SSE-S3: no KMS key whose policy other accounts' deployers and pipeline roles would need", () => {
    const state = stacks.get("state")!;
    expect(resource(state, "aws_s3_bucket_server_side_encryption_configuration", "state_encryption").rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } },
    ]);
    expect(state.resource.aws_kms_key).toBeUndefined();
  });

  /** A statement's reach in the state bucket: its actions, resources and s3:prefix values, sorted. */
  const reach = (s: any) =>
    JSON.stringify([[...s.actions].sort(), [...s.resources].sort(), [...(s.condition?.find((c: any) => c.variable === "s3:prefix")?.values ?? [])].sort()]);

  test.each([
    [`ci-${DEV}`, "dev", DEV, "deployer"],
    [`ci-${DEV}`, "dev", DEV, "plan_reader"],
    [`ci-${PROD}`, "prod", PROD, "deployer"],
    [`ci-${PROD}`, "prod", PROD, "plan_reader"],
  ])(
    "WHEN %s and the state bucket's policy are read THEN %s's pipeline role of account %s, the %s, is allowed by its own policy exactly what the bucket grants it, with no role to assume: it reaches its state in the state account directly",
    (stack, env, account, job) => {
      const own = Object.entries(stacks.get(stack)!.data!.aws_iam_policy_document)
        .filter(([name]) => name.startsWith(`${env}_${job}_permissions`))
        .flatMap(([, doc]) => (doc as { statement: any[] }).statement)
        .filter((st) => (st.resources ?? []).some((r: string) => r.includes(`:::${bucket}`)));
      const roleArn = `${ARN}:iam::${account}:role/smh-dashboard-ci-${env}-${job.replace("_", "-")}`;
      const granted = policyDocument(stacks.get("state")!, "state_policy_document").statement.filter((st: any) =>
        st.condition?.some((c: any) => c.variable === "aws:PrincipalArn" && c.values.includes(roleArn)),
      );
      expect(own.length).toBe(3);
      expect(own.map(reach).sort()).toEqual(granted.map(reach).sort());
      const everyAction = Object.values(stacks.get(stack)!.data!.aws_iam_policy_document).flatMap((doc) =>
        (doc as { statement: any[] }).statement.flatMap((st) => st.actions ?? []),
      );
      expect(everyAction.filter((a: string) => a.startsWith("sts:") && a !== "sts:AssumeRoleWithWebIdentity")).toEqual([]);
    },
  );

  test.each([
    [`ci-${DEV}`, "dev", DEV, ["dev"]],
    [`ci-${PROD}`, "prod", PROD, ["prod", "prod-dr"]],
  ])(
    "WHEN %s is synthesized THEN %s's pipeline roles name resources of account %s only, and in the state bucket its own keys only",
    (stack, env, account, own) => {
      const json = stacks.get(stack)!;
      const documents = Object.entries(json.data!.aws_iam_policy_document).filter(([name]) => name.startsWith(`${env}_`) && !name.endsWith("_trust"));
      expect(documents.length).toBeGreaterThan(0);
      const resources = documents.flatMap(([, doc]) => (doc as { statement: { resources?: string[] }[] }).statement.flatMap((s) => s.resources ?? []));
      const accounts = new Set(resources.map((r) => r.split(":")[4]).filter((a) => a !== undefined && /^\d{12}$/.test(a)));
      expect([...accounts]).toEqual([account]);
      const stateObjects = new Set(resources.filter((r) => r.includes(`:::${bucket}/`)).map((r) => r.split(`:::${bucket}/`)[1]));
      expect([...stateObjects].sort()).toEqual(withLocks(...own));
    },
  );
});

describe("GIVEN the committed single-account settings, the state bucket's policy", () => {
  test("WHEN synthesized THEN it grants no other account: the deployers' own policies reach their keys, as before", () => {
    const statements: any[] = policyDocument(appStacks().get("state")!, "state_policy_document").statement;
    expect(statements.map((s) => s.sid)).toEqual(["DenyInsecureTransport"]);
  });
});

describe("docs/operations.md's multi-account example", () => {
  const section = fs
    .readFileSync(path.join(PROJECT_ROOT, "docs", "operations.md"), "utf8")
    .split("### Several accounts")[1]
    .split("\n### ")[0];

  /** The section's settings files: each block headed by its path (`cdktf.json`, `environments/<name>.json`), parsed. */
  const files = new Map([...section.matchAll(/^`([^`]+)`[^\n]*:\n\n```json[^\n]*\n([\s\S]*?)```/gm)].map((m) => [m[1], JSON.parse(m[2])]));
  const environmentFiles = [...files].filter(([file]) => file.startsWith("environments/"));

  test("shows the fixture the tests synthesize and plan as its committed files: the top-level keys for cdktf.json, one environments/<name>.json each", () => {
    expect([...files.keys()]).toEqual(["cdktf.json", "environments/dev.json", "environments/prod.json"]);
    const environments = Object.fromEntries(environmentFiles.map(([file, json]) => [path.basename(file, ".json"), json]));
    expect({ ...files.get("cdktf.json"), environments }).toEqual(MULTI_ACCOUNT);
  });

  test("its files, added to the committed ones, give the deployment of the fixture over the committed settings", () => {
    // GIVEN a copy of the committed settings with each file's keys added, as the section says
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "several-accounts-"));
    const cdktfJson = readCdktfJson();
    const context = cdktfJson.context as { deployment: object };
    fs.writeFileSync(
      path.join(copy, "cdktf.json"),
      JSON.stringify({ ...cdktfJson, context: { ...context, deployment: { ...context.deployment, ...files.get("cdktf.json") } } }),
    );
    fs.cpSync(path.join(PROJECT_ROOT, "environments"), path.join(copy, "environments"), { recursive: true });
    for (const [file, json] of environmentFiles) {
      const committed = fs.existsSync(path.join(copy, file)) ? JSON.parse(fs.readFileSync(path.join(copy, file), "utf8")) : {};
      fs.writeFileSync(path.join(copy, file), JSON.stringify({ ...committed, ...json }));
    }
    // WHEN they are read as a synthesis reads them THEN the deployment is the one the tests plan
    expect(resolveDeployment([committedSettings(copy)])).toEqual(resolveDeployment([COMMITTED, MULTI_ACCOUNT]));
  });

  test("lists the deploy order of the example after the state stack, as deployOrder gives it", () => {
    const listed = [...section.matchAll(/^ {3}\d+\. `npm run deploy -- (\S+)`$/gm)].map((m) => m[1]);
    expect(["state", ...listed]).toEqual(deployOrder(resolveDeployment([COMMITTED, MULTI_ACCOUNT])).map((step) => step.stack));
  });
});
