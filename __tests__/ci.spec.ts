/**
 * Keyless CI identities (the ci stack): who may assume each pipeline role, and what it may do.
 */
import { resolveDeployment } from "../src/validation/deployment";
import type { DeploymentSettings } from "../src/validation";
import { ConfigurationError } from "../src/validation";
import { POLICY_QUOTAS, policySize } from "../src/aws/policy-size";
import { appStacks, ARN, COMMITTED, resourcesOf, type TerraformJson } from "./helpers";

const REPO = "example-university/mh-dashboard-infra";
const STATE = "smh-dashboard-tfstate-us-west-2-123456789012";

/** The ci stack's JSON with the committed settings plus `extra`. */
function ciStack(extra: DeploymentSettings = {}): TerraformJson | undefined {
  return appStacks(extra).get("ci");
}

const json = ciStack()!;
type Statement = {
  sid?: string;
  effect: string;
  actions: string[];
  resources?: string[];
  condition?: { test: string; variable: string; values: string[] }[];
  principals?: unknown;
};
/** The statements of a policy document; a role's permissions packed into managed policies are `<name>`, `<name>_2`, ... in order. */
const doc = (name: string): Statement[] => {
  const parts = Object.keys(json.data!.aws_iam_policy_document).filter((n) => n === name || new RegExp(`^${name}_\\d+$`).test(n));
  if (parts.length === 0) throw new Error(`data.aws_iam_policy_document.${name} is not in the ci stack`);
  const order = (n: string) => (n === name ? 1 : Number(n.slice(name.length + 1)));
  return parts.sort((a, b) => order(a) - order(b)).flatMap((n) => (json.data!.aws_iam_policy_document[n] as { statement: Statement[] }).statement);
};

/**
 * Whether a GitHub Actions token with these claims may assume a role, by its trust policy as
 * IAM reads it: an Allow for AssumeRoleWithWebIdentity whose StringEquals conditions all hold.
 */
function mayAssume(trust: Statement[], claims: { aud: string; sub: string }): boolean {
  return trust.some(
    (s) =>
      s.effect === "Allow" &&
      s.actions.includes("sts:AssumeRoleWithWebIdentity") &&
      (s.condition ?? []).every((c) => {
        if (c.test !== "StringEquals") throw new Error(`condition ${c.test} is not evaluated here`);
        const claim = c.variable.replace("token.actions.githubusercontent.com:", "") as "aud" | "sub";
        return c.values.includes(claims[claim]);
      }),
  );
}

const aud = "sts.amazonaws.com";
const main = `repo:${REPO}:ref:refs/heads/main`;

describe("trust: only this repository's runs, in the context each role serves", () => {
  test.each([
    ["dev_image_publisher", [main]],
    ["dev_deployer", [main]],
    ["dev_plan_reader", [`repo:${REPO}:pull_request`, main]],
    ["prod_image_publisher", [`repo:${REPO}:environment:prod`]],
    ["prod_deployer", [`repo:${REPO}:environment:prod`]],
    ["prod_plan_reader", [`repo:${REPO}:pull_request`, main]],
  ])("%s: GitHub's OIDC provider, audience sts.amazonaws.com, sub %j", (role, subjects) => {
    const [statement] = doc(`${role}_trust`);
    expect(doc(`${role}_trust`)).toHaveLength(1);
    expect(statement).toMatchObject({
      effect: "Allow",
      actions: ["sts:AssumeRoleWithWebIdentity"],
      principals: [{ type: "Federated", identifiers: ["${aws_iam_openid_connect_provider.github.arn}"] }],
    });
    expect(statement.condition).toEqual([
      { test: "StringEquals", variable: "token.actions.githubusercontent.com:aud", values: [aud] },
      { test: "StringEquals", variable: "token.actions.githubusercontent.com:sub", values: subjects },
    ]);
  });

  test("another repository, another branch, a fork's pull request or another audience cannot assume the deployers", () => {
    expect(mayAssume(doc("dev_deployer_trust"), { aud, sub: main })).toBe(true);
    expect(mayAssume(doc("dev_deployer_trust"), { aud, sub: `repo:${REPO}:ref:refs/heads/feature` })).toBe(false);
    expect(mayAssume(doc("dev_deployer_trust"), { aud, sub: `repo:someone/mh-dashboard-infra:ref:refs/heads/main` })).toBe(false);
    expect(mayAssume(doc("dev_deployer_trust"), { aud, sub: `repo:${REPO}:pull_request` })).toBe(false);
    expect(mayAssume(doc("dev_deployer_trust"), { aud: "https://github.com/example-university", sub: main })).toBe(false);
    // Prod deploys only from the protected environment, never straight from a branch.
    expect(mayAssume(doc("prod_deployer_trust"), { aud, sub: `repo:${REPO}:environment:prod` })).toBe(true);
    expect(mayAssume(doc("prod_deployer_trust"), { aud, sub: main })).toBe(false);
    expect(mayAssume(doc("prod_deployer_trust"), { aud, sub: `repo:${REPO}:environment:dev` })).toBe(false);
  });

  test("pull requests may plan, but neither publish nor deploy", () => {
    const pr = { aud, sub: `repo:${REPO}:pull_request` };
    expect(mayAssume(doc("prod_plan_reader_trust"), pr)).toBe(true);
    for (const role of ["dev_image_publisher", "dev_deployer", "prod_image_publisher", "prod_deployer"]) {
      expect(mayAssume(doc(`${role}_trust`), pr)).toBe(false);
    }
  });
});

