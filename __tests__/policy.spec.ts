import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbParameterGroup } from "@cdktf/provider-aws/lib/db-parameter-group";
import { EcrReplicationConfiguration } from "@cdktf/provider-aws/lib/ecr-replication-configuration";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { GuarddutyDetector } from "@cdktf/provider-aws/lib/guardduty-detector";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3AccountPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-account-public-access-block";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { AnnotationMetadataEntryType, Aspects, Testing } from "cdktf";
import type { Construct } from "constructs";
import { buildApp } from "../src/stacks/app";
import { resolveDeployment } from "../src/validation/deployment";
import type { DeploymentSettings } from "../src/validation";
import { SecureBucket } from "../src/constructs/secure-bucket";
import { standardTags } from "../src/constructs/providers";
import { POLICY_CHECKED_ON_OUTPUT, PolicyChecks, policyFindings, policyProblems, suppress } from "../src/policy/checks";
import { POLICY_RULES } from "../src/policy/rules";
import { NamedStack } from "../src/stacks/named-stack";
import { COMMITTED, MULTI_ACCOUNT, synthEnvironment } from "./helpers";

const TAGS = standardTags({ project: "p", environment: "test", dataClassification: "confidential-phi" });

/** A stack with a tagged provider in account 123456789012 and whatever `build` adds; its findings as "RULE address". */
function findings(build: (scope: Construct) => void, options: { protectData?: boolean; tags?: Record<string, string> } = {}): string[] {
  const app = Testing.app();
  const stack = new NamedStack(app, "test");
  new AwsProvider(stack, "aws", { region: "us-east-1", allowedAccountIds: ["123456789012"], defaultTags: [{ tags: options.tags ?? TAGS }] });
  build(stack);
  return policyFindings(stack, options.protectData ?? false).map(({ finding }) => `${finding.ruleId} ${finding.address}`);
}

const secureBucket = (scope: Construct, id = "good") => new SecureBucket(scope, id, { bucketName: `${id}-bucket`, noncurrentVersionExpirationDays: 30 });
const sg = (scope: Construct, id: string) => new SecurityGroup(scope, id, { name: id, vpcId: "vpc-1" });
const open = (scope: Construct, id: string, group: SecurityGroup, port: number) =>
  new VpcSecurityGroupIngressRule(scope, id, { securityGroupId: group.id, ipProtocol: "tcp", fromPort: port, toPort: port, cidrIpv4: "0.0.0.0/0" });

const database = (s: Construct, protect: boolean) =>
  new DbInstance(s, "db", {
    instanceClass: "db.t3.micro",
    engine: "postgres",
    allocatedStorage: 20,
    deletionProtection: protect,
    skipFinalSnapshot: !protect,
    finalSnapshotIdentifier: protect ? "final" : undefined,
  });
const bareBucket = (s: Construct) => new S3Bucket(s, "bare", { bucket: "bare" });

interface RuleCases {
  /** Builds something the rule accepts. */
  readonly compliant: (scope: Construct) => void;
  /** Builds something it refuses, and the rule's findings on it. */
  readonly nonCompliant: (scope: Construct) => void;
  readonly findings: string[];
  readonly options?: { protectData?: boolean; tags?: Record<string, string> };
}

