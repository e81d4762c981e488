import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { PRIMARY_ID } from "../naming";
import { suppress } from "../policy/checks";

/**
 * The key-policy statement that lets CloudWatch Logs of `region` encrypt this account's log
 * groups with the key (log groups cannot use a key through IAM alone).
 */
export function cloudWatchLogsKeyStatement(region: string, accountId: string): DataAwsIamPolicyDocumentStatement {
  return {
    sid: "CloudWatchLogsEncrypts",
    effect: "Allow",
    principals: [{ type: "Service", identifiers: [`logs.${region}.amazonaws.com`] }],
    actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
    resources: ["*"],
    condition: [{ test: "ArnLike", variable: "kms:EncryptionContext:aws:logs:arn", values: [`arn:aws:logs:${region}:${accountId}:log-group:*`] }],
  };
}

export interface CustomerKeyProps {
  /** Alias without the `alias/` prefix, e.g. `smh-dashboard-prod-data`. */
  readonly alias: string;
  /** What the key protects, shown in the console. */
  readonly description: string;
  readonly accountId: string;
  /** Key-policy statements for AWS services that use the key directly. @default [] */
  readonly serviceStatements?: DataAwsIamPolicyDocumentStatement[];
  /** Provider (region) of the key. @default the stack's default provider */
  readonly provider?: AwsProvider;
}

/**
 * A customer-managed KMS key with yearly rotation and a 30-day deletion window. Its policy lets
 * the account administer it through IAM (AWS's default key policy, so roles get access only by
 * their own least-privilege policies) plus the given service statements.
 */
export class CustomerKey extends Construct {
  public readonly key: KmsKey;
  public readonly policy: DataAwsIamPolicyDocument;

  constructor(scope: Construct, id: string, props: CustomerKeyProps) {
    super(scope, id);
    // A policy document is rendered by Terraform locally: it needs no (regional) provider.
    this.policy = new DataAwsIamPolicyDocument(this, "policy", {
      statement: [
        {
          sid: "AccountAdministersThroughIam",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: [`arn:aws:iam::${props.accountId}:root`] }],
          // In a key policy "*" is this key; kms:* for the account root delegates to IAM.
          actions: ["kms:*"],
          resources: ["*"],
        },
        ...(props.serviceStatements ?? []),
      ],
    });
    this.key = new KmsKey(this, PRIMARY_ID, {
      provider: props.provider,
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: this.policy.json,
      tags: { Name: props.alias },
    });
    suppress(
      this.policy,
      "IAM-1",
      'In a key policy Resource "*" means this key only, and kms:* for the account root is AWS\'s default key policy, which hands access control to IAM policies.',
    );
    new KmsAlias(this, "alias", {
      provider: props.provider,
      name: `alias/${props.alias}`,
      targetKeyId: this.key.keyId,
    });
  }

  get arn(): string {
    return this.key.arn;
  }
}
