/**
 * The policies of the buckets the state stack shares among accounts, within S3's size quota:
 * the state bucket's grows by three statements for each other account's deployers and for each
 * environment's pipeline deployer and plan reader (state-access.ts), the audit bucket's by one for
 * each account whose trail delivers there. S3 refuses an oversized policy only when a deploy of
 * the state stack writes it, and an offline plan accepts any size, so the layout is measured here.
 */
import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { BUCKET_POLICY_QUOTA, type DocumentStatement, LONGEST_PARTITION, policySize } from "../../aws/policy-size";
import { partitionOf } from "../../aws/regions";
import { auditBucketName, STATE_STACK, stateBucketName } from "../../config/naming";
import type { EnvironmentConfig } from "../../config/schema";
import { auditDeliveryStatements, auditTrailsOf, type AuditTrailsLayout } from "../../constructs/audit-trail";
import { type DeploymentContext, s3Arn } from "../../constructs/context";
import { denyInsecureTransport } from "../../constructs/secure-bucket";
import { stateReach, stateReachStatements, type StateReachLayout } from "../../constructs/state-access";

/** What of a validated deployment the shared buckets' policies are built from (Deployment is one). */
export type SharedBucketsLayout = StateReachLayout &
  AuditTrailsLayout & { readonly environments: readonly Pick<EnvironmentConfig, "project" | "region" | "stateRegion">[] };

/** One shared bucket's policy, as the state stack renders it with every value known. */
export interface SharedBucketPolicy {
  /** The bucket's name. */
  readonly bucket: string;
  /** Its statements, in the stack's order, with the partition and the bucket's ARN filled in. */
  readonly statements: readonly DataAwsIamPolicyDocumentStatement[];
  /** Its size as S3 counts it (BUCKET_POLICY_QUOTA): the rendered JSON without white space, in characters. */
  readonly size: number;
}

/**
 * The state bucket's policy and, with baseline.cloudTrailToStateAccount, the audit bucket's: the
 * statements the state stack gives them (SecureBucket's TLS-only denial, then the grants), with the
 * values Terraform fills in at apply (the partition of stateRegion, each bucket's ARN), so that
 * their size is the deployed policy's, not an estimate.
 */
export function sharedBucketPolicies(layout: SharedBucketsLayout): { readonly state: SharedBucketPolicy; readonly audit?: SharedBucketPolicy } {
  const { project, stateRegion } = layout.environments[0];
  const accountId = layout.stateAccount.accountId;
  const context: DeploymentContext = {
    accountId,
    region: stateRegion,
    partition: partitionOf(stateRegion) ?? LONGEST_PARTITION,
    names: { project, environment: "shared" },
  };
  const policy = (bucket: string, grants: (bucketArn: string) => DataAwsIamPolicyDocumentStatement[]): SharedBucketPolicy => {
    const bucketArn = s3Arn(context, bucket);
    const statements = [denyInsecureTransport(bucketArn), ...grants(bucketArn)];
    // The binding's keys of these statements (sid, effect, actions, resources, principals, condition) are the Terraform JSON's.
    return { bucket, statements, size: policySize(statements as readonly DocumentStatement[]) };
  };
  const stateBucket = stateBucketName(project, stateRegion, accountId);
  const trails = auditTrailsOf(layout);
  return {
    state: policy(stateBucket, () => stateReachStatements(context, stateBucket, stateReach(layout))),
    ...(trails ? { audit: policy(auditBucketName(project, stateRegion, accountId), (bucketArn) => auditDeliveryStatements(context, bucketArn, trails)) } : {}),
  };
}

/** `20,480`: a size as the messages print it. */
const bytes = (n: number) => n.toLocaleString("en-US");

/**
 * A layout whose state or audit bucket policy S3 would refuse, with what makes it grow and the fix;
 * none when both fit.
 */
export function sharedBucketPolicyProblems(layout: SharedBucketsLayout): string[] {
  const { state, audit } = sharedBucketPolicies(layout);
  const others = layout.accounts.filter((account) => account.accountId !== layout.stateAccount.accountId);
  const environments = others.reduce((n, account) => n + account.environments.length, 0);
  const over = (policy: SharedBucketPolicy) =>
    `the ${STATE_STACK} stack's bucket ${policy.bucket} would get a policy of ${bytes(policy.size)} bytes (its JSON without white space, as rendered), over the ${bytes(BUCKET_POLICY_QUOTA)} that S3 accepts for a bucket policy; the deploy of the ${STATE_STACK} stack would fail`;
  const problems: string[] = [];
  if (state.size > BUCKET_POLICY_QUOTA) {
    const pipeline = layout.ci.githubRepository ? `, and each of their ${environments} environments' pipeline deployer and plan reader, three each` : "";
    problems.push(
      `${over(state)}. It grants ${others.length} account${others.length === 1 ? "" : "s"} other than the state account ${layout.stateAccount.accountId} their own stacks' state keys, three statements for each account (its deploy role, or the account itself without one)${pipeline}. Fix: keep fewer accounts and environments per state bucket: split them over several deployments, each with a state bucket of its own (another top-level accountId or another project, which name the bucket).`,
    );
  }
  if (audit && audit.size > BUCKET_POLICY_QUOTA) {
    problems.push(
      `${over(audit)}. It lets the trails of ${layout.accounts.length} accounts deliver, one statement each (baseline.cloudTrailToStateAccount). Fix: split the accounts over several deployments, each with a state account of its own; or keep each account's trail in its own account (baseline.cloudTrailToStateAccount false), or collect them with an organization trail in a log-archive account instead (baseline.cloudTrail false).`,
    );
  }
  return problems;
}