describe("permissions", () => {
  test("image publisher: push to its own environment's repository, nothing else", () => {
    expect(doc("prod_image_publisher_permissions")).toEqual([
      { sid: "EcrAuthorization", effect: "Allow", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] },
      {
        sid: "PushDashboardImage",
        effect: "Allow",
        actions: ["ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage"],
        resources: [`${ARN}:ecr:us-east-1:123456789012:repository/smh-dashboard-prod-dashboard`],
      },
    ]);
  });

  test("plan reader: its environment's state and lock, and describe calls that return no data", () => {
    const statements = doc("dev_plan_reader_permissions");
    expect(statements.slice(0, 3)).toEqual([
      {
        sid: "ListOwnState",
        effect: "Allow",
        actions: ["s3:ListBucket"],
        resources: [`${ARN}:s3:::${STATE}`],
        condition: [
          { test: "StringEquals", variable: "s3:prefix", values: ["smh-dashboard/dev/terraform.tfstate", "smh-dashboard/dev/terraform.tfstate.tflock"] },
        ],
      },
      { sid: "ReadOwnState", effect: "Allow", actions: ["s3:GetObject"], resources: [`${ARN}:s3:::${STATE}/smh-dashboard/dev/terraform.tfstate`] },
      {
        sid: "HoldOwnStateLock",
        effect: "Allow",
        actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        resources: [`${ARN}:s3:::${STATE}/smh-dashboard/dev/terraform.tfstate.tflock`],
      },
    ]);
    const actions = statements.slice(3).flatMap((s) => s.actions);
    const writes = actions.filter((a) => /:(Create|Delete|Put|Update|Modify|Attach|Detach|Associate|Register|Tag|Untag|Set)/.test(a));
    expect(writes).toEqual([]);
  });

  test.each(["dev_plan_reader", "prod_plan_reader", "dev_deployer", "prod_deployer"])(
    "%s reads no student data: no objects but the state, no secret values, no decryption (but of the working-hours schedules' payloads, alarm names, through EventBridge Scheduler), no log events",
    (role) => {
      // A statement that decrypts only through Scheduler, in the working-hours schedules' encryption context.
      const schedulePayloadsOnly = (s: Statement) =>
        (s.condition ?? []).some((c) => c.variable === "kms:ViaService" && c.values.every((v) => v.startsWith("scheduler."))) &&
        (s.condition ?? []).some((c) => c.variable === "kms:EncryptionContext:aws:scheduler:schedule:arn");
      const statements = doc(`${role}_permissions`).filter((s) => !schedulePayloadsOnly(s));
      const allowed = (action: string) =>
        statements.filter((s) => s.actions.some((a) => a === action || (a.endsWith("*") && action.startsWith(a.slice(0, -1)))));
      const objectReads = allowed("s3:GetObject").flatMap((s) => s.resources ?? []);
      expect(objectReads.every((r) => r.startsWith(`${ARN}:s3:::${STATE}/smh-dashboard/`))).toBe(true);
      for (const action of ["secretsmanager:GetSecretValue", "kms:Decrypt", "logs:GetLogEvents", "logs:FilterLogEvents", "s3:ListBucketVersions"]) {
        expect({ action, statements: allowed(action).map((s) => s.sid) }).toEqual({ action, statements: [] });
      }
    },
  );

  test.each(["dev_deployer", "prod_deployer"])("%s: no iam:*, no *:*, IAM changes only to its environment's roles, PassRole only to their services", (role) => {
    const statements = doc(`${role}_permissions`);
    const env = role.split("_")[0];
    const actions = statements.flatMap((s) => s.actions);
    expect(actions.filter((a) => a === "*" || a.endsWith(":*"))).toEqual([]);
    const iam = statements.filter((s) => s.actions.some((a) => a.startsWith("iam:") && !/^iam:(Get|List)/.test(a)));
    for (const s of iam) {
      expect(
        s.resources!.every((r) => r === `${ARN}:iam::123456789012:role/smh-dashboard-${env}-*` || r === `${ARN}:iam::123456789012:role/aws-service-role/*`),
      ).toBe(true);
    }
    const passRole = statements.find((s) => s.actions.includes("iam:PassRole"))!;
    expect(passRole.resources).toEqual([`${ARN}:iam::123456789012:role/smh-dashboard-${env}-*`]);
    expect(passRole.condition).toEqual([
      {
        test: "StringEquals",
        variable: "iam:PassedToService",
        values: ["ecs-tasks.amazonaws.com", "vpc-flow-logs.amazonaws.com", "s3.amazonaws.com", "monitoring.rds.amazonaws.com"],
      },
    ]);
    // Its own roles cannot be touched: CI role names do not begin with the environment's prefix.
    expect(json.resource.aws_iam_role[role].name).toBe(`smh-dashboard-ci-${env}-deployer`);
  });

  test("the deployer's grants on '*' are only the actions AWS offers no narrower resource for", () => {
    const onAnything = doc("prod_deployer_permissions").filter((s) => s.resources?.includes("*"));
    expect(onAnything.map((s) => [s.sid, s.actions])).toEqual([
      [
        "DescribeUnscopable",
        [
          "ec2:Describe*",
          "elasticloadbalancing:Describe*",
          "application-autoscaling:Describe*",
          "ecs:DescribeTaskDefinition",
          "kms:ListAliases",
          "logs:DescribeLogGroups",
        ],
      ],
      ["DeregisterTaskDefinitions", ["ecs:DeregisterTaskDefinition"]],
      ["CreateKeys", ["kms:CreateKey"]],
    ]);
  });

  test("the deployer registers task definitions, tagged as the provider's default tags ask, only in its environment's family, and prod's in its standby's too", () => {
    const register = (env: string) => doc(`${env}_deployer_permissions`).filter((s) => s.actions.includes("ecs:RegisterTaskDefinition"));
    expect(register("dev")).toEqual([
      expect.objectContaining({
        sid: "RegisterTaskDefinitions",
        actions: ["ecs:RegisterTaskDefinition", "ecs:TagResource"],
        resources: [`${ARN}:ecs:us-east-1:123456789012:task-definition/smh-dashboard-dev-dashboard:*`],
      }),
    ]);
    expect(register("prod")).toEqual([
      expect.objectContaining({
        sid: "RegisterTaskDefinitions",
        resources: [
          `${ARN}:ecs:us-east-1:123456789012:task-definition/smh-dashboard-prod-dashboard:*`,
          `${ARN}:ecs:us-west-2:123456789012:task-definition/smh-dashboard-prod-dr-dashboard:*`,
        ],
      }),
    ]);
  });
});