/** One compliant and one non-compliant case per rule (cdk-nag's way); a rule without cases fails. */
const CASES: Record<string, RuleCases> = {
  "S3-1": { compliant: (s) => secureBucket(s), nonCompliant: bareBucket, findings: ["S3-1 aws_s3_bucket.bare"] },
  "S3-2": { compliant: (s) => secureBucket(s), nonCompliant: bareBucket, findings: ["S3-2 aws_s3_bucket.bare"] },
  "S3-3": { compliant: (s) => secureBucket(s), nonCompliant: bareBucket, findings: ["S3-3 aws_s3_bucket.bare"] },
  "LOGS-1": {
    compliant: (s) => new CloudwatchLogGroup(s, "kept", { name: "kept", retentionInDays: 30 }),
    nonCompliant: (s) => new CloudwatchLogGroup(s, "forever", { name: "forever" }),
    findings: ["LOGS-1 aws_cloudwatch_log_group.forever"],
  },
  "SG-1": {
    // The ALB's group may take 80/443 from anywhere; any other port, or another group, may not.
    compliant: (s) => {
      const group = sg(s, "alb-sg");
      open(s, "http", group, 80);
      open(s, "https", group, 443);
      new Lb(s, "alb", { name: "alb", securityGroups: [group.id], subnets: ["a", "b"] });
    },
    nonCompliant: (s) => {
      const alb = sg(s, "alb-sg");
      new Lb(s, "alb", { name: "alb", securityGroups: [alb.id], subnets: ["a", "b"] });
      open(s, "ssh", alb, 22);
      open(s, "app-http", sg(s, "app-sg"), 80);
    },
    findings: ["SG-1 aws_vpc_security_group_ingress_rule.ssh", "SG-1 aws_vpc_security_group_ingress_rule.app_http"],
  },
  "IAM-1": {
    // Named actions on named resources, actions AWS cannot scope, and the read-only ec2:Describe* pass.
    compliant: (s) =>
      new DataAwsIamPolicyDocument(s, "doc", {
        statement: [
          { effect: "Allow", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"] },
          { effect: "Allow", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] },
          { effect: "Allow", actions: ["ec2:Describe*"], resources: ["*"] },
          { effect: "Deny", actions: ["s3:*"], resources: ["*"], principals: [{ type: "*", identifiers: ["*"] }] },
        ],
      }),
    nonCompliant: (s) =>
      new DataAwsIamPolicyDocument(s, "doc", {
        statement: [
          { sid: "All", effect: "Allow", actions: ["s3:*"], resources: ["arn:aws:s3:::b"] },
          { sid: "Anywhere", effect: "Allow", actions: ["s3:GetObject"], resources: ["*"] },
          // AWS's reference gives RegisterTaskDefinition the task-definition resource type.
          { sid: "AnyTaskDefinition", effect: "Allow", actions: ["ecs:RegisterTaskDefinition"], resources: ["*"] },
        ],
      }),
    findings: ["IAM-1 data.aws_iam_policy_document.doc", "IAM-1 data.aws_iam_policy_document.doc", "IAM-1 data.aws_iam_policy_document.doc"],
  },
  "IAM-2": {
    compliant: (s) => {
      const trust = new DataAwsIamPolicyDocument(s, "trust", {
        statement: [{ effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["ecs-tasks.amazonaws.com"] }] }],
      });
      new IamRole(s, "typed", { name: "typed", assumeRolePolicy: trust.json });
    },
    nonCompliant: (s) => new IamRole(s, "opaque", { name: "opaque", assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [] }) }),
    findings: ["IAM-2 aws_iam_role.opaque"],
  },
  "PROT-1": {
    compliant: (s) => {
      secureBucket(s);
      database(s, true);
      new EcrRepository(s, "repo", { name: "repo", forceDelete: false });
    },
    nonCompliant: (s) => {
      database(s, false);
      new SecureBucket(s, "doomed", { bucketName: "doomed", noncurrentVersionExpirationDays: 30, forceDestroy: true });
      new SecureBucket(s, "flat", { bucketName: "flat", versioned: false });
      new EcrRepository(s, "repo", { name: "repo", forceDelete: true });
    },
    findings: [
      "PROT-1 aws_db_instance.db",
      "PROT-1 aws_db_instance.db",
      "PROT-1 aws_s3_bucket.doomed",
      "PROT-1 aws_s3_bucket.flat",
      "PROT-1 aws_ecr_repository.repo",
    ],
    options: { protectData: true },
  },
  "TAG-1": { compliant: () => undefined, nonCompliant: () => undefined, findings: ["TAG-1 provider.aws"], options: { tags: { Project: "p" } } },
  "AWS-1": {
    // Every physical name against src/aws/name-rules.ts: one over a limit, one with a reserved prefix.
    compliant: (s) => new Lb(s, "alb", { name: "smh-dashboard-prod-alb", subnets: ["a", "b"] }),
    nonCompliant: (s) => {
      new Lb(s, "alb", { name: "student-mh-dashboard-production-alb", subnets: ["a", "b"] });
      sg(s, "sg-tasks");
    },
    findings: ["AWS-1 aws_lb.alb", "AWS-1 aws_security_group.sg_tasks"],
  },
  "AWS-2": {
    // Replaced before destroyed: a unique name (a prefix), or no create_before_destroy.
    compliant: (s) => {
      new SecurityGroup(s, "tasks", { namePrefix: "tasks-", vpcId: "vpc-1", lifecycle: { createBeforeDestroy: true } });
      new DbParameterGroup(s, "params", { name: "params", family: "postgres15" });
    },
    nonCompliant: (s) => {
      new SecurityGroup(s, "tasks", { name: "tasks", vpcId: "vpc-1", lifecycle: { createBeforeDestroy: true } });
      new DbParameterGroup(s, "params", { name: "params", family: "postgres15", lifecycle: { createBeforeDestroy: true } });
    },
    findings: ["AWS-2 aws_security_group.tasks", "AWS-2 aws_db_parameter_group.params"],
  },
  "AWS-3": {
    // Where AWS stores the key's ARN, the key's ARN; an alias or key id plans a change after every deploy.
    compliant: (s) => {
      const key = new KmsKey(s, "key", {});
      new CloudwatchLogGroup(s, "logs", { name: "logs", retentionInDays: 30, kmsKeyId: key.arn });
      new DbInstance(s, "db", {
        instanceClass: "db.t3.micro",
        kmsKeyId: key.arn,
        performanceInsightsKmsKeyId: "arn:aws:kms:us-west-2:123456789012:key/0a1b2c3d-1111-2222-3333-444455556666",
      });
    },
    nonCompliant: (s) => {
      const key = new KmsKey(s, "key", {});
      const alias = new KmsAlias(s, "alias", { name: "alias/db", targetKeyId: key.keyId });
      new DbInstance(s, "db", {
        instanceClass: "db.t3.micro",
        kmsKeyId: "arn:aws:kms:us-west-2:123456789012:alias/db",
        performanceInsightsKmsKeyId: alias.arn,
        masterUserSecretKmsKeyId: key.keyId,
      });
    },
    findings: ["AWS-3 aws_db_instance.db", "AWS-3 aws_db_instance.db", "AWS-3 aws_db_instance.db"],
  },
  "IAM-4": {
    // The stack's own account, S3 (no account in its ARNs), AWS managed policies and references pass; a Deny may name anything.
    compliant: (s) =>
      new DataAwsIamPolicyDocument(s, "doc", {
        statement: [
          { effect: "Allow", actions: ["ecr:PutImage"], resources: ["arn:aws:ecr:us-east-1:123456789012:repository/app"] },
          { effect: "Allow", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::state-bucket-222222222222/dev/terraform.tfstate"] },
          { effect: "Allow", actions: ["iam:AttachRolePolicy"], resources: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] },
          // GuardDuty's agent, in an account AWS owns.
          { effect: "Allow", actions: ["ecr:BatchGetImage"], resources: ["arn:aws:ecr:us-east-1:593207742271:repository/aws-guardduty-agent-fargate"] },
          { effect: "Deny", actions: ["kms:Decrypt"], resources: ["arn:aws:kms:us-east-1:222222222222:key/abc"] },
        ],
      }),
    nonCompliant: (s) =>
      new DataAwsIamPolicyDocument(s, "doc", {
        statement: [
          // dev's deployer reaching prod's repository and key.
          { sid: "ProdRepository", effect: "Allow", actions: ["ecr:PutImage"], resources: ["arn:aws:ecr:us-east-1:222222222222:repository/app"] },
          {
            sid: "ProdKey",
            effect: "Allow",
            actions: ["kms:Decrypt"],
            resources: ["arn:${data.aws_partition.partition.partition}:kms:us-east-1:222222222222:key/abc"],
          },
        ],
      }),
    findings: ["IAM-4 data.aws_iam_policy_document.doc", "IAM-4 data.aws_iam_policy_document.doc"],
  },
  "IAM-3": {
    // Sizes IAM counts without white space: a role's inline policies together, each managed
    // policy, each trust policy (src/aws/policy-size.ts).
    compliant: (s) => {
      const role = new IamRole(s, "role", { name: "role", assumeRolePolicy: trustOf(s, "trust", 1).json });
      new IamRolePolicy(s, "inline", { name: "inline", role: role.id, policy: grantsOf(s, "small", 40).json });
      new IamPolicy(s, "managed", { name: "managed", policy: grantsOf(s, "medium", 60).json });
    },
    nonCompliant: (s) => {
      const role = new IamRole(s, "role", { name: "role", assumeRolePolicy: trustOf(s, "trust", 40).json });
      // Two inline policies of about 5,500 characters each: each fits, together they do not.
      new IamRolePolicy(s, "first", { name: "first", role: role.id, policy: grantsOf(s, "first_doc", 100).json });
      new IamRolePolicy(s, "second", { name: "second", role: role.id, policy: grantsOf(s, "second_doc", 100).json });
      new IamPolicy(s, "managed", { name: "managed", policy: grantsOf(s, "large", 120).json });
    },
    findings: ["IAM-3 aws_iam_role.role", "IAM-3 aws_iam_role.role", "IAM-3 aws_iam_policy.managed"],
  },
};

