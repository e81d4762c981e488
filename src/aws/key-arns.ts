/**
 * Attributes that AWS stores as the KMS key's ARN, whatever form of the key it was given (an
 * alias name, an alias ARN, a key id). The provider reads the key ARN back, so any other form
 * plans a change after every deploy, and where the attribute forces a new resource (RDS
 * `kms_key_id`: provider internal/service/rds/instance.go, `ForceNew: true`) a replacement,
 * which deletion protection then refuses. Policy rule AWS-3 (src/policy/rules.ts) requires the
 * key's ARN in each of them.
 *
 * Sources: hashicorp/terraform-provider-aws issues #229 (RDS instances, since 2016), #25713 (RDS
 * clusters, ElastiCache), #38780 (docs: aliases force replacement on RDS), #694 and #33928
 * (CloudTrail), cloudposse/terraform-aws-ecr#85 (ECR `kms_key`, replaced on every plan); the
 * CloudWatch Logs API takes only a key ARN (API_AssociateKmsKey.html, kmsKeyId).
 */

export interface KeyArnAttribute {
  /** Terraform resource type. */
  readonly type: string;
  /** The attribute; a nested block's as `block.attribute`. */
  readonly attribute: string;
}

/** Every attribute of the list, by resource type. */
export const KEY_ARN_ATTRIBUTES: readonly KeyArnAttribute[] = [
  { type: "aws_db_instance", attribute: "kms_key_id" },
  { type: "aws_db_instance", attribute: "performance_insights_kms_key_id" },
  { type: "aws_db_instance", attribute: "master_user_secret_kms_key_id" },
  { type: "aws_db_instance_automated_backups_replication", attribute: "kms_key_id" },
  { type: "aws_rds_cluster", attribute: "kms_key_id" },
  { type: "aws_rds_cluster", attribute: "performance_insights_kms_key_id" },
  { type: "aws_rds_cluster", attribute: "master_user_secret_kms_key_id" },
  { type: "aws_rds_cluster_instance", attribute: "performance_insights_kms_key_id" },
  { type: "aws_elasticache_replication_group", attribute: "kms_key_id" },
  { type: "aws_cloudtrail", attribute: "kms_key_id" },
  { type: "aws_cloudwatch_log_group", attribute: "kms_key_id" },
  { type: "aws_ecr_repository", attribute: "encryption_configuration.kms_key" },
  { type: "aws_dynamodb_table", attribute: "server_side_encryption.kms_key_arn" },
  { type: "aws_ebs_volume", attribute: "kms_key_id" },
  { type: "aws_efs_file_system", attribute: "kms_key_id" },
];

/** A key's ARN as written in a stack: the `arn` of an `aws_kms_key`, or a literal `arn:<partition>:kms:<region>:<account>:key/<id>`. */
const KEY_ARN = [/^\$\{aws_kms_key\.[\w-]+\.arn\}$/, /^arn:[^:]+:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/];

/** Why `value` is not a key ARN (a phrase), or undefined when it is one. */
export function keyArnProblem(value: string): string | undefined {
  if (KEY_ARN.some((form) => form.test(value))) return undefined;
  if (/alias\//.test(value) || /\$\{aws_kms_alias\./.test(value)) return `is an alias ("${value}")`;
  if (/\$\{aws_kms_key\.[\w-]+\.(key_id|id)\}/.test(value)) return `is a key id ("${value}")`;
  return `is not a key ARN ("${value}")`;
}