describe("prod's pipeline also deploys its standby (prod-dr)", () => {
  const sid = (name: string, statementSid: string) => doc(name).find((s) => s.sid === statementSid)!;

  test("its deployer writes prod-dr's state and lock; dev's, which has no standby, only its own", () => {
    expect(sid("prod_deployer_permissions", "ReadWriteOwnState").resources).toEqual([
      `${ARN}:s3:::${STATE}/smh-dashboard/prod/terraform.tfstate`,
      `${ARN}:s3:::${STATE}/smh-dashboard/prod-dr/terraform.tfstate`,
    ]);
    expect(sid("prod_plan_reader_permissions", "HoldOwnStateLock").resources).toHaveLength(2);
    expect(sid("dev_deployer_permissions", "ReadWriteOwnState").resources).toEqual([`${ARN}:s3:::${STATE}/smh-dashboard/dev/terraform.tfstate`]);
  });

  test("it manages the standby's ALB and ECS service in the DR region by name, and may create the cross-region replica", () => {
    expect(sid("prod_deployer_permissions", "ManageLoadBalancer").resources).toContain(
      `${ARN}:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/smh-dashboard-prod-*`,
    );
    expect(sid("prod_deployer_permissions", "ManageService").resources).toEqual(
      expect.arrayContaining([
        `${ARN}:ecs:us-west-2:123456789012:cluster/smh-dashboard-prod-dr-cluster`,
        `${ARN}:ecs:us-west-2:123456789012:service/smh-dashboard-prod-dr-cluster/*`,
      ]),
    );
    expect(sid("prod_deployer_permissions", "ManageDatabase").actions).toContain("rds:CreateDBInstanceReadReplica");
    expect(sid("dev_deployer_permissions", "ManageService").resources!.filter((r) => r.includes("us-west-2"))).toEqual([]);
  });
});