/** A policy document granting s3:GetObject on `count` buckets' objects (55 characters a bucket). */
function grantsOf(scope: Construct, id: string, count: number): DataAwsIamPolicyDocument {
  const resources = Array.from({ length: count }, (_, i) => `arn:aws:s3:::smh-dashboard-prod-bucket-number-${String(i).padStart(4, "0")}/*`);
  return new DataAwsIamPolicyDocument(scope, id, { statement: [{ sid: "Read", effect: "Allow", actions: ["s3:GetObject"], resources }] });
}

/** A trust policy for `count` GitHub repositories (about 60 characters each). */
function trustOf(scope: Construct, id: string, count: number): DataAwsIamPolicyDocument {
  const subjects = Array.from({ length: count }, (_, i) => `repo:example-university/mh-dashboard-${i}:ref:refs/heads/main`);
  return new DataAwsIamPolicyDocument(scope, id, {
    statement: [
      {
        effect: "Allow",
        actions: ["sts:AssumeRoleWithWebIdentity"],
        principals: [{ type: "Federated", identifiers: ["arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"] }],
        condition: [{ test: "StringLike", variable: "token.actions.githubusercontent.com:sub", values: subjects }],
      },
    ],
  });
}

describe.each(POLICY_RULES.map((rule) => [rule.id, rule] as const))("policy rule %s", (id, rule) => {
  const cases = CASES[id];
  const ofRule = (all: string[]) => all.filter((f) => f.startsWith(`${id} `));

  test("has a reason and a compliant and a non-compliant case", () => {
    expect(rule.reason.length).toBeGreaterThan(20);
    expect(cases).toBeDefined();
  });

  test("accepts the compliant case", () => {
    expect(ofRule(findings(cases.compliant, { protectData: cases.options?.protectData }))).toEqual([]);
  });

  test("refuses the non-compliant case, naming each offending address", () => {
    expect(ofRule(findings(cases.nonCompliant, cases.options))).toEqual(cases.findings);
  });
});

