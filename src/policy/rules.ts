import { valuesAt } from "../aws/attributes";
import { KEY_ARN_ATTRIBUTES, keyArnProblem } from "../aws/key-arns";
import { POLICY_QUOTAS, policySize } from "../aws/policy-size";
import { NAME_RULES, NAME_SCOPES, nameFix, nameProblems, physicalNames } from "../aws/name-rules";
import { GUARDDUTY_FARGATE_AGENT_ACCOUNTS } from "../aws/guardduty-agent";
import { SINGLETONS } from "../aws/singletons";
import { type AppRule, type Block, type Finding, finding, type PolicyRule, references, type StackView } from "./model";

/** Tags every resource must carry (through the providers' default_tags). */
export const REQUIRED_TAGS = ["Project", "Environment", "ManagedBy", "DataClassification"] as const;

/**
 * CloudWatch Logs' vended-log delivery (ElastiCache's slow and engine logs), per the Service
 * Authorization Reference: no resource types for these.
 */
export const LOG_DELIVERY_ACTIONS: readonly string[] = [
  "logs:CreateLogDelivery",
  "logs:GetLogDelivery",
  "logs:UpdateLogDelivery",
  "logs:DeleteLogDelivery",
  "logs:ListLogDeliveries",
  "logs:PutResourcePolicy",
  "logs:DescribeResourcePolicies",
];

/**
 * IAM actions that AWS documents without resource-level permissions: `"Resource": "*"` is the
 * narrowest form for them. Not ecs:RegisterTaskDefinition: the Service Authorization Reference
 * gives it the task-definition resource type, so the deployer names its family.
 */
export const ACTIONS_WITHOUT_RESOURCES = new Set([
  "ecr:GetAuthorizationToken",
  "cloudwatch:PutMetricData",
  "logs:DescribeLogGroups",
  // Per the Service Authorization Reference, none of these supports resource-level permissions.
  "elasticloadbalancing:Describe*",
  "application-autoscaling:Describe*",
  "ecs:DescribeTaskDefinition",
  "ecs:DeregisterTaskDefinition",
  "kms:CreateKey",
  "kms:ListAliases",
  "ecr:PutReplicationConfiguration",
  "ecr:DescribeRegistry",
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  ...LOG_DELIVERY_ACTIONS,
]);

/**
 * Read-only wildcards a plan's refresh is granted on `"*"` although some of the actions they expand
 * to accept a resource: `ec2:Describe*` covers 17 such (DescribeInstanceAttribute,
 * DescribeVpcAttribute, ...) beside many that accept none. EC2 ids are generated, so naming them is
 * not possible before they exist, and every Describe returns configuration, never data. IAM-1
 * accepts these on `"*"` for that reason, not as actions without resource-level permissions.
 */
export const READ_ONLY_WILDCARDS: ReadonlySet<string> = new Set(["ec2:Describe*"]);

const ofType = (stack: StackView, type: string) => stack.resources.filter((r) => r.type === type);

/** The resource of `type` whose `attribute` references `target`. */
const attached = (stack: StackView, type: string, target: Block, attribute = "bucket") =>
  ofType(stack, type).find((r) => references(r.config[attribute], target.address));

const policyDocumentOf = (stack: StackView, value: unknown) => stack.data.find((d) => d.type === "aws_iam_policy_document" && references(value, d.address));

export const s3PublicAccessBlocked: PolicyRule = {
  id: "S3-1",
  reason: "Student data must never be public: every bucket blocks public ACLs and policies.",
  check: (stack) =>
    ofType(stack, "aws_s3_bucket").flatMap((bucket) => {
      const block = attached(stack, "aws_s3_bucket_public_access_block", bucket);
      const all = block && ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"].every((k) => block.config[k] === true);
      return all ? [] : [finding(s3PublicAccessBlocked, bucket, "has no public-access block with all four settings true")];
    }),
};

