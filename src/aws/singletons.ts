/**
 * Resources AWS keeps once per account and region (or once per account), or once per key in
 * them. Two stacks that declare one each do not fail: each deploy overwrites the other's (a
 * second ECR replication configuration silently stops image replication for the first standby),
 * or the second apply fails on a name AWS already has. Policy rule AWS-4 (src/policy/rules.ts)
 * refuses a second declaration across all the stacks of the app.
 */

export interface Singleton {
  /** Terraform resource type. */
  readonly type: string;
  /** `region`: one per account and region; `account`: one per account (IAM, S3 account settings). */
  readonly per: "region" | "account";
  /** The attribute that tells instances apart (one per value), when the resource is not unique outright. */
  readonly key?: string;
  /** Where AWS says so. */
  readonly source: string;
}

export const SINGLETONS: readonly Singleton[] = [
  {
    type: "aws_guardduty_detector",
    per: "region",
    source: "https://docs.aws.amazon.com/guardduty/latest/APIReference/API_CreateDetector.html (one detector per account and Region)",
  },
  {
    type: "aws_guardduty_detector_feature",
    per: "region",
    key: "name",
    source: "https://docs.aws.amazon.com/guardduty/latest/APIReference/API_UpdateDetector.html (features of the Region's one detector)",
  },
  {
    type: "aws_config_configuration_recorder",
    per: "region",
    source: "https://docs.aws.amazon.com/config/latest/APIReference/API_PutConfigurationRecorder.html (one customer managed recorder per account and Region)",
  },
  {
    type: "aws_config_configuration_recorder_status",
    per: "region",
    source: "https://docs.aws.amazon.com/config/latest/APIReference/API_StartConfigurationRecorder.html (the status of the Region's recorder)",
  },
  {
    type: "aws_config_delivery_channel",
    per: "region",
    source: "https://docs.aws.amazon.com/config/latest/APIReference/API_PutDeliveryChannel.html (one delivery channel per account and Region)",
  },
  {
    type: "aws_securityhub_account",
    per: "region",
    source: "https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_EnableSecurityHub.html (Security Hub is enabled per account and Region)",
  },
  {
    type: "aws_securityhub_standards_subscription",
    per: "region",
    key: "standards_arn",
    source: "https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_BatchEnableStandards.html (a standard is enabled once per account and Region)",
  },
  {
    type: "aws_ecr_replication_configuration",
    per: "region",
    source:
      "https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutReplicationConfiguration.html (one replication configuration per registry: per account and Region)",
  },
  {
    type: "aws_ecr_registry_scanning_configuration",
    per: "region",
    source: "https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutRegistryScanningConfiguration.html (one per registry)",
  },
  {
    type: "aws_ecr_registry_policy",
    per: "region",
    source: "https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_PutRegistryPolicy.html (one per registry)",
  },
  {
    type: "aws_ebs_encryption_by_default",
    per: "region",
    source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_EnableEbsEncryptionByDefault.html (per account and Region)",
  },
  {
    type: "aws_ebs_default_kms_key",
    per: "region",
    source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ModifyEbsDefaultKmsKeyId.html (per account and Region)",
  },
  {
    type: "aws_s3_account_public_access_block",
    per: "account",
    source: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_PutPublicAccessBlock.html (the account's one configuration)",
  },
  {
    type: "aws_iam_account_password_policy",
    per: "account",
    source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_UpdateAccountPasswordPolicy.html (the account's one policy)",
  },
  {
    type: "aws_iam_account_alias",
    per: "account",
    source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateAccountAlias.html (one alias per account)",
  },
  {
    type: "aws_iam_openid_connect_provider",
    per: "account",
    key: "url",
    source: "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateOpenIDConnectProvider.html (one provider per issuer URL: EntityAlreadyExists)",
  },
];