test("PROT-1 does not apply outside production", () => {
  expect(findings((s) => database(s, false))).toEqual([]);
});

describe("suppressions", () => {
  test("a suppression with a reason silences one rule below its construct", () => {
    expect(
      findings((s) => {
        const group = new CloudwatchLogGroup(s, "forever", { name: "forever" });
        suppress(group, "LOGS-1", "Kept forever by decision of the records officer, ticket OPS-1");
      }),
    ).toEqual([]);
  });

  test("a suppression needs a written reason and a known rule", () => {
    const app = Testing.app();
    const stack = new NamedStack(app, "test");
    expect(() => suppress(stack, "LOGS-1", "because")).toThrow(/needs a written reason/);
    expect(() => suppress(stack, "NOPE-1", "a long enough reason for the test")).toThrow(/unknown policy rule "NOPE-1"/);
  });
});

describe("PolicyChecks aspect", () => {
  function violatingStack(checkedOnOutput = false) {
    const app = Testing.app();
    if (checkedOnOutput) app.node.setContext(POLICY_CHECKED_ON_OUTPUT, true);
    const stack = new NamedStack(app, "bad");
    new AwsProvider(stack, "aws", { region: "us-east-1", defaultTags: [{ tags: TAGS }] });
    Aspects.of(stack).add(new PolicyChecks({ protectData: true }));
    new CloudwatchLogGroup(stack, "forever", { name: "forever" });
    return { app, stack };
  }

  test("adds an error naming the rule and the resource to the offending construct", () => {
    const { stack } = violatingStack();
    Testing.synth(stack);
    const errors = stack.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === String(AnnotationMetadataEntryType.ERROR)).map((m) => `${c.node.path}: ${m.data}`));
    expect(errors).toEqual([expect.stringMatching(/^bad\/forever: \[LOGS-1\] aws_cloudwatch_log_group.forever has no retention_in_days/)]);
  });

  test("fails synthesis of the app", () => {
    const { app } = violatingStack();
    expect(() => app.synth()).toThrow(/LOGS-1/);
  });

  test("policyProblems lists every stack's findings before anything is synthesized", () => {
    const { app } = violatingStack();
    expect(policyProblems(app)).toEqual([expect.stringMatching(/^bad: \[LOGS-1\] aws_cloudwatch_log_group.forever/)]);
  });

  test("the check before synthesis and the aspect during it are one pass over the rules", () => {
    const rule = POLICY_RULES.find((r) => r.id === "LOGS-1")!;
    const spy = jest.spyOn(rule, "check");
    try {
      const { app } = violatingStack();
      expect(policyProblems(app)).toHaveLength(1);
      expect(() => app.synth()).toThrow(/LOGS-1/);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });

  test("checked on its output (main.ts): the aspect stands aside, the written configuration is what is checked, once", () => {
    const rule = POLICY_RULES.find((r) => r.id === "LOGS-1")!;
    const spy = jest.spyOn(rule, "check");
    try {
      const { app, stack } = violatingStack(true);
      const written = JSON.parse(Testing.synth(stack));
      expect(spy).not.toHaveBeenCalled();
      expect(policyProblems(app, () => written)).toEqual([expect.stringMatching(/^bad: \[LOGS-1\] aws_cloudwatch_log_group.forever/)]);
      // what is checked is the configuration given, not a new rendering of the stack
      written.resource.aws_cloudwatch_log_group.forever.retention_in_days = 30;
      expect(policyProblems(app, () => written)).toEqual([]);
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
  });
});