describe("settings", () => {
  test("no repository, no ci stack", () => {
    expect(ciStack({ ci: { githubRepository: undefined } })).toBeUndefined();
  });

  test("an account that already has GitHub's provider trusts it by ARN instead of creating one", () => {
    const existing = ciStack({ ci: { createOidcProvider: false } })!;
    expect(existing.resource.aws_iam_openid_connect_provider).toBeUndefined();
    const [statement] = (existing.data!.aws_iam_policy_document.dev_deployer_trust as { statement: Statement[] }).statement;
    expect(statement.principals).toEqual([{ type: "Federated", identifiers: [`${ARN}:iam::123456789012:oidc-provider/token.actions.githubusercontent.com`] }]);
  });

  test("the provider GitHub's tokens are verified by: the issuer and the one audience", () => {
    expect(json.resource.aws_iam_openid_connect_provider.github).toMatchObject({
      url: "https://token.actions.githubusercontent.com",
      client_id_list: ["sts.amazonaws.com"],
    });
  });

  test("a repository that is not owner/name is refused with the fix", () => {
    expect(() => resolveDeployment([COMMITTED, { ci: { githubRepository: "https://github.com/x/y" } }])).toThrow(ConfigurationError);
    expect(() => resolveDeployment([COMMITTED, { ci: { githubRepository: "https://github.com/x/y" } }])).toThrow(
      /ci.githubRepository is "https:\/\/github.com\/x\/y"; it must be "owner\/repository"\. Fix: write e.g. "university\/mh-dashboard"\./,
    );
  });

  test("no environment may be called ci", () => {
    expect(() => resolveDeployment([COMMITTED, { environments: { ci: { preset: "dev" } } }])).toThrow(/environments.ci: "ci" is the name of a shared stack/);
  });
});

describe("the deployers' permissions fit IAM's policy quotas", () => {
  test.each(["dev", "prod"])("%s: as one inline policy they would exceed IAM's 10,240 characters per role, so they are managed policies", (env) => {
    // GIVEN the deployer's statements
    const statements = doc(`${env}_deployer_permissions`);
    // THEN inline they would not fit (each reference counted at its longest, as IAM-3 counts them)
    expect(policySize(statements as never)).toBeGreaterThan(POLICY_QUOTAS.inlinePerRole);
    // AND the role has no inline policy, but managed policies of at most 6,144 characters each, attached to it
    expect(Object.keys(resourcesOf(json, "aws_iam_role_policy")).filter((n) => n.startsWith(`${env}_deployer`))).toEqual([]);
    const policies = Object.entries(resourcesOf(json, "aws_iam_policy")).filter(([n]) => n.startsWith(`${env}_deployer_policy`));
    expect(policies.length).toBeGreaterThan(1);
    expect(policies.length).toBeLessThanOrEqual(POLICY_QUOTAS.managedPerRole);
    for (const [, policy] of policies) {
      const document = /^\$\{data\.aws_iam_policy_document\.([a-z0-9_]+)\.json\}$/.exec(policy.policy)![1];
      expect(policySize((json.data!.aws_iam_policy_document[document] as { statement: Statement[] }).statement as never)).toBeLessThanOrEqual(
        POLICY_QUOTAS.managed,
      );
    }
    const attachments = Object.values(resourcesOf(json, "aws_iam_role_policy_attachment")).filter((a) => a.role === `\${aws_iam_role.${env}_deployer.name}`);
    expect(attachments.map((a) => a.policy_arn).sort()).toEqual(policies.map(([n]) => `\${aws_iam_policy.${n}.arn}`).sort());
  });

  test("every statement of the deployer is in exactly one of its managed policies, in order", () => {
    const sids = doc("prod_deployer_permissions").map((s) => s.sid);
    expect(new Set(sids).size).toBe(sids.length);
    expect(sids).toEqual(expect.arrayContaining(["ReadWriteOwnState", "ManageLoadBalancer", "ManageService", "ManageDatabase"]));
  });
});