export const s3Encrypted: PolicyRule = {
  id: "S3-2",
  reason: "Encryption at rest for every bucket (HIPAA, FERPA).",
  check: (stack) =>
    ofType(stack, "aws_s3_bucket")
      .filter((bucket) => !attached(stack, "aws_s3_bucket_server_side_encryption_configuration", bucket))
      .map((bucket) => finding(s3Encrypted, bucket, "has no server-side encryption configuration")),
};

export const s3TlsOnly: PolicyRule = {
  id: "S3-3",
  reason: "Encryption in transit: every bucket policy denies requests without TLS.",
  check: (stack) =>
    ofType(stack, "aws_s3_bucket").flatMap((bucket) => {
      const policy = attached(stack, "aws_s3_bucket_policy", bucket);
      const document = policy && policyDocumentOf(stack, policy.config.policy);
      const denies = (document?.config.statement ?? []).some(
        (s: any) =>
          s.effect === "Deny" && (s.condition ?? []).some((c: any) => c.test === "Bool" && c.variable === "aws:SecureTransport" && c.values?.includes("false")),
      );
      return denies ? [] : [finding(s3TlsOnly, bucket, "has no bucket policy denying aws:SecureTransport = false")];
    }),
};

export const logRetention: PolicyRule = {
  id: "LOGS-1",
  reason: "Every log group has a retention period: logs hold personal data and cost money forever otherwise.",
  check: (stack) =>
    ofType(stack, "aws_cloudwatch_log_group")
      .filter((group) => !(group.config.retention_in_days > 0))
      .map((group) => finding(logRetention, group, "has no retention_in_days")),
};

const OPEN = new Set(["0.0.0.0/0", "::/0"]);

export const noOpenIngress: PolicyRule = {
  id: "SG-1",
  reason: "Nothing is reachable from the internet except the ALB on 80/443.",
  check: (stack) => {
    const albGroups = ofType(stack, "aws_lb").flatMap((lb) => (lb.config.security_groups ?? []) as string[]);
    const isAlbGroup = (groupRef: unknown) => albGroups.some((ref) => typeof groupRef === "string" && groupRef === ref);
    const rules = ofType(stack, "aws_vpc_security_group_ingress_rule").filter((r) => OPEN.has(r.config.cidr_ipv4) || OPEN.has(r.config.cidr_ipv6));
    const inline = ofType(stack, "aws_security_group").filter((g) =>
      (g.config.ingress ?? []).some((i: any) => (i.cidr_blocks ?? []).some((c: string) => OPEN.has(c))),
    );
    return [
      ...rules
        .filter((r) => !(isAlbGroup(r.config.security_group_id) && r.config.from_port === r.config.to_port && [80, 443].includes(r.config.from_port)))
        .map((r) => finding(noOpenIngress, r, `allows ports ${r.config.from_port}-${r.config.to_port} from anywhere; only the ALB's 80/443 may be`)),
      ...inline.map((g) => finding(noOpenIngress, g, "has an inline ingress rule from anywhere; use separate rules on the ALB's 80/443 only")),
    ];
  },
};

export const noIamWildcards: PolicyRule = {
  id: "IAM-1",
  reason: "Least privilege: no '*' action, and no '*' resource where AWS offers a narrower form.",
  check: (stack) =>
    stack.data
      .filter((d) => d.type === "aws_iam_policy_document")
      .flatMap((document) =>
        ((document.config.statement ?? []) as any[])
          .filter((s) => s.effect !== "Deny")
          .flatMap((s, i) => {
            const actions: string[] = s.actions ?? [];
            const label = s.sid ? `statement ${s.sid}` : `statement ${i + 1}`;
            const problems: Finding[] = [];
            const wild = actions.filter((a) => a === "*" || a.endsWith(":*"));
            if (wild.length > 0) problems.push(finding(noIamWildcards, document, `${label} allows the wildcard action(s) ${wild.join(", ")}`));
            const scoped = actions.filter((a) => !ACTIONS_WITHOUT_RESOURCES.has(a) && !READ_ONLY_WILDCARDS.has(a));
            if ((s.resources ?? []).includes("*") && scoped.length > 0) {
              problems.push(finding(noIamWildcards, document, `${label} grants ${scoped.join(", ")} on resource "*"; name the resources`));
            }
            return problems;
          }),
      ),
};

