import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Construct } from "constructs";
import { keyAliasName, PRIMARY_ID } from "../config/naming";
import { suppress } from "../policy/checks";
import { arn, type DeploymentContext } from "./context";
import type { Grantable } from "./iam";

/**
 * The key-policy statement that lets CloudWatch Logs of the context's region encrypt this
 * account's log groups with the key (log groups cannot use a key through IAM alone).
 */
export function cloudWatchLogsKeyStatement(ctx: DeploymentContext): DataAwsIamPolicyDocumentStatement {
  return {
    sid: "CloudWatchLogsEncrypts",
    effect: "Allow",
    principals: [{ type: "Service", identifiers: [`logs.${ctx.region}.amazonaws.com`] }],
    actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
    resources: ["*"],
    condition: [{ test: "ArnLike", variable: "kms:EncryptionContext:aws:logs:arn", values: [arn(ctx, { service: "logs", resource: "log-group:*" })] }],
  };
}

export interface CustomerKeyProps {
  readonly context: DeploymentContext;
  /** Alias without the `alias/` prefix, e.g. `smh-dashboard-prod-data`. */
  readonly alias: string;
  /** What the key protects, shown in the console. */
  readonly description: string;
  /** Key-policy statements for AWS services that use the key directly. @default [] */
  readonly serviceStatements?: DataAwsIamPolicyDocumentStatement[];
  /** Provider of the key's region, with `region`. @default the stack's default provider */
  readonly provider?: AwsProvider;
  /** Region of the key, where services use it. @default the context's region */
  readonly region?: string;
}

/** A KMS key that can be granted through one AWS service: a CustomerKey, or a key named by its alias. */
export interface EncryptionKey {
  /** Grants `grantee` the use of this key through `service` only, as statement `sid`. */
  grantViaService(grantee: Grantable, sid: string, service: string, actions: string[]): void;
}

/**
 * A key of another stack, named by its alias in `region`: its id is not known here. A grant names
 * the account's keys in that region and admits only the one carrying the alias
 * (`kms:ResourceAliases`), through the service only.
 */
export class KeyByAlias implements EncryptionKey {
  constructor(
    private readonly context: DeploymentContext,
    /** Alias without the `alias/` prefix. */
    public readonly alias: string,
    public readonly region: string,
  ) {}

  grantViaService(grantee: Grantable, sid: string, service: string, actions: string[]): void {
    grantee.addStatements({
      sid,
      effect: "Allow",
      actions,
      resources: [arn(this.context, { service: "kms", region: this.region, resource: "key/*" })],
      condition: [
        { test: "ForAnyValue:StringEquals", variable: "kms:ResourceAliases", values: [`alias/${this.alias}`] },
        { test: "StringEquals", variable: "kms:ViaService", values: [`${service}.${this.region}.amazonaws.com`] },
      ],
    });
  }
}

/**
 * A customer-managed KMS key with yearly rotation and a 30-day deletion window. Its policy lets
 * the account administer it through IAM (AWS's default key policy, so roles get access only by
 * their own least-privilege policies) plus the given service statements.
 */
export class CustomerKey extends Construct implements EncryptionKey {
  public readonly key: KmsKey;
  public readonly policy: DataAwsIamPolicyDocument;
  public readonly alias: KmsAlias;
  /** Region of the key. */
  public readonly region: string;
  /** The key's ARN: one token, so statements that name the key twice can be merged. */
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: CustomerKeyProps) {
    super(scope, id);
    this.region = props.region ?? props.context.region;
    // A policy document is rendered by Terraform locally: it needs no (regional) provider.
    this.policy = new DataAwsIamPolicyDocument(this, "policy", {
      statement: [
        {
          sid: "AccountAdministersThroughIam",
          effect: "Allow",
          principals: [{ type: "AWS", identifiers: [arn(props.context, { service: "iam", region: "", resource: "root" })] }],
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
    this.arn = this.key.arn;
    suppress(
      this.policy,
      "IAM-1",
      'In a key policy Resource "*" means this key only, and kms:* for the account root is AWS\'s default key policy, which hands access control to IAM policies.',
    );
    this.alias = new KmsAlias(this, "alias", {
      provider: props.provider,
      name: `alias/${props.alias}`,
      targetKeyId: this.key.keyId,
    });
  }

  /** The statement that lets a principal use this key with `actions`, only through `service` (e.g. `s3`) in the key's region. */
  useViaService(service: string, actions: string[]): DataAwsIamPolicyDocumentStatement {
    return {
      effect: "Allow",
      actions,
      resources: [this.arn],
      condition: [{ test: "StringEquals", variable: "kms:ViaService", values: [`${service}.${this.region}.amazonaws.com`] }],
    };
  }

  /** Grants `grantee` the use of this key through `service` only, as statement `sid`. */
  grantViaService(grantee: Grantable, sid: string, service: string, actions: string[]): void {
    grantee.addStatements({ sid, ...this.useViaService(service, actions) });
  }
}

export interface KeysProps {
  readonly context: DeploymentContext;
  /** Provider of the DR region, for the key of replicas and backup copies. */
  readonly drProvider: AwsProvider;
  /** The DR region. */
  readonly drRegion: string;
  /** Create the DR-region key (replication or backup copies are on). */
  readonly dr: boolean;
  /** Create the database key. */
  readonly database: boolean;
  /** Create the cache key. @default false */
  readonly cache?: boolean;
}

/**
 * Customer-managed keys for the data at rest that holds PHI or secrets, one per purpose so a
 * key policy and a grant never reach further than that purpose:
 * - `data`: models and data buckets, the ECR repository;
 * - `dr`: their replicas and database backup copies in the DR region;
 * - `database`: the RDS storage, Performance Insights and the master-user secret;
 * - `cache`: the ElastiCache data at rest and its snapshots;
 * - `logs`: every CloudWatch log group of the environment.
 * Roles get access by their own IAM policies naming the key; only AWS services that encrypt on
 * their own behalf (CloudWatch Logs) appear in a key policy.
 */
export class Keys extends Construct {
  public readonly data: CustomerKey;
  public readonly logs: CustomerKey;
  public readonly dr?: CustomerKey;
  public readonly database?: CustomerKey;
  public readonly cache?: CustomerKey;

  constructor(scope: Construct, id: string, props: KeysProps) {
    super(scope, id);
    const context = props.context;
    const key = (role: string, description: string, extra: Partial<CustomerKeyProps> = {}) =>
      new CustomerKey(this, role, { context, alias: keyAliasName(context.names, role), description, ...extra });

    this.data = key("data", "Models and data buckets, ECR images");
    this.logs = key("logs", "CloudWatch log groups", { serviceStatements: [cloudWatchLogsKeyStatement(context)] });
    if (props.dr) {
      this.dr = key("dr", "Replicas and backup copies in the DR region", { provider: props.drProvider, region: props.drRegion });
    }
    if (props.database) {
      this.database = key("database", "RDS storage, Performance Insights and the master-user secret");
    }
    if (props.cache) {
      this.cache = key("cache", "ElastiCache data at rest and snapshots");
    }
  }
}
