import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { type NameContext, resourceName } from "../naming";
import { cloudWatchLogsKeyStatement, CustomerKey } from "./kms";

export interface KeysProps {
  readonly accountId: string;
  readonly region: string;
  /** Provider of the DR region, for the key of replicas and backup copies. */
  readonly drProvider: AwsProvider;
  /** Create the DR-region key (replication or backup copies are on). */
  readonly dr: boolean;
  /** Create the database key. */
  readonly database: boolean;
  readonly names: NameContext;
}

/**
 * Customer-managed keys for the data at rest that holds PHI or secrets, one per purpose so a
 * key policy and a grant never reach further than that purpose:
 * - `data`: models and data buckets, the ECR repository;
 * - `dr`: their replicas and database backup copies in the DR region;
 * - `database`: the RDS storage, Performance Insights and the master-user secret;
 * - `logs`: every CloudWatch log group of the environment.
 * Roles get access by their own IAM policies naming the key; only AWS services that encrypt on
 * their own behalf (CloudWatch Logs) appear in a key policy.
 */
export class Keys extends Construct {
  public readonly data: CustomerKey;
  public readonly logs: CustomerKey;
  public readonly dr?: CustomerKey;
  public readonly database?: CustomerKey;

  constructor(scope: Construct, id: string, props: KeysProps) {
    super(scope, id);
    const { names, accountId } = props;
    const key = (role: string, description: string, extra: Partial<{ provider: AwsProvider; serviceStatements: DataAwsIamPolicyDocumentStatement[] }> = {}) =>
      new CustomerKey(this, role, { alias: resourceName(names, role), description, accountId, ...extra });

    this.data = key("data", "Models and data buckets, ECR images");
    this.logs = key("logs", "CloudWatch log groups", {
      serviceStatements: [cloudWatchLogsKeyStatement(props.region, accountId)],
    });
    if (props.dr) {
      this.dr = key("dr", "Replicas and backup copies in the DR region", { provider: props.drProvider });
    }
    if (props.database) {
      this.database = key("database", "RDS storage, Performance Insights and the master-user secret");
    }
  }
}

/** The statements that let a role use a key for S3 objects, only through S3 in `region`. */
export function s3KeyUse(key: CustomerKey, region: string, actions: string[]): DataAwsIamPolicyDocumentStatement {
  return {
    effect: "Allow",
    actions,
    resources: [key.arn],
    condition: [{ test: "StringEquals", variable: "kms:ViaService", values: [`s3.${region}.amazonaws.com`] }],
  };
}