const POLICY_ATTRIBUTES: Readonly<Record<string, string>> = {
  aws_iam_role_policy: "policy",
  aws_iam_policy: "policy",
  aws_iam_role: "assume_role_policy",
  aws_s3_bucket_policy: "policy",
  aws_kms_key: "policy",
};

export const typedPolicies: PolicyRule = {
  id: "IAM-2",
  reason: "Policies are typed documents (aws_iam_policy_document), which reviewers and scanners can read, not opaque JSON strings.",
  check: (stack) =>
    stack.resources
      .filter((r) => r.type in POLICY_ATTRIBUTES && r.config[POLICY_ATTRIBUTES[r.type]] !== undefined)
      .filter((r) => !policyDocumentOf(stack, r.config[POLICY_ATTRIBUTES[r.type]]))
      .map((r) => finding(typedPolicies, r, `${POLICY_ATTRIBUTES[r.type]} is not an aws_iam_policy_document`)),
};

export const protectedInProduction: PolicyRule = {
  id: "PROT-1",
  reason: "In production, stateful resources survive a mistaken destroy: deletion protection, final snapshots, versioning, no force-destroy.",
  check: (stack) => {
    if (!stack.protectData) return [];
    const problems: Finding[] = [];
    for (const db of [...ofType(stack, "aws_db_instance"), ...ofType(stack, "aws_rds_cluster")]) {
      if (db.config.deletion_protection !== true) problems.push(finding(protectedInProduction, db, "has no deletion protection"));
      // A read replica has no final snapshot (RDS refuses one when deleting it); its source keeps them.
      if (db.config.skip_final_snapshot !== false && !db.config.replicate_source_db)
        problems.push(finding(protectedInProduction, db, "skips the final snapshot"));
    }
    for (const global of ofType(stack, "aws_rds_global_cluster")) {
      if (global.config.deletion_protection !== true) problems.push(finding(protectedInProduction, global, "has no deletion protection"));
    }
    for (const cache of ofType(stack, "aws_elasticache_replication_group")) {
      if (!cache.config.final_snapshot_identifier) problems.push(finding(protectedInProduction, cache, "takes no final snapshot"));
    }
    for (const lb of ofType(stack, "aws_lb")) {
      if (lb.config.enable_deletion_protection !== true) problems.push(finding(protectedInProduction, lb, "has no deletion protection"));
    }
    for (const bucket of ofType(stack, "aws_s3_bucket")) {
      if (bucket.config.force_destroy === true) problems.push(finding(protectedInProduction, bucket, "can be force-destroyed"));
      const versioning = attached(stack, "aws_s3_bucket_versioning", bucket);
      if (versioning?.config.versioning_configuration?.status !== "Enabled") problems.push(finding(protectedInProduction, bucket, "is not versioned"));
    }
    for (const repository of ofType(stack, "aws_ecr_repository")) {
      if (repository.config.force_delete === true) problems.push(finding(protectedInProduction, repository, "can be force-deleted"));
    }
    return problems;
  },
};

export const requiredTags: PolicyRule = {
  id: "TAG-1",
  reason: `Every resource carries ${REQUIRED_TAGS.join(", ")} (cost, ownership, data classification), through the providers' default_tags.`,
  check: (stack) =>
    stack.providers.flatMap((provider) => {
      const tags = provider.default_tags?.[0]?.tags ?? {};
      const missing = REQUIRED_TAGS.filter((t) => !tags[t]);
      const block: Block = {
        type: "provider",
        name: provider.alias ?? "aws",
        address: `provider.aws${provider.alias ? `.${provider.alias}` : ""}`,
        path: "",
        config: provider,
      };
      return missing.length > 0 ? [finding(requiredTags, block, `default_tags lack ${missing.join(", ")}`)] : [];
    }),
};