describe("an environment that keeps working hours (dev)", () => {
  const sids = (name: string) => doc(name).map((s) => s.sid);
  const sid = (name: string, statementSid: string) => doc(name).find((s) => s.sid === statementSid)!;

  test("GIVEN dev's working hours THEN its deployer may put and delete the scheduled actions, and manage its schedules by name only", () => {
    expect(sid("dev_deployer_permissions", "ManageWorkingHoursActions")).toMatchObject({
      actions: ["application-autoscaling:PutScheduledAction", "application-autoscaling:DeleteScheduledAction"],
      resources: [`${ARN}:application-autoscaling:us-east-1:123456789012:scalable-target/*`],
    });
    expect(sid("dev_deployer_permissions", "ManageWorkingHoursSchedules")).toMatchObject({
      actions: ["scheduler:CreateSchedule", "scheduler:UpdateSchedule", "scheduler:DeleteSchedule", "scheduler:GetSchedule"],
      resources: [`${ARN}:scheduler:us-east-1:123456789012:schedule/default/smh-dashboard-dev-*`],
    });
    expect(sid("dev_plan_reader_permissions", "DescribeWorkingHours")).toMatchObject({
      actions: ["scheduler:GetSchedule"],
      resources: [`${ARN}:scheduler:us-east-1:123456789012:schedule/default/smh-dashboard-dev-*`],
    });
  });

  test("GIVEN dev's working hours THEN its deployer and plan reader may use dev's keys for the schedules' payloads only through EventBridge Scheduler, in those schedules' encryption context", () => {
    const condition = [
      { test: "StringEquals", variable: "aws:ResourceTag/Environment", values: ["dev"] },
      { test: "StringEquals", variable: "kms:ViaService", values: ["scheduler.us-east-1.amazonaws.com"] },
      {
        test: "ArnLike",
        variable: "kms:EncryptionContext:aws:scheduler:schedule:arn",
        values: [`${ARN}:scheduler:us-east-1:123456789012:schedule/default/smh-dashboard-dev-*`],
      },
    ];
    expect(sid("dev_deployer_permissions", "EncryptSchedules")).toMatchObject({
      actions: ["kms:DescribeKey", "kms:GenerateDataKey", "kms:Decrypt"],
      resources: [`${ARN}:kms:us-east-1:123456789012:key/*`],
      condition,
    });
    expect(sid("dev_plan_reader_permissions", "ReadEncryptedSchedules")).toMatchObject({ actions: ["kms:Decrypt"], condition });
  });

  test("GIVEN dev's working hours THEN its deployer passes the environment's roles to EventBridge Scheduler, and to no other service in that statement", () => {
    expect(sid("dev_deployer_permissions", "PassScheduleRole")).toMatchObject({
      actions: ["iam:PassRole"],
      resources: [`${ARN}:iam::123456789012:role/smh-dashboard-dev-*`],
      condition: [{ test: "StringEquals", variable: "iam:PassedToService", values: ["scheduler.amazonaws.com"] }],
    });
  });

  test("GIVEN prod, which runs around the clock THEN none of its roles may touch schedules", () => {
    for (const role of ["prod_deployer_permissions", "prod_plan_reader_permissions"]) {
      expect(sids(role)).not.toEqual(expect.arrayContaining([expect.stringMatching(/WorkingHours|ScheduleRole/)]));
      expect(
        doc(role)
          .flatMap((s) => s.actions)
          .filter((a) => /^scheduler:|ScheduledAction/.test(a)),
      ).toEqual([]);
    }
  });
});
