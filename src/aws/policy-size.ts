/**
 * IAM's quotas on the size of policy documents, which AWS checks only when a policy is written:
 * an offline plan accepts any size, and the first `cdktf deploy` of an oversized role would fail
 * ("LimitExceeded: Maximum policy size of 10240 bytes exceeded for role"). Source: IAM User
 * Guide, "IAM and AWS STS quotas", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 * ("IAM doesn't count white space when calculating the size of a policy against these limits").
 *
 * The same size function serves the construct that packs statements into policies
 * (src/constructs/iam.ts) and the policy rule that checks the synthesized output (IAM-3).
 */

export const POLICY_QUOTAS = {
  /** All the inline policies of one role together. */
  inlinePerRole: 10_240,
  /** One customer managed policy. */
  managed: 6_144,
  /** A role's trust policy (the default quota; AWS can raise it to 4,096 on request). */
  trust: 2_048,
  /** Managed policies attached to one role (the default quota; AWS can raise it to 20). */
  managedPerRole: 10,
} as const;

/**
 * S3's quota on a bucket policy: 20 KB, 20,480 bytes (Amazon S3 User Guide, "Bucket policies for
 * Amazon S3", https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html: "Bucket
 * policies are limited to 20 KB in size"). S3 checks it only when PutBucketPolicy writes the policy.
 * Counted as IAM counts its policies, on the JSON without white space: S3 stores a policy
 * normalized (it returns it reformatted, which is why the provider compares policies by meaning),
 * not the indented `json` the provider sends.
 */
export const BUCKET_POLICY_QUOTA = 20_480;

/**
 * The longest value a reference may take, for a size that must not be underestimated: the
 * partition is at most `aws-us-gov`; any other value known only at apply (an ARN) is counted as
 * this many characters.
 */
export const LONGEST_PARTITION = "aws-us-gov";
export const UNKNOWN_VALUE_LENGTH = 128;

/** One statement as the Terraform JSON of an `aws_iam_policy_document` holds it. */
export interface DocumentStatement {
  readonly sid?: string;
  readonly effect?: string;
  readonly actions?: readonly string[];
  readonly not_actions?: readonly string[];
  readonly resources?: readonly string[];
  readonly not_resources?: readonly string[];
  readonly principals?: readonly { readonly type: string; readonly identifiers: readonly string[] }[];
  readonly not_principals?: readonly { readonly type: string; readonly identifiers: readonly string[] }[];
  readonly condition?: readonly { readonly test: string; readonly variable: string; readonly values: readonly string[] }[];
}

/** A list as the provider renders it in the policy JSON: one element as a plain string. */
const rendered = (values: readonly string[]): string | readonly string[] => (values.length === 1 ? values[0] : values);

function principalBlock(principals: DocumentStatement["principals"]): Record<string, string | readonly string[]> | "*" {
  // Anyone (type `*`, identifier `*`) the provider writes as `"Principal": "*"`.
  if (principals?.length === 1 && principals[0].type === "*" && principals[0].identifiers.length === 1 && principals[0].identifiers[0] === "*") return "*";
  const byType: Record<string, string[]> = {};
  for (const p of principals ?? []) (byType[p.type] ??= []).push(...p.identifiers);
  return Object.fromEntries(Object.entries(byType).map(([type, ids]) => [type, rendered(ids)]));
}

/** The policy JSON the provider renders for these statements (the form IAM measures). */
export function policyJson(statements: readonly DocumentStatement[]): string {
  const statement = statements.map((s) => {
    const out: Record<string, unknown> = {};
    if (s.sid) out.Sid = s.sid;
    out.Effect = s.effect ?? "Allow";
    if (s.actions) out.Action = rendered(s.actions);
    if (s.not_actions) out.NotAction = rendered(s.not_actions);
    if (s.resources) out.Resource = rendered(s.resources);
    if (s.not_resources) out.NotResource = rendered(s.not_resources);
    if (s.principals) out.Principal = principalBlock(s.principals);
    if (s.not_principals) out.NotPrincipal = principalBlock(s.not_principals);
    if (s.condition) {
      const conditions: Record<string, Record<string, string | readonly string[]>> = {};
      for (const c of s.condition) (conditions[c.test] ??= {})[c.variable] = rendered(c.values);
      out.Condition = conditions;
    }
    return out;
  });
  return JSON.stringify({ Version: "2012-10-17", Statement: statement });
}

/**
 * The size IAM counts for a policy of these statements: its JSON without white space, each
 * reference (`${...}`, or a cdktf token) replaced by the longest value it may take
 * (`estimate(reference)`, by default LONGEST_PARTITION for the partition and
 * UNKNOWN_VALUE_LENGTH characters for anything else).
 */
export function policySize(statements: readonly DocumentStatement[], estimate: (reference: string) => string = defaultEstimate): number {
  return policyJson(statements)
    .replace(/\$\{[^}]*\}/g, (reference) => estimate(reference))
    .replace(/\s/g, "").length;
}

function defaultEstimate(reference: string): string {
  return /aws_partition\./.test(reference) ? LONGEST_PARTITION : "x".repeat(UNKNOWN_VALUE_LENGTH);
}