/** staging from the prod preset, as a committed environments/staging.json adds it. */
const STAGING: DeploymentSettings = {
  environments: { staging: { preset: "prod", acceptUnencryptedHttp: true, edge: { cloudfront: { acceptDefaultCertificate: true } } } },
};

const projectFindings = new Map<string, string[]>();
/** policyProblems of every stack main.ts builds with `extra` over the committed settings; each variant built once for the rules' tests below. */
function projectProblems(extra: DeploymentSettings): string[] {
  const key = JSON.stringify(extra);
  if (!projectFindings.has(key)) {
    const root = Testing.app();
    buildApp(root, resolveDeployment([COMMITTED, extra]));
    projectFindings.set(key, policyProblems(root));
  }
  return projectFindings.get(key)!;
}

/** An app of stacks, each with a provider in `region` and `account` (@default 123456789012) and what `build` adds. */
function appOfStacks(stacks: Record<string, { region?: string; account?: string; build: (scope: Construct) => void }>) {
  const root = Testing.app();
  for (const [name, { region, account, build }] of Object.entries(stacks)) {
    const stack = new NamedStack(root, name);
    new AwsProvider(stack, "aws", { region: region ?? "us-east-1", allowedAccountIds: [account ?? "123456789012"], defaultTags: [{ tags: TAGS }] });
    build(stack);
  }
  return root;
}

describe("policy rule AWS-4: what AWS keeps once per account and region is declared once across the app", () => {
  const replication = (s: Construct) =>
    new EcrReplicationConfiguration(s, "replication", {
      replicationConfiguration: { rule: [{ destination: [{ region: "us-west-2", registryId: "123456789012" }] }] },
    });

  test("GIVEN one ECR replication configuration per region WHEN checked THEN nothing is refused", () => {
    expect(
      policyProblems(appOfStacks({ primary: { build: replication }, other: { region: "eu-west-1", build: replication } })).filter((p) =>
        p.startsWith("[AWS-4]"),
      ),
    ).toEqual([]);
  });

  test("GIVEN a second ECR replication configuration in the same account and region WHEN checked THEN it is refused, naming both stacks", () => {
    expect(policyProblems(appOfStacks({ prod: { build: replication }, staging: { build: replication } }))).toEqual([
      expect.stringMatching(
        /^\[AWS-4\] aws_ecr_replication_configuration is declared twice for account 123456789012 in us-east-1: in stack "prod" \(aws_ecr_replication_configuration.replication\) and in stack "staging" \(aws_ecr_replication_configuration.replication\); AWS keeps one .*Fix: declare it once, in the account baseline stack/,
      ),
    ]);
  });

  test("GIVEN a GuardDuty detector in an environment as well as the baseline WHEN checked THEN it is refused", () => {
    const detector = (s: Construct) => new GuarddutyDetector(s, "detector", { enable: true });
    expect(policyProblems(appOfStacks({ baseline: { build: detector }, dev: { build: detector } }))).toEqual([
      expect.stringMatching(/^\[AWS-4\] aws_guardduty_detector is declared twice for account 123456789012 in us-east-1: in stack "baseline"/),
    ]);
  });

  test("GIVEN an account-wide setting in two regions WHEN checked THEN it is still one per account", () => {
    const block = (s: Construct) => new S3AccountPublicAccessBlock(s, "account", { blockPublicAcls: true });
    expect(policyProblems(appOfStacks({ baseline: { build: block }, dr: { region: "us-west-2", build: block } }))).toEqual([
      expect.stringMatching(/^\[AWS-4\] aws_s3_account_public_access_block is declared twice for account 123456789012: /),
    ]);
  });

  test("GIVEN a GuardDuty detector and the account-wide public access block in each of two accounts' baselines WHEN checked THEN nothing is refused: AWS keeps one per account", () => {
    const guardrails = (s: Construct) => {
      new GuarddutyDetector(s, "detector", { enable: true });
      new S3AccountPublicAccessBlock(s, "account", { blockPublicAcls: true });
    };
    expect(
      policyProblems(appOfStacks({ "baseline-111111111111": { account: "111111111111", build: guardrails }, baseline: { build: guardrails } })).filter((p) =>
        p.startsWith("[AWS-4]"),
      ),
    ).toEqual([]);
  });

  test("the multi-account example's stacks declare each once per account, with a baseline in each account", () => {
    expect(projectProblems(MULTI_ACCOUNT).filter((p) => p.startsWith("[AWS-4]"))).toEqual([]);
  });

  test("the project's stacks declare each once", () => {
    expect(projectProblems(STAGING).filter((p) => p.startsWith("[AWS-4]"))).toEqual([]);
  });
});

