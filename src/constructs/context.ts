import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import type { Construct } from "constructs";
import type { NameContext } from "../config/naming";

/**
 * What every construct of a stack needs to know about where it is deployed, passed as one
 * object: the account, the primary region, the partition for ARNs, and the names.
 */
export interface DeploymentContext {
  readonly accountId: string;
  /** Primary region of the stack. */
  readonly region: string;
  /** AWS partition (`aws`, `aws-us-gov`, `aws-cn`) from `data.aws_partition`, as a token. */
  readonly partition: string;
  readonly names: NameContext;
}

/**
 * The deployment context of a stack: reads the partition from the provider configuration
 * (`data.aws_partition.partition`, evaluated locally, so it plans offline).
 */
export function deploymentContext(stack: Construct, props: Omit<DeploymentContext, "partition">): DeploymentContext {
  const partition = new DataAwsPartition(stack, "partition");
  return { ...props, partition: partition.partition };
}

export interface ArnParts {
  /** Service namespace, e.g. `ecs`, `logs`, `iam`. */
  readonly service: string;
  /** Resource part, e.g. `log-group:*` or `role/x`. */
  readonly resource: string;
  /** Region of the resource; "" for global services (IAM, S3). @default the context's region */
  readonly region?: string;
  /** Account of the resource; "" for AWS-owned (managed policies) or S3. @default the context's account */
  readonly account?: string;
}

/**
 * An ARN in this deployment's partition, for the places no resource attribute gives one (a
 * condition on resources not created yet, AWS managed policies, patterns).
 */
export function arn(ctx: DeploymentContext, parts: ArnParts): string {
  return `arn:${ctx.partition}:${parts.service}:${parts.region ?? ctx.region}:${parts.account ?? ctx.accountId}:${parts.resource}`;
}

/** The ARN of an S3 bucket or object path (S3 ARNs have neither region nor account). */
export function s3Arn(ctx: DeploymentContext, bucketOrPath: string): string {
  return arn(ctx, { service: "s3", region: "", account: "", resource: bucketOrPath });
}

/** The ARN of an AWS managed IAM policy, e.g. `service-role/AWS_ConfigRole`. */
export function managedPolicyArn(ctx: DeploymentContext, name: string): string {
  return arn(ctx, { service: "iam", region: "", account: "aws", resource: `policy/${name}` });
}