export const awsAcceptsNames: PolicyRule = {
  id: "AWS-1",
  reason:
    "AWS refuses a name outside its documented rules only when a deploy calls it; an offline plan does not, so every physical name is checked at synthesis (src/aws/name-rules.ts).",
  check: (stack) =>
    stack.resources.flatMap((resource) =>
      physicalNames(resource.type, resource.config).flatMap(({ rule, name }) => {
        const problems = nameProblems(rule, name);
        return problems.length === 0
          ? []
          : [
              finding(
                awsAcceptsNames,
                resource,
                `${rule.attribute} "${name}" ${problems.join("; ")} (${rule.source}). Fix: ${nameFix(name, stack.nameSources, resource.type)}`,
              ),
            ];
      }),
    ),
};

/** The fixed names a resource sets (its own name attributes, not prefixes, not nested blocks'). */
function fixedNames(resource: Block): { attribute: string; name: string }[] {
  const known = NAME_RULES.some((rule) => rule.type === resource.type);
  if (!known) {
    const name = resource.config.name;
    return typeof name === "string" && !name.includes("${") ? [{ attribute: "name", name }] : [];
  }
  return physicalNames(resource.type, resource.config)
    .filter(({ rule }) => !rule.attribute.endsWith("_prefix") && !rule.attribute.includes("."))
    .map(({ rule, name }) => ({ attribute: rule.attribute, name }));
}

export const uniqueNameWhenReplacedFirst: PolicyRule = {
  id: "AWS-2",
  reason:
    "A resource replaced before it is destroyed (create_before_destroy) exists twice for a moment, and AWS refuses a second one of the same name (InvalidGroup.Duplicate, DBParameterGroupAlreadyExists): the apply would stop halfway.",
  check: (stack) =>
    stack.resources
      .filter((resource) => resource.config.lifecycle?.create_before_destroy === true)
      .flatMap((resource) =>
        fixedNames(resource).map(({ attribute, name }) =>
          finding(
            uniqueNameWhenReplacedFirst,
            resource,
            `has create_before_destroy and the fixed ${attribute} "${name}". Fix: set name_prefix (a unique name) instead of ${attribute}, or drop create_before_destroy`,
          ),
        ),
      ),
};

export const keyArnsWhereAwsReturnsThem: PolicyRule = {
  id: "AWS-3",
  reason:
    "AWS stores these attributes as the KMS key's ARN whatever form it was given (src/aws/key-arns.ts): an alias or key id there plans a change, or a replacement, after every deploy.",
  check: (stack) =>
    stack.resources.flatMap((resource) =>
      KEY_ARN_ATTRIBUTES.filter((a) => a.type === resource.type).flatMap(({ attribute }) =>
        valuesAt(resource.config, attribute)
          .filter((value): value is string => typeof value === "string")
          .flatMap((value) => {
            const problem = keyArnProblem(value);
            return problem
              ? [
                  finding(
                    keyArnsWhereAwsReturnsThem,
                    resource,
                    `${attribute} ${problem}; AWS returns the key's ARN. Fix: give the key's ARN (an aws_kms_key's arn)`,
                  ),
                ]
              : [];
          }),
      ),
    ),
};