describe("policy rule AWS-5: a physical name is built once where AWS wants it unique", () => {
  const alias = (id: string, name: string) => (s: Construct) => new KmsAlias(s, id, { name, targetKeyId: new KmsKey(s, `${id}-key`, {}).keyId });
  const aws5 = (root: Construct) => policyProblems(root).filter((p) => p.startsWith("[AWS-5]"));

  test("GIVEN two keys' aliases of one name in one stack WHEN checked THEN the second is refused, naming both", () => {
    const build = (s: Construct) => {
      alias("replica", "alias/p-prod-dr-database")(s);
      alias("aurora", "alias/p-prod-dr-database")(s);
    };
    expect(aws5(appOfStacks({ "prod-dr": { region: "us-west-2", build } }))).toEqual([
      expect.stringMatching(
        /^\[AWS-5\] name "alias\/p-prod-dr-database" of aws_kms_alias is built twice in account 123456789012 in us-west-2: by aws_kms_alias.replica \(stack "prod-dr"\) and by aws_kms_alias.aurora \(stack "prod-dr"\); AWS refuses the second/,
      ),
    ]);
  });

  test("GIVEN one alias name in two regions WHEN checked THEN both stand: aliases are regional", () => {
    expect(
      aws5(appOfStacks({ prod: { build: alias("logs", "alias/p-logs") }, "prod-dr": { region: "us-west-2", build: alias("logs", "alias/p-logs") } })),
    ).toEqual([]);
  });

  test("GIVEN one role name in two regions WHEN checked THEN it is refused: IAM is global to the account", () => {
    const role = (s: Construct) => new IamRole(s, "role", { name: "p-deployer", assumeRolePolicy: "{}" });
    expect(aws5(appOfStacks({ prod: { build: role }, "prod-dr": { region: "us-west-2", build: role } }))).toEqual([
      expect.stringMatching(/^\[AWS-5\] name "p-deployer" of aws_iam_role is built twice in account 123456789012: /),
    ]);
  });

  test("GIVEN inline policies of one name on two roles WHEN checked THEN both stand: the name is unique within its role", () => {
    const build = (s: Construct) => {
      for (const id of ["a", "b"]) {
        const role = new IamRole(s, id, { name: `p-${id}`, assumeRolePolicy: "{}" });
        new IamRolePolicy(s, `${id}-policy`, { name: "permissions", role: role.id, policy: "{}" });
      }
    };
    expect(aws5(appOfStacks({ prod: { build } }))).toEqual([]);
  });

  test("the project's stacks build each name once, also at 100000-users and with a staging from the prod preset", () => {
    const national: DeploymentSettings = { environments: { prod: { size: "100000-users" } } };
    for (const extra of [national, STAGING]) {
      expect(projectProblems(extra).filter((p) => p.startsWith("[AWS-5]"))).toEqual([]);
    }
  });
});

describe("the project's stacks", () => {
  test.each(["dev", "prod"])("%s has no unsuppressed finding", (environment) => {
    const { stack } = synthEnvironment(environment);
    expect(policyFindings(stack, stack.config.protectData).map(({ finding }) => finding)).toEqual([]);
  });
});