/** The role a policy or attachment names (`${aws_iam_role.x.id}` or `.name`), as its address. */
const roleOf = (value: unknown) => (typeof value === "string" ? /\$\{(aws_iam_role\.[a-z0-9_]+)\./.exec(value)?.[1] : undefined);

export const policiesWithinQuotas: PolicyRule = {
  id: "IAM-3",
  reason:
    "IAM refuses a policy over its size quota only when a deploy writes it (10,240 characters of inline policy per role, 6,144 per managed policy, 2,048 per trust policy, 10 managed policies per role; src/aws/policy-size.ts): sizes are checked at synthesis, each reference counted at its longest.",
  check: (stack) => {
    const sizeOf = (value: unknown) => {
      const document = policyDocumentOf(stack, value);
      return document ? policySize(document.config.statement ?? []) : 0;
    };
    const problems: Finding[] = [];
    const over = (block: Block, what: string, size: number, quota: number, fix: string) => {
      if (size > quota)
        problems.push(finding(policiesWithinQuotas, block, `${what} is about ${size} characters (without white space); IAM allows ${quota}. Fix: ${fix}`));
    };
    const roles = ofType(stack, "aws_iam_role");
    for (const role of roles) {
      over(role, "its trust policy", sizeOf(role.config.assume_role_policy), POLICY_QUOTAS.trust, "trust fewer principals or conditions in one role");
      const inline = ofType(stack, "aws_iam_role_policy").filter((p) => roleOf(p.config.role) === role.address);
      over(
        role,
        "its inline policies together",
        inline.reduce((n, p) => n + sizeOf(p.config.policy), 0),
        POLICY_QUOTAS.inlinePerRole,
        "give the role managed policies (Role's permissions: managed), or narrow its statements",
      );
      const attached = ofType(stack, "aws_iam_role_policy_attachment").filter((a) => roleOf(a.config.role) === role.address).length;
      over(role, "its managed policies' count", attached, POLICY_QUOTAS.managedPerRole, "merge or narrow the role's managed policies");
    }
    for (const policy of ofType(stack, "aws_iam_policy")) {
      over(policy, "the managed policy", sizeOf(policy.config.policy), POLICY_QUOTAS.managed, "split its statements over several managed policies");
    }
    return problems;
  },
};

/** The account field of a literal ARN, when it is an account id (`""` for S3, `aws` for AWS managed policies are not). */
const accountOfArn = (value: unknown): string | undefined => {
  if (typeof value !== "string" || !value.startsWith("arn:")) return undefined;
  const account = value.split(":")[4];
  return account !== undefined && /^\d{12}$/.test(account) ? account : undefined;
};

/** Accounts AWS owns whose resources a stack may be granted: GuardDuty's agent repositories (src/aws/guardduty-agent.ts). */
export const AWS_OWNED_ACCOUNTS: ReadonlySet<string> = new Set(
  Object.values(GUARDDUTY_FARGATE_AGENT_ACCOUNTS).filter((account): account is string => account !== null),
);

export const ownAccountOnly: PolicyRule = {
  id: "IAM-4",
  reason:
    "Each environment deploys into its own account (accountId): a policy of one stack that allows anything in another account would let a deployer or a workload of one environment reach another's resources.",
  check: (stack) => {
    const own = new Set(stack.providers.flatMap((p) => (p.allowed_account_ids ?? []) as string[]));
    if (own.size === 0) return [];
    return stack.data
      .filter((d) => d.type === "aws_iam_policy_document")
      .flatMap((document) =>
        ((document.config.statement ?? []) as any[])
          .filter((s) => s.effect !== "Deny")
          .flatMap((s, i) => {
            const foreign = ((s.resources ?? []) as unknown[]).filter((r) => {
              const account = accountOfArn(r);
              return account !== undefined && !own.has(account) && !AWS_OWNED_ACCOUNTS.has(account);
            });
            const label = s.sid ? `statement ${s.sid}` : `statement ${i + 1}`;
            return foreign.length > 0
              ? [
                  finding(
                    ownAccountOnly,
                    document,
                    `${label} allows resources of another account than the stack's (${[...own].join(", ")}): ${foreign.join(", ")}. Fix: name the resource in the stack's own account, or deploy what needs it in the account that holds it`,
                  ),
                ]
              : [];
          }),
      );
  },
};

/** Every policy rule, in report order. */
export const POLICY_RULES: readonly PolicyRule[] = [
  s3PublicAccessBlocked,
  s3Encrypted,
  s3TlsOnly,
  logRetention,
  noOpenIngress,
  noIamWildcards,
  typedPolicies,
  protectedInProduction,
  requiredTags,
  awsAcceptsNames,
  uniqueNameWhenReplacedFirst,
  keyArnsWhereAwsReturnsThem,
  policiesWithinQuotas,
  ownAccountOnly,
];

/** Where a resource is deployed: the account and region of the AWS provider it uses. */
function placeOf(view: StackView, resource: Block): { account: string; region: string } {
  const alias = typeof resource.config.provider === "string" ? resource.config.provider.split(".")[1] : undefined;
  const provider = view.providers.find((p) => p.alias === alias);
  return { account: provider?.allowed_account_ids?.[0] ?? "(any account)", region: provider?.region ?? "(no region)" };
}

export const singletonsDeclaredOnce: AppRule = {
  id: "AWS-4",
  reason:
    "AWS keeps these once per account and region (src/aws/singletons.ts): two declarations overwrite each other on every deploy, or the second one fails.",
  check: (stacks) => {
    const first = new Map<string, { stack: string; address: string }>();
    const problems: string[] = [];
    for (const { stack, view } of stacks) {
      for (const resource of view.resources) {
        const singleton = SINGLETONS.find((s) => s.type === resource.type);
        if (!singleton) continue;
        const { account, region } = placeOf(view, resource);
        const key = singleton.key ? ` with ${singleton.key} ${JSON.stringify(resource.config[singleton.key])}` : "";
        const where = singleton.per === "account" ? `account ${account}` : `account ${account} in ${region}`;
        const id = `${resource.type}${key} in ${where}`;
        const earlier = first.get(id);
        if (!earlier) {
          first.set(id, { stack, address: resource.address });
          continue;
        }
        problems.push(
          `${resource.type}${key} is declared twice for ${where}: in stack "${earlier.stack}" (${earlier.address}) and in stack "${stack}" (${resource.address}); AWS keeps one (${singleton.source}). Fix: declare it once, in the account baseline stack, covering every environment that needs it`,
        );
      }
    }
    return problems;
  },
};

export const namesUnique: AppRule = {
  id: "AWS-5",
  reason:
    "AWS refuses a second resource of one type with a name it already has (AlreadyExists, Duplicate...) in the scope where the name must be unique (src/aws/name-rules.ts, NAME_SCOPES); an offline plan does not know, so two constructs that build the same name fail at deploy.",
  check: (stacks) => {
    const first = new Map<string, { stack: string; address: string }>();
    const problems: string[] = [];
    for (const { stack, view } of stacks) {
      for (const resource of view.resources) {
        for (const { rule, name } of physicalNames(resource.type, resource.config)) {
          if (rule.attribute.includes(".") || rule.attribute.endsWith("_prefix")) continue;
          const scope = NAME_SCOPES[resource.type];
          const { account, region } = placeOf(view, resource);
          const where =
            scope === "account"
              ? `account ${account}`
              : scope
                ? `${scope.within} ${JSON.stringify(resource.config[scope.within])} of stack ${stack}`
                : `account ${account} in ${region}`;
          const id = `${resource.type}.${rule.attribute} ${JSON.stringify(name)} in ${where}`;
          const earlier = first.get(id);
          if (!earlier) {
            first.set(id, { stack, address: resource.address });
            continue;
          }
          problems.push(
            `${rule.attribute} "${name}" of ${resource.type} is built twice in ${where}: by ${earlier.address} (stack "${earlier.stack}") and by ${resource.address} (stack "${stack}"); AWS refuses the second. Fix: give one of them its own name (or build it once and share it)`,
          );
        }
      }
    }
    return problems;
  },
};

/** Every rule over the whole app. */
export const APP_RULES: readonly AppRule[] = [singletonsDeclaredOnce, namesUnique];
